"""Email the daily or weekly digests. Run it from cron, for example:

    0 7 * * *  cd /srv/platoo && .venv/bin/python manage.py send_digests --period daily
    0 7 * * 1  cd /srv/platoo && .venv/bin/python manage.py send_digests --period weekly

Running it twice, or two runs at once, sends nobody anything twice (see platoo.activity.delivery).
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from platoo.activity.delivery import send_digests
from platoo.activity.models import EmailMode


class Command(BaseCommand):
    help = "Email each person in daily or weekly digest mode what they have not read nor been emailed yet."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, choices=[EmailMode.DAILY, EmailMode.WEEKLY])

    def handle(self, *args: Any, period: str, **options: Any) -> None:
        sent = send_digests(period)
        self.stdout.write(f"{period} digests sent: {sent}")
