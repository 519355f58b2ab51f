"""The hub's cycle dashboard with 100,000 items of critical knowledge in the cycle.

    python bench/cycle_dashboard.py --backend sqlite|postgres [--items 100000] [--applications 30000]
        [--panels 20] [--organizations 300] [--requests 20]

Builds a fresh database (see search_relevance.fresh_database) and bulk-inserts `--items` knowledge items,
each marked critical and walked through the cycle over the last three years along a realistic timeline:
captured, categorized a day or two later, sent to its topic's panel, a verdict weeks later (most verified,
some returned and sent back, a few rejected), then for the verified ones analyzed, synthesized, applied
or standardized, now and then archived; every move a Transition, every stay in review a ReviewRound (the
ones still in review open, with some of their reviews written), a verified item due for re-verification
twelve months on. `--panels` panels of six experts look after as many top topics, each with two
sub-topics; `--applications` applications of verified items by `--organizations` member organizations.
One in twenty items is organization-only, so the hub manager (a network manager, not a superuser) reads
the figures through the same visibility doorway as everyone.

Then, through the Django test client as that manager: the dashboard unfiltered, by a top topic (with its
sub-topics), by the biggest owner organization, and the CSV export: each computed afresh (the cache
emptied before each request), after an application is recorded (everything recomputed but the times in
stage, kept for the hour: the first look after something happened in the cycle) and kept (nothing
happened since the last look); and
the time-in-stage query alone, over the page's window (stays begun in the last 12 months and every stay
still running) and over the whole history, medians in SQL (percentile_cont on PostgreSQL, window
functions on SQLite) against the durations fetched and the medians taken in Python.

p50/p95 in milliseconds and queries per request are printed; the last line is one JSON object.
"""

import argparse
import json
import os
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from event_report import percentile, summary  # noqa: E402
from search_relevance import fresh_database, log, setup_django  # noqa: E402

YEARS = 3
SUBJECTS = ["การส่งเวร", "การให้ยา", "การป้องกันการติดเชื้อ", "การดูแลผู้สูงอายุ", "ระบบคิว", "การเล่าเรื่อง"]


def walk(start: datetime, now: datetime, rng: random.Random) -> list[tuple[str, str, datetime]]:
    """One item's moves (from, to, at) from `start` until now: the cycle as the actions would make it."""
    moves: list[tuple[str, str, datetime]] = [("", "captured", start)]
    stage, moment = "captured", start

    def step(target: str, days: float) -> bool:
        nonlocal stage, moment
        later = moment + timedelta(days=days)
        if later >= now:
            return False
        moves.append((stage, target, later))
        stage, moment = target, later
        return True

    if rng.random() < 0.03:  # left as captured
        return moves
    if not step("categorized", rng.expovariate(1 / 1.5)):
        return moves
    if rng.random() < 0.04:
        return moves
    if not step("in_review", rng.expovariate(1 / 3)):
        return moves
    while True:
        verdict = rng.random()
        wait = rng.gammavariate(2, 10)
        if verdict < 0.78:
            if not step("verified", wait):
                return moves
            break
        if verdict < 0.95:
            if not step("returned", wait) or not step("in_review", rng.expovariate(1 / 7)):
                return moves
            continue
        step("rejected", wait)
        return moves
    for target, chance, days in (
        ("analyzed", 0.5, 30),
        ("synthesized", 0.5, 45),
        ("applied", 0.6, 60),
        ("standardized", 0.4, 90),
    ):
        if rng.random() < chance and not step(target, rng.expovariate(1 / days)):
            return moves
    if rng.random() < 0.05:
        step("archived", rng.expovariate(1 / 120))
    return moves


