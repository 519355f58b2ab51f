"""Writes to organizations, their membership and units, network links and the network's profile."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from platoo.accounts.models import User
from platoo.lib.text import clean_line, clean_text
from platoo.search.index import update_index

from .models import MembershipStatus, NetworkLink, NetworkProfile, Organization, Unit, is_network_manager
from .signals import membership_changed


@transaction.atomic
def do_save_organization(actor: User, organization: Organization) -> Organization:
    """Save an organization from staff; its people are re-indexed, since search finds people by organization name."""
    if not actor.is_staff:
        raise PermissionDenied
    organization.name_th = clean_line(organization.name_th)
    organization.name_en = clean_line(organization.name_en)
    organization.description = clean_text(organization.description).strip()
    organization.save()
    for person in organization.people.filter(is_active=True):
        update_index(person)
    return organization


def _require_manager(actor: User) -> None:
    if not is_network_manager(actor):
        raise PermissionDenied(_("Only network managers may do this."))


def can_manage_units(user: User | Any, organization: Organization) -> bool:
    """Network managers, and the organization's contact person."""
    if not user.is_authenticated:
        return False
    return is_network_manager(user) or (
        organization.contact_person_id is not None and organization.contact_person_id == user.pk
    )


def _locked(organization: Organization) -> Organization:
    return Organization.objects.select_for_update().get(pk=organization.pk)


@transaction.atomic
def do_apply_for_membership(actor: User, organization: Organization, note: str) -> Organization:
    """A signed-in person asks for their organization to join; they become its contact person."""
    if not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied(_("Sign in to apply for membership."))
    if organization.pk is not None:
        raise ValidationError(_("This organization is already known to the network."))
    organization.name_th = clean_line(organization.name_th)
    organization.name_en = clean_line(organization.name_en)
    organization.description = clean_text(organization.description).strip()
    organization.application_note = clean_text(note).strip()
    organization.status = MembershipStatus.APPLICANT
    organization.contact_person = actor
    organization.joined_on = organization.left_on = None
    organization.decided_by = None
    organization.decided_at = None
    organization.save()
    return organization


@transaction.atomic
def do_decide_application(actor: User, organization: Organization, *, approve: bool, reason: str = "") -> Organization:
    """Approve (the organization becomes a member today) or reject (a reason is required) an application."""
    _require_manager(actor)
    organization = _locked(organization)
    if organization.status != MembershipStatus.APPLICANT:
        if organization.decided_at is not None:
            raise ValidationError(_("This application has already been decided."))
        raise ValidationError(_("Only an applicant organization can be approved or rejected."))
    reason = clean_text(reason).strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("Give a reason for rejecting the application.")})
    organization.status = MembershipStatus.MEMBER if approve else MembershipStatus.REJECTED
    if approve:
        organization.joined_on = timezone.localdate()
    organization.decided_by = actor
    organization.decided_at = timezone.now()
    organization.decision_reason = reason
    organization.save()
    return organization


# The changes a manager may make to a decided membership: target status -> statuses it may come from.
MEMBERSHIP_CHANGES: dict[str, tuple[str, ...]] = {
    MembershipStatus.SUSPENDED: (MembershipStatus.MEMBER,),
    MembershipStatus.LEFT: (MembershipStatus.MEMBER, MembershipStatus.SUSPENDED),
    MembershipStatus.MEMBER: (MembershipStatus.SUSPENDED,),
}


@transaction.atomic
def do_change_membership(actor: User, organization: Organization, status: str) -> Organization:
    """Suspend a member, mark it as having left (left_on today), or reinstate a suspended member."""
    _require_manager(actor)
    organization = _locked(organization)
    if status not in MEMBERSHIP_CHANGES:
        raise ValidationError(_("This membership change is not possible."))
    if organization.status == status:
        raise ValidationError(_("The organization already has this status."))
    if organization.status not in MEMBERSHIP_CHANGES[status]:
        raise ValidationError(
            _("An organization that is “%(current)s” cannot become “%(new)s”.")
            % {"current": organization.get_status_display(), "new": MembershipStatus(status).label}
        )
    previous = organization.status
    organization.status = status
    if status == MembershipStatus.LEFT:
        organization.left_on = timezone.localdate()
    organization.save()
    membership_changed.send(sender=Organization, organization=organization, previous=previous, actor=actor)
    return organization


@transaction.atomic
def do_save_unit(actor: User, unit: Unit) -> Unit:
    """Add or rename a unit; its parent must be a unit of the same organization and not under itself."""
    organization = unit.organization
    if not can_manage_units(actor, organization):
        raise PermissionDenied(_("Only network managers and the organization's contact person may change its units."))
    unit.name_th = clean_line(unit.name_th)
    unit.name_en = clean_line(unit.name_en)
    if not unit.name_th:
        raise ValidationError({"name_th": _("Give the unit a Thai name.")})
    if unit.parent_id is not None:
        parent = Unit.objects.select_for_update().get(pk=unit.parent_id)
        if parent.organization_id != organization.pk:
            raise ValidationError({"parent": _("A unit can only be part of a unit of the same organization.")})
        node: Unit | None = parent
        while node is not None:
            if unit.pk is not None and node.pk == unit.pk:
                raise ValidationError({"parent": _("A unit cannot be part of itself or of one of its sub-units.")})
            node = node.parent
    unit.save()
    return unit


@transaction.atomic
def do_remove_unit(actor: User, unit: Unit) -> None:
    if not can_manage_units(actor, unit.organization):
        raise PermissionDenied(_("Only network managers and the organization's contact person may change its units."))
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit.children.exists():
        raise ValidationError(_("This unit has sub-units; move or remove them first."))
    unit.delete()


@transaction.atomic
def check_link(link: NetworkLink) -> None:
    """What makes a link valid, for the action and for forms that want to say so beside the field."""
    if link.source_id == link.target_id:
        raise ValidationError({"target": _("An organization cannot be linked to itself.")})
    if link.since is not None and link.since > timezone.localdate():
        raise ValidationError({"since": _("The date cannot be in the future.")})
    if NetworkLink.objects.filter(source_id=link.source_id, target_id=link.target_id, level=link.level).exists():
        raise ValidationError(_("These organizations are already linked at this level."))


def do_add_link(actor: User, link: NetworkLink) -> NetworkLink:
    """Link two different organizations at a level, since a date that is not in the future; once per level."""
    _require_manager(actor)
    check_link(link)
    link.reason = clean_text(link.reason).strip()
    link.created_by = actor
    duplicate = _("These organizations are already linked at this level.")
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError as exc:  # a concurrent request added the same link first
        raise ValidationError(duplicate) from exc
    return link


@transaction.atomic
def do_remove_link(actor: User, link: NetworkLink) -> None:
    _require_manager(actor)
    NetworkLink.objects.filter(pk=link.pk).delete()  # removing twice is harmless


@transaction.atomic
def do_save_profile(actor: User, profile: NetworkProfile) -> NetworkProfile:
    _require_manager(actor)
    if profile.started_on is not None and profile.started_on > timezone.localdate():
        raise ValidationError({"started_on": _("The date cannot be in the future.")})
    profile.pk = 1  # there is only one
    profile.name_th = clean_line(profile.name_th)
    profile.name_en = clean_line(profile.name_en)
    profile.knowledge_vision = clean_text(profile.knowledge_vision).strip()
    profile.save()
    return profile
