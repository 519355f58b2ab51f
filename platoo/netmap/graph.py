"""The network map one viewer may see: its nodes and ties, the filters, and the display budget.

A map is made in two steps.

``load(scope)`` reads everything the viewer may see with a handful of ``values_list`` queries: member
organizations, the CoPs ``Community.objects.visible_to`` gives them, the CoPs' topics, people, and the
ties of every registered source (registry.py). The result is cached in Django's cache under the data
version (signals.py) and the viewer's *scope*: viewers who see the same things share an entry.

``build(data, filters, budgets)`` keeps what the filters ask for, derives co-participation, merges
parallel ties and fits the result into the budget a browser can draw: people are folded into their
organization's node when there are too many (always, for visitors, who never see people), then only
the most connected organizations and CoPs are kept, then the strongest ties. Everything it leaves out
is counted, so the page and the JSON can say so.
"""

import gc
import hashlib
import heapq
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations
from typing import Any, NamedTuple
from urllib.parse import quote

import networkx as nx
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from platoo.accounts.models import User
from platoo.communities.models import Community, CommunityVisibility, Membership
from platoo.knowledge.models import Topic
from platoo.lib.dates import is_thai
from platoo.lib.provinces import region_of
from platoo.network.models import Organization

from .providers import COPARTICIPATION, MEMBER, STAFF
from .registry import Edge, context_sources, edge_kinds, edge_sources, node_key
from .signals import data_version, follow

ORGANIZATION, COMMUNITY, PERSON = "organization", "community", "person"
NODE_TYPES = {
    ORGANIZATION: gettext_lazy("Organization"),
    COMMUNITY: gettext_lazy("Community of practice"),
    PERSON: gettext_lazy("Person"),
}
NODE_TYPES_PLURAL = {
    ORGANIZATION: gettext_lazy("Organizations"),
    COMMUNITY: gettext_lazy("Communities of practice"),
    PERSON: gettext_lazy("People"),
}
CACHE_SECONDS = 15 * 60
DERIVED_PER_NODE = 3
# The models whose saves change the nodes (the sources name the models behind their ties).
follow([Organization, User, Community, Community.topics.through, Topic])


def general_member() -> User:
    """A signed-in member with no organization, no memberships and no permissions: the view every member
    shares, which the measures are computed over. Never saved; its primary key 0 is no row's, so the
    doorways' questions about it (memberships, authorship) find nothing."""
    return User(pk=0, username="", is_active=True)


@dataclass(frozen=True)
class Scope:
    """Whom a map is for, and the cache key of everything that decides what they see."""

    user: Any
    key: str

    @property
    def people(self) -> bool:
        """People are shown to signed-in members only (the people directory is theirs)."""
        return bool(self.user.is_authenticated and self.user.is_active)

    def communities(self) -> QuerySet[Community]:
        return Community.objects.visible_to(self.user)

    def organizations(self) -> QuerySet[Organization]:
        return Organization.objects.visible_to(self.user).members()


def scope_for(user: Any) -> Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope(AnonymousUser(), "anonymous")
    if user.is_superuser:
        return Scope(user, "all")
    if any(getattr(source, "per_person", False) for source in edge_sources()):
        return Scope(user, f"person:{user.pk}")
    # Members differ only by the secret CoPs they see and the closed or secret CoPs whose meetings they read.
    rows = (
        Membership.objects.filter(user=user, status__in=[Membership.Status.ACTIVE, Membership.Status.INVITED])
        .exclude(community__visibility=CommunityVisibility.PUBLIC)
        .order_by("community_id")
        .values_list("community_id", "status")
    )
    grants = ",".join(f"{pk}{status[0]}" for pk, status in rows)
    if not grants:
        return Scope(user, "member")
    return Scope(user, "member:" + hashlib.sha256(grants.encode()).hexdigest()[:20])


@lru_cache(maxsize=8)
def _url_parts(name: str) -> tuple[str, str]:
    prefix, _slot, suffix = reverse(name, args=["SLOT"]).partition("SLOT")
    return prefix, suffix


URL_NAMES = {ORGANIZATION: "network:organization", COMMUNITY: "communities:detail", PERSON: "accounts:profile"}


