"""What communities do when something happens below them."""

from typing import Any

from django.dispatch import receiver

from platoo.accounts.signals import signed_up

from .actions import link_email_invitations


@receiver(signed_up, dispatch_uid="communities-link-email-invitations")
def _link_invitations(sender: Any, user: Any, invitation: Any, **kwargs: Any) -> None:
    link_email_invitations(user, invitation)
