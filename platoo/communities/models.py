"""Communities of practice (CoP): who belongs, how far the community has come, what it shares."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from platoo.accounts.models import KMRole
from platoo.network.models import NetworkLevel


class CommunityVisibility(models.TextChoices):
    PUBLIC = "public", _("Public: anyone sees it and joins")
    CLOSED = "closed", _("Closed: anyone sees it, joining needs an admin's approval")
    SECRET = "secret", _("Secret: only members see it, joining by invitation")


class Stage(models.TextChoices):
    """Wenger, McDermott & Snyder (2002)."""

    POTENTIAL = "potential", _("Potential")
    COALESCING = "coalescing", _("Coalescing")
    MATURING = "maturing", _("Maturing")
    STEWARDSHIP = "stewardship", _("Stewardship")
    TRANSFORMATION = "transformation", _("Transformation")


# The ten-step CoP process the network works through, in the order its hub teaches it.
STEPS: dict[int, Any] = {
    1: _("Map and reflect on lessons learned"),
    2: _("Share and set common goals"),
    3: _("Agree a joint strategy"),
    4: _("Make a coordinated action plan"),
    5: _("Make a network coordination plan"),
    6: _("Act"),
    7: _("Distil lessons"),
    8: _("Adjust indicators, values and culture"),
    9: _("Test and conclude, innovate"),
    10: _("Scale up and manage change"),
}


class CommunityQuerySet(models.QuerySet["Community"]):
    def visible_to(self, user: Any) -> "CommunityQuerySet":
        """The one doorway for reading CoPs: a secret CoP exists only for its members and invitees."""
        open_ = Q(visibility__in=[CommunityVisibility.PUBLIC, CommunityVisibility.CLOSED])
        if user is None or not user.is_authenticated:
            return self.filter(open_)
        if not user.is_active:
            return self.filter(open_)
        if user.is_superuser:
            return self.all()
        mine = Membership.objects.filter(
            user=user, status__in=[Membership.Status.ACTIVE, Membership.Status.INVITED]
        ).values("community_id")
        return self.filter(open_ | Q(pk__in=mine))


class Community(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True, allow_unicode=True)
    domain = models.CharField(_("domain"), max_length=300, help_text=_("What the community learns about."))
    purpose = models.TextField(_("purpose"), blank=True, help_text=_("Markdown."))
    level = models.PositiveSmallIntegerField(_("network level"), choices=NetworkLevel.choices)
    organizations = models.ManyToManyField(
        "network.Organization", blank=True, related_name="communities", verbose_name=_("organizations")
    )
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=CommunityVisibility.choices, default=CommunityVisibility.PUBLIC
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.POTENTIAL)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("community of practice")
        verbose_name_plural = _("communities of practice")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("communities:detail", args=[self.slug])


class StageChange(models.Model):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="stage_changes")
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(_("changed at"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")

    def __str__(self) -> str:
        return f"{self.community} → {self.get_stage_display()}"


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Admin")
        MEMBER = "member", _("Member")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        REQUESTED = "requested", _("Requested to join")
        INVITED = "invited", _("Invited")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_memberships")
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    km_role = models.CharField(_("KM role"), max_length=32, choices=KMRole.choices, blank=True)
    joined_at = models.DateTimeField(_("joined at"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "user"], name="unique_community_membership")]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.community}"

    @property
    def is_active_admin(self) -> bool:
        return self.status == self.Status.ACTIVE and self.role == self.Role.ADMIN


class CommunityStep(models.Model):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField(_("step"), choices=[(n, str(n)) for n in STEPS])
    done_on = models.DateField(_("done on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True, help_text=_("Markdown."))
    evidence = models.TextField(_("evidence"), blank=True, help_text=_("One link per line."))

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["community", "number"], name="unique_community_step")]
        verbose_name = _("CoP step")
        verbose_name_plural = _("CoP steps")

    def __str__(self) -> str:
        return f"{self.community} — {self.number}"

    @property
    def title(self) -> Any:
        return STEPS[self.number]

    @property
    def evidence_links(self) -> list[str]:
        return [line.strip() for line in self.evidence.splitlines() if line.strip()]


class SharedItem(models.Model):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="shared_items")
    item = models.ForeignKey("knowledge.KnowledgeItem", on_delete=models.CASCADE, related_name="community_shares")
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    shared_at = models.DateTimeField(_("shared at"))

    class Meta:
        ordering = ["-shared_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["community", "item"], name="unique_community_item")]
        verbose_name = _("shared knowledge item")
        verbose_name_plural = _("shared knowledge items")

    def __str__(self) -> str:
        return f"{self.item} @ {self.community}"
