"""API v1: the network map, as the page draws it for the caller (same filters, same budget, same notes)."""

from typing import Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from platoo.knowledge.models import Topic
from platoo.lib.api import ANONYMOUS_ALLOWED, ANYONE, error_responses, requester
from platoo.network.models import NetworkLevel, Sector

from .graph import Filters, map_json, tie_choices

router = Router(tags=["network map"], auth=ANYONE)

Region = Literal["north", "northeast", "central", "east", "west", "south"]  # platoo.lib.provinces.REGIONS


class MapFilterIn(Schema):
    level: NetworkLevel | None = Field(None, description="CoPs and network links at this level, and what hangs on them")
    sector: Sector | None = Field(None, description="Organizations of this sector, their people and their CoPs")
    region: Region | None = Field(
        None, description="Organizations in this region (north, northeast, central, east, west, south)"
    )
    topic: str | None = Field(
        None, max_length=80, description="A topic's slug: CoPs with it or a topic under it, and what hangs on them"
    )
    tie: str | None = Field(
        None,
        max_length=32,
        description="One kind of tie only (member, partner, link, reuse, applied and kinds other apps add), "
        "and the nodes it joins",
    )


class MapFiltersOut(Schema):
    level: int | None
    sector: str | None
    region: str | None
    topic: str | None
    tie: str | None


class NodeOut(Schema):
    id: str = Field(description='"organization:3", "community:5" or "person:8" (people for signed-in callers only)')
    type: Literal["organization", "community", "person"]
    label: str
    url: str = Field(description="The node's page, relative to the site")
    degree: int = Field(description="Direct ties drawn (co-participation, derived from them, not counted)")
    sector: str | None = None
    region: str | None = None
    people: int | None = Field(None, description="Organizations, for signed-in callers: their people in this view")
    level: int | None = None
    members: int | None = Field(None, description="CoPs: active members")
    organization: str | None = Field(None, description="People: their organization's node id")


class EdgeOut(Schema):
    id: str
    source: str
    target: str
    kind: str = Field(description="staff, member, partner, link, coparticipation, reuse (and kinds other apps add)")
    level: int | None = Field(description="Network links: their level")
    weight: float = Field(description="How many ties were merged into this one (co-participation: shared occasions)")
    directed: bool


class SummaryOut(Schema):
    nodes: int
    edges: int
    matched: dict[str, int] = Field(description="Nodes by type that matched the filters, before the budget")


class AggregationOut(Schema):
    applied: bool = Field(description="Whether anything was folded or left out to fit the budget")
    people_folded: int = Field(description="People counted in their organization's node instead of drawn")
    hidden_nodes: dict[str, int] = Field(description="Organizations and CoPs left out, by type (the least connected)")
    hidden_edges: dict[str, int] = Field(description="Ties left out, by kind (the weakest)")
    node_budget: int | None
    edge_budget: int | None
    notes: list[str] = Field(description="The same, in words, in the request's language")


class MapOut(Schema):
    filters: MapFiltersOut
    people_shown: bool
    nodes: list[NodeOut]
    edges: list[EdgeOut]
    summary: SummaryOut
    aggregation: AggregationOut


@router.get("/map", response={200: MapOut, **error_responses(404, 422)}, openapi_extra=ANONYMOUS_ALLOWED)
def network_map(request: HttpRequest, filters: Query[MapFilterIn]) -> HttpResponse:
    """The network map the caller may see: member organizations, CoPs (secret ones only for their members),
    people (signed-in callers only) and their ties, fitted to the page's budget; `aggregation` says what was
    folded or left out. A topic that does not exist is a 404; a kind of tie there is not, a 422."""
    topic = None
    if filters.topic:
        topic = Topic.objects.filter(slug=filters.topic).first()
        if topic is None:
            raise Http404
    if filters.tie and filters.tie not in dict(tie_choices()):
        raise ValidationError({"tie": _("There is no such kind of tie: %(tie)s.") % {"tie": filters.tie}})
    chosen = Filters.of(
        level=int(filters.level) if filters.level else None,
        sector=filters.sector or "",
        region=filters.region or "",
        topic=topic,
        tie=filters.tie or "",
    )
    # The cached JSON as it is (the page's data endpoint serves the same bytes): validating thousands of
    # nodes and ties against MapOut on every call took 100-500 ms at 20,000 people.
    return HttpResponse(map_json(requester(request), chosen), content_type="application/json")
