"""The hub's cycle dashboard: where the network's critical knowledge stands and how fast it moves.

Every figure is aggregated in the database with a fixed number of queries, whatever the number of items:
items per stage, the trust figure per topic and the count due for re-verification from one GROUP BY
(topic, stage), rolled up the small topic tree here; the time spent in each stage from the spans between
one transition and the next (LEAD over each item's timeline, over the stays begun in the last twelve
months and every stay still running), medians by percentile_cont on PostgreSQL and over the fetched
durations on SQLite (the faster of the two on each, bench/README.md); the review backlog per panel (one
row per open round: bounded by the items in review); the applications per quarter (GROUP BY the day
applied, bucketed into quarters here, as the CoP health panel buckets its months).

The figures are kept per viewer for a few minutes and dropped as soon as anything is recorded in the cycle
(data_stamp); the times in stage, the one costly figure, are kept for the hour.

The figures cover the critical knowledge the viewer may read (access.visible_critical): for the hub's
managers that is everything but other organizations' organization-only items.
"""

import datetime
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from platoo.knowledge.models import Topic
from platoo.lib import dates
from platoo.network.models import Organization

from .access import visible_critical
from .models import (
    ENDED_STAGES,
    MAIN_LINE,
    VERIFIED_STAGES,
    Application,
    CriticalKnowledge,
    CriticalKnowledgeQuerySet,
    Panel,
    PanelMember,
    Review,
    ReviewRound,
    Stage,
    Transition,
)

QUARTERS_SHOWN = 12  # three years of applications
DUE_LISTED = 20
# Time in stage over the stays begun this long ago or later (and every stay still running): what the
# cycle is like now, at a cost that grows with a year's moves rather than with all of them.
STAGE_WINDOW = datetime.timedelta(days=365)
SIDE_STAGES = [stage for stage in Stage if stage not in MAIN_LINE]


@dataclass
class Filters:
    topic: Topic | None = None
    organization: Organization | None = None
    topic_ids: list[int] | None = None  # the topic and everything under it
    problems: list[str] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return self.topic is not None or self.organization is not None


@dataclass
class StageRow:
    stage: str
    label: str
    main_line: bool
    items: int = 0  # in this stage now
    stays: int = 0  # times an item entered the stage
    ongoing: int = 0  # stays not over yet (counted up to now)
    median_seconds: float | None = None
    slowest_seconds: float | None = None


@dataclass
class PanelBacklog:
    panel: Panel
    open_rounds: int
    oldest_days: float
    median_days: float
    reviews_needed: int


@dataclass
class TopicTrust:
    topic: Topic | None
    depth: int
    items: int = 0  # all its critical knowledge
    in_play: int = 0  # not rejected, archived or superseded: what the trust figure is a share of
    current: int = 0  # verified and not due
    due: int = 0

    @property
    def share(self) -> float | None:
        return self.current / self.in_play if self.in_play else None

    @property
    def percent(self) -> int | None:
        share = self.share
        return None if share is None else round(100 * share)


@dataclass
class Quarter:
    year: int
    quarter: int
    applications: int = 0

    @property
    def label(self) -> str:
        return _("Q%(quarter)d/%(year)d") % {"quarter": self.quarter, "year": dates.display_year(self.year)}


@dataclass
class Dashboard:
    filters: Filters
    now: datetime.datetime
    total: int = 0
    stages: list[StageRow] = field(default_factory=list)
    stage_times_at: datetime.datetime | None = None  # when the times in stage were taken
    backlog: list[PanelBacklog] = field(default_factory=list)
    trust: list[TopicTrust] = field(default_factory=list)
    trust_overall: TopicTrust | None = None
    due_count: int = 0
    due_items: list[CriticalKnowledge] = field(default_factory=list)
    quarters: list[Quarter] = field(default_factory=list)

    @property
    def max_stage_items(self) -> int:
        return max((row.items for row in self.stages), default=0)

    @property
    def max_median(self) -> float:
        return max((row.median_seconds or 0 for row in self.stages), default=0)

    @property
    def max_backlog(self) -> int:
        return max((row.open_rounds for row in self.backlog), default=0)

    @property
    def quarter_counts(self) -> list[int]:
        return [quarter.applications for quarter in self.quarters]

    @property
    def max_quarter(self) -> int:
        return max(self.quarter_counts, default=0)

    @property
    def applications(self) -> int:
        return sum(self.quarter_counts)


