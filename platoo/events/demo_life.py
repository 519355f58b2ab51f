"""What happened at the demo's events: people at the past visits (checked in, reviews, the note-taker's
AAR, knowledge captured, follow-ups), and an upcoming share-and-show day with submissions.

Written with the real actions as the events happened; registrations for visits already past are
recorded as they were (registration closes when an event ends), then everything is dated back.
"""

import random
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from platoo.accounts.models import User
from platoo.activity.models import Activity, Notification
from platoo.knowledge.actions import ItemData, do_create_item
from platoo.knowledge.models import Kind, KnowledgeItem, Revision
from platoo.knowledge.provenance import open_capture
from platoo.lib.visibility import Visibility

from . import actions, showcase
from .models import Event, EventItem, EventKind, FollowUp, ParticipantReview, Registration

WANTS = (
    "อยากเห็นการทำงานจริงหน้างาน และวิธีที่เจ้าภาพแก้ปัญหา",
    "อยากรู้ว่าเริ่มต้นอย่างไร และใครเป็นคนผลักดัน",
    "อยากได้แบบฟอร์มและเครื่องมือที่ใช้ได้ทันที",
    "อยากเรียนรู้การถอดบทเรียนจากคนหน้างาน",
)
FROM_WHOM = ("หัวหน้างานของเจ้าภาพ", "คนหน้างานที่ทำมานาน", "คุณอำนวยของเจ้าภาพ", "ผู้บริหารที่สนับสนุนเรื่องนี้")
REVIEWS = (
    (
        "ได้ดูวิธีทำงานจริงและนำไปปรับใช้",
        "ได้เห็นหน้างานจริงและคุยกับคนทำงานโดยตรง",
        "เวลาดูงานสั้นกว่าที่คิด",
        "ขอเวลาแลกเปลี่ยนกับคนหน้างานให้มากขึ้น",
    ),
    (
        "ได้แนวทางที่ใช้กับหน่วยงานเรา",
        "ได้แบบฟอร์มกลับไปทดลองใช้สองแบบ",
        "เจ้าภาพเตรียมเอกสารไว้ให้ครบ",
        "ชวนทีมที่ต้องใช้จริงมาด้วยครั้งหน้า",
    ),
    (
        "ได้รู้ว่าเริ่มอย่างไร",
        "ได้ฟังเรื่องเล่าความล้มเหลวช่วงแรกที่เป็นประโยชน์มาก",
        "เจ้าภาพเปิดใจเล่าเรื่องที่ไม่สำเร็จด้วย",
        "ถอดบทเรียนของเราเองหลังกลับไปหนึ่งเดือน",
    ),
)
AAR = (
    "ผู้เข้าร่วมได้เห็นแนวปฏิบัติที่ดีของเจ้าภาพและนำกลับไปปรับใช้",
    "ผู้เข้าร่วมมาจากหลายองค์กร ได้แลกเปลี่ยนกันมากกว่าที่คาด เรื่องเล่าความล้มเหลวได้รับความสนใจที่สุด",
    "เจ้าภาพเปิดหน้างานจริงและให้คนหน้างานเป็นผู้เล่า",
    "นัดติดตามผลการนำไปใช้หลังสามเดือน และให้เจ้าภาพครั้งหน้าเตรียมหน้างานแบบเดียวกัน",
)
LESSON = (
    "จากการเยือน{host} ผู้เข้าร่วมเห็นว่าความสำเร็จมาจากการให้คนหน้างานเป็นผู้ออกแบบวิธีทำงานเอง "
    "โดยผู้บริหารให้เวลาและพื้นที่ทดลอง มีการบันทึกผลทุกสัปดาห์ และทบทวนร่วมกันทุกเดือน "
    "สิ่งที่องค์กรอื่นนำไปใช้ได้ทันทีคือการเริ่มจากปัญหาเล็ก ๆ ที่ทุกคนเห็นตรงกัน แล้วขยายผลเมื่อเห็นผลจริง"
)
MAX_VISITS = 10  # the most recent past visits get a full story


def _dated(url: str, moment: datetime, since: datetime) -> None:
    Activity.objects.filter(url__startswith=url, created_at__gte=since).update(created_at=moment)
    Notification.objects.filter(url__startswith=url, created_at__gte=since).update(
        created_at=moment, read_at=moment, emailed_at=moment
    )


def _visit(visit: Event, actor: User, people: list[User], rng: random.Random) -> None:
    host_people = [p for p in people if p.organization_id == visit.host_id]
    guests = [p for p in people if p.organization_id != visit.host_id]
    coming = host_people[:2] + rng.sample(guests, min(len(guests), rng.randint(6, 10)))
    Registration.objects.bulk_create(
        [
            Registration(
                event=visit,
                user=person,
                organization_id=person.organization_id,
                registered_at=visit.starts_at - timedelta(days=rng.randint(5, 20)),
                bar_learn=rng.choice(WANTS),
                bar_from_whom=rng.choice(FROM_WHOM),
            )
            for person in coming
        ],
        ignore_conflicts=True,
    )
    attended = [p for p in coming if rng.random() < 0.85]
    for person in attended:
        actions.do_check_in(actor, visit, person)
    Registration.objects.filter(event=visit, checked_in_at__isnull=False).update(
        checked_in_at=visit.starts_at + timedelta(minutes=15)
    )
    after = visit.ends_at + timedelta(days=1)
    for person, (expected, happened, difference, next_time) in zip(attended[2:5], REVIEWS, strict=False):
        actions.do_write_review(
            person,
            visit,
            {"expected": expected, "happened": happened, "difference": difference, "next_time": next_time},
        )
    ParticipantReview.objects.filter(event=visit).update(created_at=after, updated_at=after)
    fields = dict(zip(actions.AAR_FIELDS, AAR, strict=True))
    actions.do_write_consolidated_aar(actor, visit, fields, Event.objects.get(pk=visit.pk).version)
    Event.objects.filter(pk=visit.pk).update(aar_updated_at=after)
    writer = next((p for p in attended if p.organization_id == visit.host_id), attended[0] if attended else None)
    if writer is not None:
        _capture(visit, writer, after)
        FollowUp.objects.filter(event=visit).delete()
        actions.do_add_follow_up(
            actor, visit, "ส่งแบบฟอร์มและคู่มือให้ผู้เข้าร่วมทุกองค์กร", writer, (after + timedelta(days=14)).date()
        )
        follow_up = actions.do_add_follow_up(
            actor, visit, "ติดตามผลการนำไปใช้หลังสามเดือน", actor, (after + timedelta(days=90)).date()
        )
        if after + timedelta(days=90) < timezone.now():
            actions.do_set_follow_up_done(actor, follow_up, True)
        FollowUp.objects.filter(event=visit).update(created_at=after)


