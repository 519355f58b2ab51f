"""The two search backends: SQLite FTS5 and PostgreSQL, with the same relevance.

Both index the same pre-segmented tokens (platoo.lib.thai) and rank by the same BM25: on SQLite
it is FTS5's bm25(); on PostgreSQL the identical formula is computed in SQL from a posting table
(term, document, weighted term frequency, document length). Both also index each two neighbouring
words of a run as one token (a "pair": the short exact phrases of a Thai question, looked up like
any term), and keep the folded raw text for substring search (FTS5 trigram table, pg_trgm), which
finds a typed word inside a compound that the segmenter did not split out.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.utils.dateparse import parse_datetime

from platoo.lib import thai

from .registry import IndexEntry

# BM25 as FTS5's bm25() computes it (k1 and b are fixed there), and the field weights.
K1 = 1.2
B = 0.75
IDF_FLOOR = 1e-6
WEIGHTS = (5.0, 2.0, 1.0)  # title, keywords, body: tuned on the iApp dev set, see bench/README.md
# A query run found as a substring (inside compounds too) adds this share of its IDF; a pair of
# neighbouring query words found as an indexed pair, this share.
SUBSTRING_WEIGHT = 2.0
PAIR_WEIGHT = 0.3
MAX_TEXT = 200_000  # characters of one document that are indexed and kept for snippets
MIN_CHUNK_LENGTH = 3  # characters: trigram search needs three, and shorter pairs are not indexed


@dataclass(frozen=True)
class Prepared:
    """An entry as the index tables store it: tokens per field and the folded text."""

    title: list[str]
    keywords: list[str]
    body: list[str]
    pairs: list[str]  # distinct neighbouring-word pairs of every run (thai.pairs), as one token each
    text: str  # folded title, keywords and body, one per line, for substring search
    shown_title: str  # cleaned, for showing and snippets
    shown_body: str

    @classmethod
    def from_entry(cls, entry: IndexEntry) -> "Prepared":
        shown = [thai.clean(entry.title), thai.clean(entry.keywords), thai.clean(entry.body[:MAX_TEXT])]
        folded = [thai.fold_cleaned(text) for text in shown]
        title, keywords, body = (thai.tokens(text) for text in folded)
        every_pair = (pair for text in folded for run in thai.chunks(text) for pair in thai.pairs(run))
        pairs = list(dict.fromkeys(pair for pair in every_pair if len(pair) >= MIN_CHUNK_LENGTH))
        return cls(title, keywords, body, pairs, "\n".join(folded), shown[0], shown[2])

    @property
    def length(self) -> int:
        return len(self.title) + len(self.keywords) + len(self.body)


@dataclass(frozen=True)
class Stats:
    rows: int  # rows in the backend's tables: BM25's N
    avgdl: float
    term_df: dict[str, int]
    chunk_df: dict[str, int]  # runs (documents containing the substring) and pairs (holding the pair)
    # Documents containing each run, where finding them is the costly part (PostgreSQL's LIKE
    # rechecks): found once while counting, then reused for ranking.
    run_documents: dict[str, list[int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Lookups:
    """What one query looks up in the index, runs and pairs with their bonus.

    Words found in many documents (`common`) are scored only in documents that also hold one of the
    rarer `terms`, or, when the query has none, all the common words: the idea of Lucene's common-terms
    query. They barely move BM25 (a low IDF), yet scoring them everywhere costs a row per document.
    """

    terms: Sequence[str]
    common: Sequence[str]
    runs: Sequence[tuple[str, float]]
    pairs: Sequence[tuple[str, float]]

    @property
    def words(self) -> list[str]:
        return [*self.terms, *self.common]


@dataclass(frozen=True)
class Scope:
    """One type's documents a searcher may see after filters: those of the audiences, and those the
    SQL condition on the document `d` admits."""

    label: str
    audiences: Sequence[str]
    sql: str = ""
    params: Sequence[object] = ()

    def condition(self) -> tuple[str, list[object]]:
        checks = [f"d.audience IN ({', '.join(['%s'] * len(self.audiences))})"] if self.audiences else []
        # OR stops at the first true side: most candidates never reach the SQL condition.
        checks += [self.sql] if self.sql else []
        return f"(d.label = %s AND ({' OR '.join(checks)}))", [self.label, *self.audiences, *self.params]


@dataclass(frozen=True)
class Row:
    doc_id: int
    label: str
    object_id: int
    score: float
    title: str
    body: str
    url: str
    date: datetime | None


def idf(df: int, n: int) -> float:
    """FTS5's BM25 IDF, floored the way bm25() floors it."""
    value = math.log((n - df + 0.5) / (df + 0.5)) if n else 0.0
    return value if value > 0 else IDF_FLOOR


