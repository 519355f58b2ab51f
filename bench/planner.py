"""The programme planner at scale: 300 member organizations planned year after year over five years.

    python bench/planner.py --backend sqlite|postgres [--orgs 300] [--years 5] [--seed 7]

Builds a fresh database (see search_relevance.fresh_database) and bulk-inserts a network: member
organizations that joined over ten years, critical topics (every root topic of the seeded taxonomy
and one sub-topic of each, so sub-topics count both toward a critical parent and as themselves),
each organization wanting three topics and strong in two (any level of the taxonomy), three
knowledge items each on one or two topics, and for every year one in ten organizations declining and
one in four marking one to three months it cannot host. Then, for two settings (the default six
visits a year, and six visits in each of the twelve months: 72 a year, so the fifth year starts a
second round), each year is planned with `do_generate_programme` and published with
`do_publish_programme` before the next year is planned, so each year sees the previous ones.

Timed per year: reading the inputs (`load_inputs`), the pure plan (`planner.plan`), the whole
generation (both, plus writing the draft visits with `do_create_event`) with its query count, and
publishing (each visit through `do_publish_event`). The fairness rules are checked on the result.
The last line printed is one JSON object.
"""

import argparse
import json
import random
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_relevance import fresh_database, log, setup_django  # noqa: E402

SETTINGS = {"6 a year": ((1, 3, 5, 7, 9, 11), 1), "72 a year": (tuple(range(1, 13)), 6)}


def generate(orgs: int, years: list[int], rng: random.Random) -> dict[str, Any]:
    from django.utils import timezone

    from platoo.accounts.models import User
    from platoo.events.models import HostPreference, TopicInterest
    from platoo.knowledge.models import KnowledgeItem, Topic
    from platoo.lib.visibility import Visibility
    from platoo.network.models import MembershipStatus, Organization, Sector

    today = timezone.localdate()
    Organization.objects.bulk_create(
        [
            Organization(
                name_th=f"หน่วยงานทดสอบ {n:04d}",
                name_en=f"Bench organization {n}",
                code=f"org-{n}",
                sector=rng.choice(list(Sector.values)),
                status=MembershipStatus.MEMBER,
                joined_on=today - timedelta(days=rng.randint(30, 3650)),
            )
            for n in range(orgs)
        ]
    )
    org_ids = list(Organization.objects.values_list("pk", flat=True))
    roots = list(Topic.objects.filter(parent__isnull=True))
    Topic.objects.filter(pk__in=[t.pk for t in roots]).update(critical=True)
    for root in roots:
        Topic.objects.filter(pk=Topic.objects.filter(parent=root).order_by("position").values("pk")[:1]).update(
            critical=True
        )
    topic_ids = list(Topic.objects.values_list("pk", flat=True))
    interests = []
    for org in org_ids:
        wants = rng.sample(topic_ids, 3)
        strong = rng.sample([t for t in topic_ids if t not in wants], 2)
        interests += [TopicInterest(organization_id=org, topic_id=t, kind="want") for t in wants]
        interests += [TopicInterest(organization_id=org, topic_id=t, kind="strength") for t in strong]
    TopicInterest.objects.bulk_create(interests)
    author = User.objects.create_user("author", "author@bench.example", "!")
    KnowledgeItem.objects.bulk_create(
        [
            KnowledgeItem(
                title=f"ความรู้ {org}-{k}",
                body="เนื้อหา",
                visibility=Visibility.NETWORK,
                organization_id=org,
                created_by=author,
            )
            for org in org_ids
            for k in range(3)
        ]
    )
    through = KnowledgeItem.topics.through
    through.objects.bulk_create(
        [
            through(knowledgeitem_id=item, topic_id=topic)
            for item in KnowledgeItem.objects.values_list("pk", flat=True)
            for topic in rng.sample(topic_ids, rng.randint(1, 2))
        ]
    )
    preferences = []
    for year in years:
        for org in org_ids:
            draw = rng.random()
            if draw < 0.1:
                preferences.append(HostPreference(organization_id=org, year=year, declines=True))
            elif draw < 0.35:
                months = sorted(rng.sample(range(1, 13), rng.randint(1, 3)))
                preferences.append(HostPreference(organization_id=org, year=year, unavailable_months=months))
    HostPreference.objects.bulk_create(preferences)
    hub = User.objects.create_superuser("hub", "hub@bench.example", "!")
    return {
        "hub": hub,
        "counts": {
            "organizations": len(org_ids),
            "critical_topics": Topic.objects.filter(critical=True).count(),
            "interests": len(interests),
            "preferences": len(preferences),
        },
    }


