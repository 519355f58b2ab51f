"""The programme planner: a year of home-and-away visits, who hosts each one, when, and on which topics.

This module is pure: it reads plain data (`Inputs`) and returns a `Plan`, so its rules are tested
without a database. `platoo/events/programmes.py` loads the inputs and writes the plan as draft events;
the programme page shows these rules (`RULES`) and, for every visit, the reasons kept in `Visit.why_*`.

1. Slots. The hub chooses the months (every second month by default) and how many visits in each.
2. Dates. A working day of that month: never a Saturday, a Sunday or a Thai public holiday, and after
   the day the plan is made. Tuesday to Thursday of the second or third week comes first, then a Monday
   or Friday of those weeks, then the rest of the month. Two visits in one month go to different weeks
   where they can. Visits run 09:00–16:00, Thailand time.
3. Hosts. The candidates are the member organizations that have not declined that year. They stand in
   one queue: fewest visits hosted first (every year counts, published visits and this draft's), then
   the one that hosted longest ago (never is longest), then the longest-standing member, then the Thai
   name. Each date goes to the first in the queue who can host then (the month is not one it marked
   unavailable, it had joined by then, and it hosts nothing else that month). Nobody gets another turn
   while an organization still waiting for its turn can take that date; and a waiting organization's
   only possible month is not given to another waiting organization that could host later. With fewer
   candidates than visits the queue simply goes round again. A date nobody can take stays empty, with
   the reason.
4. Topics. Each visit gets one or two of the network's critical-knowledge topics. Interests and
   knowledge items filed under a sub-topic count toward its nearest critical topic (the topic itself
   when it is critical), so "data analysis" counts for a critical "data capability". For the host,
   each topic scores  wanted × strength ÷ (1 + times already given this year), where wanted is how many
   other organizations want to learn it and strength is 2 if the host says it is strong in it plus 1
   per knowledge item it shared on it (at most 3). The best one or two scores win; ties go to the topic
   given less, then to the taxonomy's order. Without any score above zero the visit takes what the
   host is strong in, or else the most wanted topic, or else none, and says so.
"""

from calendar import monthrange
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any
from zoneinfo import ZoneInfo

DEFAULT_MONTHS: tuple[int, ...] = (1, 3, 5, 7, 9, 11)
MAX_PER_MONTH = 8  # a large network may hold two visits a week
TOPICS_PER_VISIT = 2
DECLARED_STRENGTH = 2
MAX_ITEM_STRENGTH = 3
SKIPPED_SHOWN = 8  # how many passed-over organizations a visit's reasons name
VISIT_STARTS, VISIT_ENDS = time(9, 0), time(16, 0)
BANGKOK = ZoneInfo("Asia/Bangkok")

# Reasons, as codes the page turns into sentences (platoo/events/views/planner.py).
UNAVAILABLE, NOT_JOINED, SAME_MONTH, SAVES_MONTH = "unavailable", "not_joined", "same_month", "saves_month"
PAST, NO_WORKING_DAY, NO_HOSTS, NOBODY_AVAILABLE = "past", "no_working_day", "no_hosts", "nobody_available"
BALANCE, STRENGTH_ONLY, DEMAND_ONLY, NO_TOPICS = "balance", "strength_only", "demand_only", "none"


@dataclass(frozen=True)
class Host:
    """A candidate host: a member organization that has not declined the year."""

    id: int
    name: str
    joined_on: date | None = None
    hosted: int = 0  # visits hosted so far, every year: published ones and those of the draft being built
    last_hosted: date | None = None
    unavailable: frozenset[int] = frozenset()  # months 1–12
    strong_in: frozenset[int] = frozenset()  # critical topics it says it is strong in
    items: Mapping[int, int] = field(default_factory=dict)  # critical topic -> knowledge items it shared
    wants: frozenset[int] = frozenset()  # critical topics it wants to learn


@dataclass(frozen=True)
class Kept:
    """A visit of the programme that stays as it is (already published): it keeps its month's place."""

    day: date
    host: int
    topics: tuple[int, ...] = ()


