"""API v1: knowledge items, with the pages' permission rules.

Reads go through KnowledgeItem.objects.visible_to, and an item someone may not see is a 404, never
a 403, so its existence does not leak. Writes go through the actions; an edit names the version
it started from, and a stale one is refused with 409.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Header, PatchDict, Query, Router, Schema
from pydantic import field_validator
from pydantic_core import PydanticCustomError

from platoo.accounts.api import PersonBrief
from platoo.accounts.models import User
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
from platoo.lib.markdown import render_markdown
from platoo.lib.visibility import Visibility
from platoo.network.api import OrganizationBrief
from platoo.network.models import Organization

from .actions import (
    MAX_TAGS,
    EditConflict,
    ItemData,
    do_create_item,
    do_delete_item,
    do_update_item,
    normalize_tags,
)
from .filters import ItemFilter
from .models import KIND_FIELDS, Attachment, Kind, KnowledgeItem, License
from .similar import MAX_DRAFT_CHARS, Draft, Findings, examine

router = Router(tags=["knowledge"], auth=ANYONE)

ALL_KIND_FIELDS = [name for names in KIND_FIELDS.values() for name in names]
MAX_RELATED = 100  # topics or authors in one request


class TopicOut(Schema):
    id: int
    slug: str
    name_th: str
    name_en: str
    parent_id: int | None


def _kind_field(name: str) -> "staticmethod[[KnowledgeItem], str | None]":
    """A resolver that shows `name` only on items whose kind has that field."""

    def resolve(obj: KnowledgeItem) -> str | None:
        return getattr(obj, name) if name in KIND_FIELDS[obj.kind] else None

    return staticmethod(resolve)


class AttachmentOut(Schema):
    id: int
    name: str = Field(validation_alias="original_name")
    content_type: str
    size: int = Field(description="Bytes")
    url: str = Field(description="Download (through the item's page rules)")

    @staticmethod
    def resolve_url(obj: Attachment, context: dict[str, Any]) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())


class ItemOut(Schema):
    id: int
    url: str = Field(description="The item's page")
    kind: Kind
    title: str
    summary: str
    body: str = Field(description="Markdown, as written")
    body_html: str = Field(description="The body rendered and sanitised: safe to insert into a page")
    aar_expected: str | None = Field(description="Lesson learned: what did we expect to happen?")
    aar_happened: str | None = Field(description="Lesson learned: what actually happened?")
    aar_difference: str | None = Field(description="Lesson learned: why was there a difference?")
    aar_next_time: str | None = Field(description="Lesson learned: what will we do next time?")
    bp_context: str | None = Field(description="Best practice: context")
    bp_practice: str | None = Field(description="Best practice: the practice")
    bp_results: str | None = Field(description="Best practice: results")
    bp_conditions: str | None = Field(description="Best practice: conditions for success")
    topics: list[TopicOut]
    tags: list[str]
    authors: list[PersonBrief]
    organization: OrganizationBrief | None
    attachments: list[AttachmentOut]
    license: License
    visibility: Visibility
    view_count: int
    version: int = Field(description="Send it back when editing; it changes with every save")
    created_at: UtcDateTime
    updated_at: UtcDateTime

    resolve_aar_expected = _kind_field("aar_expected")
    resolve_aar_happened = _kind_field("aar_happened")
    resolve_aar_difference = _kind_field("aar_difference")
    resolve_aar_next_time = _kind_field("aar_next_time")
    resolve_bp_context = _kind_field("bp_context")
    resolve_bp_practice = _kind_field("bp_practice")
    resolve_bp_results = _kind_field("bp_results")
    resolve_bp_conditions = _kind_field("bp_conditions")

    @staticmethod
    def resolve_url(obj: KnowledgeItem, context: dict[str, Any]) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())

    @staticmethod
    def resolve_body_html(obj: KnowledgeItem) -> str:
        return str(render_markdown(obj.body))

    @staticmethod
    def resolve_topics(obj: KnowledgeItem) -> list[Any]:
        return list(obj.topics.all())

    @staticmethod
    def resolve_tags(obj: KnowledgeItem) -> list[str]:
        return [tag.name for tag in obj.tags.all()]

    @staticmethod
    def resolve_authors(obj: KnowledgeItem) -> list[Any]:
        return list(obj.authors.all())

    @staticmethod
    def resolve_attachments(obj: KnowledgeItem) -> list[Any]:
        return list(obj.attachments.all())


class ItemPage(PageOut):
    items: list[ItemOut]


class ItemIn(Schema):
    kind: Kind = Kind.STORY
    title: str = Field(max_length=250)
    summary: str = Field("", max_length=1000)
    body: str = Field("", description="Markdown")
    aar_expected: str = Field("", description="Lesson learned only")
    aar_happened: str = Field("", description="Lesson learned only")
    aar_difference: str = Field("", description="Lesson learned only")
    aar_next_time: str = Field("", description="Lesson learned only")
    bp_context: str = Field("", description="Best practice only")
    bp_practice: str = Field("", description="Best practice only")
    bp_results: str = Field("", description="Best practice only")
    bp_conditions: str = Field("", description="Best practice only")
    topics: list[int] = Field(default_factory=list, max_length=MAX_RELATED, description="Topic ids")
    tags: list[str] = Field(default_factory=list, max_length=MAX_TAGS * 3, description=f"At most {MAX_TAGS} tags")
    authors: list[int] = Field(
        default_factory=list, max_length=MAX_RELATED, description="Person ids; empty means you alone"
    )
    organization: int | None = Field(None, description="Organization id; on create, empty means yours")
    license: License = License.CC_BY
    visibility: Visibility = Visibility.NETWORK
    message: str = Field("", max_length=250, description="A short note for the item's history")

    @field_validator("tags")
    @classmethod
    def _clean_tags(cls, value: list[str]) -> list[str]:
        try:
            return normalize_tags(value)
        except ValidationError as exc:
            raise PydanticCustomError("invalid_tags", "{reason}", {"reason": exc.messages[0]}) from exc


class ItemUpdateIn(ItemIn):
    version: int = Field(description="The version you read; a stale one is refused with 409")


class ConflictOut(Schema):
    detail: str
    current_version: int


def _item_data(data: ItemIn) -> ItemData:
    """The action's input, after the checks that need the database, each naming its field."""
    errors: dict[str, str] = {}
    own = KIND_FIELDS[data.kind]
    for name in ALL_KIND_FIELDS:
        if name not in own and getattr(data, name):
            errors[name] = _("This field does not belong to the kind “%(kind)s”.") % {"kind": data.kind.label}
    if data.organization is not None and not Organization.objects.filter(pk=data.organization).exists():
        errors["organization"] = _("No organization has the id %(id)d.") % {"id": data.organization}
    known = set(User.objects.filter(pk__in=data.authors, is_active=True).values_list("pk", flat=True))
    if missing := sorted(set(data.authors) - known):
        errors["authors"] = _("No active person has the id(s) %(ids)s.") % {"ids": ", ".join(map(str, missing))}
    if errors:
        raise ValidationError(errors)
    return ItemData(
        title=data.title,
        kind=data.kind,
        summary=data.summary,
        body=data.body,
        license=data.license,
        visibility=data.visibility,
        organization_id=data.organization,
        topic_ids=data.topics,
        tag_names=data.tags,
        author_ids=data.authors,
        extra={name: getattr(data, name) for name in own},
    )


