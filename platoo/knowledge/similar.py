"""Near-duplicates of a draft, and the topics and tags it probably belongs under.

While someone captures knowledge, the editor (and API v1) asks what the repository already holds that
tells the same lesson or story, so they can link to it or merge into it instead of adding a copy.

1. Candidates come from the search index (platoo.search.query.more_like_this): the draft's most
   distinctive words, folded and segmented exactly as the index does (ICU Thai segmentation, Thai
   digits, marks, case), OR-ed and ranked by BM25 inside the SQL, within what the writer may read.
   It scales like a search: a few dozen index lookups, whatever the size of the repository.
2. Each candidate is re-scored against the draft by cosine similarity of TF-IDF vectors over the same
   tokens (IDF from the index's document frequencies), blended with the Jaccard similarity of
   character 4-gram shingles of the folded text without spaces (which sees Thai written with other
   spacing, or a word the segmenter cut differently). The weights and thresholds were chosen on a
   labelled set of Thai paraphrases and hard negatives: bench/similar.py, bench/README.md.
3. Topics and tags are suggested from the most similar readable items (weighted by similarity) and
   from topic names (Thai or English) the draft mentions.
"""

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from platoo.lib import thai
from platoo.lib.markdown import markdown_to_text
from platoo.lib.text import clean_text
from platoo.lib.themes import common_words
from platoo.search.query import more_like_this

from .models import KIND_FIELDS, KnowledgeItem, Topic

LABEL = "knowledge"  # the search adapter's label (platoo.knowledge.search)
MAX_DRAFT_CHARS = 20_000  # of a draft's text, what is compared; the rest of a huge paste is ignored
MIN_DRAFT_CHARS = 12  # letters and digits: below this nothing sensible can be compared
CANDIDATES = 15  # fetched from the index per draft (the original ranked first in every case measured)
SHINGLE = 4  # characters
# score = COSINE_WEIGHT · cosine(TF-IDF) + (1 − COSINE_WEIGHT) · Jaccard(shingles); see bench/README.md.
COSINE_WEIGHT = 0.7
SIMILAR_THRESHOLD = 0.18  # "similar": shown as a possible duplicate
SAME_THRESHOLD = 0.55  # "likely the same"
SUGGEST_FLOOR = 0.12  # items this similar lend their topics and tags to the suggestions
SUGGEST_FROM = 10  # at most this many items
MENTION_WEIGHT = 1.0  # a topic the draft names outright weighs as much as one identical item
MAX_MATCHES = 5
MAX_TOPICS = 5
MAX_TAGS = 8

SAME = "same"
SIMILAR = "similar"
LABELS = {SAME: gettext_lazy("Likely the same"), SIMILAR: gettext_lazy("Similar")}

_TOKEN_CHARS = re.compile(r"(?:[^\W_]|[\u0300-\u036f\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])+")
_LATIN_NAME = re.compile(r"^[a-z0-9 \-']+$")


@dataclass(frozen=True)
class Draft:
    """What a writer has typed so far: the text fields of an item, and what they already chose."""

    title: str = ""
    summary: str = ""
    body: str = ""  # Markdown
    extra: Mapping[str, str] = field(default_factory=dict)  # the kind's fields (aar_*, bp_*)
    topic_ids: Sequence[int] = ()
    tag_names: Sequence[str] = ()
    exclude: int | None = None  # the item being edited

    @classmethod
    def from_data(cls, data: Mapping[str, Any], *, exclude: int | None = None) -> "Draft":
        """From a form's or an API request's values (missing fields are empty)."""
        kind = str(data.get("kind") or "")
        names = KIND_FIELDS[kind] if kind in KIND_FIELDS else {n for names in KIND_FIELDS.values() for n in names}
        return cls(
            title=str(data.get("title") or ""),
            summary=str(data.get("summary") or ""),
            body=str(data.get("body") or ""),
            extra={name: str(data.get(name) or "") for name in sorted(names)},
            topic_ids=[int(t) for t in data.get("topics") or () if str(t).isdigit()],
            tag_names=[str(t) for t in data.get("tags") or ()],
            exclude=exclude,
        )

    def text(self) -> str:
        """The draft's words as the index would hold them (Markdown as text), cut at MAX_DRAFT_CHARS."""
        parts = [self.title, self.summary, markdown_to_text(clean_text(self.body[: MAX_DRAFT_CHARS * 2]))]
        parts += [self.extra[name] for name in sorted(self.extra)]
        return thai.clean("\n".join(part.strip() for part in parts if part and part.strip()))[:MAX_DRAFT_CHARS]


