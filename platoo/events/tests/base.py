"""A cast for events: alice organizes, in alpha; bob, carol, dave and erin come; a manager runs the hub."""

from datetime import timedelta

from django.contrib.auth.models import Permission
from django.utils import timezone

from platoo.accounts.models import User
from platoo.accounts.tests.helpers import CastTestCase, make_person
from platoo.events import actions
from platoo.events.models import Event, EventKind


def grant_manager(user: User) -> User:
    user.user_permissions.add(Permission.objects.get(codename="manage_network", content_type__app_label="network"))
    return User.objects.get(pk=user.pk)  # permissions are cached on the instance


def make_event(
    organizer: User,
    title: str = "เยี่ยมเยือนโรงพยาบาล",
    *,
    kind: str = EventKind.VISIT,
    days: float = 7,
    hours: float = 6,
    capacity: int | None = None,
    publish: bool = True,
    **extra: object,
) -> Event:
    """An event `days` from now (negative: in the past), made (and published) with the real actions."""
    starts = timezone.now() + timedelta(days=days)
    data = actions.EventData(
        title=title, kind=kind, starts_at=starts, ends_at=starts + timedelta(hours=hours), capacity=capacity, **extra
    )
    event = actions.do_create_event(organizer, data)
    return actions.do_publish_event(organizer, event) if publish else event


class EventTestCase(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.erin = make_person(cls.admin, "erin", cls.beta)
        cls.manager = grant_manager(make_person(cls.admin, "manny", cls.beta))
