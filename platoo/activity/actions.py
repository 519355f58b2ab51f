"""Recording activity and notifying people. Called by the actions of other apps, inside their transaction."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from platoo.accounts.models import User
from platoo.lib.visibility import audiences_of

from . import registry
from .models import Activity, ActivitySubject, Follow, Notification

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


def notify(recipients: Iterable[User], kind: str, *, actor: User | None, title: str, url: str) -> list[Notification]:
    """Tell each recipient (never the actor themselves) about something; callers choose recipients who may see it."""
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
    return Notification.objects.bulk_create(rows)


def feed_for(user: Any, limit: int = 50) -> QuerySet[Activity]:
    """What the people, communities and topics `user` follows have done, that `user` may read."""
    if user is None or not user.is_authenticated:
        return Activity.objects.none()
    keys = Follow.objects.filter(user=user).values("key")
    about = ActivitySubject.objects.filter(key__in=keys).values("activity_id")
    return (
        Activity.objects.filter(pk__in=about, audience__in=audiences_of(user))
        .select_related("actor")
        .order_by("-created_at", "-pk")[:limit]
    )


@transaction.atomic
def do_follow(user: User, key: str) -> tuple[Follow, bool]:
    """Follow something the user may see; following twice is harmless."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied(_("Sign in to follow."))
    if registry.split(key) is None or key not in registry.resolve(user, [key]):
        raise ValidationError(_("There is nothing to follow here."))
    return Follow.objects.get_or_create(user=user, key=key)


@transaction.atomic
def do_unfollow(user: User, key: str) -> None:
    Follow.objects.filter(user=user, key=key).delete()