@dataclass(frozen=True)
class Inputs:
    year: int
    hosts: Sequence[Host]
    topics: Sequence[int]  # the critical topics, in the taxonomy's order
    demand: Mapping[int, int]  # critical topic -> how many member organizations want to learn it
    holidays: Collection[date]
    today: date  # dates are planned after it
    months: Sequence[int] = DEFAULT_MONTHS
    per_month: int = 1
    kept: Sequence[Kept] = ()
    declined: Sequence[int] = ()  # organizations that declined the year (for the explanation)


@dataclass
class Visit:
    """One slot of the programme and why it came out as it did."""

    month: int
    day: date | None = None
    host: int | None = None
    topics: list[int] = field(default_factory=list)
    why_date: dict[str, Any] = field(default_factory=dict)
    why_host: dict[str, Any] = field(default_factory=dict)
    why_topics: dict[str, Any] = field(default_factory=dict)
    why_empty: dict[str, Any] = field(default_factory=dict)  # set when the slot stays empty

    def to_json(self) -> dict[str, Any]:
        return {
            "month": self.month,
            "day": self.day.isoformat() if self.day else None,
            "host": self.host,
            "topics": list(self.topics),
            "why_date": self.why_date,
            "why_host": self.why_host,
            "why_topics": self.why_topics,
            "why_empty": self.why_empty,
        }


@dataclass
class Plan:
    year: int
    visits: list[Visit]
    candidates: int
    declined: list[int]
    months: list[int]
    per_month: int

    def to_json(self) -> dict[str, Any]:
        return {
            "months": self.months,
            "per_month": self.per_month,
            "candidates": self.candidates,
            "declined": self.declined,
            "visits": [visit.to_json() for visit in self.visits],
        }


def date_tier(day: date) -> int:
    """0: Tuesday–Thursday of the second or third week; 1: Monday or Friday of those weeks; 2: Tuesday–
    Thursday of another week; 3: any other working day."""
    middle = 8 <= day.day <= 21
    midweek = day.weekday() in (1, 2, 3)
    return (0 if midweek else 1) if middle else (2 if midweek else 3)


