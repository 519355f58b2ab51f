"""Template helpers available in every template (registered as builtins in settings)."""

from datetime import date, datetime

from django import template
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
