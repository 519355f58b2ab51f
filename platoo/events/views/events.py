"""The events list and an event's page."""

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ..models import Event, EventKind, Registration
from .base import get_event

PAGE_SIZE = 30


def event_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    events = Event.objects.visible_to(request.user).select_related("host")
    kind = request.GET.get("kind", "")
    if kind in EventKind.values:
        events = events.filter(kind=kind)
    past = request.GET.get("when") == "past"
    events = events.filter(ends_at__lt=now).order_by("-starts_at") if past else events.filter(ends_at__gte=now)
    events = events.annotate(
        registered=Count("registrations", filter=Q(registrations__status=Registration.Status.REGISTERED))
    )
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "kinds": EventKind.choices, "kind": kind, "past": past}
    return render(request, "events/list.html", context)


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event(request, pk)
    return render(request, "events/detail.html", {"event": event})
