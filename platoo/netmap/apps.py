from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetmapConfig(AppConfig):
    name = "platoo.netmap"
    verbose_name = _("Network map")

    def ready(self) -> None:
        from . import graph  # noqa: F401 - follows the models behind the nodes
        from .providers import register_builtin

        register_builtin()
