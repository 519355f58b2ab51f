"""Pages of communities of practice. Every read goes through Community.objects.visible_to."""

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platoo.activity.actions import activities_about
from platoo.knowledge.models import KnowledgeItem
from platoo.network.models import is_network_manager

from .. import actions
from ..forms import CommunityForm, FilterForm, InviteForm, KMRoleForm, StageForm, StepForm
from ..health import cached_health, fill_monthly, meeting_interval, needing_attention
from ..models import Community, CommunityStep, EmailInvitation, Meeting, Membership, SharedItem, StageChange, Thread
from .base import add_errors, attempt, fail, get_community, user_of

ATTENTION_PAGE_SIZE = 50


def community_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    communities = Community.objects.visible_to(request.user)
    if data.get("level"):
        communities = communities.filter(level=data["level"])
    if data.get("stage"):
        communities = communities.filter(stage=data["stage"])
    communities = communities.annotate(
        member_count=Count("memberships", filter=Q(memberships__status=Membership.Status.ACTIVE))
    ).order_by("name")
    page = Paginator(communities, 50).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "communities": page.object_list,
        "page": page,
        "is_manager": is_network_manager(request.user),
    }
    return render(request, "communities/list.html", context)


def _form_data(form: CommunityForm) -> actions.CommunityData:
    d = form.cleaned_data
    return actions.CommunityData(
        name=d["name"],
        slug=d["slug"],
        domain=d["domain"],
        purpose=d["purpose"],
        level=d["level"],
        visibility=d["visibility"],
        stage=d["stage"],
        organization_ids=[o.pk for o in d["organizations"]],
        topic_ids=d["topics"],
    )


def _save(request: HttpRequest, form: CommunityForm, community: Community | None) -> HttpResponse | None:
    if not form.is_valid():
        return None
    try:
        if community is None:
            community = actions.do_create_community(user_of(request), _form_data(form))
        else:
            community = actions.do_update_community(user_of(request), community, _form_data(form))
    except ValidationError as error:
        add_errors(form, error)
        return None
    messages.success(request, _("Saved."))
    return redirect(community)


@login_required
def community_create(request: HttpRequest) -> HttpResponse:
    form = CommunityForm(request.POST or None)
    if request.method == "POST" and (response := _save(request, form, None)):
        return response
    return render(request, "communities/form.html", {"form": form, "community": None})


@login_required
def community_edit(request: HttpRequest, slug: str) -> HttpResponse:
    community = get_community(request, slug)
    if not actions.is_admin(community, user_of(request)):
        raise PermissionDenied
    initial = {
        "name": community.name,
        "slug": community.slug,
        "domain": community.domain,
        "purpose": community.purpose,
        "level": community.level,
        "visibility": community.visibility,
        "stage": community.stage,
        "organizations": list(community.organizations.all()),
        "topics": list(community.topics.values_list("pk", flat=True)),
    }
    form = CommunityForm(request.POST or None, initial=initial)
    form.fields["slug"].disabled = True
    form.fields["stage"].disabled = True
    if request.method == "POST" and (response := _save(request, form, community)):
        return response
    return render(request, "communities/form.html", {"form": form, "community": community})


