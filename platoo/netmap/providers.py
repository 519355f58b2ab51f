"""The ties the map is built from, read through each model's own doorway (registered in NetmapConfig.ready)."""

from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from platoo.communities.models import Attendance, Community, Meeting, Membership, SharedItem
from platoo.knowledge.models import KnowledgeItem
from platoo.lib.visibility import Visibility
from platoo.network.models import NetworkLink

from .registry import Context, Edge, EdgeKind, node_key, register_contexts, register_edges, register_kind

if TYPE_CHECKING:
    from .graph import Scope

# Kinds the map itself makes: a person's organization, and co-participation derived from the other ties.
STAFF = EdgeKind("staff", _("Works at"), directed=True, colour="#b8c2cc", line="dotted")
COPARTICIPATION = EdgeKind(
    "coparticipation", _("Co-participation"), derived=True, colour="#2f8f83", line="dotted", priority=2
)
MEMBER = EdgeKind("member", _("CoP member"), directed=True, colour="#9aa5b1")
PARTNER = EdgeKind("partner", _("Organization in a CoP"), directed=True, colour="#c98a4b", line="dashed")
LINK = EdgeKind("link", _("Network link"), colour="#0f6e5a", priority=0)
REUSE = EdgeKind("reuse", _("Knowledge reuse"), directed=True, colour="#7b4fb3", line="dashed", priority=0)


def person(pk: int) -> str:
    return node_key("person", pk)


def organization(pk: int) -> str:
    return node_key("organization", pk)


def community(pk: int) -> str:
    return node_key("community", pk)


class CommunityMembers:
    """Active members of the CoPs the viewer sees (for visitors too: the map folds them into counts)."""

    kind = MEMBER
    models = (Membership,)

    def edges(self, scope: "Scope") -> Iterator[Edge]:
        rows = (
            Membership.objects.filter(
                community__in=scope.communities(), status=Membership.Status.ACTIVE, user__is_active=True
            )
            .order_by()
            .values_list("user_id", "community_id")
        )
        for user_id, community_id in rows.iterator(chunk_size=5000):
            yield Edge(person(user_id), community(community_id), MEMBER.key, community=community_id)


class CommunityPartners:
    """The organizations a CoP names as taking part (Community.organizations)."""

    kind = PARTNER
    models = (Community.organizations.through,)

    def edges(self, scope: "Scope") -> Iterator[Edge]:
        rows = Community.organizations.through.objects.filter(community__in=scope.communities()).values_list(
            "organization_id", "community_id"
        )
        for organization_id, community_id in rows:
            yield Edge(organization(organization_id), community(community_id), PARTNER.key, community=community_id)


class NetworkLinks:
    kind = LINK
    models = (NetworkLink,)

    def edges(self, scope: "Scope") -> Iterator[Edge]:
        rows = NetworkLink.objects.visible_to(scope.user).order_by().values_list("source_id", "target_id", "level")
        for source_id, target_id, level in rows:
            yield Edge(organization(source_id), organization(target_id), LINK.key, level=level)


class KnowledgeReuse:
    """Knowledge of organization A shared into a CoP by someone from organization B: it flows from A to B.

    Counted for items every signed-in member reads (visitors: public ones), so the map does not vary
    with each person's own organization-only items or drafts, and for shares into CoPs the viewer sees.
    """

    kind = REUSE
    models = (SharedItem, KnowledgeItem)

    def edges(self, scope: "Scope") -> Iterator[Edge]:
        # What KnowledgeItem.visible_to gives everyone of the viewer's kind, without its per-person part.
        # Checked here rather than in SQL, where SQLite would start from the items and probe every share.
        visibilities = {Visibility.PUBLIC, Visibility.NETWORK} if scope.people else {Visibility.PUBLIC}
        rows = (
            SharedItem.objects.filter(community__in=scope.communities(), shared_by__organization__isnull=False)
            .order_by()
            .values_list("item__organization_id", "shared_by__organization_id", "community_id", "item__visibility")
        )
        for source_id, reuser_id, community_id, visibility in rows.iterator(chunk_size=5000):
            if visibility in visibilities and source_id is not None and source_id != reuser_id:
                yield Edge(organization(source_id), organization(reuser_id), REUSE.key, community=community_id)


class MeetingAttendance:
    """People who came to the same meeting (of a CoP whose meetings the viewer reads) tie their organizations."""

    key = "meeting"
    models = (Attendance, Meeting)

    def contexts(self, scope: "Scope") -> Iterator[Context]:
        rows = (
            Attendance.objects.filter(
                meeting__in=Meeting.objects.visible_to(scope.user).filter(cancelled_at__isnull=True),
                user__is_active=True,
                user__organization__isnull=False,
            )
            .order_by()
            .values_list("meeting_id", "meeting__community_id", "user__organization_id")
        )
        for meeting_id, community_id, organization_id in rows.iterator(chunk_size=5000):
            yield Context(f"meeting:{meeting_id}", community_id, organization_id)


def register_builtin() -> None:
    register_kind(STAFF)
    register_kind(COPARTICIPATION)
    register_edges(CommunityMembers())
    register_edges(CommunityPartners())
    register_edges(NetworkLinks())
    register_edges(KnowledgeReuse())
    register_contexts(MeetingAttendance())
