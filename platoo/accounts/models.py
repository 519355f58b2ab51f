import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class KMRole(models.TextChoices):
    """The KM roles taught by Thailand's KM Institute: descriptive, not permissions."""

    SPONSOR = "sponsor", _("Executive sponsor (คุณเอื้อ)")
    FACILITATOR = "facilitator", _("Facilitator (คุณอำนวย)")
    PRACTITIONER = "practitioner", _("Practitioner (คุณกิจ)")
    NOTE_TAKER = "note_taker", _("Note-taker (คุณลิขิต)")
    COORDINATOR = "coordinator", _("Network coordinator (คุณประสาน)")
    IT_SUPPORT = "it_support", _("IT support")


class Expertise(models.Model):
    """A declared area of expertise, shared between people so the directory can group them."""

    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("expertise")
        verbose_name_plural = _("expertise")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person in the network. Email is the sign-in name's companion and must be unique."""

    email = models.EmailField(_("email address"), unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=150, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    organization = models.ForeignKey(
        "network.Organization",
        verbose_name=_("organization"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    bio = models.TextField(_("short bio"), max_length=2000, blank=True)
    avatar = models.ImageField(_("avatar"), upload_to="avatars/", blank=True)
    expertise = models.ManyToManyField(Expertise, verbose_name=_("expertise"), blank=True, related_name="people")

    class Meta:
        ordering = ["name_th", "username"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("accounts:profile", args=[self.username])

    @property
    def display_name(self) -> str:
        thai_first = (get_language() or "th").startswith("th")
        names = [self.name_th, self.name_en] if thai_first else [self.name_en, self.name_th]
        return next((n for n in names if n), None) or self.get_full_name() or self.username


class KMRoleHolding(models.Model):
    """A KM role a person holds, optionally in a given organization."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="km_roles")
    role = models.CharField(_("KM role"), max_length=32, choices=KMRole.choices)
    organization = models.ForeignKey("network.Organization", on_delete=models.CASCADE, null=True, blank=True)
    since = models.DateField(_("since"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role", "organization"], name="unique_km_role_holding")]
        verbose_name = _("KM role held")
        verbose_name_plural = _("KM roles held")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"


class Invitation(models.Model):
    """An invitation to sign up, needed when SIGNUP_MODE is 'invite'."""

    email = models.EmailField(_("email address"))
    token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    organization = models.ForeignKey("network.Organization", on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return self.email


class ApiToken(models.Model):
    """A personal token for scripts using API v1. Only its SHA-256 digest is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str) -> tuple["ApiToken", str]:
        """Create a token; the raw value is returned once and never stored."""
        raw = "pt_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, digest=cls.hash(raw), prefix=raw[:8])
        return token, raw
