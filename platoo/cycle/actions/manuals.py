"""Manuals and curricula: the brain trust edits a draft, then releases it, frozen and numbered.

Every write to a draft names the draft's version it started from; one UPDATE checks and bumps it
(Manual.version), so of two editors the second is told (StaleDraft) and what they typed is kept by the
page. A release freezes the whole content (texts of the knowledge items included) into Release.content;
its PDF and EPUB are built in the background once the release commits (platoo/cycle/tasks.py).
"""

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from platoo.accounts.models import User
from platoo.knowledge.models import KnowledgeItem
from platoo.lib.text import clean_line, clean_text
from platoo.lib.visibility import Visibility

from ..access import is_expert, is_hub, panels_of
from ..models import (
    MANUAL_VISIBILITIES,
    BuildStatus,
    CriticalKnowledge,
    Manual,
    ManualKind,
    Panel,
    Release,
    Section,
    SectionItem,
    Stage,
)

CONTENT_SCHEMA = 1
MAX_SECTIONS = 2000
MAX_ITEMS_PER_SECTION = 50
MAX_DURATION_MINUTES = 60 * 24 * 10
# The stages a manual may draw on: the work standards (the issue: "assembled from standardized knowledge").
USABLE_STAGES = frozenset({Stage.STANDARDIZED})


class StaleDraft(Exception):
    """Someone saved the draft since the editor opened it; nothing was written."""

    def __init__(self, manual: Manual) -> None:
        super().__init__(
            _(
                "Someone else changed this draft while you were editing it. Nothing you typed is lost: check the draft, then save again."
            )
        )
        self.manual = manual


# Who may do what ---------------------------------------------------------------------------------------


def can_edit(user: Any, manual: Manual) -> bool:
    """The brain trust (the members of the manual's panel) and the hub edit the draft and release it."""
    return bool(user is not None and user.is_authenticated and user.is_active) and (
        is_hub(user) or manual.panel.is_member(user)
    )


def can_create(user: Any) -> bool:
    return is_hub(user) or is_expert(user)


def panels_for_new_manual(user: Any) -> QuerySet[Panel]:
    """The brain trusts `user` may start a manual for: every panel for the hub, their own for an expert."""
    return Panel.objects.all() if is_hub(user) else panels_of(user)


def can_read(user: Any, manual: Manual) -> bool:
    """Who reads a manual's releases: everyone for a public one, signed-in members for a network one; its
    editors always."""
    if manual.visibility == Visibility.PUBLIC:
        return True
    signed_in = bool(user is not None and user.is_authenticated and user.is_active)
    return signed_in or can_edit(user, manual)


def readable_manuals(user: Any) -> QuerySet[Manual]:
    """The doorway for listing manuals: what `user` may read (see can_read)."""
    manuals = Manual.objects.all()
    if user is None or not user.is_authenticated or not user.is_active:
        return manuals.filter(visibility=Visibility.PUBLIC)
    return manuals


def audience_visibilities(manual_visibility: str) -> set[str]:
    """The item visibilities a manual's audience reads: public → public items; network → public and
    network items. The PDF and EPUB carry only those."""
    if manual_visibility == Visibility.PUBLIC:
        return {Visibility.PUBLIC}
    return {Visibility.PUBLIC, Visibility.NETWORK}


def _require_editor(actor: Any, manual: Manual) -> None:
    if not can_edit(actor, manual):
        raise PermissionDenied(_("Only the manual's brain trust and the network's hub edit it."))


def _bump(manual: Manual, base_version: int, **values: Any) -> None:
    """Check the draft is still at `base_version` and move it on, in one UPDATE."""
    values["updated_at"] = timezone.now()
    updated = Manual.objects.filter(pk=manual.pk, version=base_version).update(version=F("version") + 1, **values)
    manual.refresh_from_db()
    if not updated:
        raise StaleDraft(manual)


# The manual itself -------------------------------------------------------------------------------------


