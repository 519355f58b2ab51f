"""Share-and-show (and the fair's exhibits): members put forward an innovation or a best practice before
the day, linked to a knowledge item of their own or their organization's; the organizers accept it
into a slot (a session of the event) or decline it; attendees vote 1–5 and say what they valued.

Who votes: the people checked in at the event, from its start until VOTING_DAYS after its end; and,
while the event is running, the people registered for it too, since check-in at a door (or online)
lags behind the show. Someone registered who never came is not asked afterwards: the scores are
what the people in the room valued. One vote a person per submission, which they may change;
nobody votes for their own.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from platoo.accounts.models import User
from platoo.activity import actions as activity
from platoo.activity.models import NotificationKind
from platoo.knowledge.models import KnowledgeItem
from platoo.lib.text import clean_line, clean_text

from .actions import can_manage, locked
from .models import Event, EventKind, EventStatus, Registration, Session, Submission, Vote

SHOWCASE_KINDS = (EventKind.SHARE_SHOW, EventKind.FAIR)
VOTING_DAYS = 7
MAX_SUMMARY = 4000
MAX_COMMENT = 2000
ACCEPTED = Submission.Status.ACCEPTED
OPEN_STATUSES = (Submission.Status.SUBMITTED, Submission.Status.ACCEPTED)


def takes_submissions(event: Event) -> bool:
    return event.kind in SHOWCASE_KINDS


def submissions_open(event: Event, now: Any = None) -> bool:
    """Before the day: a published share-and-show event that has not started."""
    return takes_submissions(event) and event.status == EventStatus.PUBLISHED and not event.has_started(now)


def submittable_items(user: User) -> Any:
    """What `user` may put forward: items they read that are their own or their organization's."""
    if not user.is_authenticated or not user.is_active:
        return KnowledgeItem.objects.none()
    own = Q(pk__in=KnowledgeItem.authors.through.objects.filter(user_id=user.pk).values("knowledgeitem_id"))
    own |= Q(created_by=user)
    if user.organization_id:
        own |= Q(organization_id=user.organization_id)
    return KnowledgeItem.objects.visible_to(user).filter(own)


def voting_open(event: Event, now: Any = None) -> bool:
    now = now or timezone.now()
    return (
        takes_submissions(event)
        and event.status == EventStatus.PUBLISHED
        and event.starts_at <= now <= event.ends_at + timedelta(days=VOTING_DAYS)
    )


def can_vote(event: Event, user: User, now: Any = None) -> bool:
    """Checked in, from the start until VOTING_DAYS after the end; registered, while the event runs."""
    now = now or timezone.now()
    if not user.is_authenticated or not user.is_active or not voting_open(event, now):
        return False
    mine = Registration.objects.filter(event=event, user=user)
    if now <= event.ends_at:
        return mine.filter(Q(checked_in_at__isnull=False) | Q(status=Registration.Status.REGISTERED)).exists()
    return mine.filter(checked_in_at__isnull=False).exists()


