from django import forms
from django.utils.translation import gettext_lazy as _

from platoo.accounts.images import ImageUploadField

from .models import Organization, Sector


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
