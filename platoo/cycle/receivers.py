"""How the cycle plugs into the apps below it (which never import it)."""

from typing import Any

from django.db.models import QuerySet
from django.dispatch import receiver

from platoo.knowledge import verification
from platoo.knowledge.models import KnowledgeItem
from platoo.knowledge.signals import item_edited

from .actions import send_back_after_edit
from .models import CriticalKnowledge, Panel


def verified_and_current() -> QuerySet[KnowledgeItem]:
    return KnowledgeItem.objects.filter(pk__in=CriticalKnowledge.objects.current().values("item_id"))


def panels_exist() -> bool:
    return Panel.objects.exists()


verification.register(verified_and_current, ready=panels_exist)


@receiver(item_edited, dispatch_uid="cycle_send_back_after_edit")
def send_verified_knowledge_back_to_review(sender: Any, item: KnowledgeItem, actor: Any, **kwargs: Any) -> None:
    send_back_after_edit(item, actor)
