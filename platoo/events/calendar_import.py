"""Importing events from an iCalendar (.ics) file that an organizer uploads: each VEVENT a draft event.

How the file's times are read (Platoo stores UTC and shows Bangkok time):
- with a TZID: in that zone, whether an IANA name (America/New_York), a Windows name that icalendar
  maps (Eastern Standard Time) or a zone the file describes in its own VTIMEZONE. A TZID that is none
  of these is not guessed: the event is listed as not importable, with the reason.
- in UTC ("…Z"): as written.
- floating (no zone): as Bangkok time, the network's.
- all-day (DATE values): from 00:00 of the first day to 23:59 of the last, Bangkok time (DTEND is the
  day after the last, RFC 5545 §3.6.1).
A repeating event (RRULE) becomes its first MAX_OCCURRENCES occurrences (EXDATE left out, RDATE added,
RECURRENCE-ID changes applied) and the preview says when the series goes on; the rest are added by
hand. Rules whose expansion could run long (more often than daily, or combinations that may never
occur) are not expanded: only the first occurrence is imported, and the preview says so.

Nothing is written until the organizer confirms the preview; then every chosen draft is made in one
transaction, all or none. The preview's events travel signed, so the file is read once, and each
draft's creation key (from its UID and start) makes a repeated import find the drafts it made before.
"""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.rrule import rruleset, rrulestr
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from icalendar import Calendar, vRecur
from icalendar import Event as VEvent

from platoo.accounts.models import User
from platoo.lib.text import clean_line, clean_text

from . import actions
from .models import Event

MAX_BYTES = 1024 * 1024
MAX_EVENTS = 200
MAX_OCCURRENCES = 10
BANGKOK = ZoneInfo("Asia/Bangkok")
PAYLOAD_SALT = "platoo.events.calendar-import"
PAYLOAD_MAX_AGE = 6 * 3600  # a preview left open longer is uploaded again
ONLINE_URL_MAX = 200  # Event.online_url's column

