from collections import defaultdict
from typing import Any

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platoo.accounts.models import User
from platoo.knowledge.models import KnowledgeItem
from platoo.lib.provinces import PROVINCE_CHOICES

from . import actions
from .forms import (
    ApplicationForm,
    DecisionForm,
    LinkForm,
    MembershipChangeForm,
    OrganizationFilterForm,
    ProfileForm,
    UnitForm,
)
from .models import (
    MembershipStatus,
    NetworkLevel,
    NetworkLink,
    NetworkProfile,
    Organization,
    Sector,
    Unit,
    is_network_manager,
)

ORGANIZATIONS_PER_PAGE = 24
ITEMS_PER_PAGE = 20


def _count_per_organization(queryset: QuerySet[KnowledgeItem] | QuerySet[User]) -> Coalesce:
    rows = queryset.filter(organization=OuterRef("pk")).order_by().values("organization").annotate(n=Count("pk"))
    return Coalesce(Subquery(rows.values("n"), output_field=IntegerField()), 0)


def organization_list(request: HttpRequest) -> HttpResponse:
    form = OrganizationFilterForm(request.GET)
    form.is_valid()
    sector = form.cleaned_data.get("sector") or ""
    province = (form.cleaned_data.get("province") or "").strip()
    manager = is_network_manager(request.user)
    status = (form.cleaned_data.get("status") or "") if manager else ""

    organizations = Organization.objects.visible_to(request.user).filter(status=status or MembershipStatus.MEMBER)
    # Each facet counts what the other filter leaves, so its numbers say what choosing it would show.
    sector_counts = dict(
        (organizations.filter(province=province) if province else organizations)
        .order_by()
        .values_list("sector")
        .annotate(n=Count("pk"))
    )
    province_counts = dict(
        (organizations.filter(sector=sector) if sector else organizations)
        .exclude(province="")
        .order_by()
        .values_list("province")
        .annotate(n=Count("pk"))
    )
    if sector:
        organizations = organizations.filter(sector=sector)
    if province:
        organizations = organizations.filter(province=province)
    organizations = organizations.annotate(
        people_count=_count_per_organization(User.objects.filter(is_active=True)),
        # Through the visibility doorway: a count must not reveal items the viewer may not read.
        item_count=_count_per_organization(KnowledgeItem.objects.visible_to(request.user)),
    ).order_by("name_th")
    page = Paginator(organizations, ORGANIZATIONS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "sector": sector,
        "province": province,
        "status": status,
        "manager": manager,
        "statuses": MembershipStatus.choices,
        "applications": (
            Organization.objects.filter(status=MembershipStatus.APPLICANT).select_related("contact_person")
            if manager and not status
            else []
        ),
        "decision_form": DecisionForm(),
        "sectors": [(value, label, sector_counts.get(value, 0)) for value, label in Sector.choices],
        "provinces": [
            (value, label, province_counts[value]) for value, label in PROVINCE_CHOICES if value in province_counts
        ],
    }
    return render(request, "network/organization_list.html", context)


def _visible_organization(request: HttpRequest, code: str) -> Organization:
    return get_object_or_404(Organization.objects.visible_to(request.user), code=code)


def unit_tree(organization: Organization) -> list[Unit]:
    """The organization's top-level units, each with `subunits` (recursively) filled from one query."""
    children: defaultdict[int | None, list[Unit]] = defaultdict(list)
    for unit in organization.units.order_by("name_th", "pk"):
        children[unit.parent_id].append(unit)
    for siblings in children.values():
        for unit in siblings:
            unit.subunits = children.get(unit.pk, [])  # type: ignore[attr-defined]
    return children[None]


