from django import forms
from django.utils.translation import gettext_lazy as _

from platoo.accounts.models import KMRole
from platoo.network.models import NetworkLevel, Organization

from .models import CommunityVisibility, Stage


class CommunityForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(label=_("Short name (in the address)"), max_length=80, allow_unicode=True)
    domain = forms.CharField(label=_("Domain: what the community learns about"), max_length=300)
    purpose = forms.CharField(label=_("Purpose (Markdown)"), widget=forms.Textarea, required=False)
    level = forms.TypedChoiceField(label=_("Network level"), choices=NetworkLevel.choices, coerce=int)
    visibility = forms.ChoiceField(label=_("Visibility"), choices=CommunityVisibility.choices)
    stage = forms.ChoiceField(label=_("Starting stage"), choices=Stage.choices)
    organizations = forms.ModelMultipleChoiceField(
        label=_("Organizations involved"), queryset=Organization.objects.all(), required=False
    )


class FilterForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("Level"), choices=[("", _("Any level")), *NetworkLevel.choices], coerce=int, required=False
    )
    stage = forms.ChoiceField(label=_("Stage"), choices=[("", _("Any stage")), *Stage.choices], required=False)


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("New stage"), choices=Stage.choices)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class InviteForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)


class KMRoleForm(forms.Form):
    km_role = forms.ChoiceField(label=_("KM role"), choices=[("", "—"), *KMRole.choices], required=False)


class StepForm(forms.Form):
    done_on = forms.DateField(label=_("Done on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(label=_("Notes (Markdown)"), widget=forms.Textarea, required=False)
    evidence = forms.CharField(label=_("Evidence: one link per line"), widget=forms.Textarea, required=False)