class Node(NamedTuple):
    key: str
    type: str
    names: tuple[str, ...]  # organization: Thai, English; CoP: its name; person: Thai, English, full, username
    slug: str  # the code, slug or username in the node's address
    sector: str = ""
    region: str = ""
    level: int | None = None
    topics: frozenset[int] = frozenset()
    organization: str | None = None  # a person's member organization
    size: int = 0  # CoPs: active members; organizations: their people (signed-in viewers only)

    # (A tuple, like Edge: cached maps hold tens of thousands of nodes.)

    @property
    def label(self) -> str:
        names = self.names
        if self.type == PERSON:
            thai, english, full, username = names
            ordered = (thai, english) if is_thai() else (english, thai)
            return next((n for n in (*ordered, full) if n), username)
        if self.type == ORGANIZATION and not is_thai() and names[1]:
            return names[1]
        return names[0]

    @property
    def url(self) -> str:
        prefix, suffix = _url_parts(URL_NAMES[self.type])
        return prefix + quote(self.slug, safe="!$&'()*+,;=/~:@") + suffix


@dataclass
class NetworkData:
    """Everything one scope sees, before filters: what is cached."""

    people_shown: bool
    nodes: dict[str, Node]
    edges: list[Edge]
    # Occasions (registry.Context) shared by two organizations or more: (occasion, CoP id, organizations).
    occasions: list[tuple[str, int | None, frozenset[str]]]


