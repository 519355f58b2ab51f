"""The network map at scale: data endpoint, CoP page, exports and graph measures on a generated network.

    python bench/network_map.py --backend sqlite|postgres [--orgs 1000] [--people 20000] [--cops 2000]
        [--requests 30] [--skip-measures] [--browser]

Builds a fresh database (see search_relevance.fresh_database) and bulk-inserts a realistic network:
member organizations of every sector and region, people (organizations of very different sizes), CoPs
(public, closed and some secret; levels 1–6; one or two topics; 5–40 members drawn mostly from a few
organizations of one region), network links (mostly within a region), three meetings per CoP with
most members attending, up to three discussions per CoP with replies, and
knowledge items shared into CoPs by people of other organizations. Then, through the Django test
client (the whole request: middleware, session, view, JSON):

* the map data endpoint for a visitor and a signed-in member, for a few filter combinations, in three
  states: *cold* (empty cache: everything read and built), *new filter* (the network read is cached,
  this filter's map is not: the usual first look at a filter) and *warm* (this map is cached);
* the CoP page (communities:detail) for visitors and for members of the CoP, and the hub's list of
  CoPs needing attention (the health of all of them);
* the exports (the whole filtered graph, without the display budget) and the graph measures
  (with the cost model's estimate beside the measured time); ``--browser`` also times the page in
  headless chromium until the map is laid out.

p50/p95 in milliseconds and queries per request are printed; the last line is one JSON object.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_relevance import fresh_database, log, setup_django  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-password-not-secret"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 1)


def generate(orgs: int, people: int, cops: int, rng: random.Random) -> dict[str, Any]:
    """Bulk-insert the network; returns a few ids the measurements need."""
    from django.utils import timezone

    from platoo.accounts.models import User
    from platoo.communities.models import (
        Attendance,
        Community,
        CommunityVisibility,
        Meeting,
        Membership,
        Reply,
        SharedItem,
        Thread,
    )
    from platoo.knowledge.models import KnowledgeItem, Topic
    from platoo.lib.provinces import PROVINCES, REGION_OF
    from platoo.lib.visibility import Visibility
    from platoo.network.models import NetworkLink, Organization, Sector

    started = time.perf_counter()
    now = timezone.now()
    provinces = [english for english, _thai, _region in PROVINCES]
    sectors = list(Sector.values)
    Organization.objects.bulk_create(
        [
            Organization(
                name_th=f"หน่วยงานทดสอบ {n}",
                name_en=f"Bench organization {n}",
                code=f"org-{n}",
                sector=rng.choice(sectors),
                province=rng.choice(provinces),
            )
            for n in range(orgs)
        ],
        batch_size=2000,
    )
    org_ids = list(Organization.objects.order_by("pk").values_list("pk", flat=True))
    # Organizations differ a lot in size: a few big agencies, many small groups.
    weights = [rng.paretovariate(1.2) for _ in org_ids]
    home = rng.choices(org_ids, weights=weights, k=people)
    User.objects.bulk_create(
        [
            User(
                username=f"person{n}",
                email=f"person{n}@bench.example",
                password="!",  # unusable
                name_th=f"บุคคล ทดสอบ{n}",
                organization_id=home[n] if rng.random() > 0.03 else None,
            )
            for n in range(people)
        ],
        batch_size=5000,
    )
    user_ids = list(User.objects.order_by("pk").values_list("pk", flat=True))
    member = User.objects.create_user("member", "member@bench.example", PASSWORD, organization_id=org_ids[0])
    by_org: dict[int, list[int]] = {}
    for pk, org in User.objects.values_list("pk", "organization_id"):
        if org:
            by_org.setdefault(org, []).append(pk)
    log(f"organizations and people ({time.perf_counter() - started:.0f}s)")

    root_topics = [Topic.objects.create(slug=f"topic-{n}", name_th=f"หัวข้อ {n}", name_en=f"Topic {n}") for n in range(8)]
    topics = root_topics + [
        Topic.objects.create(slug=f"topic-{n}-{m}", name_th=f"หัวข้อย่อย {n}.{m}", name_en=f"Topic {n}.{m}", parent=t)
        for n, t in enumerate(root_topics)
        for m in range(3)
    ]
    visibilities = [CommunityVisibility.PUBLIC] * 16 + [CommunityVisibility.CLOSED] * 3 + [CommunityVisibility.SECRET]
    Community.objects.bulk_create(
        [
            Community(
                name=f"ชุมชนทดสอบ {n}",
                slug=f"cop-{n}",
                domain="การแลกเปลี่ยนเรียนรู้",
                level=rng.randint(1, 6),
                visibility=rng.choice(visibilities),
                created_by_id=rng.choice(user_ids),
                last_activity_at=now,
            )
            for n in range(cops)
        ],
        batch_size=2000,
    )
    cop_ids = list(Community.objects.order_by("pk").values_list("pk", flat=True))
    Community.topics.through.objects.bulk_create(
        [
            Community.topics.through(community_id=c, topic_id=t.pk)
            for c in cop_ids
            for t in rng.sample(topics, rng.randint(1, 2))
        ]
    )
    Community.organizations.through.objects.bulk_create(
        [
            Community.organizations.through(community_id=c, organization_id=o)
            for c in cop_ids
            for o in rng.sample(org_ids, rng.randint(0, 3))
        ]
    )
    memberships, active = [], {}
    region_of_org = dict(Organization.objects.values_list("pk", "province"))
    regions: dict[str, list[int]] = {}
    for org, province in region_of_org.items():
        regions.setdefault(REGION_OF[province], []).append(org)
    staffed_in = {r: [o for o in orgs_ if o in by_org] for r, orgs_ in regions.items()}
    staffed = [o for o in org_ids if o in by_org]
    for c in cop_ids:
        # Most members come from a handful of organizations of one region, some from anywhere.
        local = staffed_in[rng.choice(list(staffed_in))]
        circle = rng.sample(local, min(len(local), rng.randint(3, 10))) + rng.sample(staffed, 2)
        pool = [p for o in circle for p in by_org[o]]
        size = rng.randint(5, 40)
        chosen = set(rng.sample(pool, min(len(pool), int(size * 0.7))))
        while len(chosen) < size:
            chosen.add(rng.choice(user_ids))
        active[c] = []
        for u in chosen:
            status = rng.choices(["active", "requested", "invited"], [90, 5, 5])[0]
            memberships.append(Membership(community_id=c, user_id=u, status=status, joined_at=now))
            if status == "active":
                active[c].append(u)
    Membership.objects.bulk_create(memberships, batch_size=5000)
    sample_cop = next(c for c in cop_ids if active[c])
    Membership.objects.get_or_create(
        community_id=sample_cop, user=member, defaults={"status": "active", "joined_at": now}
    )
    log(f"{len(cop_ids)} CoPs, {len(memberships)} memberships ({time.perf_counter() - started:.0f}s)")

    links, seen = [], set()
    while len(links) < orgs * 2:
        a, level = rng.choice(org_ids), rng.randint(1, 6)
        # Most links stay within a region.
        b = rng.choice(regions[REGION_OF[region_of_org[a]]] if rng.random() < 0.7 else org_ids)
        if a != b and (a, b, level) not in seen:
            seen.add((a, b, level))
            links.append(NetworkLink(source_id=a, target_id=b, level=level, since=now.date()))
    NetworkLink.objects.bulk_create(links, batch_size=5000)

    meetings = []
    for c in cop_ids:
        for k in range(3):
            start = now - timedelta(days=30 * (k + 1))
            meetings.append(
                Meeting(community_id=c, title=f"ประชุมครั้งที่ {k + 1}", starts_at=start, ends_at=start + timedelta(hours=2))
            )
    Meeting.objects.bulk_create(meetings, batch_size=5000)
    attendance = []
    for meeting_id, c in Meeting.objects.values_list("pk", "community_id"):
        for u in active[c]:
            if rng.random() < 0.6:
                attendance.append(Attendance(meeting_id=meeting_id, user_id=u, checked_in_at=now))
    Attendance.objects.bulk_create(attendance, batch_size=5000)
    log(
        f"{len(links)} links, {len(meetings)} meetings, {len(attendance)} attendances ({time.perf_counter() - started:.0f}s)"
    )

    items = [
        KnowledgeItem(
            title=f"บทเรียนทดสอบ {n}",
            body="เนื้อหา",
            visibility=rng.choice([Visibility.PUBLIC, Visibility.NETWORK, Visibility.NETWORK, Visibility.ORGANIZATION]),
            organization_id=rng.choice(org_ids),
            created_by_id=rng.choice(user_ids),
        )
        for n in range(cops * 2)
    ]
    KnowledgeItem.objects.bulk_create(items, batch_size=5000)
    item_ids = list(KnowledgeItem.objects.values_list("pk", flat=True))
    shares, seen_shares = [], set()
    for c in cop_ids:
        for _ in range(rng.randint(0, 5)):
            item = rng.choice(item_ids)
            if active[c] and (c, item) not in seen_shares:
                seen_shares.add((c, item))
                shares.append(
                    SharedItem(community_id=c, item_id=item, shared_by_id=rng.choice(active[c]), shared_at=now)
                )
    SharedItem.objects.bulk_create(shares, batch_size=5000)
    log(f"{len(items)} items, {len(shares)} shares ({time.perf_counter() - started:.0f}s)")

    # Discussions: up to three threads a CoP, each with a few replies by its members, over the last months.
    threads = [
        Thread(
            community_id=c,
            title=f"กระทู้ทดสอบ {c}-{k}",
            body="ข้อความ",
            author_id=rng.choice(active[c]),
            created_at=now - timedelta(days=rng.randint(1, 200)),
            last_activity_at=now,
        )
        for c in cop_ids
        if active[c]
        for k in range(rng.randint(0, 3))
    ]
    Thread.objects.bulk_create(threads, batch_size=5000)
    replies = [
        Reply(
            thread_id=pk,
            author_id=rng.choice(active[c]),
            body="ตอบ",
            created_at=now - timedelta(days=rng.randint(0, 150)),
        )
        for pk, c in Thread.objects.values_list("pk", "community_id")
        for _ in range(rng.randint(0, 6))
    ]
    Reply.objects.bulk_create(replies, batch_size=5000)
    log(f"{len(threads)} discussions, {len(replies)} replies ({time.perf_counter() - started:.0f}s)")
    return {
        "member": member,
        "public_cops": list(Community.objects.filter(visibility="public").values_list("slug", flat=True)[:200]),
        "member_cop": Community.objects.get(pk=sample_cop).slug,
        "topic": root_topics[0].slug,
        "counts": {
            "organizations": orgs,
            "people": people,
            "cops": cops,
            "memberships": len(memberships),
            "links": len(links),
            "meetings": len(meetings),
            "attendances": len(attendance),
            "shares": len(shares),
            "threads": len(threads),
            "replies": len(replies),
        },
        "generate_seconds": round(time.perf_counter() - started, 1),
    }


def timed_get(client: Any, url: str, params: dict[str, Any] | None = None) -> tuple[float, int, int]:
    """(milliseconds, queries, bytes) of one GET through the whole Django stack."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        response = client.get(url, params or {})
        body = b"".join(response.streaming_content) if response.streaming else response.content
        elapsed = (time.perf_counter() - began) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, len(queries), len(body)


