from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "platoo.events"
    verbose_name = _("Events and the network's programme")
    demo_loader = "platoo.events.demo"  # load_demo runs its load() after the network's demo (a year's programme)

    def ready(self) -> None:
        # Knowledge is captured at events; events are searchable; a host leaving the network sends its future
        # visits back to the planner.
        from . import provenance, receivers, search  # noqa: F401
