"""`manage.py load_demo`: the demo network for `make run`; idempotent, `--reset` rebuilds it."""

from importlib import import_module
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from platoo.network.demo.loader import DemoConflict, demo_exists, load_demo, remove_demo
from platoo.network.demo.people import ADMIN_USERNAME, DEMO_MEMBER, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Load the demo network (organizations, people, knowledge) unless it is already there."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reset", action="store_true", help="Remove the demo network and load it again.")

    def handle(self, *args: Any, reset: bool = False, **options: Any) -> None:
        if demo_exists() and not reset:
            self.stdout.write(
                f"The demo network is already loaded; nothing changed. Sign in as {DEMO_MEMBER} / {DEMO_PASSWORD} "
                "(or run load_demo --reset to rebuild it)."
            )
            return
        # Apps above the network add their own demo content (communities, …) through a `demo_loader`
        # module named on their AppConfig, so this app never imports them.
        extras = [import_module(name) for c in apps.get_app_configs() if (name := getattr(c, "demo_loader", ""))]
        try:
            with transaction.atomic():
                if reset:
                    for extra in reversed(extras):
                        extra.remove()
                    remove_demo()
                result = load_demo()
                added = [f"{extra.load()} {extra.DEMO_CONTENT}" for extra in extras]
        except DemoConflict as exc:
            raise CommandError(f"Cannot load the demo network: {exc}.") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded the demo network: {result.organizations} organizations, {result.people} people, "
                f"{result.items} knowledge items, {result.comments} comments, {result.attachments} attachments"
                + "".join(f", {line}" for line in added)
                + "."
            )
        )
        self.stdout.write(f"Open {settings.SITE_URL} and sign in with one of these accounts:")
        if result.admin_created:
            self.stdout.write(f"  {ADMIN_USERNAME} / {DEMO_PASSWORD}   administrator (also {settings.SITE_URL}/admin/)")
        else:
            self.stdout.write(f"  {ADMIN_USERNAME}: the existing account was kept; its password is unchanged")
        self.stdout.write(f"  {DEMO_MEMBER} / {DEMO_PASSWORD}   นิภา ทองดี, a nurse at Na Kaeo Hospital (a member)")
        self.stdout.write(f"Every demo person signs in with the password {DEMO_PASSWORD}.")
