"""Form fields shared by the apps."""

from datetime import date, datetime
from typing import Any, TypeVar

from django import forms
from django.utils.translation import gettext_lazy as _

from .dates import to_ce_year

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"

DateOrTime = TypeVar("DateOrTime", date, datetime)


def in_common_era(value: DateOrTime, field: forms.Field) -> DateOrTime:
    """The same day with a year typed in the Buddhist Era (2569) read as the Common Era's (2026).

    Thai readers often type the Buddhist year, and nothing is scheduled five centuries ahead.
    """
    if to_ce_year(value.year) == value.year:
        return value
    try:
        return value.replace(year=to_ce_year(value.year))
    except ValueError as error:  # 29 February of a year that is not a leap year in the other era
        raise forms.ValidationError(field.error_messages["invalid"], code="invalid") from error


class DateTimeLocalField(forms.DateTimeField):
    """A date and time picked in the browser (<input type="datetime-local">), read in Asia/Bangkok."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL)
    input_formats = [DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M"]
    default_error_messages = {"invalid": _("Enter a date and time, such as 2026-12-01 09:30.")}

    def to_python(self, value: Any) -> datetime | None:
        result = super().to_python(value)
        return None if result is None else in_common_era(result, self)


class DateInputField(forms.DateField):
    """A date picked in the browser (<input type="date">), the year read as in_common_era does."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    input_formats = ["%Y-%m-%d", "%d/%m/%Y"]
    default_error_messages = {"invalid": _("Enter a date, such as 2027-03-09.")}

    def to_python(self, value: Any) -> date | None:
        result = super().to_python(value)
        return None if result is None else in_common_era(result, self)