@dataclass(frozen=True)
class Match:
    item: KnowledgeItem
    score: float  # 0–1
    label: str  # SAME or SIMILAR

    @property
    def label_display(self) -> str:
        return str(LABELS[self.label])


@dataclass
class Suggestion:
    """A topic or tag to add, and why."""

    name: str
    score: float
    reasons: list[str]
    topic: Topic | None = None  # None for a tag

    @property
    def why(self) -> str:
        return "; ".join(self.reasons)


@dataclass
class Findings:
    matches: list[Match]  # possible duplicates, best first
    topics: list[Suggestion]
    tags: list[Suggestion]
    message: str = ""  # why nothing was looked for ("" when it was)


# Similarity -----------------------------------------------------------------------------------------


def words(text: str) -> list[str]:
    """The index's tokens of `text` (platoo.lib.thai), without function words."""
    stop = common_words()
    return [t for t in thai.tokens(thai.fold(text)) if t not in stop and len(t) > 1]


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    """Character n-grams of the folded text with every space and punctuation mark removed."""
    joined = "".join(_TOKEN_CHARS.findall(thai.fold(text)))
    if len(joined) <= size:
        return {joined} if joined else set()
    return {joined[i : i + size] for i in range(len(joined) - size + 1)}


def _idf(df: int, n: int) -> float:
    """Smoothed IDF, never negative; a word the index has not counted is taken as rare."""
    return math.log((n + 1) / (df + 1)) + 1.0


def cosine(a: Counter[str], b: Counter[str], df: Mapping[str, int], n: int) -> float:
    """Cosine of the TF-IDF vectors (sublinear tf) of two bags of words."""
    if not a or not b:
        return 0.0
    rare = _idf(0, n)

    def weight(word: str, count: int) -> float:
        return (1 + math.log(count)) * (_idf(df[word], n) if word in df else rare)

    va = {w: weight(w, c) for w, c in a.items()}
    vb = {w: weight(w, c) for w, c in b.items()}
    dot = sum(va[w] * vb[w] for w in va.keys() & vb.keys())
    norm = math.sqrt(sum(v * v for v in va.values())) * math.sqrt(sum(v * v for v in vb.values()))
    return dot / norm if norm else 0.0


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


@dataclass(frozen=True)
class Prepared:
    """A text ready to compare: its words and its shingles."""

    bag: Counter[str]
    grams: set[str]

    @classmethod
    def of(cls, text: str) -> "Prepared":
        return cls(Counter(words(text)), shingles(text))


Scorer = Callable[[Prepared, Prepared, Mapping[str, int], int], float]


def blended(a: Prepared, b: Prepared, df: Mapping[str, int], n: int) -> float:
    return COSINE_WEIGHT * cosine(a.bag, b.bag, df, n) + (1 - COSINE_WEIGHT) * jaccard(a.grams, b.grams)


# The scorers bench/similar.py compares; the finder uses `blended`.
SCORERS: dict[str, Scorer] = {
    "cosine": lambda a, b, df, n: cosine(a.bag, b.bag, df, n),
    "shingles": lambda a, b, df, n: jaccard(a.grams, b.grams),
    "blended": blended,
}


def label_of(score: float) -> str | None:
    if score >= SAME_THRESHOLD:
        return SAME
    if score >= SIMILAR_THRESHOLD:
        return SIMILAR
    return None


# The finder ------------------------------------------------------------------------------------------


def _letters(text: str) -> int:
    return sum(len(run) for run in _TOKEN_CHARS.findall(text))


def scored_candidates(user: Any, draft: Draft, scorer: Scorer = blended) -> list[tuple[int, float]]:
    """(item id, similarity) of every candidate the index offers for the draft, best first."""
    return _scored(user, draft.text(), draft.exclude, scorer)


def _scored(user: Any, text: str, exclude: int | None, scorer: Scorer) -> list[tuple[int, float]]:
    if _letters(text) < MIN_DRAFT_CHARS:
        return []
    found = more_like_this(user, text, LABEL, limit=CANDIDATES, exclude=[exclude] if exclude else [])
    mine = Prepared.of(text)
    scored = [
        (row.object_id, round(scorer(mine, Prepared.of(f"{row.title}\n{row.body}"), found.term_df, found.documents), 4))
        for row in found.rows
    ]
    return sorted(scored, key=lambda pair: (-pair[1], pair[0]))


