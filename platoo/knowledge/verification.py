"""Which knowledge the network counts as verified.

Verification is the expert panels' work (the knowledge cycle); that app registers what it has
verified here, so that apps below it (the annual fair's readiness check) can count it without
importing it. Until one registers, nothing is verified, and the pages say so.
"""

from collections.abc import Callable

from django.db.models import QuerySet

from .models import KnowledgeItem

_providers: list[Callable[[], QuerySet[KnowledgeItem]]] = []


def register(provider: Callable[[], QuerySet[KnowledgeItem]]) -> None:
    if provider not in _providers:
        _providers.append(provider)


def is_available() -> bool:
    """Whether anything in the network verifies knowledge yet."""
    return bool(_providers)


def verified_items() -> QuerySet[KnowledgeItem]:
    """Every item verified and still current, by any registered verifier."""
    found = KnowledgeItem.objects.none()
    for provider in _providers:
        found = found | provider()
    return found