def _capture(visit: Event, writer: User, moment: datetime) -> None:
    capture = open_capture(writer, f"event:{visit.pk}")
    if capture is None:
        return
    since = timezone.now()
    host = visit.host.name_th if visit.host else ""
    item = do_create_item(
        writer,
        ItemData(
            title=f"บทเรียนจากการเยือน{host}",
            kind=Kind.LESSON,
            summary=f"สิ่งที่ผู้เข้าร่วมเรียนรู้จากการเยือน{host}",
            body=LESSON.format(host=host),
            visibility=Visibility.NETWORK,
            topic_ids=capture.initial["topics"],
            tag_names=["เหย้าเยือน", "ถอดบทเรียน"],
            author_ids=capture.initial["authors"],
            extra=dict(zip(("aar_expected", "aar_happened", "aar_difference", "aar_next_time"), AAR, strict=True)),
        ),
        capture=capture,
    )
    KnowledgeItem.objects.filter(pk=item.pk).update(created_at=moment, updated_at=moment, view_count=12)
    Revision.objects.filter(item=item).update(created_at=moment)
    EventItem.objects.filter(item=item).update(captured_at=moment)
    _dated(item.get_absolute_url(), moment, since)


def _share_show(actor: User, people: list[User], rng: random.Random) -> Event:
    starts = (timezone.localtime() + timedelta(days=24)).replace(hour=9, minute=0, second=0, microsecond=0)
    slots = [
        actions.SessionData(title="ช่วงที่ 1: นวัตกรรมบริการ", starts_at=starts + timedelta(hours=1), duration_minutes=60),
        actions.SessionData(title="ช่วงที่ 2: แนวปฏิบัติที่ดีจากหน้างาน", starts_at=starts + timedelta(hours=3)),
        actions.SessionData(title="ช่วงที่ 3: เครื่องมือดิจิทัล", starts_at=starts + timedelta(hours=5)),
    ]
    event = actions.do_create_event(
        actor,
        actions.EventData(
            title="วันแบ่งปันและแสดงผลงานนวัตกรรมของเครือข่าย",
            kind=EventKind.SHARE_SHOW,
            starts_at=starts,
            ends_at=starts + timedelta(hours=7),
            description="สมาชิกนำนวัตกรรมและแนวปฏิบัติที่ดีมาแสดง ผู้เข้าร่วมให้คะแนนและความคิดเห็น",
            place="ศูนย์ประชุมมหาวิทยาลัยมหาสารคาม",
            capacity=120,
            visibility=Visibility.NETWORK,
            sessions=slots,
        ),
    )
    event = actions.do_publish_event(actor, event)
    for person in rng.sample(people, min(len(people), 16)):
        actions.do_register(person, event, rng.choice(WANTS), rng.choice(FROM_WHOM))
    sessions = list(event.sessions.order_by("position"))
    offered = (
        KnowledgeItem.objects.filter(
            kind__in=[Kind.PRACTICE, Kind.STORY], visibility__in=[Visibility.PUBLIC, Visibility.NETWORK]
        )
        .filter(Q(created_by__in=people))
        .order_by("-view_count", "pk")
    )
    chosen: set[int] = set()
    for item in offered:  # four people put one item each forward; the first three are placed in a slot
        if len(chosen) == 4:
            break
        creator = item.created_by
        if creator is None or creator.pk in chosen:
            continue
        chosen.add(creator.pk)
        submission = showcase.do_submit(creator, event, item, summary=f"จะนำเสนอ “{item.title}” พร้อมตัวอย่างจริง")
        if len(chosen) <= len(sessions):
            showcase.do_decide(actor, submission, True, sessions[len(chosen) - 1])
    return event


def load(actor: User, visits: list[Event]) -> int:
    """Bring the past visits to life and schedule the share-and-show day; returns how many events it touched."""
    rng = random.Random(4)
    people = list(User.objects.filter(is_active=True, is_superuser=False, organization__isnull=False).order_by("pk"))
    for visit in visits[-MAX_VISITS:]:
        _visit(visit, actor, people, rng)
    _share_show(actor, people, rng)
    return min(len(visits), MAX_VISITS) + 1


def remove() -> None:
    Event.objects.filter(kind=EventKind.SHARE_SHOW, title="วันแบ่งปันและแสดงผลงานนวัตกรรมของเครือข่าย").delete()
