"""Highlighted titles and snippets: the text around the matched words, HTML-escaped, with <mark>."""

import re
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from platoo.lib import thai

SNIPPET_LENGTH = 240
LEAD = 60  # characters shown before the first match in the snippet
MAX_MATCHES = 400


def pattern(needles: Sequence[str]) -> re.Pattern[str] | None:
    """One regex for what to highlight in folded text: query runs and terms as substrings (so a word
    inside a compound is marked too), English stems with the rest of their word."""
    alternatives = []
    for needle in sorted({n for n in needles if len(n) > 1}, key=len, reverse=True):
        if needle.isascii() and needle.isalpha():
            alternatives.append(rf"\b{re.escape(needle)}\w*")
        else:
            alternatives.append(re.escape(needle))
    return re.compile("|".join(alternatives)) if alternatives else None


def _folded(text: str) -> str:
    """The folded text with positions that line up with `text` (casefold can change lengths)."""
    folded = thai.fold_cleaned(text)
    if len(folded) == len(text):
        return folded
    return "".join(f if len(f := thai.fold_cleaned(c)) == 1 else c for c in text)


def _spans(text: str, needle: re.Pattern[str] | None) -> list[tuple[int, int]]:
    if needle is None:
        return []
    spans = []
    for match in needle.finditer(_folded(text)):
        spans.append(match.span())
        if len(spans) >= MAX_MATCHES:
            break
    return spans


def _render(text: str, spans: Sequence[tuple[int, int]], start: int, end: int) -> str:
    parts, position = [], start
    for a, b in spans:
        a, b = max(a, start), min(b, end)
        if a >= b or a < position:
            continue
        parts += [escape(text[position:a]), "<mark>", escape(text[a:b]), "</mark>"]
        position = b
    parts.append(escape(text[position:end]))
    return "".join(parts)


def highlight(text: str, needle: re.Pattern[str] | None) -> SafeString:
    """All of `text`, escaped, with every match marked (titles)."""
    return mark_safe(_render(text, _spans(text, needle), 0, len(text)))  # noqa: S308 (escaped in _render)


def snippet(text: str, needle: re.Pattern[str] | None, length: int = SNIPPET_LENGTH) -> SafeString:
    """The window of `text` holding the most different matched words, escaped and marked."""
    spans = _spans(text, needle)
    if not spans:
        start = 0
    else:
        folded = _folded(text)
        best, start = -1, 0
        for i, (a, _b) in enumerate(spans):
            window = set()
            for x, y in spans[i:]:
                if y > a + length - LEAD:
                    break
                window.add(folded[x:y])
            if len(window) > best:
                best, start = len(window), max(0, a - LEAD)
    end = min(len(text), start + length)
    # Prefer to cut at a space, so the window starts and ends on whole words where the text has spaces.
    if start > 0:
        space = text.find(" ", start, start + 20)
        start = space + 1 if space != -1 else start
    if end < len(text):
        space = text.rfind(" ", end - 20, end)
        end = space if space > start else end
    html = _render(text, spans, start, end).strip()
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(f"{prefix}{html}{suffix}")  # noqa: S308 (escaped in _render)
