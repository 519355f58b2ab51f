"""The public search API: one call for the search page, the API and anything else that searches.

A query is folded and segmented exactly as documents are (platoo.lib.thai). Its words are OR-ed and
ranked by BM25, so a whole Thai question works; each run of the query as typed is also looked up as
a substring, which finds a word inside a compound, and each two neighbouring words of a run are looked
up as an indexed pair; runs and pairs found give a bonus. Words found in
half the documents or more carry no weight in BM25 and are dropped when rarer ones remain.
Results are always limited to what each type's adapter says the searcher may read, inside the SQL.
"""

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from platoo.lib import thai
from platoo.lib.themes import common_words

from . import registry, snippets
from .backends import (
    MAX_TEXT,
    MIN_CHUNK_LENGTH,
    PAIR_WEIGHT,
    SUBSTRING_WEIGHT,
    Lookups,
    Row,
    Scope,
    Stats,
    backend,
    idf,
)

MAX_QUERY_LENGTH = 300  # characters; longer queries are cut at a space
MAX_TERMS = 32
MAX_RUNS = 8
MAX_PAIRS = 16
MAX_CHUNK_LENGTH = 100
MAX_LIMIT = 100
MAX_RANKED_IDS = 1000
# A word is common (see backends.Lookups) in more than one document in twenty, and only once it is
# in thousands: scoring it costs about a microsecond per document holding it.
COMMON_TERM_SHARE = 0.05
COMMON_TERM_MIN_DOCUMENTS = 2000
# More like this: of a long text's distinct words (function words left out), the most frequent are
# counted in the index, and the most distinctive of those (tf · idf) fetch the candidates; a word held
# by more than one document in fifty (and by over 100) fetches none, as it would fetch thousands.
MORE_LIKE_COUNTED = 48
MORE_LIKE_TERMS = 16
MORE_LIKE_MAX_SHARE = 0.02
MORE_LIKE_MIN_DOCUMENTS = 100


@dataclass
class Hit:
    label: str
    obj: Any
    title_html: SafeString
    snippet_html: SafeString
    url: str
    score: float
    date: datetime | None = None


@dataclass
class SearchResults:
    query: str
    total: int
    hits: list[Hit]
    counts: dict[str, int]  # per type label, after permissions and filters
    message: str  # "" or why nothing could be searched


@dataclass(frozen=True)
class ParsedQuery:
    text: str  # the query as searched (cleaned, possibly shortened)
    terms: list[str]  # words, as indexed
    runs: list[str]  # letters and digits as typed between spaces and punctuation: always looked up
    pairs: list[str]  # neighbouring words of a run: short exact phrases


