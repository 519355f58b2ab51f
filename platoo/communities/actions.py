"""Writes to communities of practice. Every change goes through here, checked and in one transaction."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from platoo.accounts.models import KMRole, User
from platoo.knowledge.models import KnowledgeItem
from platoo.lib.text import clean_line, clean_text

from .models import STEPS, Community, CommunityStep, CommunityVisibility, Membership, SharedItem, Stage, StageChange

ACTIVE = Membership.Status.ACTIVE
ADMIN = Membership.Role.ADMIN


@dataclass
class CommunityData:
    name: str
    slug: str
    domain: str
    level: int
    purpose: str = ""
    visibility: str = CommunityVisibility.PUBLIC
    stage: str = Stage.POTENTIAL
    organization_ids: Sequence[int] = field(default_factory=list)


def membership_of(community: Community, user: User | None) -> Membership | None:
    if user is None or not user.is_authenticated:
        return None
    return Membership.objects.filter(community=community, user=user).first()


def is_admin(community: Community, user: User) -> bool:
    if user.is_authenticated and user.is_superuser:
        return True
    m = membership_of(community, user)
    return m is not None and m.is_active_admin


def _require_admin(community: Community, user: User) -> None:
    if not is_admin(community, user):
        raise PermissionDenied(_("Only the community's admins can do this."))


def _locked(community: Community) -> Community:
    """The community row locked for this transaction, so concurrent membership changes queue up."""
    return Community.objects.select_for_update().get(pk=community.pk)


def _clean(data: CommunityData) -> dict[str, object]:
    name = clean_line(data.name)
    if not name:
        raise ValidationError({"name": _("The name cannot be empty or only spaces.")})
    domain = clean_line(data.domain)
    if not domain:
        raise ValidationError({"domain": _("Say what the community learns about.")})
    if data.visibility not in CommunityVisibility.values:
        raise ValidationError({"visibility": _("Choose a visibility from the list.")})
    if data.stage not in Stage.values:
        raise ValidationError({"stage": _("Choose a stage from the list.")})
    return {
        "name": name,
        "domain": domain,
        "purpose": clean_text(data.purpose),
        "level": data.level,
        "visibility": data.visibility,
    }


@transaction.atomic
def do_create_community(user: User, data: CommunityData) -> Community:
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied(_("Sign in to start a community."))
    values = _clean(data)
    slug = (data.slug or "").strip()
    if not slug:
        raise ValidationError({"slug": _("Give the community a short name for its address.")})
    if Community.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("This short name is taken; choose another.")})
    now = timezone.now()
    try:
        with transaction.atomic():
            community = Community.objects.create(slug=slug, stage=data.stage, created_by=user, **values)
    except IntegrityError as error:
        raise ValidationError({"slug": _("This short name is taken; choose another.")}) from error
    community.organizations.set(data.organization_ids)
    Membership.objects.create(community=community, user=user, role=ADMIN, status=ACTIVE, joined_at=now)
    StageChange.objects.create(
        community=community, stage=data.stage, changed_by=user, changed_at=now, note=_("Community started.")
    )
    CommunityStep.objects.bulk_create([CommunityStep(community=community, number=n) for n in STEPS])
    return community


@transaction.atomic
def do_update_community(user: User, community: Community, data: CommunityData) -> Community:
    _require_admin(community, user)
    community = _locked(community)
    for key, value in _clean(data).items():
        setattr(community, key, value)
    community.save()
    community.organizations.set(data.organization_ids)
    return community


@transaction.atomic
def do_join(user: User, community: Community) -> tuple[Membership, str]:
    """Join a public CoP at once or ask to join a closed one. Returns the membership and a message."""
    if not user.is_authenticated:
        raise PermissionDenied(_("Sign in to join."))
    community = _locked(community)
    existing = membership_of(community, user)
    if existing is not None:
        if existing.status == ACTIVE:
            return existing, _("You are already a member of this community.")
        if existing.status == Membership.Status.REQUESTED:
            return existing, _("Your request to join is already waiting for an admin.")
        return existing, _("You have been invited: accept the invitation to join.")
    if community.visibility == CommunityVisibility.SECRET:
        raise PermissionDenied(_("This community is joined by invitation only."))
    now = timezone.now()
    if community.visibility == CommunityVisibility.CLOSED:
        m = Membership.objects.create(community=community, user=user, status=Membership.Status.REQUESTED, joined_at=now)
        return m, _("Your request to join has been sent to the admins.")
    m = Membership.objects.create(community=community, user=user, status=ACTIVE, joined_at=now)
    return m, _("Welcome to the community.")


@transaction.atomic
def do_decide_request(user: User, membership: Membership, approve: bool) -> None:
    _require_admin(membership.community, user)
    _locked(membership.community)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != Membership.Status.REQUESTED:
        raise ValidationError(_("This request has already been decided."))
    if approve:
        membership.status = ACTIVE
        membership.joined_at = timezone.now()
        membership.save(update_fields=["status", "joined_at"])
    else:
        membership.delete()


@transaction.atomic
def do_invite(user: User, community: Community, username: str) -> Membership:
    _require_admin(community, user)
    community = _locked(community)
    invitee = User.objects.filter(username=username.strip(), is_active=True).first()
    if invitee is None:
        raise ValidationError({"username": _("No active account has this username.")})
    existing = membership_of(community, invitee)
    if existing is not None:
        if existing.status == Membership.Status.REQUESTED:
            existing.status = ACTIVE
            existing.joined_at = timezone.now()
            existing.save(update_fields=["status", "joined_at"])
            return existing
        raise ValidationError({"username": _("This person is already a member or invited.")})
    return Membership.objects.create(
        community=community, user=invitee, status=Membership.Status.INVITED, invited_by=user, joined_at=timezone.now()
    )


@transaction.atomic
def do_answer_invitation(user: User, community: Community, accept: bool) -> None:
    _locked(community)
    m = membership_of(community, user)
    if m is None or m.status != Membership.Status.INVITED:
        raise ValidationError(_("There is no invitation waiting for you here."))
    if accept:
        m.status = ACTIVE
        m.joined_at = timezone.now()
        m.save(update_fields=["status", "joined_at"])
    else:
        m.delete()


def _other_admins(community: Community, membership: Membership) -> bool:
    return Membership.objects.filter(community=community, role=ADMIN, status=ACTIVE).exclude(pk=membership.pk).exists()


@transaction.atomic
def do_leave(user: User, community: Community) -> None:
    community = _locked(community)
    m = membership_of(community, user)
    if m is None:
        raise ValidationError(_("You are not a member of this community."))
    if m.is_active_admin and not _other_admins(community, m):
        raise ValidationError(_("You are the last admin: make another member an admin before you leave."))
    m.delete()


@transaction.atomic
def do_remove_member(user: User, membership: Membership) -> None:
    _require_admin(membership.community, user)
    community = _locked(membership.community)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.is_active_admin and not _other_admins(community, membership):
        raise ValidationError(_("The last admin cannot be removed."))
    membership.delete()


@transaction.atomic
def do_set_admin(user: User, membership: Membership, make_admin: bool) -> None:
    _require_admin(membership.community, user)
    community = _locked(membership.community)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != ACTIVE:
        raise ValidationError(_("Only active members can be admins."))
    if not make_admin and membership.is_active_admin and not _other_admins(community, membership):
        raise ValidationError(_("The last admin cannot stop being an admin."))
    membership.role = ADMIN if make_admin else Membership.Role.MEMBER
    membership.save(update_fields=["role"])


@transaction.atomic
def do_set_km_role(user: User, membership: Membership, km_role: str) -> None:
    _require_admin(membership.community, user)
    if km_role and km_role not in KMRole.values:
        raise ValidationError(_("Choose a KM role from the list."))
    Membership.objects.filter(pk=membership.pk).update(km_role=km_role)


@transaction.atomic
def do_set_stage(user: User, community: Community, stage: str, note: str = "") -> StageChange:
    _require_admin(community, user)
    community = _locked(community)
    if stage not in Stage.values:
        raise ValidationError({"stage": _("Choose a stage from the list.")})
    if community.stage == stage:
        raise ValidationError({"stage": _("The community is already at this stage.")})
    community.stage = stage
    community.save(update_fields=["stage"])
    return StageChange.objects.create(
        community=community, stage=stage, changed_by=user, changed_at=timezone.now(), note=clean_text(note).strip()
    )


def can_edit_steps(community: Community, user: User) -> bool:
    if is_admin(community, user):
        return True
    m = membership_of(community, user)
    return m is not None and m.status == ACTIVE and m.km_role in (KMRole.FACILITATOR, KMRole.NOTE_TAKER)


@transaction.atomic
def do_update_step(user: User, step: CommunityStep, done_on: date | None, notes: str, evidence: str) -> CommunityStep:
    if not can_edit_steps(step.community, user):
        raise PermissionDenied(_("Only admins, facilitators and note-takers can update the steps."))
    step = CommunityStep.objects.select_for_update().get(pk=step.pk)
    links = [line.strip() for line in clean_text(evidence).splitlines() if line.strip()]
    for link in links:
        if not link.startswith(("https://", "http://", "/")):
            raise ValidationError({"evidence": _("Each line of evidence must be a link (https://…).")})
    step.done_on = done_on
    step.notes = clean_text(notes)
    step.evidence = "\n".join(links)
    step.save()
    return step


@transaction.atomic
def do_share_item(user: User, community: Community, item: KnowledgeItem) -> tuple[SharedItem, bool]:
    m = membership_of(community, user)
    if m is None or m.status != ACTIVE:
        raise PermissionDenied(_("Only members can share knowledge into the community."))
    if not KnowledgeItem.objects.visible_to(user).filter(pk=item.pk).exists():
        raise PermissionDenied(_("You can only share knowledge you can read."))
    shared, created = SharedItem.objects.get_or_create(
        community=community, item=item, defaults={"shared_by": user, "shared_at": timezone.now()}
    )
    return shared, created
