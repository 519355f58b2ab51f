"""Keeping the index in step with the data.

Writes are queued with transaction.on_commit and read the committed object back through its
adapter, so a rolled-back save never reaches the index and M2M changes made after the save
(tags, topics) are seen. Each document keeps its audience (who reads it wholesale), so a save that
changes visibility re-indexes it like any other change; visible() still decides every other case.
"""

from collections.abc import Iterable
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

from . import registry
from .backends import Prepared, backend
from .models import SearchDocument


def update_index(obj: Any) -> None:
    """Re-index `obj` once the current transaction commits (or remove it, if it should not be indexed)."""
    adapter = registry.adapter_for(obj)
    if adapter is not None:
        _once(("sync", adapter.label, obj.pk), partial(_sync, adapter, obj.pk))


def remove_from_index(obj: Any) -> None:
    """Remove `obj` from the index once the current transaction commits."""
    adapter = registry.adapter_for(obj)
    if adapter is not None:
        _once(("remove", adapter.label, obj.pk), partial(_remove, adapter.label, [obj.pk]))


class _Job:
    """An index write waiting for commit; `key` says which, so the same write is not queued twice."""

    def __init__(self, key: tuple[str, str, int], work: partial[None]) -> None:
        self.key, self.work, self.done = key, work, False

    def __call__(self) -> None:
        self.done = True
        self.work()


def _once(key: tuple[str, str, int], work: partial[None]) -> None:
    """Queue `work` for commit unless the same write is already waiting (a save signal and the action
    that made the save both ask). Django drops the jobs of rolled-back savepoints itself."""
    conn = transaction.get_connection()
    waiting = (job for _, job, _ in conn.run_on_commit if isinstance(job, _Job) and not job.done)
    if conn.in_atomic_block and any(job.key == key for job in waiting):
        return
    transaction.on_commit(_Job(key, work))


def _sync(adapter: registry.SearchAdapter, pk: int) -> None:
    obj = adapter.indexable().filter(pk=pk).first()
    entry = adapter.entry(obj) if obj is not None else None
    if entry is None:
        _remove(adapter.label, [pk])
    else:
        write_entries(adapter.label, [(pk, entry)])


def write_entries(label: str, entries: Iterable[tuple[int, registry.IndexEntry]]) -> None:
    """Store entries of one type, replacing what the index held for those objects."""
    entries = list(entries)
    if not entries:
        return
    prepared = [(pk, entry, Prepared.from_entry(entry)) for pk, entry in entries]
    with transaction.atomic():
        existing = dict(
            SearchDocument.objects.filter(label=label, object_id__in=[pk for pk, _ in entries]).values_list(
                "object_id", "id"
            )
        )
        docs = [
            SearchDocument(
                id=existing.get(pk),
                label=label,
                object_id=pk,
                title=p.shown_title,
                keywords=entry.keywords,
                body=p.shown_body,
                url=entry.url,
                date=entry.date,
                audience=entry.audience,
            )
            for pk, entry, p in prepared
        ]
        SearchDocument.objects.bulk_update(
            [d for d in docs if d.id], ["title", "keywords", "body", "url", "date", "audience"]
        )
        SearchDocument.objects.bulk_create([d for d in docs if not d.id])
        backend().write((doc.id, p) for doc, (_, _, p) in zip(docs, prepared, strict=True))


def _remove(label: str, pks: list[int]) -> None:
    with transaction.atomic():
        doc_ids = list(SearchDocument.objects.filter(label=label, object_id__in=pks).values_list("id", flat=True))
        if doc_ids:
            backend().delete(doc_ids)
            SearchDocument.objects.filter(id__in=doc_ids).delete()


def clear_index() -> None:
    with transaction.atomic():
        backend().clear()
        SearchDocument.objects.all().delete()


def _on_save(sender: type[Model], instance: Model, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        update_index(instance)


def _on_delete(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    remove_from_index(instance)


def follow(adapter: registry.SearchAdapter) -> None:
    """Follow saves and deletes of a registered model.

    M2M changes send no post_save: the actions that make them call update_index themselves.
    """
    post_save.connect(_on_save, sender=adapter.model, dispatch_uid=f"search-save-{adapter.label}")
    post_delete.connect(_on_delete, sender=adapter.model, dispatch_uid=f"search-delete-{adapter.label}")