class Backend:
    vendor = ""

    def write(self, rows: Iterable[tuple[int, Prepared]]) -> None:
        raise NotImplementedError

    def delete(self, doc_ids: Sequence[int]) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    def stats(self, terms: Sequence[str], runs: Sequence[str], pairs: Sequence[str]) -> Stats:
        raise NotImplementedError

    def hits_sql(self, lookups: Lookups, stats: Stats) -> tuple[str, list]:
        """SQL selecting (id, score) for every document matching a word or a pair, or containing a run."""
        raise NotImplementedError

    def ranked(
        self, lookups: Lookups, stats: Stats, scopes: Sequence[Scope], offset: int, limit: int
    ) -> tuple[list[Row], dict[str, int]]:
        """One page of hits, best first, and the count per type, all inside the scopes."""
        hits_sql, params = self.hits_sql(lookups, stats)
        conditions = [scope.condition() for scope in scopes]
        allowed = " OR ".join(sql for sql, _ in conditions)
        for _, condition_params in conditions:
            params += condition_params
        # Scores are rounded so that the last bits of floating-point sums never reorder ties
        # differently on the two backends.
        words = self.words_cte(lookups) if lookups.words else ""
        sql = f"""
            WITH {words} hits AS MATERIALIZED ({hits_sql}),
            found AS MATERIALIZED (
                SELECT d.id, d.label, d.object_id, {self.round_sql("hits.score")} AS score
                FROM hits JOIN {self.documents_by_id} d ON d.id = hits.id
                WHERE {allowed}
            ),
            page AS (SELECT id, label, object_id, score FROM found ORDER BY score DESC, id LIMIT %s OFFSET %s)
            SELECT page.id, page.label, page.object_id, page.score, d.title, d.body, d.url, d.date, 0
            FROM page JOIN search_searchdocument d ON d.id = page.id
            UNION ALL
            SELECT NULL, label, NULL, NULL, NULL, NULL, NULL, NULL, count(*) FROM found GROUP BY label
        """  # noqa: S608 (constant SQL fragments; values are parameters)
        params += [limit, offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            result = cursor.fetchall()
        rows = [Row(r[0], r[1], r[2], r[3], r[4], r[5], r[6], _datetime(r[7])) for r in result if r[0] is not None]
        rows.sort(key=lambda r: (-r.score, r.doc_id))
        counts = {r[1]: r[8] for r in result if r[0] is None}
        return rows, counts

    def round_sql(self, expression: str) -> str:
        return f"round({expression}, 9)"

    # How the hits reach their documents' type and object id: thousands of rows per query.
    documents_by_id = "search_searchdocument"

    def analyze(self) -> None:
        """Refresh the planner's statistics after a bulk load, so it plans hits × permissions well."""
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def words_cte(self, lookups: Lookups) -> str:
        """A CTE the hits SQL needs ahead of it (with a trailing comma), or ""."""
        return ""


class SqliteBackend(Backend):
    """FTS5: a word table (pre-segmented tokens, bm25()), a pair table and a trigram table (substrings)."""

    vendor = "sqlite"
    tables = ("search_words", "search_pairs", "search_substrings")

    def write(self, rows: Iterable[tuple[int, Prepared]]) -> None:
        rows = list(rows)
        self.delete([doc_id for doc_id, _ in rows])
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_words (rowid, title, keywords, body) VALUES (%s, %s, %s, %s)",
                [(i, " ".join(p.title), " ".join(p.keywords), " ".join(p.body)) for i, p in rows],
            )
            cursor.executemany(
                "INSERT INTO search_pairs (rowid, pairs) VALUES (%s, %s)", [(i, " ".join(p.pairs)) for i, p in rows]
            )
            cursor.executemany(
                "INSERT INTO search_substrings (rowid, text) VALUES (%s, %s)", [(i, p.text) for i, p in rows]
            )

    def delete(self, doc_ids: Sequence[int]) -> None:
        with connection.cursor() as cursor:
            for table in self.tables:
                cursor.executemany(f"DELETE FROM {table} WHERE rowid = %s", [(i,) for i in doc_ids])  # noqa: S608 (constant table names)

    def clear(self) -> None:
        with connection.cursor() as cursor:
            for table in self.tables:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (constant table names)

    def stats(self, terms: Sequence[str], runs: Sequence[str], pairs: Sequence[str]) -> Stats:
        # The docsize shadow table has one row per document; counting the FTS table itself reads it all.
        counts = ["(SELECT count(*) FROM search_words_docsize)"]
        counts += ["(SELECT count(*) FROM search_words WHERE search_words MATCH %s)"] * len(terms)
        counts += ["(SELECT count(*) FROM search_substrings WHERE search_substrings MATCH %s)"] * len(runs)
        counts += ["(SELECT count(*) FROM search_pairs WHERE search_pairs MATCH %s)"] * len(pairs)
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(counts), [_phrase(x) for x in (*terms, *runs, *pairs)])
            n, *dfs = cursor.fetchone()
        return Stats(
            n,
            0.0,
            dict(zip(terms, dfs[: len(terms)], strict=True)),
            dict(zip([*runs, *pairs], dfs[len(terms) :], strict=True)),
        )

    def hits_sql(self, lookups: Lookups, stats: Stats) -> tuple[str, list]:
        parts: list[str] = []
        params: list[object] = []
        if lookups.words:
            # bm25() only works in a query of its own; the CTE is materialized so it stays one.
            parts.append("SELECT id, score FROM words")
            params += [x for expression in self.words_expressions(lookups) for x in (*WEIGHTS, expression)]
        for table, chunks in (("search_substrings", lookups.runs), ("search_pairs", lookups.pairs)):
            for chunk, bonus in chunks:
                parts.append(f"SELECT rowid AS id, %s AS score FROM {table} WHERE {table} MATCH %s")  # noqa: S608 (constant table names)
                params += [bonus, _phrase(chunk)]
        return f"SELECT id, sum(score) AS score FROM ({' UNION ALL '.join(parts)}) GROUP BY id", params  # noqa: S608 (constant SQL fragments; values are parameters)

    @staticmethod
    def words_expressions(lookups: Lookups) -> list[str]:
        """FTS5 queries whose rows, together, are the documents to score; bm25() adds up every word of
        an expression that a row holds, so the common words ride along where a rarer term matched."""
        terms = " OR ".join(map(_phrase, lookups.terms))
        common = " OR ".join(map(_phrase, lookups.common))
        if not lookups.common:
            return [terms]
        if not lookups.terms:
            return [" AND ".join(map(_phrase, lookups.common))]
        return [f"({terms}) AND ({common})", f"({terms}) NOT ({common})"]

    def analyze(self) -> None:
        super().analyze()
        if not connection.in_atomic_block:
            # A rebuild leaves every index page in the WAL, where each read must look it up first;
            # copying them into the database file keeps searches right after a rebuild fast.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def words_cte(self, lookups: Lookups) -> str:
        select = (
            "SELECT rowid AS id, -bm25(search_words, %s, %s, %s) AS score FROM search_words WHERE search_words MATCH %s"
        )
        return f"words AS MATERIALIZED ({' UNION ALL '.join([select] * len(self.words_expressions(lookups)))}),"


