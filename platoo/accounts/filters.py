"""One filter for the people directory ("who knows what"), used by the page and the API.

Words are looked up in the people's search entries (names, expertise, position, organization, KM
roles and the topics their work shows), Thai inside a compound too; the other filters are exact.
Filters that depend on what the viewer may read (a topic shown by evidence, a KM role held in a CoP)
ask the evidence and role registries with the viewer, so a secret CoP never reveals its members.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import overload

from django.db.models import Q, QuerySet

from platoo.lib.provinces import REGION_OF, provinces_in
from platoo.network.models import Organization
from platoo.search.query import ranked_ids

from .evidence import ShownTopic, people_on_topics, topic_subtree
from .models import Expertise, KMRole, User
from .roles import people_with_role

# Words matching more people than this list only the best matches: more words or a filter narrow it.
MAX_MATCHES = 1000


class RankedPeople:
    """People in the order the search ranked them, loaded one page at a time (Django's Paginator and the
    API's paginate take it like a queryset)."""

    def __init__(self, people: QuerySet[User], ranked: list[int]) -> None:
        kept = set(people.filter(pk__in=ranked).values_list("pk", flat=True))
        self.ids = [pk for pk in ranked if pk in kept]
        self.people = people

    def count(self) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[User]:
        return iter(self[:])

    @overload
    def __getitem__(self, index: int) -> User: ...

    @overload
    def __getitem__(self, index: slice) -> list[User]: ...

    def __getitem__(self, index: int | slice) -> User | list[User]:
        ids = self.ids[index] if isinstance(index, slice) else [self.ids[index]]
        found = {person.pk: person for person in self.people.filter(pk__in=ids)}
        people = [found[pk] for pk in ids if pk in found]
        return people if isinstance(index, slice) else people[0]


@dataclass(frozen=True)
class Found:
    people: QuerySet[User] | RankedPeople
    message: str = ""  # why the words could not be searched
    topic: ShownTopic | None = None  # the topic filtered on
    capped: bool = False  # the words matched more than MAX_MATCHES people


@dataclass(frozen=True)
class PeopleFilter:
    q: str = ""
    organization: str = ""  # code of a member organization
    role: str = ""  # a KM role
    expertise: str = ""  # declared, ignoring case
    topic: str = ""  # topic slug: its sub-topics are included
    province: str = ""  # English name, as stored
    region: str = ""

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> "PeopleFilter":
        """Read filters from a query string. A role or region that does not exist is dropped; any other
        unknown value matches no one."""
        role = (params.get("role") or "").strip()
        region = (params.get("region") or "").strip()
        return cls(
            q=(params.get("q") or "").strip(),
            organization=(params.get("org") or "").strip()[:32],
            role=role if role in KMRole.values else "",
            expertise=(params.get("expertise") or "").strip()[:100],
            topic=(params.get("topic") or "").strip()[:80],
            province=(params.get("province") or "").strip()[:64],
            region=region if region in REGION_OF.values() else "",
        )

    @property
    def active(self) -> bool:
        return any([self.q, self.organization, self.role, self.expertise, self.topic, self.province, self.region])

    def apply(self, viewer: User, people: QuerySet[User]) -> Found:
        if self.organization:
            people = people.filter(organization__in=Organization.objects.members().filter(code=self.organization))
        if self.province:
            people = people.filter(organization__province=self.province)
        if self.region:
            people = people.filter(organization__province__in=provinces_in(self.region))
        if self.role:
            people = people.filter(people_with_role(self.role, viewer))
        if self.expertise:
            people = people.filter(pk__in=User.objects.filter(expertise__name__iexact=self.expertise).values("pk"))
        topic = None
        if self.topic:
            subtree = topic_subtree(self.topic)
            if subtree is None:
                return Found(people.none())
            topic, topic_ids = subtree
            people = people.filter(people_on_topics(topic_ids, viewer) | self._declared(topic))
        if not self.q:
            return Found(people.order_by("name_th", "username"), topic=topic)
        ranked, message = ranked_ids(viewer, self.q, "person", limit=MAX_MATCHES)
        return Found(RankedPeople(people, ranked), message, topic, capped=len(ranked) >= MAX_MATCHES)

    @staticmethod
    def _declared(topic: ShownTopic) -> Q:
        """People who declared expertise named like the topic, in either language."""
        same_name = Q(pk__in=[])
        for name in {topic.name_th, topic.name_en} - {""}:
            same_name |= Q(name__iexact=name)
        return Q(pk__in=User.objects.filter(expertise__in=Expertise.objects.filter(same_name)).values("pk"))
