"""Meeting pages: the list, scheduling, the meeting itself with check-in, minutes and the AAR."""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platoo.accounts.models import User
from platoo.knowledge.models import KnowledgeItem

from .. import actions
from ..forms import AgendaFormSet, MeetingForm, MinutesForm
from ..models import AgendaItem, Attendance, Community, Meeting, MeetingItem, Membership
from .base import add_errors, attempt, fail, get_community, get_meeting, get_readable_community, user_of

MEETINGS_PAGE_SIZE = 20


@login_required
def meeting_list(request: HttpRequest, slug: str) -> HttpResponse:
    community = get_readable_community(request, slug)
    meetings = (
        Meeting.objects.filter(community=community)
        .annotate(attendees=Count("attendances", distinct=True), captured_count=Count("captured", distinct=True))
        .order_by("-starts_at")
    )
    page = Paginator(meetings, MEETINGS_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "community": community,
        "page": page,
        "now": timezone.now(),
        "can_facilitate": actions.can_facilitate(community, user_of(request)),
    }
    return render(request, "communities/meeting_list.html", context)


def _points(formset: AgendaFormSet) -> list[actions.AgendaPoint]:  # type: ignore[valid-type]
    return [point for form in formset for point in [form.point()] if point is not None]  # type: ignore[attr-defined]


def _meeting_editor(request: HttpRequest, community: Community, meeting: Meeting | None) -> HttpResponse:
    if not actions.can_facilitate(community, user_of(request)):
        raise PermissionDenied
    if meeting is None:
        initial: dict[str, object] = {"form_token": secrets.token_urlsafe(24)}
        agenda_initial: list[dict[str, object]] = []
    else:
        initial = {
            "title": meeting.title,
            "starts_at": timezone.localtime(meeting.starts_at),
            "ends_at": timezone.localtime(meeting.ends_at),
            "place": meeting.place,
            "online_url": meeting.online_url,
            "agenda": meeting.agenda,
        }
        agenda_initial = [
            {
                "title": p.title,
                "presenter": p.presenter.username if p.presenter else "",
                "duration_minutes": p.duration_minutes,
            }
            for p in meeting.agenda_items.select_related("presenter")
        ]
    form = MeetingForm(request.POST or None, initial=initial)
    formset = AgendaFormSet(request.POST or None, initial=agenda_initial, prefix="agenda")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        d = form.cleaned_data
        data = actions.MeetingData(
            title=d["title"],
            starts_at=d["starts_at"],
            ends_at=d["ends_at"],
            place=d["place"],
            online_url=d["online_url"],
            agenda=d["agenda"],
            points=_points(formset),
        )
        try:
            if meeting is None:
                meeting = actions.do_schedule_meeting(user_of(request), community, data, d["form_token"])
                messages.success(request, _("The meeting is scheduled and the members have been told."))
            else:
                meeting = actions.do_update_meeting(user_of(request), meeting, data)
                messages.success(request, _("Saved."))
            return redirect(meeting)
        except ValidationError as error:
            add_errors(form, error)
    people = User.objects.filter(
        community_memberships__community=community, community_memberships__status=Membership.Status.ACTIVE
    ).only("username", "name_th", "name_en")
    context = {"community": community, "meeting": meeting, "form": form, "formset": formset, "people": people}
    invalid = form.errors or any(formset.errors) or formset.non_form_errors()
    return render(request, "communities/meeting_form.html", context, status=400 if invalid else 200)


@login_required
def meeting_create(request: HttpRequest, slug: str) -> HttpResponse:
    return _meeting_editor(request, get_community(request, slug), None)


@login_required
def meeting_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    meeting = get_meeting(request, slug, pk)
    return _meeting_editor(request, meeting.community, meeting)


