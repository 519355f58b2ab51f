"""Where the network map's ties come from. Apps register sources in their AppConfig.ready.

The map's nodes are fixed (member organizations, communities of practice, people); its ties are not.
An *edge source* gives ties of one kind ("network link", "knowledge reuse", later perhaps "organization
B applied knowledge from A"); a *context source* gives occasions people of different organizations
share (a meeting), from which the map derives co-participation between their organizations.

A source reads through the doorways of its own models for `scope.user`, so it never shows a viewer
more than the pages do; ties to nodes the viewer cannot see are dropped by the map in any case. Each
source names the models whose saves change its ties: the map's cache is invalidated on those saves.
"""

import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from django.db.models import Model

if TYPE_CHECKING:
    from .graph import Scope


def node_key(node_type: str, pk: int) -> str:
    """ "organization:3", "community:5", "person:8". Interned: a graph repeats each key in many ties."""
    return sys.intern(f"{node_type}:{pk}")


@dataclass(frozen=True)
class EdgeKind:
    """How a kind of tie is named, drawn and counted."""

    key: str
    label: Any  # lazily translated, for the legend and exports
    directed: bool = False
    # Derived from other ties (co-participation is membership seen from the organizations): drawn, but
    # left out of the measures, which would otherwise count the same tie twice.
    derived: bool = False
    colour: str = "#8a96a3"
    line: str = "solid"  # solid, dashed or dotted
    # Which ties the map keeps first when a view has more than its edge budget (lower first).
    priority: int = 1


class Edge(NamedTuple):
    """One tie between two nodes, named by their keys ("organization:3", "community:5", "person:8").

    A tuple: a cached map holds tens of thousands of them, and tuples unpickle fastest."""

    source: str
    target: str
    kind: str
    weight: float = 1.0
    level: int | None = None  # the network level of the tie itself (network links)
    community: int | None = None  # the CoP it happened in: the level and topic filters keep it with that CoP


class Context(NamedTuple):
    """An organization took part in an occasion (through one of its people)."""

    occasion: str  # unique across sources: "meeting:12"
    community: int | None  # the CoP it belongs to, for the level and topic filters
    organization: int


class EdgeSource(Protocol):
    @property
    def kind(self) -> EdgeKind: ...

    @property
    def models(self) -> Sequence[type[Model]]:
        """Saves and deletes of these change the ties."""

    def edges(self, scope: "Scope") -> Iterable[Edge]:
        """Every tie of this kind that `scope.user` may see."""


class ContextSource(Protocol):
    @property
    def key(self) -> str: ...

    @property
    def models(self) -> Sequence[type[Model]]: ...

    def contexts(self, scope: "Scope") -> Iterable[Context]:
        """Who took part in which occasions, as far as `scope.user` may see."""


_kinds: dict[str, EdgeKind] = {}
_edge_sources: list[EdgeSource] = []
_context_sources: list[ContextSource] = []


def register_kind(kind: EdgeKind) -> None:
    """A kind of tie the map draws without a source of its own (co-participation, derived by the map)."""
    _kinds[kind.key] = kind


def register_edges(source: EdgeSource) -> None:
    from .signals import follow  # the models are ready by the time apps register

    register_kind(source.kind)
    if all(s.kind.key != source.kind.key for s in _edge_sources):
        _edge_sources.append(source)
    follow(source.models)


def register_contexts(source: ContextSource) -> None:
    from .signals import follow

    if all(s.key != source.key for s in _context_sources):
        _context_sources.append(source)
    follow(source.models)


def edge_kinds() -> dict[str, EdgeKind]:
    return dict(_kinds)


def edge_sources() -> list[EdgeSource]:
    return list(_edge_sources)


def context_sources() -> list[ContextSource]:
    return list(_context_sources)
