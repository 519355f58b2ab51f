"""The programme planner's pages: the programmes, a year's programme (draft or published) with the
reasons for every visit, the hub's generating, editing, re-planning and publishing, and an
organization's hosting preferences and topic interests."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platoo.knowledge.models import Topic
from platoo.lib.dates import display_year
from platoo.lib.views import add_errors, attempt, fail  # the same messages for a refused action
from platoo.network.models import Organization

from .. import planner, reasons
from ..actions import EventConflict
from ..forms_planner import PreferencesForm, ProgrammeForm, VisitForm
from ..models import Event, EventKind, HostPreference, Programme, TopicInterest
from ..programmes import (
    can_plan,
    can_set_preferences,
    critical_topics,
    do_edit_visit,
    do_generate_programme,
    do_publish_programme,
    do_replan_visit,
    do_save_host_preference,
    do_set_topic_interests,
    holiday_language,
    interest_topics,
    planning_years,
    thai_holidays,
)
from .base import user_of


def _require_planner(request: HttpRequest) -> None:
    if not can_plan(request.user):
        raise PermissionDenied(_("Only the network's managers can plan the programme."))


def get_programme(request: HttpRequest, year: int) -> Programme:
    """A published programme for everyone; a draft for the hub only (404 for anyone else)."""
    programme = Programme.objects.filter(year=year).first()
    if programme is None or (programme.status != Programme.Status.PUBLISHED and not can_plan(request.user)):
        raise Http404
    return programme


def _visits(request: HttpRequest) -> Any:
    """The visits this reader may see: the hub reads drafts too (visible_to), everyone else the
    published ones their audience allows."""
    if can_plan(request.user):
        return Event.objects.visible_to(request.user)
    return Event.objects.published_to(request.user)


def _default_year(*, unplanned: bool = False) -> int:
    """The first year still to publish (or, with `unplanned`, still to plan at all)."""
    statuses = dict(Programme.objects.values_list("year", "status"))
    years = planning_years()
    if unplanned:
        return next((y for y in years if y not in statuses), years[-1])
    return next((y for y in years if statuses.get(y) != Programme.Status.PUBLISHED), years[-1])


def _list_page(request: HttpRequest, form: ProgrammeForm | None = None) -> HttpResponse:
    hub = can_plan(request.user)
    programmes = list(Programme.objects.all() if hub else Programme.objects.filter(status=Programme.Status.PUBLISHED))
    counts = dict(
        _visits(request)
        .filter(programme__in=programmes, kind=EventKind.VISIT)
        .values_list("programme_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    if hub and form is None:
        form = ProgrammeForm(initial={"year": display_year(_default_year(unplanned=True))})
    context = {
        "programmes": [(p, display_year(p.year), counts.get(p.pk, 0)) for p in programmes],
        "can_plan": hub,
        "form": form,
        "may_set_preferences": request.user.is_authenticated
        and (hub or Organization.objects.members().filter(contact_person_id=request.user.pk).exists()),
    }
    return render(request, "events/programme_list.html", context, status=400 if form and form.errors else 200)


def programme_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request)


@login_required
@require_POST
def programme_generate(request: HttpRequest) -> HttpResponse:
    """Plan a year's draft, or plan it again (from the list, or the draft's own page)."""
    _require_planner(request)
    form = ProgrammeForm(request.POST)
    again = False
    if form.is_valid():
        d = form.cleaned_data
        again = Programme.objects.filter(year=d["year"]).exists()
        try:
            programme = do_generate_programme(user_of(request), d["year"], d["months"], d["per_month"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("The draft is planned again: review it, edit what needs it, then publish.")
                if again
                else _("The draft programme is planned: review it, edit what needs it, then publish."),
            )
            return redirect(programme)
    # Sent from a draft's own page (its year in `programme`): the errors show there, beside the form.
    source = request.POST.get("programme", "")
    draft = Programme.objects.filter(year=int(source)).first() if source.isdigit() else None
    if draft is not None:
        return _programme_page(request, draft, form)
    return _list_page(request, form)


@dataclass
class Row:
    """One visit (or empty slot) of the programme page, with its reasons as sentences."""

    month: int
    month_name: str = ""
    event: Event | None = None
    day: date | None = None
    why_date: list[str] = field(default_factory=list)
    why_host: list[str] = field(default_factory=list)
    why_topics: list[str] = field(default_factory=list)
    empty: str = ""
    changes: list[str] = field(default_factory=list)
    past: bool = False


def _rows(programme: Programme, events: list[Event], hub: bool) -> list[Row]:
    explanation = programme.explanation if isinstance(programme.explanation, dict) else {}
    steps: list[Mapping[str, Any]] = explanation.get("visits", [])
    named = reasons.organizations_named(steps, show_others=hub)
    names = {o.pk: o.display_name for o in Organization.objects.filter(pk__in=named).only("name_th", "name_en")}
    topic_ids = {row["topic"] for s in steps for row in (s.get("why_topics") or {}).get("topics", [])}
    topic_names = {t.pk: t.display_name for t in Topic.objects.filter(pk__in=topic_ids).only("name_th", "name_en")}
    holidays = thai_holidays(programme.year, holiday_language())
    by_id = {e.pk: e for e in events}
    now = timezone.now()
    rows = []
    for step in steps:
        event = by_id.pop(step["event"], None) if step.get("event") else None
        if step.get("event") and event is None:
            continue  # a visit this reader may not see, or one removed since
        row = Row(
            month=step["month"],
            month_name=reasons.month_name(step["month"]),
            event=event,
            changes=reasons.changes(step, names),
        )
        if event is not None:
            row.day = timezone.localdate(event.starts_at)
            row.past = event.ends_at < now
            row.why_date = reasons.date_reason(step, holidays)
            host_name = event.host.display_name if event.host else ""
            row.why_host = reasons.host_reason(step, host_name, names, show_others=hub)
            row.why_topics = reasons.topic_reasons(step, topic_names)
        else:
            row.empty = reasons.empty_reason(step, names, show_others=hub)
        rows.append(row)
    # Visits added to the programme by hand have no planner's reasons.
    for event in by_id.values():
        day = timezone.localdate(event.starts_at)
        rows.append(Row(month=day.month, event=event, day=day, past=event.ends_at < now))
    rows.sort(key=lambda r: (r.day or date(programme.year, r.month, 28), r.event.pk if r.event else 0))
    return rows


def _programme_page(request: HttpRequest, programme: Programme, form: ProgrammeForm | None = None) -> HttpResponse:
    hub = can_plan(request.user)
    events = list(_visits(request).filter(programme=programme).select_related("host").prefetch_related("topics"))
    # Empty slots alone would only tell a reader who sees none of the visits that there are some.
    rows = _rows(programme, events, hub) if events or hub else []
    explanation = programme.explanation if isinstance(programme.explanation, dict) else {}
    draft = programme.status == Programme.Status.DRAFT
    if hub and draft and form is None:
        form = ProgrammeForm(
            initial={
                "year": display_year(programme.year),
                "months": explanation.get("months", list(planner.DEFAULT_MONTHS)),
                "per_month": explanation.get("per_month", 1),
            }
        )
    preferences = []
    if hub:
        saved = HostPreference.objects.filter(year=programme.year).select_related("organization")
        preferences = [
            (p, [reasons.month_name(m) for m in p.unavailable_months])
            for p in saved.order_by("organization__name_th")
            if p.declines or p.unavailable_months or p.note
        ]
    context = {
        "programme": programme,
        "year": display_year(programme.year),
        "rows": rows,
        "hub": hub,
        "draft": draft,
        "form": form if hub and draft else None,
        "flagged": [r for r in rows if r.event is not None and r.event.needs_replanning],
        "preferences": preferences,
        "explanation": explanation,
        "months": [reasons.month_name(m) for m in explanation.get("months", planner.DEFAULT_MONTHS)],
        "rules": {
            "topics_per_visit": planner.TOPICS_PER_VISIT,
            "declared": planner.DECLARED_STRENGTH,
            "max_items": planner.MAX_ITEM_STRENGTH,
            "starts": planner.VISIT_STARTS,
            "ends": planner.VISIT_ENDS,
        },
        "now": timezone.now(),
    }
    return render(request, "events/programme.html", context, status=400 if form and form.errors else 200)


def programme(request: HttpRequest, year: int) -> HttpResponse:
    return _programme_page(request, get_programme(request, year))


@login_required
@require_POST
def programme_publish(request: HttpRequest, year: int) -> HttpResponse:
    programme = get_programme(request, year)
    _require_planner(request)
    attempt(
        request,
        lambda: do_publish_programme(user_of(request), programme),
        _("The programme and its visits are published; members can register for the visits."),
    )
    return redirect(programme)


def _visit(request: HttpRequest, year: int, pk: int) -> tuple[Programme, Event]:
    programme = get_programme(request, year)
    _require_planner(request)
    event = get_object_or_404(
        Event.objects.visible_to(request.user).select_related("host"), programme=programme, kind=EventKind.VISIT, pk=pk
    )
    return programme, event


@login_required
@require_POST
def visit_replan(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    programme, event = _visit(request, year, pk)
    version = request.POST.get("version", "")
    try:
        event = do_replan_visit(user_of(request), event, int(version) if version.isdigit() else None)
    except (ValidationError, PermissionDenied) as error:
        fail(request, error)
    else:
        name = event.host.display_name if event.host else ""
        messages.success(request, _("Re-planned: %(host)s hosts the visit.") % {"host": name})
    return redirect(reverse("events:programme", args=[programme.year]) + f"#visit-{event.pk}")


def _topic_choices(event: Event) -> list[tuple[int, str]]:
    """The critical topics, and any other topic the visit already has (so saving keeps it)."""
    topics = critical_topics()
    known = {t.pk for t in topics}
    topics += [t for t in event.topics.all() if t.pk not in known]
    return [(t.pk, t.display_name) for t in topics]


@login_required
def visit_edit(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    programme, event = _visit(request, year, pk)
    hosts = list(Organization.objects.members().only("pk", "name_th", "name_en").order_by("name_th"))
    if event.host is not None and event.host not in hosts:
        hosts.insert(0, event.host)  # shown, so the form says why it must change
    local = timezone.localtime(event.starts_at)
    initial = {
        "host": event.host_id,
        "day": local.date(),
        "starts": local.time(),
        "ends": timezone.localtime(event.ends_at).time(),
        "topics": list(event.topics.values_list("pk", flat=True)),
        "version": event.version,
    }
    form = VisitForm(request.POST or None, initial=initial, hosts=hosts, topics=_topic_choices(event))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            event, warnings = do_edit_visit(
                user_of(request),
                event,
                host_id=d["host"],
                day=d["day"],
                starts=d["starts"],
                ends=d["ends"],
                topic_ids=d["topics"],
                base_version=d["version"],
            )
        except EventConflict as conflict:
            # Saving again (on purpose) overwrites the other change: the form now names its version.
            data = request.POST.copy()
            data["version"] = str(conflict.event.version)
            form = VisitForm(data, hosts=hosts, topics=_topic_choices(event))
            form.is_valid()
            form.add_error(None, str(conflict))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The visit is saved."))
            for warning in warnings:
                messages.warning(request, warning)
            return redirect(reverse("events:programme", args=[programme.year]) + f"#visit-{event.pk}")
    context = {"programme": programme, "event": event, "form": form}
    return render(request, "events/programme_visit_form.html", context, status=400 if form.errors else 200)


# ---- Preferences ---------------------------------------------------------------------------------


def _organizations_for(request: HttpRequest) -> Any:
    members = Organization.objects.members().only("pk", "code", "name_th", "name_en").order_by("name_th")
    return members if can_plan(request.user) else members.filter(contact_person_id=request.user.pk)


@login_required
def preferences_list(request: HttpRequest) -> HttpResponse:
    organizations = list(_organizations_for(request))
    years = list(planning_years())[:2]
    if len(organizations) == 1:
        return redirect("events:preferences", organizations[0].code, _default_year())
    saved = {
        (p.organization_id, p.year): p
        for p in HostPreference.objects.filter(organization__in=organizations, year__in=years)
    }
    rows = [(o, [(y, saved.get((o.pk, y))) for y in years]) for o in organizations]
    labels = [(y, display_year(y)) for y in years]
    return render(request, "events/preferences_list.html", {"rows": rows, "years": labels})


@login_required
def preferences(request: HttpRequest, code: str, year: int) -> HttpResponse:
    organization = get_object_or_404(Organization.objects.members(), code=code)
    if not can_set_preferences(request.user, organization):
        raise PermissionDenied(_("Only the organization's contact person and the network's managers can do this."))
    if year not in planning_years():
        raise Http404
    topics = interest_topics()
    preference = HostPreference.objects.filter(organization=organization, year=year).first()
    interests = TopicInterest.objects.filter(organization=organization).values_list("topic_id", "kind")
    initial = {
        "declines": preference.declines if preference else False,
        "unavailable_months": preference.unavailable_months if preference else [],
        "note": preference.note if preference else "",
        "wants": [pk for pk, kind in interests if kind == TopicInterest.Kind.WANT],
        "strengths": [pk for pk, kind in interests if kind == TopicInterest.Kind.STRENGTH],
    }
    form = PreferencesForm(request.POST or None, initial=initial, topics=topics, year=year)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                do_save_host_preference(
                    user_of(request),
                    organization,
                    year,
                    declines=d["declines"],
                    unavailable_months=d["unavailable_months"],
                    note=d["note"],
                )
                do_set_topic_interests(user_of(request), organization, wants=d["wants"], strengths=d["strengths"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("Saved. The planner uses it the next time the hub plans %(year)s.") % {"year": display_year(year)},
            )
            return redirect("events:preferences", organization.code, year)
    visits = (
        Event.objects.published_to(request.user)
        .filter(
            kind=EventKind.VISIT,
            host=organization,
            starts_at__gte=_year_start(year),
            starts_at__lt=_year_start(year + 1),
        )
        .order_by("starts_at")
    )
    context = {
        "organization": organization,
        "year": year,
        "years": [(y, display_year(y)) for y in list(planning_years())[:2]],
        "form": form,
        "visits": visits,
        "critical": {node.topic.pk for node in topics if node.topic.critical},
    }
    return render(request, "events/preferences.html", context, status=400 if form.errors else 200)


def _year_start(year: int) -> datetime:
    return datetime(year, 1, 1, tzinfo=planner.BANGKOK)
