"""One visibility vocabulary for everything a person can read in Platoo."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    NETWORK = "network", _("Network members")
    ORGANIZATION = "organization", _("Organization only")
    PRIVATE = "private", _("Private draft")