# Rules that dateutil expands quickly whatever their values: daily to yearly, without the parts whose
# impossible combinations (February 30th) make it search day by day up to the year 9999.
EXPANDABLE_FREQS = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
RULE_PARTS = {"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "WKST", "BYMONTHDAY", "BYMONTH"}


class Unreadable(Exception):
    """Why one VEVENT cannot be imported (the rest of the file still can)."""


@dataclass
class Candidate:
    """One event read from the file, in Bangkok's terms, with what the preview must say about it."""

    title: str
    description: str
    place: str
    online_url: str
    starts_at: datetime
    ends_at: datetime
    all_day: bool = False
    zone: str = ""  # where its times came from: "America/New_York", "UTC", "" (floating: Bangkok)
    source_start: str = ""  # its start as the file wrote it
    occurrence: int = 0  # n: the n-th of a repeating series
    series_goes_on: bool = False
    key: str = ""
    notes: list[str] = field(default_factory=list)
    problem: str = ""
    existing: Event | None = None

    @property
    def importable(self) -> bool:
        return not self.problem

    def to_payload(self) -> dict[str, str]:
        return {
            "title": self.title,
            "description": self.description,
            "place": self.place,
            "online_url": self.online_url,
            "starts_at": self.starts_at.isoformat(),
            "ends_at": self.ends_at.isoformat(),
            "key": self.key,
        }


def read_upload(upload: UploadedFile) -> bytes:
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ValidationError(_("The file is larger than 1 MB. Export a shorter period of the calendar."))
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(_("The file is larger than 1 MB. Export a shorter period of the calendar."))
    return data


def _decode(data: bytes) -> str:
    # UTF-8 as RFC 5545 asks; Windows Thai (cp874) from older Thai exports.
    for encoding in ("utf-8-sig", "cp874"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("This file is not a calendar (.ics) file."))


def _key(uid: str, title: str, starts_at: datetime) -> str:
    return hashlib.sha256(f"ics:{uid or title}:{starts_at.astimezone(UTC).isoformat()}".encode()).hexdigest()


def _aware(value: datetime, params: Any) -> tuple[datetime, str]:
    """The moment, and the zone it was written in ("" for floating time, read as Bangkok's)."""
    if value.tzinfo is None:
        tzid = params.get("TZID") if params else None
        if tzid:
            raise Unreadable(
                _("Its time zone “%(zone)s” is unknown and the file does not describe it.") % {"zone": tzid}
            )
        return value.replace(tzinfo=BANGKOK), ""
    key = getattr(value.tzinfo, "key", "")  # zoneinfo's IANA name, also for the Windows names mapped to it
    tzid = str(params.get("TZID", "")) if params else ""
    return value, str(key if key and key != "UTC" else tzid or "UTC")


def _instant(value: date | datetime) -> str:
    """A moment, comparable whatever zone wrote it: to match RECURRENCE-IDs with occurrences."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=BANGKOK)
        return moment.astimezone(UTC).isoformat()
    return value.isoformat()


def _times(vevent: VEvent) -> tuple[date | datetime, date | datetime, str]:
    """Start and end (aware datetimes, or dates for all-day events) and the zone the start was written in."""
    if vevent.get("DTSTART") is None:
        raise Unreadable(_("It has no start time."))
    try:
        start, end = vevent.start, vevent.end
    except ValueError as exc:  # broken or contradictory DTSTART, DTEND or DURATION
        raise Unreadable(_("Its start or end cannot be read.")) from exc
    if (
        not isinstance(start, date)
        or not isinstance(end, date)
        or isinstance(start, datetime) != isinstance(end, datetime)
    ):
        raise Unreadable(_("Its start or end cannot be read."))
    if not isinstance(start, datetime) or not isinstance(end, datetime):
        return start, end, ""
    start, zone = _aware(start, vevent["DTSTART"].params)
    end_params = vevent["DTEND"].params if vevent.get("DTEND") is not None else vevent["DTSTART"].params
    end, _zone = _aware(end, end_params)
    return start, end, zone


def _text(vevent: VEvent, name: str) -> str:
    value = vevent.get(name)
    if isinstance(value, list):
        value = value[0] if value else ""
    return clean_text(str(value or "")).strip()


def _candidate(vevent: VEvent, start: date | datetime, end: date | datetime, zone: str) -> Candidate:
    """A candidate from one VEVENT's values, from `start` to `end` (an occurrence's, for a series)."""
    title = clean_line(_text(vevent, "SUMMARY"))[:250] or _("Untitled event")
    description = _text(vevent, "DESCRIPTION")
    location = clean_line(_text(vevent, "LOCATION"))
    link = _text(vevent, "URL")
    online_url = ""
    if location.startswith(("https://", "http://")) and " " not in location and len(location) <= ONLINE_URL_MAX:
        online_url, location = location, ""
    if link and link != online_url:
        description = f"{description}\n\n{link}".strip()
    if isinstance(start, datetime) and isinstance(end, datetime):
        candidate = Candidate(title, description, location[:300], online_url, start, end, zone=zone)
        candidate.source_start = start.strftime("%Y-%m-%d %H:%M") + (f" {zone}" if zone else "")
    else:
        last_day = max(start, end - timedelta(days=1))  # DTEND is the day after the last
        starts_at = datetime.combine(start, time(0, 0), BANGKOK)
        ends_at = datetime.combine(last_day, time(23, 59), BANGKOK)
        candidate = Candidate(title, description, location[:300], online_url, starts_at, ends_at, all_day=True)
        candidate.source_start = start.isoformat()
    candidate.key = _key(_text(vevent, "UID"), title, candidate.starts_at)
    if _text(vevent, "STATUS").upper() == "CANCELLED":
        candidate.problem = _("It is cancelled in the file.")
    return candidate


def _expandable(rule: vRecur) -> bool:
    parts = set(rule.keys())
    freq = (rule.get("FREQ") or [""])[0]
    if not parts <= RULE_PARTS or freq not in EXPANDABLE_FREQS:
        return False
    if freq in ("DAILY", "WEEKLY") and parts & {"BYMONTHDAY", "BYMONTH"}:
        return False
    if freq in ("MONTHLY", "YEARLY") and {"BYDAY", "BYMONTHDAY"} <= parts:
        return False
    if freq == "MONTHLY" and "BYMONTH" in parts:
        return False
    if freq == "MONTHLY":  # "the 6th Monday" never comes
        for day in rule.get("BYDAY", []):
            number = str(day).rstrip("MOTUWEHFRSA")
            if number not in ("", "+", "-") and abs(int(number)) > 5:
                return False
    return True


def _like(value: date | datetime, base: datetime) -> datetime:
    """An EXDATE or RDATE value in the terms of the series' start: aware, or a naive midnight (all-day)."""
    if not isinstance(value, datetime):
        return datetime.combine(value, base.time(), base.tzinfo)
    if base.tzinfo is None:
        return datetime.combine(value.date(), time())
    return value if value.tzinfo else value.replace(tzinfo=base.tzinfo)


