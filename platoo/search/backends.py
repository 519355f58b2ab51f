"""The two search backends: SQLite FTS5 and PostgreSQL, with the same relevance.

Both index the same pre-segmented tokens (platoo.lib.thai) and rank by the same BM25: on SQLite
it is FTS5's bm25(); on PostgreSQL the identical formula is computed in SQL from stored per-field
term frequencies. Both also keep the folded raw text for substring search (FTS5 trigram table,
pg_trgm), which finds a word inside a compound that the segmenter did not split out.
"""

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
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
# A query run found as a substring (inside compounds too) adds this share of its IDF.
SUBSTRING_WEIGHT = 0.4
MAX_TEXT = 200_000  # characters of one document that are indexed and kept for snippets


@dataclass(frozen=True)
class Prepared:
    """An entry as the index tables store it: tokens per field and the folded text."""

    title: list[str]
    keywords: list[str]
    body: list[str]
    text: str  # folded title, keywords and body, one per line, for substring search
    shown_title: str  # cleaned, for showing and snippets
    shown_body: str

    @classmethod
    def from_entry(cls, entry: IndexEntry) -> "Prepared":
        shown = [thai.clean(entry.title), thai.clean(entry.keywords), thai.clean(entry.body[:MAX_TEXT])]
        folded = [thai.fold_cleaned(text) for text in shown]
        title, keywords, body = (thai.tokens(text) for text in folded)
        return cls(title, keywords, body, "\n".join(folded), shown[0], shown[2])

    @property
    def length(self) -> int:
        return len(self.title) + len(self.keywords) + len(self.body)


@dataclass(frozen=True)
class Stats:
    rows: int  # rows in the backend's tables: BM25's N
    avgdl: float
    term_df: dict[str, int]
    chunk_df: dict[str, int]


@dataclass(frozen=True)
class Scope:
    """One type's rows a searcher may see after filters, as SQL for `EXISTS (...)` correlated to `d`."""

    label: str
    sql: str
    params: Sequence[object]


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

    def stats(self, terms: Sequence[str], chunks: Sequence[str]) -> Stats:
        raise NotImplementedError

    def hits_sql(self, terms: Sequence[str], chunks: Sequence[tuple[str, float]], stats: Stats) -> tuple[str, list]:
        """SQL selecting (id, score) for every document matching a term or containing a chunk."""
        raise NotImplementedError

    def ranked(
        self,
        terms: Sequence[str],
        chunks: Sequence[tuple[str, float]],
        stats: Stats,
        scopes: Sequence[Scope],
        offset: int,
        limit: int,
    ) -> tuple[list[Row], dict[str, int]]:
        """One page of hits, best first, and the count per type, all inside the scopes."""
        hits_sql, params = self.hits_sql(terms, chunks, stats)
        allowed = " OR ".join(f"(d.label = %s AND EXISTS ({s.sql}))" for s in scopes)
        for scope in scopes:
            params += [scope.label, *scope.params]
        # Scores are rounded so that the last bits of floating-point sums never reorder ties
        # differently on the two backends.
        words = self.words_cte() if terms else ""
        sql = f"""
            WITH {words} hits AS MATERIALIZED ({hits_sql}),
            found AS (
                SELECT d.id, d.label, d.object_id, {self.round_sql("hits.score")} AS score
                FROM hits JOIN search_searchdocument d ON d.id = hits.id
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

    def analyze(self) -> None:
        """Refresh the planner's statistics after a bulk load, so it plans hits × permissions well."""
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def words_cte(self) -> str:
        """A CTE the hits SQL needs ahead of it (with a trailing comma), or ""."""
        return ""


class SqliteBackend(Backend):
    """FTS5: a word table (pre-segmented tokens, bm25()) and a trigram table (substrings)."""

    vendor = "sqlite"

    def write(self, rows: Iterable[tuple[int, Prepared]]) -> None:
        rows = list(rows)
        ids = [(doc_id,) for doc_id, _ in rows]
        with connection.cursor() as cursor:
            cursor.executemany("DELETE FROM search_words WHERE rowid = %s", ids)
            cursor.executemany("DELETE FROM search_substrings WHERE rowid = %s", ids)
            cursor.executemany(
                "INSERT INTO search_words (rowid, title, keywords, body) VALUES (%s, %s, %s, %s)",
                [(i, " ".join(p.title), " ".join(p.keywords), " ".join(p.body)) for i, p in rows],
            )
            cursor.executemany(
                "INSERT INTO search_substrings (rowid, text) VALUES (%s, %s)", [(i, p.text) for i, p in rows]
            )

    def delete(self, doc_ids: Sequence[int]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany("DELETE FROM search_words WHERE rowid = %s", [(i,) for i in doc_ids])
            cursor.executemany("DELETE FROM search_substrings WHERE rowid = %s", [(i,) for i in doc_ids])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_words")
            cursor.execute("DELETE FROM search_substrings")

    def stats(self, terms: Sequence[str], chunks: Sequence[str]) -> Stats:
        # The docsize shadow table has one row per document; counting the FTS table itself reads it all.
        counts = ["(SELECT count(*) FROM search_words_docsize)"]
        counts += ["(SELECT count(*) FROM search_words WHERE search_words MATCH %s)"] * len(terms)
        counts += ["(SELECT count(*) FROM search_substrings WHERE search_substrings MATCH %s)"] * len(chunks)
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(counts), [*map(_phrase, terms), *map(_phrase, chunks)])
            n, *dfs = cursor.fetchone()
        return Stats(
            n, 0.0, dict(zip(terms, dfs[: len(terms)], strict=True)), dict(zip(chunks, dfs[len(terms) :], strict=True))
        )

    def hits_sql(self, terms: Sequence[str], chunks: Sequence[tuple[str, float]], stats: Stats) -> tuple[str, list]:
        parts: list[str] = []
        params: list[object] = []
        if terms:
            # bm25() only works in a query of its own; the CTE is materialized so it stays one.
            parts.append("SELECT id, score FROM words")
            params += [*WEIGHTS, " OR ".join(map(_phrase, terms))]
        for chunk, bonus in chunks:
            parts.append("SELECT rowid AS id, %s AS score FROM search_substrings WHERE search_substrings MATCH %s")
            params += [bonus, _phrase(chunk)]
        return f"SELECT id, sum(score) AS score FROM ({' UNION ALL '.join(parts)}) GROUP BY id", params  # noqa: S608 (constant SQL fragments; values are parameters)

    def words_cte(self) -> str:
        return """words AS MATERIALIZED (
            SELECT rowid AS id, -bm25(search_words, %s, %s, %s) AS score FROM search_words WHERE search_words MATCH %s
        ),"""


