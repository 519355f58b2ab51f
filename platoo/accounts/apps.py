from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "platoo.accounts"
    verbose_name = _("Accounts and people")

    def ready(self) -> None:
        from . import search  # noqa: F401 - registers the people search adapter
