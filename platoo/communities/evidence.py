"""What communities tell the people directory: the agenda points people presented at CoP meetings
(evidence of what they know, on the community's topics) and the KM roles they hold in CoPs.

Only meetings that were held count (started and not cancelled): an agenda point of a meeting still to
come, or called off, shows nothing yet.
"""

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from platoo.accounts import evidence, roles
from platoo.accounts.evidence import Evidence, EvidenceKind, ShownTopic
from platoo.accounts.roles import RoleHeld
from platoo.knowledge.evidence import shown_topic

from .models import AgendaItem, Community, CommunityVisibility, Meeting, Membership

CommunityTopic = Community.topics.through


def presentations(meetings: QuerySet[Meeting]) -> QuerySet[AgendaItem]:
    """Agenda points with a presenter at those of `meetings` that were held."""
    return AgendaItem.objects.filter(
        presenter__isnull=False,
        meeting__in=meetings,
        meeting__cancelled_at__isnull=True,
        meeting__starts_at__lte=timezone.now(),
    )


def _presented(person_ids: Sequence[int], meetings: QuerySet[Meeting]) -> list[Evidence]:
    """One query for the agenda points, one for their communities' topics."""
    points = list(
        presentations(meetings)
        .filter(presenter_id__in=person_ids)
        .select_related("meeting__community")
        .only("title", "presenter_id", "meeting__title", "meeting__starts_at", "meeting__community__slug")
    )
    if not points:
        return []
    topics: dict[int, list[ShownTopic]] = defaultdict(list)
    community_topics = CommunityTopic.objects.filter(community_id__in={p.meeting.community_id for p in points})
    for row in community_topics.select_related("topic").order_by("topic__position", "topic__name_th"):
        topics[row.community_id].append(shown_topic(row.topic))
    return [
        Evidence(
            person_id=point.presenter_id,
            kind=EvidenceKind.PRESENTED,
            title=point.meeting.title,
            url=point.meeting.get_absolute_url(),
            date=point.meeting.starts_at,
            topics=tuple(topics[point.meeting.community_id]),
            label=point.title,
        )
        for point in points
        if point.presenter_id is not None
    ]


class PresentedEvidence:
    kind: str = EvidenceKind.PRESENTED

    def evidence(self, person_ids: Sequence[int], viewer: Any) -> list[Evidence]:
        return _presented(person_ids, Meeting.objects.visible_to(viewer))

    def evidence_for_members(self, person_ids: Sequence[int]) -> list[Evidence]:
        # A public CoP's meetings read to every member; a closed or secret one's to its members only.
        return _presented(person_ids, Meeting.objects.filter(community__visibility=CommunityVisibility.PUBLIC))

    def people_on_topics(self, topic_ids: Sequence[int], viewer: Any) -> QuerySet[Any]:
        points = presentations(Meeting.objects.visible_to(viewer))
        return points.filter(meeting__community__topics__in=topic_ids).values("presenter_id")


class CommunityRoles:
    """KM roles held through an active membership, in the communities the viewer may see."""

    @staticmethod
    def _memberships(viewer: Any) -> QuerySet[Membership]:
        return Membership.objects.filter(
            status=Membership.Status.ACTIVE, community__in=Community.objects.visible_to(viewer)
        ).exclude(km_role="")

    def roles(self, person_ids: Sequence[int], viewer: Any) -> list[RoleHeld]:
        held = self._memberships(viewer).filter(user_id__in=person_ids).select_related("community")
        return [
            RoleHeld(
                person_id=m.user_id,
                role=m.km_role,
                place_kind="community",
                place_key=m.community.slug,
                place_name=m.community.name,
                place_url=m.community.get_absolute_url(),
            )
            for m in held.only("user_id", "km_role", "community__slug", "community__name")
        ]

    def people_with_role(self, role: str, viewer: Any) -> QuerySet[Any]:
        return self._memberships(viewer).filter(km_role=role).values("user_id")


evidence.register(PresentedEvidence())
roles.register(CommunityRoles())
