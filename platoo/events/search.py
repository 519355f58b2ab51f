"""How published events appear in the search index (drafts are never indexed).

An event reads to the audience its visibility names (public, the network, or its host organization's
people), exactly as Event.objects.published_to decides; superusers are granted every one.
"""

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.utils import translation

from platoo.accounts.search import KNOWLEDGE_ONLY_FILTERS
from platoo.lib.markdown import markdown_to_text
from platoo.lib.visibility import audience_of, audiences_of
from platoo.search.registry import IndexEntry, register

from .models import Event, EventKind, EventStatus


def _kind_names(kind: str) -> list[str]:
    """The kind of event in both languages, so "เหย้าเยือน" and "visit" both find a visit."""
    names = []
    for language in ("th", "en"):
        with translation.override(language):
            names.append(str(EventKind(kind).label))
    return names


class EventSearchAdapter:
    label = "event"
    model = Event

    def entry(self, obj: Event) -> IndexEntry | None:
        if obj.status == EventStatus.DRAFT:
            return None
        keywords = [*_kind_names(obj.kind), *(name for t in obj.topics.all() for name in (t.name_th, t.name_en))]
        if obj.host is not None:
            keywords += [obj.host.name_th, obj.host.name_en]
        body = [markdown_to_text(obj.description), obj.place]
        for session in obj.sessions.all():
            body += [session.title, session.guest_speakers, *(p.display_name for p in session.speakers.all())]
        return IndexEntry(
            title=obj.title,
            keywords=" ".join(k for k in keywords if k),
            body="\n".join(part for part in body if part),
            url=obj.get_absolute_url(),
            date=obj.starts_at,
            audience=audience_of(obj.visibility, obj.host_id),
        )

    def visible(self, user: Any) -> QuerySet[Event]:
        return Event.objects.published_to(user)

    def audiences(self, user: Any) -> list[str]:
        return audiences_of(user)

    def granted(self, user: Any) -> QuerySet[Event] | None:
        if user is not None and user.is_authenticated and user.is_active and user.is_superuser:
            return Event.objects.exclude(status=EventStatus.DRAFT)
        return None

    def indexable(self) -> QuerySet[Event]:
        return Event.objects.select_related("host").prefetch_related("topics", "sessions__speakers")

    def narrow(self, queryset: QuerySet[Event], params: Mapping[str, str]) -> QuerySet[Event] | None:
        if any((params.get(name) or "").strip() for name in KNOWLEDGE_ONLY_FILTERS):
            return None
        org = (params.get("org") or "").strip()
        return queryset.filter(host__code=org) if org else queryset

    def load(self, pks: list[int]) -> dict[int, Event]:
        return {e.pk: e for e in Event.objects.filter(pk__in=pks).select_related("host")}


register(EventSearchAdapter())
