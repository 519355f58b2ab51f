"""Six demo communities of practice over the demo network (platoo.network.demo must be loaded first),
with a history: meetings with attendance, minutes, AARs and captured knowledge, and discussions.

Everything is made with the real actions, then dated back to when the specs say it happened, so the
health panels, the hub's attention list and the feeds show a year of life on the first run.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from platoo.accounts.models import User
from platoo.activity.models import Activity, Notification
from platoo.knowledge.actions import ItemData, do_create_item
from platoo.knowledge.models import Kind, KnowledgeItem, Revision, Topic
from platoo.knowledge.provenance import open_capture
from platoo.lib.visibility import Visibility

from .. import actions
from ..models import (
    Attendance,
    Community,
    CommunityStep,
    Meeting,
    MeetingItem,
    Membership,
    Reply,
    SharedItem,
    StageChange,
    Thread,
)
from .specs import COPS, DemoCoP, DemoMeeting, DemoThread

__all__ = ["COPS", "DEMO_CONTENT", "load", "remove"]

DEMO_CONTENT = "communities of practice"  # how load_demo names what load() counted
DEMO_PREFIX = "demo-"
MEETING_HOURS = 3
READ_AFTER = timedelta(days=7)  # older demo notifications count as read


def _dated(url: str, moment: datetime, since: datetime) -> None:
    """What the actions recorded about `url` since `since` (feed entries, notifications) happened at `moment`."""
    Activity.objects.filter(url__startswith=url, created_at__gte=since).update(created_at=moment)
    read = moment if timezone.now() - moment > READ_AFTER else None
    Notification.objects.filter(url__startswith=url, created_at__gte=since).update(created_at=moment, read_at=read)


def _meeting(spec: DemoMeeting, community: Community, admin: User, users: dict[str, User], now: datetime) -> None:
    # Nine in the morning, Thailand time.
    starts = timezone.localtime(now - timedelta(days=spec.days_ago)).replace(hour=9, minute=0, second=0, microsecond=0)
    points = [actions.AgendaPoint(title, users[name].pk if name else None, 45) for title, name in spec.agenda]
    data = actions.MeetingData(
        title=spec.title,
        starts_at=starts,
        ends_at=starts + timedelta(hours=MEETING_HOURS),
        place=spec.place,
        online_url=spec.online_url,
        points=points,
    )
    since = timezone.now()
    meeting = actions.do_schedule_meeting(admin, community, data)
    url = meeting.get_absolute_url()
    announced = starts - timedelta(days=14)
    Meeting.objects.filter(pk=meeting.pk).update(created_at=announced)
    _dated(url, announced, since)
    if spec.days_ago <= 0:
        return
    for name in spec.attendees:
        actions.do_check_in(admin, meeting, users[name])
    Attendance.objects.filter(meeting=meeting).update(checked_in_at=starts + timedelta(minutes=10))
    if spec.minutes or spec.aar:
        since = timezone.now()
        expected, happened, difference, next_time = spec.aar or ("", "", "", "")
        aar = {"aar_expected": expected, "aar_happened": happened, "aar_difference": difference}
        actions.do_write_minutes(admin, meeting, spec.minutes, {**aar, "aar_next_time": next_time}, meeting.version)
        written = starts + timedelta(hours=MEETING_HOURS + 2)
        Meeting.objects.filter(pk=meeting.pk).update(minutes_updated_at=written)
        _dated(url, written, since)
    if spec.captured:
        since = timezone.now()
        title, body = spec.captured
        capture = open_capture(admin, f"meeting:{meeting.pk}")
        assert capture is not None
        initial = capture.initial
        item = do_create_item(
            admin,
            ItemData(
                title=title,
                kind=Kind.LESSON,
                summary=body.split(" ")[0],
                body=body,
                tag_names=["ถอดบทเรียน", "ชุมชนแนวปฏิบัติ"],
                visibility=Visibility.NETWORK,
                topic_ids=initial["topics"],
                author_ids=initial["authors"],
                extra={
                    name: initial[name] or ""
                    for name in ("aar_expected", "aar_happened", "aar_difference", "aar_next_time")
                },
            ),
            capture=capture,
        )
        captured = starts + timedelta(days=2)
        KnowledgeItem.objects.filter(pk=item.pk).update(created_at=captured, updated_at=captured)
        Revision.objects.filter(item=item).update(created_at=captured)
        MeetingItem.objects.filter(item=item).update(captured_at=captured)
        SharedItem.objects.filter(item=item).update(shared_at=captured)
        _dated(url, captured, since)
        _dated(item.get_absolute_url(), captured, since)


def _thread(spec: DemoThread, community: Community, users: dict[str, User], now: datetime) -> None:
    started = now - timedelta(days=spec.days_ago)
    since = timezone.now()
    thread = actions.do_start_thread(users[spec.author], community, spec.title, spec.body, spec.question)
    _dated(thread.get_absolute_url(), started, since)
    replies = []
    for author, days_ago, body in spec.replies:
        since = timezone.now()
        reply = actions.do_reply(users[author], thread, body)
        moment = now - timedelta(days=days_ago)
        Reply.objects.filter(pk=reply.pk).update(created_at=moment)
        _dated(reply.get_absolute_url(), moment, since)
        replies.append(reply)
    last = now - timedelta(days=min([spec.days_ago, *(d for _a, d, _b in spec.replies)]))
    Thread.objects.filter(pk=thread.pk).update(created_at=started, last_activity_at=last)
    if spec.accepted is not None:
        since = timezone.now()
        actions.do_accept_answer(users[spec.author], thread, replies[spec.accepted])
        _dated(replies[spec.accepted].get_absolute_url(), last, since)
    if spec.made_knowledge is not None:
        since = timezone.now()
        reply = replies[spec.made_knowledge]
        item, _created = actions.do_make_knowledge(users[spec.author], reply)
        made = now - timedelta(days=spec.replies[spec.made_knowledge][1] - 1)
        _dated(item.get_absolute_url(), made, since)
        KnowledgeItem.objects.filter(pk=item.pk).update(created_at=made, updated_at=made)
        Revision.objects.filter(item=item).update(created_at=made)
        SharedItem.objects.filter(item=item).update(shared_at=made)


def _last_activity(community: Community) -> datetime | None:
    now = timezone.now()
    moments = [
        Thread.objects.filter(community=community).aggregate(m=Max("last_activity_at"))["m"],
        Meeting.objects.filter(community=community, starts_at__lte=now).aggregate(m=Max("starts_at"))["m"],
        SharedItem.objects.filter(community=community).aggregate(m=Max("shared_at"))["m"],
        Membership.objects.filter(community=community).aggregate(m=Max("joined_at"))["m"],
    ]
    return max((m for m in moments if m is not None), default=None)


def _community(spec: DemoCoP, users: dict[str, User], topics: dict[str, Topic], now: datetime) -> None:
    admin = users[spec.admin]
    people = [admin, *(users[name] for name, _role in spec.members)]
    first_stage, first_days, _note = spec.stages[0]
    community = actions.do_create_community(
        admin,
        actions.CommunityData(
            name=spec.name,
            slug=spec.slug,
            domain=spec.domain,
            purpose=spec.purpose,
            level=spec.level,
            visibility=spec.visibility,
            stage=first_stage,
            organization_ids=sorted({p.organization_id for p in people if p.organization_id}),
            topic_ids=[topics[slug].pk for slug in spec.topics],
        ),
    )
    started = now - timedelta(days=first_days)
    Community.objects.filter(pk=community.pk).update(created_at=started)
    _dated(community.get_absolute_url(), started, now)
    Membership.objects.filter(community=community).update(joined_at=started)
    StageChange.objects.filter(community=community).delete()
    for stage, days, note in spec.stages:
        StageChange.objects.create(
            community=community, stage=stage, changed_by=admin, changed_at=now - timedelta(days=days), note=note
        )
    Community.objects.filter(pk=community.pk).update(stage=spec.stages[-1][0])
    for index, (name, km_role) in enumerate(spec.members):
        Membership.objects.create(
            community=community,
            user=users[name],
            km_role=km_role,
            status=Membership.Status.ACTIVE,
            joined_at=started + timedelta(days=7 * (index + 1)),
        )
    for number, days, note in spec.steps:
        CommunityStep.objects.filter(community=community, number=number).update(
            done_on=(now - timedelta(days=days)).date(), notes=note
        )
    items = KnowledgeItem.objects.filter(
        created_by__username__in=spec.sharers, visibility__in=[Visibility.PUBLIC, Visibility.NETWORK]
    ).order_by("pk")[:5]
    for index, item in enumerate(items):
        SharedItem.objects.create(
            community=community,
            item=item,
            shared_by=item.created_by,
            shared_at=now - timedelta(days=max(first_days - 30 * (index + 1), 1)),
        )
    for meeting in spec.meetings:
        _meeting(meeting, community, admin, users, now)
    for thread in spec.threads:
        _thread(thread, community, users, now)
    Community.objects.filter(pk=community.pk).update(last_activity_at=_last_activity(community))


@transaction.atomic
def load() -> int:
    """Create the demo CoPs (skipping any already there); returns how many demo CoPs exist."""
    now = timezone.now()
    names = {spec.admin for spec in COPS} | {n for spec in COPS for n, _r in spec.members}
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    topics = {t.slug: t for t in Topic.objects.filter(slug__in={s for spec in COPS for s in spec.topics})}
    for spec in COPS:
        if not Community.objects.filter(slug=spec.slug).exists():
            _community(spec, users, topics, now)
    # The demo's past is not news: its notifications count as emailed, so loading it sends no email.
    Notification.objects.filter(recipient__in=users.values(), emailed_at__isnull=True).update(emailed_at=now)
    return Community.objects.filter(slug__startswith=DEMO_PREFIX).count()


@transaction.atomic
def remove() -> None:
    communities = Community.objects.filter(slug__in=[spec.slug for spec in COPS])
    for community in communities:
        url = community.get_absolute_url()
        Activity.objects.filter(url__startswith=url).delete()
        Notification.objects.filter(url__startswith=url).delete()
    communities.delete()
