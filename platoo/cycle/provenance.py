"""Where knowledge goes in the cycle, told on the knowledge item page (platoo.knowledge.provenance):
an item "synthesized into" the syntheses that draw on it, a synthesis that "draws on" its sources, and
an item "applied by" the organizations that applied it. Only what the reader may read is named; sources
a reader may not read are counted, never titled."""

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from platoo.knowledge.models import KnowledgeItem
from platoo.knowledge.provenance import Capture, Link, register

from .models import Application, SynthesisSource


class SynthesisProvenance:
    kind = "synthesis"

    def capture(self, user: Any, pk: int) -> Capture | None:
        return None  # a synthesis is written on its own page, from several sources at once

    def links(self, user: Any, item_ids: Sequence[int]) -> dict[int, list[Link]]:
        """One query for an item no synthesis touches; a second to check what the reader may read."""
        found: dict[int, list[Link]] = defaultdict(list)
        ids = set(item_ids)
        rows = list(
            SynthesisSource.objects.filter(Q(item_id__in=ids) | Q(synthesis_id__in=ids))
            .select_related("item", "synthesis__item")
            .order_by("synthesis__created_at", "synthesis_id", "position", "pk")
        )
        if not rows:
            return found
        involved = {r.item_id for r in rows} | {r.synthesis_id for r in rows}
        readable = set(KnowledgeItem.objects.visible_to(user).filter(pk__in=involved).values_list("pk", flat=True))
        hidden: dict[int, int] = defaultdict(int)
        for row in rows:
            # The syntheses these items were drawn into, that the reader may read.
            if row.item_id in ids and row.synthesis_id in readable:
                synthesis = row.synthesis
                found[row.item_id].append(
                    Link(
                        _("Synthesized into"), synthesis.item.title, synthesis.get_absolute_url(), synthesis.created_at
                    )
                )
            # The sources of these items, when they are syntheses: named when readable, else counted.
            if row.synthesis_id in ids:
                if row.item_id in readable:
                    found[row.synthesis_id].append(Link(_("Draws on"), row.item.title, row.item.get_absolute_url()))
                else:
                    hidden[row.synthesis_id] += 1
        for synthesis_id, count in hidden.items():
            label = ngettext("%(count)d source you cannot read", "%(count)d sources you cannot read", count) % {
                "count": count
            }
            found[synthesis_id].append(Link(_("Draws on"), label, reverse("cycle:synthesis", args=[synthesis_id])))
        return found


class ApplicationProvenance:
    kind = "application"

    def capture(self, user: Any, pk: int) -> Capture | None:
        return None

    def links(self, user: Any, item_ids: Sequence[int]) -> dict[int, list[Link]]:
        found: dict[int, list[Link]] = defaultdict(list)
        readable = KnowledgeItem.objects.visible_to(user).filter(pk__in=item_ids).values("pk")
        rows = (
            Application.objects.filter(item_id__in=readable)
            .select_related("organization")
            .order_by("-applied_on", "-pk")[:20]
        )
        for row in rows:
            found[row.item_id].append(
                Link(
                    _("Applied by"),
                    f"{row.organization.display_name} ({row.where})",
                    row.organization.get_absolute_url(),
                    None,
                )
            )
        return found


register(SynthesisProvenance())
register(ApplicationProvenance())
