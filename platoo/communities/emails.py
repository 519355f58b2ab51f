"""Emails the communities app sends itself (notifications go through platoo.activity)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from platoo.lib.text import clean_line

from .models import EmailInvitation


def send_community_invitation(invitation: EmailInvitation) -> None:
    """The sign-up link for an address a community invited; it works once and joins the invitation."""
    signup = invitation.invitation
    link = settings.SITE_URL.rstrip("/") + reverse("accounts:signup") + f"?invite={signup.token}"
    context = {
        "community": invitation.community,
        "inviter": invitation.invited_by,
        "link": link,
        "site_name": settings.SITE_NAME,
    }
    # In the site's language (Thai): the invitee has no account, so no preference yet.
    with translation.override(settings.LANGUAGE_CODE):
        subject = clean_line(render_to_string("communities/email/invitation_subject.txt", context))
        body = render_to_string("communities/email/invitation.txt", context)
    send_mail(subject, body, None, [signup.email])
