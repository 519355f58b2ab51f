"""What can be followed. Apps register a kind ("community", "topic", "person") in their AppConfig.ready.

A kind resolves keys to what a reader may see of them: a secret community the reader cannot see
resolves to nothing, so it can neither be followed nor named to them.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class Followed:
    key: str
    title: str
    url: str


class FollowableKind(Protocol):
    kind: str  # the key prefix: "community" for "community:12"

    def resolve(self, user: Any, ids: Iterable[int]) -> dict[int, Followed]:
        """The objects among `ids` that `user` may see, by id."""


_kinds: dict[str, FollowableKind] = {}


def register(kind: FollowableKind) -> None:
    _kinds[kind.kind] = kind


def kinds() -> dict[str, FollowableKind]:
    return dict(_kinds)


def key(kind: str, pk: int) -> str:
    return f"{kind}:{pk}"


def split(key_: str) -> tuple[str, int] | None:
    kind, _, raw = key_.partition(":")
    return (kind, int(raw)) if kind in _kinds and raw.isdigit() else None


def resolve(user: Any, keys: Iterable[str]) -> dict[str, Followed]:
    """The keys `user` may see, resolved; one query per kind."""
    wanted: dict[str, list[int]] = {}
    for k in keys:
        parts = split(k)
        if parts is not None:
            wanted.setdefault(parts[0], []).append(parts[1])
    found: dict[str, Followed] = {}
    for kind, ids in wanted.items():
        for followed in _kinds[kind].resolve(user, ids).values():
            found[followed.key] = followed
    return found
