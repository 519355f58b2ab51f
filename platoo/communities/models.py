"""Communities of practice (CoP): who belongs, how far the community has come, what it shares."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from platoo.accounts.models import KMRole
from platoo.lib.visibility import NETWORK_AUDIENCE, community_audience
from platoo.network.models import NetworkLevel


class CommunityVisibility(models.TextChoices):
    PUBLIC = "public", _("Public: anyone sees it and joins")
    CLOSED = "closed", _("Closed: anyone sees it, joining needs an admin's approval")
    SECRET = "secret", _("Secret: only members see it, joining by invitation")


class Stage(models.TextChoices):
    """Wenger, McDermott & Snyder (2002)."""

    POTENTIAL = "potential", _("Potential")
    COALESCING = "coalescing", _("Coalescing")
    MATURING = "maturing", _("Maturing")
    STEWARDSHIP = "stewardship", _("Stewardship")
    TRANSFORMATION = "transformation", _("Transformation")


# The ten-step CoP process the network works through, in the order its hub teaches it.
STEPS: dict[int, Any] = {
    1: _("Map and reflect on lessons learned"),
    2: _("Share and set common goals"),
    3: _("Agree a joint strategy"),
    4: _("Make a coordinated action plan"),
    5: _("Make a network coordination plan"),
    6: _("Act"),
    7: _("Distil lessons"),
    8: _("Adjust indicators, values and culture"),
    9: _("Test and conclude, innovate"),
    10: _("Scale up and manage change"),
}


class CommunityQuerySet(models.QuerySet["Community"]):
    def visible_to(self, user: Any) -> "CommunityQuerySet":
        """The one doorway for reading CoPs: a secret CoP exists only for its members and invitees."""
        open_ = Q(visibility__in=[CommunityVisibility.PUBLIC, CommunityVisibility.CLOSED])
        if user is None or not user.is_authenticated:
            return self.filter(open_)
        if not user.is_active:
            return self.filter(open_)
        if user.is_superuser:
            return self.all()
        mine = Membership.objects.filter(
            user=user, status__in=[Membership.Status.ACTIVE, Membership.Status.INVITED]
        ).values("community_id")
        return self.filter(open_ | Q(pk__in=mine))

    def content_readable_by(self, user: Any) -> "CommunityQuerySet":
        """Communities whose meetings and discussions `user` reads: a public CoP's, for anyone signed in;
        a closed or secret CoP's, for its active members only."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        mine = Membership.objects.filter(user=user, status=Membership.Status.ACTIVE).values("community_id")
        return self.filter(Q(visibility=CommunityVisibility.PUBLIC) | Q(pk__in=mine))


class Community(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True, allow_unicode=True)
    domain = models.CharField(_("domain"), max_length=300, help_text=_("What the community learns about."))
    purpose = models.TextField(_("purpose"), blank=True, help_text=_("Markdown."))
    level = models.PositiveSmallIntegerField(_("network level"), choices=NetworkLevel.choices)
    organizations = models.ManyToManyField(
        "network.Organization", blank=True, related_name="communities", verbose_name=_("organizations")
    )
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=CommunityVisibility.choices, default=CommunityVisibility.PUBLIC
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.POTENTIAL)
    topics = models.ManyToManyField(
        "knowledge.Topic", blank=True, related_name="communities", verbose_name=_("critical-knowledge topics")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Kept by the actions (a post, a reply, a meeting, a share, a join): the health panel and the hub's
    # attention list sort thousands of communities by it.
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True, db_index=True)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("community of practice")
        verbose_name_plural = _("communities of practice")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("communities:detail", args=[self.slug])

    @property
    def content_audience(self) -> str:
        """Who reads the community's meetings and discussions wholesale (platoo.lib.visibility)."""
        if self.visibility == CommunityVisibility.PUBLIC:
            return NETWORK_AUDIENCE
        return community_audience(self.pk)


class StageChange(models.Model):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="stage_changes")
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(_("changed at"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")

    def __str__(self) -> str:
        return f"{self.community} → {self.get_stage_display()}"


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Admin")
        MEMBER = "member", _("Member")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        REQUESTED = "requested", _("Requested to join")
        INVITED = "invited", _("Invited")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_memberships")
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    km_role = models.CharField(_("KM role"), max_length=32, choices=KMRole.choices, blank=True)
    joined_at = models.DateTimeField(_("joined at"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "user"], name="unique_community_membership")]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.community}"

    @property
    def is_active_admin(self) -> bool:
        return self.status == self.Status.ACTIVE and self.role == self.Role.ADMIN


