"""Expert review: each panel member's structured review, the verdict with a quorum, and re-verification."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from platoo.accounts.evidence import evidence_changed
from platoo.accounts.models import User
from platoo.activity.models import NotificationKind
from platoo.knowledge.models import KnowledgeItem
from platoo.lib.text import clean_text

from ..access import is_hub, panel_size_problem
from ..models import (
    CriticalKnowledge,
    Outcome,
    Panel,
    PanelMember,
    Recommendation,
    Review,
    ReviewRound,
    Stage,
)
from .stages import MAX_REASON, _record, _tell_authors, _tell_panel, reverify_due_date


@dataclass
class ReviewData:
    accuracy: int
    applicability: int
    evidence: int
    recommendation: str
    risks: str = ""
    comments: str = ""


def review_problem(actor: object, review_round: ReviewRound) -> str:
    """Why `actor` may not review in this round ("" when they may)."""
    user = actor
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return _("Sign in to review.")
    if not review_round.is_open:
        return _("This review round is closed.")
    critical = review_round.critical
    if critical.item.is_author(user):
        return _("You are an author of this knowledge: an author never reviews their own item.")
    if not review_round.panel.is_member(user):
        return _("Only the members of the panel “%(panel)s” review this knowledge.") % {
            "panel": review_round.panel.name
        }
    if not KnowledgeItem.objects.visible_to(user).filter(pk=critical.item_id).exists():
        return _("You cannot read this item, so you cannot review it.")
    return ""


@transaction.atomic
def do_review(actor: User, review_round: ReviewRound, data: ReviewData) -> Review:
    """Submit (or, while the round is open, change) one's review of the version under review."""
    locked = ReviewRound.objects.select_for_update().select_related("critical__item", "panel").get(pk=review_round.pk)
    if problem := review_problem(actor, locked):
        raise PermissionDenied(problem)
    errors: dict[str, str] = {}
    for name in ("accuracy", "applicability", "evidence"):
        value = getattr(data, name)
        if not isinstance(value, int) or not 1 <= value <= 5:
            errors[name] = _("Give a score from 1 to 5.")
    if data.recommendation not in Recommendation.values:
        errors["recommendation"] = _("Choose a recommendation.")
    risks, comments = clean_text(data.risks).strip(), clean_text(data.comments).strip()
    if data.recommendation in (Recommendation.REVISE, Recommendation.REJECT) and not comments:
        errors["comments"] = _("Say what should change, or why it should not be verified.")
    if len(risks) > 4000 or len(comments) > 8000:
        errors["comments"] = _("Keep the review under 8,000 characters.")
    if errors:
        raise ValidationError(errors)
    review, _created = Review.objects.update_or_create(
        round=locked,
        reviewer=actor,
        defaults={
            "accuracy": data.accuracy,
            "applicability": data.applicability,
            "evidence": data.evidence,
            "recommendation": data.recommendation,
            "risks": risks,
            "comments": comments,
            "item_version": locked.item_version,
            "submitted_at": timezone.now(),
        },
    )
    return review


def counted_reviews(review_round: ReviewRound) -> list[Review]:
    """The reviews that count toward the quorum: of the version under review, by current panel members."""
    members = PanelMember.objects.filter(panel_id=review_round.panel_id).values("user_id")
    return list(
        review_round.reviews.filter(item_version=review_round.item_version, reviewer_id__in=members).select_related(
            "reviewer"
        )
    )


def majority(reviews: list[Review]) -> str:
    """The recommendation most reviews make ("" on a tie, which the chair settles)."""
    counts: dict[str, int] = {}
    for review in reviews:
        counts[review.recommendation] = counts.get(review.recommendation, 0) + 1
    if not counts:
        return ""
    ranked = sorted(counts.items(), key=lambda pair: -pair[1])
    return ranked[0][0] if len(ranked) == 1 or ranked[0][1] > ranked[1][1] else ""


OUTCOME_STAGE = {Outcome.RETURNED: Stage.RETURNED, Outcome.REJECTED: Stage.REJECTED}


