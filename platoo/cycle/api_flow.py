"""API v1: syntheses (read, write) and applications (list, record) of the critical knowledge cycle (mounted
beside api.py's router under /cycle).

Reads go through KnowledgeItem.objects.visible_to: a synthesis one may not read is a 404, and a source of
a synthesis one may not read is listed as `readable: false` with no title or id. Writes go through the
actions, with an `Idempotency-Key` header so a repeated request returns what the first one made.
"""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Header, Query, Router, Schema

from platoo.knowledge.models import KnowledgeItem
from platoo.lib.api import (
    ANONYMOUS_ALLOWED,
    ANYONE,
    SIGNED_IN,
    PageIn,
    PageOut,
    UtcDateTime,
    error_responses,
    paginate,
    requester,
    signed_in,
)
from platoo.lib.visibility import Visibility
from platoo.network.api import OrganizationBrief

from .actions import ApplicationData, ClaimData, SynthesisData, do_create_synthesis, do_record_application, is_flow
from .flow import readable_applications
from .models import Application, ApplicationResult, ClaimKind, Stage, Synthesis

router = Router(tags=["cycle"], auth=ANYONE)


class SourceOut(Schema):
    number: int = Field(description="Its number in the synthesis, which claims refer to")
    readable: bool = Field(description="False: a source you may not read (its title and id are not given)")
    item_id: int | None
    title: str | None
    url: str | None


class ClaimOut(Schema):
    """One statement; core principles first, then conditions for success, then where it failed."""

    kind: ClaimKind
    text: str
    sources: list[int] = Field(description="The numbers of the sources it rests on")


class SynthesisOut(Schema):
    id: int = Field(description="The id of the synthesis, which is also its knowledge item's id")
    url: str = Field(description="The synthesis page")
    item_url: str = Field(description="Its knowledge item's page")
    title: str
    summary: str
    conditions: str = Field(description="An overview of the conditions for success")
    failures: str = Field(description="An overview of where it did not work")
    visibility: Visibility
    stage: Stage | None = Field(description="Where the synthesis stands in the cycle")
    sources: list[SourceOut]
    claims: list[ClaimOut]
    version: int = Field(description="The knowledge item's version")
    created_at: UtcDateTime


class SynthesisPage(PageOut):
    items: list[SynthesisOut]


def _synthesis_out(request: HttpRequest, synthesis: Synthesis) -> dict[str, Any]:
    user = requester(request)
    rows = list(synthesis.sources.all())
    readable = set(
        KnowledgeItem.objects.visible_to(user).filter(pk__in=[r.item_id for r in rows]).values_list("pk", flat=True)
    )
    number = {row.pk: n for n, row in enumerate(rows, start=1)}
    item = synthesis.item
    critical = getattr(item, "critical", None)
    return {
        "id": synthesis.pk,
        "url": request.build_absolute_uri(synthesis.get_absolute_url()),
        "item_url": request.build_absolute_uri(item.get_absolute_url()),
        "title": item.title,
        "summary": item.summary,
        "conditions": synthesis.conditions,
        "failures": synthesis.failures,
        "visibility": item.visibility,
        "stage": critical.stage if critical else None,
        "sources": [
            {
                "number": number[row.pk],
                "readable": row.item_id in readable,
                "item_id": row.item_id if row.item_id in readable else None,
                "title": row.item.title if row.item_id in readable else None,
                "url": request.build_absolute_uri(row.item.get_absolute_url()) if row.item_id in readable else None,
            }
            for row in rows
        ],
        "claims": [
            {"kind": c.kind, "text": c.text, "sources": sorted(number[s.pk] for s in c.sources.all())}
            for c in sorted(synthesis.claims.all(), key=lambda c: (ClaimKind.values.index(c.kind), c.position, c.pk))
        ],
        "version": item.version,
        "created_at": synthesis.created_at,
    }


def _syntheses(request: HttpRequest) -> QuerySet[Synthesis]:
    readable = KnowledgeItem.objects.visible_to(requester(request))
    return (
        Synthesis.objects.filter(item__in=readable)
        .select_related("item", "item__critical")
        .prefetch_related("sources__item", "claims__sources")
    )


@router.get("/syntheses", response={200: SynthesisPage, **error_responses(401, 422)}, openapi_extra=ANONYMOUS_ALLOWED)
def list_syntheses(request: HttpRequest, page: Query[PageIn]) -> dict[str, Any]:
    """Syntheses you may read, newest first."""
    found = paginate(_syntheses(request).order_by("-created_at", "-pk"), page)
    found["items"] = [_synthesis_out(request, s) for s in found["items"]]
    return found


@router.get(
    "/syntheses/{synthesis_id}",
    response={200: SynthesisOut, **error_responses(401, 404)},
    openapi_extra=ANONYMOUS_ALLOWED,
)
def get_synthesis(request: HttpRequest, synthesis_id: int) -> dict[str, Any]:
    """One synthesis with its sources and claims. 404 when it does not exist or is not shared with you."""
    return _synthesis_out(request, get_object_or_404(_syntheses(request), pk=synthesis_id))


