"""How communities of practice, their discussions and their meetings appear in the search index.

A public or closed CoP is seen by anyone, so its entry reads to the public audience; a secret one reads
to its members' audience ("community:<id>") and, beyond it, to those invited. Discussions and meetings
read to their community's content audience (the network for a public CoP, its members for a closed or
secret one), exactly as Thread/Meeting.objects.visible_to decide.

Saves of the three models are followed by the search app. The signals below (kept for indexing only)
follow the saves that change what someone else's entry holds: a reply (its thread's text), an agenda
point (its meeting's text and its presenter's shown topics), a meeting (its presenters: held or
cancelled), a community's visibility (the audience of all its content) and its topics.
"""

from collections.abc import Mapping
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from platoo.accounts.evidence import evidence_changed
from platoo.accounts.search import KNOWLEDGE_ONLY_FILTERS
from platoo.lib.markdown import markdown_to_text
from platoo.lib.visibility import PUBLIC_AUDIENCE, audiences_of, community_audience
from platoo.search.index import update_index, write_entries
from platoo.search.models import SearchDocument
from platoo.search.registry import IndexEntry, SearchAdapter, register

from .models import AgendaItem, Community, CommunityVisibility, Meeting, Membership, Reply, Thread


def _involving(params: Mapping[str, str]) -> QuerySet[Community] | None:
    """The communities involving the organization the search page's filter names; None without one."""
    org = (params.get("org") or "").strip()
    return Community.objects.filter(organizations__code=org) if org else None


def _excluded(params: Mapping[str, str]) -> bool:
    return any((params.get(name) or "").strip() for name in KNOWLEDGE_ONLY_FILTERS)


def _is_active_superuser(user: Any) -> bool:
    return user is not None and user.is_authenticated and user.is_active and user.is_superuser


class CommunitySearchAdapter:
    label = "community"
    model = Community

    def entry(self, obj: Community) -> IndexEntry:
        keywords = [obj.domain, *(name for t in obj.topics.all() for name in (t.name_th, t.name_en))]
        secret = obj.visibility == CommunityVisibility.SECRET
        return IndexEntry(
            title=obj.name,
            keywords=" ".join(keywords),
            body=markdown_to_text(obj.purpose),
            url=obj.get_absolute_url(),
            date=obj.created_at,
            audience=community_audience(obj.pk) if secret else PUBLIC_AUDIENCE,
        )

    def visible(self, user: Any) -> QuerySet[Community]:
        return Community.objects.visible_to(user)

    def audiences(self, user: Any) -> list[str]:
        # Open communities are seen even by accounts that read nothing else (deactivated ones).
        return list(dict.fromkeys([PUBLIC_AUDIENCE, *audiences_of(user)]))

    def granted(self, user: Any) -> QuerySet[Community] | None:
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if user.is_superuser:
            return Community.objects.all()
        # Invited to a secret CoP: they see it before they hold its members' audience.
        invited = Membership.objects.filter(user=user, status=Membership.Status.INVITED).values("community_id")
        return Community.objects.filter(pk__in=invited, visibility=CommunityVisibility.SECRET)

    def indexable(self) -> QuerySet[Community]:
        return Community.objects.prefetch_related("topics")

    def narrow(self, queryset: QuerySet[Community], params: Mapping[str, str]) -> QuerySet[Community] | None:
        if _excluded(params):
            return None
        involving = _involving(params)
        return queryset.filter(pk__in=involving.values("pk")) if involving is not None else queryset

    def load(self, pks: list[int]) -> dict[int, Community]:
        return Community.objects.in_bulk(pks)


class ContentSearchAdapter:
    """What discussions and meetings share: their community decides who reads them."""

    model: Any

    def visible(self, user: Any) -> QuerySet[Any]:
        return self.model.objects.visible_to(user)

    def audiences(self, user: Any) -> list[str]:
        return audiences_of(user)

    def granted(self, user: Any) -> QuerySet[Any] | None:
        return self.model.objects.all() if _is_active_superuser(user) else None

    def narrow(self, queryset: QuerySet[Any], params: Mapping[str, str]) -> QuerySet[Any] | None:
        if _excluded(params):
            return None
        involving = _involving(params)
        return queryset.filter(community__in=involving) if involving is not None else queryset

    def load(self, pks: list[int]) -> dict[int, Any]:
        return {obj.pk: obj for obj in self.model.objects.filter(pk__in=pks).select_related("community")}


class ThreadSearchAdapter(ContentSearchAdapter):
    label = "thread"
    model = Thread

    def entry(self, obj: Thread) -> IndexEntry:
        texts = [obj.body, *(reply.body for reply in obj.replies.all())]
        return IndexEntry(
            title=obj.title,
            keywords="",
            body="\n".join(markdown_to_text(text) for text in texts if text),
            url=obj.get_absolute_url(),
            date=obj.created_at,
            audience=obj.community.content_audience,
        )

    def indexable(self) -> QuerySet[Thread]:
        return Thread.objects.select_related("community").prefetch_related("replies")


