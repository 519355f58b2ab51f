"""Where people hold KM roles: in an organization (KMRoleHolding) or in a community of practice.

KM roles describe what someone does for knowledge work; they grant nothing. Roles held in an
organization live here; apps above accounts (communities) register the other places roles are held,
and answer only with the places the viewer may see: a role held in a secret CoP is not shown to
someone who cannot see that CoP, not even as a match of the directory's role filter.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from django.db.models import Q, QuerySet

from .models import KMRole, KMRoleHolding


@dataclass(frozen=True)
class RoleHeld:
    person_id: int
    role: str  # KMRole
    place_kind: str = ""  # "organization", "community", or "" when held nowhere in particular
    place_key: str = ""  # the organization's code, the community's slug
    place_name: str = ""
    place_url: str = ""
    since: date | None = None

    @property
    def role_label(self) -> str:
        return str(KMRole(self.role).label)


class RolePlaces(Protocol):
    def roles(self, person_ids: Sequence[int], viewer: Any) -> Iterable[RoleHeld]:
        """The roles these people hold in places of this kind that `viewer` may see."""

    def people_with_role(self, role: str, viewer: Any) -> QuerySet[Any]:
        """Primary keys (a one-column values() query) of people holding `role` in a place `viewer` may see."""


_places: list[RolePlaces] = []


def register(places: RolePlaces) -> None:
    if places not in _places:
        _places.append(places)


def _organization_roles(person_ids: Sequence[int]) -> list[RoleHeld]:
    holdings = KMRoleHolding.objects.filter(user_id__in=person_ids).select_related("organization")
    return [
        RoleHeld(
            person_id=h.user_id,
            role=h.role,
            place_kind="organization" if h.organization else "",
            place_key=h.organization.code if h.organization else "",
            place_name=h.organization.display_name if h.organization else "",
            place_url=h.organization.get_absolute_url() if h.organization else "",
            since=h.since,
        )
        for h in holdings
    ]


def roles_of(person_ids: Sequence[int], viewer: Any) -> dict[int, list[RoleHeld]]:
    """Each person's KM roles with where they hold them, in KMRole's order: one query per kind of place."""
    ids = list(dict.fromkeys(person_ids))
    people: dict[int, list[RoleHeld]] = {pk: [] for pk in ids}
    if not ids:
        return people
    found = _organization_roles(ids) + [held for places in _places for held in places.roles(ids, viewer)]
    order = {role: n for n, role in enumerate(KMRole.values)}
    for held in sorted(found, key=lambda h: (order[h.role], h.place_kind != "organization", h.place_name)):
        people[held.person_id].append(held)
    return people


def people_with_role(role: str, viewer: Any) -> Q:
    """A condition on people: holding `role` in an organization, or in a place `viewer` may see."""
    condition = Q(pk__in=KMRoleHolding.objects.filter(role=role).values("user_id"))
    for places in _places:
        condition |= Q(pk__in=places.people_with_role(role, viewer))
    return condition
