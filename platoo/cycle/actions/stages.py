"""Moving critical knowledge through the cycle: marking it, categorizing it, and every move after that."""

import datetime
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from platoo.accounts.models import User
from platoo.activity import actions as activity
from platoo.activity.models import NotificationKind
from platoo.knowledge.models import KnowledgeItem, Topic
from platoo.lib.text import clean_text
from platoo.network.models import Organization

from ..access import is_expert, is_hub, panel_for_topic, panel_size_problem, roles_of
from ..models import (
    MOVES,
    VERIFIED_STAGES,
    Audience,
    CriticalKnowledge,
    KnowledgeType,
    Priority,
    ReviewRound,
    Role,
    RoundKind,
    Source,
    Stage,
    Transition,
)

MAX_REASON = 4000


class StaleMove(Exception):
    """Someone moved the item since the page was opened; the caller shows where it is now."""

    def __init__(self, critical: CriticalKnowledge) -> None:
        super().__init__(
            _("Someone else moved this knowledge in the meantime; it is now “%(stage)s”.")
            % {"stage": critical.get_stage_display()}
        )
        self.critical = critical


@dataclass
class Categories:
    topic_id: int | None = None
    knowledge_type: str = ""
    audience: str = ""
    source: str = ""
    owner_id: int | None = None
    priority: str = ""


def _clean_categories(data: Categories) -> dict[str, Any]:
    errors: dict[str, str] = {}
    for name, choices in (
        ("knowledge_type", KnowledgeType),
        ("audience", Audience),
        ("source", Source),
        ("priority", Priority),
    ):
        value = getattr(data, name)
        if value and value not in choices.values:
            errors[name] = _("Choose from the list.")
    if data.topic_id is not None and not Topic.objects.filter(pk=data.topic_id).exists():
        errors["topic"] = _("That topic does not exist.")
    if data.owner_id is not None and not Organization.objects.members().filter(pk=data.owner_id).exists():
        errors["owner"] = _("Choose a member organization of the network.")
    if errors:
        raise ValidationError(errors)
    return {
        "topic_id": data.topic_id,
        "knowledge_type": data.knowledge_type,
        "audience": data.audience,
        "source": data.source,
        "owner_id": data.owner_id,
        "priority": data.priority,
    }


def _record(critical: CriticalKnowledge, from_stage: str, to_stage: str, actor: User | None, reason: str) -> Transition:
    return Transition.objects.create(
        critical=critical, from_stage=from_stage, to_stage=to_stage, actor=actor, reason=reason, at=timezone.now()
    )


def _title(critical: CriticalKnowledge) -> str:
    return critical.item.title


def _url(critical: CriticalKnowledge) -> str:
    return critical.item.get_absolute_url() + "#cycle"


def _tell_authors(critical: CriticalKnowledge, actor: User | None, kind: str = NotificationKind.CYCLE_MOVED) -> None:
    activity.notify(
        list(critical.item.authors.filter(is_active=True)),
        kind,
        actor=actor,
        title=_title(critical),
        url=_url(critical),
    )


def _tell_panel(critical: CriticalKnowledge, actor: User | None, kind: str) -> None:
    """The panel members who may read the item (an organization-only item reaches only its organization's
    experts); never its authors, who cannot review it."""
    if critical.panel is None:
        return
    authors = set(critical.item.authors.values_list("pk", flat=True))
    experts = User.objects.filter(panel_memberships__panel=critical.panel, is_active=True).exclude(pk__in=authors)
    readers = [
        person for person in experts if KnowledgeItem.objects.visible_to(person).filter(pk=critical.item_id).exists()
    ]
    activity.notify(
        readers, kind, actor=actor, title=_title(critical), url=critical.item.get_absolute_url() + "#review"
    )