class PostgresBackend(Backend):
    """A 'simple' tsvector of the same tokens for matching, per-field term frequencies for BM25,
    and the folded text under a pg_trgm index for substrings."""

    vendor = "postgresql"

    def write(self, rows: Iterable[tuple[int, Prepared]]) -> None:
        values = []
        for doc_id, p in rows:
            freqs: dict[str, list[int]] = {}
            for field, field_tokens in enumerate((p.title, p.keywords, p.body)):
                for token in field_tokens:
                    freqs.setdefault(token, [0, 0, 0])[field] += 1
            values.append((doc_id, list(freqs), _json(freqs), p.length, p.text))
        with connection.cursor() as cursor:
            cursor.executemany(
                """INSERT INTO search_terms (document_id, terms, freqs, length, text)
                VALUES (%s, array_to_tsvector(%s::text[]), %s::jsonb, %s, %s)
                ON CONFLICT (document_id) DO UPDATE SET terms = EXCLUDED.terms, freqs = EXCLUDED.freqs,
                    length = EXCLUDED.length, text = EXCLUDED.text""",
                values,
            )

    def delete(self, doc_ids: Sequence[int]) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_terms WHERE document_id = ANY(%s)", [list(doc_ids)])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE search_terms")

    def stats(self, terms: Sequence[str], chunks: Sequence[str]) -> Stats:
        counts = ["(SELECT count(*) FROM search_terms WHERE terms @@ %s::tsquery)"] * len(terms)
        counts += ["(SELECT count(*) FROM search_terms WHERE text LIKE %s)"] * len(chunks)
        sql = "SELECT count(*), coalesce(sum(length), 0)" + "".join(", " + c for c in counts) + " FROM search_terms"  # noqa: S608 (constant SQL fragments; values are parameters)
        with connection.cursor() as cursor:
            cursor.execute(sql, [*map(_lexeme, terms), *map(_like, chunks)])
            n, total, *dfs = cursor.fetchone()
        return Stats(
            n,
            total / n if n else 0.0,
            dict(zip(terms, dfs[: len(terms)], strict=True)),
            dict(zip(chunks, dfs[len(terms) :], strict=True)),
        )

    def hits_sql(self, terms: Sequence[str], chunks: Sequence[tuple[str, float]], stats: Stats) -> tuple[str, list]:
        parts: list[str] = []
        params: list[object] = []
        if terms:
            # FTS5's bm25(): sum over terms of idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * D / avgdl)),
            # tf weighted per field, D and avgdl in tokens over all fields.
            parts.append(
                """SELECT t.document_id AS id, sum(q.idf * f.tf * %s / (f.tf + %s * (1 - %s + %s * t.length / %s))) AS score
                FROM search_terms t
                JOIN unnest(%s::text[], %s::float8[]) AS q(term, idf) ON t.freqs ? q.term
                CROSS JOIN LATERAL (
                    SELECT (t.freqs -> q.term ->> 0)::float8 * %s + (t.freqs -> q.term ->> 1)::float8 * %s
                        + (t.freqs -> q.term ->> 2)::float8 * %s AS tf
                ) f
                WHERE t.terms @@ %s::tsquery
                GROUP BY t.document_id"""
            )
            params += [K1 + 1, K1, B, B, stats.avgdl or 1.0]
            params += [list(terms), [idf(stats.term_df[t], stats.rows) for t in terms], *WEIGHTS]
            params.append(" | ".join(map(_lexeme, terms)))
        for chunk, bonus in chunks:
            parts.append("SELECT document_id AS id, %s::float8 AS score FROM search_terms WHERE text LIKE %s")
            params += [bonus, _like(chunk)]
        return f"SELECT id, sum(score) AS score FROM ({' UNION ALL '.join(parts)}) s GROUP BY id", params  # noqa: S608 (constant SQL fragments; values are parameters)

    def round_sql(self, expression: str) -> str:
        return f"round(({expression})::numeric, 9)::float8"


def _datetime(value: datetime | str | None) -> datetime | None:
    """Raw SQLite cursors return datetimes as text; PostgreSQL returns them aware."""
    if isinstance(value, str):
        parsed = parse_datetime(value)
        return parsed.replace(tzinfo=UTC) if parsed and parsed.tzinfo is None else parsed
    return value


def _phrase(text: str) -> str:
    """An FTS5 string literal (tokens hold no quotes, but a doubled quote escapes one anyway)."""
    return '"' + text.replace('"', '""') + '"'


def _lexeme(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


BACKENDS: dict[str, type[Backend]] = {"sqlite": SqliteBackend, "postgresql": PostgresBackend}


def backend() -> Backend:
    try:
        return BACKENDS[connection.vendor]()
    except KeyError:
        raise ImproperlyConfigured(f"Search supports SQLite and PostgreSQL, not {connection.vendor}") from None
