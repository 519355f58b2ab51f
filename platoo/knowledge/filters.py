"""One filter for knowledge items, used by the list page, search and the API."""

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import QuerySet

from platoo.lib.dates import to_ce_year

from .models import Kind, KnowledgeItem, Topic


@dataclass(frozen=True)
class ItemFilter:
    kind: str = ""
    topic: str = ""  # topic slug; includes its sub-topics
    tag: str = ""
    organization: str = ""  # organization code
    year: int | None = None  # พ.ศ. or ค.ศ.: 2400 and later is read as พ.ศ.

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> "ItemFilter":
        """Read filters from a query string; values that make no sense are dropped, not errors."""
        kind = params.get("kind", "")
        year_text = (params.get("year") or "").strip()
        year = int(year_text) if year_text.isdigit() and len(year_text) == 4 else None
        return cls(
            kind=kind if kind in Kind.values else "",
            topic=(params.get("topic") or "").strip()[:80],
            tag=(params.get("tag") or "").strip()[:64],
            organization=(params.get("org") or "").strip()[:32],
            year=year,
        )

    @property
    def active(self) -> bool:
        return any([self.kind, self.topic, self.tag, self.organization, self.year])

    def apply(self, queryset: QuerySet[KnowledgeItem]) -> QuerySet[KnowledgeItem]:
        if self.kind:
            queryset = queryset.filter(kind=self.kind)
        if self.topic:
            topic = Topic.objects.filter(slug=self.topic).first()
            if topic is None:
                return queryset.none()
            queryset = queryset.filter(
                pk__in=KnowledgeItem.objects.filter(topics__in=topic.descendant_ids()).values("pk")
            )
        if self.tag:
            queryset = queryset.filter(tags__name=self.tag)
        if self.organization:
            queryset = queryset.filter(organization__code=self.organization)
        if self.year:
            queryset = queryset.filter(created_at__year=to_ce_year(self.year))
        return queryset