@transaction.atomic
def do_decide(actor: User, review_round: ReviewRound, outcome: str, note: str = "") -> CriticalKnowledge:
    """Record the panel's verdict: the chair (or the hub) decides once the quorum has reviewed. Two verdicts
    at once: the round is locked, and the second is refused because the round is closed."""
    locked = ReviewRound.objects.select_for_update().select_related("panel", "critical__item").get(pk=review_round.pk)
    panel: Panel = locked.panel
    if not (panel.is_chair(actor) or is_hub(actor)):
        raise PermissionDenied(_("Only the panel's chair or the hub records a verdict."))
    if locked.critical.item.is_author(actor):
        raise PermissionDenied(_("You are an author of this knowledge: you cannot decide on its review."))
    if not locked.is_open:
        raise ValidationError(
            _("A verdict was already recorded for this round (%(outcome)s).")
            % {"outcome": locked.get_outcome_display()}
        )
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose a verdict.")})
    if problem := panel_size_problem(panel):
        raise ValidationError(problem)
    reviews = counted_reviews(locked)
    if len(reviews) < panel.quorum:
        raise ValidationError(
            _("A verdict needs %(quorum)d reviews of this version; %(count)d so far.")
            % {"quorum": panel.quorum, "count": len(reviews)}
        )
    note = clean_text(note).strip()[:MAX_REASON]
    if outcome != Outcome.VERIFIED and not note:
        raise ValidationError({"note": _("Tell the authors what to change, or why it is not verified.")})
    critical = CriticalKnowledge.objects.select_for_update().get(pk=locked.critical_id)
    now = timezone.now()
    ReviewRound.objects.filter(pk=locked.pk).update(
        closed_at=now, outcome=outcome, decided_by=actor, decision_note=note
    )
    values: dict[str, object] = {"stage_since": now, "stage_before_review": "", "reverify_reminded_on": None}
    if outcome == Outcome.VERIFIED:
        values.update(
            stage=critical.stage_before_review or Stage.VERIFIED,
            verified_at=now,
            verified_version=locked.item_version,
            reverify_due=reverify_due_date(timezone.localdate(), panel.reverify_months),
        )
    else:
        values["stage"] = OUTCOME_STAGE[Outcome(outcome)]
    from_stage = critical.stage
    CriticalKnowledge.objects.filter(pk=critical.pk).update(version=F("version") + 1, **values)
    critical.refresh_from_db()
    _record(
        critical,
        from_stage,
        critical.stage,
        actor,
        note or _("Verified by the panel “%(panel)s”.") % {"panel": panel.name},
    )
    _tell_authors(critical, actor)
    if outcome == Outcome.VERIFIED:
        evidence_changed([review.reviewer_id for review in reviews])  # the experts' directory entries show it
    return critical


def queue_for(user: User) -> list[ReviewRound]:
    """Open rounds of the panels `user` sits on that they can read and did not write, oldest first (the
    panel member's queue, with ages)."""
    rounds = (
        ReviewRound.objects.filter(closed_at__isnull=True, panel__members__user=user)
        .filter(critical__item__in=KnowledgeItem.objects.visible_to(user))
        .exclude(critical__item__authors=user)
        .exclude(critical__item__created_by=user)
        .select_related("critical__item", "panel")
        .order_by("opened_at")
        .distinct()
    )
    return list(rounds)


def sweep_reverification(today: datetime.date | None = None) -> int:
    """Remind each panel of its knowledge that is due for re-verification; again after
    CYCLE_REVERIFY_REMIND_DAYS if nothing was done. Returns how many items were reminded of."""
    today = today or timezone.localdate()
    again = today - datetime.timedelta(days=settings.CYCLE_REVERIFY_REMIND_DAYS)
    due = (
        CriticalKnowledge.objects.due(today)
        .filter(Q(reverify_reminded_on__isnull=True) | Q(reverify_reminded_on__lte=again))
        .select_related("item", "panel")
    )
    count = 0
    for critical in due.iterator(chunk_size=200):
        with transaction.atomic():
            if not CriticalKnowledge.objects.filter(
                pk=critical.pk, reverify_reminded_on=critical.reverify_reminded_on
            ).update(reverify_reminded_on=today):
                continue  # another sweep took it
            _tell_panel(critical, None, NotificationKind.REVERIFY_DUE)
            count += 1
    return count