class EmailInvitation(models.Model):
    """A community invited an email address that has no account yet. The sign-up link sent to it
    (an accounts Invitation) proves the address; the account made with it is then invited here."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="email_invitations")
    invitation = models.ForeignKey("accounts.Invitation", on_delete=models.CASCADE, related_name="+")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    linked_at = models.DateTimeField(null=True, blank=True)
    linked_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation by email")
        verbose_name_plural = _("invitations by email")

    def __str__(self) -> str:
        return f"{self.invitation.email} → {self.community}"


class CommunityStep(models.Model):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField(_("step"), choices=[(n, str(n)) for n in STEPS])
    done_on = models.DateField(_("done on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True, help_text=_("Markdown."))
    evidence = models.TextField(_("evidence"), blank=True, help_text=_("One link per line."))

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["community", "number"], name="unique_community_step")]
        verbose_name = _("CoP step")
        verbose_name_plural = _("CoP steps")

    def __str__(self) -> str:
        return f"{self.community} — {self.number}"

    @property
    def title(self) -> Any:
        return STEPS[self.number]

    @property
    def evidence_links(self) -> list[str]:
        return [line.strip() for line in self.evidence.splitlines() if line.strip()]


class SharedItem(models.Model):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="shared_items")
    item = models.ForeignKey("knowledge.KnowledgeItem", on_delete=models.CASCADE, related_name="community_shares")
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    shared_at = models.DateTimeField(_("shared at"))

    class Meta:
        ordering = ["-shared_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["community", "item"], name="unique_community_item")]
        verbose_name = _("shared knowledge item")
        verbose_name_plural = _("shared knowledge items")

    def __str__(self) -> str:
        return f"{self.item} @ {self.community}"


class ContentQuerySet(models.QuerySet[Any]):
    """Meetings and threads: readable where their community's content is (Community.content_readable_by)."""

    def visible_to(self, user: Any) -> "ContentQuerySet":
        return self.filter(community__in=Community.objects.content_readable_by(user))


class Meeting(models.Model):
    """A meeting of a CoP: when and where, its agenda, who came, the note-taker's minutes and an AAR."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_url = models.URLField(_("online meeting link"), blank=True)
    agenda = models.TextField(_("agenda notes"), blank=True, help_text=_("Markdown."))
    minutes = models.TextField(_("minutes"), blank=True, help_text=_("Markdown."))
    minutes_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    minutes_updated_at = models.DateTimeField(null=True, blank=True)
    # Optimistic concurrency for the minutes and the AAR: an edit names the version it started from.
    version = models.PositiveIntegerField(default=1)
    aar_expected = models.TextField(_("What did we expect to happen?"), blank=True)
    aar_happened = models.TextField(_("What actually happened?"), blank=True)
    aar_difference = models.TextField(_("Why was there a difference?"), blank=True)
    aar_next_time = models.TextField(_("What will we do next time?"), blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # A submit's one-time token: a double submit finds the meeting the first one scheduled.
    creation_key = models.CharField(max_length=64, blank=True, editable=False)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["community", "starts_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "creation_key"], condition=~Q(creation_key=""), name="unique_meeting_creation_key"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")),
                name="meeting_ends_after_it_starts",
                violation_error_message=_("A meeting cannot end before it starts."),
            ),
        ]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("communities:meeting", args=[self.community.slug, self.pk])

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def is_held(self, now: Any = None) -> bool:
        """Held: started and not cancelled (the health figures count only these)."""
        return not self.is_cancelled and self.starts_at <= (now or timezone.now())

    @property
    def has_aar(self) -> bool:
        return any((self.aar_expected, self.aar_happened, self.aar_difference, self.aar_next_time))


class AgendaItem(models.Model):
    """One point of a meeting's agenda, optionally presented by someone (evidence of what they know)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("agenda point"), max_length=300)
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="presentations",
        verbose_name=_("presenter"),
    )
    duration_minutes = models.PositiveSmallIntegerField(_("minutes"), null=True, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("agenda point")
        verbose_name_plural = _("agenda points")

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """A person checked in at a meeting (by themselves, or by the note-taker from the list)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_attendances")
    checked_in_at = models.DateTimeField(_("checked in at"))
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["checked_in_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="unique_meeting_attendance")]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self) -> str:
        return f"{self.user} @ {self.meeting}"


class MeetingItem(models.Model):
    """A knowledge item captured from a meeting (จับความรู้): the item links back to where it came from."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="captured")
    item = models.ForeignKey("knowledge.KnowledgeItem", on_delete=models.CASCADE, related_name="meeting_sources")
    captured_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    captured_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["captured_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "item"], name="unique_meeting_item")]
        verbose_name = _("knowledge captured at a meeting")
        verbose_name_plural = _("knowledge captured at meetings")

    def __str__(self) -> str:
        return f"{self.item} ← {self.meeting}"


class Thread(models.Model):
    """A discussion in a CoP; a question can get an accepted answer."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="threads")
    title = models.CharField(_("title"), max_length=250)
    body = models.TextField(_("message"), help_text=_("Markdown; @username mentions a person."))
    is_question = models.BooleanField(_("this is a question"), default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="threads")
    accepted_reply = models.ForeignKey(
        "Reply", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("accepted answer")
    )
    mentioned = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    reply_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)
    # A submit's one-time token: a double submit finds the thread the first one made.
    creation_key = models.CharField(max_length=64, blank=True, editable=False)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["-last_activity_at", "-pk"]
        indexes = [models.Index(fields=["community", "-last_activity_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "creation_key"], condition=~Q(creation_key=""), name="unique_thread_creation_key"
            )
        ]
        verbose_name = _("discussion")
        verbose_name_plural = _("discussions")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("communities:thread", args=[self.community.slug, self.pk])


class Reply(models.Model):
    """A reply in a discussion. A good one can become a knowledge item in one step."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="replies")
    body = models.TextField(_("reply"), help_text=_("Markdown; @username mentions a person."))
    mentioned = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    knowledge_item = models.ForeignKey(
        "knowledge.KnowledgeItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="from_replies"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    creation_key = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "creation_key"], condition=~Q(creation_key=""), name="unique_reply_creation_key"
            )
        ]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:40]}"

    def get_absolute_url(self) -> str:
        return f"{self.thread.get_absolute_url()}#reply-{self.pk}"