@transaction.atomic
def do_mark_critical(
    actor: User, item: KnowledgeItem, categories: Categories | None = None, reason: str = ""
) -> CriticalKnowledge:
    """Mark an item as critical knowledge: it enters the cycle as captured. Authors, the hub and experts may;
    marking it twice returns what the first did."""
    if not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied
    if not KnowledgeItem.objects.visible_to(actor).filter(pk=item.pk).exists():
        raise PermissionDenied
    if not (item.is_author(actor) or is_hub(actor) or is_expert(actor)):
        raise PermissionDenied(_("Only its authors, the hub and the expert panels can mark knowledge as critical."))
    existing = CriticalKnowledge.objects.filter(item=item).first()
    if existing is not None:
        return existing
    values = _clean_categories(categories or Categories())
    if values["owner_id"] is None:
        values["owner_id"] = item.organization_id
    if values["topic_id"] is None:
        values["topic_id"] = item.topics.order_by("pk").values_list("pk", flat=True).first()
    try:
        with transaction.atomic():
            critical = CriticalKnowledge.objects.create(item=item, marked_by=actor, **values)
    except IntegrityError:
        return CriticalKnowledge.objects.get(item=item)  # a concurrent mark committed first
    critical.panel = panel_for_topic(critical.topic)
    critical.save(update_fields=["panel"])
    _record(critical, "", Stage.CAPTURED, actor, clean_text(reason).strip()[:MAX_REASON])
    return critical


def _bump(critical: CriticalKnowledge, base_version: int, **values: Any) -> None:
    """Change the row if nobody moved it since `base_version` (one UPDATE checks and bumps)."""
    updated = CriticalKnowledge.objects.filter(pk=critical.pk, version=base_version).update(
        version=F("version") + 1, **values
    )
    if not updated:
        critical.refresh_from_db()
        raise StaleMove(critical)
    critical.refresh_from_db()


@transaction.atomic
def do_categorize(actor: User, critical: CriticalKnowledge, data: Categories, base_version: int) -> CriticalKnowledge:
    """Set the categories (a captured item moves on to categorized once they are all filled in). Allowed to
    those who may categorize, while the item has not yet been verified (after that the panel's word stands)."""
    roles = roles_of(actor, critical) | ({Role.PANEL} if is_expert(actor) else set())
    if not roles & MOVES["categorize"].roles:
        raise PermissionDenied(_("Only its authors, the hub and the expert panels can categorize knowledge."))
    if critical.stage not in (Stage.CAPTURED, Stage.CATEGORIZED, Stage.RETURNED):
        raise ValidationError(_("Knowledge in review or verified keeps its categories; the hub can reopen it."))
    values = _clean_categories(data)
    panel = panel_for_topic(Topic.objects.filter(pk=values["topic_id"]).first())
    _bump(critical, base_version, panel=panel, **values)
    if critical.stage == Stage.CAPTURED and not critical.missing_categories():
        now = timezone.now()
        CriticalKnowledge.objects.filter(pk=critical.pk).update(stage=Stage.CATEGORIZED, stage_since=now)
        _record(critical, Stage.CAPTURED, Stage.CATEGORIZED, actor, "")
        critical.refresh_from_db()
    return critical


def move_problem(actor: Any, critical: CriticalKnowledge, name: str) -> str:
    """Why `actor` may not make this move now ("" when they may): the refusal says the reason."""
    move = MOVES.get(name)
    if move is None:
        return _("There is no such move.")
    if critical.stage not in move.sources:
        return _("Knowledge that is “%(stage)s” cannot be moved that way (“%(move)s”).") % {
            "stage": critical.get_stage_display(),
            "move": move.label,
        }
    if not roles_of(actor, critical) & move.roles:
        return _("Only %(roles)s may do this.") % {
            "roles": _(" or ").join(str(Role(role).label) for role in sorted(move.roles))
        }
    if name in ("submit", "resubmit", "reverify"):
        if critical.panel is None:
            return _("No expert panel looks after this topic yet; the hub can set one up.")
        if problem := panel_size_problem(critical.panel):
            return problem
    if name == "submit" and critical.missing_categories():
        return _("Fill in the categories first: %(fields)s.") % {"fields": ", ".join(critical.missing_categories())}
    return ""


def allowed_moves(actor: Any, critical: CriticalKnowledge) -> list[str]:
    """The moves `actor` may make now, for the item page's buttons."""
    return [name for name in MOVES if critical.stage in MOVES[name].sources and not move_problem(actor, critical, name)]


def _open_round(critical: CriticalKnowledge, kind: str, base_version: int | None) -> ReviewRound:
    assert critical.panel is not None
    return ReviewRound.objects.create(
        critical=critical,
        panel=critical.panel,
        kind=kind,
        item_version=critical.item.version,
        base_version=base_version,
        opened_at=timezone.now(),
    )


