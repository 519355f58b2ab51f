"""Meetings of a CoP: scheduling, check-in, minutes and after-action review, knowledge captured from them."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from platoo.accounts.evidence import evidence_changed
from platoo.accounts.models import User
from platoo.activity import actions as activity
from platoo.activity.models import NotificationKind, Verb
from platoo.knowledge.models import KnowledgeItem
from platoo.lib.text import clean_line, clean_text
from platoo.search.index import update_index

from ..models import AgendaItem, Attendance, Community, Meeting, MeetingItem, SharedItem
from .community import (
    active_members,
    can_facilitate,
    can_read_content,
    is_active_member,
    locked,
    record,
    touch,
)

MAX_MEETING_LENGTH = timedelta(days=7)
# People check themselves in from shortly before a meeting until the day after it; facilitators can
# record attendance any time after it opens.
CHECK_IN_OPENS = timedelta(hours=2)
CHECK_IN_CLOSES = timedelta(hours=24)
MAX_AGENDA_POINTS = 30
AAR_FIELDS = ("aar_expected", "aar_happened", "aar_difference", "aar_next_time")


@dataclass
class AgendaPoint:
    title: str
    presenter_id: int | None = None
    duration_minutes: int | None = None


@dataclass
class MeetingData:
    title: str
    starts_at: datetime
    ends_at: datetime
    place: str = ""
    online_url: str = ""
    agenda: str = ""
    points: Sequence[AgendaPoint] = ()


class MinutesConflict(Exception):
    """Someone saved the minutes since this editor opened them; the caller shows both, losing nothing."""

    def __init__(self, meeting: Meeting) -> None:
        super().__init__(_("Someone else saved the minutes while you were writing."))
        self.meeting = meeting


def _require_facilitator(community: Community, user: User) -> None:
    if not can_facilitate(community, user):
        raise PermissionDenied(_("Only admins, facilitators, note-takers and coordinators can do this."))


def _clean(data: MeetingData) -> dict[str, object]:
    title = clean_line(data.title)
    if not title:
        raise ValidationError({"title": _("Give the meeting a title.")})
    if timezone.is_naive(data.starts_at) or timezone.is_naive(data.ends_at):
        raise ValidationError({"starts_at": _("Give the date and time of the meeting.")})
    if data.ends_at < data.starts_at:
        raise ValidationError({"ends_at": _("A meeting cannot end before it starts.")})
    if data.ends_at - data.starts_at > MAX_MEETING_LENGTH:
        raise ValidationError({"ends_at": _("A meeting can last at most seven days; check the end date.")})
    now = timezone.now()
    if not (now - timedelta(days=365 * 20) <= data.starts_at <= now + timedelta(days=365 * 5)):
        raise ValidationError(
            {"starts_at": _("Check the year: meetings are recorded up to twenty years back and five ahead.")}
        )
    online_url = data.online_url.strip()
    if online_url and not online_url.startswith(("https://", "http://")):
        raise ValidationError({"online_url": _("The online link must start with https://.")})
    return {
        "title": title,
        "starts_at": data.starts_at,
        "ends_at": data.ends_at,
        "place": clean_line(data.place),
        "online_url": online_url,
        "agenda": clean_text(data.agenda).strip(),
    }


def _points(data: MeetingData) -> list[AgendaPoint]:
    points = [p for p in data.points if clean_line(p.title)]
    if len(points) > MAX_AGENDA_POINTS:
        raise ValidationError({"points": _("At most %(max)d agenda points, please.") % {"max": MAX_AGENDA_POINTS}})
    presenter_ids = {p.presenter_id for p in points if p.presenter_id}
    known = set(User.objects.filter(pk__in=presenter_ids, is_active=True).values_list("pk", flat=True))
    if presenter_ids - known:
        raise ValidationError({"points": _("A presenter must be a person with an active account.")})
    for point in points:
        if point.duration_minutes is not None and not 0 < point.duration_minutes <= 24 * 60:
            raise ValidationError({"points": _("Give each agenda point a length between 1 and 1,440 minutes.")})
    return points


def _set_points(meeting: Meeting, points: list[AgendaPoint]) -> None:
    meeting.agenda_items.all().delete()  # each deleted point tells the index its presenter lost it
    AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            position=index,
            title=clean_line(point.title)[:300],
            presenter_id=point.presenter_id,
            duration_minutes=point.duration_minutes,
        )
        for index, point in enumerate(points, start=1)
    )
    # Bulk writes send no signals: the meeting's entry and its presenters' shown expertise follow here.
    reindex(meeting, [point.presenter_id for point in points])


def reindex(meeting: Meeting, presenter_ids: Sequence[int | None] | None = None) -> None:
    """The meeting's search entry, and those of its presenters (what they have shown), once this commits."""
    if presenter_ids is None:
        presenter_ids = list(meeting.agenda_items.values_list("presenter_id", flat=True))
    update_index(meeting)
    evidence_changed(presenter_ids)