@dataclass
class ManualData:
    title: str
    panel_id: int | None = None
    kind: str = ManualKind.MANUAL
    visibility: str = Visibility.NETWORK
    front_matter: str = ""
    outcomes: str = ""


def _clean_manual(actor: Any, data: ManualData, manual: Manual | None) -> dict[str, Any]:
    errors: dict[str, str] = {}
    title = clean_line(data.title)[:250]
    if not title:
        errors["title"] = _("Give the manual a title.")
    if data.kind not in ManualKind.values:
        errors["kind"] = _("Choose from the list.")
    if data.visibility not in dict(MANUAL_VISIBILITIES):
        errors["visibility"] = _("A manual is read by everyone or by the network's members.")
    values: dict[str, Any] = {
        "title": title,
        "kind": data.kind,
        "visibility": data.visibility,
        "front_matter": clean_text(data.front_matter).strip(),
        "outcomes": "\n".join(line for line in (clean_line(x) for x in clean_text(data.outcomes).splitlines()) if line),
    }
    if manual is None:
        panel = panels_for_new_manual(actor).filter(pk=data.panel_id).first() if data.panel_id else None
        if panel is None:
            errors["panel"] = _("Choose the brain trust that looks after this manual (one you sit on).")
        values["panel"] = panel
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def do_create_manual(actor: User, data: ManualData) -> Manual:
    if not can_create(actor):
        raise PermissionDenied(_("Only a brain trust's experts and the network's hub start manuals."))
    values = _clean_manual(actor, data, None)
    return Manual.objects.create(created_by=actor, **values)


@transaction.atomic
def do_update_manual(actor: User, manual: Manual, data: ManualData, base_version: int) -> Manual:
    _require_editor(actor, manual)
    values = _clean_manual(actor, data, manual)
    _bump(manual, base_version, **values)
    return manual


# Sections ----------------------------------------------------------------------------------------------


@dataclass
class SectionData:
    title: str
    body: str = ""
    parent_id: int | None = None
    duration_minutes: int | None = None
    item_ids: Sequence[int] = field(default_factory=list)


def usable_items(user: Any, manual: Manual) -> QuerySet[KnowledgeItem]:
    """What a section may use: standardized critical knowledge that `user` may read, the manual's own
    topic's first (the view orders them so)."""
    standardized = CriticalKnowledge.objects.filter(stage__in=USABLE_STAGES).values("item_id")
    return KnowledgeItem.objects.visible_to(user).filter(pk__in=standardized)


def _clean_items(actor: User, manual: Manual, item_ids: Sequence[int]) -> list[int]:
    ids = list(dict.fromkeys(int(pk) for pk in item_ids))
    if len(ids) > MAX_ITEMS_PER_SECTION:
        raise ValidationError({"items": _("A section uses at most %(max)d items.") % {"max": MAX_ITEMS_PER_SECTION}})
    readable = dict(KnowledgeItem.objects.visible_to(actor).filter(pk__in=ids).values_list("pk", "title"))
    missing = [pk for pk in ids if pk not in readable]
    if missing:
        raise ValidationError(
            {
                "items": _("There is no knowledge item numbered %(numbers)s that you can read.")
                % {"numbers": ", ".join(str(pk) for pk in missing)}
            }
        )
    stages = dict(CriticalKnowledge.objects.filter(item_id__in=ids).values_list("item_id", "stage"))
    not_standard = [pk for pk in ids if stages.get(pk) not in USABLE_STAGES]
    if not_standard:
        names = ", ".join(
            _("“%(title)s” (%(stage)s)")
            % {
                "title": readable[pk],
                "stage": Stage(stages[pk]).label if pk in stages else _("not critical knowledge"),
            }
            for pk in not_standard
        )
        raise ValidationError(
            {
                "items": _(
                    "A manual is built from work standards: %(items)s has not been raised into a standard yet. "
                    "Ask the panel's chair to standardize it first."
                )
                % {"items": names}
            }
        )
    return ids


