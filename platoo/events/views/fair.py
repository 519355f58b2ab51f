"""The annual fair: whether the network may hold it yet (the gate, with its numbers), and a fair's page."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .. import fair_gathering, showcase
from ..actions import can_manage
from ..fair import readiness
from ..models import Event, EventKind
from .base import get_event, user_of


@login_required
def fair_page(request: HttpRequest) -> HttpResponse:
    state = readiness()
    fairs = list(
        Event.objects.visible_to(request.user).filter(kind=EventKind.FAIR).select_related("host").order_by("-starts_at")
    )
    context = {
        "readiness": state,
        "fairs": fairs,
        "min_years": settings.FAIR_MIN_NETWORK_YEARS,
        "min_stories": settings.FAIR_MIN_VERIFIED_STORIES,
    }
    return render(request, "events/fair.html", context)


@login_required
def fair_event(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event(request, pk)
    if event.kind != EventKind.FAIR:
        raise Http404(_("This event is not the annual fair."))
    user = user_of(request)
    context = {
        "event": event,
        "gathering": fair_gathering.gather(event, user),
        "managing": can_manage(event, user),
        "points": {
            "reading": fair_gathering.READING_POINTS,
            "shown": fair_gathering.SHOWN_POINTS,
            "captured": fair_gathering.CAPTURED_POINTS,
            "full_votes": fair_gathering.FULL_VOTES,
            "days": fair_gathering.YEAR_DAYS,
        },
        "showcase": showcase.panel(event, user),
    }
    return render(request, "events/fair_event.html", context)