class MeetingSearchAdapter(ContentSearchAdapter):
    label = "meeting"
    model = Meeting

    def entry(self, obj: Meeting) -> IndexEntry:
        texts = [
            obj.agenda,
            *(point.title for point in obj.agenda_items.all()),
            obj.minutes,
            obj.aar_expected,
            obj.aar_happened,
            obj.aar_difference,
            obj.aar_next_time,
        ]
        return IndexEntry(
            title=obj.title,
            keywords=obj.place,
            body="\n".join(markdown_to_text(text) for text in texts if text),
            url=obj.get_absolute_url(),
            date=obj.starts_at,
            audience=obj.community.content_audience,
        )

    def indexable(self) -> QuerySet[Meeting]:
        return Meeting.objects.select_related("community").prefetch_related("agenda_items")


threads = ThreadSearchAdapter()
meetings = MeetingSearchAdapter()
register(CommunitySearchAdapter())
register(threads)
register(meetings)


def _presenters(meetings: QuerySet[Meeting]) -> list[int | None]:
    return list(AgendaItem.objects.filter(meeting__in=meetings).values_list("presenter_id", flat=True))


def _reply_changed(sender: type[Model], instance: Reply, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        update_index(Thread(pk=instance.thread_id))  # read back at commit: the key is all it needs


def _agenda_point_saving(sender: type[Model], instance: AgendaItem, raw: bool = False, **kwargs: Any) -> None:
    # Whoever presented it before this save loses the evidence if the presenter changes.
    if not raw and instance.pk:
        instance._presenter_before = (  # type: ignore[attr-defined]
            AgendaItem.objects.filter(pk=instance.pk).values_list("presenter_id", flat=True).first()
        )


def _agenda_point_changed(sender: type[Model], instance: AgendaItem, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    update_index(Meeting(pk=instance.meeting_id))
    evidence_changed([instance.presenter_id, getattr(instance, "_presenter_before", None)])


def _meeting_saved(sender: type[Model], instance: Meeting, raw: bool = False, **kwargs: Any) -> None:
    # A retitled, moved or cancelled meeting, or one now held, changes its presenters' evidence.
    if not raw:
        evidence_changed(_presenters(Meeting.objects.filter(pk=instance.pk)))


def _reindex_content(community_id: int) -> None:
    content: tuple[SearchAdapter, ...] = (threads, meetings)
    for adapter in content:
        objects = adapter.indexable().filter(community_id=community_id)
        write_entries(adapter.label, [(obj.pk, entry) for obj in objects if (entry := adapter.entry(obj))])


def _community_saved(
    sender: type[Model], instance: Community, created: bool = False, raw: bool = False, **kwargs: Any
) -> None:
    """A change of visibility changes who reads every discussion and meeting of the community; the
    audience their entries hold says whether it did."""
    if raw or created:
        return
    content = Q(label=threads.label, object_id__in=Thread.objects.filter(community=instance).values("pk"))
    content |= Q(label=meetings.label, object_id__in=Meeting.objects.filter(community=instance).values("pk"))
    if SearchDocument.objects.filter(content).exclude(audience=instance.content_audience).exists():
        transaction.on_commit(partial(_reindex_content, instance.pk))
        # A public CoP's presentations are in their presenters' entries, read by every member.
        evidence_changed(_presenters(Meeting.objects.filter(community=instance)))


def _community_topics_changed(
    sender: type[Model], instance: Model, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: Any
) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    community_ids = (pk_set or set()) if reverse else {instance.pk}
    for pk in community_ids:
        update_index(Community(pk=pk))
    evidence_changed(_presenters(Meeting.objects.filter(community_id__in=community_ids)))


post_save.connect(_reply_changed, sender=Reply, dispatch_uid="search-reply-save")
post_delete.connect(_reply_changed, sender=Reply, dispatch_uid="search-reply-delete")
pre_save.connect(_agenda_point_saving, sender=AgendaItem, dispatch_uid="search-agenda-point-saving")
post_save.connect(_agenda_point_changed, sender=AgendaItem, dispatch_uid="search-agenda-point-save")
post_delete.connect(_agenda_point_changed, sender=AgendaItem, dispatch_uid="search-agenda-point-delete")
post_save.connect(_meeting_saved, sender=Meeting, dispatch_uid="search-meeting-presenters")
post_save.connect(_community_saved, sender=Community, dispatch_uid="search-community-content")
m2m_changed.connect(_community_topics_changed, sender=Community.topics.through, dispatch_uid="search-community-topics")
