"""Background work for events: the registrants' emails (sent once the action commits) and the reminders."""

from collections.abc import Iterable

from django.db import transaction
from django_tasks import task

from platoo.activity.models import Notification

from . import emails, reminders
from .models import Registration


@task()
def email_registrations(registration_ids: list[int], reason: str) -> int:
    return emails.send_registration_emails(registration_ids, reason)


@task()
def send_event_reminders() -> dict[str, int]:
    """What `manage.py send_event_reminders` does, for a worker that schedules it."""
    return reminders.send_due_reminders()


def email_on_commit(registrations: Iterable[Registration], reason: str, told: Iterable[Notification] = ()) -> None:
    """Called by the actions inside their transaction: once it commits, the registrants are emailed
    (emails.py says why whatever their email mode), and the notifications telling them the same news
    (`told`) are not emailed again."""
    rows = list(registrations)
    if not rows:
        return
    people = {r.user_id for r in rows}
    emails.claim_emails([n for n in told if n.recipient_id in people], only_immediate=False)
    ids = [r.pk for r in rows]
    transaction.on_commit(lambda: email_registrations.enqueue(ids, reason))
