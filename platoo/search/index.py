"""Keeping the index in step with the data. (Interface; the search backends fill it in.)"""

from typing import Any


def update_index(obj: Any) -> None:
    """Re-index `obj` once the current transaction commits (or remove it, if it should not be indexed)."""


def remove_from_index(obj: Any) -> None:
    """Remove `obj` from the index once the current transaction commits."""
