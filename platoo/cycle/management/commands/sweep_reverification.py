"""Remind each expert panel of the verified knowledge that has fallen due for re-verification. Run it from
cron once a day, for example:

    30 6 * * *  cd /srv/platoo && .venv/bin/python manage.py sweep_reverification

An item is reminded of once, then again every CYCLE_REVERIFY_REMIND_DAYS until the panel re-verifies it
(or it is revised or archived); two runs at once remind nobody twice (platoo.cycle.actions.reviews).
"""

from typing import Any

from django.core.management.base import BaseCommand

from platoo.cycle.tasks import remind_reverification


class Command(BaseCommand):
    help = "Remind the expert panels of knowledge due for re-verification."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--queue", action="store_true", help="Queue the sweep for the background worker instead of running it here."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["queue"]:
            result = remind_reverification.enqueue()
            self.stdout.write(f"re-verification sweep queued: {result.id}")
            return
        self.stdout.write(f"items due for re-verification reminded of: {remind_reverification.call()}")