def community_detail(request: HttpRequest, slug: str) -> HttpResponse:
    community = get_object_or_404(
        Community.objects.visible_to(request.user).prefetch_related(
            "organizations",
            "topics",
            Prefetch("stage_changes", queryset=StageChange.objects.select_related("changed_by")),
            "steps",
        ),
        slug=slug,
    )
    user = request.user
    memberships = list(
        community.memberships.select_related("user__organization").order_by("user__name_th", "user__username")
    )
    mine = next((m for m in memberships if user.is_authenticated and m.user_id == user.pk), None)
    admin = user.is_authenticated and (user.is_superuser or (mine is not None and mine.is_active_admin))
    active = [m for m in memberships if m.status == Membership.Status.ACTIVE]
    groups: dict[Any, list[Membership]] = defaultdict(list)
    for m in active:
        groups[m.user.organization].append(m)
    grouped = sorted(groups.items(), key=lambda pair: (pair[0] is None, pair[0].name_th if pair[0] else ""))
    shared = SharedItem.objects.filter(
        community=community, item__in=KnowledgeItem.objects.visible_to(user)
    ).select_related("item", "shared_by")[:20]
    reads_content = user.is_authenticated and (
        community.visibility == "public" or user.is_superuser or (mine is not None and mine.status == "active")
    )
    now = timezone.now()
    meetings = threads = []
    if reads_content:
        held = Meeting.objects.filter(community=community, cancelled_at__isnull=True).select_related("community")
        meetings = [
            *held.filter(starts_at__gte=now).order_by("starts_at")[:3],
            *held.filter(starts_at__lt=now).annotate(attendees=Count("attendances")).order_by("-starts_at")[:3],
        ]
        threads = list(
            Thread.objects.filter(community=community)
            .select_related("author", "community")
            .order_by("-last_activity_at")[:5]
        )
    facilitating = user.is_authenticated and actions.can_facilitate(community, user, mine)
    context = {
        "community": community,
        "mine": mine,
        "is_admin": admin,
        "can_facilitate": facilitating,
        "reads_content": reads_content,
        "grouped": grouped if user.is_authenticated else [],
        "member_count": len(active),
        "requests": [m for m in memberships if m.status == Membership.Status.REQUESTED] if admin else [],
        "invitations": [m for m in memberships if m.status == Membership.Status.INVITED] if admin else [],
        "email_invitations": EmailInvitation.objects.filter(community=community, linked_at__isnull=True).select_related(
            "invitation"
        )
        if admin
        else [],
        "shared": shared,
        "meetings": meetings,
        "threads": threads,
        "now": now,
        "health": cached_health(community, now) if reads_content else None,
        # What the member can share in a click: their own latest items not shared here yet.
        "my_items": KnowledgeItem.objects.filter(created_by=mine.user_id if mine else None)
        .exclude(community_shares__community=community)
        .order_by("-created_at")
        .only("pk", "title")[:30]
        if mine is not None and mine.status == Membership.Status.ACTIVE
        else [],
        "activities": activities_about(user, f"community:{community.pk}", 8) if user.is_authenticated else [],
        "meeting_interval_days": meeting_interval().days,
        "stage_form": StageForm(initial={"stage": community.stage}) if admin else None,
        "invite_form": InviteForm() if admin else None,
        "km_role_form": KMRoleForm() if admin else None,
    }
    return render(request, "communities/detail.html", context)


@login_required
def attention(request: HttpRequest) -> HttpResponse:
    """The hub's list of communities needing a hand, with the reasons."""
    if not is_network_manager(request.user):
        raise PermissionDenied
    communities = list(Community.objects.visible_to(request.user).order_by("name"))
    flagged = needing_attention(communities)
    page = Paginator(flagged, ATTENTION_PAGE_SIZE).get_page(request.GET.get("page"))
    fill_monthly({community.pk: health for community, health in page.object_list})
    context = {"page": page, "total": len(communities), "meeting_interval_days": meeting_interval().days}
    return render(request, "communities/attention.html", context)


@login_required
@require_POST
def join(request: HttpRequest, slug: str) -> HttpResponse:
    community = get_community(request, slug)
    attempt(request, lambda: actions.do_join(user_of(request), community)[1])
    return redirect(community)


def _back_to(request: HttpRequest, community: Community) -> HttpResponse:
    """To the community, or to the list when the user can no longer see it (a secret CoP just left)."""
    if Community.objects.visible_to(request.user).filter(pk=community.pk).exists():
        return redirect(community)
    return redirect("communities:list")


@login_required
@require_POST
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    community = get_community(request, slug)
    if not attempt(request, lambda: actions.do_leave(user_of(request), community), _("You have left the community.")):
        return redirect(community)
    return _back_to(request, community)


