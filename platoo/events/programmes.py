"""Writes to the year's programme of home-and-away visits and to what the planner reads.

The planner itself (platoo/events/planner.py) is pure; here its inputs are read from the database
(members, their hosting preferences and topic interests, who hosted what, the critical topics, Thai
public holidays) and its plan is written as draft visit events with the events' own actions. The
hub publishes the programme, edits or re-plans single visits; an organization's contact person (or
the hub) says when it can host and what it wants to learn or is strong in.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime, time
from typing import Any

import holidays as holiday_calendars
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from platoo.accounts.models import User
from platoo.knowledge.forms import TopicNode, topic_tree
from platoo.knowledge.models import KnowledgeItem, Topic
from platoo.lib.dates import display_year, format_date
from platoo.lib.provinces import PROVINCES
from platoo.lib.text import clean_line
from platoo.lib.visibility import Visibility
from platoo.network.models import MembershipStatus, Organization, is_network_manager

from . import planner
from .actions import EventData, SessionData, do_create_event, do_publish_event, do_update_event
from .models import Event, EventKind, EventStatus, HostPreference, Programme, TopicInterest

YEARS_AHEAD = 5  # events are kept up to six years ahead (actions._clean); a programme is a whole year
THAI_PROVINCE = {english: thai for english, thai, _region in PROVINCES}


def can_plan(user: Any) -> bool:
    """The hub (network managers) generates, edits, re-plans and publishes programmes."""
    return bool(user.is_authenticated and user.is_active and is_network_manager(user))


def _require_planner(user: User) -> None:
    if not can_plan(user):
        raise PermissionDenied(_("Only the network's managers can plan the programme."))


def can_set_preferences(user: Any, organization: Organization) -> bool:
    """An organization's contact person, and the hub, say when it can host and what it wants to learn."""
    if not user.is_authenticated or not user.is_active:
        return False
    return is_network_manager(user) or (
        organization.contact_person_id is not None and organization.contact_person_id == user.pk
    )


def thai_holidays(years: int | Iterable[int], language: str | None = None) -> dict[date, str]:
    """Thailand's public holidays (the `holidays` library's list, including substitution days)."""
    calendar = holiday_calendars.country_holidays("TH", years=years, language=language)
    return dict(calendar.items())


def holiday_language() -> str:
    return "th" if translation.get_language() in (None, "th") else "en_US"


def planning_years(today: date | None = None) -> range:
    today = today or timezone.localdate()
    return range(today.year, today.year + YEARS_AHEAD + 1)


# ---- What the planner reads ----------------------------------------------------------------------


def _taxonomy() -> tuple[list[Topic], dict[int, int]]:
    """The critical topics in the taxonomy's order, and for every topic its nearest critical topic
    (itself when it is critical, else its closest critical ancestor); topics under none are left out."""
    topics = list(Topic.objects.only("pk", "parent_id", "critical", "position", "name_th", "name_en", "slug"))
    by_id = {t.pk: t for t in topics}
    nearest: dict[int, int] = {}
    for topic in topics:
        node: Topic | None = topic
        seen = set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            if node.critical:
                nearest[topic.pk] = node.pk
                break
            node = by_id.get(node.parent_id) if node.parent_id else None
    ordered = [n.topic for n in topic_tree(topics) if n.topic.critical]
    return ordered, nearest


def critical_topics() -> list[Topic]:
    """The network's critical-knowledge topics, in the taxonomy's order."""
    return _taxonomy()[0]


def interest_topics() -> list[TopicNode]:
    """The topics an organization's interests are asked about: the critical ones and their sub-topics."""
    _critical, nearest = _taxonomy()
    return [node for node in topic_tree(Topic.objects.all()) if node.topic.pk in nearest]


