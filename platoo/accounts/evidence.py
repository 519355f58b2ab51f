"""Evidence of expertise: what a person wrote, presented or verified, as the apps above accounts know it.

People declare expertise (User.expertise); their work shows more. The apps that hold the work register
a provider here in their AppConfig.ready (knowledge: items written; communities: agenda points
presented at CoP meetings; later the expert panels: knowledge verified), so accounts reads evidence
without importing them. Every provider answers for a set of people at once (a directory page costs one
or two queries per provider, whatever its size) and only with what the viewer may read, through its
app's own doorway. Knowledge also lends its topic taxonomy, which evidence is grouped and filtered by.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from django.db import models
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from platoo.lib.dates import is_thai
from platoo.search.index import update_index

from .models import User


class EvidenceKind(models.TextChoices):
    WROTE = "wrote", _("Wrote")
    PRESENTED = "presented", _("Presented")
    VERIFIED = "verified", _("Verified")  # reviewed as an expert, and the panel verified it (platoo.cycle.evidence)


@dataclass(frozen=True)
class ShownTopic:
    """A topic of the taxonomy as evidence names it."""

    id: int
    slug: str
    name_th: str
    name_en: str

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name_th if is_thai() or not self.name_en else self.name_en

    @property
    def people_url(self) -> str:
        """The directory filtered to people who know this topic."""
        return reverse("people:list") + "?" + urlencode({"topic": self.slug})


@dataclass(frozen=True)
class Evidence:
    """One piece of a person's work that shows what they know."""

    person_id: int
    kind: str  # EvidenceKind
    title: str  # the item written, the meeting presented at
    url: str
    date: datetime | None
    topics: tuple[ShownTopic, ...] = ()
    label: str = ""  # what exactly, when the title is not it: the agenda point presented

    @property
    def kind_label(self) -> str:
        return str(EvidenceKind(self.kind).label)


@dataclass(frozen=True)
class TopicCount:
    topic: ShownTopic
    count: int


class EvidenceProvider(Protocol):
    kind: str  # EvidenceKind

    def evidence(self, person_ids: Sequence[int], viewer: Any) -> Iterable[Evidence]:
        """These people's evidence that `viewer` may read (anonymous viewers included)."""

    def evidence_for_members(self, person_ids: Sequence[int]) -> Iterable[Evidence]:
        """These people's evidence that every active member of the network reads, whatever their
        organization or communities: what the person's search entry, read by every member, may carry."""

    def people_on_topics(self, topic_ids: Sequence[int], viewer: Any) -> QuerySet[Any]:
        """Primary keys (a one-column values() query) of people with evidence `viewer` may read on one of
        these topics."""


class TopicVocabulary(Protocol):
    def choices(self) -> list[tuple[str, str]]:
        """(slug, name indented by depth) of every topic, in taxonomy order, for a filter."""

    def subtree(self, slug: str) -> tuple[ShownTopic, list[int]] | None:
        """The topic with this slug and the ids of it and everything under it; None when there is none."""


UNDATED = datetime.min.replace(tzinfo=UTC)  # sorts after every dated piece, newest first

_providers: dict[str, EvidenceProvider] = {}
_vocabularies: list[TopicVocabulary] = []


def register(provider: EvidenceProvider) -> None:
    _providers[provider.kind] = provider


def register_topics(vocabulary: TopicVocabulary) -> None:
    _vocabularies[:] = [vocabulary]


def providers() -> dict[str, EvidenceProvider]:
    return dict(_providers)


def _by_person(found: Iterable[Evidence], person_ids: Sequence[int]) -> dict[int, list[Evidence]]:
    people: dict[int, list[Evidence]] = {pk: [] for pk in person_ids}
    for piece in found:
        people[piece.person_id].append(piece)
    for pieces in people.values():
        pieces.sort(key=lambda e: e.date or UNDATED, reverse=True)
    return people


def evidence_for(person_ids: Sequence[int], viewer: Any) -> dict[int, list[Evidence]]:
    """Each person's evidence that `viewer` may read, newest first."""
    ids = list(dict.fromkeys(person_ids))
    if not ids:
        return {}
    return _by_person((e for p in _providers.values() for e in p.evidence(ids, viewer)), ids)


def evidence_for_members(person_ids: Sequence[int]) -> dict[int, list[Evidence]]:
    """Each person's evidence that every member reads (see EvidenceProvider.evidence_for_members)."""
    ids = list(dict.fromkeys(person_ids))
    if not ids:
        return {}
    return _by_person((e for p in _providers.values() for e in p.evidence_for_members(ids)), ids)


def shown_topics(evidence: Iterable[Evidence]) -> list[TopicCount]:
    """The topics evidence is about, the most evidenced first."""
    counts: Counter[ShownTopic] = Counter(topic for piece in evidence for topic in piece.topics)
    return [TopicCount(topic, n) for topic, n in sorted(counts.items(), key=lambda c: (-c[1], c[0].display_name))]


def by_topic(evidence: Sequence[Evidence]) -> list[tuple[ShownTopic | None, list[Evidence]]]:
    """Evidence grouped by topic, the most evidenced topic first; a piece with several topics is in each
    of their groups, and pieces without a topic come last, under None."""
    groups: dict[ShownTopic | None, list[Evidence]] = defaultdict(list)
    for piece in evidence:
        for topic in piece.topics or (None,):
            groups[topic].append(piece)
    ordered: list[tuple[ShownTopic | None, list[Evidence]]] = [
        (count.topic, groups[count.topic]) for count in shown_topics(evidence)
    ]
    if None in groups:
        ordered.append((None, groups[None]))
    return ordered


def topic_choices() -> list[tuple[str, str]]:
    return _vocabularies[0].choices() if _vocabularies else []


def topic_subtree(slug: str) -> tuple[ShownTopic, list[int]] | None:
    return _vocabularies[0].subtree(slug) if _vocabularies else None


def people_on_topics(topic_ids: Sequence[int], viewer: Any) -> Q:
    """A condition on people: evidence `viewer` may read on one of these topics, of any kind."""
    condition = Q(pk__in=[])
    for provider in _providers.values():
        condition |= Q(pk__in=provider.people_on_topics(topic_ids, viewer))
    return condition


def evidence_changed(person_ids: Iterable[int | None]) -> None:
    """What these people have shown changed (an item written, a meeting presented at): their search
    entries, which carry their shown topics, are rebuilt once the transaction commits."""
    for pk in {pk for pk in person_ids if pk is not None}:
        update_index(User(pk=pk))  # the index reads the person back at commit: the key is all it needs
