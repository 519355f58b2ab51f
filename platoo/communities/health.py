"""How a community of practice is doing: the health panel of a CoP and the hub's list of CoPs needing attention.

Computed from what people did (discussions, replies, meeting attendance, knowledge shared and captured)
with a fixed number of grouped queries for any number of communities, so the hub's list of thousands
of CoPs costs the same dozen queries as one CoP's panel.
"""

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from platoo.network.models import NetworkLevel

from .models import Attendance, Community, Meeting, MeetingItem, Membership, Reply, SharedItem, Thread

YEAR = timedelta(days=365)
ACTIVE_WINDOW = timedelta(days=90)  # a member who did nothing for this long counts as silent
QUIET_AFTER = timedelta(days=60)
REQUEST_WAITING = timedelta(days=14)
SILENT_SHARE = 0.7  # more silent members than this share, with at least MIN_MEMBERS_FOR_SHARE members
MIN_MEMBERS_FOR_SHARE = 3
MONTHS = 12
HEALTH_CACHE_SECONDS = 300


def meeting_interval() -> timedelta:
    """The longest gap between meetings for a CoP to "meet continuously" (the network's indicator):
    two months by default, the rhythm of the network's home-and-away visits."""
    return timedelta(days=settings.COP_MEETING_INTERVAL_DAYS)


@dataclass
class Health:
    members: int = 0
    active_members: int = 0
    organizations: int = 0  # organizations of all active members
    participating_organizations: int = 0  # organizations of the members who took part lately
    outside_share: float | None = None  # participation from outside the most active organization
    meetings_year: int = 0
    last_meeting_at: datetime | None = None
    longest_gap_days: int | None = None
    meets_continuously: bool = False
    produced_year: int = 0  # knowledge captured at meetings or made from replies, in the last year
    shared_year: int = 0
    reused: int = 0  # knowledge that came from here and was shared into other communities
    last_activity_at: datetime | None = None
    months: list[date] = field(default_factory=list)
    monthly: list[int] = field(default_factory=list)  # things done per month, oldest first
    waiting_requests: int = 0  # requests to join waiting longer than REQUEST_WAITING
    reasons: list[str] = field(default_factory=list)  # why the hub should look at it

    @property
    def silent_members(self) -> int:
        return max(self.members - self.active_members, 0)

    @property
    def outside_percent(self) -> int | None:
        return None if self.outside_share is None else round(100 * self.outside_share)

    @property
    def active_percent(self) -> int:
        return round(100 * self.active_members / self.members) if self.members else 0


def _month_starts(now: datetime) -> list[date]:
    local = timezone.localtime(now).date().replace(day=1)
    months = []
    for _month in range(MONTHS):
        months.append(local)
        local = (local - timedelta(days=1)).replace(day=1)
    return months[::-1]


def _participation(ids: Sequence[int], since: datetime) -> list[tuple[int, int | None, int | None]]:
    """(community, person, their organization) for everyone who did something since `since`."""
    rows: set[tuple[int, int | None, int | None]] = set()
    sources: list[Any] = [
        Thread.objects.filter(community_id__in=ids, created_at__gte=since).values_list(
            "community_id", "author_id", "author__organization_id"
        ),
        Reply.objects.filter(thread__community_id__in=ids, created_at__gte=since).values_list(
            "thread__community_id", "author_id", "author__organization_id"
        ),
        Attendance.objects.filter(meeting__community_id__in=ids, meeting__starts_at__gte=since).values_list(
            "meeting__community_id", "user_id", "user__organization_id"
        ),
        SharedItem.objects.filter(community_id__in=ids, shared_at__gte=since).values_list(
            "community_id", "shared_by_id", "shared_by__organization_id"
        ),
        MeetingItem.objects.filter(meeting__community_id__in=ids, captured_at__gte=since).values_list(
            "meeting__community_id", "captured_by_id", "captured_by__organization_id"
        ),
    ]
    for source in sources:
        rows.update(source.order_by().distinct())
    return [row for row in rows if row[1] is not None]


