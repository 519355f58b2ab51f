from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from platoo.accounts.images import ImageUploadField

from .models import MembershipStatus, NetworkLink, NetworkProfile, Organization, Sector, Unit


class OrganizationForm(forms.ModelForm):
    """Staff's form for an organization; the logo is checked and re-encoded like an avatar."""

    logo = ImageUploadField(label=_("Logo"), required=False)
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Organization
        fields = ["name_th", "name_en", "code", "sector", "province", "website", "logo", "description"]


class OrganizationFilterForm(forms.Form):
    """The organization list's filters; unknown values are ignored rather than errors."""

    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=[("", _("Any sector")), *Sector.choices])
    province = forms.CharField(label=_("Province"), required=False)
    status = forms.ChoiceField(
        label=_("Membership status"), required=False, choices=[("", _("Members")), *MembershipStatus.choices]
    )


RESERVED_CODES = {"apply", "links"}  # the organization pages' own addresses


class ApplicationForm(forms.ModelForm):
    """A signed-in person's application for their organization to join the network."""

    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    application_note = forms.CharField(
        label=_("Why does your organization want to join?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
    )

    class Meta:
        model = Organization
        fields = ["name_th", "name_en", "code", "sector", "province", "website", "description", "application_note"]
        help_texts = {"code": _("Letters, numbers and hyphens; used in the organization's web address.")}

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"].lower()
        if code in RESERVED_CODES:
            raise forms.ValidationError(_("This code is reserved; choose another."))
        return code


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))], widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason (required when rejecting)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MembershipChangeForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Change membership"),
        choices=[
            (MembershipStatus.SUSPENDED, _("Suspend")),
            (MembershipStatus.LEFT, _("Mark as left")),
            (MembershipStatus.MEMBER, _("Reinstate as member")),
        ],
    )


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["name_th", "name_en", "kind", "parent"]

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = organization.units.order_by("name_th")
        if self.instance.pk is not None:
            parents = parents.exclude(pk=self.instance.pk)
        parent_field = self.fields["parent"]
        assert isinstance(parent_field, forms.ModelChoiceField)
        parent_field.queryset = parents
        parent_field.empty_label = _("(top level)")


class LinkForm(forms.ModelForm):
    class Meta:
        model = NetworkLink
        fields = ["source", "target", "level", "since", "reason"]
        widgets = {"since": forms.DateInput(attrs={"type": "date"}), "reason": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("source", "target"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = Organization.objects.members().order_by("name_th")


class ProfileForm(forms.ModelForm):
    class Meta:
        model = NetworkProfile
        fields = ["name_th", "name_en", "knowledge_vision", "started_on"]
        widgets = {"started_on": forms.DateInput(attrs={"type": "date"}), "knowledge_vision": forms.Textarea()}
