"""Background work for notifications: emailing them to the people who want them right away."""

from django_tasks import task

from .delivery import send_immediate


@task()
def email_notifications(notification_ids: list[int]) -> int:
    """Enqueued by actions.notify once its transaction commits."""
    return send_immediate(notification_ids)