def _items(request: HttpRequest) -> QuerySet[KnowledgeItem]:
    return (
        KnowledgeItem.objects.visible_to(requester(request))
        .select_related("organization")
        .prefetch_related("topics", "tags", "authors", "attachments")
    )


def _visible_item(request: HttpRequest, item_id: int) -> KnowledgeItem:
    """The item if the requester may see it (else 404); the action decides whether they may change it."""
    return get_object_or_404(KnowledgeItem.objects.visible_to(requester(request)), pk=item_id)


class ItemFilterIn(Schema):
    kind: Kind | None = None
    topic: str | None = Field(None, max_length=80, description="Topic slug; its sub-topics are included")
    tag: str | None = Field(None, max_length=64)
    org: str | None = Field(None, max_length=32, description="Organization code")
    year: int | None = Field(None, ge=1000, le=9999, description="Year written, in พ.ศ. (2400 and later) or ค.ศ.")


@router.get("", response={200: ItemPage, **error_responses(401, 422)}, openapi_extra=ANONYMOUS_ALLOWED)
def list_items(request: HttpRequest, filters: Query[ItemFilterIn], page: Query[PageIn]) -> dict[str, Any]:
    """Knowledge items you may read, newest first. Without credentials: public items only."""
    item_filter = ItemFilter(
        kind=filters.kind or "",
        topic=filters.topic or "",
        tag=filters.tag or "",
        organization=filters.org or "",
        year=filters.year,
    )
    return paginate(item_filter.apply(_items(request)).order_by("-created_at", "-pk"), page)


