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
    """What happened, for the feed (sentences.py says each one in full). `title` is what it happened to:
    the item, discussion or meeting; the community for joined, stage_changed and community_started."""

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
    EVENT_PUBLISHED = "event_published", _("published the event")


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
    """Why a person is told; `title` names the community (invitation, join request, approval), the meeting,
    or the discussion (reply, mention, accepted answer)."""

    INVITATION = "invitation", _("Invitation to a community")
    JOIN_REQUEST = "join_request", _("Request to join a community you admin")
    REQUEST_APPROVED = "request_approved", _("Your request to join was approved")
    MEETING = "meeting", _("New meeting in your community")
    REPLY = "reply", _("Reply in a discussion you take part in")
    MENTION = "mention", _("Mention")
    ANSWER_ACCEPTED = "answer_accepted", _("Your answer was accepted")
    EVENT_CHANGED = "event_changed", _("An event you registered for changed or was cancelled")
    WAITLIST_PROMOTED = "waitlist_promoted", _("A place opened for you at an event")
    EVENT_REMINDER = "event_reminder", _("Reminder of an event you registered for")
    AAR_REMINDER = "aar_reminder", _("Reminder to write your after-action review")
    SUBMISSION_DECIDED = "submission_decided", _("Your share-and-show submission was decided")
    REVIEW_REQUESTED = "review_requested", _("Knowledge waits for your expert panel's review")
    CYCLE_MOVED = "cycle_moved", _("Your critical knowledge moved in the cycle")
    REVERIFY_DUE = "reverify_due", _("Verified knowledge is due for re-verification")
    APPLIED = "applied", _("Another organization applied your knowledge")


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


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", _("Right away: one email for each notification")
    DAILY = "daily", _("A daily digest")
    WEEKLY = "weekly", _("A weekly digest")
    OFF = "off", _("No email: notifications on the site only")


DIGEST_MODES = (EmailMode.DAILY, EmailMode.WEEKLY)


class DeliveryPreference(models.Model):
    """How one person wants notifications emailed (in the app they always appear). Made on first use."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="delivery_preference"
    )
    email_mode = models.CharField(_("email"), max_length=16, choices=EmailMode.choices, default=EmailMode.IMMEDIATE)
    language = models.CharField(
        _("language of emails"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # The next digest covers unread, unemailed notifications from here on: moved on by each digest, and
    # when digests are switched on, so a person who had email off is not sent their whole backlog.
    digest_since = models.DateTimeField(default=timezone.now)
    # When the last digest went out; a digest run claims the person by moving it (delivery.py).
    last_digest_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("delivery preference")
        verbose_name_plural = _("delivery preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.email_mode}"
