"""One visibility vocabulary for everything a person can read in Platoo."""

from collections.abc import Callable, Iterable
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    NETWORK = "network", _("Network members")
    ORGANIZATION = "organization", _("Organization only")
    PRIVATE = "private", _("Private draft")


# Audiences: who may read a thing, as one word an index can store beside it. A searcher reading
# everything of an audience skips the per-row permission check; rows whose audience the searcher
# lacks are still checked against the model's own rule (authors read their private drafts).
PUBLIC_AUDIENCE = "public"
NETWORK_AUDIENCE = "network"


def organization_audience(organization_id: int) -> str:
    return f"organization:{organization_id}"


def community_audience(community_id: int) -> str:
    """The members of one community of practice (what its closed or secret content reads to)."""
    return f"community:{community_id}"


# Apps above this one (communities) say which group audiences a person holds, so that this module,
# and search and feeds through it, never import them.
_group_audiences: list[Callable[[Any], Iterable[str]]] = []


def register_group_audiences(provider: Callable[[Any], Iterable[str]]) -> None:
    if provider not in _group_audiences:
        _group_audiences.append(provider)


def audience_of(visibility: str, organization_id: int | None) -> str:
    """The audience a thing of this visibility reads to; "" when only a per-person rule decides."""
    if visibility == Visibility.PUBLIC:
        return PUBLIC_AUDIENCE
    if visibility == Visibility.NETWORK:
        return NETWORK_AUDIENCE
    if visibility == Visibility.ORGANIZATION and organization_id:
        return organization_audience(organization_id)
    return ""


def audiences_of(user: Any) -> list[str]:
    """The audiences `user` reads wholesale: anyone reads public things, active members the network's,
    their own organization's and those of the groups (communities) they belong to."""
    if user is None or not user.is_authenticated:
        return [PUBLIC_AUDIENCE]
    if not user.is_active:
        return []
    audiences = [PUBLIC_AUDIENCE, NETWORK_AUDIENCE]
    if user.organization_id:
        audiences.append(organization_audience(user.organization_id))
    for provider in _group_audiences:
        audiences.extend(provider(user))
    return audiences