def load_inputs(
    year: int,
    today: date,
    *,
    months: Sequence[int] = planner.DEFAULT_MONTHS,
    per_month: int = 1,
    programme: Programme | None = None,
    leave_out: Iterable[int] = (),
) -> planner.Inputs:
    """Everything the planner needs, in a fixed number of queries whatever the network's size.
    `programme`: its visits count as hosted (the draft being built) and its published ones are kept;
    `leave_out`: visits not counted (the one being re-planned)."""
    leave_out = list(leave_out)
    critical, nearest = _taxonomy()
    members = list(Organization.objects.members().only("pk", "name_th", "joined_on"))
    member_ids = {m.pk for m in members}
    preferences = {p.organization_id: p for p in HostPreference.objects.filter(year=year)}
    counted = Q(status=EventStatus.PUBLISHED)
    if programme is not None:
        counted |= Q(programme=programme) & ~Q(status=EventStatus.CANCELLED)
    hosted = {
        row["host_id"]: row
        for row in Event.objects.filter(counted, kind=EventKind.VISIT, host_id__in=member_ids)
        .exclude(pk__in=leave_out)
        .values("host_id")
        .annotate(n=Count("pk"), last=Max("starts_at"))
        .order_by()
    }
    wants: dict[int, set[int]] = defaultdict(set)
    strong: dict[int, set[int]] = defaultdict(set)
    interests = TopicInterest.objects.filter(organization_id__in=member_ids, topic_id__in=list(nearest))
    for organization_id, topic_id, kind in interests.values_list("organization_id", "topic_id", "kind"):
        (wants if kind == TopicInterest.Kind.WANT else strong)[organization_id].add(nearest[topic_id])
    # Knowledge the organization shared with the network (or everyone) is evidence of strength; an item
    # filed under two sub-topics of one critical topic counts once for it.
    shared: dict[tuple[int, int], set[int]] = defaultdict(set)
    links = KnowledgeItem.topics.through.objects.filter(
        topic_id__in=list(nearest),
        knowledgeitem__organization_id__in=member_ids,
        knowledgeitem__visibility__in=[Visibility.PUBLIC, Visibility.NETWORK],
    ).values_list("knowledgeitem__organization_id", "knowledgeitem_id", "topic_id")
    for organization_id, item_id, topic_id in links:
        shared[(organization_id, nearest[topic_id])].add(item_id)
    items: dict[int, dict[int, int]] = defaultdict(dict)
    for (organization_id, topic_id), found in shared.items():
        items[organization_id][topic_id] = len(found)
    hosts = []
    declined = []
    for member in members:
        preference = preferences.get(member.pk)
        if preference is not None and preference.declines:
            declined.append(member.pk)
            continue
        row = hosted.get(member.pk)
        hosts.append(
            planner.Host(
                id=member.pk,
                name=member.name_th,
                joined_on=member.joined_on,
                hosted=row["n"] if row else 0,
                last_hosted=timezone.localdate(row["last"]) if row else None,
                unavailable=frozenset(preference.unavailable_months) if preference else frozenset(),
                strong_in=frozenset(strong[member.pk]),
                items=items.get(member.pk, {}),
                wants=frozenset(wants[member.pk]),
            )
        )
    demand = Counter(topic for topics in wants.values() for topic in topics)
    kept: list[planner.Kept] = []
    if programme is not None:
        published = (
            Event.objects.filter(programme=programme, status=EventStatus.PUBLISHED)
            .exclude(pk__in=leave_out)
            .prefetch_related("topics")
        )
        kept = [
            planner.Kept(timezone.localdate(e.starts_at), e.host_id or 0, tuple(t.pk for t in e.topics.all()))
            for e in published
        ]
    return planner.Inputs(
        year=year,
        hosts=hosts,
        topics=[t.pk for t in critical],
        demand=dict(demand),
        holidays=set(thai_holidays(year)),
        today=today,
        months=tuple(months),
        per_month=per_month,
        kept=kept,
        declined=declined,
    )


# ---- Writing visits ------------------------------------------------------------------------------


