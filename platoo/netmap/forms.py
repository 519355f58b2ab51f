from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from platoo.knowledge.models import Topic
from platoo.lib.provinces import REGION_CHOICES
from platoo.network.models import NetworkLevel, Sector

from .graph import Filters, tie_choices


class MapFilterForm(forms.Form):
    """The map's filters, shared by the page, the data endpoint and the exports (GET parameters)."""

    level = forms.TypedChoiceField(
        label=_("Network level"),
        choices=[("", _("Any level")), *NetworkLevel.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", _("Any sector")), *Sector.choices], required=False)
    region = forms.ChoiceField(label=_("Region"), choices=[("", _("Any region")), *REGION_CHOICES], required=False)
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.order_by("position", "name_th"),
        to_field_name="slug",
        empty_label=_("Any topic"),
        required=False,
    )

    tie = forms.ChoiceField(label=_("Ties"), choices=[("", _("Every tie"))], required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The kinds other apps register are known once the apps are ready.
        field = self.fields["tie"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Every tie")), *tie_choices()]

    def filters(self) -> Filters:
        """The valid filters (a field that did not validate is left out, and the form shows why)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return Filters.of(
            level=data.get("level"),
            sector=data.get("sector", ""),
            region=data.get("region", ""),
            topic=data.get("topic"),
            tie=data.get("tie", ""),
        )
