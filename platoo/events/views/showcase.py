"""Share-and-show pages: the submissions (submit, withdraw, decide), votes, and the results."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from platoo.accounts.models import User
from platoo.knowledge.models import KnowledgeItem
from platoo.lib.views import add_errors, attempt

from .. import showcase
from ..actions import can_manage
from ..models import Event, Session, Submission
from .base import get_event, user_of

ITEM_CHOICES = 300  # the most recently changed items offered in the list


class SubmissionForm(forms.Form):
    item = forms.ModelChoiceField(
        label=gettext_lazy("Knowledge item"),
        queryset=KnowledgeItem.objects.none(),
        help_text=gettext_lazy("Your own, or your organization's: what people can read about it after the day."),
    )
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=250,
        required=False,
        help_text=gettext_lazy("Empty: the item's title."),
    )
    summary = forms.CharField(
        label=gettext_lazy("What you will show"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=showcase.MAX_SUMMARY,
        required=False,
    )

    def __init__(self, user: User, event: Event, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        taken = Submission.objects.filter(event=event).exclude(status=Submission.Status.WITHDRAWN).values("item_id")
        items = showcase.submittable_items(user).exclude(pk__in=taken).order_by("-updated_at")
        field = self.fields["item"]
        field.queryset = items  # type: ignore[attr-defined]
        field.choices = [("", "—"), *((item.pk, item.title) for item in items.only("pk", "title")[:ITEM_CHOICES])]  # type: ignore[attr-defined]
        self.has_items = len(field.choices) > 1  # type: ignore[attr-defined]


def _showcase_event(request: HttpRequest, pk: int) -> Event:
    event = get_event(request, pk)
    if not showcase.takes_submissions(event):
        raise Http404(_("This event has no share-and-show."))
    return event


def _back(request: HttpRequest, event: Event) -> HttpResponse:
    """To the page the form was on (the event's page or this one), never elsewhere."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("events:showcase", args=[event.pk])
    return redirect(target)


def _page(request: HttpRequest, event: Event, form: SubmissionForm | None = None, status: int = 200) -> HttpResponse:
    user = user_of(request)
    managing = can_manage(event, user)
    state = showcase.panel(event, user)
    assert state is not None  # a share-and-show event
    everything: list[Submission] = []
    if managing:
        everything = list(
            Submission.objects.filter(event=event).select_related("submitter", "organization", "item", "session")
        )
    if form is None and state.can_submit:
        form = SubmissionForm(user, event)
    context = {
        "event": event,
        "showcase": state,
        "managing": managing,
        "everything": everything,
        "sessions": list(Session.objects.filter(event=event)) if managing else [],
        "form": form,
        "statuses": Submission.Status,
    }
    return render(request, "events/showcase.html", context, status=status)


def showcase_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _showcase_event(request, pk))


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    event = _showcase_event(request, pk)
    user = user_of(request)
    form = SubmissionForm(user, event, request.POST)
    if form.is_valid():
        try:
            showcase.do_submit(
                user, event, form.cleaned_data["item"], form.cleaned_data["title"], form.cleaned_data["summary"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Thank you: the organizers will decide and let you know."))
            return redirect(reverse("events:showcase", args=[event.pk]) + "#mine")
    return _page(request, event, form, status=400)


def _submission(event: Event, submission_pk: int) -> Submission:
    return get_object_or_404(Submission.objects.select_related("event"), event=event, pk=submission_pk)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int, submission_pk: int) -> HttpResponse:
    event = _showcase_event(request, pk)
    submission = _submission(event, submission_pk)
    attempt(request, lambda: showcase.do_withdraw(user_of(request), submission), _("Withdrawn."))
    return _back(request, event)


@login_required
@require_POST
def decide(request: HttpRequest, pk: int, submission_pk: int) -> HttpResponse:
    event = _showcase_event(request, pk)
    submission = _submission(event, submission_pk)
    accept = request.POST.get("decision") == "accept"
    slot = request.POST.get("session", "")
    session = Session.objects.filter(event=event, pk=int(slot)).first() if accept and slot.isdigit() else None
    success = _("Accepted; the submitter has been told.") if accept else _("Declined; the submitter has been told.")
    attempt(request, lambda: showcase.do_decide(user_of(request), submission, accept, session), success)
    return _back(request, event)


@login_required
@require_POST
def vote(request: HttpRequest, pk: int, submission_pk: int) -> HttpResponse:
    event = _showcase_event(request, pk)
    submission = _submission(event, submission_pk)
    attempt(
        request,
        lambda: showcase.do_vote(
            user_of(request), submission, request.POST.get("score"), request.POST.get("comment", "")
        ),
        _("Thank you: your vote is counted (you can change it)."),
    )
    return _back(request, event)


def results(request: HttpRequest, pk: int) -> HttpResponse:
    event = _showcase_event(request, pk)
    user = user_of(request)
    managing = can_manage(event, user)
    shown = showcase.results(event, user, managing)
    slots: list[tuple[Session | None, list[showcase.Shown]]] = []
    for row in shown:
        if not slots or slots[-1][0] != row.submission.session:
            slots.append((row.submission.session, []))
        slots[-1][1].append(row)
    valued = sorted((row for row in shown if row.votes), key=lambda row: (-(row.average or 0), -row.votes))[:5]
    context = {
        "event": event,
        "slots": slots,
        "valued": valued,
        "votes": sum(row.votes for row in shown),
        "managing": managing,
        "voting_days": showcase.VOTING_DAYS,
    }
    return render(request, "events/showcase_results.html", context)