@transaction.atomic
def do_schedule_meeting(user: User, community: Community, data: MeetingData, key: str = "") -> Meeting:
    """Schedule a meeting and tell the members. With a one-time key, a double submit returns the first."""
    _require_facilitator(community, user)
    key = key.strip()[:64]
    if key and (done := Meeting.objects.filter(created_by=user, creation_key=key).first()):
        return done
    values = _clean(data)
    points = _points(data)
    try:
        with transaction.atomic():
            meeting = Meeting.objects.create(community=community, created_by=user, creation_key=key, **values)
    except IntegrityError:
        if not key:
            raise
        return Meeting.objects.get(created_by=user, creation_key=key)
    _set_points(meeting, points)
    url = meeting.get_absolute_url()
    record(user, Verb.MEETING_SCHEDULED, community, title=meeting.title, url=url, target=f"meeting:{meeting.pk}")
    activity.notify(active_members(community), NotificationKind.MEETING, actor=user, title=meeting.title, url=url)
    touch(community)
    return meeting


@transaction.atomic
def do_update_meeting(user: User, meeting: Meeting, data: MeetingData) -> Meeting:
    _require_facilitator(meeting.community, user)
    values = _clean(data)
    points = _points(data)
    Meeting.objects.filter(pk=meeting.pk).update(version=F("version") + 1, **values)
    meeting.refresh_from_db()
    _set_points(meeting, points)
    return meeting


@transaction.atomic
def do_cancel_meeting(user: User, meeting: Meeting) -> None:
    _require_facilitator(meeting.community, user)
    if meeting.attendances.exists():
        raise ValidationError(_("People have checked in to this meeting, so it took place and cannot be cancelled."))
    meeting.cancelled_at = meeting.cancelled_at or timezone.now()
    Meeting.objects.filter(pk=meeting.pk, cancelled_at__isnull=True).update(cancelled_at=meeting.cancelled_at)
    reindex(meeting)


@transaction.atomic
def do_check_in(actor: User, meeting: Meeting, person: User | None = None) -> tuple[Attendance, bool]:
    """Check `person` (the actor by default) in; a second check-in changes nothing."""
    person = person or actor
    meeting = Meeting.objects.select_related("community").get(pk=meeting.pk)
    community = meeting.community
    facilitating = can_facilitate(community, actor)
    if person.pk != actor.pk and not facilitating:
        raise PermissionDenied(_("Only facilitators and note-takers can check other people in."))
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting was cancelled."))
    if not person.is_active or not can_read_content(community, person):
        raise ValidationError(_("Only people who can take part in this community can be checked in."))
    now = timezone.now()
    if now < meeting.starts_at - CHECK_IN_OPENS:
        raise ValidationError(_("Check-in opens two hours before the meeting starts."))
    if not facilitating and now > meeting.ends_at + CHECK_IN_CLOSES:
        raise ValidationError(_("Check-in has closed; ask the note-taker to record your attendance."))
    attendance, created = Attendance.objects.get_or_create(
        meeting=meeting, user=person, defaults={"checked_in_at": now, "checked_in_by": actor}
    )
    if created:
        touch(community, now)
    return attendance, created


@transaction.atomic
def do_undo_check_in(actor: User, attendance: Attendance) -> None:
    if attendance.user_id != actor.pk and not can_facilitate(attendance.meeting.community, actor):
        raise PermissionDenied(_("Only facilitators and note-takers can change other people's attendance."))
    attendance.delete()


@transaction.atomic
def do_write_minutes(user: User, meeting: Meeting, minutes: str, aar: dict[str, str], base_version: int) -> Meeting:
    """Save the minutes and the after-action review, unless someone saved them since `base_version`."""
    _require_facilitator(meeting.community, user)
    unknown = set(aar) - set(AAR_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown review fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    had_minutes = bool(Meeting.objects.filter(pk=meeting.pk).values_list("minutes", flat=True).first())
    now = timezone.now()
    values = {name: clean_text(aar.get(name, "")).strip() for name in AAR_FIELDS}
    saved = Meeting.objects.filter(pk=meeting.pk, version=base_version).update(
        minutes=clean_text(minutes).strip(),
        minutes_by=user,
        minutes_updated_at=now,
        version=F("version") + 1,
        **values,
    )
    meeting.refresh_from_db()
    if not saved:
        raise MinutesConflict(meeting)
    update_index(meeting)
    if meeting.minutes and not had_minutes:
        record(user, Verb.MINUTES_WRITTEN, meeting.community, title=meeting.title, url=meeting.get_absolute_url())
    touch(meeting.community, now)
    return meeting


def can_capture(meeting: Meeting, user: User) -> bool:
    """Members who can read the meeting, and those who attended it, capture knowledge from it."""
    if not user.is_authenticated or not can_read_content(meeting.community, user):
        return False
    return is_active_member(meeting.community, user) or meeting.attendances.filter(user=user).exists()


def attach_to_meeting(actor: User, meeting: Meeting, item: KnowledgeItem) -> None:
    """A new item captured from a meeting: linked to it, and shared into its community."""
    community = locked(meeting.community)
    now = timezone.now()
    MeetingItem.objects.get_or_create(meeting=meeting, item=item, defaults={"captured_by": actor, "captured_at": now})
    SharedItem.objects.get_or_create(community=community, item=item, defaults={"shared_by": actor, "shared_at": now})
    record(actor, Verb.ITEM_CAPTURED, community, title=meeting.title, url=meeting.get_absolute_url())
    touch(community, now)
