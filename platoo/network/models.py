from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from platoo.lib.provinces import PROVINCE_CHOICES


class Sector(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    STATE_ENTERPRISE = "state_enterprise", _("State enterprise")
    PRIVATE = "private", _("Private")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    ACADEMIC = "academic", _("Academic")
    COMMUNITY = "community", _("Community")


class Organization(models.Model):
    """A member organization of the network."""

    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    code = models.SlugField(_("short code"), max_length=32, unique=True)
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices)
    province = models.CharField(_("province"), max_length=64, choices=PROVINCE_CHOICES, blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name_th"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.name_th

    def get_absolute_url(self) -> str:
        return reverse("network:organization", args=[self.code])

    @property
    def display_name(self) -> str:
        from django.utils.translation import get_language

        if self.name_en and not (get_language() or "th").startswith("th"):
            return self.name_en
        return self.name_th
