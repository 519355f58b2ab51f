"""The trust figure of a topic: of its critical knowledge still in play (not rejected, archived or
superseded), the share the network vouches for today (verified and not due for re-verification)."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from platoo.knowledge.models import Topic

from .models import ENDED_STAGES, VERIFIED_STAGES, CriticalKnowledge, Panel


@dataclass(frozen=True)
class Trust:
    current: int
    total: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.current / self.total) if self.total else None


def _subtrees(topic_ids: Sequence[int]) -> dict[int, list[int]]:
    """Each topic with everything under it, from one read of the (small) taxonomy."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in Topic.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found: dict[int, list[int]] = {}
    for topic_id in topic_ids:
        ids, frontier = [topic_id], [topic_id]
        while frontier:
            frontier = [child for pk in frontier for child in children.get(pk, [])]
            ids.extend(frontier)
        found[topic_id] = ids
    return found


def trust_by_topic(topic_ids: Sequence[int]) -> dict[int, Trust]:
    """The trust figure of each topic (with its sub-topics), in two queries however many topics."""
    if not topic_ids:
        return {}
    subtrees = _subtrees(topic_ids)
    today = timezone.localdate()
    current = Q(stage__in=VERIFIED_STAGES, reverify_due__gt=today)
    counts = CriticalKnowledge.objects.exclude(stage__in=ENDED_STAGES).aggregate(
        **{f"t{pk}": Count("pk", filter=Q(topic_id__in=ids)) for pk, ids in subtrees.items()},
        **{f"c{pk}": Count("pk", filter=Q(topic_id__in=ids) & current) for pk, ids in subtrees.items()},
    )
    return {pk: Trust(current=counts[f"c{pk}"], total=counts[f"t{pk}"]) for pk in subtrees}


def trust_by_panel(panels: Sequence[Panel]) -> dict[int, Trust]:
    by_topic = trust_by_topic([panel.topic_id for panel in panels])
    return {panel.pk: by_topic[panel.topic_id] for panel in panels}
