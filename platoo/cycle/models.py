"""The critical knowledge cycle: from a captured story to a verified standard, a manual and a curriculum.

An item the network marks as critical gets a `CriticalKnowledge` row that carries it through the
stages (captured → categorized → in expert review → verified → analyzed → synthesized → applied →
standardized; returned, rejected, archived and superseded on the side). Every move is a `Transition`,
the item's timeline. Expert panels (คลังสมอง) per topic review it in `ReviewRound`s, one `Review` per
panel member; a verified item is re-verified every so many months. Verified items are drawn together
in a `Synthesis`, `Application`s record other members using them (the knowledge flow), and the brain
trust assembles `Manual`s (work manuals and training curricula) released in immutable `Release`s.

The rules about one row live here (which move is legal, when re-verification is due); the writes that
span rows live in actions.py.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from platoo.knowledge.models import KnowledgeItem, Topic
from platoo.lib.visibility import Visibility


class Stage(models.TextChoices):
    CAPTURED = "captured", _("Captured")
    CATEGORIZED = "categorized", _("Categorized")
    IN_REVIEW = "in_review", _("In expert review")
    RETURNED = "returned", _("Returned for revision")
    REJECTED = "rejected", _("Rejected")
    VERIFIED = "verified", _("Verified")
    ANALYZED = "analyzed", _("Analyzed")
    SYNTHESIZED = "synthesized", _("Synthesized")
    APPLIED = "applied", _("Applied")
    STANDARDIZED = "standardized", _("Standardized")
    ARCHIVED = "archived", _("Archived")
    SUPERSEDED = "superseded", _("Superseded")


# The main line, in order (the timeline and the dashboard draw it so).
MAIN_LINE = [
    Stage.CAPTURED,
    Stage.CATEGORIZED,
    Stage.IN_REVIEW,
    Stage.VERIFIED,
    Stage.ANALYZED,
    Stage.SYNTHESIZED,
    Stage.APPLIED,
    Stage.STANDARDIZED,
]
# Stages in which the panel has vouched for the item's content.
VERIFIED_STAGES = frozenset({Stage.VERIFIED, Stage.ANALYZED, Stage.SYNTHESIZED, Stage.APPLIED, Stage.STANDARDIZED})
ENDED_STAGES = frozenset({Stage.REJECTED, Stage.ARCHIVED, Stage.SUPERSEDED})


class Role(models.TextChoices):
    """Who may make a move: the item's authors, the hub (network managers), the topic panel's members,
    its chair."""

    AUTHOR = "author", _("an author of the item")
    HUB = "hub", _("the network's hub")
    PANEL = "panel", _("a member of the topic's expert panel")
    CHAIR = "chair", _("the chair of the topic's expert panel")


@dataclass(frozen=True)
class Move:
    name: str
    label: Any  # lazy translation
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    needs_reason: bool = False


def _move(name: str, label: Any, sources: set[str], target: str, roles: set[str], needs_reason: bool = False) -> Move:
    return Move(name, label, frozenset(sources), target, frozenset(roles), needs_reason)


# Every legal move. Review verdicts (verified, returned, rejected) come from a review round with a quorum
# (actions.do_decide), never from a plain move; "synthesized" and "applied" also follow from a synthesis or
# an application being recorded (actions), and can be set by hand by those listed here.
MOVES: dict[str, Move] = {
    move.name: move
    for move in [
        _move("categorize", _("Categorize"), {Stage.CAPTURED}, Stage.CATEGORIZED, {Role.AUTHOR, Role.HUB, Role.PANEL}),
        _move("submit", _("Send to the expert panel"), {Stage.CATEGORIZED}, Stage.IN_REVIEW, {Role.AUTHOR, Role.HUB}),
        _move("resubmit", _("Send back to the panel"), {Stage.RETURNED}, Stage.IN_REVIEW, {Role.AUTHOR, Role.HUB}),
        _move(
            "reverify",
            _("Re-verify"),
            set(VERIFIED_STAGES),
            Stage.IN_REVIEW,
            {Role.HUB, Role.PANEL},
        ),
        _move(
            "analyze", _("Mark analyzed"), {Stage.VERIFIED}, Stage.ANALYZED, {Role.HUB, Role.PANEL}, needs_reason=True
        ),
        _move(
            "synthesize",
            _("Mark synthesized"),
            {Stage.VERIFIED, Stage.ANALYZED},
            Stage.SYNTHESIZED,
            {Role.HUB, Role.PANEL},
            needs_reason=True,
        ),
        _move(
            "apply",
            _("Mark applied"),
            {Stage.VERIFIED, Stage.ANALYZED, Stage.SYNTHESIZED},
            Stage.APPLIED,
            {Role.HUB, Role.PANEL},
            needs_reason=True,
        ),
        _move(
            "standardize",
            _("Raise into a work standard"),
            {Stage.VERIFIED, Stage.ANALYZED, Stage.SYNTHESIZED, Stage.APPLIED},
            Stage.STANDARDIZED,
            {Role.HUB, Role.CHAIR},
            needs_reason=True,
        ),
        _move(
            "archive",
            _("Archive"),
            set(Stage.values) - {Stage.ARCHIVED, Stage.SUPERSEDED},
            Stage.ARCHIVED,
            {Role.HUB, Role.CHAIR},
            needs_reason=True,
        ),
        _move(
            "supersede",
            _("Mark superseded"),
            set(VERIFIED_STAGES),
            Stage.SUPERSEDED,
            {Role.HUB, Role.CHAIR},
            needs_reason=True,
        ),
        _move(
            "reopen", _("Reopen"), {Stage.REJECTED, Stage.ARCHIVED}, Stage.CATEGORIZED, {Role.HUB}, needs_reason=True
        ),
    ]
}


class KnowledgeType(models.TextChoices):
    TACIT = "tacit", _("Tacit knowledge made explicit")
    EXPLICIT = "explicit", _("Explicit knowledge")


class Source(models.TextChoices):
    VISIT = "visit", _("Home-and-away visit")
    COP = "cop", _("Community of practice")
    SHARE_SHOW = "share_show", _("Share-and-show day")
    INTERVIEW = "interview", _("Interview")
    DOCUMENT = "document", _("Document")
    OTHER = "other", _("Other")


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Everyone in the network")
    PRACTITIONERS = "practitioners", _("Practitioners (คุณกิจ)")
    FACILITATORS = "facilitators", _("Facilitators (คุณอำนวย)")
    EXECUTIVES = "executives", _("Executives (คุณเอื้อ)")
    NEWCOMERS = "newcomers", _("New staff")


class Priority(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    CAUTION = "caution", _("Caution")
    INFORMATION = "information", _("Information")
    GOOD_PRACTICE = "good_practice", _("Good practice")


class Panel(models.Model):
    """An expert panel (คลังสมอง) for a topic and everything under it: 5–7 experts, one of them the chair."""

    topic = models.OneToOneField(Topic, verbose_name=_("topic"), on_delete=models.PROTECT, related_name="panel")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("what the panel looks after"), blank=True)
    quorum = models.PositiveSmallIntegerField(_("quorum"), default=3, help_text=_("How many reviews a verdict needs."))
    reverify_months = models.PositiveSmallIntegerField(
        _("re-verify every (months)"), default=12, help_text=_("How long a verification stays current.")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(quorum__gte=1), name="panel_quorum_at_least_one"),
            models.CheckConstraint(
                condition=Q(reverify_months__gte=1, reverify_months__lte=60), name="panel_reverify_months_range"
            ),
        ]
        verbose_name = _("expert panel")
        verbose_name_plural = _("expert panels")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cycle:panel", args=[self.pk])

    def member_ids(self) -> set[int]:
        if "members" in getattr(self, "_prefetched_objects_cache", {}):
            return {member.user_id for member in self.members.all()}
        return set(self.members.values_list("user_id", flat=True))

    def chair_id(self) -> int | None:
        if "members" in getattr(self, "_prefetched_objects_cache", {}):
            return next((member.user_id for member in self.members.all() if member.is_chair), None)
        return self.members.filter(is_chair=True).values_list("user_id", flat=True).first()

    def is_member(self, user: Any) -> bool:
        return bool(user.is_authenticated and user.is_active and user.pk in self.member_ids())

    def is_chair(self, user: Any) -> bool:
        return bool(user.is_authenticated and user.is_active and user.pk == self.chair_id())


class PanelMember(models.Model):
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="panel_memberships")
    is_chair = models.BooleanField(_("chair"), default=False)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-is_chair", "joined_at"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "user"], name="unique_panel_member"),
            models.UniqueConstraint(fields=["panel"], condition=Q(is_chair=True), name="one_chair_per_panel"),
        ]
        verbose_name = _("panel member")
        verbose_name_plural = _("panel members")

    def __str__(self) -> str:
        return f"{self.panel}: {self.user}"


class CriticalKnowledgeQuerySet(models.QuerySet["CriticalKnowledge"]):
    def current(self, today: datetime.date | None = None) -> "CriticalKnowledgeQuerySet":
        """Verified and not yet due for re-verification: what the network vouches for today."""
        today = today or timezone.localdate()
        return self.filter(stage__in=VERIFIED_STAGES, reverify_due__gt=today)

    def due(self, today: datetime.date | None = None) -> "CriticalKnowledgeQuerySet":
        """Verified once, and now past the date it should have been verified again."""
        today = today or timezone.localdate()
        return self.filter(stage__in=VERIFIED_STAGES, reverify_due__lte=today)


class CriticalKnowledge(models.Model):
    """A knowledge item the network marked as critical, and where it stands in the cycle."""

    item = models.OneToOneField(KnowledgeItem, on_delete=models.CASCADE, primary_key=True, related_name="critical")
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.CAPTURED)
    stage_since = models.DateTimeField(_("in this stage since"), default=timezone.now)
    # Categorizing.
    topic = models.ForeignKey(
        Topic, verbose_name=_("main topic"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    knowledge_type = models.CharField(_("type of knowledge"), max_length=16, choices=KnowledgeType.choices, blank=True)
    audience = models.CharField(_("for whom"), max_length=16, choices=Audience.choices, blank=True)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, blank=True)
    owner = models.ForeignKey(
        "network.Organization",
        verbose_name=_("owner organization"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    priority = models.CharField(_("priority"), max_length=16, choices=Priority.choices, blank=True)
    # Review: the panel it goes to (the panel of its topic or of the nearest topic above it), and where the
    # review started from, so a re-review can show the panel what changed.
    panel = models.ForeignKey(
        Panel, verbose_name=_("expert panel"), on_delete=models.PROTECT, null=True, blank=True, related_name="items"
    )
    stage_before_review = models.CharField(max_length=16, choices=Stage.choices, blank=True, editable=False)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True, editable=False)
    verified_version = models.PositiveIntegerField(null=True, blank=True, editable=False)
    reverify_due = models.DateField(_("re-verify by"), null=True, blank=True, editable=False)
    reverify_reminded_on = models.DateField(null=True, blank=True, editable=False)
    superseded_by = models.ForeignKey(
        KnowledgeItem,
        verbose_name=_("superseded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supersedes",
    )
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    marked_at = models.DateTimeField(default=timezone.now, editable=False)
    # Two moves at once: each must name the version it moved from (one UPDATE checks and bumps it).
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = CriticalKnowledgeQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["stage", "topic"]),
            models.Index(fields=["panel", "stage"]),
            models.Index(fields=["reverify_due"]),
        ]
        verbose_name = _("critical knowledge")
        verbose_name_plural = _("critical knowledge")

    def __str__(self) -> str:
        return f"{self.item_id}: {self.stage}"

    @property
    def is_verified(self) -> bool:
        return self.stage in VERIFIED_STAGES

    def needs_reverification(self, today: datetime.date | None = None) -> bool:
        return (
            self.is_verified and self.reverify_due is not None and self.reverify_due <= (today or timezone.localdate())
        )

    def missing_categories(self) -> list[str]:
        """The categorizing fields still empty (a move to "categorized" needs them all)."""
        values = {
            "topic": self.topic_id,
            "knowledge_type": self.knowledge_type,
            "audience": self.audience,
            "source": self.source,
            "owner": self.owner_id,
            "priority": self.priority,
        }
        return [
            str(getattr(self._meta.get_field(name), "verbose_name", name))
            for name, value in values.items()
            if not value
        ]


class Transition(models.Model):
    """One move of an item through the cycle: who, when, why. The item's timeline."""

    critical = models.ForeignKey(CriticalKnowledge, on_delete=models.CASCADE, related_name="transitions")
    from_stage = models.CharField(max_length=16, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=16, choices=Stage.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    reason = models.TextField(_("why"), blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["critical", "at"]), models.Index(fields=["to_stage", "at"])]
        verbose_name = _("move in the cycle")
        verbose_name_plural = _("moves in the cycle")

    def __str__(self) -> str:
        return f"{self.critical_id}: {self.from_stage} → {self.to_stage}"


