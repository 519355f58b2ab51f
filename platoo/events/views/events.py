"""The events list, an event's page, and organizing an event (create, edit, publish, cancel)."""

import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platoo.knowledge.models import KnowledgeItem, Topic
from platoo.network.models import Organization

from .. import actions
from ..forms import EventForm, RegisterForm, SessionFormSet
from ..models import Event, EventItem, EventKind, EventStatus, ParticipantReview, Registration, Session
from ..report import can_read_report
from ..showcase import panel as showcase_panel
from .base import add_errors, attempt, get_event, user_of

PAGE_SIZE = 30


def event_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    events = Event.objects.visible_to(request.user).select_related("host")
    kind = request.GET.get("kind", "")
    if kind in EventKind.values:
        events = events.filter(kind=kind)
    host = request.GET.get("host", "")
    if host:
        events = events.filter(host__code=host)
    topic = request.GET.get("topic", "")
    if topic:
        events = events.filter(topics__slug=topic).distinct()
    past = request.GET.get("when") == "past"
    events = (
        events.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
        if past
        else events.filter(ends_at__gte=now).order_by("starts_at", "pk")
    )
    events = events.annotate(
        registered=Count("registrations", filter=Q(registrations__status=Registration.Status.REGISTERED))
    )
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "kinds": EventKind.choices,
        "kind": kind,
        "host": host,
        "topic": topic,
        "past": past,
        "organizations": Organization.objects.members().only("code", "name_th", "name_en"),
        "topics": Topic.objects.filter(critical=True),
        "can_create": actions.can_create(user_of(request)),
    }
    return render(request, "events/list.html", context)


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(
        Event.objects.visible_to(request.user)
        .select_related("host", "community", "programme", "aar_by")
        .prefetch_related(
            "topics",
            "organizers",
            Prefetch("sessions", queryset=Session.objects.select_related("topic").prefetch_related("speakers")),
        ),
        pk=pk,
    )
    user = user_of(request)
    counts = Registration.objects.filter(event=event).aggregate(
        registered=Count("pk", filter=Q(status=Registration.Status.REGISTERED)),
        waitlisted=Count("pk", filter=Q(status=Registration.Status.WAITLISTED)),
        attended=Count("pk", filter=Q(checked_in_at__isnull=False)),
    )
    mine = Registration.objects.filter(event=event, user=user).first() if user.is_authenticated else None
    organizing = user.is_authenticated and actions.can_manage(event, user)
    waitlist_position = None
    if mine is not None and mine.status == Registration.Status.WAITLISTED:
        waitlist_position = (
            Registration.objects.filter(
                event=event, status=Registration.Status.WAITLISTED, registered_at__lt=mine.registered_at
            ).count()
            + 1
        )
    now = timezone.now()
    attended = mine is not None and mine.checked_in_at is not None
    context: dict[str, Any] = {
        "event": event,
        "counts": counts,
        "places_left": None if event.capacity is None else max(event.capacity - counts["registered"], 0),
        "mine": mine,
        "waitlist_position": waitlist_position,
        "organizing": organizing,
        "can_register": event.is_published and event.ends_at >= now and user.is_authenticated,
        "register_form": RegisterForm(
            initial={"bar_learn": mine.bar_learn, "bar_from_whom": mine.bar_from_whom} if mine else None
        ),
        "attended": attended,
        "my_review": ParticipantReview.objects.filter(event=event, user=user).first() if attended else None,
        "started": event.has_started(now),
        "captured": EventItem.objects.filter(event=event, item__in=KnowledgeItem.objects.visible_to(user))
        .select_related("item")
        .order_by("captured_at"),
        "can_capture": user.is_authenticated and event.has_started(now) and (organizing or attended),
        "capture_url": reverse("knowledge:create") + f"?from=event:{event.pk}",
        "reviews": ParticipantReview.objects.filter(event=event).count() if organizing else None,
        "can_read_report": user.is_authenticated and can_read_report(event, user, managing=organizing),
        "showcase": showcase_panel(event, user),
    }
    return render(request, "events/detail.html", context)


