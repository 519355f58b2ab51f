"""Setting up the expert panels (คลังสมอง): the hub names each topic's experts and its chair."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from platoo.accounts.models import User
from platoo.knowledge.models import Topic
from platoo.lib.text import clean_line, clean_text

from ..access import is_hub, panel_for_topic
from ..models import CriticalKnowledge, Panel, PanelMember, Stage


@dataclass
class PanelData:
    name: str
    topic_id: int
    member_ids: Sequence[int] = field(default_factory=list)
    chair_id: int | None = None
    description: str = ""
    quorum: int = 3
    reverify_months: int = 12


def _clean(data: PanelData, panel: Panel | None) -> tuple[dict[str, object], list[User]]:
    errors: dict[str, str] = {}
    name = clean_line(data.name)[:200]
    if not name:
        errors["name"] = _("Give the panel a name.")
    topic = Topic.objects.filter(pk=data.topic_id).first()
    if topic is None:
        errors["topic"] = _("Choose the topic the panel looks after.")
    elif Panel.objects.filter(topic=topic).exclude(pk=panel.pk if panel else 0).exists():
        errors["topic"] = _("That topic has its panel already; edit that one.")
    member_ids = list(dict.fromkeys(data.member_ids))
    members = list(User.objects.filter(pk__in=member_ids, is_active=True))
    if len(members) != len(member_ids):
        errors["members"] = _("Every expert must have an active account.")
    elif len(members) > settings.CYCLE_PANEL_MAX_EXPERTS:
        errors["members"] = _("A panel has at most %(max)d experts; you named %(count)d.") % {
            "max": settings.CYCLE_PANEL_MAX_EXPERTS,
            "count": len(members),
        }
    if data.chair_id is not None and data.chair_id not in member_ids:
        errors["chair"] = _("The chair must be one of the panel's experts.")
    if not 1 <= data.quorum <= settings.CYCLE_PANEL_MAX_EXPERTS:
        errors["quorum"] = _("The quorum is between 1 and %(max)d reviews.") % {"max": settings.CYCLE_PANEL_MAX_EXPERTS}
    elif members and data.quorum > len(members):
        errors["quorum"] = _("The quorum (%(quorum)d) cannot be more than the panel's %(count)d experts.") % {
            "quorum": data.quorum,
            "count": len(members),
        }
    if not 1 <= data.reverify_months <= 60:
        errors["reverify_months"] = _("Re-verify every 1 to 60 months.")
    if errors:
        raise ValidationError(errors)
    order = {pk: index for index, pk in enumerate(member_ids)}
    members.sort(key=lambda person: order[person.pk])
    values: dict[str, object] = {
        "name": name,
        "topic": topic,
        "description": clean_text(data.description).strip(),
        "quorum": data.quorum,
        "reverify_months": data.reverify_months,
    }
    return values, members


def _attach_items(panel: Panel) -> None:
    """Knowledge of the panel's topic (or below it, where no nearer panel looks after it) goes to this
    panel from now on, unless it is in a review round already (that round stays with its panel)."""
    topic_ids = panel.topic.descendant_ids()
    for critical in (
        CriticalKnowledge.objects.filter(topic_id__in=topic_ids).exclude(stage=Stage.IN_REVIEW).select_related("topic")
    ):
        nearest = panel_for_topic(critical.topic)
        if nearest is not None and nearest.pk != critical.panel_id:
            CriticalKnowledge.objects.filter(pk=critical.pk).update(panel=nearest)


@transaction.atomic
def do_save_panel(actor: User, panel: Panel | None, data: PanelData) -> Panel:
    """Create or change a panel (the hub only). A panel may be saved with fewer than the minimum of
    experts while it is being formed; it reviews nothing until it has them (access.panel_size_problem)."""
    if not is_hub(actor):
        raise PermissionDenied(_("Only the network's hub sets up expert panels."))
    values, members = _clean(data, panel)
    try:
        with transaction.atomic():
            if panel is None:
                panel = Panel.objects.create(**values)
            else:
                for name, value in values.items():
                    setattr(panel, name, value)
                panel.save()
    except IntegrityError as exc:
        raise ValidationError({"topic": _("That topic has its panel already; edit that one.")}) from exc
    keep = {person.pk for person in members}
    PanelMember.objects.filter(panel=panel).exclude(user_id__in=keep).delete()
    PanelMember.objects.filter(panel=panel).update(is_chair=False)
    existing = set(PanelMember.objects.filter(panel=panel).values_list("user_id", flat=True))
    now = timezone.now()
    PanelMember.objects.bulk_create(
        [PanelMember(panel=panel, user=person, joined_at=now) for person in members if person.pk not in existing]
    )
    if data.chair_id is not None:
        PanelMember.objects.filter(panel=panel, user_id=data.chair_id).update(is_chair=True)
    _attach_items(panel)
    return panel
