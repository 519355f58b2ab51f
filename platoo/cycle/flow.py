"""The knowledge flow read back: who learned from whom, per item, per organization and across the network.

Only applications of items the reader may read count (KnowledgeItem.objects.visible_to), so a page never
says more than the items do. Flow is between organizations: an organization applying its own knowledge
is listed on the item's page but counted nowhere here. The network pages aggregate in the database (one
GROUP BY per table) and draw only the strongest flows, so they stay fast with tens of thousands of
applications.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Max, Q, QuerySet
from django.db.models.functions import ExtractYear

from platoo.knowledge.models import KnowledgeItem, Topic
from platoo.lib.dates import display_year
from platoo.network.models import Organization

from .models import Application

TOP_FLOWS = 100  # rows of the network's flow table
DRAWN_FLOWS = 24  # bands of the drawing
TOP_PARTNERS = 50  # rows of an organization's tables


def readable_applications(user: Any) -> QuerySet[Application]:
    """Applications of the items `user` may read: the one doorway for reading applications."""
    return Application.objects.filter(item__in=KnowledgeItem.objects.visible_to(user))


def between_organizations(queryset: QuerySet[Application]) -> QuerySet[Application]:
    """Only the applications that are flow: from one organization to another."""
    return queryset.filter(learned_from__isnull=False).exclude(learned_from=F("organization"))


@dataclass(frozen=True)
class FlowFilter:
    topic: Topic | None = None
    topic_ids: frozenset[int] = frozenset()
    year: int | None = None  # Common Era

    @classmethod
    def of(cls, topic: Topic | None = None, year: int | None = None) -> "FlowFilter":
        return cls(topic, frozenset(topic.descendant_ids()) if topic else frozenset(), year)

    def apply(self, queryset: QuerySet[Application]) -> QuerySet[Application]:
        if self.topic_ids:
            queryset = queryset.filter(item__critical__topic_id__in=self.topic_ids)
        if self.year:
            queryset = queryset.filter(applied_on__year=self.year)
        return queryset


@dataclass
class Flow:
    source: Organization | None
    target: Organization | None
    count: int
    worked: int = 0


@dataclass
class NetworkFlow:
    total: int  # applications between organizations, with the filters
    pairs: int  # distinct (from, to) pairs
    flows: list[Flow]  # the strongest, at most TOP_FLOWS
    by_topic: list[tuple[Topic | None, int]]
    by_year: list[tuple[int, int]]  # (year in the reader's calendar, count)
    own: int  # applications of one's own knowledge (not counted as flow)
    drawing: "Sankey"


def _organizations(ids: set[int]) -> dict[int, Organization]:
    return Organization.objects.only("pk", "code", "name_th", "name_en", "status").in_bulk(list(ids))


def network_flow(user: Any, flow_filter: FlowFilter) -> NetworkFlow:
    """Everything the network flow page shows, in six queries."""
    readable = flow_filter.apply(readable_applications(user))
    flows_qs = between_organizations(readable)
    # Every pair as a plain tuple (there can be tens of thousands), strongest first; only the top is named.
    rows = list(
        flows_qs.values_list("learned_from_id", "organization_id")
        .annotate(n=Count("pk"), worked=Count("pk", filter=Q(result="worked")))
        .order_by("-n", "learned_from_id", "organization_id")
    )
    total = sum(row[2] for row in rows)
    top = rows[:TOP_FLOWS]
    names = _organizations({r[0] for r in top} | {r[1] for r in top})
    flows = [Flow(names.get(source), names.get(target), n, worked) for source, target, n, worked in top]
    topic_rows = list(
        flows_qs.values("item__critical__topic_id").annotate(n=Count("pk")).order_by("-n", "item__critical__topic_id")
    )
    topics = Topic.objects.in_bulk([r["item__critical__topic_id"] for r in topic_rows if r["item__critical__topic_id"]])
    by_topic = [(topics.get(r["item__critical__topic_id"]), r["n"]) for r in topic_rows]
    by_year = [
        (display_year(r["year"]), r["n"])
        for r in flows_qs.annotate(year=ExtractYear("applied_on"))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("year")
    ]
    own = readable.filter(learned_from=F("organization")).count()
    return NetworkFlow(total, len(rows), flows, by_topic, by_year, own, sankey(flows[:DRAWN_FLOWS]))


def years_with_applications(user: Any) -> list[int]:
    """The Common Era years that have applications the reader may read (for the year filter)."""
    return list(
        readable_applications(user)
        .annotate(year=ExtractYear("applied_on"))
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )


@dataclass
class Partner:
    organization: Organization | None
    count: int
    items: int
    last: Any  # date of the latest application


@dataclass
class OrganizationFlow:
    learned_from: list[Partner]  # whom this organization learned from
    learned_by: list[Partner]  # who learned from this organization
    learned_total: int
    taught_total: int
    own: int
    recent_in: list[Application] = field(default_factory=list)
    recent_out: list[Application] = field(default_factory=list)


def _partners(queryset: QuerySet[Application], key: str) -> tuple[list[Partner], int]:
    rows = list(
        queryset.values(key)
        .annotate(n=Count("pk"), items=Count("item_id", distinct=True), last=Max("applied_on"))
        .order_by("-n", key)
    )
    names = _organizations({r[key] for r in rows[:TOP_PARTNERS]})
    return [Partner(names.get(r[key]), r["n"], r["items"], r["last"]) for r in rows[:TOP_PARTNERS]], sum(
        r["n"] for r in rows
    )


RECENT = 20


def organization_flow(user: Any, organization: Organization) -> OrganizationFlow:
    """What an organization learned from whom, and who learned from it (eight queries)."""
    readable = readable_applications(user)
    incoming = between_organizations(readable.filter(organization=organization))
    outgoing = between_organizations(readable.filter(learned_from=organization))
    learned_from, learned_total = _partners(incoming, "learned_from_id")
    learned_by, taught_total = _partners(outgoing, "organization_id")
    own = readable.filter(organization=organization, learned_from=organization).count()
    related = ("item", "organization", "learned_from")
    return OrganizationFlow(
        learned_from,
        learned_by,
        learned_total,
        taught_total,
        own,
        list(incoming.select_related(*related).order_by("-applied_on", "-pk")[:RECENT]),
        list(outgoing.select_related(*related).order_by("-applied_on", "-pk")[:RECENT]),
    )


# The drawing: a Sankey-like picture, the organizations knowledge came from on the left, those that
# applied it on the right, one band per flow as thick as its count. Computed here, drawn as inline SVG.
WIDTH, NODE_WIDTH, GAP, TOP, LABEL = 760, 14, 8, 10, 200
MIN_BAND, MAX_BAND, MIN_BOX = 2.0, 40.0, 14.0


@dataclass
class Box:
    label: str
    url: str
    x: float
    y: float
    height: float
    count: int
    text_x: float = 0.0
    anchor: str = "end"

    @property
    def text_y(self) -> float:
        return self.y + self.height / 2 + 4


@dataclass
class Band:
    path: str
    width: float
    title: str
    count: int


@dataclass
class Sankey:
    width: int
    height: int
    left: list[Box]
    right: list[Box]
    bands: list[Band]


def _label(organization: Organization | None) -> str:
    return organization.display_name if organization is not None else "—"


def sankey(flows: Sequence[Flow]) -> Sankey:
    """Lay the flows out: each side's organizations stacked in order of their total, bands between."""
    if not flows:
        return Sankey(WIDTH, 0, [], [], [])
    biggest = max(f.count for f in flows)

    def thickness(count: int) -> float:
        return max(MIN_BAND, MAX_BAND * count / biggest)

    def side(key: str) -> tuple[list[Box], dict[int, Box]]:
        totals: dict[int, float] = {}
        orgs: dict[int, Organization | None] = {}
        counts: dict[int, int] = {}
        for f in flows:
            org = getattr(f, key)
            pk = org.pk if org is not None else 0
            totals[pk] = totals.get(pk, 0.0) + thickness(f.count)
            counts[pk] = counts.get(pk, 0) + f.count
            orgs[pk] = org
        boxes: list[Box] = []
        index: dict[int, Box] = {}
        y = float(TOP)
        left_side = key == "source"
        x = float(LABEL) if left_side else float(WIDTH - LABEL - NODE_WIDTH)
        text_x, anchor = (x - 6, "end") if left_side else (x + NODE_WIDTH + 6, "start")
        for pk in sorted(totals, key=lambda k: (-totals[k], k)):
            org = orgs[pk]
            url = org.get_absolute_url() if org else ""
            height = max(totals[pk], MIN_BOX)  # room for its name
            box = Box(_label(org)[:34], url, x, y, height, counts[pk], text_x, anchor)
            boxes.append(box)
            index[pk] = box
            y += height + GAP
        return boxes, index

    left, left_index = side("source")
    right, right_index = side("target")
    used_left: dict[int, float] = {}
    used_right: dict[int, float] = {}
    bands: list[Band] = []
    x0, x1 = float(LABEL + NODE_WIDTH), float(WIDTH - LABEL - NODE_WIDTH)
    middle = (x0 + x1) / 2
    for f in flows:
        s_pk = f.source.pk if f.source else 0
        t_pk = f.target.pk if f.target else 0
        width = thickness(f.count)
        s_box, t_box = left_index[s_pk], right_index[t_pk]
        y0 = s_box.y + used_left.get(s_pk, 0.0) + width / 2
        y1 = t_box.y + used_right.get(t_pk, 0.0) + width / 2
        used_left[s_pk] = used_left.get(s_pk, 0.0) + width
        used_right[t_pk] = used_right.get(t_pk, 0.0) + width
        path = f"M{x0:.1f},{y0:.1f} C{middle:.1f},{y0:.1f} {middle:.1f},{y1:.1f} {x1:.1f},{y1:.1f}"
        bands.append(Band(path, round(width, 1), f"{_label(f.source)} → {_label(f.target)}", f.count))
    height = int(max((b.y + b.height for b in [*left, *right]), default=0) + TOP)
    return Sankey(WIDTH, height, left, right, bands)
