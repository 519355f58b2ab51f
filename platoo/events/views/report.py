"""The event report, as a page and as a PDF, and the follow-up actions organizers add to it."""

import re
from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from platoo.accounts.models import User
from platoo.lib import pdf
from platoo.lib.dates import format_date, to_ce_year
from platoo.lib.views import add_errors, attempt
from platoo.network.models import NetworkProfile

from .. import actions
from ..models import Event, FollowUp
from ..report import Report, attendees, build_report, can_read_report
from .base import get_event, user_of

_UNSAFE_IN_FILENAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
PDF_CACHE_SECONDS = 3600  # the same report (same data, reader's view and day) is laid out once
PEOPLE_PAGE_SIZE = 100
# Column widths for the PDF's fixed table layout (css/pdf.css): names get the room.
REPORT_PDF_CSS = """
table.attendance th:first-child { width: 24%; } table.attendance th:nth-child(2) { width: 13%; }
table.attendance thead th { font-size: 8.5pt; }
table.follow-ups th:first-child { width: 46%; } table.follow-ups th:nth-child(2) { width: 22%; }
"""


class DueDateField(forms.DateField):
    """A date from the browser's date picker; a year typed in the Buddhist Era is read as the same year."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    input_formats = ["%Y-%m-%d", "%d/%m/%Y"]

    def to_python(self, value: Any) -> date | None:
        result = super().to_python(value)
        if result is not None and to_ce_year(result.year) != result.year:
            try:
                result = result.replace(year=to_ce_year(result.year))
            except ValueError as error:  # 29 February of a year that is a leap year in one era only
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error
        return result


class FollowUpForm(forms.Form):
    action = forms.CharField(label=gettext_lazy("What is to be done"), max_length=300)
    owner = forms.CharField(
        label=gettext_lazy("Owner (username or email)"),
        max_length=254,
        required=False,
        help_text=gettext_lazy("Leave empty if no one has taken it on yet."),
    )
    due_on = DueDateField(label=gettext_lazy("Due on"), required=False)

    def clean_owner(self) -> User | None:
        value = self.cleaned_data["owner"].strip()
        if not value:
            return None
        owner = User.objects.filter(Q(username=value) | Q(email__iexact=value), is_active=True).first()
        if owner is None:
            raise forms.ValidationError(_("No active account has that username or email."))
        return owner


def _readable(request: HttpRequest, pk: int) -> tuple[Event, bool]:
    """The event, if the reader may read its report, and whether they run it: 404 when they cannot see
    the event, 403 when they see it but did not take part."""
    event = get_event(request, pk)
    managing = actions.can_manage(event, user_of(request))
    if not can_read_report(event, user_of(request), managing):
        raise PermissionDenied(_("The report is for the event's organizers, the hub and the people who took part."))
    return event, managing


def _network_name() -> str:
    network = NetworkProfile.load()
    return network.name_th or network.name_en or settings.SITE_NAME


def _page(request: HttpRequest, event: Event, managing: bool, form: FollowUpForm, status: int = 200) -> HttpResponse:
    report = build_report(event, user_of(request), managing)
    context = {
        "event": event,
        "report": report,
        "form": form,
        "site": "",
        "network_name": _network_name(),
        # Suggestions for the owner field: the organizers (anyone with an account can be typed in).
        "owners": list(event.organizers.only("username", "name_th", "name_en", "first_name", "last_name"))
        if report.can_manage
        else [],
    }
    return render(request, "events/report.html", context, status=status)


@login_required
def report_page(request: HttpRequest, pk: int) -> HttpResponse:
    event, managing = _readable(request, pk)
    return _page(request, event, managing, FollowUpForm())


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    event, managing = _readable(request, pk)
    report: Report = build_report(event, user_of(request), managing)
    network_name = _network_name()
    made = format_date(timezone.localdate())
    context = {
        "event": event,
        "report": report,
        "site": request.build_absolute_uri("/").rstrip("/"),
        "network_name": network_name,
        "made": made,
        "pdf": True,
    }
    html = render_to_string("events/report_pdf.html", context, request=request)
    data = pdf.render_pdf(
        html,
        css=REPORT_PDF_CSS,
        header_left=network_name,
        header_right=_("Event report"),
        footer_left=_("Made on %(date)s") % {"date": made},
        title=f"{_('Event report')}: {event.title}",
        cache_seconds=PDF_CACHE_SECONDS,
    )
    name = _UNSAFE_IN_FILENAMES.sub(" ", f"{_('Event report')} {event.title}").strip()[:120]
    return pdf.pdf_response(data, f"{name}.pdf")


@login_required
def report_people(request: HttpRequest, pk: int) -> HttpResponse:
    """Who checked in, a page at a time; their emails for the organizers only."""
    event, managing = _readable(request, pk)
    page = Paginator(attendees(event), PEOPLE_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"event": event, "page": page, "show_emails": managing}
    return render(request, "events/report_people.html", context)


@login_required
@require_POST
def follow_up_add(request: HttpRequest, pk: int) -> HttpResponse:
    event, managing = _readable(request, pk)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            actions.do_add_follow_up(
                user_of(request),
                event,
                form.cleaned_data["action"],
                form.cleaned_data["owner"],
                form.cleaned_data["due_on"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The follow-up action is on the list."))
            return redirect(reverse("events:report", args=[event.pk]) + "#follow-ups")
    return _page(request, event, managing, form, status=400)


@login_required
@require_POST
def follow_up_done(request: HttpRequest, pk: int, follow_up_pk: int) -> HttpResponse:
    event, _managing = _readable(request, pk)
    follow_up = get_object_or_404(FollowUp.objects.select_related("event"), event=event, pk=follow_up_pk)
    done = request.POST.get("done") == "1"
    attempt(
        request,
        lambda: actions.do_set_follow_up_done(user_of(request), follow_up, done),
        _("Marked as done.") if done else _("Marked as not done yet."),
    )
    return redirect(reverse("events:report", args=[event.pk]) + "#follow-ups")
