"""API v1: critical knowledge in the cycle, its moves, the expert panels, their queues, reviews and verdicts.

Reads go through KnowledgeItem.objects.visible_to: the cycle of an item you may not read is a 404.
"""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from platoo.accounts.api import PersonBrief
from platoo.knowledge.models import KnowledgeItem
from platoo.lib.api import ANONYMOUS_ALLOWED, ANYONE, SIGNED_IN, UtcDateTime, error_responses, requester, signed_in

from . import actions
from .access import is_hub, visible_critical
from .actions.stages import StaleMove
from .models import (
    MOVES,
    Audience,
    CriticalKnowledge,
    KnowledgeType,
    Outcome,
    Panel,
    Priority,
    Recommendation,
    ReviewRound,
    RoundKind,
    Source,
    Stage,
)

router = Router(tags=["cycle"], auth=ANYONE)


class TransitionOut(Schema):
    from_stage: str = Field(description="Empty for the first step (marked critical)")
    to_stage: Stage
    actor: PersonBrief | None
    reason: str
    at: UtcDateTime


class CriticalOut(Schema):
    item_id: int
    stage: Stage
    stage_since: UtcDateTime
    topic_id: int | None
    knowledge_type: KnowledgeType | None
    audience: Audience | None
    source: Source | None
    owner_id: int | None
    priority: Priority | None
    panel_id: int | None
    verified_at: UtcDateTime | None
    reverify_due: datetime.date | None
    needs_reverification: bool
    open_round_id: int | None
    version: int = Field(description="Send it back with a move or a change of categories")
    timeline: list[TransitionOut]

    @staticmethod
    def resolve_knowledge_type(obj: CriticalKnowledge) -> str | None:
        return obj.knowledge_type or None

    @staticmethod
    def resolve_audience(obj: CriticalKnowledge) -> str | None:
        return obj.audience or None

    @staticmethod
    def resolve_source(obj: CriticalKnowledge) -> str | None:
        return obj.source or None

    @staticmethod
    def resolve_priority(obj: CriticalKnowledge) -> str | None:
        return obj.priority or None

    @staticmethod
    def resolve_needs_reverification(obj: CriticalKnowledge) -> bool:
        return obj.needs_reverification()

    @staticmethod
    def resolve_open_round_id(obj: CriticalKnowledge) -> int | None:
        return obj.rounds.filter(closed_at__isnull=True).values_list("pk", flat=True).first()

    @staticmethod
    def resolve_timeline(obj: CriticalKnowledge) -> list[Any]:
        return list(obj.transitions.select_related("actor"))


class CategoriesIn(Schema):
    topic_id: int | None = None
    knowledge_type: KnowledgeType | None = None
    audience: Audience | None = None
    source: Source | None = None
    owner_id: int | None = None
    priority: Priority | None = None
    version: int


class MoveIn(Schema):
    move: str = Field(description=", ".join(MOVES))
    reason: str = ""
    superseded_by: int | None = Field(None, description="For supersede: the item that replaces this one")
    version: int


class PanelOut(Schema):
    id: int
    name: str
    topic_id: int
    quorum: int
    reverify_months: int
    members: list[PersonBrief]
    chair: PersonBrief | None

    @staticmethod
    def resolve_members(obj: Panel) -> list[Any]:
        return [member.user for member in obj.members.all()]

    @staticmethod
    def resolve_chair(obj: Panel) -> Any:
        return next((member.user for member in obj.members.all() if member.is_chair), None)


class RoundOut(Schema):
    id: int
    item_id: int = Field(alias="critical_id")
    panel_id: int
    kind: RoundKind
    item_version: int
    opened_at: UtcDateTime
    closed_at: UtcDateTime | None
    outcome: Outcome | None

    @staticmethod
    def resolve_outcome(obj: ReviewRound) -> str | None:
        return obj.outcome or None


class ReviewIn(Schema):
    accuracy: int = Field(ge=1, le=5)
    applicability: int = Field(ge=1, le=5)
    evidence: int = Field(ge=1, le=5)
    recommendation: Recommendation
    risks: str = ""
    comments: str = ""


class ReviewOut(Schema):
    id: int
    reviewer: PersonBrief
    accuracy: int
    applicability: int
    evidence: int
    recommendation: Recommendation
    item_version: int
    submitted_at: UtcDateTime


class VerdictIn(Schema):
    outcome: Outcome
    note: str = ""


def _item(request: HttpRequest, item_id: int) -> KnowledgeItem:
    return get_object_or_404(KnowledgeItem.objects.visible_to(requester(request)), pk=item_id)


def _critical(request: HttpRequest, item_id: int) -> CriticalKnowledge:
    return get_object_or_404(visible_critical(requester(request)).select_related("item", "panel"), item_id=item_id)