def fairness(years: list[int]) -> dict[str, Any]:
    """Check the rules on what was planned: dates, and nobody hosting again before an organization
    that could have taken that date had its turn."""
    import holidays
    from django.utils import timezone

    from platoo.events.models import Event, HostPreference
    from platoo.network.models import Organization

    calendar = holidays.country_holidays("TH", years=years)
    declined = set(HostPreference.objects.filter(declines=True).values_list("organization_id", "year"))
    rows = HostPreference.objects.values_list("organization_id", "year", "unavailable_months")
    unavailable = {(org, year): set(months) for org, year, months in rows}
    visits = list(Event.objects.filter(kind="visit").order_by("starts_at").values_list("host_id", "starts_at"))
    hosted: Counter[int] = Counter()
    everyone = list(Organization.objects.values_list("pk", flat=True))
    bad_dates = unfair = 0
    busy: set[tuple[int, int, int]] = set()  # (organization, year, month) it hosts in
    for host, starts in visits:
        day = timezone.localdate(starts)
        if day.weekday() >= 5 or day in calendar:
            bad_dates += 1
        if host is None:
            continue
        waiting = [
            o
            for o in everyone
            if hosted[o] < hosted[host]
            and (o, day.year) not in declined
            and day.month not in unavailable.get((o, day.year), set())
            and (o, day.year, day.month) not in busy
        ]
        unfair += bool(waiting)
        hosted[host] += 1
        busy.add((host, day.year, day.month))
    turns = Counter(hosted.values())
    return {
        "visits": len(visits),
        "empty_slots": sum(1 for host, _s in visits if host is None),
        "on_weekend_or_holiday": bad_dates,
        "hosted_again_while_someone_could_have_had_a_first_turn": unfair,
        "organizations_by_turns": dict(sorted(turns.items())),
    }


def run(name: str, years: list[int], hub: Any) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from platoo.events import planner, programmes
    from platoo.events.models import Event, Programme

    months, per_month = SETTINGS[name]
    rows = []
    for year in years:
        today = date(year - 1, 12, 1)
        began = time.perf_counter()
        inputs = programmes.load_inputs(year, today, months=months, per_month=per_month)
        read = time.perf_counter() - began
        began = time.perf_counter()
        planner.plan(inputs)
        planned = time.perf_counter() - began
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            programme = programmes.do_generate_programme(hub, year, months, per_month, as_of=today)
            generated = time.perf_counter() - began
        began = time.perf_counter()
        programmes.do_publish_programme(hub, programme)
        published = time.perf_counter() - began
        rows.append(
            {
                "year": year,
                "visits": Event.objects.filter(programme=programme).count(),
                "read_inputs_ms": round(read * 1000, 1),
                "plan_ms": round(planned * 1000, 1),
                "generate_ms": round(generated * 1000),
                "generate_queries": len(queries),
                "publish_ms": round(published * 1000),
            }
        )
        log(f"{name} {rows[-1]}")
    result = {
        "years": rows,
        "total_generate_s": round(sum(r["generate_ms"] for r in rows) / 1000, 2),
        "total_plan_ms": round(sum(r["plan_ms"] for r in rows), 1),
        "total_with_publishing_s": round(sum(r["generate_ms"] + r["publish_ms"] for r in rows) / 1000, 2),
        "fairness": fairness(years),
    }
    Event.objects.filter(programme__isnull=False).delete()
    Programme.objects.all().delete()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--orgs", type=int, default=300)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with fresh_database(args.backend):
        setup_django()
        from django.utils import timezone

        first = timezone.localdate().year + 1
        years = list(range(first, first + args.years))
        data = generate(args.orgs, years, rng)
        result: dict[str, Any] = {"backend": args.backend, **data["counts"], "years": years}
        for name in SETTINGS:
            result[name] = run(name, years, data["hub"])
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