def summary(samples: list[tuple[float, int, int]]) -> dict[str, Any]:
    times = [s[0] for s in samples]
    return {
        "p50_ms": percentile(times, 0.5),
        "p95_ms": percentile(times, 0.95),
        "queries": max(s[1] for s in samples),
        "kb": round(statistics.median(s[2] for s in samples) / 1024),
    }


def measure_endpoint(data: dict[str, Any], requests: int) -> dict[str, Any]:
    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse

    from platoo.netmap import graph
    from platoo.netmap.forms import MapFilterForm
    from platoo.netmap.signals import data_version

    url = reverse("netmap:data")
    combos = {
        "none": {},
        "level": {"level": 3},
        "sector": {"sector": "academic"},
        "region": {"region": "northeast"},
        "topic": {"topic": data["topic"]},
        "level+sector": {"level": 2, "sector": "government"},
    }
    results: dict[str, Any] = {}
    for who in ("visitor", "member"):
        client = Client()
        if who == "member":
            client.force_login(data["member"])
        user = data["member"] if who == "member" else None
        for name, params in combos.items():
            form = MapFilterForm(params)
            form.is_valid()
            filters = form.filters()
            scope = graph.scope_for(user)
            cold, fresh, warm = [], [], []
            for _ in range(max(5, requests // 4)):
                cache.clear()
                cold.append(timed_get(client, url, params))
            for _ in range(requests):
                cache.delete(f"netmap:{data_version()}:json:{scope.key}:{filters.cache_key}:th")
                fresh.append(timed_get(client, url, params))
            for _ in range(requests):
                warm.append(timed_get(client, url, params))
            body = json.loads(client.get(url, params).content)
            results[f"{who} {name}"] = {
                "cold": summary(cold),
                "new_filter": summary(fresh),
                "warm": summary(warm),
                "nodes": body["summary"]["nodes"],
                "edges": body["summary"]["edges"],
                "aggregated": body["aggregation"]["applied"],
                "people_folded": body["aggregation"]["people_folded"],
                "hidden_nodes": body["aggregation"]["hidden_nodes"],
                "hidden_edges": sum(body["aggregation"]["hidden_edges"].values()),
            }
            log(f"endpoint {who} {name}: {results[f'{who} {name}']}")
        # API v1 serves the same cached bytes (the first call fills the cache).
        api = [timed_get(client, "/api/v1/network/map") for _ in range(requests + 1)][1:]
        results[f"{who} api v1 (warm)"] = summary(api)
        log(f"api {who}: {results[f'{who} api v1 (warm)']}")
    return results


def measure_cop_page(data: dict[str, Any], requests: int) -> dict[str, Any]:
    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse

    results = {}
    visitor, member = Client(), Client()
    member.force_login(data["member"])
    slugs = data["public_cops"]
    for who, client, pages, cold in (
        ("visitor", visitor, slugs, False),
        ("member of another CoP", member, slugs, False),
        ("member of the CoP", member, [data["member_cop"]], False),
        # Its health panel computed anew each time (it is cached between two things done in the CoP).
        ("member of the CoP, cold cache", member, [data["member_cop"]], True),
    ):
        samples = []
        for n in range(requests + 5):
            if cold:
                cache.clear()
            samples.append(timed_get(client, reverse("communities:detail", args=[pages[n % len(pages)]])))
        results[who] = summary(samples[5:])
        log(f"CoP page {who}: {results[who]}")
    return results


def measure_attention(requests: int) -> dict[str, Any]:
    """The hub's list of CoPs needing attention: the health of every CoP, in grouped queries."""
    from django.test import Client
    from django.urls import reverse

    from platoo.accounts.models import User
    from platoo.communities.health import health_of
    from platoo.communities.models import Community

    hub = User.objects.create_superuser("hub", "hub@bench.example", PASSWORD)
    client = Client()
    client.force_login(hub)
    samples = [timed_get(client, reverse("communities:attention")) for _ in range(max(3, requests // 5) + 1)][1:]
    result = {"page": summary(samples)}
    communities = list(Community.objects.all())
    began = time.perf_counter()
    flagged = sum(1 for health in health_of(communities).values() if health.reasons)
    result["health_of_all_ms"] = round((time.perf_counter() - began) * 1000)
    result["flagged"] = flagged
    log(f"attention list: {result}")
    return result


def measure_exports(data: dict[str, Any]) -> dict[str, Any]:
    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(data["member"])
    results = {}
    for name in ("nodes_csv", "edges_csv", "graphml"):
        cache.clear()
        client.get(reverse("netmap:data"))  # the network read is cached, as when a map was just looked at
        ms, queries, size = timed_get(client, reverse(f"netmap:{name}"))
        results[name] = {"ms": round(ms), "queries": queries, "mb": round(size / 1e6, 1)}
        log(f"export {name}: {results[name]}")
    return results


def measure_measures() -> dict[str, Any]:
    from django.core.cache import cache

    from platoo.netmap import measures

    results = {}
    for view in ("anonymous", "member"):
        cache.clear()
        began = time.perf_counter()
        snapshot = measures.compute(view)
        total = time.perf_counter() - began
        results[view] = {
            "nodes": snapshot.node_count,
            "ties": snapshot.edge_count,
            "exact": snapshot.exact,
            "samples": snapshot.samples,
            "seconds_with_reading": round(total, 1),
            "seconds_measuring": snapshot.seconds,
            "estimate_seconds": round(measures.estimate_seconds(snapshot.node_count, snapshot.edge_count), 1),
        }
        log(f"measures {view}: {results[view]}")
    return results


def measure_browser(backend_env: dict[str, str], port: int = 18765) -> dict[str, Any]:
    """The map page in headless chromium, until the layout has run (visitor and signed-in member)."""
    from playwright.sync_api import sync_playwright

    # Measures go to the database queue, as in production (no worker runs: the page says they are coming).
    env = {**os.environ, **backend_env, "DEBUG": "true", "LOG_LEVEL": "ERROR", "TASK_BACKEND": "database"}
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    results = {}
    try:
        time.sleep(4)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            for who in ("visitor", "member"):
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.set_default_timeout(120_000)
                if who == "member":
                    page.goto(f"http://127.0.0.1:{port}/accounts/login/")
                    page.fill("#id_username", "member")
                    page.fill("#id_password", PASSWORD)
                    page.locator("main form button[type=submit]").click()
                    page.wait_for_load_state()
                page.goto(f"http://127.0.0.1:{port}/network/map/")  # warms the server's cache
                page.wait_for_selector("#netmap-canvas[data-ready=true]", timeout=120_000)
                began = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}/network/map/")
                page.wait_for_selector("#netmap-canvas[data-ready=true]", timeout=120_000)
                seconds = time.perf_counter() - began
                began = time.perf_counter()
                page.select_option("#id_level", "3")
                page.wait_for_function("document.getElementById('netmap-canvas').dataset.ready === 'true'")
                results[who] = {
                    "page_to_map_drawn_s": round(seconds, 1),
                    "filter_to_redrawn_s": round(time.perf_counter() - began, 1),
                    "nodes_drawn": page.evaluate("window.platooNetmap.nodes().length"),
                    "edges_drawn": page.evaluate("window.platooNetmap.edges().length"),
                }
                log(f"browser {who}: {results[who]}")
                page.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--orgs", type=int, default=1000)
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--cops", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--skip-measures", action="store_true", help="the endpoint and CoP page only")
    parser.add_argument("--browser", action="store_true", help="also time the page in headless chromium")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    os.environ["STATIC_MANIFEST"] = "false"
    with fresh_database(args.backend):
        setup_django()
        from django.db import connection

        data = generate(args.orgs, args.people, args.cops, rng)
        # Planner statistics, as a maintained database has them: without them SQLite reads the network
        # links through their (source, target, level) index, probing every pair of organizations (2 s at
        # 5,000 organizations instead of 20 ms).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        result: dict[str, Any] = {
            "backend": args.backend,
            **data["counts"],
            "generate_seconds": data["generate_seconds"],
        }
        result["endpoint"] = measure_endpoint(data, args.requests)
        result["cop_page"] = measure_cop_page(data, args.requests)
        result["attention"] = measure_attention(args.requests)
        if not args.skip_measures:
            result["exports"] = measure_exports(data)
            result["measures"] = measure_measures()
        if args.browser:
            env = {k: os.environ[k] for k in ("DATABASE_URL", "PLATOO_VAR_DIR")}
            result["browser"] = measure_browser(env)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
