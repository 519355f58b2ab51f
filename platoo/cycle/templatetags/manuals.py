"""Small helpers of the manuals' templates."""

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    """{{ titles|get_item:pk }}: a dictionary's value by a key from the template."""
    return mapping.get(key)


@register.filter
def list_with(items: list[Any], first: Any) -> list[Any]:
    """{% for node in chapter.children|list_with:chapter %}: the list with one more element in front."""
    return [first, *items]
