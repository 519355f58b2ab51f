"""Thai text for search: one normaliser and one segmenter, used at index and at query time.

Segmentation is ICU's BreakIterator (Thai dictionary rules): the fastest maintained segmenter and the
finest-grained one, which helps recall (see /work/shared/domain/thai-search.md and bench/README.md).
Fine pieces miss the domain's compounds as units, so words from the domain dictionary
(platoo/lib/thai_words.txt plus the files named by settings.SEARCH_WORDS_FILES) are emitted as
extra tokens next to ICU's pieces.
"""

import re
import threading
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import icu
import snowballstemmer

from platoo.lib.text import ZERO_WIDTH

WORDS_FILE = Path(__file__).with_name("thai_words.txt")
MAX_TOKEN_LENGTH = 60  # longer runs are hashes, URLs or noise; no one searches for them

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_VOWELS_ABOVE_BELOW = "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47"
_TONES = "\u0e48\u0e49\u0e4a\u0e4b"
_OTHER_MARKS = "\u0e4c\u0e4d\u0e4e"  # thanthakhat, nikhahit, yamakkan
# Thai writes marks in a fixed order: above/below vowel, then tone mark, then the rest.
_MARK_RANK = {**dict.fromkeys(_VOWELS_ABOVE_BELOW, 0), **dict.fromkeys(_TONES, 1), **dict.fromkeys(_OTHER_MARKS, 2)}
_MARK_RUN = re.compile(f"[{_VOWELS_ABOVE_BELOW}{_TONES}{_OTHER_MARKS}]{{2,}}")
_AM_BEFORE_TONE = re.compile(f"\u0e33([{_TONES}])")  # นำ้ → น้ำ
# A token is a run of letters, digits and combining marks: exactly what the index tables' tokenizers
# keep together, so both backends count the same tokens.
_TOKEN = re.compile(r"(?:[^\W_]|[\u0300-\u036f\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])+")
_THAI = re.compile(r"[\u0e00-\u0e7f]")
_LATIN_WORD = re.compile(r"[a-z\u00df-\u024f]+")

_local = threading.local()


def _fix_marks(run: re.Match[str]) -> str:
    marks = sorted(run.group(), key=_MARK_RANK.__getitem__)
    kept: list[str] = []
    for mark in marks:
        if kept and (mark == kept[-1] or _MARK_RANK[mark] == 1 == _MARK_RANK[kept[-1]]):
            kept[-1] = mark  # a doubled mark, or two tone marks: the last one typed wins
        else:
            kept.append(mark)
    return "".join(kept)


def clean(text: str) -> str:
    """Text as it should have been typed: NFC, no zero-width characters, Thai marks in order.

    Safe to show: it keeps case and Thai digits. Search keeps this form for snippets.
    """
    text = unicodedata.normalize("NFC", text).translate(ZERO_WIDTH)
    if not _THAI.search(text):
        return text
    text = text.replace("\u0e40\u0e40", "\u0e41")  # เ + เ typed for แ
    text = _MARK_RUN.sub(_fix_marks, text)
    text = text.replace("\u0e4d\u0e32", "\u0e33")  # nikhahit + sara aa typed for sara am
    return _AM_BEFORE_TONE.sub("\\1\u0e33", text)


def fold(text: str) -> str:
    """The matching form: clean(), Thai digits as 0–9, case folded."""
    return unicodedata.normalize("NFC", clean(text).translate(_THAI_DIGITS).casefold())


def fold_cleaned(text: str) -> str:
    """fold() for text that is already clean()."""
    return unicodedata.normalize("NFC", text.translate(_THAI_DIGITS).casefold())


@lru_cache(maxsize=1)
def domain_words() -> tuple[str, ...]:
    """The domain dictionary, folded, longest first: the repository's file plus any configured ones."""
    from django.conf import settings

    paths = [WORDS_FILE, *map(Path, getattr(settings, "SEARCH_WORDS_FILES", []))]
    words = set()
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            word = fold(line.split("#", 1)[0].strip())
            if len(word) > 1 and _TOKEN.fullmatch(word):
                words.add(word)
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


def _breaker() -> icu.BreakIterator:
    breaker = getattr(_local, "breaker", None)
    if breaker is None:
        breaker = _local.breaker = icu.BreakIterator.createWordInstance(icu.Locale("th"))
    return breaker


def _stemmer() -> snowballstemmer.stemmer:
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("english")
    return stemmer


def _icu_pieces(text: str) -> Iterator[str]:
    """ICU word pieces of one run of token characters."""
    if not _THAI.search(text):
        yield text
        return
    breaker = _breaker()
    breaker.setText(text)
    start = 0
    if any(ord(c) > 0xFFFF for c in text):  # ICU counts UTF-16 units
        units = [0]
        for c in text:
            units.append(units[-1] + (2 if ord(c) > 0xFFFF else 1))
        index = {u: i for i, u in enumerate(units)}
        for end in breaker:
            yield text[start : index[end]]
            start = index[end]
        return
    for end in breaker:
        yield text[start:end]
        start = end


def stem(word: str) -> str:
    """English words by their Snowball stem (manage, managing, management → manag)."""
    return _stemmer().stemWord(word) if _LATIN_WORD.fullmatch(word) else word


def tokens(folded: str) -> list[str]:
    """Index terms of folded text, in order, then the domain words it contains."""
    result = []
    for run in _TOKEN.findall(folded):
        for piece in _icu_pieces(run):
            if len(piece) <= MAX_TOKEN_LENGTH:
                result.append(stem(piece))
    if _THAI.search(folded):
        result.extend(word for word in domain_words() for _ in range(folded.count(word)))
    return result


def chunks(folded: str) -> list[str]:
    """The runs of token characters, as typed: a search finds them as substrings, inside compounds too."""
    return _TOKEN.findall(folded)


def segment(text: str) -> list[str]:
    """The words of text as written (no folding or stemming): ICU's pieces of each run."""
    return [piece for run in _TOKEN.findall(text) for piece in _icu_pieces(run)]


def pairs(run: str) -> list[str]:
    """Each two neighbouring words of a run, joined as written: short exact phrases of a Thai question."""
    words = segment(run)
    return [a + b for a, b in zip(words, words[1:], strict=False)]