def _event_data(form: EventForm, formset: Any) -> actions.EventData:
    d = form.cleaned_data
    return actions.EventData(
        title=d["title"],
        kind=d["kind"],
        starts_at=d["starts_at"],
        ends_at=d["ends_at"],
        description=d["description"],
        host_id=d["host"],
        community_id=d["community"],
        place=d["place"],
        online_url=d["online_url"],
        capacity=d["capacity"],
        visibility=d["visibility"],
        topic_ids=d["topics"],
        organizer_ids=d["organizers"],
        sessions=[s for f in formset for s in [f.session()] if s is not None],
    )


def _editor(request: HttpRequest, event: Event | None) -> HttpResponse:
    user = user_of(request)
    if event is None:
        kind = request.GET.get("kind")
        initial: dict[str, Any] = {
            "kind": kind if kind in EventKind.values else EventKind.WORKSHOP,
            "visibility": "network",
            "host": user.organization_id,
            "form_token": secrets.token_urlsafe(24),
        }
        sessions: list[dict[str, Any]] = []
    else:
        if not actions.can_manage(event, user):
            raise PermissionDenied
        initial = {
            "kind": event.kind,
            "title": event.title,
            "description": event.description,
            "starts_at": timezone.localtime(event.starts_at),
            "ends_at": timezone.localtime(event.ends_at),
            "host": event.host_id,
            "community": event.community_id,
            "place": event.place,
            "online_url": event.online_url,
            "capacity": event.capacity,
            "visibility": event.visibility,
            "topics": list(event.topics.values_list("pk", flat=True)),
            "organizers": ", ".join(event.organizers.values_list("username", flat=True)),
            "version": event.version,
        }
        sessions = [
            {
                "title": s.title,
                "starts_at": timezone.localtime(s.starts_at) if s.starts_at else None,
                "duration_minutes": s.duration_minutes,
                "room": s.room,
                "topic": s.topic_id,
                "speakers": ", ".join(p.username for p in s.speakers.all()),
                "guest_speakers": s.guest_speakers,
            }
            for s in event.sessions.prefetch_related("speakers")
        ]
    form = EventForm(request.POST or None, initial=initial, user=user)
    formset = SessionFormSet(request.POST or None, initial=sessions, prefix="sessions")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            if event is None:
                event = actions.do_create_event(user, _event_data(form, formset), form.cleaned_data["form_token"])
                messages.success(request, _("The event is saved as a draft: publish it when it is ready."))
            else:
                version = form.cleaned_data["version"] or 0
                event = actions.do_update_event(user, event, _event_data(form, formset), version)
                messages.success(request, _("Saved."))
            return redirect(event)
        except actions.EventConflict as conflict:
            messages.error(
                request,
                _(
                    "Someone else saved this event while you were editing it. Your changes are still in the "
                    "form: check them against the event's page, then save again."
                ),
            )
            data = request.POST.copy()
            data["version"] = str(conflict.event.version)
            form = EventForm(data, user=user)
            form.is_valid()
        except ValidationError as error:
            add_errors(form, error)
    invalid = form.errors or any(formset.errors) or formset.non_form_errors()
    context = {"form": form, "formset": formset, "event": event}
    return render(request, "events/form.html", context, status=400 if invalid else 200)


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    return _editor(request, None)


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _editor(request, get_event(request, pk))


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event(request, pk)
    attempt(request, lambda: actions.do_publish_event(user_of(request), event), _("The event is published."))
    return redirect(event)


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event(request, pk)
    done = _("The event is cancelled and the people registered have been told.")
    attempt(request, lambda: actions.do_cancel_event(user_of(request), event), done)
    return redirect(event)


@login_required
def my_events(request: HttpRequest) -> HttpResponse:
    """What I registered for and what I organize."""
    user = user_of(request)
    registrations = (
        Registration.objects.filter(user=user)
        .exclude(status=Registration.Status.CANCELLED)
        .filter(event__in=Event.objects.visible_to(user))
        .select_related("event__host")
        .order_by("-event__starts_at")
    )
    organizing = (
        Event.objects.filter(organizers=user)
        .exclude(status=EventStatus.CANCELLED)
        .select_related("host")
        .order_by("-starts_at")
    )
    context = {"registrations": registrations[:100], "organizing": organizing[:100], "person": user}
    return render(request, "events/mine.html", context)
