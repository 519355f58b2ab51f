"""Which knowledge the network counts as verified.

Verification is the expert panels' work (the knowledge cycle); that app registers what it has
verified here, so that apps below it (the annual fair's readiness check) can count it without
importing it. Until one registers and is ready (has panels), nothing is verified, and the pages say so.
"""

from collections.abc import Callable

from django.db.models import QuerySet

from .models import KnowledgeItem

_providers: list[tuple[Callable[[], QuerySet[KnowledgeItem]], Callable[[], bool]]] = []


def register(provider: Callable[[], QuerySet[KnowledgeItem]], ready: Callable[[], bool] = lambda: True) -> None:
    """`provider` lists what it verified and still stands by; `ready` says whether it verifies anything yet."""
    if all(known is not provider for known, _ready in _providers):
        _providers.append((provider, ready))


def unregister(provider: Callable[[], QuerySet[KnowledgeItem]]) -> None:
    _providers[:] = [(known, ready) for known, ready in _providers if known is not provider]


def is_available() -> bool:
    """Whether anything in the network verifies knowledge yet."""
    return any(ready() for _provider, ready in _providers)


def verified_items() -> QuerySet[KnowledgeItem]:
    """Every item verified and still current, by any registered verifier."""
    found = KnowledgeItem.objects.none()
    for provider, _ready in _providers:
        found = found | provider()
    return found
