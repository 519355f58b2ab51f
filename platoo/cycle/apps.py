from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CycleConfig(AppConfig):
    name = "platoo.cycle"
    verbose_name = _("The critical knowledge cycle")
    demo_loader = "platoo.cycle.demo"  # load_demo walks demo items through the cycle after the other demos

    def ready(self) -> None:
        # What the panels verify counts for the fair and for expertise; an edit of verified knowledge sends it
        # back to review; items a synthesis or manual cites are kept.
        # Syntheses and applications on the knowledge item page; applied knowledge on the network map.
        from . import evidence, extensions, provenance, receivers, ties  # noqa: F401
