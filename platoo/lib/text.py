"""Cleaning what people type, before it is stored."""

import re
import unicodedata

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
