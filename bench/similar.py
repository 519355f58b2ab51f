"""Near-duplicate finder: precision, recall and F1 on a labelled Thai set, and latency at scale.

    python bench/similar.py --backend sqlite|postgres [--items 100000] [--threshold 0.30]

The labelled set (platoo/knowledge/tests/data/similar_th.jsonl) holds 40 groups of realistic KM
texts (hospitals, schools, local government, agencies, communities, universities): an original, a
paraphrase of it (reworded, reordered, shortened, synonyms, Thai digits, spaces between words) and
a hard negative (same topic, different knowledge). Pairs, 120 in all: paraphrase → original (a
duplicate), hard negative → original (not), and the paraphrase of a group of another domain →
original (unrelated, not).

In a fresh database (see search_relevance.fresh_database), `--items` generated Thai items
(search_latency's Markov writer and bulk insert, then `rebuild_index`) are put in the index, and
the 40 originals are created among them with do_create_item, public. Each pair's first text is a
draft: the finder (platoo.knowledge.similar) fetches candidates from the index and scores them; a
pair counts as found when the original comes back with a score at or above the threshold.

Printed: candidate recall (the original among the candidates at all), a table of precision, recall
and F1 across thresholds for each scorer (TF-IDF cosine, character-shingle Jaccard, blends), the
figures at the chosen threshold, and p50/p95 of the whole finder (`examine`: candidates, scoring,
loading and suggestions) per draft, as a signed-in member. The last line is JSON.
"""

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_latency import DEFAULT_CORPUS, Writer, make_items, percentile  # noqa: E402
from search_relevance import ROOT, fresh_database, log, read_jsonl, setup_django  # noqa: E402

DATA = ROOT / "platoo/knowledge/tests/data/similar_th.jsonl"
THRESHOLDS = [round(0.05 * i, 2) for i in range(2, 17)]
BLENDS = [0.5, 0.6, 0.7, 0.8, 0.9]


@contextmanager
def kept_database(directory: str) -> Iterator[None]:
    """A SQLite database that outlives the run (to profile, or to try settings on the same data)."""
    Path(directory).mkdir(parents=True, exist_ok=True)
    os.environ["PLATOO_VAR_DIR"] = directory
    os.environ["DATABASE_URL"] = f"sqlite:///{directory}/bench.sqlite3"
    yield


def pairs(groups: list[dict[str, Any]]) -> list[tuple[dict[str, str], str, bool, str]]:
    """(draft, original's group id, is a duplicate, kind of pair)."""
    result = []
    for i, group in enumerate(groups):
        result.append((group["paraphrase"], group["id"], True, group["variant"]))
        result.append((group["hard_negative"], group["id"], False, "hard_negative"))
        other = next(
            groups[(i + step) % len(groups)]
            for step in range(7, 7 + len(groups))
            if groups[(i + step) % len(groups)]["domain"] != group["domain"]
        )
        result.append((other["paraphrase"], group["id"], False, "unrelated"))
    return result


