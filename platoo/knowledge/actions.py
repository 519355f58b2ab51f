"""Writes to knowledge items. Every change that matters goes through here, in one transaction."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from platoo.accounts.evidence import evidence_changed
from platoo.accounts.models import User
from platoo.activity import actions as activity
from platoo.activity.models import Verb
from platoo.lib.text import clean_labels, clean_line, clean_text
from platoo.lib.visibility import audience_of
from platoo.search.index import update_index

from .attachments import INLINE_EXTRACT_MAX_BYTES, validate_upload
from .models import (
    KIND_FIELDS,
    Attachment,
    Comment,
    ItemRelation,
    KnowledgeItem,
    RelationKind,
    Revision,
    Tag,
    TextStatus,
    Topic,
)
from .provenance import Capture
from .signals import item_edited
from .tasks import extract_attachment_text, save_extracted_text

MAX_TAG_LENGTH = 64
MAX_TAGS = 30

# The text fields a revision records and restores.
TEXT_FIELDS = ["kind", "title", "summary", "body", *sorted({f for fs in KIND_FIELDS.values() for f in fs})]
SNAPSHOT_FIELDS = [*TEXT_FIELDS, "license", "visibility", "organization_id"]


class EditConflict(Exception):
    """The item changed since the editor opened it; the caller offers a merge."""

    def __init__(self, item: KnowledgeItem, theirs: Revision | None) -> None:
        super().__init__(_("Someone else saved this item while you were editing it."))
        self.item = item
        self.theirs = theirs


@dataclass
class ItemData:
    """What an editor (form or API) submits for an item."""

    title: str
    kind: str = "story"
    summary: str = ""
    body: str = ""
    license: str = "cc-by-4.0"
    visibility: str = "network"
    organization_id: int | None = None
    topic_ids: Sequence[int] = ()
    tag_names: Sequence[str] = ()
    author_ids: Sequence[int] = ()
    extra: dict[str, str] = field(default_factory=dict)  # the kind's own fields (aar_*, bp_*)


def normalize_tags(names: Iterable[str]) -> list[str]:
    """Tags cleaned, de-duplicated in order, each checked for length."""
    return clean_labels(
        names,
        max_length=MAX_TAG_LENGTH,
        max_count=MAX_TAGS,
        too_long=_("A tag can be at most %(max)d characters; “%(start)s…” is %(length)d."),
        too_many=_("At most %(max)d tags, please."),
        strip="#",
    )


def _clean(data: ItemData) -> dict[str, Any]:
    title = clean_line(data.title)
    if not title:
        raise ValidationError({"title": _("The title cannot be empty or only spaces.")})
    values: dict[str, Any] = {
        "kind": data.kind,
        "title": title,
        "summary": clean_text(data.summary).strip(),
        "body": clean_text(data.body),
        "license": data.license,
        "visibility": data.visibility,
        "organization_id": data.organization_id,
    }
    allowed = set(KIND_FIELDS.get(data.kind, []))
    unknown = set(data.extra) - allowed
    if data.kind not in KIND_FIELDS:
        raise ValidationError({"kind": _("Unknown kind of knowledge: %(kind)s") % {"kind": data.kind}})
    if unknown:
        raise ValidationError(
            _("Fields %(fields)s do not belong to this kind.") % {"fields": ", ".join(sorted(unknown))}
        )
    for name in allowed:
        values[name] = clean_text(data.extra.get(name, "")).strip()
    return values


def _set_relations(item: KnowledgeItem, data: ItemData, actor: User) -> None:
    topics = list(Topic.objects.filter(pk__in=data.topic_ids))
    missing = set(data.topic_ids) - {t.pk for t in topics}
    if missing:
        raise ValidationError({"topics": _("Unknown topics: %(ids)s") % {"ids": ", ".join(map(str, sorted(missing)))}})
    item.topics.set(topics)
    tags = [Tag.objects.get_or_create(name=name)[0] for name in normalize_tags(data.tag_names)]
    item.tags.set(tags)
    authors = list(User.objects.filter(pk__in=data.author_ids, is_active=True)) or [actor]
    before = set(item.authors.values_list("pk", flat=True))
    item.authors.set(authors)
    # Authors' search entries carry the topics of what they wrote: the item's topics, visibility or
    # authors may have changed with this save.
    evidence_changed(before | {author.pk for author in authors})


def snapshot(item: KnowledgeItem) -> dict[str, Any]:
    data = {name: getattr(item, name) for name in SNAPSHOT_FIELDS}
    data["topic_ids"] = sorted(item.topics.values_list("pk", flat=True))
    data["tags"] = sorted(item.tags.values_list("name", flat=True))
    data["author_ids"] = sorted(item.authors.values_list("pk", flat=True))
    return data


def activity_target(item: KnowledgeItem) -> str:
    """The key of the item's feed entries (platoo.activity)."""
    return f"item:{item.pk}"