class RoundKind(models.TextChoices):
    FIRST = "first", _("Verification")
    RESUBMITTED = "resubmitted", _("Revised and sent back")
    CHANGED = "changed", _("Re-review after an edit")
    REVERIFY = "reverify", _("Re-verification")


class Outcome(models.TextChoices):
    VERIFIED = "verified", _("Verified")
    RETURNED = "returned", _("Returned for revision")
    REJECTED = "rejected", _("Rejected")


class ReviewRound(models.Model):
    """One review of an item by its panel: open until the chair (or the hub) records a verdict with a quorum."""

    critical = models.ForeignKey(CriticalKnowledge, on_delete=models.CASCADE, related_name="rounds")
    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="rounds")
    kind = models.CharField(max_length=16, choices=RoundKind.choices, default=RoundKind.FIRST)
    item_version = models.PositiveIntegerField()  # the item's version the panel is reviewing
    base_version = models.PositiveIntegerField(null=True, blank=True)  # what was verified before (diff from it)
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    decision_note = models.TextField(_("verdict note"), blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["critical"], condition=Q(closed_at__isnull=True), name="one_open_round_per_item"
            )
        ]
        indexes = [models.Index(fields=["panel", "closed_at"])]
        verbose_name = _("review round")
        verbose_name_plural = _("review rounds")

    def __str__(self) -> str:
        return f"{self.critical_id} ({self.kind})"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Recommendation(models.TextChoices):
    VERIFY = "verify", _("Verify it")
    REVISE = "revise", _("Return it for revision")
    REJECT = "reject", _("Reject it")


