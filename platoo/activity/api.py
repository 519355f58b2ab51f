"""API v1: your notifications, what you follow, and your activity feed. Signed-in people only.

Everything here is the requester's own: another person's notification is a 404, and a key you
may not see (a secret community you are not in) cannot be followed and answers 404.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from platoo.accounts.api import PersonBrief
from platoo.lib.api import SIGNED_IN, PageIn, PageOut, UtcDateTime, error_responses, paginate, signed_in

from . import actions, registry, sentences
from .models import Activity, Follow, Notification, NotificationKind, Verb

router = Router(tags=["activity"], auth=SIGNED_IN)


class NotificationOut(Schema):
    id: int
    kind: NotificationKind
    text: str = Field(description="What happened, as one sentence in the request's language")
    title: str = Field(description="What it is about: the community, meeting or discussion")
    url: str = Field(description="The page it is about")
    actor: PersonBrief | None = Field(description="Who did it; null when their account is gone")
    read: bool
    created_at: UtcDateTime
    read_at: UtcDateTime | None

    @staticmethod
    def resolve_text(obj: Notification) -> str:
        return sentences.notification_text(obj)

    @staticmethod
    def resolve_url(obj: Notification, context: dict[str, Any]) -> str:
        return context["request"].build_absolute_uri(obj.url)

    @staticmethod
    def resolve_read(obj: Notification) -> bool:
        return obj.read_at is not None


class NotificationPage(PageOut):
    items: list[NotificationOut]


class NotificationFilterIn(Schema):
    unread: bool = Field(False, description="Only the notifications not read yet")


class UnreadOut(Schema):
    unread: int


class MarkedOut(Schema):
    marked: int = Field(description="How many notifications were marked read")


class FollowIn(Schema):
    key: str = Field(max_length=64, description='What to follow: "person:<id>", "community:<id>" or "topic:<id>"')


class FollowOut(Schema):
    key: str
    kind: str = Field(description="person, community or topic")
    title: str | None = Field(description="Its name; null when it is no longer shared with you")
    url: str | None = Field(description="Its page; null when it is no longer shared with you")
    created_at: UtcDateTime

    @staticmethod
    def resolve_kind(obj: Follow) -> str:
        return obj.key.partition(":")[0]

    @staticmethod
    def resolve_title(obj: Follow) -> str | None:
        followed = getattr(obj, "followed", None)
        return followed.title if followed else None

    @staticmethod
    def resolve_url(obj: Follow, context: dict[str, Any]) -> str | None:
        followed = getattr(obj, "followed", None)
        return context["request"].build_absolute_uri(followed.url) if followed else None


class FollowPage(PageOut):
    items: list[FollowOut]


class ActivityOut(Schema):
    id: int
    verb: Verb
    text: str = Field(description="What happened, as one sentence in the request's language")
    title: str
    url: str = Field(description="The page of what it happened to")
    actor: PersonBrief | None
    created_at: UtcDateTime

    @staticmethod
    def resolve_text(obj: Activity) -> str:
        return sentences.activity_text(obj)

    @staticmethod
    def resolve_url(obj: Activity, context: dict[str, Any]) -> str:
        return context["request"].build_absolute_uri(obj.url)


class ActivityPage(PageOut):
    items: list[ActivityOut]


@router.get("/notifications", response={200: NotificationPage, **error_responses(401, 422)})
def list_notifications(
    request: HttpRequest, filters: Query[NotificationFilterIn], page: Query[PageIn]
) -> dict[str, Any]:
    """Your notifications, newest first."""
    rows = actions.notifications_for(signed_in(request)).select_related("actor").order_by("-created_at", "-pk")
    if filters.unread:
        rows = rows.filter(read_at__isnull=True)
    return paginate(rows, page)


@router.get("/notifications/unread-count", response={200: UnreadOut, **error_responses(401)})
def unread_count(request: HttpRequest) -> dict[str, int]:
    """How many of your notifications are not read yet (the number on the bell)."""
    return {"unread": actions.unread_count(signed_in(request))}


@router.post("/notifications/read-all", response={200: MarkedOut, **error_responses(401, 403)})
def mark_all_read(request: HttpRequest) -> dict[str, int]:
    """Mark all your notifications read."""
    return {"marked": actions.do_mark_all_read(signed_in(request))}


@router.post("/notifications/{notification_id}/read", response={200: NotificationOut, **error_responses(401, 403, 404)})
def mark_read(request: HttpRequest, notification_id: int) -> Notification:
    """Mark one of your notifications read; marking it again keeps the first time."""
    user = signed_in(request)
    notification = get_object_or_404(actions.notifications_for(user).select_related("actor"), pk=notification_id)
    return actions.do_mark_read(user, notification)


@router.get("/follows", response={200: FollowPage, **error_responses(401, 422)})
def list_follows(request: HttpRequest, page: Query[PageIn]) -> dict[str, Any]:
    """What you follow, most recent first."""
    user = signed_in(request)
    result = paginate(Follow.objects.filter(user=user).order_by("-created_at", "-pk"), page)
    resolved = registry.resolve(user, [f.key for f in result["items"]])
    for follow in result["items"]:
        follow.followed = resolved.get(follow.key)
    return result


@router.post("/follows", response={200: FollowOut, 201: FollowOut, **error_responses(401, 403, 404, 422)})
def follow(request: HttpRequest, data: FollowIn) -> tuple[int, Follow]:
    """Follow a person, a community or a topic: what they do appears in your feed. Following twice is harmless (200)."""
    user = signed_in(request)
    key = data.key.strip()
    try:
        row, created = actions.do_follow(user, key)
    except ValidationError as error:
        if error.code == "self":
            raise
        raise Http404 from error
    row.followed = registry.resolve(user, [key]).get(key)  # type: ignore[attr-defined]
    return (201 if created else 200), row


@router.delete("/follows/{key}", response={204: None, **error_responses(401, 403)})
def unfollow(request: HttpRequest, key: str) -> tuple[int, None]:
    """Stop following; stopping something you do not follow is harmless."""
    actions.do_unfollow(signed_in(request), key)
    return 204, None


@router.get("/feed", response={200: ActivityPage, **error_responses(401, 422)})
def feed(request: HttpRequest, page: Query[PageIn]) -> dict[str, Any]:
    """What the people, communities and topics you follow have done, that you may read; newest first."""
    return paginate(actions.feed_queryset(signed_in(request)), page)
