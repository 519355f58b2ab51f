"""Network measures with networkx: degree, betweenness (who bridges the network), isolated member
organizations and clusters (connected components, Louvain communities).

They are computed over the two standard views, never over one person's: what every signed-in member
sees (``graph.general_member()``: no secret CoP, whatever the reader's own memberships) and what
visitors see (no people). Only direct ties count: co-participation is derived from memberships that are
already ties (counting both would make the same tie two), so it is drawn on the map but left out here.
Each view keeps one snapshot (models.MeasureSnapshot).

Cost. Betweenness dominates. Brandes' algorithm runs one breadth-first search per source, each touching
every node and tie, so it takes about ``SECONDS_PER_STEP × sources × (nodes + ties)``; Louvain adds about
``LOUVAIN_SECONDS_PER_TIE`` per tie. Both constants were measured with bench/network_map.py (see
bench/README.md) and rounded up. Up to ``NETMAP_EXACT_BETWEENNESS_NODES`` nodes every node is a source
(exact); above that ``NETMAP_BETWEENNESS_SAMPLES`` sampled sources estimate it (networkx's ``k``, seeded,
so the same data gives the same answer) and the page says so. A computation estimated to take longer
than ``NETMAP_MEASURES_SYNC_MS`` runs as a background task (django-tasks: the database worker in
production); meanwhile the page shows the last snapshot, its date and a "being recomputed" note.

Freshness. A snapshot is stale once the map's data version has changed since it was computed, or when
it is older than ``NETMAP_MEASURES_MAX_AGE_MINUTES`` (changes that send no signal, such as bulk
updates). A stale snapshot is recomputed on the next look at the page: at once when cheap, otherwise
queued once (a lock in the shared cache); if the data moved on during a run, the next look queues again.
"""

import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import networkx as nx
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.utils import timezone

from platoo.accounts.models import User
from platoo.communities.models import Community, Membership
from platoo.network.models import NetworkLink, Organization

from .graph import COMMUNITY, ORGANIZATION, PERSON, MapGraph, Scope, build, general_member, load
from .models import MeasureSnapshot, MeasureView
from .registry import edge_kinds
from .signals import data_version

# Measured with bench/network_map.py (bench/README.md): 0.2–0.3 µs a step at 2,891 nodes, 1.05–1.4 µs
# at 22,567; Louvain 14–35 µs a tie. Rounded up to the largest, so a borderline estimate errs towards
# the background.
SECONDS_PER_STEP = 1.4e-6
LOUVAIN_SECONDS_PER_TIE = 3.5e-5
SEED = 42  # sampled betweenness and Louvain: the same data gives the same figures
TOP = 10
LOCK_SECONDS = 30 * 60  # a queued computation that never reports back stops blocking the next after this


def scope_of(view: str) -> Scope:
    if view == MeasureView.MEMBER:
        return Scope(general_member(), "member")
    return Scope(AnonymousUser(), "anonymous")


def view_for(user: Any) -> str:
    signed_in = user is not None and user.is_authenticated and user.is_active
    return MeasureView.MEMBER if signed_in else MeasureView.ANONYMOUS


def primary_graph(graph: MapGraph) -> nx.Graph:
    """The built map as a simple undirected graph of its direct ties, weights summed per pair."""
    kinds = edge_kinds()
    g = nx.Graph()
    g.add_nodes_from(n.key for n in graph.nodes)
    for e in graph.edges:
        if kinds[e.kind].derived:
            continue
        if g.has_edge(e.source, e.target):
            g[e.source][e.target]["weight"] += e.weight
        else:
            g.add_edge(e.source, e.target, weight=e.weight)
    return g


def exact_limit() -> int:
    return int(settings.NETMAP_EXACT_BETWEENNESS_NODES)


def sources_for(nodes: int) -> int:
    return nodes if nodes <= exact_limit() else min(nodes, int(settings.NETMAP_BETWEENNESS_SAMPLES))


def estimate_seconds(nodes: int, ties: int) -> float:
    return SECONDS_PER_STEP * sources_for(nodes) * (nodes + ties) + LOUVAIN_SECONDS_PER_TIE * ties


