"""Loading the demo network through the product's own actions, and removing it again."""

import textwrap
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from platoo.accounts.actions import ProfileData, do_update_profile
from platoo.accounts.models import Expertise, KMRoleHolding, User
from platoo.knowledge.actions import ItemData, do_add_attachment, do_add_comment, do_create_item, do_update_item
from platoo.knowledge.models import Attachment, Comment, KnowledgeItem, Revision, Tag, Topic
from platoo.network.models import MembershipStatus, NetworkLink, NetworkProfile, Organization, Unit

from .files import file_bytes
from .lessons import LESSONS
from .network import (
    APPLICANT,
    APPLICANT_NOTE,
    CRITICAL_TOPICS,
    JOINED_DAYS_AGO,
    KNOWLEDGE_VISION,
    LINKS,
    NETWORK_NAME_EN,
    NETWORK_NAME_TH,
    NETWORK_STARTED_DAYS_AGO,
    UNITS_BY_SECTOR,
)
from .notes import NOTES
from .people import ADMIN_USERNAME, DEMO_PASSWORD, MARKER_ORG, ORGANIZATIONS, PEOPLE
from .practices import PRACTICES
from .specs import Edit, ItemSpec, PersonSpec
from .stories import STORIES
from .topics import TOPICS

ITEMS: tuple[ItemSpec, ...] = (*STORIES, *LESSONS, *PRACTICES, *NOTES)
ORGANIZATION_CODES = [*(spec.code for spec in ORGANIZATIONS), APPLICANT.code]


class DemoConflict(Exception):
    """Accounts the demo needs already belong to someone else."""


@dataclass(frozen=True)
class LoadResult:
    organizations: int
    people: int
    items: int
    comments: int
    attachments: int
    admin_created: bool


def demo_exists() -> bool:
    return Organization.objects.filter(code=MARKER_ORG).exists()


def _markdown(text: str) -> str:
    """The specs indent their Markdown with the code; four leading spaces would make it a code block."""
    return textwrap.dedent(text).strip()


def _working_hours(moment: datetime, seed: int) -> datetime:
    """The same day, at an office hour that varies from item to item."""
    return timezone.localtime(moment).replace(hour=8 + seed % 9, minute=(seed * 7) % 60, second=0, microsecond=0)


@transaction.atomic
def load_demo() -> LoadResult:
    taken = sorted(User.objects.filter(username__in=[p.username for p in PEOPLE]).values_list("username", flat=True))
    if taken:
        raise DemoConflict(f"these usernames are taken by accounts outside the demo: {', '.join(taken)}")
    codes = sorted(Organization.objects.filter(code__in=ORGANIZATION_CODES).values_list("code", flat=True))
    if codes:
        raise DemoConflict(f"these organization codes are taken outside the demo: {', '.join(codes)}")
    now = timezone.now()
    password = make_password(DEMO_PASSWORD)  # hashed once: every demo account shares it
    admin_created = _ensure_admin(password, now)
    orgs = _organizations(now)
    people = {spec.username: _person(spec, orgs, password, now) for spec in PEOPLE}
    topics = _topics()
    for seed, spec in enumerate(ITEMS):
        _item(spec, seed, people, topics, now)
    _network(orgs, people, now)
    demo_items = KnowledgeItem.objects.filter(created_by__in=people.values())
    return LoadResult(
        organizations=len(orgs),
        people=len(people),
        items=demo_items.count(),
        comments=Comment.objects.filter(item__in=demo_items).count(),
        attachments=Attachment.objects.filter(item__in=demo_items).count(),
        admin_created=admin_created,
    )


def _ensure_admin(password: str, now: datetime) -> bool:
    """Create the `admin` superuser, unless an account of that name exists (it is kept as it is)."""
    if User.objects.filter(username=ADMIN_USERNAME).exists():
        return False
    User.objects.create(
        username=ADMIN_USERNAME,
        email="admin@platoo.example",
        name_th="ผู้ดูแลระบบ",
        name_en="Platoo Administrator",
        password=password,
        is_staff=True,
        is_superuser=True,
        date_joined=now - timedelta(days=800),
    )
    return True


