"""Registration, the ticket with its QR code, check-in at the door, and after-action reviews."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platoo.accounts.models import User

from .. import actions
from ..forms import ConsolidatedAARForm, RegisterForm, ReviewForm, WalkInForm
from ..models import Event, Registration
from .base import add_errors, attempt, fail, get_event, user_of

CHECK_IN_SALT = "platoo.events.check-in"
CHECK_IN_PAGE_SIZE = 100


def ticket_token(registration: Registration) -> str:
    """What a ticket's QR code carries: the registration, signed, so a code cannot be guessed or altered."""
    return signing.dumps([registration.event_id, registration.pk], salt=CHECK_IN_SALT, compress=True)


def _from_token(event: Event, token: str) -> Registration:
    try:
        event_id, registration_id = signing.loads(token, salt=CHECK_IN_SALT)
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise Http404 from error
    if event_id != event.pk:
        raise Http404
    return get_object_or_404(Registration.objects.select_related("user__organization"), pk=registration_id, event=event)


@login_required
@require_POST
def register(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event(request, pk)
    form = RegisterForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please check the answers of the before-action review."))
        return redirect(event)
    try:
        registration = actions.do_register(
            user_of(request), event, form.cleaned_data["bar_learn"], form.cleaned_data["bar_from_whom"]
        )
    except (ValidationError, PermissionDenied) as error:
        fail(request, error)
        return redirect(event)
    if registration.status == Registration.Status.WAITLISTED:
        messages.info(request, _("The event is full: you are on the waitlist and will be told when a place opens."))
    else:
        messages.success(request, _("You are registered. Your ticket is on this page."))
    return redirect(event)


@login_required
@require_POST
def cancel_registration(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event(request, pk)
    attempt(
        request, lambda: actions.do_cancel_registration(user_of(request), event), _("Your registration is cancelled.")
    )
    return redirect(event)


@login_required
def ticket(request: HttpRequest, pk: int) -> HttpResponse:
    """The person's ticket: a QR code the door scans to check them in."""
    event = get_event(request, pk)
    registration = get_object_or_404(
        Registration, event=event, user=user_of(request), status=Registration.Status.REGISTERED
    )
    url = request.build_absolute_uri(reverse("events:check_in_ticket", args=[event.pk, ticket_token(registration)]))
    qr = mark_safe(segno.make(url, error="m").svg_inline(scale=6, dark="#1b2733", title=_("Ticket")))  # noqa: S308 - segno's own SVG
    return render(request, "events/ticket.html", {"event": event, "registration": registration, "qr": qr})


def _require_check_in(event: Event, user: User) -> None:
    if not actions.can_check_in(event, user):
        raise PermissionDenied


@login_required
def check_in_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The door's list: find a person, check them in; or check in someone who did not register."""
    event = get_event(request, pk)
    _require_check_in(event, user_of(request))
    registrations = (
        Registration.objects.filter(event=event)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("user", "organization")
        .order_by("user__name_th", "user__username")
    )
    q = (request.GET.get("q") or "").strip()[:100]
    if q:
        registrations = registrations.filter(
            Q(user__name_th__icontains=q) | Q(user__name_en__icontains=q) | Q(user__username__icontains=q)
        )
    page = Paginator(registrations, CHECK_IN_PAGE_SIZE).get_page(request.GET.get("page"))
    counts = {
        "registered": Registration.objects.filter(event=event, status=Registration.Status.REGISTERED).count(),
        "checked_in": Registration.objects.filter(event=event, checked_in_at__isnull=False).count(),
    }
    context = {"event": event, "page": page, "q": q, "counts": counts, "walk_in_form": WalkInForm()}
    return render(request, "events/check_in.html", context)


@login_required
@require_POST
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event(request, pk)
    _require_check_in(event, user_of(request))
    raw = request.POST.get("person", "")
    name = WalkInForm(request.POST).data.get("username", "").strip().lstrip("@")
    people = User.objects.filter(is_active=True)
    person = people.filter(pk=int(raw)).first() if raw.isdigit() else people.filter(username=name).first()
    if person is None:
        messages.error(request, _("No active account has the username “%(name)s”.") % {"name": name[:40]})
        return redirect("events:check_in_list", pk=event.pk)
    _check_in(request, event, person)
    return redirect(
        reverse("events:check_in_list", args=[event.pk])
        + (f"?q={request.POST.get('q')}" if request.POST.get("q") else "")
    )


def _check_in(request: HttpRequest, event: Event, person: User) -> None:
    try:
        registration, created = actions.do_check_in(user_of(request), event, person)
    except (ValidationError, PermissionDenied) as error:
        fail(request, error)
        return
    name = person.display_name
    if not created:
        messages.info(request, _("%(name)s was already checked in.") % {"name": name})
    elif registration.walk_in:
        messages.warning(request, _("%(name)s is checked in as a walk-in (not registered).") % {"name": name})
    else:
        messages.success(request, _("%(name)s is checked in.") % {"name": name})


@login_required
def check_in_ticket(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """Where a scanned ticket lands: the door confirms the person, then checks them in."""
    event = get_event(request, pk)
    _require_check_in(event, user_of(request))
    registration = _from_token(event, token)
    if request.method == "POST":
        _check_in(request, event, registration.user)
        return redirect("events:check_in_list", pk=event.pk)
    return render(request, "events/check_in_ticket.html", {"event": event, "registration": registration})


@login_required
@require_POST
def undo_check_in(request: HttpRequest, pk: int, registration_pk: int) -> HttpResponse:
    event = get_event(request, pk)
    registration = get_object_or_404(Registration, event=event, pk=registration_pk)
    attempt(request, lambda: actions.do_undo_check_in(user_of(request), registration), _("Check-in undone."))
    return redirect("events:check_in_list", pk=event.pk)


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """A participant's own after-action review."""
    event = get_event(request, pk)
    user = user_of(request)
    if not actions.attended(event, user):
        raise PermissionDenied(_("Only people checked in at the event can review it."))
    existing = event.reviews.filter(user=user).first()
    initial = {name: getattr(existing, name) for name in actions.REVIEW_FIELDS} if existing else None
    form = ReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_write_review(user, event, form.cleaned_data)
            messages.success(request, _("Thank you: your after-action review is saved."))
            return redirect(event)
        except ValidationError as error:
            add_errors(form, error)
    return render(request, "events/review.html", {"event": event, "form": form})


@login_required
def consolidated_aar(request: HttpRequest, pk: int) -> HttpResponse:
    """The note-taker's consolidated after-action review, beside what participants wrote."""
    event = get_event(request, pk)
    user = user_of(request)
    if not actions.can_manage(event, user):
        raise PermissionDenied
    initial = {name: getattr(event, name) for name in actions.AAR_FIELDS} | {"version": event.version}
    form = ConsolidatedAARForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            actions.do_write_consolidated_aar(user, event, {n: d[n] for n in actions.AAR_FIELDS}, d["version"])
            messages.success(request, _("The after-action review is saved."))
            return redirect(event)
        except actions.EventConflict as error:
            conflict = error.event
            data = request.POST.copy()
            data["version"] = str(conflict.version)
            form = ConsolidatedAARForm(data)
            messages.error(
                request,
                _(
                    "Someone saved the review while you were writing. Your text is still in the form; the saved one is shown beside it."
                ),
            )
    reviews = event.reviews.select_related("user").order_by("created_at")[:200]
    context = {"event": event, "form": form, "conflict": conflict, "reviews": reviews}
    return render(request, "events/aar.html", context, status=409 if conflict else 200)