def _top(values: dict[str, float], node_type: str, digits: int | None = None) -> list[list[Any]]:
    ranked = sorted(
        ((key, value) for key, value in values.items() if value > 0 and key.startswith(node_type + ":")),
        key=lambda pair: (-pair[1], pair[0]),
    )
    return [[key, round(value, digits) if digits is not None else value] for key, value in ranked[:TOP]]


def _type(key: str) -> str:
    return key.partition(":")[0]


def measure(g: nx.Graph) -> dict[str, Any]:
    """Every figure the page lists, from one graph."""
    nodes = g.number_of_nodes()
    sources = sources_for(nodes)
    exact = sources == nodes
    betweenness = nx.betweenness_centrality(g, k=None if exact else sources, seed=SEED) if nodes > 2 else {}
    degree = dict(g.degree())
    components = sorted(nx.connected_components(g), key=len, reverse=True)
    isolated = []
    for component in components:
        anchored = [k for k in component if _type(k) in (ORGANIZATION, COMMUNITY)]
        if len(anchored) == 1 and _type(anchored[0]) == ORGANIZATION:
            isolated.append(anchored[0])  # no tie reaches another organization or any CoP
    clusters = nx.community.louvain_communities(g, seed=SEED) if g.number_of_edges() else []
    clusters = [c for c in clusters if len(c) > 1]
    clusters.sort(key=len, reverse=True)
    return {
        "exact": exact,
        "samples": None if exact else sources,
        "degree": {t: _top(degree, t) for t in (ORGANIZATION, COMMUNITY, PERSON)},
        "bridges": {t: _top(betweenness, t, 5) for t in (ORGANIZATION, PERSON)},
        "isolated": sorted(isolated),
        "components": {"count": len(components), "sizes": [len(c) for c in components[:5]]},
        "clusters": {
            "count": len(clusters),
            "top": [
                {
                    "size": len(cluster),
                    "types": dict(Counter(_type(k) for k in cluster)),
                    "leading": [k for k, _d in sorted(((k, degree[k]) for k in cluster), key=lambda p: (-p[1], p[0]))][
                        :3
                    ],
                }
                for cluster in clusters[:8]
            ],
        },
    }


def compute(view: str) -> MeasureSnapshot:
    """Compute and store the measures of a standard view."""
    version = data_version()
    started = time.perf_counter()
    g = primary_graph(build(load(scope_of(view))))
    results = measure(g)
    seconds = time.perf_counter() - started
    snapshot, _created = MeasureSnapshot.objects.update_or_create(
        view=view,
        defaults={
            "computed_at": timezone.now(),
            "data_version": version,
            "node_count": g.number_of_nodes(),
            "edge_count": g.number_of_edges(),
            "exact": results.pop("exact"),
            "samples": results.pop("samples"),
            "seconds": round(seconds, 3),
            "results": results,
        },
    )
    return snapshot


def is_stale(snapshot: MeasureSnapshot) -> bool:
    max_age = timedelta(minutes=settings.NETMAP_MEASURES_MAX_AGE_MINUTES)
    return snapshot.data_version != data_version() or timezone.now() - snapshot.computed_at > max_age


def _size(snapshot: MeasureSnapshot | None, view: str) -> tuple[int, int]:
    """Nodes and ties to expect: the last snapshot's, or counted from the tables the first time."""
    if snapshot is not None:
        return snapshot.node_count, snapshot.edge_count
    scope = scope_of(view)
    communities = scope.communities()
    nodes = Organization.objects.members().count() + communities.count()
    ties = NetworkLink.objects.count()
    ties += Membership.objects.filter(community__in=communities, status=Membership.Status.ACTIVE).count()
    if view == MeasureView.MEMBER:
        people = User.objects.filter(is_active=True).count()
        nodes, ties = nodes + people, ties + people
    return nodes, ties


def lock_key(view: str) -> str:
    return f"netmap:measures:{view}:queued"


def queue(view: str) -> None:
    """Queue one background computation of the view (later calls wait for it)."""
    from .tasks import compute_measures

    if cache.add(lock_key(view), True, timeout=LOCK_SECONDS):
        try:
            compute_measures.enqueue(view)
        except Exception:
            cache.delete(lock_key(view))
            raise


