"""The knowledge flow of a big network: 1,000 organizations and 20,000 applications over five years.

    python bench/knowledge_flow.py --backend sqlite|postgres [--organizations 1000] [--applications 20000]
        [--items 4000] [--requests 30]

Builds a fresh database (see search_relevance.fresh_database) and bulk-inserts `--organizations` member
organizations (one person each, a few big producers of knowledge and a long tail), `--items` knowledge
items in eight critical topics, each marked critical and verified (nine in ten network-wide, one in twenty
public, one in twenty organization-only), and `--applications` applications spread over five years: the
applying organization drawn at random, the item drawn with a skew (some knowledge travels far), one in
ten applying its own organization's knowledge. Then, through the Django test client (middleware,
session, view, template) as a member of one organization: the network flow page (`cycle:flow`) unfiltered,
by year and by topic, and the flow page of the organization whose knowledge travelled most
(`cycle:organization_flow`) and of an ordinary one, and the network map's data with the applied-knowledge
ties (cold: its cache emptied before each request).

p50/p95 in milliseconds, queries per request and size are printed; the last line is one JSON object.
"""

import argparse
import json
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from event_report import summary, timed_get  # noqa: E402
from search_relevance import fresh_database, log, setup_django  # noqa: E402

TOPICS = [
    ("patient-safety", "ความปลอดภัยผู้ป่วย", "Patient safety"),
    ("handover", "การส่งต่องาน", "Handover"),
    ("medication", "การใช้ยา", "Medication"),
    ("infection", "การป้องกันการติดเชื้อ", "Infection control"),
    ("service", "การบริการ", "Service"),
    ("community", "งานชุมชน", "Community work"),
    ("data", "ข้อมูลและสารสนเทศ", "Data"),
    ("people", "การพัฒนาบุคลากร", "People development"),
]
WHERE = ["หอผู้ป่วยใน", "แผนกฉุกเฉิน", "ห้องผ่าตัด", "งานเภสัชกรรม", "ศูนย์สุขภาพชุมชน", "สำนักงาน"]


