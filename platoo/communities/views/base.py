"""What the communities' views share: the permission-checked lookups and the way errors reach the page."""

from typing import cast

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from platoo.accounts.models import User
from platoo.lib.views import add_errors, attempt, fail

__all__ = [
    "add_errors",
    "attempt",
    "fail",
    "get_community",
    "get_meeting",
    "get_readable_community",
    "get_thread",
    "user_of",
]

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
