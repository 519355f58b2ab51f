from datetime import timedelta

from django.utils import timezone

from platoo.accounts.models import User
from platoo.accounts.tests.helpers import CastTestCase, make_item, make_person
from platoo.communities import actions
from platoo.communities.actions import (
    AgendaPoint,
    CommunityData,
    MeetingData,
    do_create_community,
    do_invite,
    do_join,
    do_schedule_meeting,
)
from platoo.communities.models import Community, CommunityVisibility, Meeting, Membership


def make_community(user, slug: str = "cop", visibility: str = CommunityVisibility.PUBLIC, **extra) -> Community:  # type: ignore[no-untyped-def]
    data = CommunityData(
        name=extra.pop("name", f"ชุมชน {slug}"), slug=slug, domain="การส่งเวร", level=2, visibility=visibility, **extra
    )
    return do_create_community(user, data)


def schedule(
    user: User,
    community: Community,
    title: str = "วงเล่าเรื่อง",
    days: float = 1,
    hours: float = 2,
    presenter: User | None = None,
) -> Meeting:
    """A meeting `days` from now (negative: in the past), through the real action."""
    starts = timezone.now() + timedelta(days=days)
    points = [AgendaPoint("เล่าเรื่องความสำเร็จ", presenter.pk if presenter else None, 30)]
    data = MeetingData(
        title=title, starts_at=starts, ends_at=starts + timedelta(hours=hours), place="ห้อง 3", points=points
    )
    return do_schedule_meeting(user, community, data)


def update(community: Community, **changes: object) -> Community:
    """Change some of a community's settings through the admins' action (alice admins them all)."""
    values = {
        "name": community.name,
        "slug": community.slug,
        "domain": community.domain,
        "level": community.level,
        "purpose": community.purpose,
        "visibility": community.visibility,
        "stage": community.stage,
        "organization_ids": list(community.organizations.values_list("pk", flat=True)),
        "topic_ids": list(community.topics.values_list("pk", flat=True)),
    }
    admin = community.memberships.get(role=Membership.Role.ADMIN).user
    return actions.do_update_community(admin, community, actions.CommunityData(**(values | changes)))  # type: ignore[arg-type]


class CoPTestCase(CastTestCase):
    """alice admins a public CoP, a closed one and a secret one; bob is a member of the public one."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.erin = make_person(cls.admin, "erin", cls.beta, km_roles=["note_taker"])
        cls.public = make_community(cls.alice, "open-cop", purpose="**สำคัญ**", organization_ids=[cls.alpha.pk])
        cls.closed = make_community(cls.alice, "closed-cop", CommunityVisibility.CLOSED)
        cls.secret = make_community(cls.alice, "secret-cop", CommunityVisibility.SECRET)
        do_join(cls.bob, cls.public)


__all__ = ["CoPTestCase", "do_invite", "make_community", "make_item", "schedule", "update"]
