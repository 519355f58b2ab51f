"""Search latency and indexing throughput at scale.

    python bench/search_latency.py --backend sqlite|postgres [--items 100000] [--queries 300]
        [--vocabulary CORPUS.jsonl]

Generates realistic Thai knowledge items in a fresh database (see search_relevance.fresh_database):
a word-bigram Markov chain learnt from a Thai corpus (by default the shared iApp Wikipedia passages,
segmented with ICU) writes new sentences, mixed with KM vocabulary and provinces, so no passage is
copied and the vocabulary varies from item to item. Items are bulk-inserted, then the product's
`rebuild_index` command indexes them (timed: items/s). Then two-word Thai queries, words drawn from
the middle of the frequency list, run through platoo.search.query.search as an anonymous visitor and
as a signed-in member; the last line printed is JSON with p50/p95 per searcher.
"""

import argparse
import bisect
import itertools
import json
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_relevance import fresh_database, log, read_jsonl, setup_django  # noqa: E402

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared/data/thai-retrieval/iapp-wiki-qa/corpus.jsonl"
KM_PHRASES = [
    "การจัดการความรู้", "ชุมชนแนวปฏิบัติ", "ถอดบทเรียน", "คุณอำนวย", "คุณเอื้อ", "คุณกิจ", "คุณลิขิต",
    "แลกเปลี่ยนเรียนรู้", "คลังความรู้", "ความรู้ฝังลึก", "แนวปฏิบัติที่ดี", "การทบทวนหลังปฏิบัติการ",
    "งบประมาณ", "การเปลี่ยนแปลง", "เทคโนโลยีดิจิทัล", "ทักษะหลายด้าน", "ข้อมูล", "สมรรถนะ", "ผู้สูงอายุ",
    "เกษตรกร", "โรงพยาบาลส่งเสริมสุขภาพตำบล", "องค์การบริหารส่วนตำบล", "วิสาหกิจชุมชน", "โรงเรียน",
]  # fmt: skip
PROVINCES = ["เชียงใหม่", "ขอนแก่น", "นครราชสีมา", "สงขลา", "ภูเก็ต", "น่าน", "อุบลราชธานี", "ระยอง", "ตาก", "ยะลา"]


class Writer:
    """New Thai text from a word-bigram chain: plausible word order, never a copied passage."""

    def __init__(self, passages: list[str], rng: random.Random) -> None:
        from platoo.lib import thai

        self.rng = rng
        following: dict[str, Counter[str]] = defaultdict(Counter)
        counts: Counter[str] = Counter()
        for text in passages:
            words = thai.segment(thai.clean(text))
            counts.update(words)
            for a, b in itertools.pairwise(words):
                following[a][b] += 1
        self.chain = {a: (list(c), list(itertools.accumulate(c.values()))) for a, c in following.items()}
        self.starts = [w for w, n in counts.most_common(3000)]
        self.by_frequency = [w for w, _ in counts.most_common() if len(w) >= 3 and not w.isascii()]

    def sentence(self, length: int) -> str:
        word = self.rng.choice(self.starts)
        words = [word]
        for _ in range(length - 1):
            if word not in self.chain or self.rng.random() < 0.08:
                word = self.rng.choice(self.starts if self.rng.random() < 0.7 else KM_PHRASES + PROVINCES)
            else:
                options, cumulative = self.chain[word]
                word = options[bisect.bisect(cumulative, self.rng.random() * cumulative[-1])]
            words.append(word)
        # Thai separates sentences, not words, with spaces.
        return "".join(words)

    def paragraph(self, sentences: int) -> str:
        return " ".join(self.sentence(self.rng.randint(6, 22)) for _ in range(sentences))


def make_items(count: int, writer: Writer, rng: random.Random) -> None:
    from django.utils import timezone

    from platoo.accounts.models import User
    from platoo.knowledge.models import Kind, KnowledgeItem
    from platoo.lib.visibility import Visibility

    author = User.objects.create_user(username="writer", email="writer@example.org", password="unused-bench-password")
    kinds = list(Kind.values)
    visibilities = [Visibility.PUBLIC] * 6 + [Visibility.NETWORK] * 3 + [Visibility.PRIVATE]
    now = timezone.now()
    started = time.perf_counter()
    for start in range(0, count, 2000):
        batch = [
            KnowledgeItem(
                kind=rng.choice(kinds),
                title=writer.sentence(rng.randint(3, 8))[:240],
                summary=writer.paragraph(1)[:900],
                body="\n\n".join(writer.paragraph(rng.randint(2, 5)) for _ in range(rng.randint(1, 3))),
                visibility=rng.choice(visibilities),
                created_by=author,
                created_at=now - timezone.timedelta(days=rng.randint(0, 2000)),
            )
            for _ in range(min(2000, count - start))
        ]
        KnowledgeItem.objects.bulk_create(batch)
        log(f"generated {start + len(batch)}/{count} items ({time.perf_counter() - started:.0f}s)")


def percentile(values: list[float], share: float) -> float:
    values = sorted(values)
    return round(values[min(len(values) - 1, int(share * len(values)))], 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--vocabulary", default=str(DEFAULT_CORPUS))
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with fresh_database(args.backend):
        setup_django()
        from django.core.management import call_command
        from django.db import connection

        from platoo.accounts.models import User
        from platoo.knowledge.models import KnowledgeItem
        from platoo.search.query import search

        writer = Writer([p["title"] + " " + p["text"] for p in read_jsonl(args.vocabulary)], rng)
        make_items(args.items, writer, rng)
        chars = sum(
            len(t) + len(s) + len(b) for t, s, b in KnowledgeItem.objects.values_list("title", "summary", "body")
        )
        started = time.perf_counter()
        call_command("rebuild_index", "--batch-size", "1000")
        indexing = time.perf_counter() - started
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        member = User.objects.create_user(
            username="member", email="member@example.org", password="unused-bench-password"
        )
        middle = writer.by_frequency[100:4000]
        queries = [f"{rng.choice(middle)} {rng.choice(middle)}" for _ in range(args.queries)]
        result: dict[str, object] = {
            "backend": args.backend,
            "items": args.items,
            "avg_chars_per_item": round(chars / args.items),
            "index_items_per_s": round(args.items / indexing),
            "index_seconds": round(indexing, 1),
        }
        for name, user in (("anonymous", None), ("member", member)):
            times, totals = [], []
            for q in [*queries[:20], *queries]:  # the first 20 warm the caches and are not counted
                begun = time.perf_counter()
                totals.append(search(user, q).total)
                times.append((time.perf_counter() - begun) * 1000)
            times = times[20:]
            result[f"{name}_p50_ms"] = percentile(times, 0.5)
            result[f"{name}_p95_ms"] = percentile(times, 0.95)
            result[f"{name}_median_total"] = sorted(totals)[len(totals) // 2]
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