@login_required
def meeting_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    meeting = get_object_or_404(
        Meeting.objects.visible_to(request.user)
        .select_related("community", "minutes_by", "created_by")
        .prefetch_related(
            Prefetch("agenda_items", queryset=AgendaItem.objects.select_related("presenter")),
            Prefetch("attendances", queryset=Attendance.objects.select_related("user__organization")),
        ),
        community__slug=slug,
        pk=pk,
    )
    community = meeting.community
    user = user_of(request)
    facilitating = actions.can_facilitate(community, user)
    attendances = list(meeting.attendances.all())
    mine = next((a for a in attendances if a.user_id == user.pk), None)
    captured = MeetingItem.objects.filter(
        meeting=meeting, item__in=KnowledgeItem.objects.visible_to(user)
    ).select_related("item")
    not_checked_in: list[User] = []
    if facilitating:
        present = {a.user_id for a in attendances}
        not_checked_in = [
            m.user
            for m in community.memberships.filter(status=Membership.Status.ACTIVE).select_related("user")
            if m.user_id not in present
        ]
    by_organization: dict[str, int] = {}
    for a in attendances:
        name = a.user.organization.display_name if a.user.organization else _("No organization")
        by_organization[name] = by_organization.get(name, 0) + 1
    now = timezone.now()
    context = {
        "community": community,
        "meeting": meeting,
        "attendances": attendances,
        "by_organization": sorted(by_organization.items(), key=lambda pair: -pair[1]),
        "mine": mine,
        "can_facilitate": facilitating,
        "can_capture": actions.can_capture(meeting, user),
        "check_in_open": not meeting.is_cancelled and now >= meeting.starts_at - actions.CHECK_IN_OPENS,
        "not_checked_in": not_checked_in,
        "captured": captured,
        "capture_url": reverse("knowledge:create") + f"?from=meeting:{meeting.pk}",
        "now": now,
    }
    return render(request, "communities/meeting_detail.html", context)


@login_required
@require_POST
def check_in(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    meeting = get_meeting(request, slug, pk)
    raw = request.POST.get("person", "")
    person = get_object_or_404(User, pk=int(raw), is_active=True) if raw.isdigit() else None
    try:
        _attendance, created = actions.do_check_in(user_of(request), meeting, person)
        if created:
            messages.success(request, _("Checked in."))
        else:
            messages.info(request, _("Already checked in."))
    except (ValidationError, PermissionDenied) as error:
        fail(request, error)
    return redirect(meeting.get_absolute_url() + "#attendance")


@login_required
@require_POST
def undo_check_in(request: HttpRequest, slug: str, pk: int, attendance_pk: int) -> HttpResponse:
    meeting = get_meeting(request, slug, pk)
    attendance = get_object_or_404(Attendance, meeting=meeting, pk=attendance_pk)
    attempt(request, lambda: actions.do_undo_check_in(user_of(request), attendance), _("Attendance removed."))
    return redirect(meeting.get_absolute_url() + "#attendance")


@login_required
@require_POST
def cancel(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    meeting = get_meeting(request, slug, pk)
    attempt(request, lambda: actions.do_cancel_meeting(user_of(request), meeting), _("The meeting is cancelled."))
    return redirect(meeting)


@login_required
def minutes_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    meeting = get_meeting(request, slug, pk)
    if not actions.can_facilitate(meeting.community, user_of(request)):
        raise PermissionDenied
    fields = ("minutes", *actions.AAR_FIELDS)
    form = MinutesForm(
        request.POST or None, initial={**{name: getattr(meeting, name) for name in fields}, "version": meeting.version}
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            actions.do_write_minutes(
                user_of(request), meeting, d["minutes"], {name: d[name] for name in actions.AAR_FIELDS}, d["version"]
            )
            messages.success(request, _("The minutes are saved."))
            return redirect(meeting)
        except actions.MinutesConflict as error:
            # Keep what this person typed in the form, show what was saved, and let them save over it.
            conflict = error.meeting
            data = request.POST.copy()
            data["version"] = str(conflict.version)
            form = MinutesForm(data)
            messages.error(
                request,
                _(
                    "Someone saved the minutes while you were writing. Your text is still in the form; "
                    "the saved version is shown beside it. Combine them, then save again."
                ),
            )
        except (ValidationError, PermissionDenied) as error:
            fail(request, error)
    context = {"community": meeting.community, "meeting": meeting, "form": form, "conflict": conflict}
    return render(request, "communities/minutes_form.html", context, status=409 if conflict else 200)