class SimilarIn(Schema):
    kind: Kind | None = Field(None, description="The draft's kind; its own fields are compared too")
    title: str = Field("", max_length=1000)
    summary: str = Field("", max_length=5000)
    body: str = Field(
        "",
        max_length=200_000,
        description=f"Markdown; only the first {MAX_DRAFT_CHARS:,} characters of the whole draft are compared",
    )
    aar_expected: str = Field("", max_length=50_000)
    aar_happened: str = Field("", max_length=50_000)
    aar_difference: str = Field("", max_length=50_000)
    aar_next_time: str = Field("", max_length=50_000)
    bp_context: str = Field("", max_length=50_000)
    bp_practice: str = Field("", max_length=50_000)
    bp_results: str = Field("", max_length=50_000)
    bp_conditions: str = Field("", max_length=50_000)
    topics: list[int] = Field(
        default_factory=list, max_length=MAX_RELATED, description="Topics already chosen: not suggested"
    )
    tags: list[str] = Field(
        default_factory=list, max_length=MAX_TAGS * 3, description="Tags already chosen: not suggested"
    )
    exclude: int | None = Field(None, description="An item to leave out (the one being edited)")


class SimilarItemOut(Schema):
    id: int
    title: str
    url: str = Field(description="The item's page")
    api_url: str
    score: float = Field(description="Similarity to the draft, 0 to 1")
    label: str = Field(description="same (likely the same knowledge) or similar")
    label_display: str


class TopicSuggestionOut(Schema):
    topic: TopicOut
    score: float
    why: str


class TagSuggestionOut(Schema):
    name: str
    score: float
    why: str


class SimilarOut(Schema):
    message: str = Field(description="Why nothing was looked for (too little text), or empty")
    items: list[SimilarItemOut] = Field(description="Possible duplicates you may read, most similar first")
    topics: list[TopicSuggestionOut] = Field(description="Topics to suggest, best first, with why")
    tags: list[TagSuggestionOut] = Field(description="Tags to suggest, best first, with why")


def _similar_out(request: HttpRequest, findings: Findings) -> dict[str, Any]:
    build = request.build_absolute_uri
    return {
        "message": findings.message,
        "items": [
            {
                "id": m.item.pk,
                "title": m.item.title,
                "url": build(m.item.get_absolute_url()),
                "api_url": build(reverse("api-v1:knowledge_item", args=[m.item.pk])),
                "score": m.score,
                "label": m.label,
                "label_display": m.label_display,
            }
            for m in findings.matches
        ],
        "topics": [{"topic": s.topic, "score": s.score, "why": s.why} for s in findings.topics if s.topic is not None],
        "tags": [{"name": s.name, "score": s.score, "why": s.why} for s in findings.tags],
    }