def shorten(q: str) -> str:
    text = " ".join(thai.clean(q).split())
    if len(text) <= MAX_QUERY_LENGTH:
        return text
    cut = text.rfind(" ", MAX_QUERY_LENGTH // 2, MAX_QUERY_LENGTH)
    return text[: cut if cut != -1 else MAX_QUERY_LENGTH]


def parse(q: str) -> ParsedQuery:
    text = shorten(q)
    folded = thai.fold_cleaned(text)
    terms = list(dict.fromkeys(thai.tokens(folded)))[:MAX_TERMS]
    runs = [r[:MAX_CHUNK_LENGTH] for r in dict.fromkeys(thai.chunks(folded)) if len(r) >= MIN_CHUNK_LENGTH]
    pairs = [p for r in runs for p in thai.pairs(r) if len(p) >= MIN_CHUNK_LENGTH and p not in runs]
    return ParsedQuery(text, terms, runs[:MAX_RUNS], list(dict.fromkeys(pairs))[:MAX_PAIRS])


def _weighted(query: ParsedQuery, stats: Stats) -> Lookups:
    """The terms, runs and pairs worth searching for, runs and pairs with their bonus.

    Runs are always kept: they are what guarantees that a passage containing the typed word is found.
    """
    terms = [t for t in query.terms if stats.term_df[t]]
    pairs = [p for p in query.pairs if stats.chunk_df[p]]
    runs = [r for r in query.runs if stats.chunk_df[r]]
    rare_terms = [t for t in terms if 2 * stats.term_df[t] < stats.rows]
    rare_pairs = [p for p in pairs if 2 * stats.chunk_df[p] < stats.rows]
    if rare_terms or rare_pairs or runs:
        terms, pairs = rare_terms, rare_pairs

    def bonus(weight: float, chunk: str) -> float:
        return weight * idf(stats.chunk_df[chunk], stats.rows)

    common_df = max(COMMON_TERM_SHARE * stats.rows, COMMON_TERM_MIN_DOCUMENTS)
    common = [t for t in terms if stats.term_df[t] > common_df]
    return Lookups(
        [t for t in terms if t not in common],
        common,
        [(r, bonus(SUBSTRING_WEIGHT, r)) for r in runs],
        [(p, bonus(PAIR_WEIGHT, p)) for p in pairs],
    )


def _scopes(user: Any, params: Mapping[str, str], types: Sequence[str] | None) -> list[Scope]:
    """Per type, what the searcher may read: with no filter set, the audiences they hold plus what is
    granted to them alone; with filters, the filtered visible() rows."""
    scopes = []
    for label, adapter in registry.adapters().items():
        if types is not None and label not in types:
            continue
        filtered = adapter.narrow(adapter.model._default_manager.all(), params)
        if filtered is None:
            continue
        if filtered.query.has_filters():
            # Correlated to the candidate document, so each candidate is checked by primary key
            # instead of listing every readable row on every query.
            visible = adapter.narrow(adapter.visible(user), params)
            correlated = visible.filter(pk=RawSQL("d.object_id", ())) if visible is not None else None
            scope = Scope(label, (), *_sql("EXISTS ({})", correlated))
        else:
            # Grants are few (a person's own drafts): listed once per query, not checked per row.
            scope = Scope(label, adapter.audiences(user), *_sql("d.object_id IN ({})", adapter.granted(user)))
        if scope.audiences or scope.sql:
            scopes.append(scope)
    return scopes


def _sql(template: str, rows: QuerySet[Any] | None) -> tuple[str, Sequence[object]]:
    """A condition on the candidate document `d` built from `rows`' primary keys; "" when none can match."""
    if rows is None:
        return "", ()
    try:
        sql, params = rows.order_by().values("pk").query.get_compiler(using=rows.db).as_sql()
    except EmptyResultSet:
        return "", ()
    return template.format(sql), params


def _unsearchable(query: ParsedQuery) -> str:
    """Why the query cannot be searched, or ""."""
    if not query.text:
        return _("Type a word or a question to search for.")
    if not query.terms and not query.runs:
        return _("Type letters or numbers to search for; punctuation alone cannot be searched.")
    return ""


def _ranked(
    user: Any, query: ParsedQuery, params: Mapping[str, str], types: Sequence[str] | None, offset: int, limit: int
) -> tuple[list[Row], dict[str, int], Lookups | None]:
    """One page of rows the searcher may read, the count per type (zero for every type searched), and
    what was looked up (None when nothing could match)."""
    scopes = _scopes(user, params, types)
    counts = {scope.label: 0 for scope in scopes}
    engine = backend()
    stats = engine.stats(query.terms, query.runs, query.pairs)
    lookups = _weighted(query, stats)
    if not scopes or not (lookups.words or lookups.runs or lookups.pairs):
        return [], counts, None
    rows, found = engine.ranked(lookups, stats, scopes, max(0, offset), limit)
    counts.update(found)
    return rows, counts, lookups


def search(
    user: Any,
    q: str,
    *,
    params: Mapping[str, str] | None = None,
    types: Sequence[str] | None = None,
    offset: int = 0,
    limit: int = 20,
) -> SearchResults:
    """Search everything `user` may read for `q`, best first."""
    query = parse(q)
    if message := _unsearchable(query):
        return SearchResults(query.text, 0, [], {}, message)
    rows, counts, lookups = _ranked(user, query, params or {}, types, offset, max(1, min(limit, MAX_LIMIT)))
    if lookups is None:
        return SearchResults(query.text, 0, [], counts, "")
    needle = snippets.pattern([*lookups.words, *(c for c, _ in (*lookups.runs, *lookups.pairs))])
    objects: dict[str, dict[int, Any]] = {}
    for label in {row.label for row in rows}:
        objects[label] = registry.adapters()[label].load([row.object_id for row in rows if row.label == label])
    hits = [
        Hit(
            label=row.label,
            obj=objects[row.label][row.object_id],
            title_html=snippets.highlight(row.title, needle),
            snippet_html=snippets.snippet(row.body, needle),
            url=row.url,
            score=row.score,
            date=row.date,
        )
        for row in rows
        if row.object_id in objects[row.label]
    ]
    return SearchResults(query.text, sum(counts.values()), hits, counts, "")


def ranked_ids(user: Any, q: str, label: str, *, limit: int = MAX_RANKED_IDS) -> tuple[list[int], str]:
    """The ids of one type's objects matching `q` that `user` may read, best first (at most `limit`), and
    why nothing could be searched ("" when the query was searched): for pages that combine the search
    with filters of their own, like the people directory."""
    query = parse(q)
    if message := _unsearchable(query):
        return [], message
    rows, _counts, _lookups = _ranked(user, query, {}, [label], 0, max(1, limit))
    return [row.object_id for row in rows], ""


@dataclass(frozen=True)
class MoreLike:
    """Documents sharing a text's most distinctive words, best first (BM25), and what was counted."""

    rows: list[Row]  # with the document's indexed title and body, for re-scoring without another query
    terms: list[str]  # the words looked up
    term_df: dict[str, int]  # documents holding each counted word of the text (an IDF for re-scoring)
    documents: int  # documents in the index: BM25's N


def more_like_this(user: Any, text: str, label: str, *, limit: int = 40, exclude: Sequence[int] = ()) -> MoreLike:
    """The `label` documents `user` may read that share the most distinctive words of `text` (a draft):
    a "more like this" query. The text is folded and segmented exactly as documents are; its words are
    weighted by how often it uses them and how rare they are in the index, and only the best
    MORE_LIKE_TERMS are OR-ed, so a long draft costs no more than a short question. Objects in
    `exclude` (the item being edited) are left out."""
    folded = thai.fold(text[:MAX_TEXT])
    stop = common_words()
    counts = Counter(t for t in thai.tokens(folded) if t not in stop and len(t) > 1 and not t.isdigit())
    counted = [t for t, _ in counts.most_common(MORE_LIKE_COUNTED)]
    scopes = _scopes(user, {}, [label])
    if not counted or not scopes:
        return MoreLike([], [], {}, 0)
    engine = backend()
    stats = engine.stats(counted, [], [])
    most = max(MORE_LIKE_MAX_SHARE * stats.rows, MORE_LIKE_MIN_DOCUMENTS)
    weights = {
        t: (1 + math.log(counts[t])) * idf(stats.term_df[t], stats.rows)
        for t in counted
        if 0 < stats.term_df[t] <= most
    }
    chosen = sorted(weights, key=lambda t: (-weights[t], t))[:MORE_LIKE_TERMS]
    lookups = Lookups(chosen, [], [], [])
    if not lookups.words:
        return MoreLike([], [], stats.term_df, stats.rows)
    rows, _counts = engine.ranked(lookups, stats, scopes, 0, limit + len(exclude))
    skipped = set(exclude)
    kept = [row for row in rows if row.object_id not in skipped][:limit]
    return MoreLike(kept, lookups.words, stats.term_df, stats.rows)