def is_working_day(day: date, holidays: Collection[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def visit_days(
    year: int, month: int, count: int, holidays: Collection[date], today: date, taken: Collection[date] = ()
) -> tuple[list[date], dict[str, Any]]:
    """Up to `count` dates for visits in the month, best first, and why (or why there are fewer)."""
    days = [date(year, month, d) for d in range(1, monthrange(year, month)[1] + 1)]
    # The holidays that can move a visit: those on weekdays of the second and third weeks.
    holidays_on_weekdays = [d.isoformat() for d in days if d.weekday() < 5 and date_tier(d) < 2 and d in holidays]
    free = [d for d in days if d > today and d not in taken and is_working_day(d, holidays)]
    chosen: list[date] = []
    while len(chosen) < count and free:
        weeks = Counter(d.isocalendar()[1] for d in chosen)
        best = min(free, key=lambda d: (date_tier(d), weeks[d.isocalendar()[1]], d))
        chosen.append(best)
        free.remove(best)
    why: dict[str, Any] = {"holidays": holidays_on_weekdays}
    if len(chosen) < count:
        why["short"] = PAST if all(d <= today for d in days if d.weekday() < 5) else NO_WORKING_DAY
    return sorted(chosen), why


def queue_key(host: Host, hosted: int, last: date | None) -> tuple[Any, ...]:
    return (hosted, last or date.min, host.joined_on or date.max, host.name, host.id)


def _placed(masks: Sequence[int], slots: int) -> int:
    """How many of the organizations (each given as the bit mask of the slots it can host) can each
    have a different one of `slots` (a bit mask): a maximum bipartite matching. Organizations that can
    host the same slots are one group with a capacity, so the work depends on the (few) kinds of
    availability, not on the (many) organizations."""
    groups = Counter(mask & slots for mask in masks)
    groups.pop(0, None)
    kinds = list(groups.items())
    held: list[list[int]] = [[] for _ in kinds]
    by_slot: dict[int, list[int]] = {}
    for index, (mask, _count) in enumerate(kinds):
        bit = 0
        while mask >> bit:
            if mask >> bit & 1:
                by_slot.setdefault(bit, []).append(index)
            bit += 1

    def give(slot: int, seen: set[int]) -> bool:
        for index in by_slot.get(slot, ()):
            if index in seen:
                continue
            seen.add(index)
            if len(held[index]) < kinds[index][1]:
                held[index].append(slot)
                return True
            for position, other in enumerate(held[index]):
                if give(other, seen):
                    held[index][position] = slot
                    return True
        return False

    return sum(1 for slot in sorted(by_slot) if give(slot, set()))


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _passed_over(skipped: list[dict[str, Any]]) -> dict[str, Any]:
    """The first organizations passed over (and how many more), for the reasons."""
    return {"skipped": skipped[:SKIPPED_SHOWN], "skipped_more": max(0, len(skipped) - SKIPPED_SHOWN)}


def _why_not(host: Host, day: date, busy: Collection[int]) -> str:
    """Why `host` cannot take a visit on `day` ("" when it can)."""
    if day.month in host.unavailable:
        return UNAVAILABLE
    if host.joined_on is not None and host.joined_on > day:
        return NOT_JOINED
    if day.month in busy:
        return SAME_MONTH
    return ""


def _assign_hosts(visits: list[Visit], hosts: Sequence[Host], kept: Sequence[Kept]) -> None:
    dated = sorted((v for v in visits if v.day is not None), key=lambda v: v.day or date.min)
    if not dated:
        return
    hosted = {h.id: h.hosted for h in hosts}
    last = {h.id: h.last_hosted for h in hosts}
    busy: dict[int, set[int]] = {h.id: set() for h in hosts}
    for held in kept:
        if held.host in busy:
            busy[held.host].add(held.day.month)
    # Which slots each organization could ever take, as a bit mask over `dated`.
    masks = {h.id: sum(1 << k for k, v in enumerate(dated) if v.day and _why_not(h, v.day, ()) == "") for h in hosts}
    for k, visit in enumerate(dated):
        assert visit.day is not None
        if not hosts:
            visit.why_empty = {"why": NO_HOSTS}
            continue
        remaining = ((1 << len(dated)) - 1) >> k << k
        rest = remaining & ~(1 << k)
        able = [h for h in hosts if masks[h.id] & remaining]
        fewest = min((hosted[h.id] for h in able), default=0)
        waiting = {h.id for h in able if hosted[h.id] == fewest}
        waiting_masks = [masks[pk] for pk in waiting]
        possible = _placed(waiting_masks, remaining)
        others_fit: bool | None = None  # whether the waiting ones all still fit without this slot
        skipped: list[dict[str, Any]] = []
        queue = sorted(hosts, key=lambda h: queue_key(h, hosted[h.id], last[h.id]))
        pick: Host | None = None
        for position, host in enumerate(queue, start=1):
            reason = _why_not(host, visit.day, busy[host.id])
            if not reason:
                if host.id in waiting:
                    without = list(waiting_masks)
                    without.remove(masks[host.id])
                    fits = _placed(without, rest) == possible - 1
                else:
                    if others_fit is None:
                        others_fit = _placed(waiting_masks, rest) == possible
                    fits = others_fit
                if fits:
                    pick = host
                    visit.host = host.id
                    visit.why_host = {
                        "hosted": hosted[host.id],
                        "last": _iso(last[host.id]),
                        "position": position,
                        "waiting": len(waiting),
                        **_passed_over(skipped),
                    }
                    break
                reason = SAVES_MONTH
            skipped.append({"org": host.id, "why": reason})
        if pick is None:
            visit.why_empty = {"why": NOBODY_AVAILABLE, **_passed_over(skipped)}
            continue
        hosted[pick.id] += 1
        last[pick.id] = visit.day
        busy[pick.id].add(visit.day.month)


def topic_scores(
    host: Host, topics: Sequence[int], demand: Mapping[int, int], given: Mapping[int, int]
) -> list[dict[str, Any]]:
    """Every critical topic's score for a visit to `host`, with what it is made of."""
    rows = []
    for order, topic in enumerate(topics):
        wanted = demand.get(topic, 0) - (1 if topic in host.wants else 0)  # visitors come to learn, not the host
        declared = topic in host.strong_in
        items = host.items.get(topic, 0)
        strength = (DECLARED_STRENGTH if declared else 0) + min(items, MAX_ITEM_STRENGTH)
        rows.append(
            {
                "topic": topic,
                "wanted": wanted,
                "declared": declared,
                "items": items,
                "given": given.get(topic, 0),
                "score": round(wanted * strength / (1 + given.get(topic, 0)), 3),
                "strength": strength,
                "order": order,
            }
        )
    return rows


def choose_topics(
    host: Host, topics: Sequence[int], demand: Mapping[int, int], given: Mapping[int, int]
) -> tuple[list[int], dict[str, Any]]:
    """One or two topics for a visit to `host`, and why."""
    rows = topic_scores(host, topics, demand, given)
    scored = sorted((r for r in rows if r["score"] > 0), key=lambda r: (-r["score"], r["given"], r["order"]))
    basis = BALANCE
    chosen = scored[:TOPICS_PER_VISIT]
    if not chosen:
        strong = sorted((r for r in rows if r["strength"] > 0), key=lambda r: (r["given"], -r["strength"], r["order"]))
        wanted = sorted(
            (r for r in rows if r["wanted"] > 0), key=lambda r: (-r["wanted"] / (1 + r["given"]), r["order"])
        )
        basis, chosen = (
            (STRENGTH_ONLY, strong[:1]) if strong else (DEMAND_ONLY, wanted[:1]) if wanted else (NO_TOPICS, [])
        )
    keep = ("topic", "wanted", "declared", "items", "given", "score")
    return [r["topic"] for r in chosen], {"basis": basis, "topics": [{k: r[k] for k in keep} for r in chosen]}


def _assign_topics(visits: list[Visit], inputs: Inputs, hosts: Mapping[int, Host]) -> None:
    given: Counter[int] = Counter(topic for kept in inputs.kept for topic in kept.topics)
    for visit in sorted((v for v in visits if v.host is not None), key=lambda v: v.day or date.min):
        assert visit.host is not None
        visit.topics, visit.why_topics = choose_topics(hosts[visit.host], inputs.topics, inputs.demand, given)
        given.update(visit.topics)


def plan(inputs: Inputs) -> Plan:
    """The year's programme: the slots in date order, each with its date, host, topics and reasons."""
    months = sorted(set(inputs.months))
    kept_by_month = Counter(k.day.month for k in inputs.kept)
    taken = {k.day for k in inputs.kept}
    visits: list[Visit] = []
    for month in months:
        wanted = max(0, inputs.per_month - kept_by_month[month])
        days, why = visit_days(inputs.year, month, wanted, inputs.holidays, inputs.today, taken)
        for day in days:
            visits.append(Visit(month=month, day=day, why_date={**why, "tier": date_tier(day)}))
        for _missing in range(wanted - len(days)):
            visits.append(Visit(month=month, why_date=why, why_empty={"why": why["short"]}))
    _assign_hosts(visits, inputs.hosts, inputs.kept)
    _assign_topics(visits, inputs, {h.id: h for h in inputs.hosts})
    visits.sort(key=lambda v: (v.month, v.day or date.max))
    return Plan(
        year=inputs.year,
        visits=visits,
        candidates=len(inputs.hosts),
        declined=sorted(inputs.declined),
        months=months,
        per_month=inputs.per_month,
    )


def next_host(
    hosts: Sequence[Host], day: date, busy: Mapping[int, Collection[int]]
) -> tuple[Host | None, dict[str, Any]]:
    """The first in the queue who can host a visit on `day` (for re-planning one visit), and why.
    `busy` holds the months each organization already hosts in the programme."""
    queue = sorted(hosts, key=lambda h: queue_key(h, h.hosted, h.last_hosted))
    skipped: list[dict[str, Any]] = []
    for position, host in enumerate(queue, start=1):
        reason = _why_not(host, day, busy.get(host.id, ()))
        if not reason:
            return host, {
                "hosted": host.hosted,
                "last": _iso(host.last_hosted),
                "position": position,
                **_passed_over(skipped),
            }
        skipped.append({"org": host.id, "why": reason})
    return None, {"why": NOBODY_AVAILABLE if hosts else NO_HOSTS, **_passed_over(skipped)}