@transaction.atomic
def do_submit(user: User, event: Event, item: KnowledgeItem, title: str = "", summary: str = "") -> Submission:
    """Put an item forward for the day. The same item once per event: withdrawn, it may come back."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied(_("Sign in to put something forward."))
    if not Event.objects.visible_to(user).filter(pk=event.pk).exists():
        raise PermissionDenied(_("You cannot see this event."))
    event = locked(event)
    if not takes_submissions(event):
        raise ValidationError(_("Only share-and-show days and the annual fair take submissions."))
    if not submissions_open(event):
        raise ValidationError(_("Submissions close when the event starts."))
    if not submittable_items(user).filter(pk=item.pk).exists():
        raise ValidationError(
            {"item": _("Choose a knowledge item you can read that is your own or your organization's.")}
        )
    title = clean_line(title)[:250] or item.title[:250]
    summary = clean_text(summary).strip()
    if len(summary) > MAX_SUMMARY:
        raise ValidationError(
            {"summary": _("Say what you will show in at most %(max)d characters.") % {"max": MAX_SUMMARY}}
        )
    existing = Submission.objects.select_for_update().filter(event=event, item=item).first()
    if existing is not None and existing.status != Submission.Status.WITHDRAWN:
        raise ValidationError(
            {"item": _("“%(title)s” has already been put forward for this event.") % {"title": item.title}}
        )
    now = timezone.now()
    values = {
        "submitter": user,
        "organization_id": user.organization_id,
        "title": title,
        "summary": summary,
        "status": Submission.Status.SUBMITTED,
        "session": None,
        "decided_by": None,
        "decided_at": None,
        "created_at": now,
    }
    if existing is not None:
        for name, value in values.items():
            setattr(existing, name, value)
        existing.save()
        return existing
    try:
        with transaction.atomic():
            return Submission.objects.create(event=event, item=item, **values)
    except IntegrityError as error:  # the same item put forward at the same moment by someone else
        raise ValidationError(
            {"item": _("“%(title)s” has already been put forward for this event.") % {"title": item.title}}
        ) from error


@transaction.atomic
def do_withdraw(user: User, submission: Submission) -> Submission:
    """The submitter takes their submission back, until the event starts."""
    submission = Submission.objects.select_for_update().select_related("event").get(pk=submission.pk)
    if submission.submitter_id != user.pk:
        raise PermissionDenied(_("Only the person who put it forward can withdraw it."))
    if submission.status == Submission.Status.WITHDRAWN:
        return submission
    if submission.event.has_started():
        raise ValidationError(_("The event has started; ask the organizers to change the programme."))
    submission.status, submission.session = Submission.Status.WITHDRAWN, None
    submission.save(update_fields=["status", "session"])
    return submission


@transaction.atomic
def do_decide(actor: User, submission: Submission, accept: bool, session: Session | None = None) -> Submission:
    """Accept a submission into a slot (a session of its event), or decline it; the submitter is told.
    Deciding again (another slot, or the other way) is allowed until the submitter withdraws."""
    submission = Submission.objects.select_for_update().select_related("event").get(pk=submission.pk)
    event = submission.event
    if not can_manage(event, actor):
        raise PermissionDenied(_("Only the event's organizers and the network's managers can decide."))
    if submission.status == Submission.Status.WITHDRAWN:
        raise ValidationError(_("It was withdrawn; there is nothing to decide."))
    if accept:
        if session is None or session.event_id != event.pk:
            raise ValidationError({"session": _("Choose the slot (a session of this event) to show it in.")})
        status = Submission.Status.ACCEPTED
    else:
        session, status = None, Submission.Status.DECLINED
    if (submission.status, submission.session_id) == (status, session.pk if session else None):
        return submission
    submission.status, submission.session = status, session
    submission.decided_by, submission.decided_at = actor, timezone.now()
    submission.save(update_fields=["status", "session", "decided_by", "decided_at"])
    if submission.submitter is not None:
        activity.notify(
            [submission.submitter],
            NotificationKind.SUBMISSION_DECIDED,
            actor=actor,
            title=submission.title,
            url=reverse("events:showcase", args=[event.pk]),
        )
    return submission


@transaction.atomic
def do_vote(user: User, submission: Submission, score: Any, comment: str = "") -> Vote:
    """A vote (1–5) and what the voter valued. Voting again changes the vote."""
    submission = Submission.objects.select_related("event").get(pk=submission.pk)
    if submission.status != ACCEPTED:
        raise ValidationError(_("Only what was accepted into the programme can be voted on."))
    if not can_vote(submission.event, user):
        raise PermissionDenied(
            _(
                "Votes are for the people at the event: checked in, or registered while it runs; until %(days)d days after it."
            )
            % {"days": VOTING_DAYS}
        )
    if submission.submitter_id == user.pk:
        raise ValidationError(_("You cannot vote for what you put forward yourself."))
    try:
        value = 0 if isinstance(score, bool) else int(str(score).strip())
    except ValueError:
        value = 0
    if not 1 <= value <= 5:
        raise ValidationError({"score": _("Give a score from 1 to 5.")})
    text = clean_text(comment).strip()
    if len(text) > MAX_COMMENT:
        raise ValidationError({"comment": _("Feedback is at most %(max)d characters.") % {"max": MAX_COMMENT}})
    vote, _created = Vote.objects.update_or_create(
        submission=submission, user=user, defaults={"score": value, "comment": text}
    )
    return vote


# Reading ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """An accepted submission with its scores, for the results and the fair."""

    submission: Submission
    votes: int
    average: float | None
    can_read_item: bool
    feedback: list[Vote]  # empty unless the reader may read it; shown without the voters' names


def can_read_feedback(submission: Submission, user: User, managing: bool) -> bool:
    """Organizers and the submitter read the feedback text; everyone else sees the scores."""
    return managing or (user.is_authenticated and submission.submitter_id == user.pk)


def results(event: Event, user: User, managing: bool) -> list[Shown]:
    """What was shown, slot by slot, with its votes: three queries however many votes.
    `managing`: can_manage(event, user)."""
    shown = list(
        Submission.objects.filter(event=event, status=ACCEPTED)
        .select_related("session", "organization", "submitter", "item")
        .annotate(vote_count=Count("votes"), average=Avg("votes__score"))
        .order_by("session__position", "session__starts_at", "session_id", "created_at", "pk")
    )
    readable = set(
        KnowledgeItem.objects.visible_to(user).filter(pk__in=[s.item_id for s in shown]).values_list("pk", flat=True)
    )
    readers = [s.pk for s in shown if can_read_feedback(s, user, managing)]
    feedback: dict[int, list[Vote]] = {}
    if readers:
        for vote in Vote.objects.filter(submission_id__in=readers).exclude(comment="").order_by("-score", "created_at"):
            feedback.setdefault(vote.submission_id, []).append(vote)
    return [
        Shown(
            s,
            s.vote_count,
            round(s.average, 2) if s.average is not None else None,
            s.item_id in readable,
            feedback.get(s.pk, []),
        )
        for s in shown
    ]


@dataclass(frozen=True)
class Slot:
    """One accepted submission on the programme, with the reader's own vote."""

    submission: Submission
    my_vote: Vote | None
    mine: bool  # the reader put it forward (and so does not vote on it)


@dataclass(frozen=True)
class Panel:
    """What the event's page shows of its share-and-show: submit, the programme, vote."""

    event: Event
    submissions_open: bool
    can_submit: bool
    can_vote: bool
    voting_days: int
    programme: list[Slot]
    my_submissions: list[Submission]


def panel(event: Event, user: User) -> Panel | None:
    """The panel for a share-and-show event or the fair (None for other kinds), in four queries."""
    if not takes_submissions(event):
        return None
    signed_in = user.is_authenticated and user.is_active
    accepted = list(
        Submission.objects.filter(event=event, status=ACCEPTED)
        .select_related("session", "organization")
        .order_by("session__position", "session__starts_at", "session_id", "created_at", "pk")
    )
    mine = list(Submission.objects.filter(event=event, submitter=user).order_by("-created_at")) if signed_in else []
    voting = can_vote(event, user)
    votes = {v.submission_id: v for v in Vote.objects.filter(submission__event=event, user=user)} if voting else {}
    programme = [Slot(s, votes.get(s.pk), signed_in and s.submitter_id == user.pk) for s in accepted]
    open_now = submissions_open(event)
    return Panel(event, open_now, open_now and signed_in, voting, VOTING_DAYS, programme, mine)
