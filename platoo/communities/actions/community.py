"""Writes to communities of practice and their membership. Every change is checked and in one transaction."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from platoo.accounts.models import Invitation, KMRole, User
from platoo.activity import actions as activity
from platoo.activity.models import NotificationKind, Verb
from platoo.knowledge.models import KnowledgeItem, Topic
from platoo.lib.text import clean_line, clean_text
from platoo.lib.visibility import NETWORK_AUDIENCE, PUBLIC_AUDIENCE, audience_of

from ..emails import send_community_invitation
from ..models import (
    STEPS,
    Community,
    CommunityStep,
    CommunityVisibility,
    EmailInvitation,
    Membership,
    SharedItem,
    Stage,
    StageChange,
)

ACTIVE = Membership.Status.ACTIVE
ADMIN = Membership.Role.ADMIN
# Addresses under /communities/ that a community's short name cannot take.
RESERVED_SLUGS = frozenset({"new", "attention"})
# Members with these KM roles run the community's work with its admins: the ten steps, meetings, minutes.
FACILITATING_ROLES = (KMRole.FACILITATOR, KMRole.NOTE_TAKER, KMRole.COORDINATOR)


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
    topic_ids: Sequence[int] = field(default_factory=list)


def membership_of(community: Community, user: User | None) -> Membership | None:
    if user is None or not user.is_authenticated:
        return None
    return Membership.objects.filter(community=community, user=user).first()


def is_admin(community: Community, user: User, membership: Membership | None = None) -> bool:
    if user.is_authenticated and user.is_superuser:
        return True
    m = membership or membership_of(community, user)
    return m is not None and m.is_active_admin


def can_facilitate(community: Community, user: User, membership: Membership | None = None) -> bool:
    """Admins, and active members who facilitate, take notes or coordinate."""
    m = membership or membership_of(community, user)
    if is_admin(community, user, m):
        return True
    return m is not None and m.status == ACTIVE and m.km_role in FACILITATING_ROLES


def is_active_member(community: Community, user: User) -> bool:
    m = membership_of(community, user)
    return m is not None and m.status == ACTIVE


def can_read_content(community: Community, user: User) -> bool:
    return Community.objects.content_readable_by(user).filter(pk=community.pk).exists()


def content_readers(community: Community, people: Iterable[User]) -> list[User]:
    """Those of `people` who may read the community's meetings and discussions (for notifications)."""
    people = [p for p in people if p.is_active]
    if community.visibility == CommunityVisibility.PUBLIC:
        return people
    members = set(
        Membership.objects.filter(community=community, status=ACTIVE, user__in=[p.pk for p in people]).values_list(
            "user_id", flat=True
        )
    )
    return [p for p in people if p.pk in members or p.is_superuser]


def active_members(community: Community) -> list[User]:
    return list(User.objects.filter(community_memberships__community=community, community_memberships__status=ACTIVE))


def admins_of(community: Community) -> list[User]:
    return list(
        User.objects.filter(
            community_memberships__community=community,
            community_memberships__status=ACTIVE,
            community_memberships__role=ADMIN,
        )
    )


def require_admin(community: Community, user: User) -> None:
    if not is_admin(community, user):
        raise PermissionDenied(_("Only the community's admins can do this."))


def locked(community: Community) -> Community:
    """The community row locked for this transaction, so concurrent membership changes queue up."""
    return Community.objects.select_for_update().get(pk=community.pk)


def touch(community: Community, moment: datetime | None = None) -> None:
    """Something happened in the community: its last activity moves on (never back)."""
    moment = moment or timezone.now()
    Community.objects.filter(pk=community.pk).exclude(last_activity_at__gt=moment).update(last_activity_at=moment)


def record(actor: User | None, verb: str, community: Community, *, title: str, url: str, target: str = "") -> None:
    """An activity in the community's feed, read by whoever reads the community's content."""
    subjects = [f"community:{community.pk}"] + ([f"person:{actor.pk}"] if actor else [])
    activity.record(
        actor, verb, title=title, url=url, audience=community.content_audience, subjects=subjects, target=target
    )


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


