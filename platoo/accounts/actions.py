"""Writes to people and their accounts: sign-up, invitations, profiles and API tokens."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from platoo.lib.text import clean_labels, clean_line
from platoo.network.models import Organization
from platoo.search.index import update_index

from .models import ApiToken, Expertise, Invitation, KMRole, KMRoleHolding, User
from .signals import signed_up

MAX_EXPERTISE_LENGTH = 100  # Expertise.name's max_length
MAX_EXPERTISE = 20


def normalize_expertise(names: Iterable[str]) -> list[str]:
    """Expertise tags cleaned, de-duplicated (ignoring case) in order, each checked for length."""
    return clean_labels(
        names,
        max_length=MAX_EXPERTISE_LENGTH,
        max_count=MAX_EXPERTISE,
        too_long=_("An expertise tag can be at most %(max)d characters; “%(start)s…” is %(length)d."),
        too_many=_("At most %(max)d expertise tags, please."),
    )


@dataclass
class SignupData:
    username: str
    email: str
    password: str
    name_th: str = ""
    name_en: str = ""


def find_open_invitation(token: str) -> Invitation | None:
    return Invitation.objects.select_related("organization").filter(token=token, accepted_at__isnull=True).first()


@transaction.atomic
def do_sign_up(data: SignupData, invitation: Invitation | None = None) -> User:
    """Create an account; with an invitation, use it up in the same transaction (one invitation, one account)."""
    if invitation is not None:
        # A conditional UPDATE: of two simultaneous sign-ups with the same invitation, only one matches a row.
        claimed = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
            accepted_at=timezone.now()
        )
        if not claimed:
            raise ValidationError(_("This invitation has already been used."), code="invitation_used")
    user = User(
        username=data.username,
        email=invitation.email if invitation else data.email,
        name_th=clean_line(data.name_th),
        name_en=clean_line(data.name_en),
        organization=invitation.organization if invitation else None,
    )
    user.set_password(data.password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        # The form checked uniqueness; this is a double submit that raced past the check.
        raise ValidationError(_("An account with this username or email already exists."), code="duplicate") from exc
    if invitation is not None:
        Invitation.objects.filter(pk=invitation.pk).update(accepted_by=user)
    signed_up.send(sender=User, user=user, invitation=invitation)
    update_index(user)
    return user


@transaction.atomic
def do_invite_person(actor: User, invitation: Invitation) -> Invitation:
    """Save a new invitation (email, organization) from staff and email its link once it is stored."""
    if not actor.is_staff:
        raise PermissionDenied
    invitation.email = invitation.email.strip()
    invitation.invited_by = actor
    invitation.save()
    transaction.on_commit(lambda: send_invitation_email(invitation))
    return invitation


def send_invitation_email(invitation: Invitation) -> None:
    link = settings.SITE_URL.rstrip("/") + reverse("accounts:signup") + f"?invite={invitation.token}"
    context = {"invitation": invitation, "link": link, "site_name": settings.SITE_NAME}
    # In the site's language (Thai), not the inviting admin's: the invitee has no preference yet.
    with translation.override(settings.LANGUAGE_CODE):
        subject = clean_line(render_to_string("accounts/email/invitation_subject.txt", context))
        body = render_to_string("accounts/email/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])


@dataclass
class ProfileData:
    name_th: str
    name_en: str
    position: str
    bio: str
    expertise: Sequence[str]
    km_roles: Sequence[str]
    avatar: File[Any] | None = None  # a new image to store
    clear_avatar: bool = False
    organization: Organization | None = None
    change_organization: bool = False  # staff only: membership opens organization-only knowledge


@transaction.atomic
def do_update_profile(actor: User, person: User, data: ProfileData) -> User:
    if actor.pk != person.pk and not actor.is_staff:
        raise PermissionDenied
    unknown_roles = set(data.km_roles) - set(KMRole.values)
    if unknown_roles:
        raise ValidationError(
            {"km_roles": _("Unknown KM roles: %(roles)s") % {"roles": ", ".join(sorted(unknown_roles))}}
        )
    expertise_names = normalize_expertise(data.expertise)

    person.name_th = clean_line(data.name_th)
    person.name_en = clean_line(data.name_en)
    person.position = clean_line(data.position)
    person.bio = data.bio.strip()
    fields = ["name_th", "name_en", "position", "bio"]
    if data.change_organization:
        if not actor.is_staff:
            raise PermissionDenied
        person.organization = data.organization
        fields.append("organization")
    old_avatar = person.avatar.name if person.avatar else ""
    if data.avatar is not None:
        person.avatar.save(data.avatar.name or "avatar", data.avatar, save=False)
        fields.append("avatar")
    elif data.clear_avatar:
        person.avatar = None
        fields.append("avatar")
    person.save(update_fields=fields)
    if "avatar" in fields and old_avatar:
        storage = person.avatar.storage
        transaction.on_commit(lambda: storage.delete(old_avatar))

    person.expertise.set([_expertise_named(name) for name in expertise_names])
    _set_km_roles(person, data.km_roles)
    update_index(person)
    return person


def _expertise_named(name: str) -> Expertise:
    existing = Expertise.objects.filter(name__iexact=name).first()
    return existing or Expertise.objects.create(name=name)


def _set_km_roles(person: User, roles: Sequence[str]) -> None:
    """Keep the holdings of roles still chosen (with their 'since' dates); add new ones in the person's organization."""
    person.km_roles.exclude(role__in=roles).delete()
    held = set(person.km_roles.values_list("role", flat=True))
    KMRoleHolding.objects.bulk_create(
        KMRoleHolding(user=person, role=role, organization_id=person.organization_id)
        for role in roles
        if role not in held
    )


@transaction.atomic
def do_issue_token(actor: User, name: str) -> tuple[ApiToken, str]:
    """A new API token for the actor; the raw value is returned once and only its digest is stored."""
    name = clean_line(name)
    if not name:
        raise ValidationError({"name": _("Give the token a name, such as the script that will use it.")})
    if actor.api_tokens.filter(name=name).exists():
        raise ValidationError({"name": _("You already have a token named “%(name)s”.") % {"name": name}})
    return ApiToken.issue(actor, name)


@transaction.atomic
def do_revoke_token(actor: User, token: ApiToken) -> None:
    if token.user_id != actor.pk and not actor.is_superuser:
        raise PermissionDenied
    token.delete()
