"""{% load activity %}: follow buttons, the unread badge, and activity and notification sentences."""

from typing import Any

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString

from platoo.activity import actions, registry, sentences
from platoo.activity.models import Activity, Notification

register = template.Library()

BADGE_CAP = 100  # the badge counts up to here and then shows "99+"


@register.simple_tag(takes_context=True)
def unread_notifications(context: template.Context) -> str:
    """The header badge: "" when nothing is unread, else the count. One query, kept for the rest of the request."""
    request = context.get("request")
    user = context.get("user")
    if request is None or user is None or not user.is_authenticated:
        return ""
    if not hasattr(request, "_unread_notifications"):
        count = actions.unread_count(user, cap=BADGE_CAP)
        request._unread_notifications = "" if not count else ("99+" if count >= BADGE_CAP else str(count))
    return str(request._unread_notifications)


@register.inclusion_tag("activity/_follow_button.html", takes_context=True)
def follow_button(
    context: template.Context, key: str, pk: int | None = None, followed: bool | None = None
) -> dict[str, Any]:
    """{% follow_button "person:3" %} or {% follow_button "person" person.pk %}: one query to know whether
    it is followed; pass followed=... from actions.followed_keys when a list shows many buttons, and it costs none."""
    if pk is not None:
        key = registry.key(key, pk)
    user = context.get("user")
    if followed is None:
        followed = key in actions.followed_keys(user, [key])
    request = context.get("request")
    return {
        "follow_key": key,
        "followed": followed,
        "user": user,
        "request": request,
        "next": request.get_full_path() if request is not None else "",
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def activity_sentence(activity: Activity) -> SafeString:
    return sentences.activity_html(activity)


@register.filter
def notification_sentence(notification: Notification) -> SafeString:
    """The sentence, its title linking through the endpoint that marks it read."""
    return sentences.notification_html(notification, reverse("activity:open", args=[notification.pk]))


@register.filter
def follow_kind(key: str) -> str:
    return sentences.follow_kind(key)