def topic_tree(topics: list[Topic]) -> tuple[dict[int | None, list[Topic]], dict[int, Topic]]:
    children: dict[int | None, list[Topic]] = defaultdict(list)
    for topic in topics:  # already in the taxonomy's order
        children[topic.parent_id].append(topic)
    return children, {topic.pk: topic for topic in topics}


def descendants(topic: Topic, children: Mapping[int | None, list[Topic]]) -> list[int]:
    """Topic.descendant_ids from the tree already loaded (no query per level)."""
    ids, frontier, seen = [topic.pk], [topic.pk], {topic.pk}
    while frontier:
        frontier = [child.pk for pk in frontier for child in children.get(pk, []) if child.pk not in seen]
        seen.update(frontier)
        ids.extend(frontier)
    return ids


def parse_filters(params: Mapping[str, str], topics: list[Topic], organizations: list[Organization]) -> Filters:
    """?topic=<slug>&org=<code>; an unknown value is named and left out, never an error page."""
    filters = Filters()
    slug = (params.get("topic") or "").strip()
    if slug:
        filters.topic = next((topic for topic in topics if topic.slug == slug), None)
        if filters.topic is None:
            filters.problems.append(_("There is no topic “%(slug)s”; the figures cover every topic.") % {"slug": slug})
        else:
            filters.topic_ids = descendants(filters.topic, topic_tree(topics)[0])
    code = (params.get("org") or "").strip()
    if code:
        filters.organization = next((org for org in organizations if org.code == code), None)
        if filters.organization is None:
            filters.problems.append(
                _("There is no member organization “%(code)s”; the figures cover every organization.") % {"code": code}
            )
    return filters


def scope(user: Any, filters: Filters) -> QuerySet[CriticalKnowledge]:
    """The critical knowledge the figures cover: what the viewer may read, narrowed by the filters."""
    base = visible_critical(user)
    if filters.topic_ids is not None:
        base = base.filter(topic_id__in=filters.topic_ids)
    if filters.organization is not None:
        base = base.filter(owner=filters.organization)
    return base


def _restricts(queryset: QuerySet[Any]) -> bool:
    return bool(queryset.query.where)


def _duration_sql() -> str:
    """Seconds from a span's start to its end (or to now, given as the parameter)."""
    if connection.vendor == "postgresql":
        return "EXTRACT(EPOCH FROM (COALESCE(next_at, %s) - at))"
    return "(julianday(COALESCE(next_at, %s)) - julianday(at)) * 86400.0"


def _moment(value: datetime.datetime) -> Any:
    """A datetime as a parameter of raw SQL, in the form the backend stores (SQLite: UTC text)."""
    return connection.ops.adapt_datetimefield_value(value) if connection.vendor == "sqlite" else value


def _spans_sql(base: QuerySet[CriticalKnowledge], since: datetime.datetime | None) -> tuple[str, list[Any]]:
    """Each stay in a stage: the stage entered, when, and when the item next moved (NULL: still there).
    With `since`, the stays begun since then, and the stays still running that began before (an item
    that has not moved since: its current stage, from stage_since)."""
    quote = connection.ops.quote_name
    transitions = quote(Transition._meta.db_table)
    scope_sql, scope_params = "", []
    if _restricts(base):
        scope_sql, inner_params = base.order_by().values("pk").query.sql_with_params()
        scope_params = list(inner_params)
    conditions, params = [], []
    if scope_sql:
        conditions.append(f"t.critical_id IN ({scope_sql})")
        params += scope_params
    if since is not None:
        conditions.append("t.at >= %s")
        params.append(_moment(since))
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    # Fixed text and a queryset's own SQL; every value goes as a parameter.
    sql = (
        "SELECT t.to_stage AS stage, t.at AS at, "  # noqa: S608
        "LEAD(t.at) OVER (PARTITION BY t.critical_id ORDER BY t.at, t.id) AS next_at "
        f"FROM {transitions} t {where}"
    )
    if since is not None:
        # Every move sets stage_since with its transition, so an item in its stage since before the
        # window has not moved within it (cheaper than looking for its moves).
        older = (
            "SELECT c.stage AS stage, c.stage_since AS at, NULL AS next_at "  # noqa: S608
            f"FROM {quote(CriticalKnowledge._meta.db_table)} c WHERE c.stage_since < %s"
        )
        params.append(_moment(since))
        if scope_sql:
            older += f" AND c.item_id IN ({scope_sql})"
            params += scope_params
        sql = f"{sql} UNION ALL {older}"
    return sql, params


