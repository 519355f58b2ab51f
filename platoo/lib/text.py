"""Cleaning what people type, before it is stored."""

import re
import unicodedata
from collections.abc import Iterable

from django.core.exceptions import ValidationError

# Zero-width characters and the BOM: invisible, and they split words for every engine.
ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_SPACES = re.compile(r"\s+")
# C0/C1 control characters except tab and newlines: never meaningful in user text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(text: str) -> str:
    """NFC, no zero-width or control characters; line breaks kept."""
    return _CONTROL.sub("", unicodedata.normalize("NFC", text).translate(ZERO_WIDTH)).replace("\r\n", "\n")


def clean_line(text: str) -> str:
    """clean_text, then runs of white space folded to one space and trimmed: titles, names, tags."""
    return _SPACES.sub(" ", clean_text(text)).strip()


def clean_labels(
    names: Iterable[str], *, max_length: int, max_count: int, too_long: str, too_many: str, strip: str = ""
) -> list[str]:
    """Short labels (tags, expertise) cleaned and de-duplicated ignoring case, in the order typed.

    `too_long` may use %(max)d, %(start)s and %(length)d; `too_many` may use %(max)d.
    """
    result: list[str] = []
    seen: set[str] = set()
    for raw in names:
        name = clean_line(raw).lstrip(strip)
        if not name:
            continue
        if len(name) > max_length:
            raise ValidationError(
                too_long % {"max": max_length, "start": name[:20], "length": len(name)}, code="label_too_long"
            )
        if name.casefold() not in seen:
            seen.add(name.casefold())
            result.append(name)
    if len(result) > max_count:
        raise ValidationError(too_many % {"max": max_count}, code="too_many_labels")
    return result
