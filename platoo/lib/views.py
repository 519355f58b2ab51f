"""What views share when they run an action for a request: its refusals become messages or form errors."""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _


def fail(request: HttpRequest, error: ValidationError | PermissionDenied) -> None:
    """An action refused: its reasons become messages on the next page."""
    if isinstance(error, ValidationError):
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.error(request, str(error) or _("You may not do this."))


def attempt(request: HttpRequest, work: Callable[[], object], success: str = "") -> bool:
    """Do an action for a POST view: its success (or the message it returns) or its refusal becomes a
    message on the next page. Returns whether it was done."""
    try:
        result = work()
    except (ValidationError, PermissionDenied) as error:
        fail(request, error)
        return False
    text = success or (result if isinstance(result, str) else "")
    if text:
        messages.success(request, text)
    return True


def add_errors(form: forms.Form, error: ValidationError) -> None:
    """An action's field errors shown on the form's own fields (the others above the form)."""
    if hasattr(error, "error_dict"):
        for key, errors in error.error_dict.items():
            for e in errors:
                form.add_error(key if key in form.fields else None, e)
    else:
        form.add_error(None, error)
