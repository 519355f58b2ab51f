"""Topics can be followed: their new knowledge reaches the follower's feed."""

from collections.abc import Iterable
from typing import Any

from platoo.activity.registry import Followed, key, register

from .models import Topic


class TopicKind:
    kind = "topic"

    def resolve(self, user: Any, ids: Iterable[int]) -> dict[int, Followed]:
        topics = Topic.objects.filter(pk__in=list(ids))
        return {t.pk: Followed(key(self.kind, t.pk), t.display_name, t.get_absolute_url()) for t in topics}


register(TopicKind())
