"""API v1: events, registration (with the waitlist), check-in and after-action reviews.

Reads go through Event.objects.visible_to: a draft or another organization's internal event is a 404.
"""

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Header, Query, Router, Schema

from platoo.accounts.api import PersonBrief
from platoo.accounts.models import User
from platoo.knowledge.api import TopicOut
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
from platoo.network.api import OrganizationBrief

from . import actions
from .models import EVENT_VISIBILITIES, Event, EventKind, EventStatus, Registration, Session

router = Router(tags=["events"], auth=ANYONE)


class SessionOut(Schema):
    title: str
    starts_at: UtcDateTime | None
    duration_minutes: int | None
    room: str
    speakers: list[PersonBrief]
    guest_speakers: str

    @staticmethod
    def resolve_speakers(obj: Session) -> list[Any]:
        return list(obj.speakers.all())


class EventOut(Schema):
    id: int
    url: str = Field(description="The event's page")
    kind: EventKind
    title: str
    description: str = Field(description="Markdown")
    status: EventStatus
    visibility: str = Field(description=", ".join(value for value, _label in EVENT_VISIBILITIES))
    host: OrganizationBrief | None
    place: str
    online_url: str
    starts_at: UtcDateTime
    ends_at: UtcDateTime
    capacity: int | None
    registered: int
    waitlisted: int
    topics: list[TopicOut]
    sessions: list[SessionOut]
    needs_replanning: bool
    version: int = Field(description="Send it back when editing; it changes with every save")

    @staticmethod
    def resolve_url(obj: Event, context: dict[str, Any]) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())

    @staticmethod
    def resolve_topics(obj: Event) -> list[Any]:
        return list(obj.topics.all())

    @staticmethod
    def resolve_sessions(obj: Event) -> list[Any]:
        return list(obj.sessions.all())


class EventPage(PageOut):
    items: list[EventOut]


class SessionIn(Schema):
    title: str = Field(max_length=300)
    starts_at: datetime | None = None
    duration_minutes: int | None = Field(None, ge=1, le=1440)
    room: str = Field("", max_length=200)
    speakers: list[int] = Field(default_factory=list, max_length=50, description="Person ids")
    guest_speakers: str = Field("", max_length=300)


class EventIn(Schema):
    kind: EventKind = EventKind.WORKSHOP
    title: str = Field(max_length=250)
    description: str = ""
    starts_at: datetime = Field(description="ISO 8601 with a time zone")
    ends_at: datetime
    host: int | None = Field(None, description="Member organization id")
    place: str = Field("", max_length=300)
    online_url: str = Field("", max_length=500)
    capacity: int | None = Field(None, ge=1)
    visibility: str = Field("network", description=", ".join(value for value, _label in EVENT_VISIBILITIES))
    topics: list[int] = Field(default_factory=list, max_length=50)
    organizers: list[int] = Field(default_factory=list, max_length=50, description="Person ids; empty means you")
    sessions: list[SessionIn] = Field(default_factory=list, max_length=200)


class RegistrationIn(Schema):
    bar_learn: str = Field("", description="Before-action review: what do you want to learn?")
    bar_from_whom: str = Field("", description="Before-action review: from whom?")


class RegistrationOut(Schema):
    event: int = Field(validation_alias="event_id")
    person: PersonBrief = Field(validation_alias="user")
    status: Registration.Status
    registered_at: UtcDateTime
    checked_in_at: UtcDateTime | None
    walk_in: bool
    bar_learn: str
    bar_from_whom: str


class RegistrationPage(PageOut):
    items: list[RegistrationOut]


class CheckInIn(Schema):
    person: int = Field(description="The person's id; someone not registered is checked in as a walk-in")


class ReviewIn(Schema):
    expected: str = ""
    happened: str = ""
    difference: str = ""
    next_time: str = ""


class EventFilterIn(Schema):
    kind: EventKind | None = None
    host: str | None = Field(None, max_length=32, description="Host organization code")
    after: datetime | None = Field(None, description="Events ending after this moment (default: now)")
    before: datetime | None = None


IDEMPOTENCY_KEY = Header(
    "",
    alias="Idempotency-Key",
    max_length=64,
    description="Any unique string; sending the same request again with it returns the event already made",
)


def _events(request: HttpRequest) -> QuerySet[Event]:
    return (
        Event.objects.visible_to(requester(request))
        .select_related("host")
        .prefetch_related("topics", Prefetch("sessions", queryset=Session.objects.prefetch_related("speakers")))
        .annotate(
            registered=Count("registrations", filter=Q(registrations__status=Registration.Status.REGISTERED)),
            waitlisted=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED)),
        )
    )