def prf(scores: list[float], labels: list[bool], threshold: float) -> tuple[float, float, float]:
    tp = sum(1 for s, y in zip(scores, labels, strict=True) if y and s >= threshold)
    fp = sum(1 for s, y in zip(scores, labels, strict=True) if not y and s >= threshold)
    fn = sum(1 for s, y in zip(scores, labels, strict=True) if y and s < threshold)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return round(precision, 3), round(recall, 3), round(f1, 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--threshold", type=float, default=None, help="default: the finder's SIMILAR_THRESHOLD")
    parser.add_argument("--vocabulary", default=str(DEFAULT_CORPUS))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--dump", help="write every pair's scores to this JSON file")
    parser.add_argument("--keep", help="SQLite only: keep the generated database in this directory and reuse it")
    args = parser.parse_args()
    groups = read_jsonl(str(DATA))
    labelled = pairs(groups)
    rng = random.Random(args.seed)
    with kept_database(args.keep) if args.keep else fresh_database(args.backend):
        setup_django()
        from django.core.management import call_command
        from django.db import connection

        from platoo.accounts.models import User
        from platoo.knowledge import similar
        from platoo.knowledge.actions import ItemData, do_create_item
        from platoo.knowledge.models import KnowledgeItem
        from platoo.search.query import more_like_this

        reused = KnowledgeItem.objects.exists()
        if reused:
            log("reusing the kept database")
        if args.items and not reused:
            writer = Writer([p["title"] + " " + p["text"] for p in read_jsonl(args.vocabulary)], rng)
            make_items(args.items, writer, rng)
            started = time.perf_counter()
            call_command("rebuild_index", "--batch-size", "1000")
            log(f"indexed {args.items} items in {time.perf_counter() - started:.0f}s")
        member = User.objects.get_or_create(username="capturer", defaults={"email": "c@example.org"})[0]
        owner = User.objects.get_or_create(username="keeper", defaults={"email": "k@example.org"})[0]
        original = {}
        for group in groups:
            text = group["original"]
            item = KnowledgeItem.objects.filter(created_by=owner, title=text["title"]).first() or do_create_item(
                owner, ItemData(title=text["title"], body=text["body"], visibility="public")
            )
            original[group["id"]] = item.pk
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")

        # Candidates once per draft; every scorer then scores the same candidates.
        cosine_scores, shingle_scores, labels, kinds, in_candidates = [], [], [], [], 0
        for draft_text, group_id, is_duplicate, kind in labelled:
            draft = similar.Draft(title=draft_text["title"], body=draft_text["body"])
            text = draft.text()
            found = more_like_this(member, text, similar.LABEL, limit=similar.CANDIDATES)
            row = next((r for r in found.rows if r.object_id == original[group_id]), None)
            mine = similar.Prepared.of(text)
            if row is None:
                cosine_scores.append(0.0)
                shingle_scores.append(0.0)
            else:
                theirs = similar.Prepared.of(f"{row.title}\n{row.body}")
                cosine_scores.append(similar.cosine(mine.bag, theirs.bag, found.term_df, found.documents))
                shingle_scores.append(similar.jaccard(mine.grams, theirs.grams))
                in_candidates += is_duplicate
            labels.append(is_duplicate)
            kinds.append(kind)
        positives = sum(labels)
        if args.dump:
            rows = zip(labelled, cosine_scores, shingle_scores, strict=True)
            dumped = [
                {"draft": d["title"], "group": g, "duplicate": y, "kind": k, "cosine": c, "shingles": s}
                for (d, g, y, k), c, s in rows
            ]
            Path(args.dump).write_text(json.dumps(dumped, ensure_ascii=False, indent=1), encoding="utf-8")
        scorers = {"cosine": cosine_scores, "shingles": shingle_scores}
        for w in BLENDS:
            scorers[f"blend {w}"] = [w * c + (1 - w) * s for c, s in zip(cosine_scores, shingle_scores, strict=True)]
        print(
            f"pairs: {len(labels)} ({positives} duplicates); originals among the candidates: {in_candidates}/{positives}"
        )
        print("F1 by threshold (precision/recall/F1):")
        print("| threshold | " + " | ".join(scorers) + " |")
        print("|---" * (len(scorers) + 1) + "|")
        best: dict[str, tuple[float, float]] = {}
        for t in THRESHOLDS:
            cells = []
            for name, scores in scorers.items():
                p, r, f = prf(scores, labels, t)
                cells.append(
                    f"{p:.2f}/{r:.2f}/**{f:.2f}**" if f >= best.get(name, (0, 0))[1] else f"{p:.2f}/{r:.2f}/{f:.2f}"
                )
                if f > best.get(name, (0, 0))[1]:
                    best[name] = (t, f)
            print(f"| {t:.2f} | " + " | ".join(cells) + " |")
        print("best threshold per scorer:", {name: {"threshold": t, "F1": f} for name, (t, f) in best.items()})

        chosen = similar.COSINE_WEIGHT
        threshold = args.threshold if args.threshold is not None else similar.SIMILAR_THRESHOLD
        final = [chosen * c + (1 - chosen) * s for c, s in zip(cosine_scores, shingle_scores, strict=True)]
        p, r, f = prf(final, labels, threshold)
        by_kind = {}
        for kind in sorted(set(kinds)):
            picked = [(s, y) for s, y, k in zip(final, labels, kinds, strict=True) if k == kind]
            hits = sum(1 for s, _ in picked if s >= threshold)
            by_kind[kind] = f"{hits}/{len(picked)} flagged"
        same = sum(1 for s, y in zip(final, labels, strict=True) if s >= similar.SAME_THRESHOLD and y)
        same_wrong = sum(1 for s, y in zip(final, labels, strict=True) if s >= similar.SAME_THRESHOLD and not y)
        print(f"chosen: blend {chosen} at {threshold}: precision {p}, recall {r}, F1 {f}; by kind: {by_kind}")
        print(f"'likely the same' (≥ {similar.SAME_THRESHOLD}): {same} duplicates, {same_wrong} non-duplicates")

        times = []
        for draft_text, _group, _dup, _kind in [*labelled[:10], *labelled]:  # the first 10 warm the caches
            draft = similar.Draft(title=draft_text["title"], body=draft_text["body"])
            started = time.perf_counter()
            similar.examine(member, draft)
            times.append((time.perf_counter() - started) * 1000)
        times = times[10:]
        result = {
            "backend": args.backend,
            "items": args.items + len(groups),
            "pairs": len(labels),
            "candidate_recall": round(in_candidates / positives, 3),
            "threshold": threshold,
            "precision": p,
            "recall": r,
            "F1": f,
            "finder_p50_ms": percentile(times, 0.5),
            "finder_p95_ms": percentile(times, 0.95),
        }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
