"""Where a knowledge item came from and where it went, told by the apps above knowledge.

A source kind ("meeting", "reply", later events and syntheses) registers here. It can open a
*capture* for a person: what the editor starts with when they capture knowledge from that source,
and how the new item is linked back, inside the transaction that creates it. It also lists, for an
item page, the links a reader may see (captured at a meeting, made from a reply, shared in a CoP).
Knowledge never imports those apps.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from platoo.accounts.models import User

    from .models import KnowledgeItem


@dataclass(frozen=True)
class Link:
    relation: str  # translated: "Captured at the meeting", "Shared in the community"
    label: str
    url: str
    date: datetime | None = None


@dataclass
class Capture:
    key: str  # "meeting:12"
    source: Link  # what the editor says the knowledge is captured from
    initial: dict[str, Any] = field(default_factory=dict)  # the editor's starting values
    attach: Callable[["User", "KnowledgeItem"], None] = lambda _actor, _item: None


class SourceKind(Protocol):
    kind: str

    def capture(self, user: Any, pk: int) -> Capture | None:
        """What `user` may capture from this source, or None when they may not (or cannot see it)."""

    def links(self, user: Any, item_ids: Sequence[int]) -> dict[int, list[Link]]:
        """The links of these items that `user` may see, by item id."""


_kinds: dict[str, SourceKind] = {}


def register(kind: SourceKind) -> None:
    _kinds[kind.kind] = kind


def open_capture(user: Any, key: str) -> Capture | None:
    kind, _, raw = (key or "").partition(":")
    if kind not in _kinds or not raw.isdigit() or len(raw) > 18:
        return None
    return _kinds[kind].capture(user, int(raw))


def links_of(user: Any, item: "KnowledgeItem") -> list[Link]:
    """Every link of the item the reader may see (a query or two per registered kind)."""
    found: list[Link] = []
    seen: set[tuple[str, str]] = set()
    for kind in _kinds.values():
        for link in kind.links(user, [item.pk]).get(item.pk, []):
            if (link.relation, link.url) not in seen:
                seen.add((link.relation, link.url))
                found.append(link)
    return found