def _clean_section(actor: User, manual: Manual, data: SectionData, section: Section | None) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    title = clean_line(data.title)[:250]
    if not title:
        errors["title"] = _("Give the section a title.")
    parent = None
    if data.parent_id is not None:
        parent = Section.objects.filter(pk=data.parent_id, manual=manual, parent__isnull=True).first()
        if parent is None or (section is not None and parent.pk == section.pk):
            errors["parent"] = _("Choose one of this manual's chapters.")
        elif section is not None and section.children.exists():
            errors["parent"] = _("This chapter has sections of its own; it cannot go inside another chapter.")
    duration = data.duration_minutes
    if duration is not None and not 0 < duration <= MAX_DURATION_MINUTES:
        errors["duration_minutes"] = _("A duration is between 1 and %(max)d minutes.") % {"max": MAX_DURATION_MINUTES}
    try:
        item_ids = _clean_items(actor, manual, data.item_ids)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        item_ids = []
    if errors:
        raise ValidationError(errors)
    return {
        "title": title,
        "body": clean_text(data.body).strip(),
        "parent": parent,
        "duration_minutes": duration,
        "item_ids": item_ids,
    }


def _set_items(section: Section, item_ids: list[int]) -> None:
    SectionItem.objects.filter(section=section).exclude(item_id__in=item_ids).delete()
    existing = {row.item_id: row for row in SectionItem.objects.filter(section=section)}
    for position, pk in enumerate(item_ids):
        row = existing.get(pk)
        if row is None:
            SectionItem.objects.create(section=section, item_id=pk, position=position)
        elif row.position != position:
            SectionItem.objects.filter(pk=row.pk).update(position=position)


@transaction.atomic
def do_save_section(
    actor: User, manual: Manual, section: Section | None, data: SectionData, base_version: int
) -> Section:
    """Add a chapter (no parent) or a section of a chapter, or change one, at the end of its list when
    new or moved to another chapter."""
    _require_editor(actor, manual)
    if section is not None and section.manual_id != manual.pk:
        raise ValidationError(_("That section belongs to another manual."))
    values = _clean_section(actor, manual, data, section)
    item_ids = values.pop("item_ids")
    if section is None and manual.sections.count() >= MAX_SECTIONS:
        raise ValidationError(_("A manual has at most %(max)d sections.") % {"max": MAX_SECTIONS})
    _bump(manual, base_version)
    parent = values["parent"]
    moved = section is None or section.parent_id != (parent.pk if parent else None)
    if moved:
        last = Section.objects.filter(manual=manual, parent=parent).aggregate(last=Max("position"))["last"]
        values["position"] = 0 if last is None else last + 1
    if section is None:
        section = Section.objects.create(manual=manual, **values)
    else:
        for name, value in values.items():
            setattr(section, name, value)
        section.save()
    _set_items(section, item_ids)
    return section


@transaction.atomic
def do_delete_section(actor: User, manual: Manual, section: Section, base_version: int) -> None:
    """Remove a section (a chapter with everything in it) from the draft; releases keep it."""
    _require_editor(actor, manual)
    if section.manual_id != manual.pk:
        raise ValidationError(_("That section belongs to another manual."))
    _bump(manual, base_version)
    section.delete()


@dataclass
class Placement:
    section_id: int
    parent_id: int | None
    position: int