class PostgresBackend(Backend):
    """Posting tables with btree indexes: terms (weighted tf and document length, so BM25 is one
    index-only aggregate) and pairs; the folded text under a pg_trgm index for runs; and one row
    holding N and the total length, kept in step by every write."""

    vendor = "postgresql"

    def write(self, rows: Iterable[tuple[int, Prepared]]) -> None:
        rows = list(rows)
        self.delete([doc_id for doc_id, _ in rows])
        documents, postings, pairs = [], [], []
        for doc_id, p in rows:
            freqs: dict[str, float] = {}
            for weight, field_tokens in zip(WEIGHTS, (p.title, p.keywords, p.body), strict=True):
                for token in field_tokens:
                    freqs[token] = freqs.get(token, 0.0) + weight
            documents.append((doc_id, p.length, _trigram_safe(p.text)))
            postings += [(term, doc_id, tf, p.length) for term, tf in freqs.items()]
            pairs += [(pair, doc_id) for pair in p.pairs]
        with connection.cursor() as cursor:
            for table, values in (
                ("search_terms (document_id, length, text)", documents),
                ("search_postings (term, document_id, tf, length)", postings),
                ("search_pairs (pair, document_id)", pairs),
            ):
                with cursor.cursor.copy(f"COPY {table} FROM STDIN") as copy:
                    for row in values:
                        copy.write_row(row)
            cursor.execute(
                "UPDATE search_stats SET rows = rows + %s, length = length + %s",
                [len(documents), sum(length for _, length, _ in documents)],
            )

    def delete(self, doc_ids: Sequence[int]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                """WITH gone AS (DELETE FROM search_terms WHERE document_id = ANY(%s) RETURNING length)
                UPDATE search_stats SET rows = rows - (SELECT count(*) FROM gone),
                    length = length - (SELECT coalesce(sum(length), 0) FROM gone)""",
                [list(doc_ids)],
            )
            cursor.execute("DELETE FROM search_postings WHERE document_id = ANY(%s)", [list(doc_ids)])
            cursor.execute("DELETE FROM search_pairs WHERE document_id = ANY(%s)", [list(doc_ids)])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE search_terms, search_postings, search_pairs")
            cursor.execute("UPDATE search_stats SET rows = 0, length = 0")

    def stats(self, terms: Sequence[str], runs: Sequence[str], pairs: Sequence[str]) -> Stats:
        # One statement: N and the total length, then the dfs of all terms, pairs and runs.
        sql = """SELECT 0, '', rows, length, NULL::bigint[] FROM search_stats
            UNION ALL SELECT 1, term, count(*), 0, NULL FROM search_postings WHERE term = ANY(%s) GROUP BY term
            UNION ALL SELECT 2, pair, count(*), 0, NULL FROM search_pairs WHERE pair = ANY(%s) GROUP BY pair"""
        sql += (
            " UNION ALL SELECT 3, %s::text, count(*), 0, array_agg(document_id) FROM search_terms WHERE text LIKE %s"
        ) * len(runs)
        with connection.cursor() as cursor:
            cursor.execute(sql, [list(terms), list(pairs), *(x for run in runs for x in (run, _trigram_like(run)))])
            result = cursor.fetchall()
        n, total = next((rows, length) for kind, _, rows, length, _ in result if kind == 0)
        term_df = dict.fromkeys(terms, 0) | {key: df for kind, key, df, _, _ in result if kind == 1}
        chunk_df = dict.fromkeys([*runs, *pairs], 0) | {key: df for kind, key, df, _, _ in result if kind in (2, 3)}
        run_documents = {key: ids or [] for kind, key, _, _, ids in result if kind == 3}
        return Stats(n, total / n if n else 0.0, term_df, chunk_df, run_documents)

    def hits_sql(self, lookups: Lookups, stats: Stats) -> tuple[str, list]:
        parts: list[str] = []
        params: list[object] = []
        words = lookups.words
        if words:
            # FTS5's bm25(): sum over terms of idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * D / avgdl)),
            # tf weighted per field, D and avgdl in tokens over all fields; common words count only in
            # documents holding a rarer term, or all of the common words when there is none.
            parts.append(
                """SELECT p.document_id AS id,
                    sum(q.idf * p.tf * %s / (p.tf + %s * (1 - %s + %s * p.length / %s))) AS score
                FROM search_postings p
                JOIN unnest(%s::text[], %s::float8[], %s::bool[]) AS q(term, idf, rare) ON p.term = q.term
                GROUP BY p.document_id HAVING bool_or(q.rare) OR count(*) = %s"""
            )
            params += [K1 + 1, K1, B, B, stats.avgdl or 1.0]
            params += [words, [idf(stats.term_df[t], stats.rows) for t in words], [t in lookups.terms for t in words]]
            params.append(len(words))  # a document holding every word holds a rare one, if any
        pairs = lookups.pairs
        if pairs:
            parts.append(
                """SELECT p.document_id AS id, q.bonus AS score
                FROM search_pairs p JOIN unnest(%s::text[], %s::float8[]) AS q(pair, bonus) ON p.pair = q.pair"""
            )
            params += [[pair for pair, _ in pairs], [bonus for _, bonus in pairs]]
        for run, bonus in lookups.runs:
            parts.append("SELECT unnest(%s::bigint[]) AS id, %s::float8 AS score")
            params += [stats.run_documents[run], bonus]
        return f"SELECT id, sum(score) AS score FROM ({' UNION ALL '.join(parts)}) s GROUP BY id", params  # noqa: S608 (constant SQL fragments; values are parameters)

    def round_sql(self, expression: str) -> str:
        return f"round(({expression})::numeric, 9)::float8"

    def analyze(self) -> None:
        # VACUUM also sets the visibility map, which lets BM25 read the postings index only; it cannot
        # run inside a transaction (tests), where ANALYZE alone is done.
        if connection.in_atomic_block:
            super().analyze()
            return
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) search_terms, search_postings, search_pairs")
            cursor.execute("ANALYZE")


