"""Following, the activity feed and notifications.

This app sits just above accounts: the apps above it (network, knowledge, communities) record what
happens and whom to tell through `actions.record` and `actions.notify`, and say what can be followed
through `registry`. It never imports them. Things are named by keys such as "community:12", "person:3"
and "topic:7"; an activity lists the keys it is about, and a follow is a person's interest in a key.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Follow(models.Model):
    """A person follows a person, a community or a topic (named by its key)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    key = models.CharField(_("followed"), max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="unique_follow")]
        indexes = [models.Index(fields=["key"])]
        verbose_name = _("follow")
        verbose_name_plural = _("follows")

    def __str__(self) -> str:
        return f"{self.user} → {self.key}"


class Verb(models.TextChoices):
    """What happened, for the feed."""

    ITEM_CREATED = "item_created", _("wrote")
    THREAD_STARTED = "thread_started", _("started a discussion")
    REPLIED = "replied", _("replied to")
    MEETING_SCHEDULED = "meeting_scheduled", _("scheduled a meeting")
    MINUTES_WRITTEN = "minutes_written", _("wrote the minutes of")
    ITEM_SHARED = "item_shared", _("shared")
    ITEM_CAPTURED = "item_captured", _("captured knowledge from")
    JOINED = "joined", _("joined")
    STAGE_CHANGED = "stage_changed", _("moved to a new stage:")
    COMMUNITY_STARTED = "community_started", _("started the community")


class Activity(models.Model):
    """Something that happened, shown in the feeds of the people following any of its subjects."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    verb = models.CharField(_("verb"), max_length=32, choices=Verb.choices)
    title = models.CharField(_("title"), max_length=300)
    url = models.CharField(max_length=500)
    # The thing it happened to ("item:12", "thread:4"), so a change of who may read it, or its deletion,
    # reaches its activities (set_audience, forget).
    target = models.CharField(max_length=64, blank=True, db_index=True)
    # Who reads it (platoo.lib.visibility audiences): a feed shows only what its reader's audiences cover.
    audience = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return f"{self.actor} {self.verb} {self.title}"


class ActivitySubject(models.Model):
    """One key an activity is about: the community it happened in, its author, its topics."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="subjects")
    key = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "activity"], name="unique_activity_subject")]
        verbose_name = _("activity subject")
        verbose_name_plural = _("activity subjects")

    def __str__(self) -> str:
        return self.key


class NotificationKind(models.TextChoices):
    INVITATION = "invitation", _("Invitation to a community")
    JOIN_REQUEST = "join_request", _("Request to join a community you admin")
    REQUEST_APPROVED = "request_approved", _("Your request to join was approved")
    MEETING = "meeting", _("New meeting in your community")
    REPLY = "reply", _("Reply in a discussion you take part in")
    MENTION = "mention", _("Mention")
    ANSWER_ACCEPTED = "answer_accepted", _("Your answer was accepted")


class Notification(models.Model):
    """Something one person should know about: shown in the app, and emailed as they chose."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    title = models.CharField(_("title"), max_length=300)
    url = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"]), models.Index(fields=["recipient", "-created_at"])]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"{self.recipient}: {self.kind} {self.title}"
