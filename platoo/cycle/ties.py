"""The knowledge flow on the network map (platoo.netmap.registry): organization A's knowledge applied by
organization B is a tie A → B, weighted by how many applications.

The map is shared by everyone who sees the same things (its cache is per scope, not per person), so it
counts what every viewer of that scope reads: network and public items for members, public items for
visitors, everything for superusers. Organization-only items never reach the map; applying one's own
knowledge is not a tie.
"""

from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.db.models import Count, F
from django.utils.translation import gettext_lazy as _

from platoo.knowledge.models import KnowledgeItem
from platoo.lib.visibility import Visibility
from platoo.netmap.registry import Edge, EdgeKind, node_key, register_edges

from .models import Application

if TYPE_CHECKING:
    from platoo.netmap.graph import Scope

APPLIED = EdgeKind("applied", _("Applied knowledge"), directed=True, colour="#c2410c", line="solid", priority=0)


class AppliedKnowledge:
    kind = APPLIED
    models = (Application, KnowledgeItem)

    def edges(self, scope: "Scope") -> Iterator[Edge]:
        rows = Application.objects.filter(learned_from__isnull=False).exclude(learned_from=F("organization"))
        if scope.key != "all":
            people = scope.people
            rows = rows.filter(
                item__visibility__in=[Visibility.PUBLIC, Visibility.NETWORK] if people else [Visibility.PUBLIC]
            )
        counted = rows.order_by().values_list("learned_from_id", "organization_id").annotate(n=Count("pk"))
        for source_id, target_id, count in counted:
            yield Edge(node_key("organization", source_id), node_key("organization", target_id), APPLIED.key, count)


register_edges(AppliedKnowledge())
