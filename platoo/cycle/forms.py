from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from platoo.accounts.forms import people_named
from platoo.knowledge.forms import topic_pk_choices
from platoo.network.models import Organization

from .actions import Categories, PanelData, ReviewData
from .models import SCORE_CHOICES, Audience, KnowledgeType, Outcome, Priority, Recommendation, Source


def _blank(choices: Any) -> list[tuple[str, str]]:
    return [("", "—"), *choices]


class CategoriesForm(forms.Form):
    topic = forms.TypedChoiceField(label=_("Main topic"), coerce=int, empty_value=None, required=False)
    knowledge_type = forms.ChoiceField(
        label=_("Type of knowledge"), choices=_blank(KnowledgeType.choices), required=False
    )
    audience = forms.ChoiceField(label=_("For whom"), choices=_blank(Audience.choices), required=False)
    source = forms.ChoiceField(label=_("Source"), choices=_blank(Source.choices), required=False)
    owner = forms.TypedChoiceField(label=_("Owner organization"), coerce=int, empty_value=None, required=False)
    priority = forms.ChoiceField(label=_("Priority"), choices=_blank(Priority.choices), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", "—"), *topic_pk_choices()]  # type: ignore[attr-defined]
        owners = Organization.objects.members().order_by("name_th").values_list("pk", "name_th")
        self.fields["owner"].choices = [("", "—"), *owners]  # type: ignore[attr-defined]

    def categories(self) -> Categories:
        data = self.cleaned_data
        return Categories(
            topic_id=data["topic"],
            knowledge_type=data["knowledge_type"],
            audience=data["audience"],
            source=data["source"],
            owner_id=data["owner"],
            priority=data["priority"],
        )


class MoveForm(forms.Form):
    move = forms.CharField(max_length=32)
    reason = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=4000)
    superseded_by = forms.IntegerField(label=_("Replaced by (item number)"), required=False, min_value=1)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReviewForm(forms.Form):
    accuracy = forms.TypedChoiceField(
        label=_("Accuracy"),
        coerce=int,
        choices=SCORE_CHOICES,
        widget=forms.RadioSelect,
        help_text=_("Is it correct, and true to what happened? 1 = not at all, 5 = fully."),
    )
    applicability = forms.TypedChoiceField(
        label=_("Applicability to other organizations"),
        coerce=int,
        choices=SCORE_CHOICES,
        widget=forms.RadioSelect,
        help_text=_("Could another member use it in their own setting?"),
    )
    evidence = forms.TypedChoiceField(
        label=_("Strength of the evidence"),
        coerce=int,
        choices=SCORE_CHOICES,
        widget=forms.RadioSelect,
        help_text=_("Figures, documents, results that back it up."),
    )
    risks = forms.CharField(label=_("Risks"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000)
    comments = forms.CharField(
        label=_("Comments"), widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=8000
    )
    recommendation = forms.ChoiceField(
        label=_("Recommendation"), choices=Recommendation.choices, widget=forms.RadioSelect
    )

    def review_data(self) -> ReviewData:
        data = self.cleaned_data
        return ReviewData(
            accuracy=data["accuracy"],
            applicability=data["applicability"],
            evidence=data["evidence"],
            recommendation=data["recommendation"],
            risks=data["risks"],
            comments=data["comments"],
        )


class VerdictForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Verdict"), choices=Outcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note to the authors"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000
    )


class PanelForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    topic = forms.TypedChoiceField(label=_("Topic it looks after"), coerce=int)
    description = forms.CharField(
        label=_("What the panel looks after"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    members = forms.CharField(
        label=_("Experts (usernames)"),
        help_text=_(
            "Separate usernames with commas; a panel reviews once it has at least %(min)d experts (at most %(max)d)."
        )
        % {"min": settings.CYCLE_PANEL_MIN_EXPERTS, "max": settings.CYCLE_PANEL_MAX_EXPERTS},
    )
    chair = forms.CharField(label=_("Chair (username)"), required=False)
    quorum = forms.IntegerField(
        label=_("Quorum"), min_value=1, initial=3, help_text=_("How many reviews a verdict needs.")
    )
    reverify_months = forms.IntegerField(label=_("Re-verify every (months)"), min_value=1, max_value=60, initial=12)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = topic_pk_choices()  # type: ignore[attr-defined]

    def clean_members(self) -> list[int]:
        return [person.pk for person in people_named(self.cleaned_data["members"])]

    def clean_chair(self) -> int | None:
        named = people_named(self.cleaned_data["chair"])
        if len(named) > 1:
            raise forms.ValidationError(_("Name one chair."))
        return named[0].pk if named else None

    def panel_data(self) -> PanelData:
        data = self.cleaned_data
        return PanelData(
            name=data["name"],
            topic_id=data["topic"],
            description=data["description"],
            member_ids=data["members"],
            chair_id=data["chair"],
            quorum=data["quorum"],
            reverify_months=data["reverify_months"],
        )
