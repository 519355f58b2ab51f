"""API v1: communities of practice, their members, health, meetings and discussions.

A community someone may not see (a secret one they are not in) is a 404 everywhere, and so is
the content of a closed or secret community to anyone but its members. Writes go through the actions.
"""

from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Header, Query, Router, Schema

from platoo.accounts.api import PersonBrief
from platoo.accounts.models import KMRole, User
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
from platoo.lib.markdown import render_with_mentions
from platoo.network.api import OrganizationBrief
from platoo.network.models import NetworkLevel

from . import actions
from .health import cached_health
from .models import (
    Community,
    CommunityVisibility,
    Meeting,
    Membership,
    Reply,
    Stage,
    Thread,
)

router = Router(tags=["communities"], auth=ANYONE)


class CommunityOut(Schema):
    id: int
    slug: str
    name: str
    url: str = Field(description="The community's page")
    domain: str = Field(description="What the community learns about")
    purpose: str = Field(description="Markdown")
    level: NetworkLevel
    visibility: CommunityVisibility
    stage: Stage
    topics: list[TopicOut]
    organizations: list[OrganizationBrief]
    member_count: int
    created_at: UtcDateTime
    last_activity_at: UtcDateTime | None

    @staticmethod
    def resolve_url(obj: Community, context: dict[str, Any]) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())

    @staticmethod
    def resolve_topics(obj: Community) -> list[Any]:
        return list(obj.topics.all())

    @staticmethod
    def resolve_organizations(obj: Community) -> list[Any]:
        return list(obj.organizations.all())


class CommunityPage(PageOut):
    items: list[CommunityOut]


class MemberOut(Schema):
    person: PersonBrief = Field(validation_alias="user")
    organization: OrganizationBrief | None = Field(validation_alias="user.organization")
    role: Membership.Role
    km_role: KMRole | None

    @staticmethod
    def resolve_km_role(obj: Membership) -> str | None:
        return obj.km_role or None


class MembershipOut(Schema):
    status: Membership.Status
    role: Membership.Role
    message: str


class HealthOut(Schema):
    members: int
    active_members: int = Field(description="Members who took part in the last three months")
    silent_members: int
    organizations: int = Field(description="Organizations of the active members")
    participating_organizations: int = Field(description="Organizations of the people who took part lately")
    meetings_year: int = Field(description="Meetings held in the last 12 months")
    last_meeting_at: UtcDateTime | None
    longest_gap_days: int | None = Field(description="Longest stretch without a meeting in the last year")
    meets_continuously: bool = Field(description="The network's indicator: no gap longer than the set interval")
    produced_year: int = Field(description="Knowledge captured at its meetings or made from replies, 12 months")
    shared_year: int
    reused: int = Field(description="Knowledge from here that other communities took up")
    monthly: list[int] = Field(description="Things done per month, the last 12 months, oldest first")
    reasons: list[str] = Field(description="Why the hub should look at it, if anything")


class AgendaPointOut(Schema):
    title: str
    presenter: PersonBrief | None
    duration_minutes: int | None


class MeetingOut(Schema):
    id: int
    url: str
    title: str
    starts_at: UtcDateTime
    ends_at: UtcDateTime
    place: str
    online_url: str
    cancelled: bool
    attendee_count: int

    @staticmethod
    def resolve_url(obj: Meeting, context: dict[str, Any]) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())

    @staticmethod
    def resolve_cancelled(obj: Meeting) -> bool:
        return obj.is_cancelled

    @staticmethod
    def resolve_attendee_count(obj: Meeting) -> int:
        return getattr(obj, "attendees", None) or obj.attendances.count()


class MeetingPage(PageOut):
    items: list[MeetingOut]


class MeetingDetailOut(MeetingOut):
    agenda: str = Field(description="Markdown")
    agenda_points: list[AgendaPointOut]
    minutes: str = Field(description="Markdown, by the note-taker")
    aar_expected: str
    aar_happened: str
    aar_difference: str
    aar_next_time: str
    attendees: list[PersonBrief]
    version: int = Field(description="Send it back when writing the minutes")

    @staticmethod
    def resolve_agenda_points(obj: Meeting) -> list[Any]:
        return list(obj.agenda_items.all())

    @staticmethod
    def resolve_attendees(obj: Meeting) -> list[Any]:
        return [a.user for a in obj.attendances.all()]