@transaction.atomic
def do_reorder_sections(actor: User, manual: Manual, placements: Sequence[Placement], base_version: int) -> None:
    """Put the draft's chapters and sections in the given order (by drag, or by the numbers typed), a
    section possibly into another chapter. Positions are renumbered 0, 1, 2… within each list, ties
    keeping the order they had."""
    _require_editor(actor, manual)
    sections = {s.pk: s for s in Section.objects.filter(manual=manual)}
    wanted = {p.section_id: p for p in placements}
    unknown = set(wanted) - set(sections)
    if unknown:
        raise ValidationError(_("Some of those sections are not in this manual any more; reload the draft."))
    parent_of = {pk: (wanted[pk].parent_id if pk in wanted else s.parent_id) for pk, s in sections.items()}
    for pk, parent_id in parent_of.items():
        if parent_id is None:
            continue
        if parent_id not in sections or parent_id == pk or parent_of[parent_id] is not None:
            raise ValidationError(_("A section goes inside a chapter, and a chapter inside nothing."))
    has_children = {parent_id for parent_id in parent_of.values() if parent_id is not None}
    for pk in has_children:
        if parent_of[pk] is not None:
            raise ValidationError(_("A chapter with sections cannot go inside another chapter."))
    _bump(manual, base_version)
    lists: dict[int | None, list[tuple[int, int, int]]] = {}
    for pk, s in sections.items():
        position = wanted[pk].position if pk in wanted else s.position
        lists.setdefault(parent_of[pk], []).append((position, s.position, pk))
    for parent_id, rows in lists.items():
        for new_position, (_typed, _old, pk) in enumerate(sorted(rows)):
            s = sections[pk]
            if s.position != new_position or s.parent_id != parent_id:
                Section.objects.filter(pk=pk).update(position=new_position, parent_id=parent_id)


# Reading the draft -------------------------------------------------------------------------------------


@dataclass
class DraftSection:
    section: Section
    item_ids: list[int]
    children: list["DraftSection"] = field(default_factory=list)


def draft_tree(manual: Manual) -> list[DraftSection]:
    """The draft's chapters, each with its sections, in order (two queries)."""
    sections = list(Section.objects.filter(manual=manual).order_by("position", "pk"))
    items: dict[int, list[int]] = {}
    for row in SectionItem.objects.filter(section__manual=manual).order_by("position", "pk"):
        items.setdefault(row.section_id, []).append(row.item_id)
    nodes = {s.pk: DraftSection(s, items.get(s.pk, [])) for s in sections}
    chapters = []
    for s in sections:
        if s.parent_id is None:
            chapters.append(nodes[s.pk])
        elif s.parent_id in nodes:
            nodes[s.parent_id].children.append(nodes[s.pk])
    return chapters


def total_minutes(chapters: Sequence[Any]) -> int:
    """The sum of the durations of a tree of DraftSections or of frozen content chapters."""

    def minutes(node: Any) -> int:
        if isinstance(node, DraftSection):
            return node.section.duration_minutes or 0
        return int(node.get("duration_minutes") or 0)

    def children(node: Any) -> list[Any]:
        return node.children if isinstance(node, DraftSection) else node.get("sections", [])

    return sum(minutes(chapter) + sum(minutes(child) for child in children(chapter)) for chapter in chapters)


# Releases ----------------------------------------------------------------------------------------------


def _item_text(item: KnowledgeItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "title": item.title,
        "kind": item.kind,
        "kind_label": str(item.get_kind_display()),
        "visibility": item.visibility,
        "organization": item.organization.display_name if item.organization else "",
        "organization_id": item.organization_id,
        "summary": item.summary,
        "body": item.body,
        "fields": [[str(label), text] for label, text in item.kind_fields() if text],
        "version": item.version,
    }


def freeze(manual: Manual) -> dict[str, Any]:
    """The draft as it is now, with the texts of the items it uses: what a release keeps."""
    chapters = draft_tree(manual)
    item_ids = {pk for chapter in chapters for node in (chapter, *chapter.children) for pk in node.item_ids}
    items = KnowledgeItem.objects.filter(pk__in=item_ids).select_related("organization")

    def frozen(node: DraftSection) -> dict[str, Any]:
        return {
            "id": node.section.pk,
            "title": node.section.title,
            "body": node.section.body,
            "duration_minutes": node.section.duration_minutes,
            "items": node.item_ids,
        }

    return {
        "schema": CONTENT_SCHEMA,
        "kind": manual.kind,
        "title": manual.title,
        "visibility": manual.visibility,
        "panel": manual.panel.name,
        "front_matter": manual.front_matter,
        "outcomes": [line for line in manual.outcomes.splitlines() if line.strip()],
        "chapters": [
            {**frozen(chapter), "sections": [frozen(child) for child in chapter.children]} for chapter in chapters
        ],
        "items": {str(item.pk): _item_text(item) for item in items},
    }


