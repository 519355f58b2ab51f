"""The planner's reasons (codes and numbers kept in Programme.explanation) as sentences for the page,
in the reader's language: "why this date, why this host, why these topics"."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from platoo.lib.dates import format_date

from . import planner


def _day(value: str | None) -> str:
    return format_date(date.fromisoformat(value), short=True) if value else ""


def month_name(month: int) -> str:
    return str(MONTHS[month])


def date_reason(step: Mapping[str, Any], holiday_names: Mapping[date, str]) -> list[str]:
    lines = []
    tier = step.get("why_date", {}).get("tier")
    if tier == 0:
        lines.append(_("A Tuesday, Wednesday or Thursday in the second or third week of the month."))
    elif tier == 1:
        lines.append(_("A Monday or Friday of the second or third week: no Tuesday to Thursday there was free."))
    elif tier is not None:
        lines.append(_("Outside the second and third weeks: no working day in them was free."))
    avoided = []
    for value in step.get("why_date", {}).get("holidays", []):
        day = date.fromisoformat(value)
        avoided.append(f"{format_date(day, short=True)} {holiday_names.get(day, '')}".strip())
    if avoided:
        lines.append(
            _("Public holidays avoided in the second and third weeks: %(days)s.") % {"days": "; ".join(avoided)}
        )
    return lines


PASSED_OVER = {
    planner.UNAVAILABLE: lambda: _("cannot host in this month"),
    planner.NOT_JOINED: lambda: _("had not joined the network yet"),
    planner.SAME_MONTH: lambda: _("already hosts a visit this month"),
    planner.SAVES_MONTH: lambda: _("this date is the only one left for an organization still waiting its turn"),
}


def _passed_over(rows: list[dict[str, Any]], more: int, names: Mapping[int, str]) -> str:
    parts = [f"{names.get(row['org'], _('an organization'))} ({PASSED_OVER[row['why']]()})" for row in rows]
    if more:
        parts.append(ngettext("%(count)d more", "%(count)d more", more) % {"count": more})
    return ", ".join(parts)


def host_reason(step: Mapping[str, Any], host_name: str, names: Mapping[int, str], *, show_others: bool) -> list[str]:
    why = step.get("why_host") or {}
    if not why:
        return []
    hosted = why.get("hosted", 0)
    if hosted:
        text = ngettext(
            "%(host)s has hosted %(count)d visit before, the last on %(day)s, and is next in the queue among "
            "those who can host on this date.",
            "%(host)s has hosted %(count)d visits before, the last on %(day)s, and is next in the queue among "
            "those who can host on this date.",
            hosted,
        ) % {"host": host_name, "count": hosted, "day": _day(why.get("last"))}
    else:
        text = _(
            "%(host)s has not hosted a visit yet and is next in the queue among those who can host on this date."
        ) % {"host": host_name}
    lines = [text]
    if show_others and why.get("skipped"):
        lines.append(
            _("Passed over before it: %(orgs)s.")
            % {"orgs": _passed_over(why["skipped"], why.get("skipped_more", 0), names)}
        )
    return lines


def topic_reasons(step: Mapping[str, Any], topic_names: Mapping[int, str]) -> list[str]:
    why = step.get("why_topics") or {}
    basis = why.get("basis")
    lines = []
    if basis == planner.STRENGTH_ONLY:
        lines.append(
            _(
                "No other organization has asked to learn what the host is strong in yet: the visit takes its strongest topic."
            )
        )
    elif basis == planner.DEMAND_ONLY:
        lines.append(
            _(
                "The host has not said what it is strong in, nor shared knowledge on the wanted topics: the visit takes the most wanted topic."
            )
        )
    elif basis == planner.NO_TOPICS:
        lines.append(_("Nobody has said yet what they want to learn or are strong in: the hub chooses the topics."))
    for row in why.get("topics", []):
        parts = [
            ngettext("wanted by %(count)d other organization", "wanted by %(count)d other organizations", row["wanted"])
            % {"count": row["wanted"]}
        ]
        if row["declared"]:
            parts.append(_("the host says it is strong in it"))
        if row["items"]:
            parts.append(
                ngettext(
                    "the host shared %(count)d knowledge item on it",
                    "the host shared %(count)d knowledge items on it",
                    row["items"],
                )
                % {"count": row["items"]}
            )
        if row["given"]:
            parts.append(
                ngettext(
                    "already given %(count)d time in this programme",
                    "already given %(count)d times in this programme",
                    row["given"],
                )
                % {"count": row["given"]}
            )
        name = topic_names.get(row["topic"], "")
        lines.append(
            _("%(topic)s: %(facts)s (score %(score)s).")
            % {"topic": name, "facts": "; ".join(parts), "score": f"{row['score']:g}"}
        )
    return lines


def empty_reason(step: Mapping[str, Any], names: Mapping[int, str], *, show_others: bool) -> str:
    why = step.get("why_empty") or {}
    code = why.get("why")
    if code == planner.PAST:
        return _("No visit: the month was over when the plan was made.")
    if code == planner.NO_WORKING_DAY:
        return _("No visit: no working day was left in the month.")
    if code == planner.NO_HOSTS:
        return _("No visit: no member organization can host this year (they all declined, or there are none).")
    text = _("No visit: none of the candidates can host in %(month)s.") % {"month": month_name(step["month"])}
    if show_others and why.get("skipped"):
        text += " " + _("Passed over: %(orgs)s.") % {
            "orgs": _passed_over(why["skipped"], why.get("skipped_more", 0), names)
        }
    return text


def changes(step: Mapping[str, Any], names: Mapping[int, str]) -> list[str]:
    lines = []
    replanned = step.get("replanned")
    if replanned:
        lines.append(
            _("Re-planned on %(day)s (before: %(host)s). %(reason)s")
            % {
                "day": _day(replanned.get("on")),
                "host": names.get(replanned.get("from") or 0, _("no host")),
                "reason": replanned.get("reason", ""),
            }
        )
    edited = step.get("edited")
    if edited:
        lines.append(_("Changed by the hub on %(day)s.") % {"day": _day(edited.get("on"))})
    return lines


def organizations_named(steps: list[Mapping[str, Any]], *, show_others: bool) -> set[int]:
    """The organizations the reasons name beyond each visit's own host (one query looks them up)."""
    ids: set[int] = set()
    for step in steps:
        if step.get("replanned", {}).get("from"):
            ids.add(step["replanned"]["from"])
        if show_others:
            ids.update(row["org"] for row in (step.get("why_host") or {}).get("skipped", []))
            ids.update(row["org"] for row in (step.get("why_empty") or {}).get("skipped", []))
    return ids