def _record_created(item: KnowledgeItem, actor: User) -> None:
    """The feed entry of a new item: about its authors and its topics (with the topics above them, as
    the list's topic filter includes sub-topics), read by the item's audience (none for a private draft)."""
    parents = dict(Topic.objects.values_list("pk", "parent_id"))
    topic_ids: list[int] = []
    for topic_id in item.topics.values_list("pk", flat=True):
        current: int | None = topic_id
        while current is not None and current not in topic_ids:
            topic_ids.append(current)
            current = parents.get(current)
    activity.record(
        actor,
        Verb.ITEM_CREATED,
        title=item.title,
        url=item.get_absolute_url(),
        audience=audience_of(item.visibility, item.organization_id),
        subjects=[
            *(f"person:{pk}" for pk in item.authors.values_list("pk", flat=True)),
            *(f"topic:{pk}" for pk in topic_ids),
        ],
        target=activity_target(item),
    )


def _sync_activity_audience(item: KnowledgeItem) -> None:
    """Who may read the item may have changed: its feed entries follow."""
    activity.set_audience(target=activity_target(item), audience=audience_of(item.visibility, item.organization_id))


def _record_revision(item: KnowledgeItem, actor: User, message: str) -> Revision:
    return Revision.objects.create(
        item=item, number=item.version, author=actor, message=clean_line(message)[:250], data=snapshot(item)
    )


@transaction.atomic
def do_create_item(
    actor: User,
    data: ItemData,
    message: str = "",
    idempotency_key: str = "",
    capture: Capture | None = None,
    links: Sequence[tuple[KnowledgeItem, str]] = (),
) -> KnowledgeItem:
    """Create an item. With an idempotency key, a repeated call returns the item the first one made.

    With a capture (knowledge captured from a meeting, a reply, an event), the item is linked to its
    source in the same transaction; so it is to each (existing item, RelationKind) of `links` (the
    similar knowledge the writer chose to link to instead of merging).
    """
    if not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied
    key = idempotency_key.strip()[:64]
    if key and (existing := KnowledgeItem.objects.filter(created_by=actor, creation_key=key).first()):
        return existing
    values = _clean(data)
    if values["organization_id"] is None:
        values["organization_id"] = actor.organization_id
    try:
        with transaction.atomic():
            item = KnowledgeItem.objects.create(created_by=actor, creation_key=key, **values)
    except IntegrityError:
        if not key:
            raise
        # A concurrent submit with the same key committed first.
        return KnowledgeItem.objects.get(created_by=actor, creation_key=key)
    _set_relations(item, data, actor)
    _record_revision(item, actor, message or _("Created"))
    if capture is not None:
        capture.attach(actor, item)
    for target, kind in links:
        do_link_items(actor, item, target, kind)
    _record_created(item, actor)
    update_index(item)
    return item


@transaction.atomic
def do_update_item(
    actor: User, item: KnowledgeItem, data: ItemData, base_version: int, message: str = ""
) -> KnowledgeItem:
    """Save an edit made from `base_version`; refused with EditConflict if someone saved since."""
    if not item.can_edit(actor):
        raise PermissionDenied
    values = _clean(data)
    values["updated_at"] = timezone.now()
    # The version check and bump happen in one UPDATE, so two concurrent saves cannot both win.
    updated = KnowledgeItem.objects.filter(pk=item.pk, version=base_version).update(version=F("version") + 1, **values)
    if not updated:
        item.refresh_from_db()
        raise EditConflict(item, item.revisions.first())
    item.refresh_from_db()
    _set_relations(item, data, actor)
    _record_revision(item, actor, message)
    _sync_activity_audience(item)
    item_edited.send(KnowledgeItem, item=item, actor=actor)
    update_index(item)
    return item


def data_from_revision(revision: Revision) -> ItemData:
    snap = revision.data
    kind = snap["kind"]
    return ItemData(
        title=snap["title"],
        kind=kind,
        summary=snap["summary"],
        body=snap["body"],
        license=snap["license"],
        visibility=snap["visibility"],
        organization_id=snap["organization_id"],
        topic_ids=snap["topic_ids"],
        tag_names=snap["tags"],
        author_ids=snap["author_ids"],
        extra={name: snap.get(name, "") for name in KIND_FIELDS[kind]},
    )


def do_restore_revision(actor: User, item: KnowledgeItem, revision: Revision) -> KnowledgeItem:
    """Restoring is a new save with the old content, so history only ever grows."""
    if revision.item_id != item.pk:
        raise ValidationError(_("That revision belongs to another item."))
    return do_update_item(
        actor,
        item,
        data_from_revision(revision),
        base_version=item.version,
        message=_("Restored revision %(number)d") % {"number": revision.number},
    )


@transaction.atomic
def do_record_admin_edit(actor: User, item: KnowledgeItem, created: bool) -> Revision:
    """The admin saves items itself; this keeps history and the index in step afterwards."""
    if not created:
        KnowledgeItem.objects.filter(pk=item.pk).update(version=F("version") + 1, updated_at=timezone.now())
        item.refresh_from_db(fields=["version", "updated_at"])
    revision = _record_revision(item, actor, _("Created in the admin") if created else _("Edited in the admin"))
    _sync_activity_audience(item)
    if not created:
        item_edited.send(KnowledgeItem, item=item, actor=actor)
    update_index(item)
    evidence_changed(item.authors.values_list("pk", flat=True))
    return revision


