"""Links between items that writers recorded (platoo.knowledge.models.ItemRelation), shown among an
item page's provenance links: on both items, each to readers who may see the other item."""

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from .models import ItemRelation, KnowledgeItem, RelationKind
from .provenance import Capture, Link, register


class RelatedItems:
    kind = "item"

    def capture(self, user: Any, pk: int) -> Capture | None:
        return None  # knowledge is not captured from another item; it is linked to it

    def links(self, user: Any, item_ids: Sequence[int]) -> dict[int, list[Link]]:
        visible = KnowledgeItem.objects.visible_to(user)
        relations = (
            ItemRelation.objects.filter(from_item__in=item_ids, to_item__in=visible.values("pk"))
            | ItemRelation.objects.filter(to_item__in=item_ids, from_item__in=visible.values("pk"))
        ).select_related("from_item", "to_item")
        found: dict[int, list[Link]] = {}
        for relation in relations:
            if relation.from_item_id in item_ids:
                other = relation.to_item
                text = str(relation.get_kind_display())
                found.setdefault(relation.from_item_id, []).append(
                    Link(text, other.title, other.get_absolute_url(), relation.created_at)
                )
            if relation.to_item_id in item_ids:
                other = relation.from_item
                text = _("Repeated by") if relation.kind == RelationKind.DUPLICATE_OF else _("Related to")
                found.setdefault(relation.to_item_id, []).append(
                    Link(text, other.title, other.get_absolute_url(), relation.created_at)
                )
        return found


register(RelatedItems())
