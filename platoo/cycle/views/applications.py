"""Applications and the knowledge flow: recording that an organization applied a piece of knowledge, the
item's "applied by" list, an organization's "what we learned from whom" and "who learned from us", and
the network's flow (a table and a Sankey-like drawing)."""

import secrets
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from platoo.accounts.models import User
from platoo.knowledge.models import KnowledgeItem, Topic
from platoo.lib.dates import display_year, to_ce_year
from platoo.lib.forms import in_common_era
from platoo.network.models import Organization

from ..actions import ApplicationData, applicable_problem, do_record_application, is_flow, organizations_for
from ..flow import FlowFilter, between_organizations, network_flow, organization_flow, years_with_applications
from ..models import Application, ApplicationResult

PAGE_SIZE = 50


class ApplicationForm(forms.Form):
    organization = forms.TypedChoiceField(label=gettext_lazy("Applied by"), coerce=int, choices=[])
    applied_on = forms.DateField(label=gettext_lazy("Applied on"), widget=forms.DateInput(attrs={"type": "date"}))
    where = forms.CharField(label=gettext_lazy("Where (unit, place)"), max_length=250)
    adaptation = forms.CharField(
        label=gettext_lazy("How it was adapted"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    result = forms.ChoiceField(label=gettext_lazy("Result"), choices=ApplicationResult.choices)
    result_note = forms.CharField(
        label=gettext_lazy("What came of it"), required=False, max_length=8000, widget=forms.Textarea(attrs={"rows": 4})
    )
    evidence = forms.CharField(
        label=gettext_lazy("Evidence"),
        required=False,
        max_length=4000,
        help_text=gettext_lazy("Figures, documents, links."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    form_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args: Any, organizations: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(org.pk, org.display_name) for org in organizations]

    def clean_applied_on(self) -> Any:
        return in_common_era(self.cleaned_data["applied_on"], self.fields["applied_on"])


def _readable_item(request: HttpRequest, pk: int) -> KnowledgeItem:
    return get_object_or_404(
        KnowledgeItem.objects.visible_to(request.user).select_related("organization", "critical"), pk=pk
    )


@login_required
def application_create(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    raw = request.GET.get("item") or request.POST.get("item") or ""
    if not raw.isdigit() or len(raw) > 12:
        raise PermissionDenied(_("Record an application from the page of the knowledge that was applied."))
    item = _readable_item(request, int(raw))
    organizations = list(organizations_for(user))
    problem = applicable_problem(user, item)
    if problem:
        return render(request, "cycle/application_refused.html", {"item": item, "problem": problem}, status=403)
    critical = item.critical
    owner_id = critical.owner_id or item.organization_id
    if request.method == "POST":
        form = ApplicationForm(request.POST, organizations=organizations)
        if form.is_valid():
            token = form.cleaned_data["form_token"] or ""
            if token and (done := Application.objects.filter(recorded_by=user, creation_key=token).first()):
                messages.info(request, _("This form was already sent; here is the application it saved."))
                return redirect("cycle:item_applications", pk=done.item_id)
            data = ApplicationData(
                item_id=item.pk,
                organization_id=form.cleaned_data["organization"],
                applied_on=form.cleaned_data["applied_on"],
                where=form.cleaned_data["where"],
                result=form.cleaned_data["result"],
                adaptation=form.cleaned_data["adaptation"],
                result_note=form.cleaned_data["result_note"],
                evidence=form.cleaned_data["evidence"],
            )
            try:
                application = do_record_application(user, data, idempotency_key=token)
            except ValidationError as exc:
                for name, errors in exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]:
                    form.add_error(name if name in form.fields else None, errors)
            except PermissionDenied as exc:
                form.add_error("organization", str(exc) or _("You cannot record this application."))
            else:
                if is_flow(application):
                    messages.success(
                        request,
                        _(
                            "Recorded. Its authors are told, and the knowledge now counts as applied by another organization."
                        ),
                    )
                else:
                    messages.success(
                        request,
                        _(
                            "Recorded. This is your organization's own knowledge: it is listed here, but it does "
                            "not count as knowledge flowing between organizations."
                        ),
                    )
                return redirect("cycle:item_applications", pk=item.pk)
    else:
        default = user.organization_id if any(o.pk == user.organization_id for o in organizations) else None
        form = ApplicationForm(
            initial={
                "organization": default,
                "applied_on": timezone.localdate(),
                "form_token": secrets.token_urlsafe(24),
            },
            organizations=organizations,
        )
    context = {"form": form, "item": item, "owner_id": owner_id, "owner": item.organization}
    return render(request, "cycle/application_form.html", context, status=400 if form.errors else 200)


def item_applications(request: HttpRequest, pk: int) -> HttpResponse:
    """Who applied this item: each application, with where, when, how it was adapted and what came of it."""
    item = _readable_item(request, pk)
    applications = Application.objects.filter(item=item)
    flows = between_organizations(applications)
    page = Paginator(
        applications.select_related("organization", "learned_from").order_by("-applied_on", "-pk"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    critical = getattr(item, "critical", None)
    context = {
        "item": item,
        "page": page,
        "applications": page.object_list,
        "flow_count": flows.count(),
        "organizations": flows.values("organization_id").distinct().count(),
        "can_apply": request.user.is_authenticated and not applicable_problem(request.user, item),
        "critical": critical,
    }
    return render(request, "cycle/item_applications.html", context)


def organization_flow_page(request: HttpRequest, code: str) -> HttpResponse:
    organization = get_object_or_404(Organization.objects.visible_to(request.user), code=code)
    context = {"organization": organization, "flow": organization_flow(request.user, organization)}
    return render(request, "cycle/organization_flow.html", context)


def _year(raw: str) -> int | None:
    if not raw.isdigit() or len(raw) != 4:
        return None
    return to_ce_year(int(raw))


def network_flow_page(request: HttpRequest) -> HttpResponse:
    topic = Topic.objects.filter(slug=request.GET.get("topic", "")).first() if request.GET.get("topic") else None
    year = _year(request.GET.get("year", ""))
    flow = network_flow(request.user, FlowFilter.of(topic, year))
    context = {
        "flow": flow,
        "topic": topic,
        "year": display_year(year) if year else None,
        "topics": Topic.objects.filter(critical=True).order_by("position", "name_th"),
        "years": [display_year(y) for y in years_with_applications(request.user)],
    }
    return render(request, "cycle/flow.html", context)