def generate(organizations: int, items: int, applications: int, rng: random.Random) -> dict[str, Any]:
    from django.utils import timezone

    from platoo.accounts.models import User
    from platoo.cycle.models import Application, ApplicationResult, CriticalKnowledge, Panel, Stage
    from platoo.knowledge.models import KnowledgeItem, Topic
    from platoo.lib.visibility import Visibility
    from platoo.network.models import Organization, Sector

    started = time.perf_counter()
    sectors = [s.value for s in Sector]
    Organization.objects.bulk_create(
        Organization(
            code=f"org{n:04d}", name_th=f"หน่วยงานที่ {n}", name_en=f"Organization {n}", sector=sectors[n % len(sectors)]
        )
        for n in range(organizations)
    )
    orgs = list(Organization.objects.order_by("pk").values_list("pk", flat=True))
    User.objects.bulk_create(
        User(username=f"member{n:04d}", email=f"m{n}@example.org", organization_id=pk, is_active=True)
        for n, pk in enumerate(orgs)
    )
    people = dict(User.objects.values_list("organization_id", "pk"))
    topics = Topic.objects.bulk_create(
        Topic(slug=slug, name_th=th, name_en=en, critical=True, position=n) for n, (slug, th, en) in enumerate(TOPICS)
    )
    for topic in topics:
        Panel.objects.create(topic=topic, name=f"คลังสมอง{topic.name_th}")
    # A few organizations write most of the knowledge.
    producers = orgs[: max(10, organizations // 20)]
    now = timezone.now()
    five_years_ago = now - timedelta(days=5 * 365 + 60)
    item_rows = []
    for n in range(items):
        owner = rng.choice(producers) if rng.random() < 0.7 else rng.choice(orgs)
        roll = rng.random()
        visibility = Visibility.NETWORK if roll < 0.9 else Visibility.PUBLIC if roll < 0.95 else Visibility.ORGANIZATION
        item_rows.append(
            KnowledgeItem(
                kind="practice",
                title=f"แนวปฏิบัติที่ {n}",
                summary="สรุปแนวปฏิบัติ",
                organization_id=owner,
                created_by_id=people[owner],
                visibility=visibility,
                created_at=five_years_ago + timedelta(days=rng.randint(0, 60)),
            )
        )
    KnowledgeItem.objects.bulk_create(item_rows, batch_size=2000)
    made = list(KnowledgeItem.objects.order_by("pk").values_list("pk", "organization_id", "created_at"))
    KnowledgeItem.authors.through.objects.bulk_create(
        [KnowledgeItem.authors.through(knowledgeitem_id=pk, user_id=people[org]) for pk, org, _c in made],
        batch_size=5000,
    )
    panels = dict(Panel.objects.values_list("topic_id", "pk"))
    CriticalKnowledge.objects.bulk_create(
        [
            CriticalKnowledge(
                item_id=pk,
                stage=Stage.VERIFIED,
                topic_id=(topic := topics[n % len(topics)]).pk,
                panel_id=panels[topic.pk],
                owner_id=org,
                verified_at=created,
                reverify_due=(now + timedelta(days=200)).date(),
            )
            for n, (pk, org, created) in enumerate(made)
        ],
        batch_size=2000,
    )
    today = timezone.localdate()
    start = today - timedelta(days=5 * 365)
    results = [r.value for r in ApplicationResult]
    rows = []
    weights = [1.0 / (1 + n) ** 0.8 for n in range(len(made))]
    chosen = rng.choices(made, weights=weights, k=applications)
    for pk, owner, _created in chosen:
        applier = owner if rng.random() < 0.1 else rng.choice(orgs)
        rows.append(
            Application(
                item_id=pk,
                organization_id=applier,
                learned_from_id=owner,
                applied_on=start + timedelta(days=rng.randint(0, (today - start).days)),
                where=rng.choice(WHERE),
                result=rng.choice(results),
                recorded_by_id=people[applier],
            )
        )
    Application.objects.bulk_create(rows, batch_size=5000)
    applied = {a.item_id for a in rows if a.organization_id != a.learned_from_id}
    CriticalKnowledge.objects.filter(item_id__in=applied).update(stage=Stage.APPLIED)
    seconds = round(time.perf_counter() - started, 1)
    # The organization whose knowledge travelled most, and an ordinary one of the long tail.
    taught: dict[int, int] = {}
    for a in rows:
        if a.organization_id != a.learned_from_id:
            taught[a.learned_from_id] = taught.get(a.learned_from_id, 0) + 1
    busiest = max(taught, key=lambda k: taught[k])
    ordinary = orgs[-1]
    viewer = User.objects.get(pk=people[orgs[organizations // 2]])
    return {
        "viewer": viewer,
        "busiest": Organization.objects.get(pk=busiest),
        "ordinary": Organization.objects.get(pk=ordinary),
        "topic": topics[0],
        "year": today.year - 2,
        "counts": {
            "organizations": organizations,
            "items": items,
            "applications": applications,
            "between_organizations": sum(1 for a in rows if a.organization_id != a.learned_from_id),
            "busiest_taught": taught[busiest],
        },
        "generate_seconds": seconds,
    }


def measure(data: dict[str, Any], requests: int) -> dict[str, Any]:
    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(data["viewer"])
    flow = reverse("cycle:flow")
    results: dict[str, Any] = {}
    for name, url in (
        ("flow page", flow),
        ("flow page, one year", f"{flow}?year={data['year'] + 543}"),
        ("flow page, one topic", f"{flow}?topic={data['topic'].slug}"),
        ("organization page, the busiest", reverse("cycle:organization_flow", args=[data["busiest"].code])),
        ("organization page, an ordinary one", reverse("cycle:organization_flow", args=[data["ordinary"].code])),
    ):
        timed_get(client, url)  # warm: templates compiled
        results[name] = summary([timed_get(client, url) for _ in range(requests)])
        log(f"{name}: {results[name]}")
    cold = []
    for _ in range(max(3, requests // 5)):
        cache.clear()
        cold.append(timed_get(client, reverse("netmap:data")))
    results["network map data (cold), with applied knowledge"] = summary(cold)
    log(f"network map data (cold): {results['network map data (cold), with applied knowledge']}")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--organizations", type=int, default=1000)
    parser.add_argument("--items", type=int, default=4000)
    parser.add_argument("--applications", type=int, default=20000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    os.environ["STATIC_MANIFEST"] = "false"
    rng = random.Random(args.seed)
    with fresh_database(args.backend):
        setup_django()
        from django.db import connection

        data = generate(args.organizations, args.items, args.applications, rng)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        result = {"backend": args.backend, **data["counts"], "generate_seconds": data["generate_seconds"]}
        result["pages"] = measure(data, args.requests)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