@login_required
@require_POST
def answer_invitation(request: HttpRequest, slug: str) -> HttpResponse:
    community = get_community(request, slug)
    accept = request.POST.get("answer") == "accept"
    done = _("Welcome to the community.") if accept else _("Invitation declined.")
    attempt(request, lambda: actions.do_answer_invitation(user_of(request), community, accept), done)
    return _back_to(request, community)


@login_required
@require_POST
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    community = get_community(request, slug)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            result = actions.do_invite(user_of(request), community, form.cleaned_data["username"])
            if isinstance(result, EmailInvitation):
                messages.success(
                    request,
                    _("%(email)s has no account yet: we emailed a link to sign up, and the invitation will be waiting.")
                    % {"email": result.invitation.email},
                )
            else:
                messages.success(request, _("Invitation sent."))
        except (ValidationError, PermissionDenied) as error:
            fail(request, error)
    else:
        messages.error(request, _("Enter a username or an email address."))
    return redirect(community)


@login_required
@require_POST
def withdraw_email_invitation(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community = get_community(request, slug)
    invitation = get_object_or_404(EmailInvitation, community=community, pk=pk, linked_at__isnull=True)
    attempt(
        request, lambda: actions.do_withdraw_email_invitation(user_of(request), invitation), _("Invitation withdrawn.")
    )
    return redirect(community)


@login_required
@require_POST
def set_stage(request: HttpRequest, slug: str) -> HttpResponse:
    community = get_community(request, slug)
    form = StageForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        attempt(
            request,
            lambda: actions.do_set_stage(user_of(request), community, d["stage"], d["note"]),
            _("Stage changed."),
        )
    else:
        messages.error(request, _("Choose a stage from the list."))
    return redirect(community)


@login_required
@require_POST
def share(request: HttpRequest, slug: str) -> HttpResponse:
    community = get_community(request, slug)
    raw = (request.POST.get("item") or "").strip().rstrip("/").rpartition("/")[2]
    item = KnowledgeItem.objects.visible_to(request.user).filter(pk=int(raw) if raw.isdigit() else 0).first()
    if item is None:
        messages.error(request, _("There is no knowledge item with that number that you can read."))
        return redirect(community)
    try:
        _shared, created = actions.do_share_item(user_of(request), community, item)
        messages.success(request, _("Shared.") if created else _("This item is already shared here."))
    except (ValidationError, PermissionDenied) as error:
        fail(request, error)
    return redirect(community)


@login_required
@require_POST
def unshare(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community = get_community(request, slug)
    shared = get_object_or_404(SharedItem, community=community, pk=pk)
    done = _("Removed from the community; the item itself is unchanged.")
    attempt(request, lambda: actions.do_unshare_item(user_of(request), shared), done)
    return redirect(community)


@login_required
@require_POST
def manage_member(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community = get_community(request, slug)
    membership = get_object_or_404(Membership, community=community, pk=pk)
    action = request.POST.get("action")
    user = user_of(request)
    try:
        if action in ("approve", "reject"):
            actions.do_decide_request(user, membership, action == "approve")
        elif action == "remove":
            actions.do_remove_member(user, membership)
        elif action in ("make_admin", "unmake_admin"):
            actions.do_set_admin(user, membership, action == "make_admin")
        elif action == "km_role":
            actions.do_set_km_role(user, membership, KMRoleForm(request.POST).data.get("km_role", ""))
        else:
            raise ValidationError(_("Unknown action."))
        messages.success(request, _("Saved."))
    except (ValidationError, PermissionDenied) as error:
        fail(request, error)
    return redirect(community)


@login_required
def step_edit(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    community = get_community(request, slug)
    step = get_object_or_404(CommunityStep, community=community, number=number)
    if not actions.can_facilitate(community, user_of(request)):
        raise PermissionDenied
    initial = {"done_on": step.done_on, "notes": step.notes, "evidence": step.evidence}
    form = StepForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            actions.do_update_step(user_of(request), step, d["done_on"], d["notes"], d["evidence"])
            messages.success(request, _("Saved."))
            return redirect(community)
        except ValidationError as error:
            add_errors(form, error)
    return render(request, "communities/step_form.html", {"form": form, "community": community, "step": step})