def _in_site_language(text: Any) -> str:
    """Stored words (titles, reasons) are written in the network's language, whoever clicks."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text())


def visit_title(host: Organization) -> str:
    return _in_site_language(lambda: _("Home-and-away visit: %(host)s") % {"host": host.name_th})


def default_title(year: int) -> str:
    return _in_site_language(lambda: _("Programme of home-and-away visits %(year)s") % {"year": display_year(year)})


def _place(host: Organization) -> str:
    province = THAI_PROVINCE.get(host.province, "")
    return f"{host.name_th} ({province})" if province else host.name_th


def _moment(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=planner.BANGKOK)


def _description(year: int) -> str:
    return _in_site_language(
        lambda: (
            _(
                "A visit of the network's programme for %(year)s: the host shows how it works, the visitors ask "
                "and share. The programme page says why this host and these topics."
            )
            % {"year": display_year(year)}
        )
    )


def _event_data(event: Event, **changes: Any) -> EventData:
    """The event as it is, with some fields changed: the event edit action takes the whole event."""
    sessions = [
        SessionData(
            title=s.title,
            starts_at=s.starts_at,
            duration_minutes=s.duration_minutes,
            room=s.room,
            topic_id=s.topic_id,
            speaker_ids=[p.pk for p in s.speakers.all()],
            guest_speakers=s.guest_speakers,
        )
        for s in event.sessions.prefetch_related("speakers")
    ]
    data = EventData(
        title=event.title,
        kind=event.kind,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        description=event.description,
        host_id=event.host_id,
        community_id=event.community_id,
        place=event.place,
        online_url=event.online_url,
        capacity=event.capacity,
        visibility=event.visibility,
        topic_ids=list(event.topics.values_list("pk", flat=True)),
        organizer_ids=list(event.organizers.values_list("pk", flat=True)),
        sessions=sessions,
    )
    return replace(data, **changes)


def _check_settings(year: int, months: Sequence[int], per_month: int, today: date) -> list[int]:
    if year not in planning_years(today):
        first, last = planning_years(today)[0], planning_years(today)[-1]
        raise ValidationError(
            {
                "year": _("A programme can be planned for %(first)s to %(last)s.")
                % {"first": display_year(first), "last": display_year(last)}
            }
        )
    chosen = sorted({int(m) for m in months})
    if not chosen or any(m < 1 or m > 12 for m in chosen):
        raise ValidationError({"months": _("Choose at least one month for the visits.")})
    if not 1 <= per_month <= planner.MAX_PER_MONTH:
        raise ValidationError(
            {"per_month": _("From one to %(max)d visits a month, please.") % {"max": planner.MAX_PER_MONTH}}
        )
    return chosen


@transaction.atomic
def do_generate_programme(
    actor: User,
    year: int,
    months: Sequence[int] = planner.DEFAULT_MONTHS,
    per_month: int = 1,
    *,
    as_of: date | None = None,
) -> Programme:
    """Plan the year's draft programme, or plan it again: the draft's visits are replaced (edits to them
    too); published visits stay and keep their places. `as_of`: the day the plan is made (dates come
    after it; the demo plans past years as of their first day). Twice in a row gives the same plan."""
    _require_planner(actor)
    today = as_of or timezone.localdate()
    chosen = _check_settings(year, months, per_month, today)
    programme, _created = Programme.objects.get_or_create(
        year=year, defaults={"title": default_title(year), "created_by": actor}
    )
    programme = Programme.objects.select_for_update().get(pk=programme.pk)  # one planning of a year at a time
    if programme.status == Programme.Status.PUBLISHED:
        raise ValidationError(
            _("The programme for %(year)s is published; edit or re-plan its visits instead.")
            % {"year": display_year(year)}
        )
    Event.objects.filter(programme=programme, status=EventStatus.DRAFT).delete()
    inputs = load_inputs(year, today, months=chosen, per_month=per_month, programme=programme)
    result = planner.plan(inputs)
    hosts = Organization.objects.in_bulk([v.host for v in result.visits if v.host is not None])
    steps = []
    for visit in result.visits:
        step = visit.to_json()
        if visit.host is not None and visit.day is not None:
            host = hosts[visit.host]
            event = do_create_event(
                actor,
                EventData(
                    title=visit_title(host),
                    kind=EventKind.VISIT,
                    starts_at=_moment(visit.day, planner.VISIT_STARTS),
                    ends_at=_moment(visit.day, planner.VISIT_ENDS),
                    description=_description(year),
                    host_id=host.pk,
                    place=_place(host),
                    visibility=Visibility.NETWORK,
                    topic_ids=visit.topics,
                ),
            )
            step["event"] = event.pk
        steps.append(step)
    Event.objects.filter(pk__in=[s["event"] for s in steps if "event" in s]).update(programme=programme)
    programme.explanation = {
        **result.to_json(),
        "visits": steps,
        "as_of": today.isoformat(),
        "generated_at": timezone.now().isoformat(),
        "generated_by": actor.pk,
    }
    programme.save(update_fields=["explanation"])
    return programme


@transaction.atomic
def do_publish_programme(actor: User, programme: Programme) -> Programme:
    """Publish the programme and its draft visits (each with the event's own publish action). Refused
    while a visit waits to be re-planned. Twice is harmless."""
    _require_planner(actor)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if programme.status == Programme.Status.PUBLISHED:
        return programme
    visits = list(Event.objects.filter(programme=programme).exclude(status=EventStatus.CANCELLED))
    waiting = [v for v in visits if v.needs_replanning]
    if waiting:
        raise ValidationError(
            _("Re-plan or edit these visits first: %(visits)s")
            % {"visits": ", ".join(format_date(v.starts_at, short=True) for v in waiting)}
        )
    if not visits:
        raise ValidationError(_("The programme has no visits to publish; plan it again or change its months."))
    for visit in visits:
        do_publish_event(actor, visit)
    programme.status, programme.published_at = Programme.Status.PUBLISHED, timezone.now()
    programme.save(update_fields=["status", "published_at"])
    return programme


def _step_of(programme: Programme | None, event: Event) -> tuple[dict[str, Any], dict[str, Any] | None]:
    explanation = programme.explanation if programme and isinstance(programme.explanation, dict) else {}
    step = next((s for s in explanation.get("visits", []) if s.get("event") == event.pk), None)
    return explanation, step


def _locked_visit(event: Event) -> Event:
    event = Event.objects.select_for_update(of=("self",)).select_related("host", "programme").get(pk=event.pk)
    if event.kind != EventKind.VISIT:
        raise ValidationError(_("Only home-and-away visits are planned here."))
    if event.status == EventStatus.CANCELLED:
        raise ValidationError(_("This visit is cancelled."))
    return event


@transaction.atomic
def do_replan_visit(actor: User, event: Event, base_version: int | None = None) -> Event:
    """Give the visit to the next organization in the fair queue that can host on its date (not its
    current host), with topics chosen for the new host; the date stays, and the flag is cleared.
    With `base_version`, a visit changed since (a second click, say) is left as it is."""
    _require_planner(actor)
    event = _locked_visit(event)
    if base_version is not None and event.version != base_version:
        raise ValidationError(_("This visit has just been changed; look at it again before re-planning it."))
    if event.has_started():
        raise ValidationError(_("This visit has already taken place; it cannot be re-planned."))
    day = timezone.localdate(event.starts_at)
    programme = event.programme
    inputs = load_inputs(day.year, timezone.localdate(), programme=programme, leave_out=[event.pk])
    others = Event.objects.none()
    if programme is not None:
        others = (
            Event.objects.filter(programme=programme)
            .exclude(pk=event.pk)
            .exclude(status=EventStatus.CANCELLED)
            .prefetch_related("topics")
        )
    busy: dict[int, set[int]] = defaultdict(set)
    given: Counter[int] = Counter()
    for other in others:
        if other.host_id:
            busy[other.host_id].add(timezone.localdate(other.starts_at).month)
        given.update(t.pk for t in other.topics.all())
    candidates = [h for h in inputs.hosts if h.id != event.host_id]
    pick, why = planner.next_host(candidates, day, busy)
    if pick is None:
        raise ValidationError(
            _("No other organization can host on %(day)s. Change the date or cancel the visit.")
            % {"day": format_date(day)}
        )
    topics, why_topics = planner.choose_topics(pick, inputs.topics, inputs.demand, given)
    host = Organization.objects.get(pk=pick.id)
    previous = event.host
    changes: dict[str, Any] = {"host_id": host.pk, "place": _place(host), "topic_ids": topics}
    if previous is None or event.title == visit_title(previous):
        changes["title"] = visit_title(host)
    event = do_update_event(actor, event, _event_data(event, **changes), event.version)
    reason = event.replanning_reason
    Event.objects.filter(pk=event.pk).update(needs_replanning=False, replanning_reason="")
    event.needs_replanning, event.replanning_reason = False, ""
    explanation, step = _step_of(programme, event)
    if programme is not None and step is not None:
        step.update(host=host.pk, topics=topics, why_host=why, why_topics=why_topics)
        step["replanned"] = {
            "from": previous.pk if previous else None,
            "reason": reason,
            "on": timezone.localdate().isoformat(),
        }
        Programme.objects.filter(pk=programme.pk).update(explanation=explanation)
    return event


def visit_warnings(event: Event) -> list[str]:
    """What the hub should know about a visit as it now stands (it may still want it so)."""
    day = timezone.localdate(event.starts_at)
    warnings = []
    names = thai_holidays(day.year, holiday_language())
    if day.weekday() >= 5:
        warnings.append(_("%(day)s is a weekend day.") % {"day": format_date(day)})
    if day in names:
        warnings.append(_("%(day)s is a public holiday: %(name)s.") % {"day": format_date(day), "name": names[day]})
    if event.host_id:
        preference = HostPreference.objects.filter(organization_id=event.host_id, year=day.year).first()
        if preference is not None and preference.declines:
            warnings.append(_("The host has declined to host visits in this year."))
        elif preference is not None and day.month in preference.unavailable_months:
            warnings.append(_("The host has said it cannot host in this month."))
    return warnings


@transaction.atomic
def do_edit_visit(
    actor: User,
    event: Event,
    *,
    host_id: int,
    day: date,
    starts: time,
    ends: time,
    topic_ids: Sequence[int],
    base_version: int,
) -> tuple[Event, list[str]]:
    """The hub's own choice of host, date and topics for a visit (through the event edit action).
    Returns the visit and what is unusual about it (a holiday, a host that said it cannot)."""
    _require_planner(actor)
    event = _locked_visit(event)
    host = Organization.objects.members().filter(pk=host_id).first()
    if host is None:
        raise ValidationError({"host_id": _("The host must be a member organization of the network.")})
    if ends <= starts:
        raise ValidationError({"ends": _("The visit must end after it starts.")})
    previous = event.host
    changes: dict[str, Any] = {
        "host_id": host.pk,
        "starts_at": _moment(day, starts),
        "ends_at": _moment(day, ends),
        "topic_ids": list(dict.fromkeys(topic_ids)),
    }
    if host != previous:
        changes["place"] = _place(host)
        if previous is None or event.title == visit_title(previous):
            changes["title"] = visit_title(host)
    event = do_update_event(actor, event, _event_data(event, **changes), base_version)
    # The hub's choice settles the visit, even against the host's stated wishes (it is warned).
    Event.objects.filter(pk=event.pk).update(needs_replanning=False, replanning_reason="")
    event.needs_replanning, event.replanning_reason = False, ""
    warnings = visit_warnings(event)
    explanation, step = _step_of(event.programme, event)
    if event.programme is not None and step is not None:
        # The planner's reasons hold only for what the hub left as planned.
        if step.get("host") != host.pk:
            step["why_host"] = {}
        if step.get("day") != day.isoformat():
            step["why_date"] = {}
        if sorted(step.get("topics", [])) != sorted(changes["topic_ids"]):
            step["why_topics"] = {}
        step.update(host=host.pk, day=day.isoformat(), topics=list(changes["topic_ids"]))
        step["edited"] = {"by": actor.pk, "on": timezone.localdate().isoformat()}
        Programme.objects.filter(pk=event.programme.pk).update(explanation=explanation)
    return event, warnings


# ---- Re-planning when a host can no longer host --------------------------------------------------


def flag_future_visits(
    organization: Organization, reason: str, *, year: int | None = None, months: Iterable[int] = range(1, 13)
) -> int:
    """Mark the visits `organization` was to host from now on (in `year`'s `months`, when given) as
    needing re-planning, with the reason; past visits stay as they were."""
    visits = Event.objects.filter(kind=EventKind.VISIT, host=organization, starts_at__gt=timezone.now()).exclude(
        status=EventStatus.CANCELLED
    )
    if year is not None:
        wanted = set(months)
        ids = [
            pk
            for pk, starts in visits.values_list("pk", "starts_at")
            if (local := timezone.localtime(starts)).year == year and local.month in wanted
        ]
        visits = visits.filter(pk__in=ids)
    return visits.update(needs_replanning=True, replanning_reason=reason[:300])


def membership_reason(organization: Organization, status: str) -> str:
    today = format_date(timezone.localdate())
    if status == MembershipStatus.LEFT:
        return _in_site_language(
            lambda: _("%(org)s left the network on %(day)s.") % {"org": organization.name_th, "day": today}
        )
    return _in_site_language(
        lambda: _("%(org)s was suspended from the network on %(day)s.") % {"org": organization.name_th, "day": today}
    )


def host_gone(organization: Organization, status: str) -> int:
    """A host left the network or was suspended: its future visits need another host."""
    if status not in (MembershipStatus.LEFT, MembershipStatus.SUSPENDED):
        return 0
    return flag_future_visits(organization, membership_reason(organization, status))


# ---- Preferences and interests -------------------------------------------------------------------


def _require_preferences(actor: User, organization: Organization) -> None:
    if not can_set_preferences(actor, organization):
        raise PermissionDenied(_("Only the organization's contact person and the network's managers can do this."))
    if organization.status != MembershipStatus.MEMBER:
        raise ValidationError(_("Only member organizations host visits."))


@transaction.atomic
def do_save_host_preference(
    actor: User, organization: Organization, year: int, *, declines: bool, unavailable_months: Iterable[int], note: str
) -> HostPreference:
    """An organization's word on hosting in a year. Visits it was already to host that now clash
    (it declines, or the month no longer suits it) are flagged for re-planning."""
    _require_preferences(actor, organization)
    if year not in planning_years():
        raise ValidationError({"year": _("Choose this year or one of the next five.")})
    months = sorted({int(m) for m in unavailable_months})
    if any(m < 1 or m > 12 for m in months):
        raise ValidationError({"unavailable_months": _("Choose months from the list.")})
    if len(months) == 12 and not declines:
        raise ValidationError(
            {"unavailable_months": _("Every month is marked: say instead that you decline to host this year.")}
        )
    preference, _created = HostPreference.objects.update_or_create(
        organization=organization,
        year=year,
        defaults={"declines": declines, "unavailable_months": months, "note": clean_line(note)[:300]},
    )
    if declines or months:
        name = organization.name_th
        reason = _in_site_language(
            lambda: (
                _("%(org)s declined to host in %(year)s.") % {"org": name, "year": display_year(year)}
                if declines
                else _("%(org)s said it cannot host in this month.") % {"org": name}
            )
        )
        flag_future_visits(organization, reason, year=year, months=range(1, 13) if declines else months)
    return preference


@transaction.atomic
def do_set_topic_interests(
    actor: User, organization: Organization, *, wants: Iterable[int], strengths: Iterable[int]
) -> None:
    """What the organization wants to learn and is strong in, among the critical topics and their
    sub-topics (interests in other topics are kept as they are)."""
    _require_preferences(actor, organization)
    asked = {node.topic.pk for node in interest_topics()}
    chosen = {TopicInterest.Kind.WANT: set(wants), TopicInterest.Kind.STRENGTH: set(strengths)}
    if any(not ids <= asked for ids in chosen.values()):
        raise ValidationError(_("Choose topics from the list."))
    for kind, ids in chosen.items():
        current = set(
            TopicInterest.objects.filter(organization=organization, kind=kind, topic_id__in=asked).values_list(
                "topic_id", flat=True
            )
        )
        TopicInterest.objects.filter(organization=organization, kind=kind, topic_id__in=current - ids).delete()
        TopicInterest.objects.bulk_create(
            [TopicInterest(organization=organization, kind=kind, topic_id=pk) for pk in sorted(ids - current)],
            ignore_conflicts=True,  # a double submit adds nothing twice
        )
