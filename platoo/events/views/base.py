"""What the events' views share: the permission-checked lookups and how errors reach the page."""

from typing import cast

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from platoo.accounts.models import User
from platoo.lib.views import add_errors, attempt, fail

__all__ = ["add_errors", "attempt", "fail", "get_event", "user_of"]

from ..models import Event


def get_event(request: HttpRequest, pk: int) -> Event:
    """The event if the user may see it; 404 otherwise (a draft or another organization's event)."""
    return get_object_or_404(Event.objects.visible_to(request.user).select_related("host", "community"), pk=pk)


def user_of(request: HttpRequest) -> User:
    return cast(User, request.user)