def generate(args: argparse.Namespace, rng: random.Random) -> dict[str, Any]:
    from dateutil.relativedelta import relativedelta
    from django.contrib.auth.models import Permission
    from django.utils import timezone

    from platoo.accounts.models import User
    from platoo.cycle.models import (
        VERIFIED_STAGES,
        Application,
        ApplicationResult,
        CriticalKnowledge,
        Panel,
        PanelMember,
        Review,
        ReviewRound,
        RoundKind,
        Transition,
    )
    from platoo.knowledge.models import KnowledgeItem, Topic
    from platoo.network.models import Organization, Sector

    started = time.perf_counter()
    now = timezone.now()
    sectors = list(Sector.values)
    Organization.objects.bulk_create(
        [
            Organization(name_th=f"หน่วยงานทดสอบ {n}", name_en=f"Bench organization {n}", code=f"org-{n}",
                         sector=rng.choice(sectors))
            for n in range(args.organizations)
        ]
    )  # fmt: skip
    org_ids = list(Organization.objects.order_by("pk").values_list("pk", flat=True))
    weights = [rng.paretovariate(1.2) for _ in org_ids]
    authors = User.objects.bulk_create(
        [
            User(username=f"author{n}", email=f"author{n}@bench.example", password="!", name_th=f"ผู้เขียน {n}",
                 organization_id=rng.choices(org_ids, weights=weights)[0])
            for n in range(500)
        ]
    )  # fmt: skip
    experts = User.objects.bulk_create(
        [
            User(username=f"expert{n}", email=f"expert{n}@bench.example", password="!", name_th=f"ผู้เชี่ยวชาญ {n}",
                 organization_id=rng.choice(org_ids))
            for n in range(args.panels * 6)
        ]
    )  # fmt: skip
    hub = User.objects.create_user("hub", "hub@bench.example", None, organization_id=org_ids[0])
    hub.user_permissions.add(Permission.objects.get(codename="manage_network", content_type__app_label="network"))
    tops, subs = [], {}
    for n in range(args.panels):
        top = Topic.objects.create(slug=f"topic-{n}", name_th=f"หัวข้อ {n}", name_en=f"Topic {n}", critical=True)
        tops.append(top)
        subs[top.pk] = [
            Topic.objects.create(slug=f"topic-{n}-{m}", name_th=f"หัวข้อ {n}.{m}", name_en=f"Topic {n}.{m}", parent=top)
            for m in range(2)
        ]
    panels = []
    for n, top in enumerate(tops):
        panel = Panel.objects.create(topic=top, name=f"คลังสมองหัวข้อ {n}", quorum=3)
        panels.append(panel)
        PanelMember.objects.bulk_create(
            [
                PanelMember(panel=panel, user=expert, is_chair=m == 0)
                for m, expert in enumerate(experts[n * 6 : n * 6 + 6])
            ]
        )
    panel_experts = {panel.pk: [expert.pk for expert in experts[n * 6 : n * 6 + 6]] for n, panel in enumerate(panels)}

    span = timedelta(days=365 * YEARS)
    item_rows, plans = [], []
    for n in range(args.items):
        author = rng.choice(authors)
        top_index = rng.randrange(args.panels)
        topic = rng.choice([tops[top_index], *subs[tops[top_index].pk]])
        start = now - span * rng.random()
        plans.append((topic.pk, panels[top_index].pk, author.organization_id, walk(start, now, rng)))
        item_rows.append(
            KnowledgeItem(title=f"{rng.choice(SUBJECTS)} เรื่องที่ {n}", body="เนื้อหา", created_by=author,
                          organization_id=author.organization_id, created_at=start, updated_at=start,
                          visibility="organization" if n % 20 == 0 else "network")
        )  # fmt: skip
    items = KnowledgeItem.objects.bulk_create(item_rows, batch_size=5000)
    log(f"{len(items)} items in {time.perf_counter() - started:.1f}s")

    critical_rows, transition_rows, round_rows, open_rounds = [], [], [], []
    applied_pool: list[tuple[int, datetime]] = []
    for item, (topic_id, panel_id, owner_id, moves) in zip(items, plans, strict=True):
        stage, since = moves[-1][1], moves[-1][2]
        verified_at = max((at for _f, to, at in moves if to == "verified"), default=None)
        row = CriticalKnowledge(item=item, stage=stage, stage_since=since, topic_id=topic_id, owner_id=owner_id,
                                panel_id=panel_id if len(moves) > 1 else None, knowledge_type="tacit",
                                audience="practitioners", source="visit", priority="good_practice",
                                marked_at=moves[0][2], verified_at=verified_at, verified_version=1 if verified_at else None,
                                reverify_due=(timezone.localtime(verified_at).date() + relativedelta(months=12))
                                if verified_at and stage in VERIFIED_STAGES else None)  # fmt: skip
        critical_rows.append(row)
        for n, (from_stage, to_stage, at) in enumerate(moves):
            transition_rows.append(Transition(critical_id=item.pk, from_stage=from_stage, to_stage=to_stage, at=at))
            if to_stage == "in_review":
                closes = moves[n + 1] if n + 1 < len(moves) else None
                kind = RoundKind.FIRST if from_stage == "categorized" else RoundKind.RESUBMITTED
                round_rows.append(
                    ReviewRound(critical_id=item.pk, panel_id=panel_id, kind=kind, item_version=1, opened_at=at,
                                closed_at=closes[2] if closes else None,
                                outcome=closes[1] if closes else "")
                )  # fmt: skip
                if closes is None:
                    open_rounds.append(len(round_rows) - 1)
        if verified_at is not None:
            applied_pool.append((item.pk, verified_at))
    CriticalKnowledge.objects.bulk_create(critical_rows, batch_size=5000)
    Transition.objects.bulk_create(transition_rows, batch_size=5000)
    rounds = ReviewRound.objects.bulk_create(round_rows, batch_size=5000)
    reviews = []
    for index in open_rounds:
        review_round = rounds[index]
        written = rng.randint(0, 4)
        for reviewer in rng.sample(panel_experts[review_round.panel_id], written):
            reviews.append(
                Review(round_id=review_round.pk, reviewer_id=reviewer, accuracy=4, applicability=4, evidence=3,
                       recommendation="verify", item_version=1,
                       submitted_at=review_round.opened_at + timedelta(days=rng.random() * 5))
            )  # fmt: skip
    Review.objects.bulk_create(reviews, batch_size=5000)
    applications = []
    for _n in range(args.applications):
        item_id, verified_at = rng.choice(applied_pool)
        day = timezone.localtime(verified_at + (now - verified_at) * rng.random()).date()
        applications.append(
            Application(item_id=item_id, organization_id=rng.choices(org_ids, weights=weights)[0], applied_on=day,
                        where="หอผู้ป่วยใน", result=ApplicationResult.WORKED)
        )  # fmt: skip
    Application.objects.bulk_create(applications, batch_size=5000)
    seconds = round(time.perf_counter() - started, 1)
    stages: dict[str, int] = {}
    for row in critical_rows:
        stages[row.stage] = stages.get(row.stage, 0) + 1
    owners: dict[int, int] = {}
    for row in critical_rows:
        owners[row.owner_id] = owners.get(row.owner_id, 0) + 1
    biggest = max(owners, key=owners.__getitem__)
    counts = {
        "items": len(critical_rows),
        "transitions": len(transition_rows),
        "rounds": len(round_rows),
        "open_rounds": len(open_rounds),
        "open_round_reviews": len(reviews),
        "applications": len(applications),
        "panels": len(panels),
        "topics": len(tops) * 3,
        "stages": stages,
    }
    log(f"generated {counts} in {seconds}s")
    return {
        "hub": User.objects.get(pk=hub.pk),
        "topic": tops[0],
        "organization": Organization.objects.get(pk=biggest),
        "counts": counts,
        "generate_seconds": seconds,
        "applied_item": applied_pool[0][0],
        "today": timezone.localdate(),
    }


