"""An event of 2,000 registrants: the event page, its report page and the report as a PDF.

    python bench/event_report.py --backend sqlite|postgres [--registrants 2000] [--organizations 300]
        [--requests 30] [--pdf-requests 10]

Builds a fresh database (see search_relevance.fresh_database) and bulk-inserts one past event with
`--registrants` people from `--organizations` member organizations of every sector (a few big, many
small), nine in ten checked in (one in twenty of those walk-ins), 600 participants' reviews and a
before-action review from most registrants (Thai sentences drawn from a phrase bank, so the themes
have something to find), 30 knowledge items captured at it, ten follow-up actions and the
consolidated AAR. Then, through the Django test client (middleware, session, view, template) as an
organizer and as a participant: the event page (`events:detail`, whatever it renders), the report
page and the PDF, and the page of an annual fair the same 2,000 people registered for (24 sessions
in six topics). The report's themes are cached under a digest of the texts and the PDF under a
digest of its HTML, so the first report and the first PDF after something changes are measured
apart ("cold": the cache emptied before each request).

p50/p95 in milliseconds, queries per request and size are printed; the last line is one JSON object.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_relevance import fresh_database, log, setup_django  # noqa: E402

# Pieces of what participants write: each review draws a few, so themes repeat across reviews the way
# real ones do, with enough filler that no two answers are the same.
TOPICS = [
    "การส่งเวรแบบ SBAR",
    "การลดความผิดพลาดในการให้ยา",
    "การแบ่งกลุ่มย่อย",
    "การเยี่ยมหอผู้ป่วย",
    "ระบบคิวออนไลน์",
    "การดูแลผู้ป่วยเบาหวาน",
    "การถอดบทเรียน",
    "ชุมชนแนวปฏิบัติ",
    "การเล่าเรื่อง",
    "เวชระเบียนอิเล็กทรอนิกส์",
    "การสื่อสารกับญาติผู้ป่วย",
    "การจัดการความเสี่ยง",
]
EXPECTED = ["คาดว่าจะได้เห็น{t}", "อยากรู้ว่าที่อื่นทำ{t}อย่างไร", "หวังว่าจะได้ตัวอย่าง{t}ที่ใช้ได้จริง"]
HAPPENED = [
    "ได้เห็น{t}จริงที่หน้างาน",
    "วิทยากรเล่า{t}ละเอียดมาก",
    "{t}ช่วยให้ทีมทำงานเร็วขึ้น",
    "ได้แลกเปลี่ยน{t}กับเพื่อนต่างหน่วยงาน",
    "เวลาไม่พอสำหรับ{t}",
]
DIFFERENCE = ["เพราะเวลาจำกัด", "เพราะแต่ละที่มีบริบทต่างกัน", "เพราะ{t}ต้องใช้ทีมที่พร้อม", "เพราะเตรียมเอกสารไม่ทัน"]
NEXT_TIME = ["ครั้งหน้าจะลองนำ{t}ไปใช้", "จะชวนทีมมาเรียนรู้{t}", "อยากให้มีเวลาแบ่งกลุ่มย่อยมากขึ้น", "จะจดบันทึก{t}ให้ละเอียด"]
LEARN = ["อยากเรียนรู้{t}", "วิธี{t}", "{t}ที่ได้ผลจริง", "ปัญหาที่พบใน{t}"]
FROM_WHOM = ["พยาบาลหัวหน้าเวร", "เภสัชกร", "ผู้ที่มีประสบการณ์", "ทีมเจ้าภาพ", "แพทย์ประจำหอผู้ป่วย"]
FILLER = ["", " และทุกคนเข้าใจตรงกัน", " ซึ่งน่าสนใจมาก", " แต่ยังมีคำถามอีกหลายข้อ", " โดยเฉพาะช่วงบ่าย", " ค่ะ", " ครับ"]


def sentence(rng: random.Random, templates: list[str]) -> str:
    return rng.choice(templates).format(t=rng.choice(TOPICS)) + rng.choice(FILLER)


def generate(registrants: int, organizations: int, rng: random.Random) -> dict[str, Any]:
    from django.utils import timezone

    from platoo.accounts.models import User
    from platoo.events import actions
    from platoo.events.models import Event, EventItem, EventKind, EventStatus, ParticipantReview, Registration, Session
    from platoo.knowledge.models import KnowledgeItem, Topic
    from platoo.network.models import Organization, Sector

    started = time.perf_counter()
    sectors = list(Sector.values)
    Organization.objects.bulk_create(
        [
            Organization(
                name_th=f"หน่วยงานทดสอบ {n}",
                name_en=f"Bench organization {n}",
                code=f"org-{n}",
                sector=rng.choice(sectors),
            )
            for n in range(organizations)
        ]
    )
    org_ids = list(Organization.objects.order_by("pk").values_list("pk", flat=True))
    weights = [rng.paretovariate(1.2) for _ in org_ids]
    home = rng.choices(org_ids, weights=weights, k=registrants)
    User.objects.bulk_create(
        [
            User(username=f"person{n}", email=f"person{n}@bench.example", password="!", name_th=f"บุคคล ทดสอบ{n}",
                 organization_id=home[n] if rng.random() > 0.02 else None)
            for n in range(registrants)
        ],
        batch_size=2000,
    )  # fmt: skip
    organizer = User.objects.create_user("organizer", "organizer@bench.example", None, organization_id=org_ids[0])
    now = timezone.now()
    begins = now - timedelta(days=2)
    data = actions.EventData(
        title="มหกรรมแลกเปลี่ยนเรียนรู้ด้านการพยาบาล",
        kind=EventKind.SHARE_SHOW,
        starts_at=begins,
        ends_at=begins + timedelta(hours=8),
        host_id=org_ids[0],
        place="หอประชุมใหญ่",
        sessions=[actions.SessionData(title=f"ช่วงที่ {n}") for n in range(1, 9)],
    )
    event = actions.do_publish_event(organizer, actions.do_create_event(organizer, data))
    people = list(
        User.objects.filter(username__startswith="person").order_by("pk").values_list("pk", "organization_id")
    )
    rows = []
    for n, (pk, organization_id) in enumerate(people):
        checked_in = n % 10 != 0  # nine in ten
        walk_in = checked_in and n % 20 == 1
        rows.append(
            Registration(
                event=event,
                user_id=pk,
                organization_id=organization_id,
                registered_at=begins - timedelta(days=rng.randint(1, 30)),
                bar_learn=sentence(rng, LEARN) if rng.random() < 0.8 else "",
                bar_from_whom=rng.choice(FROM_WHOM) if rng.random() < 0.5 else "",
                checked_in_at=begins + timedelta(minutes=rng.randint(0, 120)) if checked_in else None,
                checked_in_by=organizer if checked_in else None,
                walk_in=walk_in,
            )
        )
    Registration.objects.bulk_create(rows, batch_size=2000)
    attendees = [r.user_id for r in rows if r.checked_in_at]
    ParticipantReview.objects.bulk_create(
        [
            ParticipantReview(
                event=event,
                user_id=pk,
                expected=sentence(rng, EXPECTED),
                happened=sentence(rng, HAPPENED),
                difference=sentence(rng, DIFFERENCE) if rng.random() < 0.7 else "",
                next_time=sentence(rng, NEXT_TIME),
            )
            for pk in rng.sample(attendees, min(600, len(attendees)))
        ]
    )
    items = KnowledgeItem.objects.bulk_create(
        [
            KnowledgeItem(title=f"บทเรียนจากมหกรรม {n}: {rng.choice(TOPICS)}", body="เนื้อหา", created_by=organizer,
                          visibility="network" if n % 6 else "organization", organization_id=org_ids[n % 5])
            for n in range(30)
        ]
    )  # fmt: skip
    EventItem.objects.bulk_create([EventItem(event=event, item=item, captured_by=organizer) for item in items])
    participant = User.objects.get(pk=attendees[5])
    for n in range(10):
        actions.do_add_follow_up(
            organizer, event, f"ติดตามเรื่อง{rng.choice(TOPICS)}", participant, (now + timedelta(days=n * 5)).date()
        )
    event.refresh_from_db()
    aar = {
        "aar_expected": "คาดว่าจะได้แลกเปลี่ยน**แนวปฏิบัติที่ดี**ระหว่างหน่วยงาน",
        "aar_happened": "ผู้เข้าร่วมมากกว่าที่คาด การส่งเวรแบบ SBAR เป็นที่สนใจที่สุด",
        "aar_difference": "ประชาสัมพันธ์ผ่านชุมชนแนวปฏิบัติได้ผลดี",
        "aar_next_time": "เพิ่มห้องแบ่งกลุ่มย่อย และเวลาถามตอบ",
    }
    actions.do_write_consolidated_aar(organizer, event, aar, event.version)
    # The same people registered for the annual fair, a month on. Made directly: its gate needs verified
    # stories, and the expert panels that verify them do not exist yet.
    fair = Event.objects.create(
        kind=EventKind.FAIR, title="มหกรรมความรู้ประจำปี", status=EventStatus.PUBLISHED, created_by=organizer,
        starts_at=now + timedelta(days=30), ends_at=now + timedelta(days=31), host_id=org_ids[0],
    )  # fmt: skip
    fair.organizers.add(organizer)
    topics = [Topic.objects.create(slug=f"topic-{n}", name_th=f"หัวข้อ {n}", name_en=f"Topic {n}") for n in range(6)]
    for n in range(24):
        session = Session.objects.create(event=fair, position=n, title=f"ช่วงที่ {n}", topic=topics[n % 6])
        session.speakers.set(rng.sample([pk for pk, _org in people], 2))
    Registration.objects.bulk_create(
        [Registration(event=fair, user_id=pk, organization_id=organization_id) for pk, organization_id in people],
        batch_size=2000,
    )
    seconds = round(time.perf_counter() - started, 1)
    log(f"generated {registrants} registrants, {len(attendees)} checked in, 600 reviews in {seconds}s")
    return {
        "event": event,
        "fair": fair,
        "organizer": organizer,
        "participant": participant,
        "counts": {"registrants": registrants, "organizations": organizations, "checked_in": len(attendees), "reviews": min(600, len(attendees)), "captured": 30},
        "generate_seconds": seconds,
    }  # fmt: skip


def timed_get(client: Any, url: str) -> tuple[float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - began) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, len(queries), len(response.content)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 1)


def summary(samples: list[tuple[float, int, int]]) -> dict[str, Any]:
    times = [s[0] for s in samples]
    return {
        "p50_ms": percentile(times, 0.5),
        "p95_ms": percentile(times, 0.95),
        "queries": max(s[1] for s in samples),
        "kb": round(statistics.median(s[2] for s in samples) / 1024),
    }


def measure(data: dict[str, Any], requests: int, pdf_requests: int) -> dict[str, Any]:
    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse

    event = data["event"]
    results: dict[str, Any] = {}
    for who, person in (("organizer", data["organizer"]), ("participant", data["participant"])):
        client = Client()
        client.force_login(person)
        for name, url, count in (
            ("event page", reverse("events:detail", args=[event.pk]), requests),
            ("report page", reverse("events:report", args=[event.pk]), requests),
            ("report PDF", reverse("events:report_pdf", args=[event.pk]), pdf_requests),
            ("fair page", reverse("events:fair_event", args=[data["fair"].pk]), requests),
        ):
            timed_get(client, url)  # warm: templates compiled, themes cached
            results[f"{name}, {who}"] = summary([timed_get(client, url) for _ in range(count)])
            log(f"{name}, {who}: {results[f'{name}, {who}']}")
    client = Client()
    client.force_login(data["organizer"])
    for name, url, count in (
        (
            "report page, organizer, themes computed (cold)",
            reverse("events:report", args=[event.pk]),
            max(3, requests // 5),
        ),
        ("report PDF, organizer, laid out (cold)", reverse("events:report_pdf", args=[event.pk]), max(3, pdf_requests)),
    ):
        cold = []
        for _ in range(count):
            cache.clear()
            cold.append(timed_get(client, url))
        results[name] = summary(cold)
        log(f"{name}: {results[name]}")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--registrants", type=int, default=2000)
    parser.add_argument("--organizations", type=int, default=300)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--pdf-requests", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    os.environ["STATIC_MANIFEST"] = "false"
    rng = random.Random(args.seed)
    with fresh_database(args.backend):
        setup_django()
        from django.db import connection

        data = generate(args.registrants, args.organizations, rng)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        result = {"backend": args.backend, **data["counts"], "generate_seconds": data["generate_seconds"]}
        result["pages"] = measure(data, args.requests, args.pdf_requests)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
