"""People can be followed (accounts sits below this app, so their kind is registered here)."""

from collections.abc import Iterable
from typing import Any

from platoo.accounts.models import User

from .registry import Followed, key, register


class PersonKind:
    kind = "person"

    def resolve(self, user: Any, ids: Iterable[int]) -> dict[int, Followed]:
        if user is None or not user.is_authenticated or not user.is_active:
            return {}  # the people directory is for signed-in members
        people = User.objects.filter(pk__in=list(ids), is_active=True)
        return {p.pk: Followed(key(self.kind, p.pk), p.display_name, p.get_absolute_url()) for p in people}


register(PersonKind())
