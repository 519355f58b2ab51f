"""What is searchable, and how each searchable model describes itself to the index.

Apps register an adapter in their AppConfig.ready (via their own search.py), so the search
app never imports the apps above it. The adapter owns the permission rule: search results
are always restricted to `adapter.visible(user)`, whatever else the caller narrows them to.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from django.db.models import Model, QuerySet


@dataclass(frozen=True)
class IndexEntry:
    """The text of one object as the index sees it. Fields are weighted title > keywords > body."""

    title: str
    keywords: str  # tags, topics, names, expertise: short, descriptive words
    body: str  # summary, body, structured fields, attachment text
    url: str
    date: datetime | None = None
    # Who reads it (platoo.lib.visibility audiences): searchers holding the audience skip the
    # per-row check against visible(); "" leaves every searcher to that check.
    audience: str = ""


class SearchAdapter(Protocol):
    label: str  # stable name of the type in the index and in results: "knowledge", "person"

    @property
    def model(self) -> type[Model]:
        """The model this adapter indexes (read-only, so adapters may name a subclass)."""

    def entry(self, obj: Any) -> IndexEntry | None:
        """The entry to index, or None when the object must not be in the index at all."""

    def visible(self, user: Any) -> QuerySet[Any]:
        """Every object of this type that `user` may read (the permission doorway)."""

    def audiences(self, user: Any) -> Sequence[str]:
        """Audiences whose entries `user` may all read."""

    def granted(self, user: Any) -> QuerySet[Any] | None:
        """What `user` may read beyond those audiences (their own drafts), or None.

        Together the two must be exactly visible(user): search uses them instead when no filter is set.
        """

    def indexable(self) -> QuerySet[Any]:
        """Every object to index on a full rebuild, with what entry() needs prefetched."""

    def narrow(self, queryset: QuerySet[Any], params: Mapping[str, str]) -> QuerySet[Any] | None:
        """Apply the search page's filters (kind, topic, tag, org, year) to this type's objects.

        Return None when the filters exclude the type entirely (people, when a kind is chosen).
        """

    def load(self, pks: list[int]) -> dict[int, Any]:
        """Objects by primary key, with what a result line shows prefetched (one or two queries)."""


_adapters: dict[str, SearchAdapter] = {}


def register(adapter: SearchAdapter) -> None:
    """Make a type searchable; its saves and deletes are followed from now on."""
    from .index import follow  # the index needs the models, which are ready by the time apps register

    _adapters[adapter.label] = adapter
    follow(adapter)


def adapters() -> dict[str, SearchAdapter]:
    return dict(_adapters)


def adapter_for(obj_or_model: Any) -> SearchAdapter | None:
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    return next((a for a in _adapters.values() if issubclass(model, a.model)), None)
