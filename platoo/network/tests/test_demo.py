"""The demo network that `make run` loads: its size, variety, history, and that loading is idempotent."""

import re
import shutil
import tempfile
from collections import Counter
from datetime import timedelta
from io import StringIO
from urllib.parse import urlparse

from django.contrib.auth.models import AnonymousUser
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.test import TestCase, override_settings
from django.utils import timezone

from platoo.accounts.models import Expertise, KMRole, KMRoleHolding, User
from platoo.knowledge.attachments import DOCX, XLSX
from platoo.knowledge.models import Attachment, Comment, Kind, KnowledgeItem, Revision, Tag, Topic
from platoo.lib.provinces import REGION_OF
from platoo.lib.visibility import Visibility
from platoo.network.demo.loader import remove_demo
from platoo.network.models import (
    MembershipStatus,
    NetworkLevel,
    NetworkLink,
    NetworkProfile,
    Organization,
    Sector,
    Unit,
)
from platoo.search.query import search

THAI = re.compile(r"[\u0e00-\u0e7f]")
MODELS = (
    Organization,
    User,
    KMRoleHolding,
    Expertise,
    KnowledgeItem,
    Revision,
    Comment,
    Attachment,
    Tag,
    Topic,
    Unit,
    NetworkLink,
    NetworkProfile,
)


def remove_everything() -> None:
    """What `load_demo --reset` removes: the demo content of the apps above the network, then the network's."""
    from importlib import import_module

    from django.apps import apps

    for config in reversed(list(apps.get_app_configs())):
        if getattr(config, "demo_loader", ""):
            import_module(config.demo_loader).remove()
    remove_demo()


def load(**options: object) -> str:
    out = StringIO()
    call_command("load_demo", stdout=out, **options)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


