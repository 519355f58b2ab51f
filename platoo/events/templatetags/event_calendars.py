"""{% calendar_feed %}: the subscribe links of a feed for whoever is looking (events/_calendar_links.html)."""

from django import template

from platoo.events import calendars

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