class ClaimIn(Schema):
    kind: ClaimKind = ClaimKind.PRINCIPLE
    text: str = Field(max_length=4000)
    sources: list[int] = Field(max_length=50, description="Ids of the source items it rests on (at least one)")


class SynthesisIn(Schema):
    title: str = Field(max_length=250)
    summary: str = Field("", max_length=1000)
    sources: list[int] = Field(max_length=50, description="Ids of verified items you may read; at least two")
    claims: list[ClaimIn] = Field(max_length=60, description="At least one core principle")
    conditions: str = Field("", max_length=8000)
    failures: str = Field("", max_length=8000)
    visibility: Visibility = Visibility.NETWORK


@router.post("/syntheses", response={201: SynthesisOut, **error_responses(401, 403, 422)}, auth=SIGNED_IN)
def create_synthesis(
    request: HttpRequest,
    data: SynthesisIn,
    idempotency_key: str = Header(
        "",
        alias="Idempotency-Key",
        max_length=64,
        description="Any unique string; sending the same request again with it returns the synthesis already made",
    ),
) -> tuple[int, dict[str, Any]]:
    """Write a synthesis of verified items (members of an expert panel and the hub). It enters the cycle as
    captured knowledge, and its sources move on to "synthesized"."""
    synthesis = do_create_synthesis(
        signed_in(request),
        SynthesisData(
            title=data.title,
            summary=data.summary,
            source_ids=data.sources,
            claims=[ClaimData(c.text, c.sources, c.kind) for c in data.claims],
            conditions=data.conditions,
            failures=data.failures,
            visibility=data.visibility,
        ),
        idempotency_key=idempotency_key,
    )
    return 201, _synthesis_out(request, _syntheses(request).get(pk=synthesis.pk))


class ApplicationOut(Schema):
    id: int
    item_id: int
    item_title: str
    organization: OrganizationBrief
    learned_from: OrganizationBrief | None = Field(description="The organization the knowledge came from")
    between_organizations: bool = Field(description="False when an organization applied its own knowledge")
    applied_on: datetime.date
    where: str
    adaptation: str
    result: ApplicationResult
    result_note: str
    evidence: str
    recorded_at: UtcDateTime

    @staticmethod
    def resolve_item_title(obj: Application) -> str:
        return obj.item.title

    @staticmethod
    def resolve_between_organizations(obj: Application) -> bool:
        return is_flow(obj)


class ApplicationPage(PageOut):
    items: list[ApplicationOut]


class ApplicationFilterIn(Schema):
    item: int | None = Field(None, description="Applications of this item")
    organization: str | None = Field(None, max_length=32, description="Applied by this organization (its code)")
    learned_from: str | None = Field(None, max_length=32, description="Of knowledge from this organization (code)")


@router.get(
    "/applications", response={200: ApplicationPage, **error_responses(401, 422)}, openapi_extra=ANONYMOUS_ALLOWED
)
def list_applications(request: HttpRequest, filters: Query[ApplicationFilterIn], page: Query[PageIn]) -> dict[str, Any]:
    """Applications of knowledge you may read, the latest first."""
    found = readable_applications(requester(request)).select_related("item", "organization", "learned_from")
    if filters.item is not None:
        found = found.filter(item_id=filters.item)
    if filters.organization:
        found = found.filter(organization__code=filters.organization)
    if filters.learned_from:
        found = found.filter(learned_from__code=filters.learned_from)
    return paginate(found.order_by("-applied_on", "-pk"), page)


class ApplicationIn(Schema):
    item: int = Field(description="The id of a verified critical item you may read")
    organization: int | None = Field(None, description="The applying organization's id; empty means yours")
    applied_on: datetime.date = Field(description="Not in the future, nor before the item was written")
    where: str = Field(max_length=250)
    adaptation: str = Field("", max_length=8000)
    result: ApplicationResult
    result_note: str = Field("", max_length=8000)
    evidence: str = Field("", max_length=4000)


@router.post("/applications", response={201: ApplicationOut, **error_responses(401, 403, 422)}, auth=SIGNED_IN)
def create_application(
    request: HttpRequest,
    data: ApplicationIn,
    idempotency_key: str = Header(
        "",
        alias="Idempotency-Key",
        max_length=64,
        description="Any unique string; sending the same request again with it returns the application already made",
    ),
) -> tuple[int, Application]:
    """Record that your organization (or, for the hub, a member organization) applied a piece of knowledge.
    Another organization's knowledge moves on to "applied" and its authors are told."""
    application = do_record_application(
        signed_in(request),
        ApplicationData(
            item_id=data.item,
            organization_id=data.organization,
            applied_on=data.applied_on,
            where=data.where,
            adaptation=data.adaptation,
            result=data.result,
            result_note=data.result_note,
            evidence=data.evidence,
        ),
        idempotency_key=idempotency_key,
    )
    return 201, Application.objects.select_related("item", "organization", "learned_from").get(pk=application.pk)