def _organizations(now: datetime) -> dict[str, Organization]:
    orgs = {
        spec.code: Organization.objects.create(
            code=spec.code,
            name_th=spec.name_th,
            name_en=spec.name_en,
            sector=spec.sector,
            province=spec.province,
            website=spec.website,
            description=spec.description,
            status=MembershipStatus.MEMBER,
            joined_on=(now - timedelta(days=JOINED_DAYS_AGO[spec.code])).date(),
        )
        for spec in ORGANIZATIONS
    }
    Organization.objects.filter(code__in=orgs).update(created_at=now - timedelta(days=800))
    return orgs


def _network(orgs: dict[str, Organization], people: dict[str, User], now: datetime) -> None:
    """The network's profile, one applicant, units, links across the six levels, critical topics."""
    profile = NetworkProfile.load()
    profile.name_th = NETWORK_NAME_TH
    profile.name_en = NETWORK_NAME_EN
    profile.knowledge_vision = _markdown(KNOWLEDGE_VISION)
    profile.started_on = (now - timedelta(days=NETWORK_STARTED_DAYS_AGO)).date()
    profile.save()

    contact = people[next(spec.username for spec in PEOPLE if spec.org == "nbt-weaving")]
    applicant = Organization.objects.create(
        code=APPLICANT.code,
        name_th=APPLICANT.name_th,
        name_en=APPLICANT.name_en,
        sector=APPLICANT.sector,
        province=APPLICANT.province,
        website=APPLICANT.website,
        description=APPLICANT.description,
        status=MembershipStatus.APPLICANT,
        application_note=APPLICANT_NOTE,
        contact_person=contact,
    )
    Organization.objects.filter(pk=applicant.pk).update(created_at=now - timedelta(days=6))

    for organization in orgs.values():
        made: list[Unit] = []
        for name_th, name_en, kind, parent in UNITS_BY_SECTOR[organization.sector]:
            made.append(
                Unit.objects.create(
                    organization=organization,
                    name_th=name_th,
                    name_en=name_en,
                    kind=kind,
                    parent=made[parent] if parent is not None else None,
                )
            )

    admin = User.objects.filter(username=ADMIN_USERNAME).first()
    NetworkLink.objects.bulk_create(
        NetworkLink(
            source=orgs[source],
            target=orgs[target],
            level=level,
            since=(now - timedelta(days=days_ago)).date(),
            reason=reason,
            created_by=admin,
        )
        for source, target, level, days_ago, reason in LINKS
    )
    Topic.objects.filter(slug__in=CRITICAL_TOPICS).update(critical=True)


def _person(spec: PersonSpec, orgs: dict[str, Organization], password: str, now: datetime) -> User:
    first_name, _space, last_name = spec.name_en.partition(" ")
    person = User.objects.create(
        username=spec.username,
        email=f"{spec.username}@{spec.org}.example",
        first_name=first_name,
        last_name=last_name,
        organization=orgs[spec.org],
        password=password,
        date_joined=now - timedelta(days=spec.joined_days_ago),
    )
    profile = ProfileData(
        name_th=spec.name_th,
        name_en=spec.name_en,
        position=spec.position,
        bio=spec.bio,
        expertise=spec.expertise,
        km_roles=spec.roles,
    )
    do_update_profile(person, person, profile)
    KMRoleHolding.objects.filter(user=person).update(since=person.date_joined.date())
    return person


def _topics() -> dict[str, Topic]:
    """The seeded topics the demo uses; any that are missing are created from the demo's own definitions."""
    used = {slug for spec in ITEMS for slug in spec.topics}
    topics = {topic.slug: topic for topic in Topic.objects.filter(slug__in=used)}
    for slug in sorted(used - set(topics)):
        topics[slug] = _topic(slug)
    return topics