@contextmanager
def quiet_collector() -> Iterator[None]:
    """Reading, unpickling and building a map make some hundred thousand tuples and sets, none of them in a
    cycle, and the cyclic garbage collector would walk the whole heap many times meanwhile: without it a
    cold map takes about half the time (bench/network_map.py). Reference counting still frees it all."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load(scope: Scope) -> NetworkData:
    key = f"netmap:{data_version()}:data:{scope.key}"
    with quiet_collector():
        data = cache.get(key)
        if data is None:
            data = read(scope)
            cache.set(key, data, CACHE_SECONDS)
    return data


def read(scope: Scope) -> NetworkData:
    nodes: dict[str, Node] = {}
    # No ORDER BY anywhere: build() sorts what it draws.
    for pk, code, name_th, name_en, sector, province in (
        scope.organizations().order_by().values_list("pk", "code", "name_th", "name_en", "sector", "province")
    ):
        key = node_key(ORGANIZATION, pk)
        nodes[key] = Node(key, ORGANIZATION, (name_th, name_en), code, sector=sector, region=region_of(province))

    communities = scope.communities()
    topics: dict[int, set[int]] = defaultdict(set)
    for community_id, topic_id in Community.topics.through.objects.filter(community__in=communities).values_list(
        "community_id", "topic_id"
    ):
        topics[community_id].add(topic_id)
    for pk, slug, name, level in communities.order_by().values_list("pk", "slug", "name", "level"):
        key = node_key(COMMUNITY, pk)
        nodes[key] = Node(key, COMMUNITY, (name,), slug, level=level, topics=frozenset(topics.get(pk, ())))

    edges: list[Edge] = []
    people = User.objects.filter(is_active=True).order_by()
    shown = scope.people
    # Visitors never see people; their map still needs who belongs where, to count and fold them.
    rows: Iterable[tuple[Any, ...]] = (
        people.values_list("pk", "organization_id", "name_th", "name_en", "first_name", "last_name", "username")
        if shown
        else ((pk, org, "", "", "", "", "") for pk, org in people.values_list("pk", "organization_id"))
    )
    size: Counter[str] = Counter()
    for pk, organization_id, name_th, name_en, first, last, username in rows:
        key = node_key(PERSON, pk)
        org = nodes.get(node_key(ORGANIZATION, organization_id)) if organization_id else None
        names = (name_th, name_en, f"{first} {last}".strip(), username)
        if org is None:
            nodes[key] = Node(key, PERSON, names, username)
            continue
        nodes[key] = Node(key, PERSON, names, username, org.sector, org.region, organization=org.key)
        edges.append(Edge(key, org.key, STAFF.key))
        if shown:
            size[org.key] += 1

    for source in edge_sources():
        for edge in source.edges(scope):
            if edge.source in nodes and edge.target in nodes and edge.source != edge.target:
                edges.append(edge)
                if edge.kind == MEMBER.key:
                    size[edge.target] += 1
    for key, count in size.items():
        nodes[key] = nodes[key]._replace(size=count)

    grouped: dict[str, tuple[int | None, set[str]]] = {}
    for context_source in context_sources():
        for context in context_source.contexts(scope):
            org_key = node_key(ORGANIZATION, context.organization)
            if org_key in nodes:
                grouped.setdefault(context.occasion, (context.community, set()))[1].add(org_key)
    occasions = [(o, community, frozenset(orgs)) for o, (community, orgs) in grouped.items() if len(orgs) > 1]
    return NetworkData(shown, nodes, edges, occasions)


@dataclass(frozen=True)
class Filters:
    level: int | None = None
    sector: str = ""
    region: str = ""
    topic: Topic | None = None
    topic_ids: frozenset[int] = frozenset()  # the topic and the topics under it
    tie: str = ""  # one kind of tie only (registry.EdgeKind.key), and the nodes it joins

    @classmethod
    def of(
        cls, level: int | None = None, sector: str = "", region: str = "", topic: Topic | None = None, tie: str = ""
    ) -> "Filters":
        ids = frozenset(topic.descendant_ids()) if topic is not None else frozenset()
        return cls(level=level, sector=sector or "", region=region or "", topic=topic, topic_ids=ids, tie=tie or "")

    @property
    def cache_key(self) -> str:
        return f"{self.level or ''}|{self.sector}|{self.region}|{self.topic.pk if self.topic else ''}|{self.tie}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "sector": self.sector or None,
            "region": self.region or None,
            "topic": self.topic.slug if self.topic else None,
            "tie": self.tie or None,
        }


def tie_choices() -> list[tuple[str, Any]]:
    """The kinds of tie one can show alone: every registered kind but those derived or drawn for people's
    organizations."""
    return [(key, kind.label) for key, kind in edge_kinds().items() if not kind.derived and key != STAFF.key]


@dataclass
class MapGraph:
    """A built map: what is drawn, and what was left out to fit."""

    nodes: list[Node]
    edges: list[Edge]
    degree: dict[str, int]  # direct ties in this graph (co-participation, derived from them, not counted)
    people_shown: bool
    people: dict[str, int] = field(default_factory=dict)  # organization → its people here, once folded
    people_folded: int = 0
    totals: dict[str, int] = field(default_factory=dict)  # nodes by type that matched the filters
    hidden_nodes: dict[str, int] = field(default_factory=dict)
    hidden_edges: dict[str, int] = field(default_factory=dict)
    node_budget: int | None = None
    edge_budget: int | None = None
    thinned: bool = False  # derived ties cut to each node's strongest (DERIVED_PER_NODE)

    @property
    def aggregated(self) -> bool:
        return bool(self.people_folded or self.hidden_nodes or self.hidden_edges)

    def notes(self) -> list[str]:
        """What the viewer should know about what is not drawn, in their language."""
        notes = []
        if not self.people_shown:
            notes.append(
                _(
                    "People are shown to signed-in members only: here their CoP memberships are drawn from their organizations."
                )
            )
        if self.people_folded:
            notes.append(
                ngettext(
                    "This view has %(count)s person, more than the map draws at once: people are counted in "
                    "their organization's node, and their CoP memberships are drawn from it.",
                    "This view has %(count)s people, more than the map draws at once: people are counted in "
                    "their organization's node, and their CoP memberships are drawn from it.",
                    self.people_folded,
                )
                % {"count": f"{self.people_folded:,}"}
            )
        if self.hidden_nodes:
            hidden = sum(self.hidden_nodes.values())
            parts = [f"{NODE_TYPES_PLURAL[t]}: {n:,}" for t, n in sorted(self.hidden_nodes.items())]
            notes.append(
                _(
                    "Only the %(shown)s most connected of %(total)s organizations and CoPs are drawn; "
                    "%(hidden)s are hidden (%(parts)s). Narrow the filters to see them."
                )
                % {
                    "shown": f"{len(self.nodes):,}",
                    "total": f"{len(self.nodes) + hidden:,}",
                    "hidden": f"{hidden:,}",
                    "parts": ", ".join(parts),
                }
            )
        if self.thinned:
            notes.append(
                _("Co-participation: each organization's %(count)s strongest ties are drawn.")
                % {"count": DERIVED_PER_NODE}
            )
        if self.hidden_edges:
            kinds = edge_kinds()
            parts = [f"{kinds[k].label}: {n:,}" for k, n in sorted(self.hidden_edges.items())]
            notes.append(
                _("%(hidden)s of the weakest ties are not drawn (%(parts)s).")
                % {"hidden": f"{sum(self.hidden_edges.values()):,}", "parts": ", ".join(parts)}
            )
        return notes


def _kept_by_filters(data: NetworkData, filters: Filters) -> tuple[set[str], list[Edge]]:
    """The nodes the filters keep, and the ties among them.

    Sector and region choose organizations (and their people); a CoP stays when one of them has a tie
    to it. Level and topic choose CoPs (level also network links); an organization or person stays
    when it hangs on what was chosen: a tie to a chosen CoP (people bring their organization along),
    or a tie at the chosen level.
    """
    nodes, level, topic_ids = data.nodes, filters.level, filters.topic_ids
    narrow_orgs = bool(filters.sector or filters.region)
    narrow_cops = level is not None or bool(topic_ids)
    orgs, cops, people = set(), set(), set()
    chosen_ids: set[int] = set()
    for key, node in nodes.items():
        if node.type == COMMUNITY:
            if (level is None or node.level == level) and (not topic_ids or node.topics & topic_ids):
                cops.add(key)
                chosen_ids.add(int(key.partition(":")[2]))
        elif node.type == ORGANIZATION:
            if (not filters.sector or node.sector == filters.sector) and (
                not filters.region or node.region == filters.region
            ):
                orgs.add(key)
        else:
            people.add(key)
    if narrow_orgs:
        people = {p for p in people if nodes[p].organization in orgs}

    def tie_ok(edge: Edge) -> bool:
        if edge.community is not None and edge.community not in chosen_ids:
            return False
        return level is None or edge.level is None or edge.level == level

    candidates = orgs | cops | people
    ties = [e for e in data.edges if e.source in candidates and e.target in candidates and tie_ok(e)]
    if narrow_orgs:
        reached = {e.target for e in ties if e.target in cops and e.source not in cops}
        reached |= {e.source for e in ties if e.source in cops and e.target not in cops}
        cops = reached
    if narrow_cops:
        hanging: set[str] = set()
        for e in ties:
            if e.target in cops:
                hanging.add(e.source)
            elif e.source in cops:
                hanging.add(e.target)
            elif level is not None and e.level == level:
                hanging.update((e.source, e.target))
        hanging |= {org for p in hanging if (org := nodes[p].organization) is not None}
        orgs &= hanging
        people &= hanging
    kept = orgs | cops | people
    ties = [e for e in ties if e.source in kept and e.target in kept]
    if filters.tie:
        # One kind of tie: what it joins, nothing else.
        ties = [e for e in ties if e.kind == filters.tie]
        kept = {e.source for e in ties} | {e.target for e in ties}
    # A person stays only when they hang on something drawn: their organization or a CoP.
    tied = {e.source for e in ties} | {e.target for e in ties}
    kept -= {p for p in people if p not in tied}
    return kept, ties


def _coparticipation(data: NetworkData, kept: set[str], ties: list[Edge]) -> list[Edge]:
    """Organizations whose people are members of the same CoP or came to the same meeting; the weight
    counts the occasions they share."""
    nodes = data.nodes
    kept_communities = {int(k.partition(":")[2]) for k in kept if nodes[k].type == COMMUNITY}
    occasions: dict[str, set[str]] = defaultdict(set)
    for e in ties:
        if e.kind == MEMBER.key and (org := nodes[e.source].organization) in kept:
            occasions[e.target].add(org)
    groups: list[Iterable[str]] = [orgs for orgs in occasions.values() if len(orgs) > 1]
    for _occasion, community, organizations in data.occasions:
        if community is None or community in kept_communities:
            present = organizations & kept
            if len(present) > 1:
                groups.append(present)
    pairs: Counter[tuple[str, str]] = Counter()
    for group in groups:
        pairs.update(combinations(sorted(group), 2))
    return [Edge(a, b, COPARTICIPATION.key, float(n)) for (a, b), n in pairs.items()]


def _merge(ties: Iterable[Edge]) -> list[Edge]:
    """One tie per pair, kind and level, weights summed (undirected kinds in key order)."""
    kinds = edge_kinds()
    merged: dict[tuple[str, str, str, int | None], float] = defaultdict(float)
    for e in ties:
        source, target = e.source, e.target
        if not kinds[e.kind].directed and target < source:
            source, target = target, source
        merged[(source, target, e.kind, e.level)] += e.weight
    return [Edge(s, t, kind, weight, level) for (s, t, kind, level), weight in merged.items()]


def _primary(edges: Iterable[Edge]) -> list[Edge]:
    kinds = edge_kinds()
    return [e for e in edges if not kinds[e.kind].derived]


def build(
    data: NetworkData, filters: Filters | None = None, *, node_budget: int | None = None, edge_budget: int | None = None
) -> MapGraph:
    """The filtered map; with budgets, fitted to what a browser draws (see the module's docstring)."""
    filters = filters or Filters()
    nodes = data.nodes
    kept, ties = _kept_by_filters(data, filters)
    coparticipation = [] if filters.tie else _coparticipation(data, kept, ties)
    people = {k for k in kept if nodes[k].type == PERSON}
    totals = Counter(nodes[k].type for k in kept)
    if not data.people_shown:
        del totals[PERSON]

    people_count: dict[str, int] = {}
    folded = 0
    if people and (not data.people_shown or (node_budget is not None and len(kept) > node_budget)):
        # A person's ties become their organization's; people without a member organization drop out.
        moved = []
        for e in ties:
            source = nodes[e.source].organization if e.source in people else e.source
            target = nodes[e.target].organization if e.target in people else e.target
            if source in kept and target in kept and source != target:
                moved.append(Edge(source, target, e.kind, e.weight, e.level))
        ties = moved
        kept -= people
        if data.people_shown:
            folded = len(people)
            people_count = dict(Counter(org for p in people if (org := nodes[p].organization) is not None))
    edges = _merge(ties) + coparticipation

    hidden_nodes: Counter[str] = Counter()
    if node_budget is not None and len(kept) > node_budget:
        ranking = nx.Graph()
        ranking.add_nodes_from(kept)
        ranking.add_edges_from((e.source, e.target) for e in _primary(edges))
        ranked = sorted(kept, key=lambda k: (-ranking.degree(k), k))
        kept = set(ranked[:node_budget])
        hidden_nodes.update(nodes[k].type for k in ranked[node_budget:])
        edges = [e for e in edges if e.source in kept and e.target in kept]

    hidden_edges: Counter[str] = Counter()
    kinds = edge_kinds()
    derived = [e for e in edges if kinds[e.kind].derived]
    organizations = sum(1 for k in kept if nodes[k].type == ORGANIZATION)
    thinned = edge_budget is not None and len(derived) > DERIVED_PER_NODE * organizations
    if thinned:
        # Derived ties (co-participation) easily outnumber all the others: every organization keeps its
        # strongest few, so the drawing shows each one's closest partners instead of a dense mesh.
        around: dict[str, list[Edge]] = defaultdict(list)
        for e in derived:
            around[e.source].append(e)
            around[e.target].append(e)
        strongest: set[Edge] = set()
        for ties_of_node in around.values():
            strongest.update(
                heapq.nsmallest(DERIVED_PER_NODE, ties_of_node, key=lambda e: (-e.weight, e.source, e.target))
            )
        hidden_edges.update(e.kind for e in derived if e not in strongest)
        edges = [e for e in edges if not kinds[e.kind].derived or e in strongest]
    if edge_budget is not None and len(edges) > edge_budget:
        edges.sort(key=lambda e: (kinds[e.kind].priority, -e.weight, e.source, e.target))
        hidden_edges.update(e.kind for e in edges[edge_budget:])
        edges = edges[:edge_budget]

    degree_graph = nx.Graph()
    degree_graph.add_nodes_from(kept)
    degree_graph.add_edges_from((e.source, e.target) for e in _primary(edges))
    degree = dict(degree_graph.degree())
    order = {ORGANIZATION: 0, COMMUNITY: 1, PERSON: 2}
    shown = sorted((nodes[k] for k in kept), key=lambda n: (order[n.type], -degree[n.key], n.key))
    return MapGraph(
        nodes=shown,
        edges=edges,
        degree=degree,
        people_shown=data.people_shown,
        people=people_count,
        people_folded=folded,
        totals=dict(totals),
        hidden_nodes=dict(hidden_nodes),
        hidden_edges=dict(hidden_edges),
        node_budget=node_budget,
        edge_budget=edge_budget,
        thinned=thinned,
    )


def budgets() -> tuple[int, int]:
    return settings.NETMAP_NODE_BUDGET, settings.NETMAP_EDGE_BUDGET


def full_graph_for(user: Any, filters: Filters) -> MapGraph:
    """Every node and tie of the filtered view, without the display budget (exports)."""
    data = load(scope_for(user))
    with quiet_collector():
        return build(data, filters)


def node_payload(graph: MapGraph, node: Node) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": node.key,
        "type": node.type,
        "label": node.label,
        "url": node.url,
        "degree": graph.degree.get(node.key, 0),
    }
    if node.type == ORGANIZATION:
        data["sector"] = node.sector
        data["region"] = node.region or None
        if graph.people_shown:
            data["people"] = graph.people.get(node.key, 0) if graph.people_folded else node.size
    elif node.type == COMMUNITY:
        data["level"] = node.level
        data["members"] = node.size
    else:
        data["organization"] = node.organization
    return data