def fill_monthly(health: dict[int, Health]) -> None:
    """Each community's things done per month over its `months` (the sparkline), in four queries.

    Dates are bucketed here rather than in SQL: SQLite truncates dates in Python row by row, and a
    meeting's attendance is counted per meeting, not per person checked in.
    """
    if not health:
        return
    ids = list(health)
    first = next(iter(health.values())).months[0]
    since = timezone.make_aware(datetime.combine(first, datetime.min.time()))
    counts: dict[int, Counter[date]] = defaultdict(Counter)
    rows: list[Any] = [
        *Thread.objects.filter(community_id__in=ids, created_at__gte=since).values_list("community_id", "created_at"),
        *Reply.objects.filter(thread__community_id__in=ids, created_at__gte=since).values_list(
            "thread__community_id", "created_at"
        ),
        *SharedItem.objects.filter(community_id__in=ids, shared_at__gte=since).values_list("community_id", "shared_at"),
    ]
    for community_id, moment in rows:
        counts[community_id][timezone.localtime(moment).date().replace(day=1)] += 1
    attended = (
        Meeting.objects.filter(community_id__in=ids, starts_at__gte=since)
        .annotate(n=Count("attendances"))
        .values_list("community_id", "starts_at", "n")
    )
    for community_id, moment, n in attended:
        counts[community_id][timezone.localtime(moment).date().replace(day=1)] += n
    for community_id, figures in health.items():
        figures.monthly = [counts[community_id][month] for month in figures.months]


def _grouped(queryset: Any, key: str, **aggregates: Any) -> dict[int, dict[str, Any]]:
    """Aggregates of `queryset` per value of `key` (a community id), as {id: {name: value}}."""
    return {row[key]: row for row in queryset.values(key).annotate(**aggregates).order_by()}


def _gaps(starts: list[datetime], since: datetime, now: datetime) -> int:
    """The longest stretch, in days, without a meeting between `since` and now."""
    points = [since, *sorted(starts), now]
    return max((b - a).days for a, b in zip(points, points[1:], strict=False))


def health_of(
    communities: Sequence[Community], now: datetime | None = None, *, monthly: bool = True
) -> dict[int, Health]:
    """The health of each community, by id (a dozen queries, whatever the number of communities).
    Without `monthly`, the month-by-month series is left empty (the hub's list fills it for one page)."""
    now = now or timezone.now()
    ids = [c.pk for c in communities]
    if not ids:
        return {}
    year_ago, active_since = now - YEAR, now - ACTIVE_WINDOW
    result = {c.pk: Health(last_activity_at=c.last_activity_at, months=_month_starts(now)) for c in communities}

    active = Membership.objects.filter(community_id__in=ids, status=Membership.Status.ACTIVE)
    for community_id, row in _grouped(
        active, "community_id", n=Count("pk"), orgs=Count("user__organization", distinct=True)
    ).items():
        result[community_id].members, result[community_id].organizations = row["n"], row["orgs"]
    waiting = Membership.objects.filter(
        community_id__in=ids, status=Membership.Status.REQUESTED, joined_at__lt=now - REQUEST_WAITING
    )
    for community_id, row in _grouped(waiting, "community_id", n=Count("pk")).items():
        result[community_id].waiting_requests = row["n"]

    people: dict[int, set[int]] = defaultdict(set)
    organizations: dict[int, Counter[int]] = defaultdict(Counter)
    member_pairs = set(active.values_list("community_id", "user_id"))
    for community_id, person, organization in _participation(ids, active_since):
        if person is not None and (community_id, person) in member_pairs:
            people[community_id].add(person)
        if organization is not None:
            organizations[community_id][organization] += 1
    for community_id, health in result.items():
        health.active_members = len(people[community_id])
        orgs = organizations[community_id]
        health.participating_organizations = len(orgs)
        if orgs:
            total = sum(orgs.values())
            health.outside_share = (total - orgs.most_common(1)[0][1]) / total

    held = Meeting.objects.filter(community_id__in=ids, cancelled_at__isnull=True, starts_at__lte=now)
    starts: dict[int, list[datetime]] = defaultdict(list)
    for community_id, moment in held.filter(starts_at__gte=year_ago).values_list("community_id", "starts_at"):
        starts[community_id].append(moment)
    for community_id, row in _grouped(held, "community_id", last=Max("starts_at")).items():
        result[community_id].last_meeting_at = row["last"]

    # Knowledge that came from a community: captured at its meetings or made from its replies.
    produced: dict[int, set[int]] = defaultdict(set)
    produced_year: Counter[int] = Counter()
    captured = MeetingItem.objects.filter(meeting__community_id__in=ids).values_list(
        "meeting__community_id", "item_id", "captured_at"
    )
    made = Reply.objects.filter(thread__community_id__in=ids, knowledge_item__isnull=False).values_list(
        "thread__community_id", "knowledge_item_id", "knowledge_item__created_at"
    )
    for community_id, item_id, moment in [*captured, *made]:
        if item_id is not None and item_id not in produced[community_id]:
            produced[community_id].add(item_id)
            produced_year[community_id] += moment is not None and moment >= year_ago
    every_item = {item for items in produced.values() for item in items}
    shared_in: dict[int, set[int]] = defaultdict(set)
    for item_id, community_id in SharedItem.objects.filter(item_id__in=every_item).values_list(
        "item_id", "community_id"
    ):
        shared_in[item_id].add(community_id)
    shared_year = SharedItem.objects.filter(community_id__in=ids, shared_at__gte=year_ago)
    for community_id, row in _grouped(shared_year, "community_id", n=Count("pk")).items():
        result[community_id].shared_year = row["n"]

    interval = meeting_interval()
    created = {c.pk: c for c in communities}
    for community_id, health in result.items():
        community = created[community_id]
        health.meetings_year = len(starts[community_id])
        since = max(year_ago, community.created_at)
        health.longest_gap_days = _gaps(starts[community_id], since, now)
        health.meets_continuously = bool(starts[community_id]) and health.longest_gap_days <= interval.days
        health.produced_year = produced_year[community_id]
        health.reused = sum(1 for item in produced[community_id] if shared_in[item] - {community_id})
        health.reasons = _reasons(community, health, now, interval)
    if monthly:
        fill_monthly(result)
    return result


