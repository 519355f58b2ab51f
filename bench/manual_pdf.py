"""A released manual of ~100 and ~500 pages: the release itself, its PDF and EPUB builds, and its page.

    python bench/manual_pdf.py --backend sqlite|postgres [--sizes 13,67] [--requests 20]

Builds a fresh database (see search_relevance.fresh_database), a brain trust of five experts, a pool of
standardized lessons learned (Thai sentences from event_report.py's phrase bank, each item a few
paragraphs plus its after-action review fields) and, for each size, a manual of that many chapters with
four sections each, every section a few Thai paragraphs using two of the items — made with the real
actions (do_create_manual, do_save_section, do_release). Then:

- the release (do_release: freezing the draft with the items' texts), timed;
- the PDF and the EPUB, each built by platoo.cycle.tasks in a child process (as the worker does), with
  its wall time, the child's peak resident memory (ru_maxrss) and, in a second run, the peak of Python
  allocations (tracemalloc); the PDF's page count and size;
- the release's HTML page through the Django test client as a member: p50/p95 and queries.

The last line is one JSON object; a table goes to stderr.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from event_report import DIFFERENCE, EXPECTED, FILLER, HAPPENED, NEXT_TIME, TOPICS, percentile  # noqa: E402
from search_relevance import fresh_database, log, setup_django  # noqa: E402

ITEMS = 120
SECTIONS_PER_CHAPTER = 4


def sentence(rng: random.Random) -> str:
    templates = rng.choice([EXPECTED, HAPPENED, DIFFERENCE, NEXT_TIME])
    return rng.choice(templates).format(t=rng.choice(TOPICS)) + rng.choice(FILLER)


def paragraph(rng: random.Random, sentences: int = 6) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def generate_people_and_items(rng: random.Random) -> dict[str, Any]:
    from platoo.accounts.models import User
    from platoo.cycle.actions import PanelData, do_save_panel
    from platoo.cycle.models import CriticalKnowledge, Stage
    from platoo.knowledge.models import KnowledgeItem, Topic
    from platoo.network.models import Organization

    hub = User.objects.create_superuser("hub", "hub@bench.example", None)
    org = Organization.objects.create(name_th="โรงพยาบาลทดสอบ", name_en="Bench hospital", code="bench")
    experts = [
        User.objects.create_user(f"expert{n}", f"expert{n}@bench.example", None, name_th=f"ผู้เชี่ยวชาญ {n}")
        for n in range(5)
    ]
    reader = User.objects.create_user("reader", "reader@bench.example", None, name_th="ผู้อ่าน")
    topic = Topic.objects.create(slug="patient-safety", name_th="ความปลอดภัยผู้ป่วย", name_en="Patient safety")
    panel = do_save_panel(
        hub,
        None,
        PanelData(name="คลังสมองความปลอดภัยผู้ป่วย", topic_id=topic.pk, member_ids=[e.pk for e in experts], chair_id=experts[0].pk),
    )  # fmt: skip
    items = KnowledgeItem.objects.bulk_create(
        [
            KnowledgeItem(
                kind="lesson",
                title=f"บทเรียน{rng.choice(TOPICS)} ครั้งที่ {n}",
                summary=sentence(rng),
                body="\n\n".join(paragraph(rng) for _ in range(3)),
                aar_expected=sentence(rng),
                aar_happened=paragraph(rng, 3),
                aar_difference=sentence(rng),
                aar_next_time=sentence(rng),
                visibility="public" if n % 3 else "network",
                organization=org,
                created_by=hub,
            )
            for n in range(ITEMS)
        ]
    )
    CriticalKnowledge.objects.bulk_create(
        [CriticalKnowledge(item=item, stage=Stage.STANDARDIZED, topic=topic, panel=panel) for item in items]
    )
    return {"experts": experts, "reader": reader, "panel": panel, "item_ids": [item.pk for item in items]}


def generate_manual(people: dict[str, Any], chapters: int, rng: random.Random) -> Any:
    from platoo.cycle.actions import manuals as actions

    author = people["experts"][1]
    manual = actions.do_create_manual(
        author,
        actions.ManualData(
            title=f"คู่มือปฏิบัติงานความปลอดภัยผู้ป่วย ({chapters} บท)",
            panel_id=people["panel"].pk,
            front_matter="## คำนำ\n\n" + "\n\n".join(paragraph(rng) for _ in range(3)),
        ),
    )
    for c in range(chapters):
        chapter = actions.do_save_section(
            author,
            manual,
            None,
            actions.SectionData(title=f"{rng.choice(TOPICS)} ตอนที่ {c + 1}", body=paragraph(rng)),
            manual.version,
        )
        for s in range(SECTIONS_PER_CHAPTER):
            actions.do_save_section(
                author,
                manual,
                None,
                actions.SectionData(
                    title=f"แนวปฏิบัติ{rng.choice(TOPICS)} {c + 1}.{s + 1}",
                    body="\n\n".join(paragraph(rng) for _ in range(3)),
                    parent_id=chapter.pk,
                    item_ids=rng.sample(people["item_ids"], 2),
                ),
                manual.version,
            )
    return manual


def child(kind: str, release_id: int, trace: bool) -> None:
    """Run in a subprocess: build one file of a release as the worker would, report time and memory."""
    import tracemalloc

    setup_django()
    from platoo.cycle import tasks
    from platoo.cycle.models import Release

    if trace:
        tracemalloc.start()
    began, cpu = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
    outcome = tasks._build(release_id, kind)
    seconds = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu_seconds = after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    release = Release.objects.get(pk=release_id)
    file = release.pdf if kind == "pdf" else release.epub
    result: dict[str, Any] = {
        "outcome": "failed: " + release.build_error if outcome == "failed" else "built",
        "seconds": round(seconds, 1),
        "cpu_s": round(cpu_seconds, 1),
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "tracemalloc_peak_mb": round(peak / 2**20) if trace else "–",
        "bytes": file.size if file.name else 0,
    }
    if kind == "pdf" and file.name:
        from pypdf import PdfReader

        with file.open("rb") as stream:
            result["pages"] = len(PdfReader(stream).pages)
    print(json.dumps(result))


def build_in_child(kind: str, release_id: int, trace: bool) -> dict[str, Any]:
    from django.core.files.storage import default_storage

    from platoo.cycle.models import BuildStatus, Release

    release = Release.objects.get(pk=release_id)
    old = release.pdf.name if kind == "pdf" else release.epub.name
    # A second run builds again: the status goes back to pending (the retry path does the same).
    Release.objects.filter(pk=release_id).update(**{f"{kind}_status": BuildStatus.PENDING, kind: ""})
    if old:
        default_storage.delete(old)
    command = [sys.executable, __file__, "--child", kind, "--release", str(release_id)]
    if trace:
        command.append("--trace")
    output = subprocess.run(command, check=True, capture_output=True, text=True, env=os.environ.copy())
    return json.loads(output.stdout.strip().splitlines()[-1])


def timed_page(client: Any, url: str) -> tuple[float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - began) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, len(queries), len(response.content)


def measure(
    people: dict[str, Any], chapters: int, requests: int, rng: random.Random, trace: bool, pages_only: bool = False
) -> dict[str, Any]:
    from django.test import Client

    from platoo.cycle.actions import manuals as actions

    began = time.perf_counter()
    manual = generate_manual(people, chapters, rng)
    generate_seconds = time.perf_counter() - began
    began = time.perf_counter()
    release = actions.do_release(people["experts"][1], manual, "1.0", [people["experts"][0].pk], "ฉบับแรก")
    release_seconds = time.perf_counter() - began
    sections = chapters * (SECTIONS_PER_CHAPTER + 1)
    result: dict[str, Any] = {
        "chapters": chapters,
        "sections": sections,
        "generate_s": round(generate_seconds, 1),
        "release_s": round(release_seconds, 2),
        "content_kb": round(len(json.dumps(release.content, ensure_ascii=False).encode()) / 1024),
    }
    log(f"{chapters} chapters: draft made in {generate_seconds:.1f} s, released in {release_seconds:.2f} s")
    for kind in () if pages_only else ("pdf", "epub"):
        result[kind] = build_in_child(kind, release.pk, trace=False)
        log(f"  {kind}: {result[kind]}")
        if trace:  # tracemalloc slows the build about sixfold
            traced = build_in_child(kind, release.pk, trace=True)
            result[kind]["tracemalloc_peak_mb"] = traced["tracemalloc_peak_mb"]
            log(f"  {kind} (tracemalloc): {traced}")
    client = Client()
    client.force_login(people["reader"])
    url = release.get_absolute_url()
    cold = timed_page(client, url)  # the first reader of a release renders its Markdown; later ones are cached
    samples = [timed_page(client, url) for _ in range(requests)]
    times = [s[0] for s in samples]
    result["page"] = {
        "p50_ms": percentile(times, 0.5),
        "p95_ms": percentile(times, 0.95),
        "queries": max(s[1] for s in samples),
        "kb": round(samples[0][2] / 1024),
        "first_ms": round(cold[0], 1),
    }
    log(f"  page: {result['page']}")
    return result


def table(results: list[dict[str, Any]]) -> str:
    rows = [
        "| chapters / sections | PDF pages | release s | PDF s (CPU s) | PDF peak RSS MB | PDF tracemalloc MB | PDF MB | EPUB s (CPU s) | EPUB peak RSS MB | EPUB KB | page p50 ms | page p95 ms | queries |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        if "pdf" not in r:
            rows.append(
                f"| {r['chapters']} / {r['sections']} | page only: first {r['page']['first_ms']} ms, p50 {r['page']['p50_ms']}, p95 {r['page']['p95_ms']}, {r['page']['queries']} queries |"
            )
            continue
        rows.append(
            f"| {r['chapters']} / {r['sections']} | {r['pdf'].get('pages')} | {r['release_s']} | {r['pdf']['seconds']} ({r['pdf']['cpu_s']}) | "
            f"{r['pdf']['max_rss_mb']} | {r['pdf'].get('tracemalloc_peak_mb', '–')} | {r['pdf']['bytes'] / 2**20:.1f} | "
            f"{r['epub']['seconds']} ({r['epub']['cpu_s']}) | {r['epub']['max_rss_mb']} | {round(r['epub']['bytes'] / 1024)} | "
            f"{r['page']['p50_ms']} | {r['page']['p95_ms']} | {r['page']['queries']} |"
        )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["sqlite", "postgres"])
    parser.add_argument("--sizes", default="13,67", help="chapters per manual, comma-separated")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--pages-only", action="store_true", help="measure the release page only, no builds")
    parser.add_argument("--trace-max", type=int, default=20, help="tracemalloc runs only for manuals this small")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--child", choices=["pdf", "epub"], help=argparse.SUPPRESS)
    parser.add_argument("--release", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platoo.settings")
        child(args.child, args.release, args.trace)
        return
    if not args.backend:
        parser.error("--backend is required")
    os.environ["STATIC_MANIFEST"] = "false"
    os.environ["TASK_BACKEND"] = "database"  # releases enqueue their builds; the children build them
    rng = random.Random(args.seed)
    with fresh_database(args.backend):
        setup_django()
        people = generate_people_and_items(rng)
        sizes = [int(size) for size in args.sizes.split(",")]
        results = [measure(people, size, args.requests, rng, size <= args.trace_max, args.pages_only) for size in sizes]
    log(table(results))
    print(json.dumps({"backend": args.backend, "results": results}, ensure_ascii=False))


if __name__ == "__main__":
    main()
