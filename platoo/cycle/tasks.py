"""Background work for the cycle (Django's tasks API; a database-backed worker in production)."""

from django_tasks import task

from .actions import sweep_reverification


@task()
def remind_reverification() -> int:
    """What `manage.py sweep_reverification` does, for a worker that schedules it."""
    return sweep_reverification()
