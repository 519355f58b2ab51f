"""Calendar helpers for templates: {% calendar_feed %}, the subscribe links of a feed for whoever is
looking (events/_calendar_links.html), and |period, when an event runs."""

from typing import Any

from django import template
from django.utils import timezone

from platoo.events import calendars
from platoo.lib.dates import format_date, is_thai

register = template.Library()


@register.simple_tag(takes_context=True)
def calendar_feed(context: template.Context, name: str, key: str = "") -> dict[str, object] | None:
    """{"url", "webcal", "private"}: the viewer's own (secret) address when signed in, the public one
    otherwise; None for a person's calendar to someone not signed in."""
    request = context.get("request")
    user = getattr(request, "user", None)
    secret = ""
    if user is not None and user.is_authenticated and user.is_active:
        secret = getattr(request, "_calendar_secret", "")
        if not secret:
            secret = request._calendar_secret = calendars.feed_secret(user)  # type: ignore[union-attr]
    elif name == "person":
        return None
    url = calendars.absolute(calendars.feed_path(name, secret, str(key)))
    return {"url": url, "webcal": calendars.webcal(url), "private": bool(secret)}


@register.filter
def period(thing: Any) -> str:
    """ "7 ธันวาคม 2569 09:00 น. – 12:00 น." (the date once for one day), in Bangkok time, พ.ศ. for Thai
    readers; for anything with starts_at and ends_at."""
    start, end = timezone.localtime(thing.starts_at), timezone.localtime(thing.ends_at)
    if start.date() != end.date():
        return f"{format_date(start, with_time=True)} – {format_date(end, with_time=True)}"
    return f"{format_date(start, with_time=True)} – {end:%H:%M}" + (" น." if is_thai() else "")
