"""Remind registrants the day before an event, and attendees without an after-action review the day
after it. Run it from cron every hour, for example:

    15 * * * *  cd /srv/platoo && .venv/bin/python manage.py send_event_reminders

Each reminder goes once: running it twice, or two runs at once, reminds nobody twice (platoo.events.reminders).
"""

from typing import Any

from django.core.management.base import BaseCommand

from platoo.events.reminders import send_due_reminders


class Command(BaseCommand):
    help = "Remind people of tomorrow's events, and ask yesterday's attendees for their after-action review."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_due_reminders()
        self.stdout.write(f"event reminders sent: {sent['events']}, review reminders sent: {sent['reviews']}")