def _set_relations(community: Community, data: CommunityData) -> None:
    community.organizations.set(data.organization_ids)
    topics = list(Topic.objects.filter(pk__in=data.topic_ids))
    if len(topics) != len(set(data.topic_ids)):
        raise ValidationError({"topics": _("Choose topics from the list.")})
    community.topics.set(topics)


@transaction.atomic
def do_create_community(user: User, data: CommunityData) -> Community:
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied(_("Sign in to start a community."))
    values = _clean(data)
    slug = (data.slug or "").strip()
    if not slug:
        raise ValidationError({"slug": _("Give the community a short name for its address.")})
    if slug in RESERVED_SLUGS:
        raise ValidationError({"slug": _("This short name is reserved; choose another.")})
    if Community.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("This short name is taken; choose another.")})
    now = timezone.now()
    try:
        with transaction.atomic():
            community = Community.objects.create(
                slug=slug, stage=data.stage, created_by=user, last_activity_at=now, **values
            )
    except IntegrityError as error:
        raise ValidationError({"slug": _("This short name is taken; choose another.")}) from error
    _set_relations(community, data)
    Membership.objects.create(community=community, user=user, role=ADMIN, status=ACTIVE, joined_at=now)
    StageChange.objects.create(
        community=community, stage=data.stage, changed_by=user, changed_at=now, note=_("Community started.")
    )
    CommunityStep.objects.bulk_create([CommunityStep(community=community, number=n) for n in STEPS])
    record(user, Verb.COMMUNITY_STARTED, community, title=community.name, url=community.get_absolute_url())
    return community


@transaction.atomic
def do_update_community(user: User, community: Community, data: CommunityData) -> Community:
    require_admin(community, user)
    community = locked(community)
    old_audience = community.content_audience
    for key, value in _clean(data).items():
        setattr(community, key, value)
    community.save()
    _set_relations(community, data)
    if community.content_audience != old_audience:
        # A public CoP made closed or secret takes its feed with it (and the other way round).
        activity.set_audience(subject=f"community:{community.pk}", audience=community.content_audience)
    return community


def _activate(membership: Membership, now: datetime) -> None:
    membership.status = ACTIVE
    membership.joined_at = now
    membership.save(update_fields=["status", "joined_at"])


@transaction.atomic
def do_join(user: User, community: Community) -> tuple[Membership, str]:
    """Join a public CoP at once or ask to join a closed one. Returns the membership and a message."""
    if not user.is_authenticated:
        raise PermissionDenied(_("Sign in to join."))
    community = locked(community)
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
        activity.notify(
            admins_of(community),
            NotificationKind.JOIN_REQUEST,
            actor=user,
            title=community.name,
            url=community.get_absolute_url() + "#requests",
        )
        return m, _("Your request to join has been sent to the admins.")
    m = Membership.objects.create(community=community, user=user, status=ACTIVE, joined_at=now)
    record(user, Verb.JOINED, community, title=community.name, url=community.get_absolute_url())
    touch(community, now)
    return m, _("Welcome to the community.")


@transaction.atomic
def do_decide_request(user: User, membership: Membership, approve: bool) -> None:
    require_admin(membership.community, user)
    community = locked(membership.community)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != Membership.Status.REQUESTED:
        raise ValidationError(_("This request has already been decided."))
    if approve:
        now = timezone.now()
        _activate(membership, now)
        activity.notify(
            [membership.user],
            NotificationKind.REQUEST_APPROVED,
            actor=user,
            title=community.name,
            url=community.get_absolute_url(),
        )
        record(membership.user, Verb.JOINED, community, title=community.name, url=community.get_absolute_url())
        touch(community, now)
    else:
        membership.delete()


def _notify_invited(inviter: User, community: Community, invitee: User) -> None:
    activity.notify(
        [invitee], NotificationKind.INVITATION, actor=inviter, title=community.name, url=community.get_absolute_url()
    )


