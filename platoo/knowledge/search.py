"""How knowledge items appear in the search index."""

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from platoo.lib.markdown import markdown_to_text
from platoo.lib.visibility import audience_of, audiences_of
from platoo.search.registry import IndexEntry, register

from .extensions import attach_badges
from .filters import ItemFilter
from .models import KnowledgeItem


class KnowledgeSearchAdapter:
    label = "knowledge"
    model = KnowledgeItem

    def entry(self, obj: KnowledgeItem) -> IndexEntry:
        keywords = [t.name for t in obj.tags.all()]
        keywords += [name for t in obj.topics.all() for name in (t.name_th, t.name_en)]
        body = [obj.summary, markdown_to_text(obj.body)]
        body += [text for _label, text in obj.kind_fields()]
        body += [a.extracted_text for a in obj.attachments.all()]
        return IndexEntry(
            title=obj.title,
            keywords=" ".join(keywords),
            body="\n".join(part for part in body if part),
            url=obj.get_absolute_url(),
            date=obj.created_at,
            audience=audience_of(obj.visibility, obj.organization_id),
        )

    def visible(self, user: Any) -> QuerySet[KnowledgeItem]:
        return KnowledgeItem.objects.visible_to(user)

    def audiences(self, user: Any) -> list[str]:
        return audiences_of(user)

    def granted(self, user: Any) -> QuerySet[KnowledgeItem] | None:
        return KnowledgeItem.objects.granted_to(user)

    def indexable(self) -> QuerySet[KnowledgeItem]:
        return KnowledgeItem.objects.prefetch_related("tags", "topics", "attachments")

    def narrow(self, queryset: QuerySet[KnowledgeItem], params: Mapping[str, str]) -> QuerySet[KnowledgeItem]:
        return ItemFilter.from_params(params).apply(queryset)

    def load(self, pks: list[int]) -> dict[int, KnowledgeItem]:
        items = KnowledgeItem.objects.filter(pk__in=pks).select_related("organization").prefetch_related("authors")
        return {item.pk: item for item in attach_badges(items)}


register(KnowledgeSearchAdapter())