def examine(user: Any, draft: Draft, *, max_matches: int = MAX_MATCHES) -> Findings:
    """Possible duplicates of the draft that `user` may read, and topics and tags to suggest."""
    text = draft.text()
    if _letters(text) < MIN_DRAFT_CHARS:
        return Findings([], [], [], _("Type a little more of the title or text to look for similar knowledge."))
    scored = _scored(user, text, draft.exclude, blended)
    lending = [(pk, score) for pk, score in scored if score >= SUGGEST_FLOOR][:SUGGEST_FROM]
    # The index already kept to what the writer may read; visible_to says so again, exactly.
    items = {
        item.pk: item
        for item in KnowledgeItem.objects.visible_to(user)
        .filter(pk__in=[pk for pk, _ in lending])
        .prefetch_related("topics", "tags", "authors")
    }
    matches = [
        Match(items[pk], score, label)
        for pk, score in lending
        if pk in items and (label := label_of(score)) is not None
    ][:max_matches]
    similar = [(items[pk], score) for pk, score in lending if pk in items]
    topics, tags = suggest(draft, similar, text)
    return Findings(matches, topics, tags)


def find_similar(user: Any, draft: Draft, *, limit: int = MAX_MATCHES) -> list[Match]:
    """Only the possible duplicates (for the save check)."""
    return examine(user, draft, max_matches=limit).matches


# Suggestions -----------------------------------------------------------------------------------------


def _titles(items: Iterable[KnowledgeItem]) -> str:
    names = [f"“{item.title[:60]}”" for item in items]
    return ", ".join(names[:3]) + ("…" if len(names) > 3 else "")


def mentioned_topics(text: str, topics: Iterable[Topic]) -> list[tuple[Topic, str]]:
    """Topics whose Thai or English name the text contains (Thai anywhere, spacing ignored; English as
    whole words), with the name found."""
    folded = thai.fold(text)
    squeezed = re.sub(r"\s+", "", folded)
    found = []
    for topic in topics:
        for name in (topic.name_th, topic.name_en):
            key = thai.fold(name).strip()
            if len(key) < 3:
                continue
            if _LATIN_NAME.match(key):
                hit = re.search(rf"\b{re.escape(key)}\b", folded) is not None
            else:
                hit = re.sub(r"\s+", "", key) in squeezed
            if hit:
                found.append((topic, name))
                break
    return found


def suggest(
    draft: Draft, similar: Sequence[tuple[KnowledgeItem, float]], text: str | None = None
) -> tuple[list[Suggestion], list[Suggestion]]:
    """Topics and tags for the draft, best first: those of similar items (each weighted by how similar)
    and topics it names. What the draft already has is not suggested."""
    chosen_topics = set(draft.topic_ids)
    chosen_tags = {thai.fold(name) for name in draft.tag_names}
    topic_score: dict[int, float] = defaultdict(float)
    topic_items: dict[int, list[KnowledgeItem]] = defaultdict(list)
    tag_score: dict[str, float] = defaultdict(float)
    tag_items: dict[str, list[KnowledgeItem]] = defaultdict(list)
    tag_name: dict[str, str] = {}
    every_topic = {topic.pk: topic for topic in Topic.objects.all()}
    for item, score in similar:
        for topic in item.topics.all():
            topic_score[topic.pk] += score
            topic_items[topic.pk].append(item)
        for tag in item.tags.all():
            key = thai.fold(tag.name)
            tag_score[key] += score
            tag_items[key].append(item)
            tag_name.setdefault(key, tag.name)
    found = mentioned_topics(draft.text() if text is None else text, every_topic.values())
    mentions = {topic.pk: name for topic, name in found}
    for pk in mentions:
        topic_score[pk] += MENTION_WEIGHT
    topics = []
    for pk, score in topic_score.items():
        if pk in chosen_topics or pk not in every_topic:
            continue
        reasons = []
        if pk in mentions:
            reasons.append(_("the text mentions “%(name)s”") % {"name": mentions[pk]})
        if topic_items[pk]:
            reasons.append(_("used by similar knowledge: %(titles)s") % {"titles": _titles(topic_items[pk])})
        topic = every_topic[pk]
        topics.append(Suggestion(topic.display_name, round(score, 4), reasons, topic))
    tags = [
        Suggestion(
            tag_name[key],
            round(score, 4),
            [_("used by similar knowledge: %(titles)s") % {"titles": _titles(tag_items[key])}],
        )
        for key, score in tag_score.items()
        if key not in chosen_tags
    ]
    order = lambda s: (-s.score, s.name)  # noqa: E731
    return sorted(topics, key=order)[:MAX_TOPICS], sorted(tags, key=order)[:MAX_TAGS]
