"""Emailing notifications: one at a time for people who want them right away, or as a digest.

Every row is claimed with a conditional UPDATE before its email goes out (`emailed_at` from NULL to
now, and for a digest the person's `last_digest_at` from the value read), so a task that runs twice
or two digest runs at once send nothing twice. A failed send hands its claim back.
"""

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from platoo.accounts.models import User
from platoo.lib.text import clean_line

from .models import DIGEST_MODES, DeliveryPreference, EmailMode, Notification
from .sentences import NOTIFICATION_GROUPS, group_heading, notification_html, notification_text

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "platoo.activity.unsubscribe"
MAX_SUBJECT = 150
MAX_DIGEST_LINES = 50  # a digest lists this many and links to the rest


def unsubscribe_token(user: User) -> str:
    """A signed token naming the person; it never expires, so every email's link keeps working."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(user.pk))


def person_from_token(token: str) -> User | None:
    """The active person a token names, or None when it was tampered with or names nobody."""
    try:
        raw = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=int(raw), is_active=True).first() if raw.isdigit() else None


def absolute(url: str) -> str:
    if url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL.rstrip("/") + url


def preference_of(user: User, preferences: dict[int, DeliveryPreference]) -> DeliveryPreference:
    """The stored preference, or the defaults (not saved) for someone who never chose."""
    return preferences.get(user.pk) or DeliveryPreference(user=user)


def _subject(text: str) -> str:
    line = clean_line(text)
    return line if len(line) <= MAX_SUBJECT else line[: MAX_SUBJECT - 1] + "…"


def _message(user: User, subject: str, template: str, context: dict[str, Any]) -> EmailMultiAlternatives:
    """Text and HTML bodies, with the RFC 8058 one-click unsubscribe headers."""
    unsubscribe = absolute(reverse("activity:unsubscribe", args=[unsubscribe_token(user)]))
    context = {
        **context,
        "person": user,
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL.rstrip("/"),
        "settings_url": absolute(reverse("activity:settings")),
        "notifications_url": absolute(reverse("activity:notifications")),
        "unsubscribe_url": unsubscribe,
    }
    message = EmailMultiAlternatives(
        subject=_subject(subject),
        body=render_to_string(f"activity/email/{template}.txt", context),
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(render_to_string(f"activity/email/{template}.html", context), "text/html")
    return message


def _line(notification: Notification) -> dict[str, Any]:
    link = absolute(reverse("activity:open", args=[notification.pk]))
    return {
        "notification": notification,
        "link": link,
        "text": notification_text(notification),
        "html": notification_html(notification, link),
    }


def notification_email(notification: Notification, language: str) -> EmailMultiAlternatives:
    with translation.override(language):
        line = _line(notification)
        return _message(notification.recipient, line["text"], "notification", {"line": line})


def digest_email(user: User, notifications: list[Notification], mode: str, language: str) -> EmailMultiAlternatives:
    """One email for everything, grouped by kind in a fixed order, newest first within a group."""
    with translation.override(language):
        order = list(NOTIFICATION_GROUPS)
        shown = sorted(
            notifications[:MAX_DIGEST_LINES],
            key=lambda n: (order.index(n.kind) if n.kind in order else len(order), -n.created_at.timestamp()),
        )
        groups: list[dict[str, Any]] = []
        for n in shown:
            if not groups or groups[-1]["kind"] != n.kind:
                groups.append({"kind": n.kind, "heading": group_heading(n.kind), "lines": []})
            groups[-1]["lines"].append(_line(n))
        count = len(notifications)
        if mode == EmailMode.WEEKLY:
            subject = ngettext(
                "Your week on %(site)s: %(count)d new notification",
                "Your week on %(site)s: %(count)d new notifications",
                count,
            )
        else:
            subject = ngettext(
                "Your day on %(site)s: %(count)d new notification",
                "Your day on %(site)s: %(count)d new notifications",
                count,
            )
        subject %= {"site": settings.SITE_NAME, "count": count}
        if len(groups) == 1 and count == 1:
            subject = groups[0]["lines"][0]["text"]  # one thing happened: say what
        context = {"groups": groups, "count": count, "more": count - len(shown), "weekly": mode == EmailMode.WEEKLY}
        return _message(user, subject, "digest", context)


def send_immediate(notification_ids: Iterable[int]) -> int:
    """Email each of these notifications whose recipient wants them right away. Returns how many were sent."""
    rows = list(
        Notification.objects.filter(pk__in=list(notification_ids), emailed_at__isnull=True)
        .select_related("recipient", "actor")
        .order_by("pk")
    )
    preferences = DeliveryPreference.objects.in_bulk([n.recipient_id for n in rows])
    sent = 0
    connection = get_connection()
    for n in rows:
        preference = preference_of(n.recipient, preferences)
        if preference.email_mode != EmailMode.IMMEDIATE or not n.recipient.is_active or not n.recipient.email:
            continue
        now = timezone.now()
        if not Notification.objects.filter(pk=n.pk, emailed_at__isnull=True).update(emailed_at=now):
            continue  # another run of this task got to it first
        try:
            connection.send_messages([notification_email(n, preference.language)])
        except Exception:  # noqa: BLE001 - one bad address or a mail server hiccup must not stop the rest
            logger.exception("Could not email notification %s", n.pk)
            Notification.objects.filter(pk=n.pk, emailed_at=now).update(emailed_at=None)
            continue
        sent += 1
    return sent


def _claim_digest(preference: DeliveryPreference, now: datetime) -> list[Notification] | None:
    """Take this person's digest for this run; None when another run took it or they changed their mode."""
    with transaction.atomic():
        won = DeliveryPreference.objects.filter(
            pk=preference.pk, email_mode=preference.email_mode, last_digest_at=preference.last_digest_at
        ).update(last_digest_at=now)
        if not won:
            return None
        rows = list(
            Notification.objects.filter(
                recipient_id=preference.pk,
                read_at__isnull=True,
                emailed_at__isnull=True,
                created_at__gte=preference.digest_since,
                created_at__lte=now,
            )
            .select_related("actor", "recipient")
            .order_by("-created_at", "-pk")
        )
        Notification.objects.filter(pk__in=[n.pk for n in rows], emailed_at__isnull=True).update(emailed_at=now)
        return rows


def send_digest(preference: DeliveryPreference, now: datetime | None = None) -> bool:
    """Email one person what they have not read nor been emailed. Returns whether an email went out."""
    now = now or timezone.now()
    user = preference.user
    if preference.email_mode not in DIGEST_MODES or not user.is_active or not user.email:
        return False
    previous = preference.last_digest_at
    rows = _claim_digest(preference, now)
    if not rows:
        return False
    try:
        digest_email(user, rows, preference.email_mode, preference.language).send()
    except Exception:  # noqa: BLE001 - the next run tries again; the others still get theirs
        logger.exception("Could not email the digest of user %s", user.pk)
        with transaction.atomic():
            Notification.objects.filter(pk__in=[n.pk for n in rows], emailed_at=now).update(emailed_at=None)
            DeliveryPreference.objects.filter(pk=preference.pk, last_digest_at=now).update(last_digest_at=previous)
        return False
    return True


def send_digests(mode: str, now: datetime | None = None) -> int:
    """The digests of everyone in `mode` (daily or weekly). Returns how many emails went out."""
    if mode not in DIGEST_MODES:
        raise ValueError(_("Digests are daily or weekly, not %(mode)s.") % {"mode": mode})
    now = now or timezone.now()
    people = DeliveryPreference.objects.filter(email_mode=mode, user__is_active=True).select_related("user")
    return sum(send_digest(p, now) for p in people.iterator(chunk_size=500))
