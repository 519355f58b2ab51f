"""What the cycle tells the people directory: the knowledge an expert reviewed and their panel verified
(evidence of what they know, on the item's topics)."""

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from platoo.accounts import evidence
from platoo.accounts.evidence import UNDATED, Evidence, EvidenceKind, ShownTopic
from platoo.knowledge.evidence import READ_BY_EVERY_MEMBER, shown_topic
from platoo.knowledge.models import KnowledgeItem

from .models import Outcome, Review

ItemTopic = KnowledgeItem.topics.through


def verifying_reviews(items: QuerySet[KnowledgeItem]) -> QuerySet[Review]:
    """Reviews in rounds that ended in verification, of these items."""
    return Review.objects.filter(round__outcome=Outcome.VERIFIED, round__critical__item__in=items)


def _verified(person_ids: Sequence[int], items: QuerySet[KnowledgeItem]) -> list[Evidence]:
    rows = list(
        verifying_reviews(items)
        .filter(reviewer_id__in=person_ids)
        .values_list("reviewer_id", "round__critical__item_id", "round__critical__item__title", "round__closed_at")
    )
    if not rows:
        return []
    topics: dict[int, list[ShownTopic]] = defaultdict(list)
    item_topics = ItemTopic.objects.filter(knowledgeitem_id__in={row[1] for row in rows})
    for row in item_topics.select_related("topic").order_by("topic__position", "topic__name_th"):
        topics[row.knowledgeitem_id].append(shown_topic(row.topic))
    seen: set[tuple[int, int]] = set()
    found = []
    for person_id, item_id, title, closed_at in sorted(rows, key=lambda r: r[3] or UNDATED, reverse=True):
        if (person_id, item_id) in seen:  # re-verified: the latest verification stands for it
            continue
        seen.add((person_id, item_id))
        found.append(
            Evidence(
                person_id=person_id,
                kind=EvidenceKind.VERIFIED,
                title=title,
                url=reverse("knowledge:detail", args=[item_id]),
                date=closed_at,
                topics=tuple(topics[item_id]),
            )
        )
    return found


class VerifiedEvidence:
    kind: str = EvidenceKind.VERIFIED

    def evidence(self, person_ids: Sequence[int], viewer: Any) -> list[Evidence]:
        return _verified(person_ids, KnowledgeItem.objects.visible_to(viewer))

    def evidence_for_members(self, person_ids: Sequence[int]) -> list[Evidence]:
        return _verified(person_ids, KnowledgeItem.objects.filter(visibility__in=READ_BY_EVERY_MEMBER))

    def people_on_topics(self, topic_ids: Sequence[int], viewer: Any) -> QuerySet[Any]:
        on_topics = ItemTopic.objects.filter(topic_id__in=topic_ids).values("knowledgeitem_id")
        items = KnowledgeItem.objects.visible_to(viewer).filter(pk__in=on_topics)
        return verifying_reviews(items).values("reviewer_id")


evidence.register(VerifiedEvidence())
