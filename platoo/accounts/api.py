"""API v1: people, the directory of who knows what, and the evidence of their expertise.

Read only, for signed-in people; email addresses only to their owner. What depends on who asks (shown
expertise, KM roles held in communities, evidence) comes through the evidence and role registries with
the caller, exactly as on the pages.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from platoo.lib.api import SIGNED_IN, PageIn, PageOut, UtcDateTime, error_responses, paginate, signed_in
from platoo.lib.provinces import REGION_OF, REGIONS
from platoo.network.api import OrganizationBrief

from .evidence import Evidence, EvidenceKind, TopicCount, evidence_for, shown_topics
from .filters import PeopleFilter
from .models import KMRole, User
from .roles import RoleHeld, roles_of

REGION_KEYS = [key for key, _thai, _english in REGIONS]

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
    community: str | None = Field(description="Short name (slug) of the community of practice the role is held in")
    since: str | None = Field(description="ISO date")

    @staticmethod
    def resolve_organization(obj: RoleHeld) -> str | None:
        return obj.place_key if obj.place_kind == "organization" else None

    @staticmethod
    def resolve_community(obj: RoleHeld) -> str | None:
        return obj.place_key if obj.place_kind == "community" else None

    @staticmethod
    def resolve_since(obj: RoleHeld) -> str | None:
        return obj.since.isoformat() if obj.since else None


class ShownTopicOut(Schema):
    slug: str
    name_th: str
    name_en: str


class ShownExpertiseOut(ShownTopicOut):
    count: int = Field(description="Pieces of work on the topic that you may read")

    @staticmethod
    def resolve_slug(obj: TopicCount) -> str:
        return obj.topic.slug

    @staticmethod
    def resolve_name_th(obj: TopicCount) -> str:
        return obj.topic.name_th

    @staticmethod
    def resolve_name_en(obj: TopicCount) -> str:
        return obj.topic.name_en


class ListedPerson:
    """A person with what depends on who asks: the KM roles held where the caller may see, and the topics
    shown by work the caller may read. Everything else is the person's own."""

    def __init__(self, person: User, roles: list[RoleHeld], shown: list[TopicCount]) -> None:
        self.person, self.roles, self.shown = person, roles, shown

    def __getattr__(self, name: str) -> Any:
        return getattr(self.person, name)


def listed(people: list[User], viewer: Any) -> list[ListedPerson]:
    """The people with their roles and shown topics, in a few queries whatever their number."""
    ids = [person.pk for person in people]
    roles, evidence = roles_of(ids, viewer), evidence_for(ids, viewer)
    return [ListedPerson(person, roles[person.pk], shown_topics(evidence[person.pk])) for person in people]


class PersonOut(PersonBrief):
    organization: OrganizationBrief | None
    position: str
    bio: str
    expertise: list[str] = Field(description="Expertise the person declares")
    shown_expertise: list[ShownExpertiseOut] = Field(
        description="Topics of the work the person wrote or presented that you may read, the most evidenced first"
    )
    km_roles: list[KMRoleOut] = Field(description="In organizations, and in communities of practice you may see")
    avatar_url: str | None
    url: str = Field(description="The person's profile page")

    @staticmethod
    def resolve_expertise(obj: ListedPerson) -> list[str]:
        return [e.name for e in obj.expertise.all()]

    @staticmethod
    def resolve_shown_expertise(obj: ListedPerson) -> list[TopicCount]:
        return obj.shown

    @staticmethod
    def resolve_km_roles(obj: ListedPerson) -> list[RoleHeld]:
        return obj.roles

    @staticmethod
    def resolve_avatar_url(obj: ListedPerson, context: dict[str, Any]) -> str | None:
        return context["request"].build_absolute_uri(obj.avatar.url) if obj.avatar else None

    @staticmethod
    def resolve_url(obj: ListedPerson, context: dict[str, Any]) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())


class MeOut(PersonOut):
    email: str


class PersonPage(PageOut):
    items: list[PersonOut]


