from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from platoo.lib.provinces import PROVINCE_CHOICES

MANAGE_NETWORK = "network.manage_network"


def is_network_manager(user: Any) -> bool:
    """Network managers hold the custom permission; active superusers hold every permission."""
    return bool(user is not None and user.is_authenticated and user.has_perm(MANAGE_NETWORK))


class Sector(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    STATE_ENTERPRISE = "state_enterprise", _("State enterprise")
    PRIVATE = "private", _("Private")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    ACADEMIC = "academic", _("Academic")
    COMMUNITY = "community", _("Community")


class MembershipStatus(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    MEMBER = "member", _("Member")
    SUSPENDED = "suspended", _("Suspended")
    LEFT = "left", _("Left")
    REJECTED = "rejected", _("Rejected")


# Organizations anyone may look at: the network's members, past and present. Applications stay private.
PUBLIC_STATUSES = (MembershipStatus.MEMBER, MembershipStatus.SUSPENDED, MembershipStatus.LEFT)


class OrganizationQuerySet(models.QuerySet["Organization"]):
    def visible_to(self, user: Any) -> "OrganizationQuerySet":
        """Members past and present for everyone; applications for managers and their own contact person."""
        if is_network_manager(user):
            return self
        condition = Q(status__in=PUBLIC_STATUSES)
        if user is not None and user.is_authenticated:
            condition |= Q(contact_person=user)
        return self.filter(condition)

    def members(self) -> "OrganizationQuerySet":
        return self.filter(status=MembershipStatus.MEMBER)


class Organization(models.Model):
    """An organization of the network: a member, or one applying, suspended, gone or turned down."""

    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    code = models.SlugField(_("short code"), max_length=32, unique=True)
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices)
    province = models.CharField(_("province"), max_length=64, choices=PROVINCE_CHOICES, blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        _("membership status"), max_length=16, choices=MembershipStatus.choices, default=MembershipStatus.MEMBER
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    contact_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_for",
        verbose_name=_("contact person"),
    )
    application_note = models.TextField(_("application note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name_th"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        permissions = [("manage_network", _("Can manage the network"))]

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


class NetworkLevel(models.IntegerChoices):
    """The six levels at which a KM network links people (KM Institute): network links and CoPs use them."""

    UNIT = 1, _("Within a unit")
    CROSS_FUNCTION = 2, _("Across functions")
    AREA = 3, _("Across departments in one area")
    NEIGHBOURING_AREAS = 4, _("Across neighbouring areas")
    CROSS_BOUNDARY = 5, _("Across areas, departments and countries")
    HUB = 6, _("Network supported by the hub")


class UnitKind(models.TextChoices):
    DEPARTMENT = "department", _("Department")
    DIVISION = "division", _("Division")
    SECTION = "section", _("Section")


class Unit(models.Model):
    """A department, division or section inside an organization; units nest."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="units", verbose_name=_("organization")
    )
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind of unit"), max_length=16, choices=UnitKind.choices, default=UnitKind.DIVISION)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,  # the actions refuse to remove a unit with sub-units; this lets organizations go
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
    )

    class Meta:
        ordering = ["name_th", "pk"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name_th


class NetworkLinkQuerySet(models.QuerySet["NetworkLink"]):
    def visible_to(self, user: Any) -> "NetworkLinkQuerySet":
        """Links whose two ends the user may both see."""
        organizations = Organization.objects.visible_to(user)
        return self.filter(source__in=organizations, target__in=organizations)


class NetworkLink(models.Model):
    """Two organizations working together at one of the six network levels."""

    source = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="links_out", verbose_name=_("organization")
    )
    target = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="links_in", verbose_name=_("linked organization")
    )
    level = models.PositiveSmallIntegerField(_("network level"), choices=NetworkLevel.choices)
    since = models.DateField(_("since"))
    reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = NetworkLinkQuerySet.as_manager()

    class Meta:
        ordering = ["level", "since", "pk"]
        verbose_name = _("network link")
        verbose_name_plural = _("network links")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "level"],
                name="network_link_unique_per_level",
                violation_error_message=_("These organizations are already linked at this level."),
            ),
            models.CheckConstraint(
                condition=~Q(source=models.F("target")),
                name="network_link_not_to_itself",
                violation_error_message=_("An organization cannot be linked to itself."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} – {self.target} ({self.get_level_display()})"


class NetworkProfile(models.Model):
    """The network's own profile: one row, made on first use."""

    name_th = models.CharField(_("name (Thai)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    knowledge_vision = models.TextField(_("knowledge vision"), blank=True, help_text=_("Markdown is allowed."))
    started_on = models.DateField(_("started on"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("network profile")
        verbose_name_plural = _("network profile")

    def __str__(self) -> str:
        return self.name_th or str(_("network profile"))

    @classmethod
    def load(cls) -> "NetworkProfile":
        return cls.objects.get_or_create(pk=1)[0]

    def age(self, today: date | None = None) -> tuple[int, int] | None:
        """Whole years and months since the network started."""
        if self.started_on is None:
            return None
        today = today or timezone.localdate()
        months = (today.year - self.started_on.year) * 12 + today.month - self.started_on.month
        if today.day < self.started_on.day:
            months -= 1
        months = max(months, 0)
        return months // 12, months % 12
