"""Emails about a person's place at an event, and the richer emails of the reminders.

Which email follows which choice of the person's (platoo.activity's delivery preference):

- A confirmation or a calendar update (registered, on the waitlist, a place opened, the event moved or
  was cancelled, they gave up their place) is transactional: it is about their own booking, and the
  .ics we sent sits in their calendar and must stay true. It goes out whatever their email mode, in
  the language they chose, without an unsubscribe link (it could not stop them: cancelling the
  registration does). The notification telling the same news in the app is marked emailed, so nobody
  hears it twice by email.
- A reminder (the day before; an after-action review missing) is a notification: emailed right away
  only to people who want email right away (with when and where, richer than the generic email), in
  the digest for digest people, in the app only for those with email off; with the unsubscribe
  headers and footer of every notification email.
"""

import logging
from collections.abc import Iterable
from email.mime.text import MIMEText
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import models
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from platoo.accounts.models import User
from platoo.activity.delivery import absolute, preference_of, unsubscribe_token
from platoo.activity.models import DeliveryPreference, EmailMode, Notification, NotificationKind
from platoo.activity.sentences import notification_text
from platoo.lib.text import clean_line

from . import calendars
from .models import Event, EventStatus, Registration

logger = logging.getLogger(__name__)

MAX_SUBJECT = 150


class Reason(models.TextChoices):
    """Why a registrant is emailed: the subject line of each."""

    REGISTERED = "registered", _("You are registered: “%(title)s”")
    WAITLISTED = "waitlisted", _("You are on the waitlist: “%(title)s”")
    PROMOTED = "promoted", _("A place opened for you: “%(title)s”")
    CHANGED = "changed", _("New time or place: “%(title)s”")
    EVENT_CANCELLED = "event_cancelled", _("Cancelled: “%(title)s”")
    LEFT = "left", _("Your registration is cancelled: “%(title)s”")
    LEFT_WAITLIST = "left_waitlist", _("You left the waitlist: “%(title)s”")


# What each email says first, and what its calendar file does.
LEADS: dict[str, Any] = {
    Reason.REGISTERED: _("You have a place at this event."),
    Reason.WAITLISTED: _(
        "The event is full, so you are on its waitlist. If a place opens, it is yours and we will email you."
    ),
    Reason.PROMOTED: _("A place opened and it is yours: you are now registered."),
    Reason.CHANGED: _("The organizers changed the time or the place of an event you registered for."),
    Reason.EVENT_CANCELLED: _("The organizers cancelled this event."),
    Reason.LEFT: _("You gave up your place at this event."),
    Reason.LEFT_WAITLIST: _("You left the waitlist of this event."),
}
REQUEST = frozenset({Reason.REGISTERED, Reason.PROMOTED, Reason.CHANGED})
CANCEL = frozenset({Reason.EVENT_CANCELLED, Reason.LEFT})


def _still_true(registration: Registration, reason: str) -> bool:
    """Whether the news is still true when the email goes out (a later change sends its own)."""
    status, event_status = registration.status, registration.event.status
    if reason in (Reason.LEFT, Reason.LEFT_WAITLIST):
        return status == Registration.Status.CANCELLED
    if reason == Reason.EVENT_CANCELLED:
        return event_status == EventStatus.CANCELLED and status == Registration.Status.REGISTERED
    if reason == Reason.WAITLISTED:
        return event_status == EventStatus.PUBLISHED and status == Registration.Status.WAITLISTED
    return event_status == EventStatus.PUBLISHED and status == Registration.Status.REGISTERED


def _subject(text: str) -> str:
    line = clean_line(text)
    return line if len(line) <= MAX_SUBJECT else line[: MAX_SUBJECT - 1] + "…"


def _message(person: User, subject: str, template: str, context: dict[str, Any], *, notice: bool) -> Any:
    """Text and HTML bodies; a notice (a notification's email) has the one-click unsubscribe headers."""
    headers = {"Auto-Submitted": "auto-generated"}
    context = {
        **context,
        "person": person,
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL.rstrip("/"),
        "settings_url": absolute(reverse("activity:settings")),
    }
    if notice:
        unsubscribe = absolute(reverse("activity:unsubscribe", args=[unsubscribe_token(person)]))
        context["unsubscribe_url"] = unsubscribe
        headers |= {"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    message = EmailMultiAlternatives(
        subject=_subject(subject),
        body=render_to_string(f"events/email/{template}.txt", context),
        to=[person.email],
        headers=headers,
    )
    message.attach_alternative(render_to_string(f"events/email/{template}.html", context), "text/html")
    return message