def organization_detail(request: HttpRequest, code: str) -> HttpResponse:
    organization = _visible_organization(request, code)
    manager = is_network_manager(request.user)
    people = (
        organization.people.filter(is_active=True).prefetch_related("km_roles").order_by("name_th", "username")
        if request.user.is_authenticated
        else User.objects.none()
    )
    items = KnowledgeItem.objects.visible_to(request.user).filter(organization=organization).order_by("-created_at")
    page = Paginator(items, ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    links = (
        NetworkLink.objects.visible_to(request.user)
        .filter(Q(source=organization) | Q(target=organization))
        .select_related("source", "target")
        .order_by("level", "since", "pk")
    )
    context = {
        "organization": organization,
        "people": people,
        "page": page,
        "units": unit_tree(organization),
        "links": links,
        "manager": manager,
        "can_manage_units": actions.can_manage_units(request.user, organization),
        "decision_form": DecisionForm(),
        "membership_form": MembershipChangeForm(),
    }
    return render(request, "network/organization_detail.html", context)


def _actor(request: HttpRequest) -> User:
    """The signed-in user (the views that write are behind login_required)."""
    user = request.user
    assert isinstance(user, User)
    return user


def _refused(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _add_errors(form: BaseForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
def apply(request: HttpRequest) -> HttpResponse:
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organization = actions.do_apply_for_membership(
                _actor(request), form.save(commit=False), form.cleaned_data["application_note"]
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Thank you: your application was sent to the network managers."))
            return redirect(organization)
    return render(request, "network/apply.html", {"form": form})


@require_POST
@login_required
def decide(request: HttpRequest, code: str) -> HttpResponse:
    organization = _visible_organization(request, code)
    if not is_network_manager(request.user):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to approve or reject the application."))
    else:
        approve = form.cleaned_data["decision"] == "approve"
        try:
            actions.do_decide_application(
                _actor(request), organization, approve=approve, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            _refused(request, exc)
        else:
            if approve:
                messages.success(request, _("%(name)s is now a member of the network.") % {"name": organization})
            else:
                messages.success(request, _("The application of %(name)s was rejected.") % {"name": organization})
    return redirect(request.POST.get("next") == "list" and "network:list" or organization)


@require_POST
@login_required
def change_membership(request: HttpRequest, code: str) -> HttpResponse:
    organization = _visible_organization(request, code)
    if not is_network_manager(request.user):
        raise PermissionDenied
    form = MembershipChangeForm(request.POST)
    if form.is_valid():
        try:
            organization = actions.do_change_membership(_actor(request), organization, form.cleaned_data["status"])
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(
                request, _("Membership changed to “%(status)s”.") % {"status": organization.get_status_display()}
            )
    else:
        messages.error(request, _("This membership change is not possible."))
    return redirect(organization)


def _unit_manager_organization(request: HttpRequest, code: str) -> Organization:
    organization = _visible_organization(request, code)
    if not actions.can_manage_units(request.user, organization):
        raise PermissionDenied
    return organization


@login_required
def unit_edit(request: HttpRequest, code: str, pk: int | None = None) -> HttpResponse:
    organization = _unit_manager_organization(request, code)
    unit = get_object_or_404(organization.units, pk=pk) if pk is not None else Unit(organization=organization)
    form = UnitForm(request.POST or None, instance=unit, organization=organization)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_save_unit(_actor(request), form.save(commit=False))
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The unit was saved."))
            return redirect(organization)
    return render(request, "network/unit_form.html", {"form": form, "organization": organization, "unit": unit})


@login_required
def unit_remove(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    organization = _unit_manager_organization(request, code)
    unit = organization.units.filter(pk=pk).first()
    if unit is None:
        if request.method == "POST":  # removed already, e.g. by a double submit
            return redirect(organization)
        raise Http404
    if request.method == "POST":
        try:
            actions.do_remove_unit(_actor(request), unit)
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("The unit was removed."))
        return redirect(organization)
    return render(request, "network/unit_confirm_remove.html", {"organization": organization, "unit": unit})


def _links_by_level(links: QuerySet[NetworkLink]) -> list[tuple[Any, list[NetworkLink]]]:
    grouped: defaultdict[int, list[NetworkLink]] = defaultdict(list)
    for link in links:
        grouped[link.level].append(link)
    return [(label, grouped[value]) for value, label in NetworkLevel.choices]


@login_required
def links(request: HttpRequest) -> HttpResponse:
    if not is_network_manager(request.user):
        raise PermissionDenied
    form = LinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_add_link(_actor(request), form.save(commit=False))
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The link was added."))
            return redirect("network:links")
    all_links = NetworkLink.objects.visible_to(request.user).select_related("source", "target")
    return render(request, "network/links.html", {"form": form, "levels": _links_by_level(all_links)})


@require_POST
@login_required
def link_remove(request: HttpRequest, pk: int) -> HttpResponse:
    if not is_network_manager(request.user):
        raise PermissionDenied
    link = NetworkLink.objects.filter(pk=pk).first()
    if link is not None:
        actions.do_remove_link(_actor(request), link)
        messages.success(request, _("The link was removed."))
    return redirect("network:links")


def network_profile(request: HttpRequest) -> HttpResponse:
    profile = NetworkProfile.load()
    sector_counts = dict(Organization.objects.members().order_by().values_list("sector").annotate(n=Count("pk")))
    topic_model: Any = apps.get_model("knowledge", "Topic")  # knowledge depends on network, not the reverse
    links = NetworkLink.objects.visible_to(request.user).select_related("source", "target")
    context = {
        "profile": profile,
        "age": profile.age(),
        "sectors": [(label, sector_counts[value]) for value, label in Sector.choices if sector_counts.get(value)],
        "member_count": sum(sector_counts.values()),
        "critical_topics": topic_model.objects.filter(critical=True).order_by("position", "name_th"),
        "levels": [(label, group) for label, group in _links_by_level(links) if group],
        "manager": is_network_manager(request.user),
    }
    return render(request, "network/profile.html", context)


@login_required
def network_profile_edit(request: HttpRequest) -> HttpResponse:
    if not is_network_manager(request.user):
        raise PermissionDenied
    form = ProfileForm(request.POST or None, instance=NetworkProfile.load())
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_save_profile(_actor(request), form.save(commit=False))
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The network profile was saved."))
            return redirect("network_profile:profile")
    return render(request, "network/profile_form.html", {"form": form})
