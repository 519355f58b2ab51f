"""Searching communities of practice, their discussions and meetings: secret ones never reach outsiders."""

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from platoo.accounts.models import User
from platoo.accounts.tests.helpers import make_person
from platoo.communities import actions
from platoo.communities.models import Membership
from platoo.network.actions import do_apply_for_membership
from platoo.network.models import Organization
from platoo.search import registry
from platoo.search.models import SearchDocument
from platoo.search.query import search

from .base import update
from .work import WorkTestCase, make_meeting, make_reply, make_thread

TYPES = ["community", "thread", "meeting"]


class CommunitySearchTests(WorkTestCase):
    """Each CoP has a discussion and a meeting about ฝายแม้ว (check dams); the public one's discussion
    has a reply about the village water supply."""

    @classmethod
    def build(cls) -> None:
        super().build()
        cls.frank = make_person(cls.admin, "frank", cls.beta)
        update(cls.public, purpose="แลกเปลี่ยนเรื่องฝายแม้วและการจัดการน้ำ")
        cls.open_thread = make_thread(cls.public, cls.alice, "ฝายแม้วพังหลังฝนตกหนัก", "ใครเคยซ่อมบ้าง")
        make_reply(cls.open_thread, cls.bob, "หมู่บ้านเราใช้ระบบประปาภูเขาแทน")
        cls.closed_thread = make_thread(cls.closed, cls.alice, "ฝายแม้วของกลุ่มปิด", "เฉพาะสมาชิก")
        cls.closed_meeting = make_meeting(cls.closed, "ประชุมฝายแม้วกลุ่มปิด")
        update(cls.secret, name="ชุมชนฝายแม้วลับ")
        cls.secret_thread = make_thread(cls.secret, cls.alice, "ฝายแม้วงบลับ", "ตัวเลขงบประมาณ")
        cls.secret_meeting.agenda = "ทบทวนฝายแม้วทุกแห่งตามแผนพยัคฆ์"
        cls.secret_meeting.save()

    def found(self, user: object, q: str = "ฝายแม้ว", **params: str) -> dict[str, set[int]]:
        results = search(user, q, params=params, types=TYPES, limit=100)
        found: dict[str, set[int]] = {label: set() for label in TYPES}
        for hit in results.hits:
            found[hit.label].add(hit.obj.pk)
        # The counts per type say exactly what the hits are: nothing hidden is counted.
        self.assertEqual({k: len(v) for k, v in found.items() if v}, {k: n for k, n in results.counts.items() if n})
        return found

    def counts(self, user: object) -> dict[str, int]:
        return {label: n for label, n in search(user, "ฝายแม้ว", types=TYPES).counts.items() if n}

    def test_outsiders_never_find_a_secret_cop_its_discussions_or_meetings_not_even_in_counts(self) -> None:
        for outsider in (AnonymousUser(), self.carol, self.frank, self.bob):
            with self.subTest(outsider=outsider):
                found = self.found(outsider)
                self.assertNotIn(self.secret.pk, found["community"])
                self.assertNotIn(self.secret_thread.pk, found["thread"])
                self.assertNotIn(self.secret_meeting.pk, found["meeting"])
                self.assertEqual(search(outsider, "งบลับ", types=TYPES).total, 0)
                self.assertEqual(search(outsider, "พยัคฆ์").total, 0)  # every type, as the page searches
        self.assertEqual(self.counts(self.carol), {"community": 1, "thread": 1})
        self.assertEqual(self.counts(AnonymousUser()), {"community": 1})

    def test_members_and_superusers_find_the_secret_cop_and_its_content(self) -> None:
        for insider in (self.alice, self.dave, self.admin):
            with self.subTest(insider=insider):
                found = self.found(insider)
                self.assertIn(self.secret.pk, found["community"])
                self.assertIn(self.secret_thread.pk, found["thread"])
                self.assertIn(self.secret_meeting.pk, found["meeting"])
                self.assertEqual([hit.obj for hit in search(insider, "พยัคฆ์").hits], [self.secret_meeting])
                self.assertIn(self.secret_thread, [hit.obj for hit in search(insider, "งบลับ", types=TYPES).hits])

    def test_someone_invited_finds_the_secret_cop_but_not_yet_its_content(self) -> None:
        actions.do_invite(self.alice, self.secret, "frank")
        found = self.found(self.frank)
        self.assertIn(self.secret.pk, found["community"])
        self.assertEqual((found["thread"], found["meeting"]), ({self.open_thread.pk}, set()))

    def test_a_closed_cops_discussions_and_meetings_reach_its_members_only(self) -> None:
        self.assertIn(self.closed.pk, self.found(self.carol, "closed-cop")["community"])  # anyone sees a closed CoP
        outsider = self.found(self.carol)
        self.assertNotIn(self.closed_thread.pk, outsider["thread"])
        self.assertNotIn(self.closed_meeting.pk, outsider["meeting"])
        actions.do_join(self.carol, self.closed)  # a request is not membership
        self.assertNotIn(self.closed_thread.pk, self.found(self.carol)["thread"])
        actions.do_decide_request(self.alice, Membership.objects.get(user=self.carol, community=self.closed), True)
        member = self.found(self.carol)
        self.assertIn(self.closed_thread.pk, member["thread"])
        self.assertIn(self.closed_meeting.pk, member["meeting"])

    def test_a_public_cops_discussions_are_for_signed_in_members(self) -> None:
        self.assertEqual(self.found(AnonymousUser())["thread"], set())
        self.assertEqual(self.found(self.carol)["thread"], {self.open_thread.pk})

    def test_a_discussion_is_found_by_a_thai_word_from_the_middle_of_a_reply(self) -> None:
        results = search(self.carol, "ประปา", types=["thread"])
        self.assertEqual([hit.obj for hit in results.hits], [self.open_thread])
        self.assertIn("<mark>ประปา</mark>", results.hits[0].snippet_html)

    def test_a_community_is_found_by_its_purpose_domain_and_topics(self) -> None:
        for words in ("การจัดการน้ำ", "ส่งเวร", "Water management"):
            with self.subTest(words=words):
                self.assertIn(self.public.pk, self.found(self.carol, words)["community"])

    def test_a_meeting_is_found_by_its_place_agenda_and_minutes(self) -> None:
        self.forum.minutes = "สรุปว่าจะขุดสระเก็บน้ำร่วมกัน"
        with self.captureOnCommitCallbacks(execute=True):
            self.forum.save()
        for words in ("ศาลาประชาคม", "เก็บน้ำฝน", "ขุดสระ"):
            with self.subTest(words=words):
                self.assertEqual(self.found(self.carol, words)["meeting"], {self.forum.pk})

    def test_saving_or_deleting_a_reply_reindexes_its_discussion(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            reply = make_reply(self.open_thread, self.bob, "ลองใช้กระสอบทรายเสริมตลิ่ง")
        self.assertEqual(self.found(self.carol, "กระสอบทราย")["thread"], {self.open_thread.pk})
        with self.captureOnCommitCallbacks(execute=True):
            reply.delete()
        self.assertEqual(self.found(self.carol, "กระสอบทราย")["thread"], set())

    def test_a_change_of_visibility_reaches_every_discussion_and_meeting(self) -> None:
        self.assertEqual(self.found(self.carol)["thread"], {self.open_thread.pk})
        with self.captureOnCommitCallbacks(execute=True):
            update(self.public, visibility="secret")
        self.assertEqual(self.found(self.carol), {"community": set(), "thread": set(), "meeting": set()})
        self.assertIn(self.open_thread.pk, self.found(self.bob)["thread"])  # a member
        audiences = set(
            SearchDocument.objects.filter(label__in=["thread", "meeting"]).values_list("audience", flat=True)
        )
        self.assertNotIn("network", audiences)

    def test_a_change_of_topics_reindexes_the_community_and_its_presenters(self) -> None:
        self.assertEqual(self.found(self.carol, "มูลฐาน")["community"], set())
        with self.captureOnCommitCallbacks(execute=True):
            update(self.public, topic_ids=[self.water.pk, self.health.pk])
        self.assertEqual(self.found(self.carol, "มูลฐาน")["community"], {self.public.pk})
        self.assertEqual(
            {hit.obj for hit in search(self.carol, "มูลฐาน", types=["person"]).hits}, {self.carol, self.bob}
        )
        with self.captureOnCommitCallbacks(execute=True):
            self.health.communities.remove(self.public)  # and from the topic's side
        self.assertEqual(self.found(self.carol, "มูลฐาน")["community"], set())
        self.assertEqual([hit.obj for hit in search(self.carol, "มูลฐาน", types=["person"]).hits], [self.carol])

    def test_the_organization_filter_keeps_communities_involving_it(self) -> None:
        self.assertEqual(self.found(self.alice, org="alpha")["community"], {self.public.pk})
        self.assertEqual(self.found(self.alice, org="alpha")["thread"], {self.open_thread.pk})
        self.assertEqual(self.found(self.alice, org="beta"), {"community": set(), "thread": set(), "meeting": set()})

    def test_knowledge_only_filters_leave_communities_out(self) -> None:
        for name, value in (("kind", "lesson"), ("topic", "water"), ("tag", "ฝาย"), ("year", "2569")):
            with self.subTest(filter=name):
                self.assertEqual(search(self.admin, "ฝายแม้ว", params={name: value}, types=TYPES).counts, {})

    def test_audiences_and_grants_admit_exactly_what_the_permission_doorway_admits(self) -> None:
        """Unfiltered search admits documents of the audiences a searcher holds and the objects granted to
        them alone, instead of asking visible() row by row: for every kind of user the two must agree."""
        actions.do_invite(self.alice, self.secret, "frank")  # invited, not yet a member
        actions.do_join(self.erin, self.closed)  # asked to join, not yet a member
        inactive = make_person(self.admin, "gone", self.alpha)
        User.objects.filter(pk=inactive.pk).update(is_active=False)
        inactive.refresh_from_db()
        inactive_admin = User.objects.create_superuser("root", "root@example.org", "pw-root-42", is_active=False)
        documents = list(SearchDocument.objects.filter(label__in=TYPES))
        self.assertEqual(
            {d.audience for d in documents},
            {"public", "network", f"community:{self.closed.pk}", f"community:{self.secret.pk}"},
        )
        users = [None, AnonymousUser(), self.alice, self.bob, self.carol, self.dave, self.erin, self.frank]
        for user in [*users, self.admin, inactive, inactive_admin]:
            for label in TYPES:
                adapter = registry.adapters()[label]
                visible = set(adapter.visible(user).values_list("pk", flat=True))
                held = set(adapter.audiences(user))
                granted = adapter.granted(user)
                admitted = {d.object_id for d in documents if d.label == label and d.audience in held}
                admitted |= set(granted.values_list("pk", flat=True)) if granted is not None else set()
                indexed = {d.object_id for d in documents if d.label == label}
                with self.subTest(user=user, label=label):
                    self.assertEqual(admitted & indexed, visible & indexed)


class CommunitySearchPageTests(WorkTestCase):
    @classmethod
    def build(cls) -> None:
        super().build()
        cls.thread = make_thread(cls.public, cls.alice, "เวทีฝายแม้ว", "ชวนคุยเรื่องฝายแม้ว")
        update(cls.public, name="ชุมชนคนทำฝายแม้ว")

    def test_the_page_names_each_type_in_thai_and_shows_where_a_discussion_is(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.get(reverse("search:results"), {"q": "ฝายแม้ว"})
        self.assertContains(response, "ชุมชนแนวปฏิบัติ")
        self.assertContains(response, "การสนทนา")
        self.assertContains(response, "การสนทนาใน ชุมชนคนทำฝายแม้ว")
        self.assertContains(response, self.thread.get_absolute_url())

    def test_the_page_never_offers_a_secret_cop_to_outsiders(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.get(reverse("search:results"), {"q": "secret-cop ชุมชน"})
        self.assertNotContains(response, self.secret.get_absolute_url())
        self.assertNotIn("secret", str(response.context["found"].counts))

    def test_the_api_returns_discussions_with_their_api_address(self) -> None:
        self.client.force_login(self.carol)
        data = self.client.get("/api/v1/search", {"q": "ฝายแม้ว", "type": "thread"}).json()
        [hit] = data["hits"]
        self.assertEqual((hit["type"], hit["id"]), ("thread", self.thread.pk))
        self.assertEqual(self.client.get(hit["api_url"]).json()["id"], self.thread.pk)
        self.assertEqual(data["counts"], {"thread": 1})
        self.client.logout()
        anonymous = self.client.get("/api/v1/search", {"q": "ชุมชน"}).json()
        self.assertNotIn(self.secret.get_absolute_url(), str(anonymous))
        self.assertEqual(anonymous["counts"].get("thread", 0), 0)

    def test_the_organization_filter_offers_member_organizations_only(self) -> None:
        do_apply_for_membership(self.carol, Organization(name_th="มูลนิธิยื่นสมัคร", code="hopeful", sector="private"), "")
        response = self.client.get(reverse("search:results"), {"q": "ฝาย"})
        self.assertContains(response, 'value="alpha"')
        self.assertNotContains(response, 'value="hopeful"')
