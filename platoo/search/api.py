"""API v1: one search over knowledge, people, communities of practice, their discussions and meetings,
with the search page's filters and permission rules."""

from typing import Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from platoo.knowledge.models import Kind
from platoo.lib.api import ANONYMOUS_ALLOWED, ANYONE, PageIn, error_responses, requester

from .query import Hit, search

router = Router(tags=["search"], auth=ANYONE)

# Where each type of result lives in this API (communities and their content are not in it yet).
API_URLS = {
    "knowledge": lambda obj: reverse("api-v1:knowledge_item", args=[obj.pk]),
    "person": lambda obj: reverse("api-v1:person", args=[obj.username]),
    "community": lambda obj: reverse("api-v1:community", args=[obj.slug]),
    "thread": lambda obj: reverse("api-v1:thread", args=[obj.community.slug, obj.pk]),
    "meeting": lambda obj: reverse("api-v1:meeting", args=[obj.community.slug, obj.pk]),
    "event": lambda obj: reverse("api-v1:event", args=[obj.pk]),
}


class SearchIn(Schema):
    q: str = Field("", description="Words to find, Thai or English")
    type: Literal["knowledge", "person", "community", "thread", "meeting", "event"] | None = Field(
        None, description="Only this type of result (a thread is a discussion in a community of practice)"
    )
    kind: Kind | None = None
    topic: str | None = Field(None, max_length=80, description="Topic slug; its sub-topics are included")
    tag: str | None = Field(None, max_length=64)
    org: str | None = Field(None, max_length=32, description="Organization code")
    year: int | None = Field(None, ge=1000, le=9999, description="Year, in พ.ศ. (2400 and later) or ค.ศ.")


class HitOut(Schema):
    type: str = Field(description="knowledge, person, community, thread, meeting or event")
    id: int
    title: str
    title_html: str = Field(description="The title with the matched words in <mark>")
    snippet_html: str = Field(description="A passage with the matched words in <mark>")
    score: float
    url: str = Field(description="The result's page")
    api_url: str | None = Field(description="The result in this API; null for types it does not serve yet")


class SearchOut(Schema):
    query: str
    total: int = Field(description="Results in all, across every page")
    counts: dict[str, int] = Field(description="Results per type")
    message: str = Field(description="Why there are no results, when the query cannot be searched as given")
    limit: int
    offset: int
    hits: list[HitOut]


def _hit(request: HttpRequest, hit: Hit) -> dict[str, Any]:
    return {
        "type": hit.label,
        "id": hit.obj.pk,
        "title": str(hit.obj),
        "title_html": str(hit.title_html),
        "snippet_html": str(hit.snippet_html),
        "score": hit.score,
        "url": request.build_absolute_uri(hit.url),
        "api_url": request.build_absolute_uri(API_URLS[hit.label](hit.obj)) if hit.label in API_URLS else None,
    }


@router.get("", response={200: SearchOut, **error_responses(401, 422)}, openapi_extra=ANONYMOUS_ALLOWED)
def search_all(request: HttpRequest, filters: Query[SearchIn], page: Query[PageIn]) -> dict[str, Any]:
    """Search titles, bodies, summaries, tags, attachment text, people, communities, discussions and meetings.

    Thai words are found anywhere, even inside a compound. Results and counts include only what you may read.
    """
    params = {
        name: str(value)
        for name, value in filters.model_dump(mode="json", exclude={"q", "type"}).items()
        if value not in (None, "")
    }
    results = search(
        requester(request),
        filters.q,
        params=params,
        types=[filters.type] if filters.type else None,
        offset=page.offset,
        limit=page.limit,
    )
    return {
        "query": results.query,
        "total": results.total,
        "counts": results.counts,
        "message": results.message,
        "limit": page.limit,
        "offset": page.offset,
        "hits": [_hit(request, hit) for hit in results.hits],
    }