@transaction.atomic
def do_invite(user: User, community: Community, who: str) -> Membership | EmailInvitation:
    """Invite a person by username or email. An email with no account yet gets a sign-up link; the
    account made with it joins the invitation (link_email_invitations)."""
    require_admin(community, user)
    community = locked(community)
    who = who.strip()
    if "@" in who and "." in who.rpartition("@")[2]:
        invitee = User.objects.filter(email__iexact=who, is_active=True).first()
        if invitee is None:
            return _invite_email(user, community, who)
    else:
        invitee = User.objects.filter(username=who, is_active=True).first()
        if invitee is None:
            raise ValidationError({"username": _("No active account has this username.")})
    existing = membership_of(community, invitee)
    if existing is not None:
        if existing.status == Membership.Status.REQUESTED:
            _activate(existing, timezone.now())
            _notify_invited(user, community, invitee)
            return existing
        raise ValidationError({"username": _("This person is already a member or invited.")})
    membership = Membership.objects.create(
        community=community, user=invitee, status=Membership.Status.INVITED, invited_by=user, joined_at=timezone.now()
    )
    _notify_invited(user, community, invitee)
    return membership


def _invite_email(user: User, community: Community, email: str) -> EmailInvitation:
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError({"username": _("This email address does not look right.")}) from error
    waiting = EmailInvitation.objects.filter(
        community=community, invitation__email__iexact=email, invitation__accepted_at__isnull=True
    ).first()
    if waiting is not None:
        raise ValidationError(
            {"username": _("This email address has already been invited; the invitation is waiting.")}
        )
    # One sign-up link per address, whichever communities invite it.
    signup = Invitation.objects.filter(email__iexact=email, accepted_at__isnull=True).first()
    if signup is None:
        signup = Invitation.objects.create(email=email, invited_by=user)
    invitation = EmailInvitation.objects.create(community=community, invitation=signup, invited_by=user)
    transaction.on_commit(lambda: send_community_invitation(invitation))
    return invitation


def link_email_invitations(user: User, invitation: Invitation | None) -> int:
    """A person signed up with an invitation link: the communities that invited that address invite them.

    Only the link proves the address is theirs, so signing up without it links nothing.
    """
    if invitation is None:
        return 0
    waiting = EmailInvitation.objects.filter(
        invitation__email__iexact=invitation.email, linked_at__isnull=True
    ).select_related("community", "invited_by")
    now = timezone.now()
    linked = 0
    for pending in waiting:
        _membership, created = Membership.objects.get_or_create(
            community=pending.community,
            user=user,
            defaults={"status": Membership.Status.INVITED, "invited_by": pending.invited_by, "joined_at": now},
        )
        if created:
            linked += 1
            if pending.invited_by is not None:
                _notify_invited(pending.invited_by, pending.community, user)
        pending.linked_at = now
        pending.linked_user = user
        pending.save(update_fields=["linked_at", "linked_user"])
    return linked


@transaction.atomic
def do_withdraw_email_invitation(user: User, invitation: EmailInvitation) -> None:
    require_admin(invitation.community, user)
    invitation.delete()


@transaction.atomic
def do_answer_invitation(user: User, community: Community, accept: bool) -> None:
    locked(community)
    m = membership_of(community, user)
    if m is None or m.status != Membership.Status.INVITED:
        raise ValidationError(_("There is no invitation waiting for you here."))
    if accept:
        now = timezone.now()
        _activate(m, now)
        record(user, Verb.JOINED, community, title=community.name, url=community.get_absolute_url())
        touch(community, now)
    else:
        m.delete()


def _other_admins(community: Community, membership: Membership) -> bool:
    return Membership.objects.filter(community=community, role=ADMIN, status=ACTIVE).exclude(pk=membership.pk).exists()


@transaction.atomic
def do_leave(user: User, community: Community) -> None:
    community = locked(community)
    m = membership_of(community, user)
    if m is None:
        raise ValidationError(_("You are not a member of this community."))
    if m.is_active_admin and not _other_admins(community, m):
        raise ValidationError(_("You are the last admin: make another member an admin before you leave."))
    m.delete()


@transaction.atomic
def do_remove_member(user: User, membership: Membership) -> None:
    require_admin(membership.community, user)
    community = locked(membership.community)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.is_active_admin and not _other_admins(community, membership):
        raise ValidationError(_("The last admin cannot be removed."))
    membership.delete()