def _round(request: HttpRequest, round_id: int) -> ReviewRound:
    visible = KnowledgeItem.objects.visible_to(requester(request))
    return get_object_or_404(
        ReviewRound.objects.select_related("critical__item", "panel"), pk=round_id, critical__item__in=visible
    )


@router.get(
    "/items/{item_id}", response={200: CriticalOut, **error_responses(401, 404)}, openapi_extra=ANONYMOUS_ALLOWED
)
def get_critical(request: HttpRequest, item_id: int) -> CriticalKnowledge:
    """Where a critical item stands in the cycle, with its timeline."""
    return _critical(request, item_id)


@router.post("/items/{item_id}", response={201: CriticalOut, **error_responses(401, 403, 404, 422)}, auth=SIGNED_IN)
def mark_critical(request: HttpRequest, item_id: int) -> tuple[int, CriticalKnowledge]:
    """Mark an item as critical knowledge (its authors, the hub, experts); twice is harmless."""
    critical = actions.do_mark_critical(signed_in(request), _item(request, item_id))
    return 201, critical


@router.put(
    "/items/{item_id}/categories",
    response={200: CriticalOut, **error_responses(401, 403, 404, 409, 422)},
    auth=SIGNED_IN,
)
def categorize(request: HttpRequest, item_id: int, data: CategoriesIn) -> CriticalKnowledge:
    """Set the categories; a captured item moves on once they are all filled in. 409 if it moved since `version`."""
    categories = actions.Categories(
        topic_id=data.topic_id,
        knowledge_type=data.knowledge_type or "",
        audience=data.audience or "",
        source=data.source or "",
        owner_id=data.owner_id,
        priority=data.priority or "",
    )
    try:
        return actions.do_categorize(signed_in(request), _critical(request, item_id), categories, data.version)
    except StaleMove as exc:
        raise HttpError(409, str(exc)) from exc


@router.post(
    "/items/{item_id}/moves", response={200: CriticalOut, **error_responses(401, 403, 404, 409, 422)}, auth=SIGNED_IN
)
def move(request: HttpRequest, item_id: int, data: MoveIn) -> CriticalKnowledge:
    """Make a move; an illegal one is refused with the reason. 409 if it moved since `version`."""
    actor = signed_in(request)
    replacement = _item(request, data.superseded_by) if data.superseded_by else None
    try:
        return actions.do_move(
            actor,
            _critical(request, item_id),
            data.move,
            base_version=data.version,
            reason=data.reason,
            superseded_by=replacement,
        )
    except StaleMove as exc:
        raise HttpError(409, str(exc)) from exc


@router.get("/panels", response={200: list[PanelOut], **error_responses(401)}, openapi_extra=ANONYMOUS_ALLOWED)
def list_panels(request: HttpRequest) -> list[Panel]:
    """The expert panels, with their experts and chairs."""
    return list(Panel.objects.prefetch_related("members__user").order_by("name", "pk"))


@router.get("/queue", response={200: list[RoundOut], **error_responses(401)}, auth=SIGNED_IN)
def my_queue(request: HttpRequest) -> list[ReviewRound]:
    """Open review rounds of your panels, oldest first (not those of your own items)."""
    return actions.queue_for(signed_in(request))


@router.get(
    "/rounds/{round_id}/reviews", response={200: list[ReviewOut], **error_responses(401, 403, 404)}, auth=SIGNED_IN
)
def list_reviews(request: HttpRequest, round_id: int) -> list[Any]:
    """The reviews that count in a round (its panel and the hub while it is open; its authors too once closed)."""
    review_round = _round(request, round_id)
    user = signed_in(request)
    readers = review_round.panel.is_member(user) or is_hub(user)
    if not readers and not (review_round.critical.item.is_author(user) and not review_round.is_open):
        raise PermissionDenied
    return actions.counted_reviews(review_round)


@router.post(
    "/rounds/{round_id}/reviews", response={200: ReviewOut, **error_responses(401, 403, 404, 422)}, auth=SIGNED_IN
)
def submit_review(request: HttpRequest, round_id: int, data: ReviewIn) -> Any:
    """Your review in a round (send again to change it while the round is open)."""
    review = actions.ReviewData(
        accuracy=data.accuracy,
        applicability=data.applicability,
        evidence=data.evidence,
        recommendation=data.recommendation,
        risks=data.risks,
        comments=data.comments,
    )
    return actions.do_review(signed_in(request), _round(request, round_id), review)


@router.post(
    "/rounds/{round_id}/verdict", response={200: CriticalOut, **error_responses(401, 403, 404, 422)}, auth=SIGNED_IN
)
def record_verdict(request: HttpRequest, round_id: int, data: VerdictIn) -> CriticalKnowledge:
    """The panel's verdict (its chair or the hub), once the quorum has reviewed."""
    return actions.do_decide(signed_in(request), _round(request, round_id), data.outcome, data.note)
