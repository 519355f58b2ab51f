"""What communities do when something happens below them."""

from typing import Any

from django.db.models.signals import post_delete
from django.dispatch import receiver

from platoo.accounts.signals import signed_up
from platoo.activity.actions import forget_about

from .actions import link_email_invitations
from .models import Community


@receiver(signed_up, dispatch_uid="communities-link-email-invitations")
def _link_invitations(sender: Any, user: Any, invitation: Any, **kwargs: Any) -> None:
    link_email_invitations(user, invitation)


@receiver(post_delete, sender=Community, dispatch_uid="communities-forget-activities")
def _forget_activities(sender: Any, instance: Community, **kwargs: Any) -> None:
    # A deleted community's feed entries would link to nothing (and a secret one's name would linger).
    forget_about(f"community:{instance.pk}")