@transaction.atomic
def do_set_admin(user: User, membership: Membership, make_admin: bool) -> None:
    require_admin(membership.community, user)
    community = locked(membership.community)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != ACTIVE:
        raise ValidationError(_("Only active members can be admins."))
    if not make_admin and membership.is_active_admin and not _other_admins(community, membership):
        raise ValidationError(_("The last admin cannot stop being an admin."))
    membership.role = ADMIN if make_admin else Membership.Role.MEMBER
    membership.save(update_fields=["role"])


@transaction.atomic
def do_set_km_role(user: User, membership: Membership, km_role: str) -> None:
    require_admin(membership.community, user)
    if km_role and km_role not in KMRole.values:
        raise ValidationError(_("Choose a KM role from the list."))
    Membership.objects.filter(pk=membership.pk).update(km_role=km_role)


@transaction.atomic
def do_set_stage(user: User, community: Community, stage: str, note: str = "") -> StageChange:
    require_admin(community, user)
    community = locked(community)
    if stage not in Stage.values:
        raise ValidationError({"stage": _("Choose a stage from the list.")})
    if community.stage == stage:
        raise ValidationError({"stage": _("The community is already at this stage.")})
    community.stage = stage
    community.save(update_fields=["stage"])
    change = StageChange.objects.create(
        community=community, stage=stage, changed_by=user, changed_at=timezone.now(), note=clean_text(note).strip()
    )
    record(
        user,
        Verb.STAGE_CHANGED,
        community,
        title=f"{community.name}: {Stage(stage).label}",
        url=community.get_absolute_url(),
    )
    return change


@transaction.atomic
def do_update_step(user: User, step: CommunityStep, done_on: date | None, notes: str, evidence: str) -> CommunityStep:
    if not can_facilitate(step.community, user):
        raise PermissionDenied(_("Only admins, facilitators, note-takers and coordinators can update the steps."))
    step = CommunityStep.objects.select_for_update().get(pk=step.pk)
    links = [line.strip() for line in clean_text(evidence).splitlines() if line.strip()]
    for link in links:
        if not link.startswith(("https://", "http://", "/")):
            raise ValidationError({"evidence": _("Each line of evidence must be a link (https://…).")})
    if done_on is not None and done_on > timezone.localdate():
        raise ValidationError({"done_on": _("A step cannot be done in the future.")})
    step.done_on = done_on
    step.notes = clean_text(notes)
    step.evidence = "\n".join(links)
    step.save()
    return step


def _feed_audience(community: Community, item: KnowledgeItem) -> str:
    """Who may read "X shared Y here": the community's readers, if they may all read the item too."""
    if audience_of(item.visibility, item.organization_id) in (PUBLIC_AUDIENCE, NETWORK_AUDIENCE):
        return community.content_audience
    return ""


@transaction.atomic
def do_share_item(user: User, community: Community, item: KnowledgeItem) -> tuple[SharedItem, bool]:
    m = membership_of(community, user)
    if m is None or m.status != ACTIVE:
        raise PermissionDenied(_("Only members can share knowledge into the community."))
    if not KnowledgeItem.objects.visible_to(user).filter(pk=item.pk).exists():
        raise PermissionDenied(_("You can only share knowledge you can read."))
    now = timezone.now()
    shared, created = SharedItem.objects.get_or_create(
        community=community, item=item, defaults={"shared_by": user, "shared_at": now}
    )
    if created:
        touch(community, now)
        if audience := _feed_audience(community, item):
            subjects = [f"community:{community.pk}", f"person:{user.pk}"]
            activity.record(
                user,
                Verb.ITEM_SHARED,
                title=item.title,
                url=item.get_absolute_url(),
                audience=audience,
                subjects=subjects,
            )
    return shared, created


@transaction.atomic
def do_unshare_item(user: User, shared: SharedItem) -> None:
    """Admins, and whoever shared it, can take an item out of the community (the item itself stays)."""
    if shared.shared_by_id != user.pk and not is_admin(shared.community, user):
        raise PermissionDenied(_("Only the person who shared it or an admin can remove it."))
    shared.delete()
