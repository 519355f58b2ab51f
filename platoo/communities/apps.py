from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "platoo.communities"
    verbose_name = _("Communities of practice")
    demo_loader = "platoo.communities.demo"  # load_demo runs its load() after the network's demo

    def ready(self) -> None:
        from . import follow  # noqa: F401 - communities can be followed; members hold their audiences
