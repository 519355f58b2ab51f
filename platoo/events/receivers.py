"""What the events app does when something happens below it."""

from typing import Any

from django.dispatch import receiver

from platoo.network.models import Organization
from platoo.network.signals import membership_changed

from .programmes import host_gone


@receiver(membership_changed, dispatch_uid="events-replan-visits-of-departing-hosts")
def _replan_visits(sender: Any, organization: Organization, previous: str, **kwargs: Any) -> None:
    host_gone(organization, organization.status)
