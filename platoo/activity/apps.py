from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivityConfig(AppConfig):
    name = "platoo.activity"
    verbose_name = _("Activity and notifications")

    def ready(self) -> None:
        from . import follow  # noqa: F401 - people can be followed