def digest(content: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def release_problems(manual: Manual, content: dict[str, Any]) -> list[str]:
    """Why this draft cannot be released as it is ([] when it can)."""
    problems = []
    if not content["chapters"]:
        problems.append(_("The draft has no chapters yet."))
    ids = [int(pk) for pk in content["items"]]
    stages = dict(CriticalKnowledge.objects.filter(item_id__in=ids).values_list("item_id", "stage"))
    for pk in ids:
        if stages.get(pk) not in USABLE_STAGES:
            problems.append(
                _(
                    "“%(title)s” is no longer a work standard (it is now “%(stage)s”); take it out or have it standardized again."
                )
                % {
                    "title": content["items"][str(pk)]["title"],
                    "stage": Stage(stages[pk]).label if pk in stages else _("not critical knowledge"),
                }
            )
    return problems


@transaction.atomic
def do_release(
    actor: User,
    manual: Manual,
    version_label: str,
    approver_ids: Sequence[int],
    notes: str = "",
    *,
    base_version: int | None = None,
) -> Release:
    """Release the draft as it is: numbered after the last release, frozen, approved by members of the
    brain trust (at least one; the releaser may be one). With `base_version`, refused (StaleDraft) if the
    draft changed since the releaser looked at it. The PDF and EPUB are built once this commits."""
    _require_editor(actor, manual)
    manual = Manual.objects.select_for_update().select_related("panel").get(pk=manual.pk)
    if base_version is not None and manual.version != base_version:
        raise StaleDraft(manual)
    errors: dict[str, Any] = {}
    label = clean_line(version_label)[:32]
    if not label:
        errors["version_label"] = _("Name the version, e.g. 1.0.")
    elif manual.releases.filter(version_label=label).exists():
        errors["version_label"] = _("Version %(label)s was released already; give this one a new name.") % {
            "label": label
        }
    approvers = list(dict.fromkeys(int(pk) for pk in approver_ids))
    members = manual.panel.member_ids()
    if not approvers:
        errors["approvers"] = _("At least one member of the brain trust must approve the release.")
    elif not set(approvers) <= members:
        errors["approvers"] = _("Approvers are members of the manual's brain trust.")
    content = freeze(manual)
    problems = release_problems(manual, content)
    if problems:
        errors["__all__"] = problems
    if errors:
        raise ValidationError(errors)
    number = (manual.releases.aggregate(last=Max("number"))["last"] or 0) + 1
    try:
        with transaction.atomic():
            release = Release.objects.create(
                manual=manual,
                number=number,
                version_label=label,
                released_on=timezone.localdate(),
                released_by=actor,
                notes=clean_text(notes).strip(),
                content=content,
                content_digest=digest(content),
            )
    except IntegrityError as exc:
        raise ValidationError(_("Someone released this manual a moment ago; look at its releases.")) from exc
    release.approvers.set(approvers)
    from ..tasks import build_on_commit

    build_on_commit(release)
    return release


@transaction.atomic
def do_retry_build(actor: User, release: Release) -> Release:
    """Build a release's files again (after a failed build): its content is what it was."""
    _require_editor(actor, release.manual)
    Release.objects.filter(pk=release.pk).update(
        pdf_status=BuildStatus.PENDING if release.pdf_status != BuildStatus.DONE else BuildStatus.DONE,
        epub_status=BuildStatus.PENDING if release.epub_status != BuildStatus.DONE else BuildStatus.DONE,
        build_error="",
    )
    release.refresh_from_db()
    from ..tasks import build_on_commit

    build_on_commit(release)
    return release
