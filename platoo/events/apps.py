from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "platoo.events"
    verbose_name = _("Events and the network's programme")

    def ready(self) -> None:
        from . import provenance, search  # noqa: F401 - knowledge is captured at events; events are searchable