def edge_payload(edge: Edge) -> dict[str, Any]:
    kind = edge_kinds()[edge.kind]
    level = f":{edge.level}" if edge.level is not None else ""
    return {
        "id": f"{edge.kind}{level}:{edge.source}>{edge.target}",
        "source": edge.source,
        "target": edge.target,
        "kind": edge.kind,
        "level": edge.level,
        "weight": edge.weight,
        "directed": kind.directed,
    }


def payload(graph: MapGraph, filters: Filters) -> dict[str, Any]:
    """The map as JSON (the data endpoint and API v1)."""
    return {
        "filters": filters.as_dict(),
        "people_shown": graph.people_shown,
        "nodes": [node_payload(graph, n) for n in graph.nodes],
        "edges": [edge_payload(e) for e in graph.edges],
        "summary": {"nodes": len(graph.nodes), "edges": len(graph.edges), "matched": graph.totals},
        "aggregation": {
            "applied": graph.aggregated,
            "people_folded": graph.people_folded,
            "hidden_nodes": graph.hidden_nodes,
            "hidden_edges": graph.hidden_edges,
            "node_budget": graph.node_budget,
            "edge_budget": graph.edge_budget,
            "notes": graph.notes(),
        },
    }


def map_json(user: Any, filters: Filters) -> bytes:
    """The JSON of the map as drawn for `user` (filtered, within the display budget), cached per data version, scope, filters and language:
    the encoded bytes, so a cached map is served without decoding or encoding it again."""
    scope = scope_for(user)
    language = "th" if is_thai() else "en"
    key = f"netmap:{data_version()}:json:{scope.key}:{filters.cache_key}:{language}"
    body = cache.get(key)
    if body is None:
        node_budget, edge_budget = budgets()
        data = load(scope)
        with quiet_collector():
            graph = build(data, filters, node_budget=node_budget, edge_budget=edge_budget)
            body = json.dumps(payload(graph, filters), ensure_ascii=False, separators=(",", ":")).encode()
        cache.set(key, body, CACHE_SECONDS)
    return bytes(body)


def map_payload(user: Any, filters: Filters) -> dict[str, Any]:
    return dict(json.loads(map_json(user, filters)))


def to_networkx(graph: MapGraph) -> nx.MultiDiGraph:
    """The graph with its attributes, for GraphML: ties keep their direction (``directed`` says whether it
    means anything), parallel ties of different kinds stay apart."""
    kinds = edge_kinds()
    g = nx.MultiDiGraph()
    for node in graph.nodes:
        attributes = {k: v for k, v in node_payload(graph, node).items() if v is not None and k != "id"}
        g.add_node(node.key, **attributes)
    for edge in graph.edges:
        attributes = {
            "kind": edge.kind,
            "label": str(kinds[edge.kind].label),
            "weight": edge.weight,
            "directed": kinds[edge.kind].directed,
        }
        if edge.level is not None:
            attributes["level"] = edge.level
        g.add_edge(edge.source, edge.target, key=f"{edge.kind}:{edge.level or ''}", **attributes)
    return g
