"""API v1: member organizations (read only; anyone may read them, like their pages)."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from platoo.lib.api import ANONYMOUS_ALLOWED, ANYONE, PageIn, PageOut, error_responses, paginate

from .models import Organization, Sector

router = Router(tags=["organizations"], auth=ANYONE)


class OrganizationBrief(Schema):
    """An organization as other resources mention it."""

    id: int
    code: str
    name_th: str
    name_en: str


class OrganizationOut(OrganizationBrief):
    sector: Sector
    province: str = Field(description="Province code, empty when not given")
    website: str
    logo_url: str | None
    description: str
    url: str = Field(description="The organization's page")

    @staticmethod
    def resolve_logo_url(obj: Organization, context: dict[str, Any]) -> str | None:
        return context["request"].build_absolute_uri(obj.logo.url) if obj.logo else None

    @staticmethod
    def resolve_url(obj: Organization, context: dict[str, Any]) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())


class OrganizationPage(PageOut):
    items: list[OrganizationOut]


class OrganizationFilterIn(Schema):
    sector: Sector | None = None
    province: str | None = Field(None, max_length=64, description="Province code")


@router.get("", response=OrganizationPage, openapi_extra=ANONYMOUS_ALLOWED)
def list_organizations(
    request: HttpRequest, filters: Query[OrganizationFilterIn], page: Query[PageIn]
) -> dict[str, Any]:
    """Member organizations by Thai name."""
    organizations: QuerySet[Organization] = (
        Organization.objects.visible_to(request.user).members().order_by("name_th", "pk")
    )
    if filters.sector:
        organizations = organizations.filter(sector=filters.sector)
    if filters.province:
        organizations = organizations.filter(province=filters.province)
    return paginate(organizations, page)


@router.get(
    "/{code}",
    response={200: OrganizationOut, **error_responses(404)},
    url_name="organization",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def get_organization(request: HttpRequest, code: str) -> Organization:
    """One organization by its short code."""
    return get_object_or_404(Organization.objects.visible_to(request.user), code=code)
