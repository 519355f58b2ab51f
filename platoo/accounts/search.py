"""How people appear in the search index."""

from collections.abc import Mapping
from typing import Any

from django.db.models import Model, QuerySet
from django.utils import translation

from platoo.lib.visibility import NETWORK_AUDIENCE, audiences_of
from platoo.search.registry import IndexEntry, register

from .evidence import evidence_for_members, shown_topics
from .models import KMRole, User

# Filters that only knowledge items have: when one is set, no person can match.
KNOWLEDGE_ONLY_FILTERS = ("kind", "topic", "tag", "year")


def _role_names(role: str) -> list[str]:
    """A KM role in both languages, so either finds the person."""
    names = []
    for language in ("th", "en"):
        with translation.override(language):
            names.append(str(KMRole(role).label))
    return names


class PersonSearchAdapter:
    label = "person"
    model: type[Model] = User

    def entry(self, obj: User) -> IndexEntry | None:
        if not obj.is_active:
            return None
        keywords = [e.name for e in obj.expertise.all()]
        keywords += [name for holding in obj.km_roles.all() for name in _role_names(holding.role)]
        keywords.append(obj.position)
        if obj.organization is not None:
            keywords += [obj.organization.name_th, obj.organization.name_en]
        # Topics their work shows, from what every member reads: every member reads this entry too.
        shown = shown_topics(evidence_for_members([obj.pk])[obj.pk])
        keywords += [name for count in shown for name in (count.topic.name_th, count.topic.name_en)]
        return IndexEntry(
            title=" ".join(name for name in (obj.name_th, obj.name_en) if name) or obj.username,
            keywords=" ".join(k for k in keywords if k),
            body=obj.bio,
            url=obj.get_absolute_url(),
            date=obj.date_joined,
            audience=NETWORK_AUDIENCE,  # the directory is for signed-in members
        )

    def visible(self, user: Any) -> QuerySet[User]:
        if user is None or not user.is_authenticated or not user.is_active:
            return User.objects.none()
        return User.objects.filter(is_active=True)

    def audiences(self, user: Any) -> list[str]:
        return audiences_of(user)

    def granted(self, user: Any) -> None:
        return None  # every visible person is in the network audience

    def indexable(self) -> QuerySet[User]:
        return (
            User.objects.filter(is_active=True).select_related("organization").prefetch_related("expertise", "km_roles")
        )

    def narrow(self, queryset: QuerySet[User], params: Mapping[str, str]) -> QuerySet[User] | None:
        if any((params.get(name) or "").strip() for name in KNOWLEDGE_ONLY_FILTERS):
            return None
        org = (params.get("org") or "").strip()
        return queryset.filter(organization__code=org) if org else queryset

    def load(self, pks: list[int]) -> dict[int, User]:
        return {person.pk: person for person in User.objects.filter(pk__in=pks).select_related("organization")}


register(PersonSearchAdapter())
