"""Themes of what many people wrote: the words and short phrases most answers share, with a few quotes.

Each answer is cut into words by the project's Thai segmenter (platoo.lib.thai: ICU, fine-grained,
so "ส่งเวร" comes out as ส่ง + เวร). A theme is a word, two or three neighbouring words of one phrase
(ส่งเวร, แบ่งกลุ่มย่อย, peer assist) or a word of the domain dictionary (ชุมชนแนวปฏิบัติ). Common words (common_words.txt)
are never themes and break phrases. A theme counts the answers that use it, not how often one
writer repeats it; a phrase takes the place of its words when it accounts for most of their uses.
"""

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from platoo.lib import thai

COMMON_WORDS_FILE = Path(__file__).with_name("common_words.txt")
# A phrase stands for its words when it holds this share of their answers.
PHRASE_SHARE = 0.75
MAX_PHRASE = 3  # words
QUOTE_LENGTH = 140
_WORD = re.compile(r"(?:[^\W_]|[\u0300-\u036f\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])+")
_THAI = re.compile(r"[\u0e00-\u0e7f]")
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Theme:
    text: str  # as people wrote it most often
    count: int  # how many answers use it
    quotes: tuple[str, ...]


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    words = set()
    for line in COMMON_WORDS_FILE.read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.add(thai.fold(word))
    return frozenset(words)


@lru_cache(maxsize=65536)
def _key(word: str) -> str:
    return thai.stem(thai.fold_cleaned(word))


def _meaningful(word: str, key: str) -> bool:
    return (
        len(word) > 1
        and bool(_LETTER.search(word))
        and key not in common_words()
        and word.casefold() not in common_words()
    )


def _phrases(text: str) -> Iterable[list[tuple[str, str]]]:
    """Runs of meaningful words as (key, surface), split wherever a common word, punctuation or, in
    Thai, a space stands between them (Thai writes a space between phrases, not between words)."""
    run: list[tuple[str, str]] = []
    previous_end = 0
    for match in _WORD.finditer(text):
        gap = text[previous_end : match.start()]
        if gap.strip() or (gap and (_THAI.search(match.group()) or (run and _THAI.search(run[-1][1])))):
            if run:
                yield run
            run = []
        previous_end = match.end()
        for piece in thai.segment(match.group()):
            key = _key(piece)
            if _meaningful(piece, key):
                run.append((key, piece))
            elif run:
                yield run
                run = []
    if run:
        yield run


def themes(answers: Sequence[str], *, limit: int = 8, quotes: int = 2) -> list[Theme]:
    """The themes of `answers` (any language mix), most shared first. With three answers or more a theme
    needs two of them."""
    texts = [thai.clean(answer) for answer in answers if answer and answer.strip()]
    if not texts:
        return []
    answer_terms: list[set[tuple[str, ...]]] = []
    surfaces: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    domain = thai.domain_words()
    for text in texts:
        terms: set[tuple[str, ...]] = set()
        for run in _phrases(text):
            for end in range(1, len(run) + 1):
                for size in range(1, min(MAX_PHRASE, end) + 1):
                    words = run[end - size : end]
                    term = tuple(key for key, _surface in words)
                    if size > 1 and "".join(surface.casefold() for _key, surface in words) in common_words():
                        continue
                    joiner = "" if _THAI.search(words[-1][1]) else " "
                    terms.add(term)
                    surfaces[term][joiner.join(surface for _key, surface in words)] += 1
        folded = thai.fold_cleaned(text)
        for word in domain:
            if word in folded and word not in common_words():
                parts = tuple(_key(piece) for piece in thai.segment(word))
                terms.add(parts)
                surfaces[parts][word] += 1
        answer_terms.append(terms)
    counts = Counter(term for terms in answer_terms for term in terms)
    least = 2 if len(texts) >= 3 else 1
    kept = {term: n for term, n in counts.items() if n >= least}
    # A shorter term inside a longer one that holds most of its answers gives way to it.
    for term in sorted(kept, key=len):
        for other, n in kept.items():
            if len(other) > len(term) and _inside(term, other) and n >= PHRASE_SHARE * kept[term]:
                kept[term] = 0
                break
    ranked = sorted(
        (term for term, n in kept.items() if n),
        key=lambda term: (-kept[term], -len(term), surfaces[term].most_common(1)[0][0]),
    )
    result = []
    for term in ranked[:limit]:
        text = surfaces[term].most_common(1)[0][0]
        result.append(Theme(text, kept[term], _quotes(texts, answer_terms, term, text, quotes)))
    return result


def _inside(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    return any(long[i : i + len(short)] == short for i in range(len(long) - len(short) + 1))


def _quotes(
    texts: list[str], answer_terms: list[set[tuple[str, ...]]], term: tuple[str, ...], surface: str, count: int
) -> tuple[str, ...]:
    """The shortest answers using the theme, cut around it to a line or two."""
    using = sorted((text for text, terms in zip(texts, answer_terms, strict=True) if term in terms), key=len)
    found: list[str] = []
    seen: set[str] = set()
    for text in using:
        line = " ".join(text.split())
        if line in seen:
            continue
        seen.add(line)
        found.append(_around(line, surface))
        if len(found) == count:
            break
    return tuple(found)


def _around(line: str, surface: str) -> str:
    if len(line) <= QUOTE_LENGTH:
        return line
    at = line.casefold().find(surface.casefold())
    start = max(0, min(at - QUOTE_LENGTH // 3, len(line) - QUOTE_LENGTH)) if at >= 0 else 0
    piece = line[start : start + QUOTE_LENGTH].strip()
    return ("…" if start else "") + piece + ("…" if start + QUOTE_LENGTH < len(line) else "")