def time_in_stages(
    base: QuerySet[CriticalKnowledge], now: datetime.datetime, since: datetime.datetime | None = None
) -> dict[str, tuple[int, int, Any, Any]]:
    """{stage: (stays, ongoing, median seconds, slowest seconds)}, the fastest way measured on each backend
    (bench/README.md): medians in SQL on PostgreSQL, durations fetched and medians taken here on SQLite,
    whose window functions sort far slower than Python does."""
    if connection.vendor == "postgresql":
        return time_in_stages_sql(base, now, since)
    return time_in_stages_python(base, now, since)


def time_in_stages_sql(
    base: QuerySet[CriticalKnowledge], now: datetime.datetime, since: datetime.datetime | None = None
) -> dict[str, tuple[int, int, Any, Any]]:
    """The figures of time_in_stages in one query: spans by LEAD over each
    item's timeline, the median by percentile_cont on PostgreSQL, and elsewhere by ROW_NUMBER and COUNT
    over each stage (the mean of the middle one or two rows: the same value)."""
    spans, params = _spans_sql(base, since)
    if connection.vendor == "postgresql":
        # PostgreSQL has the ordered-set aggregate: one sort per stage instead of two window passes.
        sql = (
            f"WITH spans AS ({spans}), "  # noqa: S608 (as above)
            f"timed AS (SELECT stage, {_duration_sql()} AS seconds, "
            "CASE WHEN next_at IS NULL THEN 1 ELSE 0 END AS ongoing FROM spans) "
            "SELECT stage, COUNT(*), SUM(ongoing), percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds), "
            "MAX(seconds) FROM timed GROUP BY stage"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, _moment(now)])
            return {row[0]: (int(row[1]), int(row[2]), row[3], row[4]) for row in cursor.fetchall()}
    sql = (
        f"WITH spans AS ({spans}), "  # noqa: S608 (as above)
        f"timed AS (SELECT stage, {_duration_sql()} AS seconds, "
        "CASE WHEN next_at IS NULL THEN 1 ELSE 0 END AS ongoing FROM spans), "
        "ranked AS (SELECT stage, seconds, ongoing, "
        "ROW_NUMBER() OVER (PARTITION BY stage ORDER BY seconds) AS rn, "
        "COUNT(*) OVER (PARTITION BY stage) AS n FROM timed) "
        "SELECT stage, MAX(n), SUM(ongoing), "
        "AVG(CASE WHEN rn = (n + 1) / 2 OR rn = (n + 2) / 2 THEN seconds END), MAX(seconds) "
        "FROM ranked GROUP BY stage"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, _moment(now)])
        return {row[0]: (int(row[1]), int(row[2]), row[3], row[4]) for row in cursor.fetchall()}


def time_in_stages_python(
    base: QuerySet[CriticalKnowledge], now: datetime.datetime, since: datetime.datetime | None = None
) -> dict[str, tuple[int, int, Any, Any]]:
    """The figures of time_in_stages with the spans (LEAD over each item's timeline) computed in SQL and
    the durations fetched, the medians taken here."""
    spans, params = _spans_sql(base, since)
    sql = f"SELECT stage, {_duration_sql()}, next_at IS NULL FROM ({spans}) spans"  # noqa: S608 (as above)
    durations: dict[str, list[float]] = defaultdict(list)
    ongoing: dict[str, int] = defaultdict(int)
    with connection.cursor() as cursor:
        cursor.execute(sql, [_moment(now), *params])  # "now" comes first in this statement
        for stage, seconds, still in cursor.fetchall():
            durations[stage].append(float(seconds))
            ongoing[stage] += bool(still)
    return {
        stage: (len(values), ongoing[stage], statistics.median(values), max(values))
        for stage, values in durations.items()
    }