def _extra_dates(vevent: VEvent, name: str, base: datetime) -> Iterator[datetime]:
    values = vevent.get(name) or []
    for entry in values if isinstance(values, list) else [values]:
        for item in getattr(entry, "dts", []):
            if isinstance(item.dt, date):  # PERIOD values (tuples) are not read
                yield _like(item.dt, base)


def _occurrences(vevent: VEvent, start: date | datetime, notes: list[str]) -> tuple[list[Any], bool]:
    """The series' first starts, and whether it goes on past them."""
    rules = vevent.get("RRULE")
    if rules is None:
        return [start], False
    if isinstance(rules, list) or not _expandable(rules):
        notes.append(_("It repeats in a way Platoo does not expand: only its first occurrence is imported."))
        return [start], False
    base = start if isinstance(start, datetime) else datetime.combine(start, time())
    try:
        series = rruleset()
        series.rrule(rrulestr(rules.to_ical().decode(), dtstart=base))
        for moment in _extra_dates(vevent, "EXDATE", base):
            series.exdate(moment)
        for moment in _extra_dates(vevent, "RDATE", base):
            series.rdate(moment)
        starts = list(islice(series, MAX_OCCURRENCES + 1))
    except (ValueError, TypeError):
        notes.append(_("Its repeat rule cannot be read: only its first occurrence is imported."))
        return [start], False
    if not isinstance(start, datetime):
        starts = [s.date() for s in starts]
    return starts[:MAX_OCCURRENCES], len(starts) > MAX_OCCURRENCES


def _from_vevent(vevent: VEvent, overrides: dict[tuple[str, str], VEvent]) -> list[Candidate]:
    try:
        start, end, zone = _times(vevent)
        notes: list[str] = []
        starts, goes_on = _occurrences(vevent, start, notes)
        uid = _text(vevent, "UID")
        length = end - start  # type: ignore[operator]  # _times gives two datetimes or two dates
        result = []
        for number, occurrence in enumerate(starts, start=1):
            changed = overrides.pop((uid, _instant(occurrence)), None) if uid else None
            if changed is not None:
                if _text(changed, "STATUS").upper() == "CANCELLED":
                    continue
                candidate = _from_vevent(changed, {})[0]
            else:
                candidate = _candidate(vevent, occurrence, occurrence + length, zone)
            if len(starts) > 1 or goes_on:
                candidate.occurrence = number
            candidate.notes = [*notes, *candidate.notes]
            result.append(candidate)
        if result and goes_on:
            result[-1].series_goes_on = True
        return result
    except Unreadable as reason:
        title = clean_line(_text(vevent, "SUMMARY")) or _("Untitled event")
        now = datetime.now(UTC)
        return [Candidate(title, "", "", "", now, now, problem=str(reason))]


