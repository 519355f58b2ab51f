"""The map's data version: a token in the shared cache, replaced whenever something the map shows changes.

App servers are stateless, so nothing is kept per process: built graphs are cached under the current
token (Redis in production) and a new token makes every server rebuild. The token is replaced after the
change commits, so a graph read before the commit cannot be cached under the new token. Queryset
``update()`` and bulk writes send no signals; measures are therefore also recomputed after
``measures.MAX_AGE`` whatever the token says.
"""

import uuid
from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

VERSION_KEY = "netmap:version"
_followed: set[type[Model]] = set()


def data_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        # A fresh token, never a counter restarting at 1: entries cached under an old token stay unreachable.
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY) or ""
    return str(version)


def bump_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def _changed(sender: type[Model], **kwargs: Any) -> None:
    if kwargs.get("action", "post_").startswith("pre_"):
        return  # many-to-many changes signal twice
    fields = kwargs.get("update_fields")
    if fields is not None and set(fields) <= {"last_login"}:
        return  # signing in saves the user; the map does not change
    transaction.on_commit(bump_version)


def follow(models: Iterable[type[Model]]) -> None:
    """Replace the data version after every save or delete of these models. A many-to-many field is
    followed by naming its through model (``Community.topics.through``)."""
    for model in models:
        if model in _followed:
            continue
        _followed.add(model)
        uid = f"netmap:{model._meta.label}"
        if model._meta.auto_created:
            m2m_changed.connect(_changed, sender=model, dispatch_uid=uid, weak=False)
        else:
            post_save.connect(_changed, sender=model, dispatch_uid=uid, weak=False)
            post_delete.connect(_changed, sender=model, dispatch_uid=uid, weak=False)
