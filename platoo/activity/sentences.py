"""Every activity verb and notification kind as a full sentence, in plain text (emails) and HTML (pages).

The sentences are translated whole, so Thai word order is the translator's, not ours. The actor's
name and the title are escaped in the HTML form; the title becomes a link.
"""

from typing import Any

from django.utils.functional import Promise
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Activity, Notification, NotificationKind, Verb

ACTIVITY_SENTENCES: dict[str, Promise] = {
    Verb.ITEM_CREATED: _("%(actor)s wrote “%(title)s”"),
    Verb.THREAD_STARTED: _("%(actor)s started the discussion “%(title)s”"),
    Verb.REPLIED: _("%(actor)s replied in the discussion “%(title)s”"),
    Verb.MEETING_SCHEDULED: _("%(actor)s scheduled the meeting “%(title)s”"),
    Verb.MINUTES_WRITTEN: _("%(actor)s wrote the minutes of “%(title)s”"),
    Verb.ITEM_SHARED: _("%(actor)s shared “%(title)s” with a community"),
    Verb.ITEM_CAPTURED: _("%(actor)s captured knowledge from “%(title)s”"),
    Verb.JOINED: _("%(actor)s joined “%(title)s”"),
    Verb.STAGE_CHANGED: _("%(actor)s moved “%(title)s” to a new stage"),
    Verb.COMMUNITY_STARTED: _("%(actor)s started the community “%(title)s”"),
    Verb.EVENT_PUBLISHED: _("%(actor)s published the event “%(title)s”"),
}

NOTIFICATION_SENTENCES: dict[str, Promise] = {
    NotificationKind.INVITATION: _("%(actor)s invited you to join the community “%(title)s”"),
    NotificationKind.JOIN_REQUEST: _("%(actor)s asked to join the community “%(title)s”"),
    NotificationKind.REQUEST_APPROVED: _("%(actor)s approved your request to join “%(title)s”"),
    NotificationKind.MEETING: _("%(actor)s scheduled a new meeting: “%(title)s”"),
    NotificationKind.REPLY: _("%(actor)s replied in the discussion “%(title)s”"),
    NotificationKind.MENTION: _("%(actor)s mentioned you in “%(title)s”"),
    NotificationKind.ANSWER_ACCEPTED: _("%(actor)s accepted your answer in “%(title)s”"),
    NotificationKind.EVENT_CHANGED: _("%(actor)s changed or cancelled the event “%(title)s”"),
    NotificationKind.WAITLIST_PROMOTED: _("A place opened for you at “%(title)s”: you are registered"),
    NotificationKind.EVENT_REMINDER: _("Reminder: “%(title)s” is coming up"),
    NotificationKind.AAR_REMINDER: _("How did “%(title)s” go? Write your after-action review"),
    NotificationKind.SUBMISSION_DECIDED: _("%(actor)s decided on your share-and-show submission “%(title)s”"),
    NotificationKind.REVIEW_REQUESTED: _("%(actor)s sent “%(title)s” to your expert panel for review"),
    NotificationKind.CYCLE_MOVED: _("%(actor)s moved your critical knowledge “%(title)s” in the cycle"),
    NotificationKind.REVERIFY_DUE: _("“%(title)s” is due for re-verification by your expert panel"),
    NotificationKind.APPLIED: _("%(actor)s recorded that their organization applied “%(title)s”"),
}

# Sent by Platoo itself (reminders, a waitlist moving up): their sentences name no actor.
SYSTEM_KINDS = frozenset(
    {
        NotificationKind.WAITLIST_PROMOTED,
        NotificationKind.EVENT_REMINDER,
        NotificationKind.AAR_REMINDER,
        NotificationKind.REVERIFY_DUE,
    }
)

# Headings of a digest's groups, in the order a digest shows them.
NOTIFICATION_GROUPS: dict[str, Promise] = {
    NotificationKind.INVITATION: _("Invitations"),
    NotificationKind.JOIN_REQUEST: _("Requests to join"),
    NotificationKind.REQUEST_APPROVED: _("Requests approved"),
    NotificationKind.MEETING: _("Meetings"),
    NotificationKind.MENTION: _("Mentions"),
    NotificationKind.REPLY: _("Replies"),
    NotificationKind.ANSWER_ACCEPTED: _("Accepted answers"),
    NotificationKind.EVENT_CHANGED: _("Changed events"),
    NotificationKind.WAITLIST_PROMOTED: _("Places at events"),
    NotificationKind.EVENT_REMINDER: _("Events coming up"),
    NotificationKind.AAR_REMINDER: _("After-action reviews to write"),
    NotificationKind.SUBMISSION_DECIDED: _("Share-and-show submissions"),
    NotificationKind.REVIEW_REQUESTED: _("Knowledge to review"),
    NotificationKind.REVERIFY_DUE: _("Knowledge due for re-verification"),
    NotificationKind.CYCLE_MOVED: _("Your knowledge in the cycle"),
    NotificationKind.APPLIED: _("Your knowledge applied"),
}

# A kind or verb added later without its own sentence still reads as something.
FALLBACK = _("%(actor)s: “%(title)s”")


def actor_name(actor: Any) -> str:
    return actor.display_name if actor is not None else gettext("Someone")


def _text(template: Promise, actor: Any, title: str) -> str:
    return str(template) % {"actor": actor_name(actor), "title": title}


def _html(template: Promise, actor: Any, title: str, url: str) -> SafeString:
    linked = format_html('<a href="{}">{}</a>', url, title) if url else conditional_escape(title)
    # The translated template is escaped too: only the placeholders become markup.
    name = format_html("<strong>{}</strong>", actor_name(actor))
    html = conditional_escape(str(template)) % {"actor": name, "title": linked}
    return mark_safe(html)  # noqa: S308 - every part is escaped above


def activity_text(activity: Activity) -> str:
    return _text(ACTIVITY_SENTENCES.get(activity.verb, FALLBACK), activity.actor, activity.title)


def activity_html(activity: Activity, url: str | None = None) -> SafeString:
    template = ACTIVITY_SENTENCES.get(activity.verb, FALLBACK)
    return _html(template, activity.actor, activity.title, activity.url if url is None else url)


def notification_text(notification: Notification) -> str:
    return _text(NOTIFICATION_SENTENCES.get(notification.kind, FALLBACK), notification.actor, notification.title)


def notification_html(notification: Notification, url: str | None = None) -> SafeString:
    template = NOTIFICATION_SENTENCES.get(notification.kind, FALLBACK)
    return _html(template, notification.actor, notification.title, notification.url if url is None else url)


def group_heading(kind: str) -> str:
    return str(NOTIFICATION_GROUPS.get(kind, _("Other notifications")))


FOLLOW_KINDS: dict[str, Promise] = {
    "person": _("Person"),
    "community": _("Community of practice"),
    "topic": _("Topic"),
}


def follow_kind(key: str) -> str:
    kind = key.partition(":")[0]
    return str(FOLLOW_KINDS.get(kind, kind))
