"""What the annual fair gathers: the year's best stories, its sessions by topic, its exhibitors by
organization, and who is coming. Read in a fixed number of queries, however many registrants.

The year is the YEAR_DAYS before the fair starts. A story's score, out of 100, adds three parts the
fair page explains beside each story:

* reading (up to 40): its views as a share of the year's most-read story;
* shown (up to 40): its best average score at the year's share-and-show days, (average - 1) / 4 of
  40, scaled down while it has fewer than FULL_VOTES votes (two votes of 5 are not yet a verdict);
* captured (20): it was captured at one of the year's events.

Stories of the year are those written in it, or shown or captured at its events; each reader sees
only the stories and the events they may read.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Avg, Count, Prefetch, Q
from django.utils.translation import gettext as _

from platoo.accounts.models import User
from platoo.knowledge.models import Kind, KnowledgeItem, Topic

from .models import Event, EventItem, Registration, Session, Submission

YEAR_DAYS = 365
BEST_STORIES = 12
MOST_READ_POOL = 100  # stories of the year by views, considered besides those shown or captured
READING_POINTS, SHOWN_POINTS, CAPTURED_POINTS = 40, 40, 20
FULL_VOTES = 3


@dataclass(frozen=True)
class Story:
    item: KnowledgeItem
    reading: float
    shown: float
    captured: float
    average: float | None  # best average score at a share-and-show day
    votes: int

    @property
    def score(self) -> float:
        return round(self.reading + self.shown + self.captured, 1)


@dataclass
class Exhibitor:
    name: str
    exhibits: list[Submission] = field(default_factory=list)
    speakers: list[User] = field(default_factory=list)


@dataclass(frozen=True)
class Gathering:
    since: datetime
    stories: list[Story]
    topics: list[tuple[Topic | None, list[Session]]]
    exhibitors: list[Exhibitor]
    readable: set[int]  # the exhibits' items the reader may open
    registered: int
    attended: int
    organizations: int


def gather(fair: Event, user: User) -> Gathering:
    since = fair.starts_at - timedelta(days=YEAR_DAYS)
    topics, speakers = _sessions(fair)
    counts = (
        Registration.objects.filter(event=fair)
        .exclude(status=Registration.Status.CANCELLED)
        .aggregate(
            registered=Count("pk", filter=Q(status=Registration.Status.REGISTERED)),
            attended=Count("pk", filter=Q(checked_in_at__isnull=False)),
            organizations=Count("organization", distinct=True),
        )
    )
    exhibitors = _exhibitors(fair, speakers)
    items = [submission.item_id for exhibitor in exhibitors for submission in exhibitor.exhibits]
    return Gathering(
        since=since,
        stories=best_stories(fair, user, since),
        topics=topics,
        exhibitors=exhibitors,
        readable=set(KnowledgeItem.objects.visible_to(user).filter(pk__in=items).values_list("pk", flat=True)),
        registered=counts["registered"],
        attended=counts["attended"],
        organizations=counts["organizations"],
    )


def best_stories(fair: Event, user: User, since: datetime) -> list[Story]:
    year_events = (
        Event.objects.published_to(user).filter(starts_at__gte=since, starts_at__lt=fair.starts_at).exclude(pk=fair.pk)
    )
    best_shown: dict[int, tuple[float, int]] = {}
    for row in (
        Submission.objects.filter(event__in=year_events, status=Submission.Status.ACCEPTED, item__kind=Kind.STORY)
        .values("pk", "item_id")
        .annotate(average=Avg("votes__score"), vote_count=Count("votes"))
    ):
        if row["vote_count"]:
            found = (float(row["average"]), row["vote_count"])
            best_shown[row["item_id"]] = max(best_shown.get(row["item_id"], found), found, key=_shown_points)
    captured = set(
        EventItem.objects.filter(event__in=year_events, item__kind=Kind.STORY).values_list("item_id", flat=True)
    )
    stories = KnowledgeItem.objects.visible_to(user).filter(kind=Kind.STORY)
    most_read = list(
        stories.filter(created_at__gte=since, created_at__lt=fair.starts_at)
        .order_by("-view_count", "-created_at")
        .values_list("pk", flat=True)[:MOST_READ_POOL]
    )
    candidates = list(
        stories.filter(pk__in={*most_read, *best_shown, *captured})
        .select_related("organization")
        .order_by("-view_count")
    )
    top_views = max((item.view_count for item in candidates), default=0)
    scored = [
        Story(
            item,
            reading=round(READING_POINTS * item.view_count / top_views, 1) if top_views else 0.0,
            shown=round(_shown_points(best_shown[item.pk]), 1) if item.pk in best_shown else 0.0,
            captured=CAPTURED_POINTS if item.pk in captured else 0,
            average=round(best_shown[item.pk][0], 2) if item.pk in best_shown else None,
            votes=best_shown[item.pk][1] if item.pk in best_shown else 0,
        )
        for item in candidates
    ]
    scored.sort(key=lambda story: (-story.score, -story.item.view_count, -story.item.created_at.timestamp()))
    return scored[:BEST_STORIES]


def _shown_points(found: tuple[float, int]) -> float:
    average, votes = found
    return SHOWN_POINTS * (average - 1) / 4 * min(1.0, votes / FULL_VOTES)


def _sessions(fair: Event) -> tuple[list[tuple[Topic | None, list[Session]]], list[User]]:
    """The fair's sessions grouped by topic (topics in the taxonomy's order, untopical ones last)."""
    sessions = list(
        Session.objects.filter(event=fair)
        .select_related("topic")
        .prefetch_related(Prefetch("speakers", queryset=User.objects.select_related("organization")))
    )
    grouped: dict[int | None, list[Session]] = defaultdict(list)
    for session in sessions:
        grouped[session.topic_id].append(session)
    topics: list[tuple[Topic | None, list[Session]]] = sorted(
        ((group[0].topic, group) for key, group in grouped.items() if key is not None),
        key=lambda pair: (pair[0].position, pair[0].name_th) if pair[0] else (0, ""),
    )
    if None in grouped:
        topics.append((None, grouped[None]))
    speakers = list({person.pk: person for session in sessions for person in session.speakers.all()}.values())
    return topics, speakers


def _exhibitors(fair: Event, speakers: list[User]) -> list[Exhibitor]:
    """Organizations with what they exhibit (accepted submissions) and who speaks for them."""
    by_name: dict[str, Exhibitor] = {}
    nobody = _("No organization")
    for submission in (
        Submission.objects.filter(event=fair, status=Submission.Status.ACCEPTED)
        .select_related("organization", "session")
        .order_by("created_at", "pk")
    ):
        name = submission.organization.display_name if submission.organization else nobody
        by_name.setdefault(name, Exhibitor(name)).exhibits.append(submission)
    for person in speakers:
        name = person.organization.display_name if person.organization else nobody
        by_name.setdefault(name, Exhibitor(name)).speakers.append(person)
    return sorted(by_name.values(), key=lambda e: (e.name == nobody, e.name))
