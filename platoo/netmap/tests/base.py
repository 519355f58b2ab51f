"""A small network for the map's tests, built with the real actions.

Meetings and attendance are made with the ORM: their actions are being written elsewhere.
Topics and a CoP's topics have no action either and are set with the ORM too.
"""

import json
from datetime import timedelta
from typing import Any

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from platoo.accounts.models import User
from platoo.accounts.tests.helpers import make_organization, make_person
from platoo.communities.actions import (
    CommunityData,
    do_answer_invitation,
    do_create_community,
    do_invite,
    do_join,
    do_share_item,
)
from platoo.communities.models import Attendance, Community, CommunityVisibility, Meeting
from platoo.communities.tests.base import CoPTestCase, make_item
from platoo.network.actions import do_add_link, do_apply_for_membership
from platoo.network.models import NetworkLink, Organization, Sector


def community(
    user: User, slug: str, level: int = 2, visibility: str = CommunityVisibility.PUBLIC, **extra: Any
) -> Community:
    data = CommunityData(name=f"ชุมชน {slug}", slug=slug, domain="การเรียนรู้", level=level, visibility=visibility, **extra)
    return do_create_community(user, data)


def link(staff: User, source: Organization, target: Organization, level: int) -> NetworkLink:
    since = timezone.localdate() - timedelta(days=30)
    return do_add_link(staff, NetworkLink(source=source, target=target, level=level, since=since))


def meeting(cop: Community, *people: User) -> Meeting:
    start = timezone.now() - timedelta(days=3)
    held = Meeting.objects.create(community=cop, title="ประชุม", starts_at=start, ends_at=start + timedelta(hours=2))
    for person in people:
        Attendance.objects.create(meeting=held, user=person, checked_in_at=start)
    return held


class MapTestCase(CoPTestCase):
    """CoPTestCase's cast (alice admins open-cop, closed-cop and secret-cop; bob is in open-cop), plus:

    bob and erin (beta) are members of secret-cop, where erin shared an alpha item and both met;
    gamma is a member organization nobody is tied to; omega only applied; alpha and beta are linked
    at level 3; carol (beta) came to an open-cop meeting with bob.
    """

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.gamma = make_organization(cls.admin, "gamma", Sector.PRIVATE, "Songkhla")
        applicant = Organization(name_th="หน่วยงานโอเมกา", code="omega", sector=Sector.COMMUNITY)
        cls.omega = do_apply_for_membership(cls.dave, applicant, "ขอเข้าร่วมเครือข่าย")
        for person in (cls.bob, cls.erin):
            do_invite(cls.alice, cls.secret, person.username)
            do_answer_invitation(person, cls.secret, accept=True)
        cls.alpha_item = make_item(cls.alice, "บทเรียนของอัลฟา", organization=cls.alpha)
        do_share_item(cls.erin, cls.secret, cls.alpha_item)
        meeting(cls.secret, cls.bob, cls.erin)
        do_join(cls.carol, cls.public)
        meeting(cls.public, cls.bob, cls.carol)
        cls.link = link(cls.admin, cls.alpha, cls.beta, 3)

    def setUp(self) -> None:
        super().setUp()
        cache.clear()  # the map caches under a data version that rolled-back test data never changes

    def map_json(self, user: User | None = None, **params: Any) -> dict[str, Any]:
        if user is not None:
            self.client.force_login(user)
        else:
            self.client.logout()
        response = self.client.get(reverse("netmap:data"), params)
        self.assertEqual(response.status_code, 200, response.content[:500])
        return json.loads(response.content)


def node_ids(body: dict[str, Any]) -> set[str]:
    return {n["id"] for n in body["nodes"]}


def edge_set(body: dict[str, Any], kind: str | None = None) -> set[tuple[str, str]]:
    return {(e["source"], e["target"]) for e in body["edges"] if kind is None or e["kind"] == kind}


__all__ = [
    "MapTestCase",
    "community",
    "edge_set",
    "link",
    "make_item",
    "make_organization",
    "make_person",
    "meeting",
    "node_ids",
]
