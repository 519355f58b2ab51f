from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "platoo.knowledge"
    verbose_name = _("Knowledge")

    def ready(self) -> None:
        # Topics can be followed; items are searchable and are evidence of what their authors know.
        from . import evidence, follow, relations, search  # noqa: F401
