from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "platoo.communities"
    verbose_name = _("Communities of practice")
    demo_loader = "platoo.communities.demo"  # load_demo runs its load() after the network's demo

    def ready(self) -> None:
        # Communities can be followed, their members hold their audiences, sign-ups join email invitations,
        # and knowledge is captured from their meetings and replies.
        from . import follow, provenance, receivers  # noqa: F401