def parse(data: bytes) -> list[Candidate]:
    """Every event in the file, with the reason for any that cannot be imported; a file that is no
    calendar, holds no event or too many is refused whole (ValidationError, in the reader's language)."""
    text = _decode(data)
    if "BEGIN:VCALENDAR" not in text.upper():
        raise ValidationError(_("This file is not a calendar (.ics) file."))
    try:
        calendars = Calendar.from_ical(text, multiple=True)
    except ValueError as exc:
        raise ValidationError(
            _("This calendar file cannot be read; it may be damaged. Export it again as iCalendar (.ics).")
        ) from exc
    vevents = [vevent for calendar in calendars for vevent in calendar.events]
    if not vevents:
        raise ValidationError(_("There are no events in this calendar file."))
    if len(vevents) > MAX_EVENTS:
        raise ValidationError(
            _("The file holds more than %(max)d events; export a shorter period.") % {"max": MAX_EVENTS}
        )
    overrides: dict[tuple[str, str], VEvent] = {}
    masters = []
    for vevent in vevents:
        recurrence = vevent.get("RECURRENCE-ID")
        moment = getattr(recurrence, "dt", None)
        if isinstance(moment, date) and _text(vevent, "UID"):
            overrides[(_text(vevent, "UID"), _instant(moment))] = vevent
        else:
            masters.append(vevent)
    candidates = [c for vevent in masters for c in _from_vevent(vevent, overrides)]
    # Changes to occurrences whose series is not in the file (or not expanded) stand on their own.
    candidates += [c for vevent in overrides.values() for c in _from_vevent(vevent, {})]
    if len(candidates) > MAX_EVENTS:
        raise ValidationError(
            _("The file holds more than %(max)d events; export a shorter period.") % {"max": MAX_EVENTS}
        )
    return candidates


def check(actor: User, candidates: list[Candidate], kind: str) -> list[Candidate]:
    """Mark what Platoo's own rules refuse (as do_create_event would), and what was imported before."""
    for candidate in candidates:
        if candidate.problem:
            continue
        data = actions.EventData(
            title=candidate.title,
            kind=kind,
            starts_at=candidate.starts_at,
            ends_at=candidate.ends_at,
            place=candidate.place,
            online_url=candidate.online_url,
        )
        try:
            actions.check_event_data(data)
        except ValidationError as error:
            candidate.problem = " ".join(error.messages)
    keys = [c.key for c in candidates if c.importable]
    made = {e.creation_key: e for e in Event.objects.filter(created_by=actor, creation_key__in=keys)}
    for candidate in candidates:
        candidate.existing = made.get(candidate.key)
    return candidates


def sign(actor: User, candidates: list[Candidate], kind: str, visibility: str, host_id: int | None) -> str:
    items = [c.to_payload() for c in candidates if c.importable]
    payload = {"user": actor.pk, "kind": kind, "visibility": visibility, "host": host_id, "items": items}
    return signing.dumps(payload, salt=PAYLOAD_SALT, compress=True)


def unsign(actor: User, token: str) -> dict[str, Any]:
    try:
        payload = signing.loads(token, salt=PAYLOAD_SALT, max_age=PAYLOAD_MAX_AGE)
    except signing.BadSignature as exc:
        raise ValidationError(_("This preview has expired; upload the file again.")) from exc
    if payload.get("user") != actor.pk:
        raise ValidationError(_("This preview has expired; upload the file again."))
    return dict(payload)


@transaction.atomic
def do_import_events(actor: User, token: str, picked: list[int]) -> list[Event]:
    """Make the picked events of a signed preview as drafts, all or none. Importing twice finds the
    drafts made the first time."""
    payload = unsign(actor, token)
    items = payload["items"]
    chosen = [items[i] for i in sorted(set(picked)) if 0 <= i < len(items)]
    if not chosen:
        raise ValidationError(_("Choose at least one event to import."))
    made = []
    for item in chosen:
        data = actions.EventData(
            title=item["title"],
            kind=payload["kind"],
            starts_at=datetime.fromisoformat(item["starts_at"]),
            ends_at=datetime.fromisoformat(item["ends_at"]),
            description=item["description"],
            place=item["place"],
            online_url=item["online_url"],
            host_id=payload["host"],
            visibility=payload["visibility"],
        )
        try:
            made.append(actions.do_create_event(actor, data, key=item["key"]))
        except ValidationError as error:
            raise ValidationError(
                _("“%(title)s” could not be imported, so nothing was: %(reason)s")
                % {"title": item["title"], "reason": " ".join(error.messages)}
            ) from error
    return made
