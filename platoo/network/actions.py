"""Writes to organizations."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from platoo.accounts.models import User
from platoo.lib.text import clean_line, clean_text
from platoo.search.index import update_index

from .models import Organization


@transaction.atomic
def do_save_organization(actor: User, organization: Organization) -> Organization:
    """Save an organization from staff; its people are re-indexed, since search finds people by organization name."""
    if not actor.is_staff:
        raise PermissionDenied
    organization.name_th = clean_line(organization.name_th)
    organization.name_en = clean_line(organization.name_en)
    organization.description = clean_text(organization.description).strip()
    organization.save()
    for person in organization.people.filter(is_active=True):
        update_index(person)
    return organization