@transaction.atomic
def do_move(
    actor: User,
    critical: CriticalKnowledge,
    name: str,
    *,
    base_version: int,
    reason: str = "",
    superseded_by: KnowledgeItem | None = None,
) -> CriticalKnowledge:
    """Make one move of MOVES; refused (ValidationError, PermissionDenied) with the reason when it is not
    legal, and StaleMove when someone moved the item since `base_version`."""
    problem = move_problem(actor, critical, name)
    if problem:
        if name in MOVES and not roles_of(actor, critical) & MOVES[name].roles:
            raise PermissionDenied(problem)
        raise ValidationError(problem)
    move = MOVES[name]
    reason = clean_text(reason).strip()[:MAX_REASON]
    if move.needs_reason and not reason:
        raise ValidationError({"reason": _("Say why, for the item's timeline.")})
    values: dict[str, Any] = {"stage": move.target, "stage_since": timezone.now()}
    if name == "supersede":
        if superseded_by is None or superseded_by.pk == critical.item_id:
            raise ValidationError({"superseded_by": _("Name the knowledge that replaces this one.")})
        values["superseded_by"] = superseded_by
    if move.target == Stage.IN_REVIEW:
        values["stage_before_review"] = critical.stage if critical.stage in VERIFIED_STAGES else ""
    from_stage = critical.stage
    _bump(critical, base_version, **values)
    _record(critical, from_stage, move.target, actor, reason)
    if move.target == Stage.IN_REVIEW:
        kind = {"submit": RoundKind.FIRST, "resubmit": RoundKind.RESUBMITTED, "reverify": RoundKind.REVERIFY}[name]
        _open_round(critical, kind, critical.verified_version)
        _tell_panel(critical, actor, NotificationKind.REVIEW_REQUESTED)
    _tell_authors(critical, actor)
    return critical


@transaction.atomic
def advance_to(critical: CriticalKnowledge, target: str, actor: User | None, reason: str) -> bool:
    """Move verified knowledge on along the main line because of something recorded elsewhere (a synthesis
    drew on it, another organization applied it), never backwards; True when it moved."""
    order: list[str] = [Stage.VERIFIED, Stage.ANALYZED, Stage.SYNTHESIZED, Stage.APPLIED, Stage.STANDARDIZED]
    locked = CriticalKnowledge.objects.select_for_update().get(pk=critical.pk)
    if locked.stage not in order or order.index(locked.stage) >= order.index(target):
        return False
    from_stage = locked.stage
    CriticalKnowledge.objects.filter(pk=locked.pk).update(
        stage=target, stage_since=timezone.now(), version=F("version") + 1
    )
    _record(locked, from_stage, target, actor, reason)
    critical.refresh_from_db()
    return True


@transaction.atomic
def send_back_after_edit(item: KnowledgeItem, actor: User | None) -> ReviewRound | None:
    """An edit of verified knowledge sends it back to its panel, which sees what changed since it verified."""
    critical = CriticalKnowledge.objects.select_for_update().filter(item=item).first()
    if critical is None or critical.panel is None:
        return None
    if critical.stage == Stage.IN_REVIEW:
        # Edited during its review: the panel now reviews the new version; reviews of the old one stop counting.
        if ReviewRound.objects.filter(critical=critical, closed_at__isnull=True, item_version__lt=item.version).update(
            item_version=item.version
        ):
            _tell_panel(critical, actor, NotificationKind.REVIEW_REQUESTED)
        return None
    if critical.stage not in VERIFIED_STAGES:
        return None
    if critical.verified_version is not None and item.version <= critical.verified_version:
        return None
    from_stage = critical.stage
    CriticalKnowledge.objects.filter(pk=critical.pk).update(
        stage=Stage.IN_REVIEW, stage_before_review=from_stage, stage_since=timezone.now(), version=F("version") + 1
    )
    critical.refresh_from_db()
    _record(
        critical, from_stage, Stage.IN_REVIEW, actor, _("Edited after it was verified: the panel reviews the changes.")
    )
    review_round = _open_round(critical, RoundKind.CHANGED, critical.verified_version)
    _tell_panel(critical, actor, NotificationKind.REVIEW_REQUESTED)
    return review_round


def reverify_due_date(verified_on: datetime.date, months: int) -> datetime.date:
    return verified_on + relativedelta(months=months)
