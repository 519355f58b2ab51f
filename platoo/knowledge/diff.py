"""Field-by-field differences between two versions of an item, as escaped HTML with <del>/<ins>."""

from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from platoo.accounts.models import User
from platoo.lib.visibility import Visibility
from platoo.network.models import Organization

from .actions import TEXT_FIELDS
from .models import Kind, License, Topic, field_label

# Changed lines longer than this are shown as whole-line changes: character diffs are quadratic.
CHAR_DIFF_MAX = 3000

COMPARED_KEYS = [*TEXT_FIELDS, "license", "visibility", "organization_id", "topic_ids", "tags", "author_ids"]


def _label(key: str) -> str:
    labels = {
        "organization_id": _("Organization"),
        "topic_ids": _("Topics"),
        "tags": _("Tags"),
        "author_ids": _("Authors"),
    }
    if key in labels:
        return labels[key]
    return field_label(key).capitalize()


def _mark(tag: str, text: str) -> str:
    return f"<{tag}>{escape(text)}</{tag}>" if text else ""


def side_by_side(old: str, new: str) -> tuple[SafeString, SafeString]:
    """Both texts escaped, with what was removed from `old` in <del> and what `new` added in <ins>.

    Lines are matched first, then characters within changed lines (Thai has no spaces to split on).
    """
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    left: list[str] = []
    right: list[str] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        old_part, new_part = "".join(a[i1:i2]), "".join(b[j1:j2])
        if op == "equal":
            left.append(escape(old_part))
            right.append(escape(new_part))
        elif op == "replace" and max(len(old_part), len(new_part)) <= CHAR_DIFF_MAX:
            chars = SequenceMatcher(None, old_part, new_part, autojunk=False)
            for cop, x1, x2, y1, y2 in chars.get_opcodes():
                if cop == "equal":
                    left.append(escape(old_part[x1:x2]))
                    right.append(escape(new_part[y1:y2]))
                else:
                    left.append(_mark("del", old_part[x1:x2]))
                    right.append(_mark("ins", new_part[y1:y2]))
        else:
            left.append(_mark("del", old_part))
            right.append(_mark("ins", new_part))
    return mark_safe("".join(left)), mark_safe("".join(right))  # noqa: S308 - every piece escaped above


@dataclass
class FieldChange:
    key: str
    label: str
    old: SafeString
    new: SafeString


class Describer:
    """Turns revision data into readable text; looks up every name the compared versions need at once."""

    def __init__(self, *snaps: dict[str, Any]) -> None:
        topic_ids = {pk for snap in snaps for pk in snap.get("topic_ids", [])}
        author_ids = {pk for snap in snaps for pk in snap.get("author_ids", [])}
        org_ids: set[int] = {snap["organization_id"] for snap in snaps if snap.get("organization_id")}
        self.topics = {t.pk: t.display_name for t in Topic.objects.filter(pk__in=topic_ids)} if topic_ids else {}
        self.people = {u.pk: u.display_name for u in User.objects.filter(pk__in=author_ids)} if author_ids else {}
        self.orgs = {o.pk: o.display_name for o in Organization.objects.filter(pk__in=org_ids)} if org_ids else {}

    def text(self, key: str, snap: dict[str, Any]) -> str:
        value = snap.get(key)
        missing = _("(deleted)")
        choices: dict[str, Any] = {"kind": Kind, "license": License, "visibility": Visibility}
        if key in choices:
            return str(dict(choices[key].choices).get(value, value or ""))
        if key == "organization_id":
            return self.orgs.get(value, missing) if value else ""
        if key == "topic_ids":
            return "\n".join(self.topics.get(pk, missing) for pk in value or [])
        if key == "author_ids":
            return "\n".join(self.people.get(pk, missing) for pk in value or [])
        if key == "tags":
            return "\n".join(value or [])
        return value or ""

    def changes(self, old: dict[str, Any], new: dict[str, Any]) -> list[FieldChange]:
        """The fields that differ between two versions, in editor order."""
        result = []
        for key in COMPARED_KEYS:
            before, after = self.text(key, old), self.text(key, new)
            if before.strip() != after.strip():
                result.append(FieldChange(key, _label(key), *side_by_side(before, after)))
        return result
