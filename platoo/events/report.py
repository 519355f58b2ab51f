"""An event's report: who came (by organization and by sector), the knowledge captured, the consolidated
AAR and the themes of the participants' own reviews, what registrants wanted to learn, and the
follow-up actions. The same data makes the page and the PDF.

It is read in a fixed number of queries however many registrants: attendance is one aggregate
grouped by organization (the sectors are summed from it), the review and before-action texts are
one query each, and their themes are cached under a digest of those texts, so they are computed
again only when someone writes or edits a review.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from platoo.accounts.models import User
from platoo.knowledge.models import KnowledgeItem
from platoo.lib.themes import Theme, themes
from platoo.network.models import Sector

from .actions import can_manage
from .models import Event, EventItem, FollowUp, ParticipantReview, Registration, Session

COUNTS = ("registered", "waitlisted", "attended", "walk_ins")
THEMES_CACHE_SECONDS = 24 * 3600
THEMES_PER_QUESTION = 8
REVIEW_QUESTIONS = (
    ("expected", gettext_lazy("What did you expect to happen?")),
    ("happened", gettext_lazy("What actually happened?")),
    ("difference", gettext_lazy("Why was there a difference?")),
    ("next_time", gettext_lazy("What will you do next time?")),
)
BAR_QUESTIONS = (
    ("bar_learn", gettext_lazy("What do you want to learn?")),
    ("bar_from_whom", gettext_lazy("From whom?")),
)
AAR_FIELDS = (
    ("aar_expected", gettext_lazy("What did we expect to happen?")),
    ("aar_happened", gettext_lazy("What actually happened?")),
    ("aar_difference", gettext_lazy("Why was there a difference?")),
    ("aar_next_time", gettext_lazy("What will we do next time?")),
)


@dataclass
class Attendance:
    """One row of the attendance tables: an organization, a sector, or everyone."""

    name: str
    sector: str = ""  # the sector's label, on organization rows
    registered: int = 0  # had a place before the day (checked in or not)
    waitlisted: int = 0  # still waiting for a place
    attended: int = 0  # checked in at the door, walk-ins included
    walk_ins: int = 0  # checked in without a place beforehand
    organizations: int = 0  # on sector and total rows

    @property
    def absent(self) -> int:
        """Had a place and did not come (or has not come yet)."""
        return self.registered - (self.attended - self.walk_ins)

    def add(self, other: "Attendance", *, organization: bool = True) -> None:
        for key in COUNTS:
            setattr(self, key, getattr(self, key) + getattr(other, key))
        self.organizations += organization


@dataclass(frozen=True)
class Question:
    label: str
    answers: int
    themes: list[Theme]


@dataclass(frozen=True)
class FollowUpRow:
    follow_up: FollowUp
    overdue: bool
    can_mark: bool  # the reader may mark it done (its owner, or an organizer)


@dataclass
class Report:
    event: Event
    totals: Attendance
    by_organization: list[Attendance]
    by_sector: list[Attendance]
    show_emails: bool
    can_manage: bool
    captured: list[EventItem]
    aar: list[tuple[str, str]]  # (question, answer) of the consolidated review
    reviews: int
    review_themes: list[Question]
    bar_themes: list[Question]
    follow_ups: list[FollowUpRow] = field(default_factory=list)
    today: date = field(default_factory=timezone.localdate)


def can_read_report(event: Event, user: User, managing: bool | None = None) -> bool:
    """Its organizers and the hub; the people who took part (checked in, or spoke in a session) and the
    owners of its follow-ups read it too, without the participants' emails. Everyone else sees the
    event, not its report.
    `managing`: can_manage(event, user), when the caller knows it already."""
    if can_manage(event, user) if managing is None else managing:
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    # One query: took part (checked in), spoke in a session, or owns a follow-up (to see and mark it).
    took_part = Registration.objects.filter(event=OuterRef("pk"), user=user, checked_in_at__isnull=False)
    spoke = Session.objects.filter(event=OuterRef("pk"), speakers=user)
    owns = FollowUp.objects.filter(event=OuterRef("pk"), owner=user)
    return Event.objects.filter(Q(Exists(took_part)) | Q(Exists(spoke)) | Q(Exists(owns)), pk=event.pk).exists()


def build_report(event: Event, user: User, managing: bool | None = None) -> Report:
    """Everything the report shows, for a reader for whom can_read_report() holds."""
    managing = can_manage(event, user) if managing is None else managing
    totals, by_organization, by_sector = _attendance(event)
    captured = list(
        EventItem.objects.filter(event=event, item__in=KnowledgeItem.objects.visible_to(user))
        .select_related("item")
        .order_by("captured_at", "pk")
    )
    reviews = list(ParticipantReview.objects.filter(event=event).values_list(*(name for name, _l in REVIEW_QUESTIONS)))
    bar = list(
        Registration.objects.filter(event=event)
        .exclude(status=Registration.Status.CANCELLED)
        .exclude(bar_learn="", bar_from_whom="")
        .values_list(*(name for name, _l in BAR_QUESTIONS))
    )
    follow_ups = list(FollowUp.objects.filter(event=event).select_related("owner"))
    today = timezone.localdate()
    return Report(
        event=event,
        totals=totals,
        by_organization=by_organization,
        by_sector=by_sector,
        show_emails=managing,
        can_manage=managing,
        captured=captured,
        aar=[(str(label), getattr(event, name)) for name, label in AAR_FIELDS if getattr(event, name)],
        reviews=len(reviews),
        review_themes=_questions(event, "reviews", REVIEW_QUESTIONS, reviews),
        bar_themes=_questions(event, "bar", BAR_QUESTIONS, bar),
        follow_ups=[
            FollowUpRow(
                f,
                overdue=f.done_at is None and f.due_on is not None and f.due_on < today,
                can_mark=managing or (user.is_authenticated and f.owner_id == user.pk),
            )
            for f in follow_ups
        ],
        today=today,
    )


def attendees(event: Event) -> Any:
    """Who checked in, by organization then name (unsliced, to page)."""
    return (
        Registration.objects.filter(event=event, checked_in_at__isnull=False)
        .select_related("user", "organization")
        .only(
            "walk_in",
            "checked_in_at",
            "user__username",
            "user__name_th",
            "user__name_en",
            "user__first_name",
            "user__last_name",
            "user__email",
            "organization__name_th",
            "organization__name_en",
        )
        .order_by("organization__name_th", "user__name_th", "user__username", "pk")
    )


def _attendance(event: Event) -> tuple[Attendance, list[Attendance], list[Attendance]]:
    """Registrations counted per organization (as they were when people registered), in one query."""
    registered = Q(status=Registration.Status.REGISTERED, walk_in=False)
    rows = (
        Registration.objects.filter(event=event)
        .exclude(status=Registration.Status.CANCELLED)
        .values("organization_id", "organization__name_th", "organization__name_en", "organization__sector")
        .annotate(
            registered=Count("pk", filter=registered),
            waitlisted=Count("pk", filter=Q(status=Registration.Status.WAITLISTED)),
            attended=Count("pk", filter=Q(checked_in_at__isnull=False)),
            walk_ins=Count("pk", filter=Q(checked_in_at__isnull=False, walk_in=True)),
        )
        .order_by()
    )
    english = not (get_language() or "th").startswith("th")
    sectors = dict(Sector.choices)
    totals = Attendance(_("Everyone"))
    organizations: list[Attendance] = []
    by_sector: dict[str, Attendance] = {}
    nobody = None
    for row in rows:
        counts = {
            "registered": row["registered"],
            "waitlisted": row["waitlisted"],
            "attended": row["attended"],
            "walk_ins": row["walk_ins"],
        }
        if row["organization_id"] is None:
            nobody = Attendance(_("No organization"), **counts)
            continue
        name = (
            row["organization__name_en"] if english and row["organization__name_en"] else row["organization__name_th"]
        )
        sector = str(sectors.get(row["organization__sector"], row["organization__sector"]))
        line = Attendance(name, sector=sector, **counts)
        organizations.append(line)
        by_sector.setdefault(row["organization__sector"], Attendance(sector)).add(line)
        totals.add(line)
    organizations.sort(key=lambda a: (-a.attended, -a.registered, a.name))
    sector_rows = sorted(by_sector.values(), key=lambda a: (-a.attended, -a.registered, a.name))
    if nobody is not None:
        totals.add(nobody, organization=False)
        organizations.append(nobody)
        sector_rows.append(Attendance(nobody.name, **{key: getattr(nobody, key) for key in COUNTS}))
    return totals, organizations, sector_rows


def _questions(
    event: Event, kind: str, questions: Sequence[tuple[str, object]], rows: list[tuple[str, ...]]
) -> list[Question]:
    """Each question's answers and themes; the themes are cached until an answer changes."""
    digest = hashlib.sha256("\x1e".join("\x1f".join(row) for row in rows).encode()).hexdigest()
    key = f"events:report-themes:{event.pk}:{kind}:{digest}"
    computed: list[list[Theme]] | None = cache.get(key)
    if computed is None:
        computed = [themes([row[i] for row in rows], limit=THEMES_PER_QUESTION) for i in range(len(questions))]
        cache.set(key, computed, THEMES_CACHE_SECONDS)
    return [
        Question(str(label), sum(1 for row in rows if row[i].strip()), computed[i])
        for i, (_name, label) in enumerate(questions)
    ]