def _datetime(value: datetime | str | None) -> datetime | None:
    """Raw SQLite cursors return datetimes as text; PostgreSQL returns them aware."""
    if isinstance(value, str):
        parsed = parse_datetime(value)
        return parsed.replace(tzinfo=UTC) if parsed and parsed.tzinfo is None else parsed
    return value


def _phrase(text: str) -> str:
    """An FTS5 string literal (tokens hold no quotes, but a doubled quote escapes one anyway)."""
    return '"' + text.replace('"', '""') + '"'


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


# pg_trgm counts only letters and digits as word characters, and Thai vowel and tone marks (Mn) are
# neither: ย่อ would index as the lone letters ย and อ, so a LIKE on it rechecks nearly every row.
# The stored text and the patterns swap each mark for a Cherokee letter, one for one, which pg_trgm
# keeps inside the word; Cherokee does not occur in this platform's Thai and English text.
_TRIGRAM_SAFE = {mark: 0x13A0 + i for i, mark in enumerate([0x0E31, *range(0x0E34, 0x0E3B), *range(0x0E47, 0x0E4F)])}


def _trigram_safe(text: str) -> str:
    return text.translate(_TRIGRAM_SAFE)


def _trigram_like(text: str) -> str:
    return _like(_trigram_safe(text))


BACKENDS: dict[str, type[Backend]] = {"sqlite": SqliteBackend, "postgresql": PostgresBackend}


def backend() -> Backend:
    try:
        return BACKENDS[connection.vendor]()
    except KeyError:
        raise ImproperlyConfigured(f"Search supports SQLite and PostgreSQL, not {connection.vendor}") from None
