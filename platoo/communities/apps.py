from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "platoo.communities"
    verbose_name = _("Communities of practice")
    demo_loader = "platoo.communities.demo"  # load_demo runs its load() after the network's demo

    def ready(self) -> None:
        # Communities can be followed and their members hold their audiences; sign-ups join email invitations;
        # knowledge is captured from their meetings and replies; communities, discussions and meetings are
        # searchable; presentations and KM roles held in CoPs show in the people directory.
        from . import evidence, follow, provenance, receivers, search  # noqa: F401
