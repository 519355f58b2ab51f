"""Recording activity and notifying people. Called by the actions of other apps, inside their transaction."""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from platoo.accounts.models import User
from platoo.lib.visibility import audiences_of

from . import registry
from .delivery import person_from_token
from .models import DIGEST_MODES, Activity, ActivitySubject, DeliveryPreference, EmailMode, Follow, Notification
from .tasks import email_notifications

MAX_TITLE = 300


def record(
    actor: User | None,
    verb: str,
    *,
    title: str,
    url: str,
    audience: str,
    subjects: Iterable[str],
    target: str = "",
) -> Activity:
    """Record that `actor` did `verb` to something (its title, url and key `target`), readable by `audience`.

    `subjects` are the keys it is about ("community:3", "person:7", "topic:2"); people following any
    of them see it in their feed, if they hold the audience. An empty audience reaches no feed.
    """
    activity = Activity.objects.create(
        actor=actor,
        verb=verb,
        title=title[:MAX_TITLE],
        url=url,
        target=target,
        audience=audience,
        created_at=timezone.now(),
    )
    ActivitySubject.objects.bulk_create(
        [ActivitySubject(activity=activity, key=k) for k in dict.fromkeys(subjects) if k]
    )
    return activity


def set_audience(*, audience: str, target: str = "", subject: str = "") -> int:
    """Who may read a thing changed: its activities (by `target`, or all those about `subject`) follow."""
    rows = Activity.objects.all()
    if target:
        rows = rows.filter(target=target)
    elif subject:
        rows = rows.filter(pk__in=ActivitySubject.objects.filter(key=subject).values("activity_id"))
    else:
        return 0
    return rows.update(audience=audience)


def forget(target: str) -> None:
    """The thing is gone: so are its activities."""
    if target:
        Activity.objects.filter(target=target).delete()


def forget_about(subject: str) -> None:
    """A subject is gone (a community deleted): so is everything that happened in it."""
    if subject:
        Activity.objects.filter(pk__in=ActivitySubject.objects.filter(key=subject).values("activity_id")).delete()


def notify(recipients: Iterable[User], kind: str, *, actor: User | None, title: str, url: str) -> list[Notification]:
    """Tell each recipient (never the actor themselves) about something; callers choose recipients who may see it.

    It shows in the app at once; once the caller's transaction commits, a background task emails the
    recipients who want email right away (the others get it in their digest, or not at all).
    """
    now = timezone.now()
    seen: set[int] = set()
    rows = []
    for person in recipients:
        if person.pk in seen or (actor is not None and person.pk == actor.pk) or not person.is_active:
            continue
        seen.add(person.pk)
        rows.append(
            Notification(recipient=person, kind=kind, actor=actor, title=title[:MAX_TITLE], url=url, created_at=now)
        )
    created = Notification.objects.bulk_create(rows)
    ids = [n.pk for n in created]
    if ids:
        transaction.on_commit(lambda: email_notifications.enqueue(ids))
    return created


def feed_queryset(user: Any) -> QuerySet[Activity]:
    """What the people, communities and topics `user` follows have done, that `user` may read (unsliced, to page)."""
    if user is None or not user.is_authenticated:
        return Activity.objects.none()
    keys = Follow.objects.filter(user=user).values("key")
    about = ActivitySubject.objects.filter(key__in=keys).values("activity_id")
    return (
        Activity.objects.filter(pk__in=about, audience__in=audiences_of(user))
        .select_related("actor")
        .order_by("-created_at", "-pk")
    )


def feed_for(user: Any, limit: int = 50) -> QuerySet[Activity]:
    """The newest `limit` rows of the user's feed."""
    return feed_queryset(user)[:limit]


def activities_about(user: Any, key: str, limit: int = 10) -> list[Activity]:
    """The newest activities about one subject ("community:12") that `user` may read, for that subject's page.

    Nothing when `user` may not see the subject itself, whatever the audiences of its activities.
    """
    if key not in registry.resolve(user, [key]):
        return []
    about = ActivitySubject.objects.filter(key=key).values("activity_id")
    return list(
        Activity.objects.filter(pk__in=about, audience__in=audiences_of(user))
        .select_related("actor")
        .order_by("-created_at", "-pk")[:limit]
    )


def followed_keys(user: Any, keys: Iterable[str]) -> set[str]:
    """Which of `keys` the user follows, in one query (for follow buttons on a list)."""
    wanted = [k for k in dict.fromkeys(keys) if k]
    if user is None or not user.is_authenticated or not wanted:
        return set()
    return set(Follow.objects.filter(user=user, key__in=wanted).values_list("key", flat=True))


@transaction.atomic
def do_follow(user: User, key: str) -> tuple[Follow, bool]:
    """Follow something the user may see; following twice is harmless."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied(_("Sign in to follow."))
    if registry.split(key) is None or key not in registry.resolve(user, [key]):
        raise ValidationError(_("There is nothing to follow here."))
    if key == registry.key("person", user.pk):
        raise ValidationError(_("You cannot follow yourself; follow other people."), code="self")
    return Follow.objects.get_or_create(user=user, key=key)


@transaction.atomic
def do_unfollow(user: User, key: str) -> None:
    Follow.objects.filter(user=user, key=key).delete()


def notifications_for(user: Any) -> QuerySet[Notification]:
    """The one doorway to notifications: a person's own, and nobody else's."""
    if user is None or not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def unread_count(user: Any, cap: int | None = None) -> int:
    """How many unread notifications; with `cap`, counting stops there (the header badge shows "99+")."""
    unread = notifications_for(user).filter(read_at__isnull=True).order_by()
    return unread[:cap].count() if cap else unread.count()


def do_mark_read(user: User, notification: Notification) -> Notification:
    """Mark one of the user's own notifications read; reading it again keeps the first time."""
    if notification.recipient_id != user.pk:
        raise PermissionDenied
    if notification.read_at is None:
        now = timezone.now()
        if Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now):
            notification.read_at = now
    return notification


def do_mark_all_read(user: User) -> int:
    return notifications_for(user).filter(read_at__isnull=True).update(read_at=timezone.now())


def preferences_for(user: User) -> DeliveryPreference:
    """The person's delivery preference, made with the defaults the first time it is asked for."""
    return DeliveryPreference.objects.get_or_create(user=user)[0]


@transaction.atomic
def do_set_preferences(user: User, *, email_mode: str, language: str) -> DeliveryPreference:
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied
    if email_mode not in EmailMode.values:
        raise ValidationError({"email_mode": _("Choose how to receive email from the list.")})
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose a language from the list.")})
    preference = DeliveryPreference.objects.select_for_update().get(pk=preferences_for(user).pk)
    now = timezone.now()
    if email_mode in DIGEST_MODES and preference.email_mode not in DIGEST_MODES:
        # Digests start from now: what arrived while email was off or sent one by one is not re-sent.
        preference.digest_since = now
    preference.email_mode = email_mode
    preference.language = language
    preference.updated_at = now
    preference.save()
    return preference


@transaction.atomic
def do_unsubscribe(token: str) -> User:
    """Switch email off for the person a signed link names; no sign-in needed. Doing it twice is harmless."""
    person = person_from_token(token)
    if person is None:
        raise ValidationError(_("This unsubscribe link is not valid: it may have been cut short or changed."))
    preference = preferences_for(person)
    DeliveryPreference.objects.filter(pk=preference.pk).update(email_mode=EmailMode.OFF, updated_at=timezone.now())
    return person
