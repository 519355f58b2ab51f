"""The network's events and programme: visits, share-and-show days, the annual fair, workshops.

An event has organizers (who run it), a host organization, sessions with speakers, registrations
(with a waitlist past capacity, a before-action review and check-in at the door), participants'
after-action reviews and a consolidated one, knowledge captured at it, and follow-up actions.
A year's programme of home-and-away visits is planned from the organizations' preferences.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from platoo.lib.visibility import Visibility
from platoo.network.models import is_network_manager


class EventKind(models.TextChoices):
    VISIT = "visit", _("Home-and-away visit")
    SHARE_SHOW = "share_show", _("Share-and-show day")
    FAIR = "fair", _("Annual fair")
    COP_MEETING = "cop_meeting", _("CoP meeting")
    PEER_ASSIST = "peer_assist", _("Peer assist")
    WORKSHOP = "workshop", _("Workshop")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


# Who an event is for: anyone, the network's members, or the host organization's people.
EVENT_VISIBILITIES = [(v.value, v.label) for v in (Visibility.PUBLIC, Visibility.NETWORK, Visibility.ORGANIZATION)]


class EventQuerySet(models.QuerySet["Event"]):
    def visible_to(self, user: Any) -> "EventQuerySet":
        """The one doorway for reading events. Drafts are for their organizers and the hub; a published
        (or cancelled) event reads to anyone (public), to the network's members, or to its host
        organization's people."""
        if user is not None and user.is_authenticated and user.is_active and user.is_superuser:
            return self.all()
        rule = self._published_rule(user)
        if user is None or not user.is_authenticated or not user.is_active:
            return self.filter(rule)
        organizing = Q(pk__in=Event.organizers.through.objects.filter(user_id=user.pk).values("event_id"))
        drafts = Q(status=EventStatus.DRAFT) if is_network_manager(user) else Q(pk__in=[])
        return self.filter(rule | organizing | drafts)

    def published_to(self, user: Any) -> "EventQuerySet":
        """What `user` reads of the published and cancelled events: the half of visible_to that lists,
        links and feeds need (it asks no permission, so it costs no extra query)."""
        if user is not None and user.is_authenticated and user.is_active and user.is_superuser:
            return self.exclude(status=EventStatus.DRAFT)
        return self.filter(self._published_rule(user))

    @staticmethod
    def _published_rule(user: Any) -> Q:
        shown = Q(status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED])
        if user is None or not user.is_authenticated or not user.is_active:
            return shown & Q(visibility=Visibility.PUBLIC)
        rule = Q(visibility__in=[Visibility.PUBLIC, Visibility.NETWORK])
        if user.organization_id:
            rule |= Q(visibility=Visibility.ORGANIZATION, host_id=user.organization_id)
        return shown & rule