def timed_get(client: Any, url: str) -> tuple[float, int, int]:
    """One request, its body read to the end (the CSV streams), in ms, with its queries and size."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        elapsed = (time.perf_counter() - began) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, len(queries), len(body)


def record_application(data: dict[str, Any]) -> None:
    from platoo.cycle.models import Application, ApplicationResult

    Application.objects.create(
        item_id=data["applied_item"], organization=data["organization"], applied_on=data["today"],
        where="หอผู้ป่วยนอก", result=ApplicationResult.PARTLY,
    )  # fmt: skip


def measure(data: dict[str, Any], requests: int) -> dict[str, Any]:
    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from platoo.cycle import dashboard

    client = Client()
    client.force_login(data["hub"])
    url, csv_url = reverse("cycle:dashboard"), reverse("cycle:dashboard_csv")
    results: dict[str, Any] = {}
    for name, address in (
        ("dashboard, unfiltered", url),
        ("dashboard, by topic (with 2 sub-topics)", f"{url}?topic={data['topic'].slug}"),
        ("dashboard, by organization", f"{url}?org={data['organization'].code}"),
        ("CSV export, unfiltered", csv_url),
    ):
        timed_get(client, address)  # warm: templates compiled
        cold = []
        for _ in range(max(3, requests // 2)):
            cache.clear()  # the figures computed afresh, as after any move in the cycle
            cold.append(timed_get(client, address))
        results[f"{name}, computed (cold)"] = summary(cold)
        log(f"{name}, computed (cold): {results[f'{name}, computed (cold)']}")
        timed_get(client, address)
        moved = []
        for _ in range(max(3, requests // 2)):
            record_application(data)  # something recorded in the cycle: the figures are computed again
            moved.append(timed_get(client, address))
        results[f"{name}, after an application is recorded"] = summary(moved)
        log(f"{name}, after an application is recorded: {results[f'{name}, after an application is recorded']}")
        results[f"{name}, kept"] = summary([timed_get(client, address) for _ in range(requests)])
        log(f"{name}, kept: {results[f'{name}, kept']}")
    base = dashboard.scope(data["hub"], dashboard.Filters())
    now = timezone.now()
    since = now - dashboard.STAGE_WINDOW
    for name, function, window in (
        ("time in stage, 12 months + running: medians in SQL", dashboard.time_in_stages_sql, since),
        (
            "time in stage, 12 months + running: durations fetched, medians in Python",
            dashboard.time_in_stages_python,
            since,
        ),
        ("time in stage, whole history: medians in SQL", dashboard.time_in_stages_sql, None),
        ("time in stage, whole history: durations fetched, medians in Python", dashboard.time_in_stages_python, None),
    ):
        times = []
        for _ in range(max(3, requests // 4)):
            began = time.perf_counter()
            function(base, now, window)
            times.append((time.perf_counter() - began) * 1000)
        results[name] = {"p50_ms": percentile(times, 0.5), "p95_ms": percentile(times, 0.95), "queries": 1}
        log(f"{name}: {results[name]}")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--applications", type=int, default=30_000)
    parser.add_argument("--panels", type=int, default=20)
    parser.add_argument("--organizations", type=int, default=300)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    os.environ["STATIC_MANIFEST"] = "false"
    rng = random.Random(args.seed)
    with fresh_database(args.backend):
        setup_django()
        from django.db import connection

        data = generate(args, rng)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        result = {"backend": args.backend, **data["counts"], "generate_seconds": data["generate_seconds"]}
        result["pages"] = measure(data, args.requests)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
