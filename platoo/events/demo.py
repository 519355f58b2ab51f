"""The demo network's programmes of home-and-away visits (platoo.network.demo must be loaded first).

The demo organizations say what they want to learn and are strong in, and when they cannot host;
then the planner plans last year and this year as the hub would have at the start of each year, and
both are published (their visits dated back to then), so this year's programme has visits already
past; next year is left as a draft to review. Everything goes through the planner's own actions.
Other demo content (after-action reviews, knowledge captured at the visits) builds on
`programme_visits()`.
"""

from datetime import date, datetime, time

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from platoo.accounts.models import User
from platoo.activity.models import Activity
from platoo.knowledge.models import Topic
from platoo.network.demo.people import ADMIN_USERNAME
from platoo.network.models import Organization, is_network_manager

from . import demo_life
from .models import Event, EventKind, EventStatus, HostPreference, Programme, TopicInterest
from .planner import BANGKOK
from .programmes import do_generate_programme, do_publish_programme, do_save_host_preference, do_set_topic_interests

__all__ = ["DEMO_CONTENT", "load", "programme_visits", "remove"]

DEMO_CONTENT = "programmes of home-and-away visits"  # how load_demo names what load() counted

DIGITAL, DATA = "digital-transformation", "data-driven-decisions"
TACIT, SUCCESSION = "tacit-knowledge", "succession"
COP, LOCAL_WISDOM = "communities-of-practice", "local-wisdom"

# organization code: (topics it wants to learn, topics it is strong in)
INTERESTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "pskd": ((DATA, DIGITAL), (COP, TACIT)),
    "kk-agri": ((DIGITAL, DATA), (LOCAL_WISDOM, TACIT)),
    "nakaeo-hospital": ((DATA, SUCCESSION), (COP, TACIT)),
    "ecwa": ((SUCCESSION, TACIT), (DIGITAL,)),
    "nfmo": ((DATA, COP), (LOCAL_WISDOM,)),
    "lampang-clay": ((SUCCESSION, DIGITAL), (TACIT, LOCAL_WISDOM)),
    "andaman-food": ((DIGITAL, TACIT), (DATA,)),
    "chf": ((DATA, COP), (LOCAL_WISDOM,)),
    "mku": ((LOCAL_WISDOM, TACIT), (DATA, DIGITAL)),
    "estc": ((COP, SUCCESSION), (DIGITAL,)),
    "nbt-weaving": ((DIGITAL, DATA), (LOCAL_WISDOM, SUCCESSION)),
    "huaisai": ((DATA, COP), (LOCAL_WISDOM,)),
}

# (years from now, organization code, declines, months it cannot host, note)
PREFERENCES: tuple[tuple[int, str, bool, tuple[int, ...], str], ...] = (
    (0, "chf", True, (), "ปีนี้มูลนิธิย้ายสำนักงาน ขอเว้นการเป็นเจ้าภาพหนึ่งปี"),
    (0, "lampang-clay", False, (11, 12), "ปลายปีเป็นช่วงเร่งผลิตสินค้าส่งออก"),
    (0, "estc", False, (3, 4), "มีนาคม–เมษายนเป็นช่วงสอบปลายภาคและฝึกงาน"),
    (1, "andaman-food", True, (), "ปีหน้าอยู่ระหว่างขยายโรงงาน"),
    (1, "mku", False, (5, 6), "พฤษภาคม–มิถุนายนเป็นช่วงเปิดภาคเรียนใหม่"),
)


def _actor() -> User | None:
    """The hub that plans the demo: the demo's administrator, or any other active superuser."""
    admin = User.objects.filter(username=ADMIN_USERNAME, is_active=True).first()
    if admin is not None and is_network_manager(admin):
        return admin
    return User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()


def _published_back(programme: Programme, moment: datetime) -> None:
    """The programme and its visits were published at `moment`, not today (and so was the news of it)."""
    Programme.objects.filter(pk=programme.pk).update(created_at=moment, published_at=moment)
    visits = Event.objects.filter(programme=programme)
    visits.update(created_at=moment, published_at=moment)
    for visit in visits:
        Activity.objects.filter(url=visit.get_absolute_url()).update(created_at=moment)


def _mark(programme: Programme) -> None:
    Programme.objects.filter(pk=programme.pk).update(explanation={**programme.explanation, "demo": True})


@transaction.atomic
def load() -> int:
    """Plan and publish last year's and this year's programmes and draft next year's, unless the demo
    programmes are there already; returns how many demo programmes exist."""
    actor = _actor()
    if actor is None or demo_programmes().exists():
        return demo_programmes().count()
    today = timezone.localdate()
    orgs = {o.code: o for o in Organization.objects.members().filter(code__in=INTERESTS)}
    topics = {
        t.slug: t.pk for t in Topic.objects.filter(slug__in={s for pair in INTERESTS.values() for p in pair for s in p})
    }
    for code, (wants, strengths) in INTERESTS.items():
        if code in orgs:
            do_set_topic_interests(
                actor,
                orgs[code],
                wants=[topics[s] for s in wants if s in topics],
                strengths=[topics[s] for s in strengths if s in topics],
            )
    for ahead, code, declines, months, note in PREFERENCES:
        if code in orgs:
            do_save_host_preference(
                actor, orgs[code], today.year + ahead, declines=declines, unavailable_months=months, note=note
            )
    for year in (today.year - 1, today.year):
        programme = do_generate_programme(actor, year, as_of=date(year, 1, 1))
        programme = do_publish_programme(actor, programme)
        _mark(programme)
        _published_back(programme, datetime.combine(date(year - 1, 12, 15), time(10), tzinfo=BANGKOK))
    _mark(do_generate_programme(actor, today.year + 1))
    demo_life.load(actor, programme_visits(past=True))
    return demo_programmes().count()


def demo_programmes() -> QuerySet[Programme]:
    return Programme.objects.filter(explanation__demo=True)


def programme_visits(*, past: bool = True) -> list[Event]:
    """The demo programmes' published visits (only those that have taken place, by default), in date
    order: other demo content (after-action reviews, captured knowledge) is written for them."""
    visits = Event.objects.filter(
        programme__in=demo_programmes(), kind=EventKind.VISIT, status=EventStatus.PUBLISHED
    ).select_related("host")
    if past:
        visits = visits.filter(ends_at__lt=timezone.now())
    return list(visits.order_by("starts_at", "pk"))


@transaction.atomic
def remove() -> None:
    demo_life.remove()
    programmes = demo_programmes()
    visits = Event.objects.filter(programme__in=programmes)
    for visit in visits:
        Activity.objects.filter(url__startswith=visit.get_absolute_url()).delete()
    visits.delete()
    programmes.delete()
    TopicInterest.objects.filter(organization__code__in=INTERESTS).delete()
    HostPreference.objects.filter(organization__code__in=INTERESTS).delete()
