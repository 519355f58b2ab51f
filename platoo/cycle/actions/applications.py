"""A member organization applied a piece of knowledge: who learned from whom, the knowledge flow.

Any active person of a member organization records it for their organization (the hub for any member
organization), for an item they can read that is critical knowledge the panel has verified. The
organization the knowledge came from (`learned_from`) is the item's owner organization in the cycle, or
its organization, as it was when it was applied. An organization applying its own knowledge is recorded
too, but it is not flow between organizations: the item does not move to "applied" and the flow pages
and the network map leave it out.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from platoo.accounts.models import User
from platoo.activity import actions as activity
from platoo.activity.models import NotificationKind
from platoo.knowledge.models import KnowledgeItem
from platoo.lib.dates import format_date
from platoo.lib.text import clean_line, clean_text
from platoo.network.models import Organization

from ..access import is_hub
from ..models import VERIFIED_STAGES, Application, ApplicationResult, CriticalKnowledge, Stage
from .stages import advance_to

MAX_WHERE = 250


@dataclass
class ApplicationData:
    item_id: int
    applied_on: datetime.date
    where: str
    result: str
    organization_id: int | None = None  # None: the recorder's own organization
    adaptation: str = ""
    result_note: str = ""
    evidence: str = ""


def organizations_for(user: object) -> QuerySet[Organization]:
    """The member organizations `user` may record applications for: their own (when it is a member), or
    every member organization for the hub."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return Organization.objects.none()
    if is_hub(user):
        return Organization.objects.members().order_by("name_th")
    organization_id = getattr(user, "organization_id", None)
    if organization_id is None:
        return Organization.objects.none()
    return Organization.objects.members().filter(pk=organization_id)


def applicable_problem(user: object, item: KnowledgeItem) -> str:
    """Why this item cannot be recorded as applied by `user` ("" when it can)."""
    if not organizations_for(user).exists():
        return _("Only the people of a member organization (or the hub, on its behalf) record applications.")
    if not KnowledgeItem.objects.visible_to(user).filter(pk=item.pk).exists():
        return _("You cannot read this item.")
    stage = CriticalKnowledge.objects.filter(item=item).values_list("stage", flat=True).first()
    if stage is None:
        return _("This item is not critical knowledge: only knowledge the panel has verified is recorded as applied.")
    if stage not in VERIFIED_STAGES:
        return _("This knowledge is “%(stage)s”: only knowledge the panel has verified is recorded as applied.") % {
            "stage": Stage(stage).label
        }
    return ""


def source_organization_id(critical: CriticalKnowledge) -> int | None:
    return critical.owner_id or critical.item.organization_id


@transaction.atomic
def do_record_application(actor: User, data: ApplicationData, idempotency_key: str = "") -> Application:
    """Record that an organization applied an item. Refused (PermissionDenied, ValidationError) with the
    reason; with an idempotency key (the form's one-time token) a repeated call returns the first one's
    application. When the organization is not the one the knowledge came from, the item moves on to
    "applied" and its authors are told."""
    if not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied
    key = idempotency_key.strip()[:64]
    if key and (done := Application.objects.filter(recorded_by=actor, creation_key=key).first()):
        return done
    allowed = organizations_for(actor)
    if not allowed.exists():
        raise PermissionDenied(
            _("Only the people of a member organization (or the hub, on its behalf) record applications.")
        )
    organization_id = data.organization_id or actor.organization_id
    organization = allowed.filter(pk=organization_id).first() if organization_id is not None else None
    if organization is None:
        raise PermissionDenied(_("You can record applications for your own organization only."))
    item = KnowledgeItem.objects.visible_to(actor).filter(pk=data.item_id).first()
    if item is None:
        raise PermissionDenied(_("You cannot read this item."))
    if problem := applicable_problem(actor, item):
        raise ValidationError({"item": problem})
    critical = CriticalKnowledge.objects.select_related("item").get(item=item)

    errors: dict[str, str] = {}
    today = timezone.localdate()
    began = timezone.localdate(item.created_at)
    if not isinstance(data.applied_on, datetime.date):
        errors["applied_on"] = _("Give the date it was applied.")
    elif data.applied_on > today:
        errors["applied_on"] = _("The date cannot be in the future (today is %(today)s).") % {
            "today": format_date(today)
        }
    elif data.applied_on < began:
        errors["applied_on"] = _("The knowledge was written on %(began)s; it cannot have been applied before that.") % {
            "began": format_date(began)
        }
    where = clean_line(data.where)
    if not where:
        errors["where"] = _("Say where it was applied (a unit, a place).")
    elif len(where) > MAX_WHERE:
        errors["where"] = _("At most %(max)d characters.") % {"max": MAX_WHERE}
    if data.result not in ApplicationResult.values:
        errors["result"] = _("Choose what came of it.")
    texts = {name: clean_text(getattr(data, name)).strip() for name in ("adaptation", "result_note", "evidence")}
    for name, limit in (("adaptation", 8000), ("result_note", 8000), ("evidence", 4000)):
        if len(texts[name]) > limit:
            errors[name] = _("At most %(max)d characters.") % {"max": limit}
    if errors:
        raise ValidationError(errors)

    learned_from = source_organization_id(critical)
    try:
        with transaction.atomic():
            application = Application.objects.create(
                item=item,
                organization=organization,
                learned_from_id=learned_from,
                applied_on=data.applied_on,
                where=where,
                result=data.result,
                recorded_by=actor,
                recorded_at=timezone.now(),
                creation_key=key,
                **texts,
            )
    except IntegrityError:
        if not key:
            raise
        return Application.objects.get(recorded_by=actor, creation_key=key)  # a concurrent submit won
    if learned_from is not None and learned_from != organization.pk:
        advance_to(
            critical,
            Stage.APPLIED,
            actor,
            _("Applied by %(organization)s (%(where)s) on %(date)s.")
            % {"organization": organization.name_th, "where": where, "date": format_date(data.applied_on)},
        )
        activity.notify(
            list(item.authors.filter(is_active=True)),
            NotificationKind.APPLIED,
            actor=actor,
            title=item.title,
            url=application_url(item),
        )
    return application


def is_flow(application: Application) -> bool:
    """Whether the application counts as knowledge flowing between organizations."""
    return application.learned_from_id is not None and application.learned_from_id != application.organization_id


def application_url(item: KnowledgeItem) -> str:
    return reverse("cycle:item_applications", args=[item.pk])
