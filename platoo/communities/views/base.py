"""What the communities' views share: the permission-checked lookups and the way errors reach the page."""

from collections.abc import Callable
from typing import cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from platoo.accounts.models import User

from ..models import Community, Meeting, Thread


def get_community(request: HttpRequest, slug: str) -> Community:
    """The community if the user may see it; 404 otherwise, so a secret one does not exist for them."""
    return get_object_or_404(Community.objects.visible_to(request.user), slug=slug)


def get_readable_community(request: HttpRequest, slug: str) -> Community:
    """The community, if the user may also read its meetings and discussions (a closed or secret
    CoP's are for members only)."""
    community = get_community(request, slug)
    if not Community.objects.content_readable_by(request.user).filter(pk=community.pk).exists():
        raise PermissionDenied(_("Only members can read this community's meetings and discussions."))
    return community


def get_meeting(request: HttpRequest, slug: str, pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.visible_to(request.user).select_related("community"), community__slug=slug, pk=pk
    )


def get_thread(request: HttpRequest, slug: str, pk: int) -> Thread:
    return get_object_or_404(
        Thread.objects.visible_to(request.user).select_related("community", "author"), community__slug=slug, pk=pk
    )


def user_of(request: HttpRequest) -> User:
    return cast(User, request.user)


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
