"""Reminders, run every hour (`manage.py send_event_reminders` from cron, or the task of that name).

- The day before an event, each person with a place there is reminded (in the app, and by email as
  they chose; see emails.py): once, as `Registration.reminded_at` records. Who registered within that
  last day is not: their confirmation has just reached them.
- The day after it ends, each person checked in who has written no after-action review is asked for
  one, once (`review_reminded_at`), for up to a week after the event (so old events are left alone).

Cancelled events and cancelled registrations get none. Every registration is claimed by a conditional
UPDATE (its time from NULL to now, with the conditions checked again) before anyone is told, in the
same transaction as the notification, so two runs at once never remind anyone twice.
"""

from datetime import datetime, timedelta
from functools import partial
from itertools import groupby

from django.db import transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone

from platoo.activity import actions as activity
from platoo.activity.models import NotificationKind

from . import emails
from .models import EventStatus, ParticipantReview, Registration

DAY = timedelta(days=1)
REVIEW_WINDOW = timedelta(days=7)
REGISTERED = Registration.Status.REGISTERED


def due_event_reminders(now: datetime) -> QuerySet[Registration]:
    return Registration.objects.filter(
        status=REGISTERED,
        reminded_at__isnull=True,
        event__status=EventStatus.PUBLISHED,
        event__starts_at__gt=now,
        event__starts_at__lte=now + DAY,
        registered_at__lte=F("event__starts_at") - DAY,
        user__is_active=True,
    )


def due_review_reminders(now: datetime) -> QuerySet[Registration]:
    reviewed = ParticipantReview.objects.filter(event_id=OuterRef("event_id"), user_id=OuterRef("user_id"))
    return Registration.objects.filter(
        ~Exists(reviewed),
        status=REGISTERED,
        checked_in_at__isnull=False,
        review_reminded_at__isnull=True,
        event__status=EventStatus.PUBLISHED,
        event__ends_at__lte=now - DAY,
        event__ends_at__gt=now - DAY - REVIEW_WINDOW,
        user__is_active=True,
    )


def _remind(due: QuerySet[Registration], field: str, kind: str, now: datetime) -> int:
    """Claim, tell and email the due registrations, one event at a time. Returns how many were reminded."""
    reminded = 0
    rows = due.select_related("event", "user").order_by("event_id", "pk")
    for event, group in groupby(rows, key=lambda r: r.event):
        with transaction.atomic():
            # The claim asks again what `due` asked (the event may have been cancelled since).
            claimed = [r for r in group if due.filter(pk=r.pk, **{f"{field}__isnull": True}).update(**{field: now})]
            if not claimed:
                continue
            told = activity.notify(
                [r.user for r in claimed], kind, actor=None, title=event.title, url=event.get_absolute_url()
            )
            taken = emails.claim_emails(told, only_immediate=True)
            if taken:
                transaction.on_commit(partial(emails.send_reminder_emails, event.pk, taken))
        reminded += len(claimed)
    return reminded


def send_due_reminders(now: datetime | None = None) -> dict[str, int]:
    """Send every reminder due at `now`. Returns how many of each kind went out."""
    now = now or timezone.now()
    return {
        "events": _remind(due_event_reminders(now), "reminded_at", NotificationKind.EVENT_REMINDER, now),
        "reviews": _remind(due_review_reminders(now), "review_reminded_at", NotificationKind.AAR_REMINDER, now),
    }
