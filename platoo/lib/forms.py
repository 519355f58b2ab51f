"""Form fields shared by the apps."""

from datetime import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .dates import to_ce_year

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateTimeLocalField(forms.DateTimeField):
    """A date and time picked in the browser (<input type="datetime-local">), read in Asia/Bangkok.

    A year typed in the Buddhist Era (2569) is read as the same year of the Common Era (2026): Thai
    readers often type it, and no meeting is scheduled five centuries ahead.
    """

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL)
    input_formats = [DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M"]
    default_error_messages = {"invalid": _("Enter a date and time, such as 2026-12-01 09:30.")}

    def to_python(self, value: Any) -> datetime | None:
        result = super().to_python(value)
        if result is not None and to_ce_year(result.year) != result.year:
            try:
                result = result.replace(year=to_ce_year(result.year))
            except ValueError as error:  # 29 February of a year that is not a leap year in the other era
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error
        return result
