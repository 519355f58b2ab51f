"""Calendars: the feeds calendar apps poll, one event's .ics, a person's calendar addresses, and import."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from platoo.accounts.models import User
from platoo.communities.models import Community, Membership
from platoo.lib.visibility import Visibility
from platoo.network.models import Organization

from .. import actions, calendar_import, calendars
from ..models import EVENT_VISIBILITIES, Event, EventKind
from .base import user_of

CACHE_SECONDS = 900
MADE_SALT = "platoo.events.calendar-import.made"


def _respond(request: HttpRequest, feed: calendars.Feed, *, download: bool = False) -> HttpResponse:
    """The feed as text/calendar, or 304 when the app already holds this version of it."""
    etag = feed.etag()
    cache = f"{'private' if feed.private else 'public'}, max-age={CACHE_SECONDS}"
    not_modified = get_conditional_response(request, etag=etag)
    response = not_modified or HttpResponse(feed.to_ical(), content_type="text/calendar; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = cache
    if not_modified is None:
        disposition = "attachment" if download else "inline"
        response["Content-Disposition"] = f'{disposition}; filename="{feed.filename}"'
    if feed.private:  # the address is a secret: no search engine, no referrer
        response["X-Robots-Tag"] = "noindex"
        response["Referrer-Policy"] = "no-referrer"
    return response


def _reader(token: str) -> User:
    owner = calendars.owner_of(token)
    if owner is None:
        raise Http404  # reset, altered or never issued: the same answer for all three
    return owner


@require_safe
def feed(request: HttpRequest, scope: str, token: str = "", key: str = "") -> HttpResponse:
    """A feed read as the owner of `token`, or as the public without one. Always in Thai, the network's
    language: calendar apps send no preference, and one address must always give one calendar."""
    with translation.override(settings.LANGUAGE_CODE):
        reader = _reader(token) if token else None
        if scope == "person" and reader is not None:
            built = calendars.person_feed(reader)
        elif scope == "network":
            built = calendars.network_feed(reader)
        elif scope == "organization":
            organization = get_object_or_404(Organization.objects.visible_to(reader), code=key)
            built = calendars.organization_feed(reader, organization)
        elif scope == "community":
            community = get_object_or_404(Community.objects.visible_to(reader), slug=key)
            built = calendars.community_feed(reader, community)
        else:
            raise Http404
        return _respond(request, built)


@require_safe
def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """One published event as an .ics file, to add to a calendar by hand (drafts are in no calendar)."""
    event = get_object_or_404(Event.objects.published_to(request.user), pk=pk)
    return _respond(request, calendars.event_feed(event), download=True)


def _feed_links(name: str, secret: str = "", key: str = "") -> dict[str, str]:
    url = calendars.absolute(calendars.feed_path(name, secret, key))
    return {"url": url, "webcal": calendars.webcal(url)}


@login_required
def calendars_page(request: HttpRequest) -> HttpResponse:
    """The person's calendar addresses: their own calendar, the network's, their organization's and
    their CoPs', the public one; resetting them; importing a file."""
    person = user_of(request)
    secret = calendars.feed_secret(person)
    organization = (
        Organization.objects.visible_to(person).filter(pk=person.organization_id).first()
        if person.organization_id
        else None
    )
    communities = Community.objects.filter(
        memberships__user=person, memberships__status=Membership.Status.ACTIVE
    ).order_by("name")
    context = {
        "mine": _feed_links("person", secret),
        "network": _feed_links("network", secret),
        "public": _feed_links("network"),
        "organization": organization,
        "organization_feed": _feed_links("organization", secret, organization.code) if organization else None,
        "communities": [(c, _feed_links("community", secret, c.slug)) for c in communities],
    }
    return render(request, "events/calendars.html", context)


@login_required
@require_POST
def reset_feeds(request: HttpRequest) -> HttpResponse:
    calendars.do_reset_feed_secret(user_of(request))
    messages.success(
        request,
        _(
            "Your calendar addresses have changed. Calendar apps using the old ones stop updating: "
            "subscribe again with the new ones below."
        ),
    )
    return redirect("events:calendars")


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Calendar file (.ics)"),
        help_text=gettext_lazy("Exported from Google Calendar, Outlook or Apple Calendar; at most 1 MB."),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind of event"), choices=EventKind.choices, initial=EventKind.WORKSHOP)
    visibility = forms.ChoiceField(
        label=gettext_lazy("Who can see them"), choices=EVENT_VISIBILITIES, initial=Visibility.NETWORK
    )
    hosted = forms.BooleanField(label=gettext_lazy("Hosted by my organization"), required=False)

    def __init__(self, *args: Any, person: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        mine = self.person.organization_id
        host = Organization.objects.members().filter(pk=mine).first() if mine else None
        if data.get("hosted") and host is None:
            self.add_error("hosted", _("Your profile names no member organization of the network."))
        if data.get("visibility") == Visibility.ORGANIZATION and not data.get("hosted"):
            self.add_error("visibility", _("An event for one organization's people needs a host organization."))
        data["host_id"] = host.pk if host is not None and data.get("hosted") else None
        return data


def _made(request: HttpRequest) -> list[Event]:
    try:
        ids = signing.loads(request.GET.get("made", ""), salt=MADE_SALT, max_age=3600)
    except signing.BadSignature:
        return []
    return list(Event.objects.visible_to(request.user).filter(pk__in=ids))


@login_required
def import_events(request: HttpRequest) -> HttpResponse:
    """Upload an .ics file, check the preview (in Bangkok time, พ.ศ.), then make the chosen drafts."""
    person = user_of(request)
    if not actions.can_create(person):
        raise PermissionDenied
    if request.method == "POST" and "payload" in request.POST:
        picked = [int(p) for p in request.POST.getlist("pick") if p.isdigit()]
        try:
            made = calendar_import.do_import_events(person, request.POST["payload"], picked)
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
            return redirect("events:calendar_import")
        messages.success(request, _("The events are imported as drafts: check each one, then publish it."))
        token = signing.dumps([e.pk for e in made], salt=MADE_SALT)
        return redirect(reverse("events:calendar_import") + f"?made={token}")
    form = ImportForm(request.POST or None, request.FILES or None, person=person)
    context: dict[str, Any] = {"form": form, "made": _made(request) if request.method == "GET" else []}
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            found = calendar_import.check(
                person, calendar_import.parse(calendar_import.read_upload(d["file"])), d["kind"]
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            context |= {
                "payload": calendar_import.sign(person, found, d["kind"], d["visibility"], d["host_id"]),
                # The payload lists the importable ones in order: each checkbox names its place there.
                "rows": _rows(found),
                "importable": sum(c.importable for c in found),
                "kind": EventKind(d["kind"]).label,
                "visibility": dict(EVENT_VISIBILITIES)[d["visibility"]],
            }
            return render(request, "events/calendar_import.html", context)
    return render(request, "events/calendar_import.html", context, status=400 if form.errors else 200)


def _rows(candidates: list[calendar_import.Candidate]) -> list[tuple[int | None, calendar_import.Candidate]]:
    rows: list[tuple[int | None, calendar_import.Candidate]] = []
    index = 0
    for candidate in candidates:
        if candidate.importable:
            rows.append((index, candidate))
            index += 1
        else:
            rows.append((None, candidate))
    return rows
