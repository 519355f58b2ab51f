"""Pages of communities of practice. Every read goes through Community.objects.visible_to."""

from collections import defaultdict
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platoo.accounts.models import User
from platoo.knowledge.models import KnowledgeItem

from . import actions
from .forms import CommunityForm, FilterForm, InviteForm, KMRoleForm, StageForm, StepForm
from .models import Community, CommunityStep, Membership, SharedItem


def _get(request: HttpRequest, slug: str) -> Community:
    return get_object_or_404(Community.objects.visible_to(request.user), slug=slug)


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _fail(request: HttpRequest, error: ValidationError | PermissionDenied) -> None:
    if isinstance(error, ValidationError):
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.error(request, str(error) or _("You may not do this."))


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
    return render(request, "communities/list.html", {"form": form, "communities": communities})


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
    )


def _save(request: HttpRequest, form: CommunityForm, community: Community | None) -> HttpResponse | None:
    if not form.is_valid():
        return None
    try:
        if community is None:
            community = actions.do_create_community(_user(request), _form_data(form))
        else:
            community = actions.do_update_community(_user(request), community, _form_data(form))
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for key, errors in error.error_dict.items():
                for e in errors:
                    form.add_error(key if key in form.fields else None, e)
        else:
            form.add_error(None, error)
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
    community = _get(request, slug)
    if not actions.is_admin(community, _user(request)):
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
            Prefetch("stage_changes", queryset=StageChangeQS()),
            "steps",
        ),
        slug=slug,
    )
    memberships = list(
        community.memberships.select_related("user__organization").order_by("user__name_th", "user__username")
    )
    user = request.user
    mine = next((m for m in memberships if user.is_authenticated and m.user_id == user.pk), None)
    admin = user.is_authenticated and (user.is_superuser or (mine is not None and mine.is_active_admin))
    active = [m for m in memberships if m.status == Membership.Status.ACTIVE]
    groups: dict[Any, list[Membership]] = defaultdict(list)
    for m in active:
        groups[m.user.organization].append(m)
    grouped = sorted(groups.items(), key=lambda pair: (pair[0] is None, pair[0].name_th if pair[0] else ""))
    shared = SharedItem.objects.filter(
        community=community, item__in=KnowledgeItem.objects.visible_to(user)
    ).select_related("item", "shared_by")
    can_steps = admin or (
        mine is not None and mine.status == Membership.Status.ACTIVE and mine.km_role in ("facilitator", "note_taker")
    )
    context = {
        "community": community,
        "mine": mine,
        "is_admin": admin,
        "can_edit_steps": can_steps,
        "grouped": grouped,
        "member_count": len(active),
        "requests": [m for m in memberships if m.status == Membership.Status.REQUESTED] if admin else [],
        "invitations": [m for m in memberships if m.status == Membership.Status.INVITED] if admin else [],
        "shared": shared,
        "stage_form": StageForm(initial={"stage": community.stage}) if admin else None,
        "invite_form": InviteForm() if admin else None,
        "km_role_form": KMRoleForm() if admin else None,
    }
    return render(request, "communities/detail.html", context)


def StageChangeQS() -> Any:  # noqa: N802 - reads as the queryset it is
    from .models import StageChange

    return StageChange.objects.select_related("changed_by")


@login_required
@require_POST
def join(request: HttpRequest, slug: str) -> HttpResponse:
    community = _get(request, slug)
    try:
        _membership, text = actions.do_join(_user(request), community)
        messages.info(request, text)
    except (ValidationError, PermissionDenied) as error:
        _fail(request, error)
    return redirect(community)


@login_required
@require_POST
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    community = _get(request, slug)
    try:
        actions.do_leave(_user(request), community)
        messages.success(request, _("You have left the community."))
    except (ValidationError, PermissionDenied) as error:
        _fail(request, error)
        return redirect(community)
    if Community.objects.visible_to(request.user).filter(pk=community.pk).exists():
        return redirect(community)
    return redirect("communities:list")


@login_required
@require_POST
def answer_invitation(request: HttpRequest, slug: str) -> HttpResponse:
    community = _get(request, slug)
    accept = request.POST.get("answer") == "accept"
    try:
        actions.do_answer_invitation(_user(request), community, accept)
        messages.success(request, _("Welcome to the community.") if accept else _("Invitation declined."))
    except (ValidationError, PermissionDenied) as error:
        _fail(request, error)
    if Community.objects.visible_to(request.user).filter(pk=community.pk).exists():
        return redirect(community)
    return redirect("communities:list")


@login_required
@require_POST
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    community = _get(request, slug)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            actions.do_invite(_user(request), community, form.cleaned_data["username"])
            messages.success(request, _("Invitation sent."))
        except (ValidationError, PermissionDenied) as error:
            _fail(request, error)
    else:
        messages.error(request, _("Enter a username."))
    return redirect(community)


@login_required
@require_POST
def set_stage(request: HttpRequest, slug: str) -> HttpResponse:
    community = _get(request, slug)
    form = StageForm(request.POST)
    if form.is_valid():
        try:
            actions.do_set_stage(_user(request), community, form.cleaned_data["stage"], form.cleaned_data["note"])
            messages.success(request, _("Stage changed."))
        except (ValidationError, PermissionDenied) as error:
            _fail(request, error)
    else:
        messages.error(request, _("Choose a stage from the list."))
    return redirect(community)


@login_required
@require_POST
def share(request: HttpRequest, slug: str) -> HttpResponse:
    community = _get(request, slug)
    raw = (request.POST.get("item") or "").strip()
    item = get_object_or_404(KnowledgeItem.objects.visible_to(request.user), pk=int(raw) if raw.isdigit() else 0)
    try:
        _shared, created = actions.do_share_item(_user(request), community, item)
        messages.success(request, _("Shared.") if created else _("This item is already shared here."))
    except (ValidationError, PermissionDenied) as error:
        _fail(request, error)
    return redirect(community)


@login_required
@require_POST
def manage_member(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community = _get(request, slug)
    membership = get_object_or_404(Membership, community=community, pk=pk)
    action = request.POST.get("action")
    user = _user(request)
    try:
        if action in ("approve", "reject"):
            actions.do_decide_request(user, membership, action == "approve")
        elif action == "remove":
            actions.do_remove_member(user, membership)
        elif action in ("make_admin", "unmake_admin"):
            actions.do_set_admin(user, membership, action == "make_admin")
        elif action == "km_role":
            form = KMRoleForm(request.POST)
            actions.do_set_km_role(user, membership, form.data.get("km_role", ""))
        else:
            raise ValidationError(_("Unknown action."))
        messages.success(request, _("Saved."))
    except (ValidationError, PermissionDenied) as error:
        _fail(request, error)
    return redirect(community)


@login_required
def step_edit(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    community = _get(request, slug)
    step = get_object_or_404(CommunityStep, community=community, number=number)
    if not actions.can_edit_steps(community, _user(request)):
        raise PermissionDenied
    initial = {"done_on": step.done_on, "notes": step.notes, "evidence": step.evidence}
    form = StepForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            actions.do_update_step(_user(request), step, d["done_on"], d["notes"], d["evidence"])
            messages.success(request, _("Saved."))
            return redirect(community)
        except ValidationError as error:
            for key, errors in getattr(error, "error_dict", {None: error.error_list}).items():
                for e in errors:
                    form.add_error(key, e)
    return render(request, "communities/step_form.html", {"form": form, "community": community, "step": step})
