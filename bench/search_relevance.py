"""Relevance of Platoo's search, through the product's own path, on a retrieval set in the shared format.

    python bench/search_relevance.py --corpus CORPUS.jsonl --queries QUERIES.jsonl --backend sqlite|postgres
        [--words WORDS.txt]

Each corpus passage ({"id", "title", "text"}) becomes a public knowledge item made with do_create_item
(which indexes it on commit, as the app does), in a fresh database: a temporary SQLite file, or a
PostgreSQL database created for the run and dropped after it (server from BENCH_POSTGRES_URL,
default postgres://postgres@127.0.0.1:5432/postgres). Each query ({"query", "relevant": [ids]}) runs
through platoo.search.query.search as an anonymous visitor. The last line printed is one JSON object
with nDCG@10, Recall@10, MRR@10, p95_ms (and findability with --words: for each word, the share of
passages containing it as a substring that a search for the word returns, averaged).
"""

import argparse
import json
import math
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@contextmanager
def fresh_database(backend: str) -> Iterator[None]:
    """Point Django at a new, empty database for the duration, then throw it away."""
    with tempfile.TemporaryDirectory(prefix="platoo-bench-") as var_dir:
        os.environ["PLATOO_VAR_DIR"] = var_dir
        if backend == "sqlite":
            os.environ["DATABASE_URL"] = f"sqlite:///{var_dir}/bench.sqlite3"
            yield
            return
        import psycopg

        server = os.getenv("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
        name = f"platoo_bench_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {name}")
        os.environ["DATABASE_URL"] = server.rsplit("/", 1)[0] + "/" + name
        try:
            yield
        finally:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(server, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platoo.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def read_jsonl(path: str) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def index_corpus(corpus: list[dict[str, Any]]) -> dict[int, str]:
    """Every passage as a public note written by one member; returns item pk → passage id."""
    from platoo.accounts.models import User
    from platoo.knowledge.actions import ItemData, do_create_item

    author = User.objects.create_user(username="bench", email="bench@example.org", password=uuid.uuid4().hex)
    pk_to_id = {}
    started = time.perf_counter()
    for n, passage in enumerate(corpus, 1):
        data = ItemData(title=passage["title"] or passage["id"], kind="note", body=passage["text"], visibility="public")
        pk_to_id[do_create_item(author, data).pk] = passage["id"]
        if n % 500 == 0:
            log(f"indexed {n}/{len(corpus)}")
    elapsed = time.perf_counter() - started
    log(f"indexed {len(corpus)} passages in {elapsed:.1f}s ({len(corpus) / elapsed:.0f} items/s, with revisions)")
    return pk_to_id


def ranked_ids(q: str, pk_to_id: dict[int, str], k: int) -> list[str]:
    from platoo.search.query import search

    return [pk_to_id[hit.obj.pk] for hit in search(None, q, limit=k).hits]


def evaluate(queries: list[dict[str, Any]], pk_to_id: dict[int, str], k: int = 10) -> dict[str, float]:
    ndcg = recall = mrr = 0.0
    times = []
    for query in queries:
        relevant = set(query["relevant"])
        started = time.perf_counter()
        ranking = ranked_ids(query["query"], pk_to_id, k)
        times.append((time.perf_counter() - started) * 1000)
        gains = [1.0 if doc in relevant else 0.0 for doc in ranking]
        dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
        ideal = sum(1 / math.log2(i + 2) for i in range(min(len(relevant), k)))
        ndcg += dcg / ideal if ideal else 0.0
        recall += len(relevant & set(ranking)) / len(relevant) if relevant else 0.0
        mrr += next((1 / (i + 1) for i, g in enumerate(gains) if g), 0.0)
    n = len(queries)
    times.sort()
    return {
        "nDCG@10": round(ndcg / n, 4),
        "Recall@10": round(recall / n, 4),
        "MRR@10": round(mrr / n, 4),
        "p95_ms": round(times[min(n - 1, math.ceil(0.95 * n) - 1)], 1),
        "p50_ms": round(times[n // 2], 1),
    }


def findability(words: list[str], corpus: list[dict[str, Any]], pk_to_id: dict[int, str]) -> float:
    """For each word, the share of passages containing it that a search for it returns (all pages)."""
    from platoo.search.query import MAX_LIMIT, search

    shares = []
    for word in words:
        containing = {p["id"] for p in corpus if word in p["title"] or word in p["text"]}
        if not containing:
            continue
        found: set[str] = set()
        offset = 0
        while True:
            page = search(None, word, offset=offset, limit=MAX_LIMIT)
            found.update(pk_to_id[hit.obj.pk] for hit in page.hits)
            offset += MAX_LIMIT
            if offset >= page.total or not page.hits:
                break
        share = len(containing & found) / len(containing)
        if share < 1:
            log(f"findability {word}: {share:.3f} ({len(containing - found)} of {len(containing)} missed)")
        shares.append(share)
    return round(sum(shares) / len(shares), 4) if shares else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--queries", required=True)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--words")
    args = parser.parse_args()
    corpus = read_jsonl(args.corpus)
    queries = read_jsonl(args.queries)
    with fresh_database(args.backend):
        setup_django()
        pk_to_id = index_corpus(corpus)
        result: dict[str, Any] = {"backend": args.backend, "passages": len(corpus), "queries": len(queries)}
        result |= evaluate(queries, pk_to_id)
        if args.words:
            words = [w.strip() for w in Path(args.words).read_text(encoding="utf-8").splitlines() if w.strip()]
            result["findability"] = findability(words, corpus, pk_to_id)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
