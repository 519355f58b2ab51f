"""What changed from one release of a manual to the next, read from their frozen contents.

Sections are matched by their draft id: added, removed, moved (into another chapter, or out of their
order: those outside the longest run kept in order), retitled, text changed (with the knowledge
app's Thai-safe line-then-character diff), the items used, the items' own texts. An item the reader may
not read is counted, never named.
"""

from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from django.utils.safestring import SafeString

from platoo.knowledge.diff import side_by_side

ITEM_TEXT_KEYS = ("title", "summary", "body", "fields")


@dataclass
class Flat:
    id: int
    number: str
    title: str
    body: str
    parent_id: int | None
    duration_minutes: int | None
    items: list[int]


@dataclass
class TextChange:
    number: str
    title: str
    old: SafeString | str = ""
    new: SafeString | str = ""


@dataclass
class ItemsChange:
    number: str
    title: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    hidden: int = 0


@dataclass
class Changes:
    title: tuple[str, str] | None = None
    front_matter: TextChange | None = None
    outcomes: TextChange | None = None
    added: list[tuple[str, str]] = field(default_factory=list)  # (number, title)
    removed: list[tuple[str, str]] = field(default_factory=list)
    moved: list[tuple[str, str, str]] = field(default_factory=list)  # (old number, new number, title)
    retitled: list[tuple[str, str, str]] = field(default_factory=list)  # (number, old title, new title)
    text: list[TextChange] = field(default_factory=list)
    durations: list[tuple[str, str, int | None, int | None]] = field(default_factory=list)
    items: list[ItemsChange] = field(default_factory=list)
    item_texts: list[str] = field(default_factory=list)  # titles of used items whose text changed
    hidden_item_texts: int = 0

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.title,
                self.front_matter,
                self.outcomes,
                self.added,
                self.removed,
                self.moved,
                self.retitled,
                self.text,
                self.durations,
                self.items,
                self.item_texts,
                self.hidden_item_texts,
            )
        )


def flatten(content: dict[str, Any]) -> list[Flat]:
    rows = []
    for index, chapter in enumerate(content["chapters"], start=1):
        rows.append(
            Flat(
                chapter["id"],
                str(index),
                chapter["title"],
                chapter["body"],
                None,
                chapter.get("duration_minutes"),
                chapter["items"],
            )
        )
        for sub, section in enumerate(chapter.get("sections", []), start=1):
            rows.append(
                Flat(
                    section["id"],
                    f"{index}.{sub}",
                    section["title"],
                    section["body"],
                    chapter["id"],
                    section.get("duration_minutes"),
                    section["items"],
                )
            )
    return rows


def _item_title(content: dict[str, Any], pk: int) -> str:
    return str(content["items"].get(str(pk), {}).get("title", pk))


def changes_between(old: dict[str, Any], new: dict[str, Any], readable: set[int], *, detailed: bool = False) -> Changes:
    """How `new` differs from `old`; with `detailed`, the texts' differences side by side."""
    result = Changes()
    if old["title"] != new["title"]:
        result.title = (old["title"], new["title"])

    def text_change(number: str, title: str, before: str, after: str) -> TextChange:
        change = TextChange(number, title)
        if detailed:
            change.old, change.new = side_by_side(before, after)
        return change

    if old.get("front_matter", "").strip() != new.get("front_matter", "").strip():
        result.front_matter = text_change("", "", old.get("front_matter", ""), new.get("front_matter", ""))
    old_outcomes, new_outcomes = "\n".join(old.get("outcomes", [])), "\n".join(new.get("outcomes", []))
    if old_outcomes != new_outcomes:
        result.outcomes = text_change("", "", old_outcomes, new_outcomes)

    before, after = flatten(old), flatten(new)
    old_by_id, new_by_id = {row.id: row for row in before}, {row.id: row for row in after}
    result.added = [(row.number, row.title) for row in after if row.id not in old_by_id]
    result.removed = [(row.number, row.title) for row in before if row.id not in new_by_id]
    common_old = [row.id for row in before if row.id in new_by_id]
    common_new = [row.id for row in after if row.id in old_by_id]
    in_order: set[int] = set()
    for block in SequenceMatcher(None, common_old, common_new, autojunk=False).get_matching_blocks():
        in_order.update(common_old[block.a : block.a + block.size])
    for row in after:
        was = old_by_id.get(row.id)
        if was is None:
            continue
        if was.parent_id != row.parent_id or row.id not in in_order:
            result.moved.append((was.number, row.number, row.title))
        if was.title != row.title:
            result.retitled.append((row.number, was.title, row.title))
        if was.body.strip() != row.body.strip():
            result.text.append(text_change(row.number, row.title, was.body, row.body))
        if was.duration_minutes != row.duration_minutes:
            result.durations.append((row.number, row.title, was.duration_minutes, row.duration_minutes))
        if was.items != row.items:
            change = ItemsChange(row.number, row.title)
            for pk in row.items:
                if pk not in was.items:
                    if pk in readable:
                        change.added.append(_item_title(new, pk))
                    else:
                        change.hidden += 1
            for pk in was.items:
                if pk not in row.items:
                    if pk in readable:
                        change.removed.append(_item_title(old, pk))
                    else:
                        change.hidden += 1
            if change.added or change.removed or change.hidden:
                result.items.append(change)
    for pk, data in new["items"].items():
        was_item = old["items"].get(pk)
        if was_item is None:
            continue
        if any(was_item.get(key) != data.get(key) for key in ITEM_TEXT_KEYS):
            if int(pk) in readable:
                result.item_texts.append(data["title"])
            else:
                result.hidden_item_texts += 1
    return result
