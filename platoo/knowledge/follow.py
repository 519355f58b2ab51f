"""Topics can be followed: their new knowledge reaches the follower's feed; a deleted item leaves it."""

from collections.abc import Iterable
from typing import Any

from django.db.models.signals import post_delete
from django.dispatch import receiver

from platoo.activity.actions import forget
from platoo.activity.registry import Followed, key, register

from .actions import activity_target
from .models import KnowledgeItem, Topic


class TopicKind:
    kind = "topic"

    def resolve(self, user: Any, ids: Iterable[int]) -> dict[int, Followed]:
        topics = Topic.objects.filter(pk__in=list(ids))
        return {t.pk: Followed(key(self.kind, t.pk), t.display_name, t.get_absolute_url()) for t in topics}


register(TopicKind())


@receiver(post_delete, sender=KnowledgeItem, dispatch_uid="knowledge-forget-activities")
def _forget_activities(sender: type[KnowledgeItem], instance: KnowledgeItem, **kwargs: Any) -> None:
    # However the item goes (an action, the admin, the demo's reset), its feed entries go with it.
    forget(activity_target(instance))
