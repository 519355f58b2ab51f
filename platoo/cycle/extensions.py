"""What the cycle shows on knowledge pages: badges on cards and search results, a block on the item page."""

from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext as _

from platoo.knowledge import extensions
from platoo.knowledge.extensions import Badge

from .models import VERIFIED_STAGES, CriticalKnowledge, Stage
from .views.items import item_section


def cycle_badges(item_ids: Sequence[int]) -> dict[int, list[Badge]]:
    """Verified (and current) or needing re-verification; a rejected, archived or superseded item says so."""
    today = timezone.localdate()
    found: dict[int, list[Badge]] = {}
    rows = CriticalKnowledge.objects.filter(item_id__in=item_ids).values_list("item_id", "stage", "reverify_due")
    for item_id, stage, due in rows:
        if stage in VERIFIED_STAGES and due is not None and due <= today:
            badge = Badge(
                _("Needs re-verification"),
                "warning",
                _("Its verification ran out; the expert panel is to re-verify it."),
            )
        elif stage in VERIFIED_STAGES:
            badge = Badge(_("Verified"), "verified", _("Verified by the topic's expert panel, and current."))
        elif stage in (Stage.SUPERSEDED, Stage.ARCHIVED, Stage.REJECTED):
            badge = Badge(str(Stage(stage).label), "ended")
        elif stage == Stage.IN_REVIEW:
            badge = Badge(_("In expert review"), "stage")
        else:
            badge = Badge(_("Critical knowledge"), "stage")
        found[item_id] = [badge]
    return found


extensions.register_badges(cycle_badges)
extensions.register_section(item_section)
