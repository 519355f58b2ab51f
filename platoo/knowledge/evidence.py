"""What knowledge tells the people directory: the items a person wrote, on their topics, and the taxonomy."""

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from platoo.accounts.evidence import Evidence, EvidenceKind, ShownTopic, register, register_topics
from platoo.lib.visibility import Visibility

from .forms import indented, topic_tree
from .models import KnowledgeItem, Topic

Authorship = KnowledgeItem.authors.through
ItemTopic = KnowledgeItem.topics.through

# What every active member reads, whoever they are (KnowledgeItem.objects.visible_to).
READ_BY_EVERY_MEMBER = (Visibility.PUBLIC, Visibility.NETWORK)


def shown_topic(topic: Topic) -> ShownTopic:
    return ShownTopic(topic.pk, topic.slug, topic.name_th, topic.name_en)


def _written(person_ids: Sequence[int], items: QuerySet[KnowledgeItem]) -> list[Evidence]:
    """Evidence of the `items` these people are authors of: one query for the items, one for their topics."""
    authored = Authorship.objects.filter(user_id__in=person_ids, knowledgeitem__in=items)
    rows = list(
        authored.values_list("user_id", "knowledgeitem_id", "knowledgeitem__title", "knowledgeitem__created_at")
    )
    if not rows:
        return []
    topics: dict[int, list[ShownTopic]] = defaultdict(list)
    item_topics = ItemTopic.objects.filter(knowledgeitem_id__in=authored.values("knowledgeitem_id"))
    for row in item_topics.select_related("topic").order_by("topic__position", "topic__name_th"):
        topics[row.knowledgeitem_id].append(shown_topic(row.topic))
    return [
        Evidence(
            person_id=person_id,
            kind=EvidenceKind.WROTE,
            title=title,
            url=reverse("knowledge:detail", args=[item_id]),
            date=created_at,
            topics=tuple(topics[item_id]),
        )
        for person_id, item_id, title, created_at in rows
    ]


class WrittenEvidence:
    kind: str = EvidenceKind.WROTE

    def evidence(self, person_ids: Sequence[int], viewer: Any) -> list[Evidence]:
        return _written(person_ids, KnowledgeItem.objects.visible_to(viewer))

    def evidence_for_members(self, person_ids: Sequence[int]) -> list[Evidence]:
        return _written(person_ids, KnowledgeItem.objects.filter(visibility__in=READ_BY_EVERY_MEMBER))

    def people_on_topics(self, topic_ids: Sequence[int], viewer: Any) -> QuerySet[Any]:
        on_topics = ItemTopic.objects.filter(topic_id__in=topic_ids).values("knowledgeitem_id")
        items = KnowledgeItem.objects.visible_to(viewer).filter(pk__in=on_topics)
        return Authorship.objects.filter(knowledgeitem__in=items).values("user_id")


class Taxonomy:
    def choices(self) -> list[tuple[str, str]]:
        return [(node.topic.slug, indented(node)) for node in topic_tree(Topic.objects.all())]

    def subtree(self, slug: str) -> tuple[ShownTopic, list[int]] | None:
        topic = Topic.objects.filter(slug=slug).first()
        return (shown_topic(topic), topic.descendant_ids()) if topic else None


register(WrittenEvidence())
register_topics(Taxonomy())