class PersonFilterIn(Schema):
    q: str | None = Field(
        None,
        max_length=500,
        description="Words to find in names, expertise, positions, organizations, KM roles and shown topics "
        "(Thai found inside compounds too); results come best match first",
    )
    org: str | None = Field(None, max_length=32, description="Code of a member organization")
    role: KMRole | None = Field(
        None, description="A KM role held in an organization, or in a community of practice you may see"
    )
    expertise: str | None = Field(None, max_length=100, description="Declared expertise, ignoring case")
    topic: str | None = Field(
        None,
        max_length=80,
        description="Topic slug: people whose work you may read is on it or its sub-topics, "
        "or who declare expertise of the same name",
    )
    province: str | None = Field(None, max_length=64, description="Province of the person's organization")
    region: str | None = Field(
        None, max_length=16, description="Region of the person's organization: " + ", ".join(REGION_KEYS)
    )


class EvidenceOut(Schema):
    kind: EvidenceKind
    title: str = Field(description="The item written, or the meeting presented at")
    label: str = Field(description="What exactly, when the title is not it: the agenda point presented")
    url: str
    date: UtcDateTime | None
    topics: list[ShownTopicOut]

    @staticmethod
    def resolve_url(obj: Evidence, context: dict[str, Any]) -> str:
        return context["request"].build_absolute_uri(obj.url)


class EvidencePage(PageOut):
    items: list[EvidenceOut]


class EvidenceFilterIn(Schema):
    kind: EvidenceKind | None = Field(None, description="Only this kind of evidence")


def people() -> QuerySet[User]:
    """Active people, with what PersonOut shows of the person themselves loaded in a fixed number of queries."""
    return User.objects.filter(is_active=True).select_related("organization").prefetch_related("expertise")


def _checked(filters: PersonFilterIn) -> PeopleFilter:
    errors = {}
    if filters.province and filters.province not in REGION_OF:
        errors["province"] = _("Unknown province: give its English name, as the organizations' provinces are.")
    if filters.region and filters.region not in REGION_KEYS:
        errors["region"] = _("Unknown region: give one of %(regions)s.") % {"regions": ", ".join(REGION_KEYS)}
    if errors:
        raise ValidationError(errors)
    return PeopleFilter.from_params(
        {name: str(value) for name, value in filters.model_dump(mode="json").items() if value}
    )


@router.get("/people", response={200: PersonPage, **error_responses(401, 422)})
def list_people(request: HttpRequest, filters: Query[PersonFilterIn], page: Query[PageIn]) -> dict[str, Any]:
    """Who knows what: people in the network by Thai name, or best match first when `q` is given.

    Shown expertise and KM roles held in communities include only what you may read or see. Signed-in
    people only.
    """
    viewer = signed_in(request)
    found = _checked(filters).apply(viewer, people())
    result = paginate(found.people, page)  # type: ignore[arg-type]
    result["items"] = listed(result["items"], viewer)
    return result


@router.get("/people/{username}", response={200: PersonOut, **error_responses(401, 404)}, url_name="person")
def get_person(request: HttpRequest, username: str) -> ListedPerson:
    """One person by username. Signed-in people only."""
    return listed([get_object_or_404(people(), username=username)], signed_in(request))[0]


@router.get("/people/{username}/evidence", response={200: EvidencePage, **error_responses(401, 404, 422)})
def list_evidence(
    request: HttpRequest, username: str, filters: Query[EvidenceFilterIn], page: Query[PageIn]
) -> dict[str, Any]:
    """What shows a person's expertise, newest first: knowledge they wrote and agenda points they presented
    at community meetings, each with its topics. Only what you may read. Signed-in people only."""
    person = get_object_or_404(people(), username=username)
    pieces = evidence_for([person.pk], signed_in(request))[person.pk]
    if filters.kind:
        pieces = [piece for piece in pieces if piece.kind == filters.kind]
    items = pieces[page.offset : page.offset + page.limit]
    return {"count": len(pieces), "limit": page.limit, "offset": page.offset, "items": items}


@router.get("/me", response={200: MeOut, **error_responses(401)})
def get_me(request: HttpRequest) -> ListedPerson:
    """Whoever the token or session belongs to, with their email address: a quick check that a token works."""
    me = signed_in(request)
    return listed([get_object_or_404(people(), pk=me.pk)], me)[0]
