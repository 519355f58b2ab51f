"""API v1: people (read only, for signed-in people; email addresses only to their owner)."""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from platoo.lib.api import SIGNED_IN, PageIn, PageOut, error_responses, paginate, signed_in
from platoo.network.api import OrganizationBrief

from .models import KMRole, KMRoleHolding, User

router = Router(tags=["people"], auth=SIGNED_IN)


class PersonBrief(Schema):
    """A person as other resources mention them."""

    id: int
    username: str
    name_th: str
    name_en: str
    display_name: str = Field(description="The name to show, in the request's language")


class KMRoleOut(Schema):
    role: KMRole
    organization: str | None = Field(description="Code of the organization the role is held in")
    since: str | None = Field(description="ISO date")

    @staticmethod
    def resolve_organization(obj: KMRoleHolding) -> str | None:
        return obj.organization.code if obj.organization else None

    @staticmethod
    def resolve_since(obj: KMRoleHolding) -> str | None:
        return obj.since.isoformat() if obj.since else None


class PersonOut(PersonBrief):
    organization: OrganizationBrief | None
    position: str
    bio: str
    expertise: list[str]
    km_roles: list[KMRoleOut]
    avatar_url: str | None
    url: str = Field(description="The person's profile page")

    @staticmethod
    def resolve_expertise(obj: User) -> list[str]:
        return [e.name for e in obj.expertise.all()]

    @staticmethod
    def resolve_km_roles(obj: User) -> list[KMRoleHolding]:
        return list(obj.km_roles.all())

    @staticmethod
    def resolve_avatar_url(obj: User, context: dict[str, Any]) -> str | None:
        return context["request"].build_absolute_uri(obj.avatar.url) if obj.avatar else None

    @staticmethod
    def resolve_url(obj: User, context: dict[str, Any]) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())


class MeOut(PersonOut):
    email: str


class PersonPage(PageOut):
    items: list[PersonOut]


class PersonFilterIn(Schema):
    org: str | None = Field(None, max_length=32, description="Organization code")
    role: KMRole | None = Field(None, description="A KM role held")


def people() -> QuerySet[User]:
    """Active people, with what PersonOut shows loaded in a fixed number of queries."""
    return (
        User.objects.filter(is_active=True)
        .select_related("organization")
        .prefetch_related("expertise", Prefetch("km_roles", KMRoleHolding.objects.select_related("organization")))
    )


@router.get("/people", response={200: PersonPage, **error_responses(401)})
def list_people(request: HttpRequest, filters: Query[PersonFilterIn], page: Query[PageIn]) -> dict[str, Any]:
    """People in the network, by Thai name. Signed-in people only."""
    found = people().order_by("name_th", "username")
    if filters.org:
        found = found.filter(organization__code=filters.org)
    if filters.role:
        found = found.filter(pk__in=User.objects.filter(km_roles__role=filters.role).values("pk"))
    return paginate(found, page)


@router.get("/people/{username}", response={200: PersonOut, **error_responses(401, 404)}, url_name="person")
def get_person(request: HttpRequest, username: str) -> User:
    """One person by username. Signed-in people only."""
    return get_object_or_404(people(), username=username)


@router.get("/me", response={200: MeOut, **error_responses(401)})
def get_me(request: HttpRequest) -> User:
    """Whoever the token or session belongs to, with their email address: a quick check that a token works."""
    return get_object_or_404(people(), pk=signed_in(request).pk)