class Programme(models.Model):
    """A year's programme of home-and-away visits: drafted by the planner, edited and published by the hub."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    year = models.PositiveSmallIntegerField(_("year (C.E.)"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    # What the planner did and why, step by step, as the page explains it (filled by the planner).
    explanation = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:programme", args=[self.year])


class Event(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices, default=EventKind.WORKSHOP)
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    host = models.ForeignKey(
        "network.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosted_events",
        verbose_name=_("host organization"),
    )
    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("community of practice"),
    )
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty: no limit. Past it, people join a waitlist.")
    )
    topics = models.ManyToManyField(
        "knowledge.Topic", blank=True, related_name="events", verbose_name=_("critical-knowledge topics")
    )
    visibility = models.CharField(
        _("who can see it"), max_length=16, choices=EVENT_VISIBILITIES, default=Visibility.NETWORK
    )
    status = models.CharField(_("status"), max_length=12, choices=EventStatus.choices, default=EventStatus.DRAFT)
    organizers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="organized_events", verbose_name=_("organizers")
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.SET_NULL, null=True, blank=True, related_name="events", verbose_name=_("programme")
    )
    # Set when the plan no longer holds (the host left the network): the hub plans the visit again.
    needs_replanning = models.BooleanField(_("needs re-planning"), default=False)
    replanning_reason = models.CharField(_("why it needs re-planning"), max_length=300, blank=True)
    # The note-taker's consolidated after-action review.
    aar_expected = models.TextField(_("What did we expect to happen?"), blank=True)
    aar_happened = models.TextField(_("What actually happened?"), blank=True)
    aar_difference = models.TextField(_("Why was there a difference?"), blank=True)
    aar_next_time = models.TextField(_("What will we do next time?"), blank=True)
    aar_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    aar_updated_at = models.DateTimeField(null=True, blank=True)
    # Optimistic concurrency for edits of the event and its consolidated AAR.
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Any change a calendar shows (time, place, title, status): its feeds' LAST-MODIFIED and DTSTAMP.
    updated_at = models.DateTimeField(default=timezone.now)
    creation_key = models.CharField(max_length=64, blank=True, editable=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["status", "starts_at"]), models.Index(fields=["host", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")),
                name="event_ends_after_it_starts",
                violation_error_message=_("An event cannot end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["created_by", "creation_key"], condition=~Q(creation_key=""), name="unique_event_creation_key"
            ),
        ]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == EventStatus.PUBLISHED

    @property
    def has_aar(self) -> bool:
        return any((self.aar_expected, self.aar_happened, self.aar_difference, self.aar_next_time))

    def has_started(self, now: Any = None) -> bool:
        return self.starts_at <= (now or timezone.now())


class Session(models.Model):
    """One session of an event's agenda, with its speakers (network people, or guests named in text)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("session"), max_length=300)
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("length (minutes)"), null=True, blank=True)
    room = models.CharField(_("room"), max_length=200, blank=True)
    topic = models.ForeignKey("knowledge.Topic", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    speakers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="event_sessions")
    guest_speakers = models.CharField(_("guest speakers"), max_length=300, blank=True)

    class Meta:
        ordering = ["position", "starts_at", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return self.title


class Registration(models.Model):
    """A person's place at an event (or on its waitlist), their before-action review and check-in."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITLISTED = "waitlisted", _("On the waitlist")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REGISTERED)
    # The organization the person came from, kept as it was (attendance by organization stays true).
    organization = models.ForeignKey(
        "network.Organization", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)
    # Before-action review: what the person wants to learn, and from whom.
    bar_learn = models.TextField(_("What do you want to learn?"), blank=True)
    bar_from_whom = models.TextField(_("From whom?"), blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Checked in at the door without having registered (allowed, and shown).
    walk_in = models.BooleanField(_("walk-in"), default=False)
    # When the reminders went out (before the event; after it, for a missing review): each goes once.
    reminded_at = models.DateTimeField(null=True, blank=True)
    review_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["registered_at", "pk"]
        indexes = [models.Index(fields=["event", "status", "registered_at"])]
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="unique_event_registration")]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")

    def __str__(self) -> str:
        return f"{self.user} @ {self.event}"


class ParticipantReview(models.Model):
    """A participant's own after-action review of an event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="reviews")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_reviews")
    expected = models.TextField(_("What did you expect to happen?"), blank=True)
    happened = models.TextField(_("What actually happened?"), blank=True)
    difference = models.TextField(_("Why was there a difference?"), blank=True)
    next_time = models.TextField(_("What will you do next time?"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="unique_event_review")]
        verbose_name = _("participant's after-action review")
        verbose_name_plural = _("participants' after-action reviews")

    def __str__(self) -> str:
        return f"{self.user} on {self.event}"


class EventItem(models.Model):
    """Knowledge captured at an event (จับความรู้): the item links back to the event and its speakers."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="captured")
    item = models.ForeignKey("knowledge.KnowledgeItem", on_delete=models.CASCADE, related_name="event_sources")
    captured_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    captured_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["captured_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "item"], name="unique_event_item")]
        verbose_name = _("knowledge captured at an event")
        verbose_name_plural = _("knowledge captured at events")

    def __str__(self) -> str:
        return f"{self.item} ← {self.event}"


class FollowUp(models.Model):
    """Something to do after an event, with who does it and by when."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="follow_ups")
    action = models.CharField(_("follow-up action"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_follow_ups",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["done_at", "due_on", "pk"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")

    def __str__(self) -> str:
        return self.action


class Submission(models.Model):
    """An innovation or best practice put forward for a share-and-show day, linked to its knowledge item."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="submissions")
    submitter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    organization = models.ForeignKey(
        "network.Organization", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    item = models.ForeignKey(
        "knowledge.KnowledgeItem",
        on_delete=models.CASCADE,
        related_name="submissions",
        verbose_name=_("knowledge item"),
    )
    title = models.CharField(_("title"), max_length=250)
    summary = models.TextField(_("what will be shown"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    session = models.ForeignKey(
        Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="submissions", verbose_name=_("slot")
    )
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "item"], name="unique_event_submission")]
        verbose_name = _("share-and-show submission")
        verbose_name_plural = _("share-and-show submissions")

    def __str__(self) -> str:
        return self.title


class Vote(models.Model):
    """An attendee's vote (1–5) and feedback on what was shown."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(_("score (1–5)"))
    comment = models.TextField(_("feedback"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "user"], name="unique_submission_vote"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="vote_score_1_to_5"),
        ]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")

    def __str__(self) -> str:
        return f"{self.user}: {self.score}"


class HostPreference(models.Model):
    """An organization's word on hosting visits in a year: it declines, or some months do not suit it."""

    organization = models.ForeignKey("network.Organization", on_delete=models.CASCADE, related_name="host_preferences")
    year = models.PositiveSmallIntegerField(_("year (C.E.)"))
    declines = models.BooleanField(_("declines to host this year"), default=False)
    unavailable_months = models.JSONField(_("months it cannot host"), default=list, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="unique_host_preference")]
        verbose_name = _("hosting preference")
        verbose_name_plural = _("hosting preferences")

    def __str__(self) -> str:
        return f"{self.organization} {self.year}"


class TopicInterest(models.Model):
    """What an organization wants to learn, or is strong in: the planner balances the two."""

    class Kind(models.TextChoices):
        WANT = "want", _("Wants to learn")
        STRENGTH = "strength", _("Is strong in")

    organization = models.ForeignKey("network.Organization", on_delete=models.CASCADE, related_name="topic_interests")
    topic = models.ForeignKey("knowledge.Topic", on_delete=models.CASCADE, related_name="interests")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "topic", "kind"], name="unique_topic_interest")]
        verbose_name = _("topic interest")
        verbose_name_plural = _("topic interests")

    def __str__(self) -> str:
        return f"{self.organization} {self.kind} {self.topic}"


class CalendarToken(models.Model):
    """The secret in a person's calendar-feed addresses: calendar apps cannot sign in, so the address is
    the key. Only a random nonce is stored; the address adds an HMAC of it (calendars.py), so a copy of
    the database alone opens no feed. Resetting it replaces the nonce and every old address stops."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="calendar_token"
    )
    nonce = models.CharField(max_length=32, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("calendar address")
        verbose_name_plural = _("calendar addresses")

    def __str__(self) -> str:
        return f"{self.user} ({self.nonce[:6]}…)"
