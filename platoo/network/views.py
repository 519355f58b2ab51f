from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from platoo.accounts.models import User
from platoo.knowledge.models import KnowledgeItem
from platoo.lib.provinces import PROVINCE_CHOICES

from .forms import OrganizationFilterForm
from .models import Organization, Sector

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

    organizations = Organization.objects.all()
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
        "sectors": [(value, label, sector_counts.get(value, 0)) for value, label in Sector.choices],
        "provinces": [
            (value, label, province_counts[value]) for value, label in PROVINCE_CHOICES if value in province_counts
        ],
    }
    return render(request, "network/organization_list.html", context)


def organization_detail(request: HttpRequest, code: str) -> HttpResponse:
    organization = get_object_or_404(Organization, code=code)
    people = (
        organization.people.filter(is_active=True).prefetch_related("km_roles").order_by("name_th", "username")
        if request.user.is_authenticated
        else User.objects.none()
    )
    items = KnowledgeItem.objects.visible_to(request.user).filter(organization=organization).order_by("-created_at")
    page = Paginator(items, ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"organization": organization, "people": people, "page": page}
    return render(request, "network/organization_detail.html", context)
