from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "platoo.knowledge"
    verbose_name = _("Knowledge")

    def ready(self) -> None:
        from . import follow, search  # noqa: F401  topics can be followed; items are searchable
