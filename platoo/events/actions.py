"""Writes to events: each checks who may do it, cleans what was typed and runs in one transaction."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from platoo.accounts.models import User
from platoo.activity import actions as activity
from platoo.activity.models import Notification, NotificationKind, Verb
from platoo.communities.models import Community
from platoo.knowledge.models import KnowledgeItem, Topic
from platoo.lib.text import clean_line, clean_text
from platoo.lib.visibility import Visibility, audience_of
from platoo.network.models import Organization, is_network_manager
from platoo.search.index import update_index

from . import tasks
from .emails import Reason
from .models import (
    EVENT_VISIBILITIES,
    Event,
    EventItem,
    EventKind,
    EventStatus,
    FollowUp,
    ParticipantReview,
    Registration,
    Session,
)

MAX_EVENT_LENGTH = timedelta(days=14)
MAX_SESSIONS = 200
AAR_FIELDS = ("aar_expected", "aar_happened", "aar_difference", "aar_next_time")
REVIEW_FIELDS = ("expected", "happened", "difference", "next_time")
REGISTERED = Registration.Status.REGISTERED
WAITLISTED = Registration.Status.WAITLISTED
CANCELLED = Registration.Status.CANCELLED


@dataclass
class SessionData:
    title: str
    starts_at: datetime | None = None
    duration_minutes: int | None = None
    room: str = ""
    topic_id: int | None = None
    speaker_ids: Sequence[int] = ()
    guest_speakers: str = ""


@dataclass
class EventData:
    title: str
    kind: str
    starts_at: datetime
    ends_at: datetime
    description: str = ""
    host_id: int | None = None
    community_id: int | None = None
    place: str = ""
    online_url: str = ""
    capacity: int | None = None
    visibility: str = Visibility.NETWORK
    topic_ids: Sequence[int] = ()
    organizer_ids: Sequence[int] = ()
    sessions: Sequence[SessionData] = field(default_factory=list)


class EventConflict(Exception):
    """The event (or its consolidated AAR) changed since the editor opened it."""

    def __init__(self, event: Event) -> None:
        super().__init__(_("Someone else saved this event while you were editing it."))
        self.event = event


def can_manage(event: Event, user: User) -> bool:
    """Its organizers, and the hub (network managers), run an event."""
    if not user.is_authenticated or not user.is_active:
        return False
    if is_network_manager(user):
        return True
    return event.organizers.filter(pk=user.pk).exists()


def can_create(user: User) -> bool:
    return user.is_authenticated and user.is_active


def _require_manager(event: Event, user: User) -> None:
    if not can_manage(event, user):
        raise PermissionDenied(_("Only the event's organizers and the network's managers can do this."))


def locked(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _clean(data: EventData) -> dict[str, object]:
    title = clean_line(data.title)
    if not title:
        raise ValidationError({"title": _("Give the event a title.")})
    if data.kind not in EventKind.values:
        raise ValidationError({"kind": _("Choose a kind of event from the list.")})
    if data.visibility not in dict(EVENT_VISIBILITIES):
        raise ValidationError({"visibility": _("Choose who can see the event from the list.")})
    if timezone.is_naive(data.starts_at) or timezone.is_naive(data.ends_at):
        raise ValidationError({"starts_at": _("Give the date and time of the event.")})
    if data.ends_at < data.starts_at:
        raise ValidationError({"ends_at": _("An event cannot end before it starts.")})
    if data.ends_at - data.starts_at > MAX_EVENT_LENGTH:
        raise ValidationError({"ends_at": _("An event can last at most fourteen days; check the end date.")})
    now = timezone.now()
    if not (now - timedelta(days=365 * 20) <= data.starts_at <= now + timedelta(days=365 * 6)):
        raise ValidationError(
            {"starts_at": _("Check the year: events are kept up to twenty years back and six ahead.")}
        )
    if data.capacity is not None and data.capacity < 1:
        raise ValidationError({"capacity": _("Capacity is at least one person; leave it empty for no limit.")})
    online_url = data.online_url.strip()
    if online_url and not online_url.startswith(("https://", "http://")):
        raise ValidationError({"online_url": _("The online link must start with https://.")})
    if data.visibility == Visibility.ORGANIZATION and not data.host_id:
        raise ValidationError({"visibility": _("An event for one organization's people needs a host organization.")})
    if data.community_id and not Community.objects.filter(pk=data.community_id).exists():
        raise ValidationError({"community_id": _("Choose a community from the list.")})
    if data.host_id and not Organization.objects.members().filter(pk=data.host_id).exists():
        raise ValidationError({"host_id": _("The host must be a member organization of the network.")})
    return {
        "title": title[:250],
        "kind": data.kind,
        "description": clean_text(data.description).strip(),
        "host_id": data.host_id,
        "community_id": data.community_id,
        "place": clean_line(data.place)[:300],
        "online_url": online_url,
        "starts_at": data.starts_at,
        "ends_at": data.ends_at,
        "capacity": data.capacity,
        "visibility": data.visibility,
    }


def check_event_data(data: EventData) -> None:
    """Raise what do_create_event would refuse, writing nothing (an import's preview)."""
    _clean(data)


def _set_relations(event: Event, data: EventData, actor: User) -> None:
    topics = list(Topic.objects.filter(pk__in=data.topic_ids))
    if len(topics) != len(set(data.topic_ids)):
        raise ValidationError({"topic_ids": _("Choose topics from the list.")})
    event.topics.set(topics)
    organizers = list(User.objects.filter(pk__in=data.organizer_ids, is_active=True)) or [actor]
    event.organizers.set(organizers)
    sessions = list(data.sessions)
    if len(sessions) > MAX_SESSIONS:
        raise ValidationError({"sessions": _("At most %(max)d sessions, please.") % {"max": MAX_SESSIONS}})
    speaker_ids = {pk for s in sessions for pk in s.speaker_ids}
    known = set(User.objects.filter(pk__in=speaker_ids, is_active=True).values_list("pk", flat=True))
    if speaker_ids - known:
        raise ValidationError({"sessions": _("A speaker must be a person with an active account.")})
    # Sessions keep their rows, matched by their place in the agenda, so what hangs on them (the
    # share-and-show submissions placed in a slot) stays where it was; rows no longer given go.
    existing = list(event.sessions.order_by("position", "pk"))
    kept = []
    for position, session in enumerate(s for s in sessions if clean_line(s.title)):
        title = clean_line(session.title)
        if session.starts_at is not None and not (event.starts_at <= session.starts_at <= event.ends_at):
            raise ValidationError({"sessions": _("“%(title)s” starts outside the event's time.") % {"title": title}})
        row = existing[position] if position < len(existing) else Session(event=event)
        row.position = position + 1
        row.title = title[:300]
        row.starts_at = session.starts_at
        row.duration_minutes = session.duration_minutes
        row.room = clean_line(session.room)[:200]
        row.topic_id = session.topic_id
        row.guest_speakers = clean_line(session.guest_speakers)[:300]
        row.save()
        row.speakers.set(session.speaker_ids)
        kept.append(row.pk)
    event.sessions.exclude(pk__in=kept).delete()


@transaction.atomic
def do_create_event(actor: User, data: EventData, key: str = "") -> Event:
    """A draft event; its organizers (the actor by default) publish it. A repeated key returns the first."""
    if not can_create(actor):
        raise PermissionDenied(_("Sign in to organize an event."))
    key = key.strip()[:64]
    if key and (done := Event.objects.filter(created_by=actor, creation_key=key).first()):
        return done
    values = _clean(data)
    if data.kind == EventKind.FAIR:
        from .fair import require_ready  # the fair's gate: the network old enough, enough verified stories

        require_ready()
    try:
        with transaction.atomic():
            event = Event.objects.create(created_by=actor, creation_key=key, **values)
    except IntegrityError:
        if not key:
            raise
        return Event.objects.get(created_by=actor, creation_key=key)
    _set_relations(event, data, actor)
    update_index(event)
    return event


@transaction.atomic
def do_update_event(actor: User, event: Event, data: EventData, base_version: int) -> Event:
    """Change an event, unless someone saved it since `base_version`; registrants hear of a new time or place."""
    _require_manager(event, actor)
    values = _clean(data)
    before = Event.objects.get(pk=event.pk)
    saved = Event.objects.filter(pk=event.pk, version=base_version).update(
        version=F("version") + 1, updated_at=timezone.now(), **values
    )
    event.refresh_from_db()
    if not saved:
        raise EventConflict(event)
    _set_relations(event, data, actor)
    moved = (before.starts_at, before.ends_at, before.place, before.online_url) != (
        event.starts_at,
        event.ends_at,
        event.place,
        event.online_url,
    )
    if moved and event.is_published:
        told = _tell_registrants(event, actor, NotificationKind.EVENT_CHANGED)
        tasks.email_on_commit(_places(event), Reason.CHANGED, told)  # their calendars get the new time
    update_index(event)
    return event


def _tell_registrants(event: Event, actor: User | None, kind: str) -> list[Notification]:
    people = User.objects.filter(
        event_registrations__event=event, event_registrations__status__in=[REGISTERED, WAITLISTED]
    )
    return activity.notify(people, kind, actor=actor, title=event.title, url=event.get_absolute_url())


def _places(event: Event) -> list[Registration]:
    return list(Registration.objects.filter(event=event, status=REGISTERED))


@transaction.atomic
def do_publish_event(actor: User, event: Event) -> Event:
    _require_manager(event, actor)
    event = locked(event)
    if event.status == EventStatus.CANCELLED:
        raise ValidationError(_("A cancelled event cannot be published again; make a new one."))
    if event.status == EventStatus.PUBLISHED:
        return event
    now = timezone.now()
    event.status, event.published_at, event.updated_at = EventStatus.PUBLISHED, now, now
    event.save(update_fields=["status", "published_at", "updated_at"])
    subjects = [f"person:{actor.pk}", *(f"topic:{pk}" for pk in event.topics.values_list("pk", flat=True))]
    if event.community_id:
        subjects.append(f"community:{event.community_id}")
    activity.record(
        actor,
        Verb.EVENT_PUBLISHED,
        title=event.title,
        url=event.get_absolute_url(),
        audience=audience_of(event.visibility, event.host_id),
        subjects=subjects,
        target=f"event:{event.pk}",
    )
    update_index(event)
    return event


@transaction.atomic
def do_cancel_event(actor: User, event: Event) -> Event:
    _require_manager(event, actor)
    event = locked(event)
    if event.status == EventStatus.CANCELLED:
        return event
    was_published = event.is_published
    event.status, event.cancelled_at = EventStatus.CANCELLED, timezone.now()
    event.updated_at = event.cancelled_at
    event.save(update_fields=["status", "cancelled_at", "updated_at"])
    if was_published:
        told = _tell_registrants(event, actor, NotificationKind.EVENT_CHANGED)
        tasks.email_on_commit(_places(event), Reason.EVENT_CANCELLED, told)  # out of their calendars
    update_index(event)
    return event


@transaction.atomic
def do_register(user: User, event: Event, bar_learn: str = "", bar_from_whom: str = "") -> Registration:
    """Register for a published event; past its capacity, join the waitlist. Twice is harmless (the
    before-action review is updated)."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied(_("Sign in to register."))
    event = locked(event)  # places are counted and taken one registration at a time
    if event.status != EventStatus.PUBLISHED:
        raise ValidationError(_("Registration is open only for published events."))
    if event.ends_at < timezone.now():
        raise ValidationError(_("This event is over; registration has closed."))
    learn, from_whom = clean_text(bar_learn).strip(), clean_text(bar_from_whom).strip()
    existing = Registration.objects.filter(event=event, user=user).first()
    if existing is not None and existing.status != CANCELLED:
        existing.bar_learn, existing.bar_from_whom = learn or existing.bar_learn, from_whom or existing.bar_from_whom
        existing.save(update_fields=["bar_learn", "bar_from_whom"])
        return existing
    status = REGISTERED if has_room(event) else WAITLISTED
    now = timezone.now()
    if existing is not None:
        existing.status, existing.registered_at = status, now
        existing.bar_learn, existing.bar_from_whom = learn, from_whom
        existing.organization_id = user.organization_id
        existing.save(update_fields=["status", "registered_at", "bar_learn", "bar_from_whom", "organization"])
        registration = existing
    else:
        registration = Registration.objects.create(
            event=event,
            user=user,
            status=status,
            organization_id=user.organization_id,
            registered_at=now,
            bar_learn=learn,
            bar_from_whom=from_whom,
        )
    tasks.email_on_commit([registration], Reason.REGISTERED if status == REGISTERED else Reason.WAITLISTED)
    return registration


def has_room(event: Event) -> bool:
    if event.capacity is None:
        return True
    taken = Registration.objects.filter(event=event, status=REGISTERED).count()
    return taken < event.capacity


def _promote(event: Event, actor: User | None) -> list[Registration]:
    """Give freed places to the waitlist, first come first served, and tell them."""
    promoted = []
    while has_room(event):
        first = Registration.objects.filter(event=event, status=WAITLISTED).order_by("registered_at", "pk").first()
        if first is None:
            break
        first.status = REGISTERED
        first.save(update_fields=["status"])
        promoted.append(first)
    told = activity.notify(
        [r.user for r in promoted],
        NotificationKind.WAITLIST_PROMOTED,
        actor=None,
        title=event.title,
        url=event.get_absolute_url(),
    )
    tasks.email_on_commit(promoted, Reason.PROMOTED, told)
    return promoted


@transaction.atomic
def do_cancel_registration(user: User, event: Event) -> list[Registration]:
    """Give up one's place (or waitlist spot); the waitlist moves up. Returns whom it promoted."""
    event = locked(event)
    registration = Registration.objects.filter(event=event, user=user).exclude(status=CANCELLED).first()
    if registration is None:
        raise ValidationError(_("You are not registered for this event."))
    if registration.checked_in_at is not None:
        raise ValidationError(_("You have been checked in; your attendance stays on record."))
    had_place = registration.status == REGISTERED
    registration.status = CANCELLED
    registration.save(update_fields=["status"])
    tasks.email_on_commit([registration], Reason.LEFT if had_place else Reason.LEFT_WAITLIST)
    return _promote(event, user)


@transaction.atomic
def do_set_capacity(actor: User, event: Event, capacity: int | None) -> list[Registration]:
    """A larger room: the waitlist moves up (a smaller one keeps everyone already registered)."""
    _require_manager(event, actor)
    if capacity is not None and capacity < 1:
        raise ValidationError({"capacity": _("Capacity is at least one person; leave it empty for no limit.")})
    event = locked(event)
    Event.objects.filter(pk=event.pk).update(capacity=capacity)
    event.capacity = capacity
    return _promote(event, actor)


def can_check_in(event: Event, user: User) -> bool:
    return can_manage(event, user)


@transaction.atomic
def do_check_in(actor: User, event: Event, person: User) -> tuple[Registration, bool]:
    """Check a person in at the door (by QR code or from the list). Someone not registered is checked
    in all the same, marked as a walk-in. Returns the registration and whether this was a new check-in."""
    if not can_check_in(event, actor):
        raise PermissionDenied(_("Only the event's organizers can check people in."))
    if not person.is_active:
        raise ValidationError(_("This account is not active."))
    event = locked(event)
    if event.status != EventStatus.PUBLISHED:
        raise ValidationError(_("Check-in is open only for published events."))
    if timezone.now() < event.starts_at - timedelta(hours=3):
        raise ValidationError(_("Check-in opens three hours before the event starts."))
    now = timezone.now()
    registration = Registration.objects.filter(event=event, user=person).first()
    if registration is None:
        registration = Registration.objects.create(
            event=event, user=person, status=REGISTERED, organization_id=person.organization_id, walk_in=True
        )
    elif registration.checked_in_at is not None:
        return registration, False
    elif registration.status != REGISTERED:
        # On the waitlist or cancelled, yet at the door: let them in, and say so on the list.
        registration.walk_in = True
        registration.status = REGISTERED
    registration.checked_in_at, registration.checked_in_by = now, actor
    registration.save(update_fields=["status", "walk_in", "checked_in_at", "checked_in_by"])
    return registration, True


@transaction.atomic
def do_undo_check_in(actor: User, registration: Registration) -> None:
    if not can_check_in(registration.event, actor):
        raise PermissionDenied(_("Only the event's organizers can change check-in."))
    Registration.objects.filter(pk=registration.pk).update(checked_in_at=None, checked_in_by=None)


def attended(event: Event, user: User) -> bool:
    return Registration.objects.filter(event=event, user=user, checked_in_at__isnull=False).exists()


@transaction.atomic
def do_write_review(user: User, event: Event, answers: dict[str, str]) -> ParticipantReview:
    """A participant's after-action review (once they attended and the event has started)."""
    if not attended(event, user):
        raise PermissionDenied(_("Only people checked in at the event can review it."))
    unknown = set(answers) - set(REVIEW_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown review fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    values = {name: clean_text(answers.get(name, "")).strip() for name in REVIEW_FIELDS}
    if not any(values.values()):
        raise ValidationError(_("Answer at least one question."))
    review, created = ParticipantReview.objects.get_or_create(event=event, user=user, defaults=values)
    if not created:
        for name, value in values.items():
            setattr(review, name, value)
        review.updated_at = timezone.now()
        review.save()
    return review


@transaction.atomic
def do_write_consolidated_aar(actor: User, event: Event, answers: dict[str, str], base_version: int) -> Event:
    """The note-taker's consolidated after-action review, unless someone saved the event since."""
    _require_manager(event, actor)
    unknown = set(answers) - set(AAR_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown review fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    values = {name: clean_text(answers.get(name, "")).strip() for name in AAR_FIELDS}
    saved = Event.objects.filter(pk=event.pk, version=base_version).update(
        version=F("version") + 1, aar_by=actor, aar_updated_at=timezone.now(), **values
    )
    event.refresh_from_db()
    if not saved:
        raise EventConflict(event)
    return event


@transaction.atomic
def do_add_follow_up(actor: User, event: Event, action: str, owner: User | None, due_on: date | None) -> FollowUp:
    _require_manager(event, actor)
    text = clean_line(action)
    if not text:
        raise ValidationError({"action": _("Say what is to be done.")})
    if owner is not None and not owner.is_active:
        raise ValidationError({"owner": _("The owner must be a person with an active account.")})
    return FollowUp.objects.create(event=event, action=text[:300], owner=owner, due_on=due_on, created_by=actor)


@transaction.atomic
def do_set_follow_up_done(actor: User, follow_up: FollowUp, done: bool) -> FollowUp:
    if follow_up.owner_id != actor.pk and not can_manage(follow_up.event, actor):
        raise PermissionDenied(_("Only its owner and the event's organizers can mark it."))
    follow_up.done_at = timezone.now() if done else None
    follow_up.save(update_fields=["done_at"])
    return follow_up


def can_capture(event: Event, user: User) -> bool:
    """Organizers, speakers and participants capture knowledge from an event that has started."""
    if not user.is_authenticated or not user.is_active or not event.has_started():
        return False
    if can_manage(event, user) or attended(event, user):
        return True
    return Session.objects.filter(event=event, speakers=user).exists()


def attach_to_event(actor: User, event: Event, item: KnowledgeItem) -> None:
    EventItem.objects.get_or_create(
        event=event, item=item, defaults={"captured_by": actor, "captured_at": timezone.now()}
    )


def speakers_of(event: Event) -> list[User]:
    return list(User.objects.filter(event_sessions__event=event, is_active=True).distinct())