@dataclass
class Measures:
    """The measures a page shows: the snapshot (if any yet) and whether it is fresh."""

    snapshot: MeasureSnapshot | None
    stale: bool
    recomputing: bool


def current(user: Any) -> Measures:
    """The measures for `user`'s standard view, brought up to date when that is cheap, queued when not."""
    view = view_for(user)
    snapshot = MeasureSnapshot.objects.filter(view=view).first()
    if (snapshot is None or is_stale(snapshot)) and cache.get(lock_key(view)) is None:
        if estimate_seconds(*_size(snapshot, view)) * 1000 <= settings.NETMAP_MEASURES_SYNC_MS:
            return Measures(compute(view), stale=False, recomputing=False)
        queue(view)
        # With the immediate backend (development, tests) the work is already done.
        snapshot = MeasureSnapshot.objects.filter(view=view).first()
    recomputing = cache.get(lock_key(view)) is not None
    return Measures(snapshot, stale=snapshot is None or is_stale(snapshot), recomputing=recomputing)


@dataclass(frozen=True)
class Entry:
    """A node named in the measures, as the reader may see it now."""

    key: str
    type: str
    label: str
    url: str
    value: Any = None


def resolve(user: Any, keys: Iterable[str]) -> dict[str, Entry]:
    """The nodes among `keys` that `user` may see today, named and linked (one query per type).

    Snapshots are computed without secret CoPs, but a CoP may have turned secret, an organization left
    or a person gone since: anything the doorways no longer show is dropped, never named.
    """
    wanted: dict[str, list[int]] = {ORGANIZATION: [], COMMUNITY: [], PERSON: []}
    for key in keys:
        node_type, _sep, pk = key.partition(":")
        if node_type in wanted and pk.isdigit():
            wanted[node_type].append(int(pk))
    found: dict[str, Entry] = {}
    if wanted[ORGANIZATION]:
        for o in Organization.objects.visible_to(user).members().filter(pk__in=wanted[ORGANIZATION]):
            found[f"organization:{o.pk}"] = Entry(
                f"organization:{o.pk}", ORGANIZATION, o.display_name, o.get_absolute_url()
            )
    if wanted[COMMUNITY]:
        # The snapshot's own view (no secret CoPs), narrowed to what the reader sees.
        open_ = Community.objects.visible_to(AnonymousUser())
        for c in Community.objects.visible_to(user).filter(pk__in=wanted[COMMUNITY]).filter(pk__in=open_):
            found[f"community:{c.pk}"] = Entry(f"community:{c.pk}", COMMUNITY, c.name, c.get_absolute_url())
    if wanted[PERSON] and view_for(user) == MeasureView.MEMBER:
        for p in User.objects.filter(is_active=True, pk__in=wanted[PERSON]):
            found[f"person:{p.pk}"] = Entry(f"person:{p.pk}", PERSON, p.display_name, p.get_absolute_url())
    return found


def listing(user: Any, snapshot: MeasureSnapshot) -> dict[str, Any]:
    """The snapshot's lists with names and links, for the page: nothing the reader may not see."""
    results = snapshot.results
    keys = [k for lists in results["degree"].values() for k, _v in lists]
    keys += [k for lists in results["bridges"].values() for k, _v in lists]
    keys += results["isolated"]
    keys += [k for cluster in results["clusters"]["top"] for k in cluster["leading"]]
    found = resolve(user, keys)

    def entries(pairs: list[list[Any]]) -> list[Entry]:
        return [
            Entry(e.key, e.type, e.label, e.url, value) for key, value in pairs if (e := found.get(key)) is not None
        ]

    isolated = sorted((found[k] for k in results["isolated"] if k in found), key=lambda e: e.label)
    return {
        "degree": {t: entries(pairs) for t, pairs in results["degree"].items()},
        "bridges": {t: entries(pairs) for t, pairs in results["bridges"].items()},
        "isolated": isolated,
        "components": results["components"],
        "clusters": {
            "count": results["clusters"]["count"],
            "top": [
                {**cluster, "leading": [found[k] for k in cluster["leading"] if k in found]}
                for cluster in results["clusters"]["top"]
            ],
        },
    }
