"""Forms of the programme planner: generating a year, editing a visit, an organization's preferences."""

from typing import Any

from django import forms
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from platoo.knowledge.forms import TopicNode, indented
from platoo.lib.dates import display_year, to_ce_year
from platoo.lib.forms import DateInputField
from platoo.network.models import Organization

from . import planner

MONTH_CHOICES = [(month, MONTHS[month]) for month in range(1, 13)]


class ProgrammeForm(forms.Form):
    """Plan (or plan again) a year's draft programme."""

    year = forms.IntegerField(label=_("Year"), help_text=_("Buddhist Era (2570) or Common Era (2027)."))
    months = forms.TypedMultipleChoiceField(
        label=_("Months with visits"),
        choices=MONTH_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        initial=list(planner.DEFAULT_MONTHS),
        error_messages={"required": _("Choose at least one month for the visits.")},
    )
    per_month = forms.TypedChoiceField(
        label=_("Visits in each of those months"),
        choices=[(n, str(n)) for n in range(1, planner.MAX_PER_MONTH + 1)],
        coerce=int,
        initial=1,
    )

    def clean_year(self) -> int:
        return to_ce_year(self.cleaned_data["year"])


class VisitForm(forms.Form):
    """The hub's own choice of host, date and topics for one visit."""

    host = forms.TypedChoiceField(label=_("Host organization"), coerce=int)
    day = DateInputField(label=_("Date"))
    starts = forms.TimeField(label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    ends = forms.TimeField(label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    topics = forms.TypedMultipleChoiceField(
        label=_("Critical-knowledge topics"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, hosts: list[Organization], topics: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["host"].choices = [(o.pk, o.display_name) for o in hosts]  # type: ignore[attr-defined]
        self.fields["topics"].choices = topics  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts") and data.get("ends") and data["ends"] <= data["starts"]:
            self.add_error("ends", _("The visit must end after it starts."))
        return data


class PreferencesForm(forms.Form):
    """An organization's word on hosting in a year, and what it wants to learn or is strong in."""

    declines = forms.BooleanField(label=_("We decline to host visits this year"), required=False)
    unavailable_months = forms.TypedMultipleChoiceField(
        label=_("Months we cannot host"),
        choices=MONTH_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=_("Note to the hub"), max_length=300, required=False)
    wants = forms.TypedMultipleChoiceField(
        label=_("We want to learn"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    strengths = forms.TypedMultipleChoiceField(
        label=_("We are strong in"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, topics: list[TopicNode], year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(node.topic.pk, indented(node)) for node in topics]
        self.fields["wants"].choices = choices  # type: ignore[attr-defined]
        self.fields["strengths"].choices = choices  # type: ignore[attr-defined]
        self.fields["declines"].label = _("We decline to host visits in %(year)s") % {"year": display_year(year)}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if len(data.get("unavailable_months") or []) == 12 and not data.get("declines"):
            self.add_error(
                "unavailable_months", _("Every month is marked: say instead that you decline to host this year.")
            )
        return data