def _event_context(event: Event) -> dict[str, Any]:
    return {"event": event, "event_url": absolute(event.get_absolute_url())}


def registration_email(registration: Registration, reason: str, language: str) -> EmailMultiAlternatives:
    """The email for one registrant, with the event as an .ics invitation (or its cancellation)."""
    event, person = registration.event, registration.user
    with translation.override(language):
        subject = str(Reason(reason).label) % {"title": event.title}
        method = "REQUEST" if reason in REQUEST else "CANCEL" if reason in CANCEL else ""
        context = {**_event_context(event), "lead": LEADS[reason], "reason": reason, "method": method}
        message = _message(person, subject, "registration", context, notice=False)
        if method:
            ics = calendars.invitation(event, person, cancel=method == "CANCEL")
            part = MIMEText(ics.decode(), "calendar", "utf-8")
            part.set_param("method", method)
            part.add_header("Content-Disposition", "attachment", filename=f"event-{event.pk}.ics")
            message.attach(part)
    return message


def send_registration_emails(registration_ids: Iterable[int], reason: str) -> int:
    """Email these registrants about `reason`, if it still holds. Returns how many were sent."""
    rows = list(Registration.objects.filter(pk__in=list(registration_ids)).select_related("event", "user"))
    preferences = DeliveryPreference.objects.in_bulk([r.user_id for r in rows])
    connection = get_connection()
    sent = 0
    for registration in rows:
        person = registration.user
        if not person.is_active or not person.email or not _still_true(registration, reason):
            continue
        try:
            connection.send_messages(
                [registration_email(registration, reason, preference_of(person, preferences).language)]
            )
        except Exception:  # noqa: BLE001 - one bad address or a mail server hiccup must not stop the rest
            logger.exception("Could not email registration %s (%s)", registration.pk, reason)
            continue
        sent += 1
    return sent


def claim_emails(notifications: Iterable[Notification], *, only_immediate: bool) -> list[int]:
    """Take over the emailing of notifications just made (in the caller's transaction): the activity
    task and the digests then pass them by. Returns the ids taken."""
    rows = list(notifications)
    if only_immediate:
        preferences = DeliveryPreference.objects.in_bulk([n.recipient_id for n in rows])
        rows = [n for n in rows if preference_of(n.recipient, preferences).email_mode == EmailMode.IMMEDIATE]
    ids = [n.pk for n in rows]
    if ids:
        Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).update(emailed_at=timezone.now())
    return ids


def reminder_email(notification: Notification, event: Event, language: str) -> EmailMultiAlternatives:
    with translation.override(language):
        context = {**_event_context(event), "review": notification.kind == NotificationKind.AAR_REMINDER}
        return _message(notification.recipient, notification_text(notification), "reminder", context, notice=True)


def send_reminder_emails(event_id: int, notification_ids: Iterable[int]) -> int:
    """Email the reminders claimed by claim_emails; one that fails is handed back (a digest may take it)."""
    event = Event.objects.filter(pk=event_id).first()
    rows = list(
        Notification.objects.filter(pk__in=list(notification_ids), emailed_at__isnull=False).select_related(
            "recipient", "actor"
        )
    )
    if event is None or not rows:
        return 0
    preferences = DeliveryPreference.objects.in_bulk([n.recipient_id for n in rows])
    connection = get_connection()
    sent = 0
    for notification in rows:
        person = notification.recipient
        if not person.is_active or not person.email:
            continue
        try:
            connection.send_messages([reminder_email(notification, event, preference_of(person, preferences).language)])
        except Exception:  # noqa: BLE001 - the others still get theirs
            logger.exception("Could not email reminder %s", notification.pk)
            Notification.objects.filter(pk=notification.pk, emailed_at=notification.emailed_at).update(emailed_at=None)
            continue
        sent += 1
    return sent