def _reasons(community: Community, health: Health, now: datetime, interval: timedelta) -> list[str]:
    reasons = []
    old_enough = now - community.created_at > interval
    if old_enough and (health.last_meeting_at is None or now - health.last_meeting_at > interval):
        if health.last_meeting_at is None:
            reasons.append(_("Has never met."))
        else:
            days = (now - health.last_meeting_at).days
            reasons.append(
                ngettext("No meeting for %(days)d day.", "No meeting for %(days)d days.", days) % {"days": days}
            )
    if health.members >= MIN_MEMBERS_FOR_SHARE and health.silent_members > SILENT_SHARE * health.members:
        reasons.append(
            _("%(silent)d of %(members)d members have been silent for three months.")
            % {"silent": health.silent_members, "members": health.members}
        )
    if community.level >= NetworkLevel.AREA and health.members >= 2 and health.organizations <= 1:
        reasons.append(_("Works across organizations, but only one organization takes part."))
    if old_enough and (health.last_activity_at is None or now - health.last_activity_at > QUIET_AFTER):
        reasons.append(_("Nothing has happened for two months."))
    if health.waiting_requests:
        reasons.append(
            ngettext(
                "%(count)d request to join has waited over two weeks.",
                "%(count)d requests to join have waited over two weeks.",
                health.waiting_requests,
            )
            % {"count": health.waiting_requests}
        )
    return reasons


def cached_health(community: Community, now: datetime | None = None) -> Health:
    """One community's health for its page, kept for a few minutes: anything done in the community
    moves its last activity, which is part of the key, so what people did shows at once."""
    stamp = community.last_activity_at.isoformat() if community.last_activity_at else "never"
    key = f"communities:health:{community.pk}:{stamp}"
    health = cache.get(key)
    if health is None:
        health = health_of([community], now)[community.pk]
        cache.set(key, health, HEALTH_CACHE_SECONDS)
    return health


def needing_attention(communities: Sequence[Community], now: datetime | None = None) -> list[tuple[Community, Health]]:
    """The communities with a reason for the hub to look, most reasons first, then the quietest
    (without their month-by-month series: see fill_monthly)."""
    health = health_of(communities, now, monthly=False)
    flagged = [(c, health[c.pk]) for c in communities if health[c.pk].reasons]
    epoch = datetime.min.replace(tzinfo=UTC)
    return sorted(flagged, key=lambda pair: (-len(pair[1].reasons), pair[1].last_activity_at or epoch, pair[0].name))