SCORE_CHOICES = [(n, str(n)) for n in range(1, 6)]


class Review(models.Model):
    """One expert's structured review in a round."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cycle_reviews")
    accuracy = models.PositiveSmallIntegerField(_("accuracy"), choices=SCORE_CHOICES)
    applicability = models.PositiveSmallIntegerField(_("applicability to other organizations"), choices=SCORE_CHOICES)
    evidence = models.PositiveSmallIntegerField(_("strength of the evidence"), choices=SCORE_CHOICES)
    risks = models.TextField(_("risks"), blank=True, max_length=4000)
    comments = models.TextField(_("comments"), blank=True, max_length=8000)
    recommendation = models.CharField(_("recommendation"), max_length=16, choices=Recommendation.choices)
    item_version = models.PositiveIntegerField(editable=False)  # what the reviewer read (an edit makes it stale)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["round", "reviewer"], name="one_review_per_reviewer"),
            models.CheckConstraint(
                condition=Q(accuracy__range=(1, 5), applicability__range=(1, 5), evidence__range=(1, 5)),
                name="review_scores_one_to_five",
            ),
        ]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"{self.reviewer} on {self.round}"


class Synthesis(models.Model):
    """A synthesis of several verified items: itself a knowledge item (and critical knowledge in the cycle)."""

    item = models.OneToOneField(KnowledgeItem, on_delete=models.CASCADE, primary_key=True, related_name="synthesis")
    conditions = models.TextField(_("conditions for success"), blank=True)
    failures = models.TextField(_("where it did not work"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("synthesis")
        verbose_name_plural = _("syntheses")

    def __str__(self) -> str:
        return str(self.item)

    def get_absolute_url(self) -> str:
        return reverse("cycle:synthesis", args=[self.pk])


class SynthesisSource(models.Model):
    """A knowledge asset (ขุมความรู้) a synthesis draws on. Items cited here cannot be deleted."""

    synthesis = models.ForeignKey(Synthesis, on_delete=models.CASCADE, related_name="sources")
    item = models.ForeignKey(KnowledgeItem, on_delete=models.PROTECT, related_name="cited_by_syntheses")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["synthesis", "item"], name="unique_synthesis_source")]
        verbose_name = _("source of a synthesis")
        verbose_name_plural = _("sources of syntheses")

    def __str__(self) -> str:
        return f"{self.synthesis_id} ← {self.item_id}"

    def citation(self) -> str:
        """What cites the item, for the message refusing to delete it (knowledge.actions.do_delete_item)."""
        return _("the synthesis “%(title)s”") % {"title": self.synthesis.item.title}


class ClaimKind(models.TextChoices):
    PRINCIPLE = "principle", _("Core principle")
    CONDITION = "condition", _("Condition for success")
    FAILURE = "failure", _("Where it failed")


class Claim(models.Model):
    """One statement of a synthesis (a core principle, a condition, a failure), with the items it rests on."""

    synthesis = models.ForeignKey(Synthesis, on_delete=models.CASCADE, related_name="claims")
    kind = models.CharField(_("kind"), max_length=16, choices=ClaimKind.choices, default=ClaimKind.PRINCIPLE)
    text = models.TextField(_("statement"), max_length=4000)
    position = models.PositiveSmallIntegerField(default=0)
    sources = models.ManyToManyField(SynthesisSource, verbose_name=_("rests on"), related_name="claims")

    class Meta:
        ordering = ["kind", "position", "pk"]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")

    def __str__(self) -> str:
        return self.text[:60]


class ApplicationResult(models.TextChoices):
    WORKED = "worked", _("It worked")
    PARTLY = "partly", _("It partly worked")
    DID_NOT_WORK = "did_not_work", _("It did not work")
    TOO_EARLY = "too_early", _("Too early to say")


class Application(models.Model):
    """A member organization applied a piece of knowledge: who learned from whom."""

    item = models.ForeignKey(KnowledgeItem, on_delete=models.PROTECT, related_name="applications")
    organization = models.ForeignKey(
        "network.Organization", verbose_name=_("applied by"), on_delete=models.PROTECT, related_name="applications"
    )
    # Where the knowledge came from when it was applied (the item's organization then), kept for the flow map.
    learned_from = models.ForeignKey(
        "network.Organization", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    applied_on = models.DateField(_("applied on"))
    where = models.CharField(_("where (unit, place)"), max_length=250)
    adaptation = models.TextField(_("how it was adapted"), max_length=8000, blank=True)
    result = models.CharField(_("result"), max_length=16, choices=ApplicationResult.choices)
    result_note = models.TextField(_("what came of it"), max_length=8000, blank=True)
    evidence = models.TextField(_("evidence"), max_length=4000, blank=True, help_text=_("Figures, documents, links."))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    # The form's one-time token (or an API idempotency key): a repeated submit finds this application.
    creation_key = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-applied_on", "-pk"]
        indexes = [
            models.Index(fields=["organization", "applied_on"]),
            models.Index(fields=["applied_on"]),
            models.Index(fields=["learned_from", "applied_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recorded_by", "creation_key"],
                condition=~Q(creation_key=""),
                name="unique_application_creation_key",
            )
        ]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self) -> str:
        return f"{self.organization} applied {self.item_id}"


MANUAL_VISIBILITIES = [(v.value, v.label) for v in (Visibility.PUBLIC, Visibility.NETWORK)]


class ManualKind(models.TextChoices):
    MANUAL = "manual", _("Work manual")
    CURRICULUM = "curriculum", _("Training curriculum")


class Manual(models.Model):
    """A work manual (คู่มือปฏิบัติงาน) or a training curriculum (หลักสูตร) the brain trust assembles from
    standardized knowledge. Its draft is edited freely; readers see its releases."""

    kind = models.CharField(_("kind"), max_length=16, choices=ManualKind.choices, default=ManualKind.MANUAL)
    title = models.CharField(_("title"), max_length=250)
    panel = models.ForeignKey(Panel, verbose_name=_("brain trust"), on_delete=models.PROTECT, related_name="manuals")
    # Who reads its releases. A release's PDF and EPUB carry only the items this audience may read; an HTML
    # reader sees, besides, what they themselves may read.
    visibility = models.CharField(
        _("who can read it"), max_length=16, choices=MANUAL_VISIBILITIES, default=Visibility.NETWORK
    )
    front_matter = models.TextField(
        _("front matter"), blank=True, help_text=_("Foreword, purpose, how to use it (Markdown).")
    )
    # A curriculum's learning outcomes (one per line).
    outcomes = models.TextField(_("learning outcomes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["title"]
        verbose_name = _("manual or curriculum")
        verbose_name_plural = _("manuals and curricula")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cycle:manual", args=[self.pk])


class Section(models.Model):
    """A chapter (no parent) or a section of a chapter in a manual's draft; in a curriculum, a session."""

    manual = models.ForeignKey(Manual, on_delete=models.CASCADE, related_name="sections")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(_("title"), max_length=250)
    body = models.TextField(_("text"), blank=True, help_text=_("Markdown"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), null=True, blank=True)
    items = models.ManyToManyField(KnowledgeItem, through="SectionItem", related_name="manual_sections", blank=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return self.title


class SectionItem(models.Model):
    """A knowledge item a section uses. Items cited here cannot be deleted."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="section_items")
    item = models.ForeignKey(KnowledgeItem, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["section", "item"], name="unique_section_item")]

    def __str__(self) -> str:
        return f"{self.section_id} ← {self.item_id}"

    def citation(self) -> str:
        """What cites the item, for the message refusing to delete it (knowledge.actions.do_delete_item)."""
        return _("the section “%(section)s” of “%(manual)s”") % {
            "section": self.section.title,
            "manual": self.section.manual.title,
        }


class BuildStatus(models.TextChoices):
    PENDING = "pending", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("The build failed")


# What may still change on a release once it exists: its files, as the background builds make them.
RELEASE_BUILD_FIELDS = frozenset({"pdf", "pdf_status", "epub", "epub_status", "build_error"})


class ReleaseIsFinal(Exception):
    """A release is never edited or deleted (only its PDF and EPUB builds are recorded on it)."""


class ReleaseQuerySet(models.QuerySet["Release"]):
    def update(self, **kwargs: Any) -> int:
        other = set(kwargs) - RELEASE_BUILD_FIELDS
        if other:
            raise ReleaseIsFinal(f"A release cannot be changed ({', '.join(sorted(other))}); make a new one.")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ReleaseIsFinal("A release cannot be deleted.")

    delete.queryset_only = True  # type: ignore[attr-defined]


class Release(models.Model):
    """An immutable, numbered release of a manual: its whole content frozen as it was released.

    The model refuses to save a release twice or to delete one (and so does its queryset); the builds
    record their files with a queryset update of RELEASE_BUILD_FIELDS only."""

    manual = models.ForeignKey(Manual, on_delete=models.PROTECT, related_name="releases")
    number = models.PositiveIntegerField()
    version_label = models.CharField(_("version"), max_length=32)
    released_on = models.DateField(_("release date"))
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    approvers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), related_name="+")
    notes = models.TextField(_("release notes"), blank=True)
    # The frozen content: title, front matter, outcomes, chapters and sections with the texts of the items
    # they use, as the release saw them (later edits of an item do not change a release).
    content = models.JSONField(editable=False)
    content_digest = models.CharField(max_length=64, editable=False)
    pdf = models.FileField(upload_to="releases/", blank=True, editable=False)
    pdf_status = models.CharField(max_length=16, choices=BuildStatus.choices, default=BuildStatus.PENDING)
    epub = models.FileField(upload_to="releases/", blank=True, editable=False)
    epub_status = models.CharField(max_length=16, choices=BuildStatus.choices, default=BuildStatus.PENDING)
    build_error = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["manual", "-number"]
        constraints = [models.UniqueConstraint(fields=["manual", "number"], name="unique_release_number")]
        verbose_name = _("release")
        verbose_name_plural = _("releases")

    def __str__(self) -> str:
        return f"{self.manual} {self.version_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ReleaseIsFinal("A release cannot be changed; make a new one.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("cycle:release", args=[self.manual_id, self.number])

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ReleaseIsFinal("A release cannot be deleted.")
