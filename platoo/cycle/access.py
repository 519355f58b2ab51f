"""Who may do what in the cycle, and the one doorway for reading it."""

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from platoo.knowledge.models import KnowledgeItem, Topic
from platoo.network.models import is_network_manager

from .models import CriticalKnowledge, Panel, PanelMember, Role


def is_hub(user: Any) -> bool:
    """The network's hub: its managers (and active superusers, who hold every permission)."""
    return bool(user is not None and user.is_authenticated and user.is_active and is_network_manager(user))


def visible_critical(user: Any) -> QuerySet[CriticalKnowledge]:
    """Critical knowledge whose item `user` may read: the cycle shows nothing of an item beyond that."""
    return CriticalKnowledge.objects.filter(item__in=KnowledgeItem.objects.visible_to(user))


def panel_for_topic(topic: Topic | None) -> Panel | None:
    """The panel of this topic, or of the nearest topic above it that has one."""
    seen: set[int] = set()
    while topic is not None and topic.pk not in seen:
        seen.add(topic.pk)
        panel = Panel.objects.filter(topic=topic).first()
        if panel is not None:
            return panel
        topic = topic.parent
    return None


def panels_of(user: Any) -> QuerySet[Panel]:
    if user is None or not user.is_authenticated or not user.is_active:
        return Panel.objects.none()
    return Panel.objects.filter(pk__in=PanelMember.objects.filter(user_id=user.pk).values("panel_id"))


def is_expert(user: Any) -> bool:
    """Sits on any panel."""
    return bool(user is not None and user.is_authenticated and PanelMember.objects.filter(user_id=user.pk).exists())


def roles_of(user: Any, critical: CriticalKnowledge) -> set[str]:
    """The roles `user` holds for this item (Role values): what moves they may make."""
    roles: set[str] = set()
    if user is None or not user.is_authenticated or not user.is_active:
        return roles
    if critical.item.is_author(user):
        roles.add(Role.AUTHOR)
    if is_hub(user):
        roles.add(Role.HUB)
    panel = critical.panel
    if panel is not None and panel.is_member(user):
        roles.add(Role.PANEL)
        if panel.is_chair(user):
            roles.add(Role.CHAIR)
    return roles


def panel_size_problem(panel: Panel) -> str:
    """Why this panel cannot review yet ("" when it can): it needs its minimum of experts and a chair."""
    count = panel.members.count()
    if count < settings.CYCLE_PANEL_MIN_EXPERTS:
        return _("The panel “%(panel)s” has %(count)d experts; it needs at least %(min)d before it can review.") % {
            "panel": panel.name,
            "count": count,
            "min": settings.CYCLE_PANEL_MIN_EXPERTS,
        }
    if panel.chair_id() is None:
        return _("The panel “%(panel)s” has no chair yet.") % {"panel": panel.name}
    return ""
