from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import EmailMode


class PreferenceForm(forms.Form):
    email_mode = forms.ChoiceField(
        label=_("Email me about notifications"), choices=EmailMode.choices, widget=forms.RadioSelect
    )
    language = forms.ChoiceField(label=_("Language of emails"), choices=settings.LANGUAGES, widget=forms.RadioSelect)


class FollowForm(forms.Form):
    key = forms.CharField(max_length=64)
    next = forms.CharField(max_length=2000, required=False)