class LoadDemoTests(TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        media = tempfile.mkdtemp(prefix="platoo-demo-")
        cls.addClassCleanup(shutil.rmtree, media, True)
        cls.enterClassContext(override_settings(MEDIA_ROOT=media))
        super().setUpClass()

    @classmethod
    def setUpTestData(cls) -> None:
        with cls.captureOnCommitCallbacks(execute=True):  # the search index is written on commit
            cls.output = load()
        cls.people = User.objects.exclude(username="admin")
        # The network's own items: the demos above add knowledge captured at meetings, events and from replies, and syntheses.
        cls.items = KnowledgeItem.objects.filter(
            meeting_sources=None, from_replies=None, event_sources=None, synthesis=None
        )

    def test_it_makes_every_organization_a_member_over_three_years_and_one_an_applicant(self) -> None:
        members = Organization.objects.filter(status=MembershipStatus.MEMBER)
        joined = sorted(members.values_list("joined_on", flat=True))
        today = timezone.localdate()
        self.assertTrue(all(joined))
        self.assertGreater(joined[0], today - timedelta(days=3 * 366))
        self.assertGreater(joined[-1] - joined[0], timedelta(days=900))
        applicant = Organization.objects.get(status=MembershipStatus.APPLICANT)
        self.assertRegex(applicant.application_note, THAI)
        self.assertIsNotNone(applicant.contact_person)
        self.assertEqual(Organization.objects.exclude(status=MembershipStatus.MEMBER).count(), 1)

    def test_it_gives_every_member_units_and_links_at_all_six_levels(self) -> None:
        for organization in Organization.objects.filter(status=MembershipStatus.MEMBER).annotate(n=Count("units")):
            self.assertTrue(2 <= organization.n <= 4, organization.code)
        self.assertTrue(Unit.objects.filter(parent__isnull=False).exists())
        links = NetworkLink.objects.all()
        self.assertTrue(10 <= links.count() <= 14)
        self.assertEqual(set(links.values_list("level", flat=True)), set(NetworkLevel.values))
        for link in links:
            self.assertRegex(link.reason, THAI)
            self.assertNotEqual(link.source_id, link.target_id)
            self.assertLessEqual(link.since, timezone.localdate())

    def test_it_writes_the_network_profile_and_marks_critical_topics(self) -> None:
        profile = NetworkProfile.objects.get()
        self.assertRegex(profile.knowledge_vision, THAI)
        self.assertIn("## ", profile.knowledge_vision)
        self.assertIsNotNone(profile.started_on)
        self.assertTrue(5 <= Topic.objects.filter(critical=True).count() <= 7)

    def test_it_builds_organizations_across_all_sectors_and_regions(self) -> None:
        orgs = list(Organization.objects.filter(status=MembershipStatus.MEMBER))
        self.assertGreaterEqual(len(orgs), 8)
        self.assertEqual({o.sector for o in orgs}, set(Sector.values))
        self.assertEqual({REGION_OF[o.province] for o in orgs}, set(REGION_OF.values()))
        for org in orgs:
            self.assertTrue(org.name_th and org.name_en and org.code and org.description, org.code)
            host = urlparse(org.website).hostname or ""
            self.assertTrue(host.endswith(".example") or host == "example.org", org.website)

    def test_it_gives_thirty_people_profiles_and_every_km_role(self) -> None:
        self.assertGreaterEqual(self.people.count(), 30)
        for person in self.people.annotate(skills=Count("expertise")):
            self.assertTrue(person.name_th and person.name_en and person.position and person.bio, person.username)
            self.assertIsNotNone(person.organization_id)
            self.assertGreater(person.skills, 0)
        roles = Counter(KMRoleHolding.objects.values_list("role", flat=True))
        self.assertEqual(set(roles), set(KMRole.values))
        self.assertGreaterEqual(roles[KMRole.FACILITATOR], 4)
        self.assertGreaterEqual(roles[KMRole.NOTE_TAKER], 4)

    def test_it_creates_the_admin_and_a_member_whose_credentials_it_prints(self) -> None:
        admin = User.objects.get(username="admin")
        self.assertTrue(admin.is_superuser and admin.is_staff)
        self.assertTrue(admin.check_password("platoo-demo"))
        member = User.objects.get(username="demo")
        self.assertFalse(member.is_staff)
        self.assertTrue(member.check_password("platoo-demo"))
        self.assertIn("admin / platoo-demo", self.output)
        self.assertIn("demo / platoo-demo", self.output)

    def test_it_writes_sixty_items_of_every_kind_visibility_and_several_licences(self) -> None:
        self.assertGreaterEqual(self.items.count(), 60)
        self.assertEqual(set(self.items.values_list("kind", flat=True)), set(Kind.values))
        visibilities = Counter(self.items.values_list("visibility", flat=True))
        self.assertEqual(set(visibilities), set(Visibility.values))
        self.assertGreater(visibilities[Visibility.PUBLIC] + visibilities[Visibility.NETWORK], 45)
        self.assertGreaterEqual(len(set(self.items.values_list("license", flat=True))), 5)
        english = [i for i in self.items if not THAI.search(i.title)]
        self.assertGreaterEqual(len(english), 3)

    def test_it_fills_every_item_and_the_fields_of_its_kind(self) -> None:
        lengths = []
        for item in self.items.annotate(n_topics=Count("topics", distinct=True), n_tags=Count("tags", distinct=True)):
            self.assertTrue(item.summary and item.n_topics and item.n_tags, item.title)
            fields = [text for _label, text in item.kind_fields()]
            self.assertTrue(all(fields), item.title)
            if item.visibility != Visibility.PRIVATE:  # drafts are short; everything else is a real read
                lengths.append(len(item.body + "".join(fields)))
        self.assertGreater(min(lengths), 300)
        self.assertGreater(sum(lengths) / len(lengths), 900)
        marked_up = [i for i in self.items if re.search(r"^(## |- |1\. |\| )", i.body, re.MULTILINE)]
        self.assertGreaterEqual(len(marked_up), 50)
        self.assertEqual(self.items.filter(kind=Kind.LESSON).exclude(aar_next_time="").count(), 16)

    def test_it_tags_domain_words_and_words_found_inside_compounds(self) -> None:
        tags = set(Tag.objects.filter(items__isnull=False).values_list("name", flat=True))
        self.assertTrue({"ชุมชนแนวปฏิบัติ", "ถอดบทเรียน", "คุณอำนวย", "งบประมาณ"} <= tags)
        budget = self.items.filter(tags__name="งบประมาณ")
        self.assertTrue(any("งบประมาณแผ่นดิน" in f"{i.title} {i.body}" for i in budget))

    def test_it_finds_a_word_inside_a_compound_without_revealing_hidden_items(self) -> None:
        results = search(AnonymousUser(), "งบประมาณ")
        found = {hit.obj.pk for hit in results.hits if hit.label == "knowledge"}
        expected = self.items.filter(visibility=Visibility.PUBLIC, body__contains="งบประมาณแผ่นดิน")
        self.assertTrue(expected.exists())
        self.assertTrue(set(expected.values_list("pk", flat=True)) <= found)
        self.assertFalse(self.items.filter(pk__in=found).exclude(visibility=Visibility.PUBLIC).exists())

    def test_it_spreads_items_over_two_years_with_a_consistent_history(self) -> None:
        now = timezone.now()
        dates = sorted(self.items.values_list("created_at", flat=True))
        self.assertGreater(dates[0], now - timedelta(days=730))
        self.assertGreater(dates[-1] - dates[0], timedelta(days=600))
        for item in self.items.prefetch_related("revisions", "comments"):
            revisions = sorted(item.revisions.all(), key=lambda r: r.number)
            self.assertEqual([r.number for r in revisions], list(range(1, item.version + 1)), item.title)
            self.assertEqual(revisions[0].created_at, item.created_at)
            self.assertEqual(revisions[-1].created_at, item.updated_at)
            moments = [r.created_at for r in revisions]
            self.assertEqual(moments, sorted(moments))
            self.assertEqual(revisions[-1].data["title"], item.title)
            for comment in item.comments.all():
                self.assertTrue(item.created_at < comment.created_at < now, item.title)
        edited = self.items.annotate(n=Count("revisions")).filter(n__gte=2)
        self.assertGreaterEqual(edited.count(), 8)
        self.assertTrue(edited.filter(n=4).exists())
        self.assertTrue(edited.filter(n=3).exists())

    def test_it_adds_comments_by_many_people_views_and_real_attachments(self) -> None:
        comments = Comment.objects.all()
        self.assertGreaterEqual(comments.count(), 60)
        self.assertGreaterEqual(comments.values("author").distinct().count(), 15)
        self.assertFalse(self.items.exclude(visibility=Visibility.PRIVATE).filter(view_count=0).exists())
        attachments = list(Attachment.objects.all())
        self.assertEqual({a.content_type for a in attachments}, {DOCX.content_type, XLSX.content_type})
        for attachment in attachments:
            self.assertRegex(attachment.extracted_text, THAI)
            self.assertTrue(default_storage.exists(attachment.file.name))
            self.assertEqual(default_storage.size(attachment.file.name), attachment.size)

    def test_it_changes_nothing_when_run_again(self) -> None:
        before = counts()
        latest = self.items.order_by("-updated_at").values_list("pk", "updated_at").first()
        output = load()
        self.assertIn("already loaded", output)
        self.assertEqual(counts(), before)
        self.assertEqual(self.items.order_by("-updated_at").values_list("pk", "updated_at").first(), latest)

    def test_it_rebuilds_the_network_with_reset(self) -> None:
        before = counts()
        old_items = set(self.items.values_list("pk", flat=True))
        old_files = list(Attachment.objects.values_list("file", flat=True))
        admin = User.objects.get(username="admin")
        with self.captureOnCommitCallbacks(execute=True):
            output = load(reset=True)
        self.assertIn("Loaded the demo network", output)
        self.assertEqual(counts(), before)
        self.assertFalse(old_items & set(self.items.values_list("pk", flat=True)))
        self.assertFalse(any(default_storage.exists(name) for name in old_files))
        self.assertEqual(User.objects.get(username="admin").pk, admin.pk)

    def test_it_refuses_to_load_over_someone_elses_account_and_leaves_no_trace(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            remove_everything()
        User.objects.create_user("kittipong", "kittipong@elsewhere.example", "another-password")
        with self.assertRaisesMessage(CommandError, "kittipong"):
            load()
        self.assertFalse(Organization.objects.exists())
        self.assertFalse(KnowledgeItem.objects.exists())
