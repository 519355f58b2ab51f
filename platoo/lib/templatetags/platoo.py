"""Template helpers available in every template (registered as builtins in settings)."""

from datetime import date, datetime

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from platoo.lib import dates
from platoo.lib.markdown import render_markdown

register = template.Library()


@register.filter
def thaidate(value: date | datetime | None, arg: str = "") -> str:
    """{{ item.created_at|thaidate }}; arg "short", "time" or "short,time"."""
    options = set(arg.split(","))
    return dates.format_date(value, short="short" in options, with_time="time" in options)


@register.filter
def markdown(value: str | None) -> SafeString:
    return render_markdown(value or "")


@register.simple_tag(takes_context=True)
def query_with(context: template.Context, **changes: object) -> str:
    """The current query string with some parameters replaced (for paging and filters)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = str(value)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag
def sparkline(values: list[int], label: str = "", width: int = 120, height: int = 28) -> SafeString:
    """A small inline SVG line of `values` (oldest first), labelled for screen readers."""
    if not values:
        return SafeString("")
    top = max(values) or 1
    step = width / max(len(values) - 1, 1)
    points = " ".join(f"{i * step:.1f},{height - 2 - (v / top) * (height - 4):.1f}" for i, v in enumerate(values))
    last_x, last_y = points.rsplit(" ", 1)[-1].split(",")
    return format_html(
        '<svg class="sparkline" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="{label}">'
        '<polyline fill="none" stroke="currentColor" stroke-width="1.5" points="{points}"/>'
        '<circle cx="{x}" cy="{y}" r="2" fill="currentColor"/></svg>',
        w=width,
        h=height,
        label=label,
        points=points,
        x=last_x,
        y=last_y,
    )
