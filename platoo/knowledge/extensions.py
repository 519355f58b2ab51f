"""What the apps above knowledge add to its pages, without knowledge importing them.

A *badge* provider marks items on cards, lists, search results and the item page ("verified",
"needs re-verification"): given item ids, it answers in one query. A *section* provider adds a block to
the item page (the knowledge cycle's timeline and actions), rendered as HTML for that reader.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.safestring import SafeString

if TYPE_CHECKING:
    from django.http import HttpRequest

    from .models import KnowledgeItem


@dataclass(frozen=True)
class Badge:
    label: str
    css: str  # a class beside "badge": "verified", "warning"
    title: str = ""  # the longer explanation shown on hover


BadgeProvider = Callable[[Sequence[int]], dict[int, list[Badge]]]
SectionProvider = Callable[["HttpRequest", "KnowledgeItem"], SafeString | None]

_badge_providers: list[BadgeProvider] = []
_section_providers: list[SectionProvider] = []


def register_badges(provider: BadgeProvider) -> None:
    if provider not in _badge_providers:
        _badge_providers.append(provider)


def register_section(provider: SectionProvider) -> None:
    if provider not in _section_providers:
        _section_providers.append(provider)


def attach_badges(items: Iterable["KnowledgeItem"]) -> list["KnowledgeItem"]:
    """Give each item its `badges` (a query per provider, however many items); returns the items as a list."""
    found = list(items)
    ids = [item.pk for item in found]
    badges: dict[int, list[Badge]] = {pk: [] for pk in ids}
    if ids:
        for provider in _badge_providers:
            for pk, more in provider(ids).items():
                badges.setdefault(pk, []).extend(more)
    for item in found:
        item.badges = badges.get(item.pk, [])  # type: ignore[attr-defined]
    return found


def sections_of(request: "HttpRequest", item: "KnowledgeItem") -> list[Any]:
    return [html for provider in _section_providers if (html := provider(request, item)) is not None]