def _event(request: HttpRequest, event_id: int) -> Event:
    return get_object_or_404(Event.objects.visible_to(requester(request)), pk=event_id)


def _data(data: EventIn) -> actions.EventData:
    return actions.EventData(
        title=data.title,
        kind=data.kind,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        description=data.description,
        host_id=data.host,
        place=data.place,
        online_url=data.online_url,
        capacity=data.capacity,
        visibility=data.visibility,
        topic_ids=data.topics,
        organizer_ids=data.organizers,
        sessions=[
            actions.SessionData(
                title=s.title,
                starts_at=s.starts_at,
                duration_minutes=s.duration_minutes,
                room=s.room,
                speaker_ids=s.speakers,
                guest_speakers=s.guest_speakers,
            )
            for s in data.sessions
        ],
    )


@router.get("", response={200: EventPage, **error_responses(401, 422)}, openapi_extra=ANONYMOUS_ALLOWED)
def list_events(request: HttpRequest, filters: Query[EventFilterIn], page: Query[PageIn]) -> dict[str, Any]:
    """Events you may see, soonest first: by default those not over yet."""
    events = _events(request).filter(ends_at__gte=filters.after or timezone.now())
    if filters.before:
        events = events.filter(starts_at__lt=filters.before)
    if filters.kind:
        events = events.filter(kind=filters.kind)
    if filters.host:
        events = events.filter(host__code=filters.host)
    return paginate(events.order_by("starts_at", "pk"), page)


@router.get(
    "/{event_id}",
    response={200: EventOut, **error_responses(401, 404)},
    url_name="event",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def get_event(request: HttpRequest, event_id: int) -> Event:
    """One event with its agenda."""
    return get_object_or_404(_events(request), pk=event_id)


@router.post("", response={201: EventOut, **error_responses(401, 403, 422)}, auth=SIGNED_IN)
def create_event(request: HttpRequest, data: EventIn, idempotency_key: str = IDEMPOTENCY_KEY) -> tuple[int, Event]:
    """A draft event you organize (with the people you name); publish it when it is ready."""
    event = actions.do_create_event(signed_in(request), _data(data), idempotency_key)
    return 201, _events(request).get(pk=event.pk)


@router.post("/{event_id}/publish", response={200: EventOut, **error_responses(401, 403, 404, 422)}, auth=SIGNED_IN)
def publish_event(request: HttpRequest, event_id: int) -> Event:
    """Publish a draft (its organizers and the hub)."""
    actions.do_publish_event(signed_in(request), _event(request, event_id))
    return _events(request).get(pk=event_id)


@router.post("/{event_id}/register", response={200: RegistrationOut, **error_responses(401, 404, 422)}, auth=SIGNED_IN)
def register(request: HttpRequest, event_id: int, data: RegistrationIn) -> Registration:
    """Register, or join the waitlist when the event is full; twice is harmless."""
    return actions.do_register(signed_in(request), _event(request, event_id), data.bar_learn, data.bar_from_whom)


@router.delete("/{event_id}/register", response={204: None, **error_responses(401, 404, 422)}, auth=SIGNED_IN)
def cancel_registration(request: HttpRequest, event_id: int) -> tuple[int, None]:
    """Give up your place; the first on the waitlist moves up."""
    actions.do_cancel_registration(signed_in(request), _event(request, event_id))
    return 204, None


@router.get(
    "/{event_id}/registrations", response={200: RegistrationPage, **error_responses(401, 403, 404)}, auth=SIGNED_IN
)
def list_registrations(request: HttpRequest, event_id: int, page: Query[PageIn]) -> dict[str, Any]:
    """Who registered, waits or came (organizers and the hub)."""
    event = _event(request, event_id)
    if not actions.can_manage(event, signed_in(request)):
        raise PermissionDenied
    registrations = Registration.objects.filter(event=event).select_related("user").order_by("registered_at", "pk")
    return paginate(registrations, page)


@router.post(
    "/{event_id}/check-in", response={200: RegistrationOut, **error_responses(401, 403, 404, 422)}, auth=SIGNED_IN
)
def check_in(request: HttpRequest, event_id: int, data: CheckInIn) -> Registration:
    """Check a person in at the door (organizers); someone not registered comes in as a walk-in."""
    person = get_object_or_404(User, pk=data.person, is_active=True)
    registration, _created = actions.do_check_in(signed_in(request), _event(request, event_id), person)
    return registration


@router.put("/{event_id}/review", response={200: ReviewIn, **error_responses(401, 403, 404, 422)}, auth=SIGNED_IN)
def write_review(request: HttpRequest, event_id: int, data: ReviewIn) -> Any:
    """Your own after-action review (once you were checked in)."""
    return actions.do_write_review(signed_in(request), _event(request, event_id), data.dict())