class AgendaPointIn(Schema):
    title: str = Field(max_length=300)
    presenter: int | None = Field(None, description="Person id")
    duration_minutes: int | None = Field(None, ge=1, le=1440)


class MeetingIn(Schema):
    title: str = Field(max_length=200)
    starts_at: datetime = Field(description="ISO 8601 with a time zone")
    ends_at: datetime
    place: str = Field("", max_length=300)
    online_url: str = Field("", max_length=500)
    agenda: str = Field("", description="Markdown")
    agenda_points: list[AgendaPointIn] = Field(default_factory=list, max_length=30)


class CheckInIn(Schema):
    person: int | None = Field(None, description="Someone else's id (facilitators only); empty means you")


class AttendanceOut(Schema):
    person: PersonBrief = Field(validation_alias="user")
    checked_in_at: UtcDateTime
    created: bool


class ReplyOut(Schema):
    id: int
    author: PersonBrief | None
    body: str = Field(description="Markdown, as written")
    body_html: str = Field(description="Rendered, sanitised, with mentions linked")
    accepted: bool
    knowledge_item: int | None = Field(
        description="The knowledge item made from it, if any", validation_alias="knowledge_item_id"
    )
    created_at: UtcDateTime
    edited_at: UtcDateTime | None

    @staticmethod
    def resolve_body_html(obj: Reply) -> str:
        return str(render_with_mentions(obj.body, {p.username: p.get_absolute_url() for p in obj.mentioned.all()}))

    @staticmethod
    def resolve_accepted(obj: Reply) -> bool:
        return obj.thread.accepted_reply_id == obj.pk


class ThreadOut(Schema):
    id: int
    url: str
    title: str
    is_question: bool
    answered: bool
    author: PersonBrief | None
    reply_count: int
    created_at: UtcDateTime
    last_activity_at: UtcDateTime

    @staticmethod
    def resolve_url(obj: Thread, context: dict[str, Any]) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())

    @staticmethod
    def resolve_answered(obj: Thread) -> bool:
        return obj.accepted_reply_id is not None


class ThreadPage(PageOut):
    items: list[ThreadOut]


class ThreadDetailOut(ThreadOut):
    body: str
    body_html: str
    replies: list[ReplyOut]

    @staticmethod
    def resolve_body_html(obj: Thread) -> str:
        return str(render_with_mentions(obj.body, {p.username: p.get_absolute_url() for p in obj.mentioned.all()}))

    @staticmethod
    def resolve_replies(obj: Thread) -> list[Any]:
        return list(obj.replies.all())


class ThreadIn(Schema):
    title: str = Field(max_length=250)
    body: str = Field(description="Markdown; @username mentions a person")
    is_question: bool = False


class ReplyIn(Schema):
    body: str = Field(description="Markdown; @username mentions a person")


class AcceptIn(Schema):
    reply: int | None = Field(description="The reply that answered the question; null takes the mark away")


class CommunityFilterIn(Schema):
    level: NetworkLevel | None = None
    stage: Stage | None = None


IDEMPOTENCY_KEY = Header(
    "",
    alias="Idempotency-Key",
    max_length=64,
    description="Any unique string; sending the same request again with it returns what the first one made",
)


def _communities(request: HttpRequest) -> QuerySet[Community]:
    return (
        Community.objects.visible_to(requester(request))
        .annotate(member_count=Count("memberships", filter=Q(memberships__status=Membership.Status.ACTIVE)))
        .prefetch_related("topics", "organizations")
    )


def _community(request: HttpRequest, slug: str) -> Community:
    return get_object_or_404(Community.objects.visible_to(requester(request)), slug=slug)


def _readable(request: HttpRequest, slug: str) -> Community:
    """A community whose meetings and discussions the requester reads; 404 otherwise."""
    community = _community(request, slug)
    if not Community.objects.content_readable_by(requester(request)).filter(pk=community.pk).exists():
        raise Http404
    return community