def _topic(slug: str) -> Topic:
    name_th, name_en, parent = TOPICS[slug]
    defaults = {"name_th": name_th, "name_en": name_en, "parent": _topic(parent) if parent else None}
    return Topic.objects.get_or_create(slug=slug, defaults=defaults)[0]


def _edited(data: ItemData, edit: Edit) -> ItemData:
    changes = dict(edit.changes)
    return replace(
        data,
        title=changes.pop("title", data.title),
        summary=changes.pop("summary", data.summary),
        visibility=changes.pop("visibility", data.visibility),
        body=f"{data.body}\n\n{_markdown(edit.append)}" if edit.append else data.body,
        tag_names=[*data.tag_names, *edit.add_tags],
        extra={**data.extra, **changes},  # the kind's own fields; anything else is refused by the action
    )


def _item(spec: ItemSpec, seed: int, people: dict[str, User], topics: dict[str, Topic], now: datetime) -> None:
    author = people[spec.by]
    created = _working_hours(now - timedelta(days=spec.days_ago), seed)
    data = ItemData(
        title=spec.title,
        kind=spec.kind,
        summary=spec.summary,
        body=_markdown(spec.body),
        license=spec.license,
        visibility=spec.visibility,
        topic_ids=[topics[slug].pk for slug in spec.topics],
        tag_names=spec.tags,
        author_ids=[author.pk, *(people[name].pk for name in spec.coauthors)],
        extra={name: _markdown(text) for name, text in spec.extra.items()},
    )
    item = do_create_item(author, data)
    saved_at = [created]
    for number, edit in enumerate(spec.edits, start=1):
        data = _edited(data, edit)
        item = do_update_item(people[edit.by], item, data, base_version=item.version, message=edit.message)
        saved_at.append(created + timedelta(days=edit.days_after, hours=number))
    # The actions stamp everything "now"; spread the history over the item's real timeline. No re-indexing
    # needed: the index reads each item back when this transaction commits, dates included.
    for number, moment in enumerate(saved_at, start=1):
        Revision.objects.filter(item=item, number=number).update(created_at=moment)
    KnowledgeItem.objects.filter(pk=item.pk).update(created_at=created, updated_at=saved_at[-1], view_count=spec.views)

    for file in spec.files:
        attachment = do_add_attachment(author, item, ContentFile(file_bytes(file), name=file.name))
        Attachment.objects.filter(pk=attachment.pk).update(created_at=created + timedelta(minutes=20))
    for number, remark in enumerate(spec.remarks):
        comment = do_add_comment(people[remark.by], item, remark.text)
        moment = created + timedelta(days=remark.days_after, hours=1 + (seed + number) % 6)
        Comment.objects.filter(pk=comment.pk).update(created_at=moment)


@transaction.atomic
def remove_demo() -> None:
    """Delete the demo's organizations, people and everything they wrote; the admin account stays."""
    people = User.objects.filter(username__in=[spec.username for spec in PEOPLE])
    items = KnowledgeItem.objects.filter(created_by__in=people)
    files = list(Attachment.objects.filter(item__in=items).exclude(file="").values_list("file", flat=True))
    items.delete()  # the search index follows through its post_delete handler
    people.delete()
    Organization.objects.filter(code__in=ORGANIZATION_CODES).delete()  # their units and links go with them
    demo_tags = {name for spec in ITEMS for name in (*spec.tags, *(t for e in spec.edits for t in e.add_tags))}
    Tag.objects.filter(name__in=demo_tags, items=None).delete()
    Expertise.objects.filter(name__in={e for spec in PEOPLE for e in spec.expertise}, people=None).delete()

    def delete_files() -> None:
        for name in files:
            default_storage.delete(name)

    transaction.on_commit(delete_files)  # only once the rows are really gone