def review_backlog(base: QuerySet[CriticalKnowledge], now: datetime.datetime) -> list[PanelBacklog]:
    """Open rounds per panel, their ages and the reviews still needed for a quorum (reviews of the version
    under review by current panel members count, as actions.counted_reviews counts them)."""
    counted = (
        Review.objects.filter(
            round=OuterRef("pk"),
            item_version=OuterRef("item_version"),
            reviewer__panel_memberships__panel=OuterRef("panel"),
        )
        .order_by()
        .values("round")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rounds = ReviewRound.objects.filter(closed_at__isnull=True)
    if _restricts(base):
        rounds = rounds.filter(critical__in=base.order_by().values("pk"))
    rows = (
        rounds.order_by()
        .annotate(counted=Coalesce(Subquery(counted, output_field=IntegerField()), Value(0)), quorum=F("panel__quorum"))
        .values_list("panel_id", "opened_at", "counted", "quorum")
    )
    ages: dict[int, list[float]] = defaultdict(list)
    needed: dict[int, int] = defaultdict(int)
    for panel_id, opened_at, n, quorum in rows:
        ages[panel_id].append((now - opened_at).total_seconds() / 86400)
        needed[panel_id] += max(quorum - n, 0)
    panels = Panel.objects.in_bulk(list(ages))
    backlog = [
        PanelBacklog(
            panel=panels[panel_id],
            open_rounds=len(values),
            oldest_days=max(values),
            median_days=statistics.median(values),
            reviews_needed=needed[panel_id],
        )
        for panel_id, values in ages.items()
    ]
    return sorted(backlog, key=lambda row: (-row.oldest_days, row.panel.name))


def by_topic_and_stage(base: QuerySet[CriticalKnowledge], today: datetime.date) -> list[tuple[Any, ...]]:
    """(topic id, stage, items, verified and current, due) in one GROUP BY: the stage counts, the trust
    figure and the re-verification count all come from these few hundred rows."""
    return list(
        base.order_by()
        .values_list("topic_id", "stage")
        .annotate(
            items=Count("pk"),
            current=Count("pk", filter=Q(reverify_due__gt=today)),
            due=Count("pk", filter=Q(reverify_due__lte=today)),
        )
        .values_list("topic_id", "stage", "items", "current", "due")
    )


def split_counts(
    rows: list[tuple[Any, ...]],
) -> tuple[dict[str, int], dict[int | None, tuple[int, int, int, int]]]:
    """Items per stage, and per topic (items, in play, verified and current, due). In play: not rejected,
    archived or superseded; the trust figure is the share of those that are verified and current."""
    stages: dict[str, int] = defaultdict(int)
    topics: dict[int | None, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for topic_id, stage, items, current, due in rows:
        stages[stage] += items
        figures = topics[topic_id]
        figures[0] += items
        if stage not in ENDED_STAGES:
            figures[1] += items
        if stage in VERIFIED_STAGES:  # as CriticalKnowledge.objects.current() and .due()
            figures[2] += current
            figures[3] += due
    return dict(stages), {pk: (f[0], f[1], f[2], f[3]) for pk, f in topics.items()}


def roll_up(
    own: Mapping[int | None, tuple[int, int, int, int]], topics: list[Topic], root: Topic | None
) -> list[TopicTrust]:
    """Each topic's figures with everything under it, in the taxonomy's order (indented by depth); topics
    without critical knowledge are left out."""
    children, _by_pk = topic_tree(topics)
    rows: list[TopicTrust] = []

    def walk(topic: Topic, depth: int) -> TopicTrust:
        row = TopicTrust(topic=topic, depth=depth)
        rows.append(row)
        row.items, row.in_play, row.current, row.due = own.get(topic.pk, (0, 0, 0, 0))
        for child in children.get(topic.pk, []):
            sub = walk(child, depth + 1)
            row.items += sub.items
            row.in_play += sub.in_play
            row.current += sub.current
            row.due += sub.due
        return row

    for top in [root] if root is not None else children.get(None, []):
        walk(top, 0)
    kept = [row for row in rows if row.items]
    if root is None and own.get(None):
        items, in_play, current, due = own[None]
        kept.append(TopicTrust(topic=None, depth=0, items=items, in_play=in_play, current=current, due=due))
    return kept


def quarter_of(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def _quarters_back(today: datetime.date, count: int) -> list[tuple[int, int]]:
    year, quarter = quarter_of(today)
    result = []
    for _n in range(count):
        result.append((year, quarter))
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return result[::-1]


def applications_per_quarter(base: QuerySet[CriticalKnowledge], today: datetime.date) -> list[Quarter]:
    """Applications of the critical knowledge in scope, per calendar quarter over the last three years
    (grouped by the day in SQL, bucketed here: SQLite has no date truncation of its own)."""
    keys = _quarters_back(today, QUARTERS_SHOWN)
    first_year, first_quarter = keys[0]
    since = datetime.date(first_year, 3 * first_quarter - 2, 1)
    applications = Application.objects.filter(applied_on__gte=since, applied_on__lte=today)
    if _restricts(base):
        applications = applications.filter(item_id__in=base.order_by().values("pk"))
    else:
        applications = applications.filter(item__critical__isnull=False)
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for day, n in (
        applications.order_by().values_list("applied_on").annotate(n=Count("pk")).values_list("applied_on", "n")
    ):
        counts[quarter_of(day)] += n
    return [Quarter(year, quarter, counts[(year, quarter)]) for year, quarter in keys]


def stage_rows(counts: Mapping[str, int], times: Mapping[str, tuple[int, int, Any, Any]]) -> list[StageRow]:
    rows = []
    for stage in [*MAIN_LINE, *SIDE_STAGES]:
        row = StageRow(stage=stage, label=str(Stage(stage).label), main_line=stage in MAIN_LINE)
        row.items = counts.get(stage, 0)
        if stage in times:
            row.stays, row.ongoing, median, slowest = times[stage]
            row.median_seconds = None if median is None else float(median)
            row.slowest_seconds = None if slowest is None else float(slowest)
        rows.append(row)
    return rows


def stage_times_key(user: Any, filters: Filters) -> str:
    topic = filters.topic.pk if filters.topic else ""
    organization = filters.organization.pk if filters.organization else ""
    return f"cycle:dashboard:times:{user.pk}:{topic}:{organization}"


def kept_stage_times(
    user: Any, filters: Filters, base: QuerySet[CriticalKnowledge], now: datetime.datetime
) -> tuple[datetime.datetime, dict[str, tuple[int, int, Any, Any]]]:
    """The times in stage, taken at most STAGE_TIMES_SECONDS ago: medians over a year of stays hardly move
    with one more move, and they are the one costly figure (a window over a year of transitions), so a
    move refreshes the counts at once and the times within the hour. Returns when they were taken."""
    key = stage_times_key(user, filters)
    kept = cache.get(key)
    if kept is None:
        kept = (now, time_in_stages(base, now, now - STAGE_WINDOW))
        cache.set(key, kept, STAGE_TIMES_SECONDS)
    return kept


def build(
    user: Any,
    filters: Filters,
    topics: list[Topic],
    now: datetime.datetime | None = None,
) -> Dashboard:
    """Every figure of the dashboard for `user` (the view has checked they are the hub)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    base = scope(user, filters)
    board = Dashboard(filters=filters, now=now)
    counts, own = split_counts(by_topic_and_stage(base, today))
    board.total = sum(counts.values())
    board.stage_times_at, times = kept_stage_times(user, filters, base, now)
    board.stages = stage_rows(counts, times)
    board.backlog = review_backlog(base, now)
    board.trust = roll_up(own, topics, filters.topic)
    overall = TopicTrust(topic=None, depth=0)
    for items, in_play, current, due in own.values():
        overall.items += items
        overall.in_play += in_play
        overall.current += current
        overall.due += due
    board.trust_overall = overall
    board.due_count = overall.due
    board.due_items = list(
        cast(CriticalKnowledgeQuerySet, base)
        .due(today)
        .select_related("item", "topic", "panel", "owner")
        .order_by("reverify_due", "pk")[:DUE_LISTED]
    )
    board.quarters = applications_per_quarter(base, today)
    return board


CACHE_SECONDS = 300
STAGE_TIMES_SECONDS = 3600


def data_stamp() -> tuple[Any, ...]:
    """What moves whenever the figures do (a move, a review, a round, an application, a panel member): the
    newest row of each, in one query of index lookups."""
    tables = [
        model._meta.db_table for model in (Transition, Review, ReviewRound, Application, PanelMember, CriticalKnowledge)
    ]
    quote = connection.ops.quote_name
    keys = {CriticalKnowledge._meta.db_table: "item_id"}
    parts = ", ".join(f"(SELECT MAX({quote(keys.get(table, 'id'))}) FROM {quote(table)})" for table in tables)  # noqa: S608 (model tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {parts}, (SELECT COUNT(*) FROM {quote(PanelMember._meta.db_table)})")  # noqa: S608 (model tables)
        return tuple(cursor.fetchone() or ())


def cached_build(user: Any, filters: Filters, topics: list[Topic]) -> Dashboard:
    """The dashboard as built at most CACHE_SECONDS ago with the same data: anything recorded in the cycle
    (see data_stamp) changes the key, so a move shows at once; the page says when the figures were taken.
    Kept per viewer (what they may read) and language."""
    stamp = ":".join(str(value) for value in data_stamp())
    key = (
        f"cycle:dashboard:{user.pk}:{get_language()}:{filters.topic.pk if filters.topic else ''}:"
        f"{filters.organization.pk if filters.organization else ''}:{stamp}"
    )
    board = cache.get(key)
    if board is None:
        board = build(user, filters, topics)
        cache.set(key, board, CACHE_SECONDS)
    board.filters.problems = filters.problems
    return board


def duration_text(seconds: float | None) -> str:
    """'3 days', '1.5 days', '5 hours', '12 minutes' (the unit that reads best)."""
    from django.utils.formats import number_format
    from django.utils.translation import ngettext

    if seconds is None:
        return "—"
    if seconds < 3600:
        minutes = max(round(seconds / 60), 0)
        return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    if seconds < 86400:
        hours = round(seconds / 3600)
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    days = seconds / 86400
    if days < 10 and round(days, 1) != round(days):
        return ngettext("%(count)s day", "%(count)s days", 2) % {"count": number_format(round(days, 1), 1)}
    whole = round(days)
    return ngettext("%(count)d day", "%(count)d days", whole) % {"count": whole}


# The CSV ------------------------------------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """A cell a spreadsheet will not run: text starting like a formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _days(seconds: float | None) -> str:
    return "" if seconds is None else f"{seconds / 86400:.1f}"


def csv_sections(board: Dashboard) -> Iterable[list[Any]]:
    """The dashboard's tables one after another, each under its title, a blank row between them."""
    filters = board.filters
    yield [_("Critical knowledge cycle dashboard"), dates.format_date(board.now, with_time=True)]
    yield [
        pgettext("cycle dashboard", "Topic"),
        filters.topic.display_name if filters.topic else pgettext("cycle dashboard", "All topics"),
    ]
    yield [
        pgettext("cycle dashboard", "Owner organization"),
        filters.organization.display_name if filters.organization else pgettext("cycle dashboard", "All organizations"),
    ]
    yield []
    yield [_("Items per stage")]
    yield [
        pgettext("cycle dashboard", "Stage"),
        pgettext("cycle dashboard", "Items now"),
        pgettext("cycle dashboard", "Stays"),
        _("Still in the stage"),
        _("Median time in stage (days)"),
        _("Slowest (days)"),
    ]
    for row in board.stages:
        yield [
            row.label,
            row.items,
            row.stays,
            row.ongoing,
            _days(row.median_seconds),
            _days(row.slowest_seconds),
        ]
    yield []
    yield [_("Review backlog by panel")]
    yield [
        pgettext("cycle dashboard", "Panel"),
        pgettext("cycle dashboard", "Open rounds"),
        _("Oldest (days)"),
        _("Median age (days)"),
        _("Reviews still needed"),
    ]
    for backlog in board.backlog:
        yield [
            backlog.panel.name,
            backlog.open_rounds,
            f"{backlog.oldest_days:.1f}",
            f"{backlog.median_days:.1f}",
            backlog.reviews_needed,
        ]
    yield []
    yield [_("Verified and current, per topic")]
    yield [
        pgettext("cycle dashboard", "Topic"),
        pgettext("cycle dashboard", "Critical knowledge"),
        _("In play (not rejected, archived or superseded)"),
        _("Verified and current"),
        _("Due for re-verification"),
        _("Trust (%)"),
    ]
    for trust in board.trust:
        name = trust.topic.display_name if trust.topic else _("No topic")
        yield [
            name,
            trust.items,
            trust.in_play,
            trust.current,
            trust.due,
            "" if trust.percent is None else trust.percent,
        ]
    yield []
    yield [_("Due for re-verification")]
    yield [
        pgettext("cycle dashboard", "Knowledge"),
        pgettext("cycle dashboard", "Topic"),
        pgettext("cycle dashboard", "Panel"),
        _("Re-verify by"),
    ]
    for critical in board.due_items:
        yield [
            critical.item.title,
            critical.topic.display_name if critical.topic else "",
            critical.panel.name if critical.panel else "",
            dates.format_date(critical.reverify_due),
        ]
    if board.due_count > len(board.due_items):
        yield [_("and %(count)d more") % {"count": board.due_count - len(board.due_items)}]
    yield []
    yield [_("Applications per quarter")]
    yield [pgettext("cycle dashboard", "Quarter"), pgettext("cycle dashboard", "Applications")]
    for quarter in board.quarters:
        yield [quarter.label, quarter.applications]