def _delete_files_on_commit(names: list[str]) -> None:
    """Stored files go only once the rows are really gone (a rolled-back delete keeps them)."""

    def delete() -> None:
        for name in names:
            default_storage.delete(name)

    transaction.on_commit(delete)


MAX_CITATIONS_NAMED = 5


def citations(protected: Iterable[Any]) -> list[str]:
    """What keeps an item from being deleted, in words: each row that cites it (a manual's section, a
    synthesis, an application...) names itself with `citation()` when it has one (the apps above knowledge
    define it), or by its kind and name."""
    names: dict[str, None] = {}
    for row in protected:
        cite = getattr(row, "citation", None)
        names[str(cite() if callable(cite) else f"{row._meta.verbose_name} “{row}”")] = None
    return list(names)


def _refusal(protected: Iterable[Any]) -> ValidationError:
    names = citations(protected)
    shown = ", ".join(names[:MAX_CITATIONS_NAMED])
    if len(names) > MAX_CITATIONS_NAMED:
        shown += " " + _("and %(count)d more") % {"count": len(names) - MAX_CITATIONS_NAMED}
    return ValidationError(
        _("This item cannot be deleted while it is cited by %(cited_by)s. Remove it there first, or archive it.")
        % {"cited_by": shown},
        code="cited",
    )


@transaction.atomic
def do_delete_item(actor: User, item: KnowledgeItem) -> None:
    """Delete an item; refused (ValidationError naming them) while manuals, syntheses or other records
    that must keep it cite it (their foreign keys PROTECT it)."""
    if not item.can_delete(actor):
        raise PermissionDenied
    _delete_files_on_commit([a.file.name for a in item.attachments.all() if a.file.name])
    evidence_changed(item.authors.values_list("pk", flat=True))
    try:
        with transaction.atomic():
            item.delete()  # the search index and the feed follow through their post_delete handlers
    except ProtectedError as exc:
        raise _refusal(exc.protected_objects) from exc


@transaction.atomic
def do_add_attachment(actor: User, item: KnowledgeItem, upload: File) -> Attachment:
    """Attach a file after checking its size and real type; its text is read now or in the background.

    Raises ValidationError (too big, not an accepted type, extension that lies about the content).
    An accepted file whose text cannot be read is kept, with text_status FAILED.
    """
    if not item.can_edit(actor):
        raise PermissionDenied
    kind = validate_upload(upload)
    name = clean_line(PurePath(upload.name or "").name)[:255] or "file"
    attachment = Attachment(
        item=item,
        original_name=name,
        content_type=kind.content_type,
        size=upload.size or 0,
        uploaded_by=actor,
        text_status=TextStatus.PENDING if kind.has_text else TextStatus.NONE,
    )
    upload.seek(0)
    attachment.file.save(name, upload, save=False)
    attachment.save()
    if kind.has_text:
        if attachment.size <= INLINE_EXTRACT_MAX_BYTES:
            upload.seek(0)
            save_extracted_text(attachment, upload.read())
        else:
            pk = attachment.pk
            transaction.on_commit(lambda: extract_attachment_text.enqueue(pk))
    return attachment


@transaction.atomic
def do_remove_attachment(actor: User, attachment: Attachment) -> None:
    if not attachment.item.can_edit(actor):
        raise PermissionDenied
    _delete_files_on_commit([attachment.file.name] if attachment.file.name else [])
    item = attachment.item
    attachment.delete()
    update_index(item)


@transaction.atomic
def do_add_comment(actor: User, item: KnowledgeItem, body: str) -> Comment:
    if not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied
    if not KnowledgeItem.objects.visible_to(actor).filter(pk=item.pk).exists():
        raise PermissionDenied
    text = clean_text(body).strip()
    if not text:
        raise ValidationError({"body": _("The comment is empty.")})
    return Comment.objects.create(item=item, author=actor, body=text)


def record_view(item: KnowledgeItem, viewer: Any) -> None:
    """Count a view, unless the viewer is one of the authors."""
    if viewer.is_authenticated and item.is_author(viewer):
        return
    KnowledgeItem.objects.filter(pk=item.pk).update(view_count=F("view_count") + 1)


@transaction.atomic
def do_link_items(actor: User, from_item: KnowledgeItem, to_item: KnowledgeItem, kind: str) -> ItemRelation:
    """Record that `from_item` relates to (or repeats) `to_item`: by someone who may edit the first and
    read the second. Linking the same two items again keeps the first record."""
    if not from_item.can_edit(actor):
        raise PermissionDenied
    if not KnowledgeItem.objects.visible_to(actor).filter(pk=to_item.pk).exists():
        raise PermissionDenied
    if from_item.pk == to_item.pk:
        raise ValidationError(_("An item cannot be linked to itself."))
    if kind not in RelationKind.values:
        raise ValidationError(_("Unknown kind of link: %(kind)s") % {"kind": kind})
    relation, _created = ItemRelation.objects.get_or_create(
        from_item=from_item, to_item=to_item, defaults={"kind": kind, "created_by": actor}
    )
    return relation
