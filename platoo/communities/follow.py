"""Communities can be followed; their members hold the audience of a closed or secret CoP's content."""

from collections.abc import Iterable
from typing import Any

from platoo.activity.registry import Followed, key, register
from platoo.lib.visibility import community_audience, register_group_audiences

from .models import Community, CommunityVisibility, Membership


class CommunityKind:
    kind = "community"

    def resolve(self, user: Any, ids: Iterable[int]) -> dict[int, Followed]:
        found = Community.objects.visible_to(user).filter(pk__in=list(ids))
        return {c.pk: Followed(key(self.kind, c.pk), c.name, c.get_absolute_url()) for c in found}


def member_audiences(user: Any) -> list[str]:
    """The closed and secret communities `user` is an active member of (public ones read to the network)."""
    ids = Membership.objects.filter(
        user=user,
        status=Membership.Status.ACTIVE,
        community__visibility__in=[CommunityVisibility.CLOSED, CommunityVisibility.SECRET],
    ).values_list("community_id", flat=True)
    return [community_audience(pk) for pk in ids]


register(CommunityKind())
register_group_audiences(member_audiences)