@router.get("", response={200: CommunityPage, **error_responses(401, 422)}, openapi_extra=ANONYMOUS_ALLOWED)
def list_communities(request: HttpRequest, filters: Query[CommunityFilterIn], page: Query[PageIn]) -> dict[str, Any]:
    """Communities you may see, by name. Secret ones appear only to their members."""
    communities = _communities(request)
    if filters.level:
        communities = communities.filter(level=filters.level)
    if filters.stage:
        communities = communities.filter(stage=filters.stage)
    return paginate(communities.order_by("name", "pk"), page)


@router.get(
    "/{slug}",
    response={200: CommunityOut, **error_responses(401, 404)},
    url_name="community",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def get_community(request: HttpRequest, slug: str) -> Community:
    """One community."""
    return get_object_or_404(_communities(request), slug=slug)


@router.get("/{slug}/members", response={200: list[MemberOut], **error_responses(401, 404)}, auth=SIGNED_IN)
def list_members(request: HttpRequest, slug: str) -> list[Membership]:
    """Active members with their organization, admin role and KM role."""
    community = _community(request, slug)
    return list(
        community.memberships.filter(status=Membership.Status.ACTIVE)
        .select_related("user__organization")
        .order_by("user__name_th", "user__username")
    )


@router.post("/{slug}/join", response={200: MembershipOut, **error_responses(401, 403, 404)}, auth=SIGNED_IN)
def join(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Join a public community, or ask to join a closed one; twice is harmless."""
    membership, message = actions.do_join(signed_in(request), _community(request, slug))
    return {"status": membership.status, "role": membership.role, "message": message}


@router.post("/{slug}/leave", response={204: None, **error_responses(401, 404, 422)}, auth=SIGNED_IN)
def leave(request: HttpRequest, slug: str) -> tuple[int, None]:
    """Leave (or withdraw a request). The last admin is refused with the reason."""
    actions.do_leave(signed_in(request), _community(request, slug))
    return 204, None


@router.get("/{slug}/health", response={200: HealthOut, **error_responses(401, 404)}, auth=SIGNED_IN)
def health(request: HttpRequest, slug: str) -> Any:
    """The community's health figures (its readers only)."""
    return cached_health(_readable(request, slug))


def _meetings(community: Community) -> QuerySet[Meeting]:
    return Meeting.objects.filter(community=community).select_related("community")


@router.get("/{slug}/meetings", response={200: MeetingPage, **error_responses(401, 404)}, auth=SIGNED_IN)
def list_meetings(request: HttpRequest, slug: str, page: Query[PageIn]) -> dict[str, Any]:
    """Meetings, latest first."""
    meetings = _meetings(_readable(request, slug)).annotate(attendees=Count("attendances"))
    return paginate(meetings.order_by("-starts_at", "-pk"), page)


def _meeting(request: HttpRequest, slug: str, meeting_id: int) -> Meeting:
    meetings = _meetings(_readable(request, slug)).prefetch_related("agenda_items__presenter", "attendances__user")
    return get_object_or_404(meetings, pk=meeting_id)


@router.get(
    "/{slug}/meetings/{meeting_id}",
    response={200: MeetingDetailOut, **error_responses(401, 404)},
    url_name="meeting",
    auth=SIGNED_IN,
)
def get_meeting(request: HttpRequest, slug: str, meeting_id: int) -> Meeting:
    """One meeting with its agenda, attendees, minutes and after-action review."""
    return _meeting(request, slug, meeting_id)


@router.post(
    "/{slug}/meetings", response={201: MeetingDetailOut, **error_responses(401, 403, 404, 422)}, auth=SIGNED_IN
)
def schedule_meeting(
    request: HttpRequest, slug: str, data: MeetingIn, idempotency_key: str = IDEMPOTENCY_KEY
) -> tuple[int, Meeting]:
    """Schedule a meeting (admins, facilitators, note-takers, coordinators); members are told."""
    community = _readable(request, slug)
    meeting = actions.do_schedule_meeting(
        signed_in(request),
        community,
        actions.MeetingData(
            title=data.title,
            starts_at=data.starts_at,
            ends_at=data.ends_at,
            place=data.place,
            online_url=data.online_url,
            agenda=data.agenda,
            points=[actions.AgendaPoint(p.title, p.presenter, p.duration_minutes) for p in data.agenda_points],
        ),
        idempotency_key,
    )
    return 201, _meeting(request, slug, meeting.pk)


@router.post(
    "/{slug}/meetings/{meeting_id}/check-in",
    response={200: AttendanceOut, **error_responses(401, 403, 404, 422)},
    auth=SIGNED_IN,
)
def check_in(request: HttpRequest, slug: str, meeting_id: int, data: CheckInIn) -> dict[str, Any]:
    """Check yourself in, or (facilitators) someone else; twice is harmless."""
    meeting = _meeting(request, slug, meeting_id)
    person = get_object_or_404(User, pk=data.person, is_active=True) if data.person is not None else None
    attendance, created = actions.do_check_in(signed_in(request), meeting, person)
    return {"user": attendance.user, "checked_in_at": attendance.checked_in_at, "created": created}


def _threads(community: Community) -> QuerySet[Thread]:
    return Thread.objects.filter(community=community).select_related("author", "community")


@router.get("/{slug}/threads", response={200: ThreadPage, **error_responses(401, 404)}, auth=SIGNED_IN)
def list_threads(request: HttpRequest, slug: str, page: Query[PageIn]) -> dict[str, Any]:
    """Discussions, most recently active first."""
    return paginate(_threads(_readable(request, slug)).order_by("-last_activity_at", "-pk"), page)


def _thread(request: HttpRequest, slug: str, thread_id: int) -> Thread:
    threads = _threads(_readable(request, slug)).prefetch_related(
        "mentioned", "replies__author", "replies__mentioned", "replies__thread"
    )
    return get_object_or_404(threads, pk=thread_id)


@router.get(
    "/{slug}/threads/{thread_id}",
    response={200: ThreadDetailOut, **error_responses(401, 404)},
    url_name="thread",
    auth=SIGNED_IN,
)
def get_thread(request: HttpRequest, slug: str, thread_id: int) -> Thread:
    """One discussion with its replies."""
    return _thread(request, slug, thread_id)


@router.post("/{slug}/threads", response={201: ThreadDetailOut, **error_responses(401, 403, 404, 422)}, auth=SIGNED_IN)
def start_thread(
    request: HttpRequest, slug: str, data: ThreadIn, idempotency_key: str = IDEMPOTENCY_KEY
) -> tuple[int, Thread]:
    """Start a discussion (members). Mentioned people who can read the community are told."""
    thread = actions.do_start_thread(
        signed_in(request), _readable(request, slug), data.title, data.body, data.is_question, idempotency_key
    )
    return 201, _thread(request, slug, thread.pk)


@router.post(
    "/{slug}/threads/{thread_id}/replies",
    response={201: ReplyOut, **error_responses(401, 403, 404, 422)},
    auth=SIGNED_IN,
)
def reply(
    request: HttpRequest, slug: str, thread_id: int, data: ReplyIn, idempotency_key: str = IDEMPOTENCY_KEY
) -> tuple[int, Reply]:
    """Reply to a discussion (members)."""
    thread = _thread(request, slug, thread_id)
    posted = actions.do_reply(signed_in(request), thread, data.body, idempotency_key)
    return 201, Reply.objects.select_related("author", "thread").prefetch_related("mentioned").get(pk=posted.pk)


@router.post(
    "/{slug}/threads/{thread_id}/accept",
    response={200: ThreadDetailOut, **error_responses(401, 403, 404, 422)},
    auth=SIGNED_IN,
)
def accept(request: HttpRequest, slug: str, thread_id: int, data: AcceptIn) -> Thread:
    """Mark the reply that answered a question (its asker or an admin)."""
    thread = _thread(request, slug, thread_id)
    answer = get_object_or_404(Reply, thread=thread, pk=data.reply) if data.reply is not None else None
    actions.do_accept_answer(signed_in(request), thread, answer)
    return _thread(request, slug, thread_id)