@router.post("/similar", response={200: SimilarOut, **error_responses(401, 422)}, auth=SIGNED_IN)
def similar_items(request: HttpRequest, data: SimilarIn) -> dict[str, Any]:
    """Knowledge you may read that looks like a draft (possible duplicates), and topics and tags to
    suggest for it. Nothing is saved. Thai is compared as words (ICU segmentation) and as letters,
    whatever the spacing or digits."""
    draft = Draft.from_data({**data.model_dump(), "kind": data.kind.value if data.kind else ""}, exclude=data.exclude)
    return _similar_out(request, examine(signed_in(request), draft))


@router.get(
    "/{item_id}",
    response={200: ItemOut, **error_responses(401, 404)},
    url_name="knowledge_item",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def get_item(request: HttpRequest, item_id: int) -> KnowledgeItem:
    """One item. 404 when it does not exist or is not shared with you. Reading here is not counted as a view."""
    return get_object_or_404(_items(request), pk=item_id)


@router.post("", response={201: ItemOut, **error_responses(400, 401, 403, 422)}, auth=SIGNED_IN)
def create_item(
    request: HttpRequest,
    data: ItemIn,
    idempotency_key: str = Header(
        "",
        alias="Idempotency-Key",
        max_length=64,
        description="Any unique string; sending the same request again with it returns the item already made",
    ),
) -> tuple[int, KnowledgeItem]:
    """Write a new item; you are its author unless you name others."""
    item = do_create_item(signed_in(request), _item_data(data), message=data.message, idempotency_key=idempotency_key)
    return 201, _items(request).get(pk=item.pk)


def _save(request: HttpRequest, item: KnowledgeItem, data: ItemUpdateIn) -> tuple[int, Any]:
    try:
        do_update_item(signed_in(request), item, _item_data(data), base_version=data.version, message=data.message)
    except EditConflict as conflict:
        detail = _(
            "Someone else saved this item after you read version %(yours)d; it is now version %(theirs)d. "
            "Read it again, merge your changes, and send them with the new version."
        ) % {"yours": data.version, "theirs": conflict.item.version}
        return 409, {"detail": detail, "current_version": conflict.item.version}
    return 200, _items(request).get(pk=item.pk)


UPDATE_RESPONSES = {200: ItemOut, 409: ConflictOut, **error_responses(400, 401, 403, 404, 422)}


@router.put("/{item_id}", response=UPDATE_RESPONSES, auth=SIGNED_IN)
def replace_item(request: HttpRequest, item_id: int, data: ItemUpdateIn) -> tuple[int, Any]:
    """Replace an item's content. Fields left out take their defaults; send the version you read."""
    return _save(request, _visible_item(request, item_id), data)


def _current(item: KnowledgeItem, kind: str) -> dict[str, Any]:
    """The item as an ItemUpdateIn would state it, with the fields of `kind`."""
    return {
        "kind": kind,
        "title": item.title,
        "summary": item.summary,
        "body": item.body,
        **{name: getattr(item, name) for name in KIND_FIELDS.get(kind, [])},
        "topics": list(item.topics.values_list("pk", flat=True)),
        "tags": list(item.tags.values_list("name", flat=True)),
        "authors": list(item.authors.values_list("pk", flat=True)),
        "organization": item.organization_id,
        "license": item.license,
        "visibility": item.visibility,
    }


@router.patch("/{item_id}", response=UPDATE_RESPONSES, auth=SIGNED_IN)
def update_item(request: HttpRequest, item_id: int, data: PatchDict[ItemUpdateIn]) -> tuple[int, Any]:
    """Change some fields of an item; the rest stay as they are. Send the version you read."""
    item = _visible_item(request, item_id)
    if "version" not in data:
        raise ValidationError({"version": _("Send the version of the item you read.")})
    merged = ItemUpdateIn.model_validate(_current(item, data.get("kind") or item.kind) | data)
    return _save(request, item, merged)


@router.delete("/{item_id}", response={204: None, **error_responses(401, 403, 404)}, auth=SIGNED_IN)
def delete_item(request: HttpRequest, item_id: int) -> tuple[int, None]:
    """Delete an item for good. Its authors may, and staff moderating what they can see."""
    do_delete_item(signed_in(request), _visible_item(request, item_id))
    return 204, None
