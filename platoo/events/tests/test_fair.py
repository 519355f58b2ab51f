from datetime import timedelta

from django.db.models import QuerySet
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from platoo.accounts.models import User
from platoo.accounts.tests.helpers import make_item, make_organization, make_person
from platoo.events import actions, fair_gathering, showcase
from platoo.events.models import EventKind
from platoo.knowledge import verification
from platoo.knowledge.models import Kind, KnowledgeItem, Topic
from platoo.network.models import NetworkProfile, Sector

from .base import EventTestCase, make_event
from .test_showcase import the_day_comes


def set_network_start(days_ago: int) -> None:
    profile = NetworkProfile.load()
    profile.started_on = timezone.localdate() - timedelta(days=days_ago)
    profile.save()


class ReadinessPageTests(EventTestCase):
    def test_it_shows_each_check_with_its_numbers_and_says_verification_waits_for_the_panels(self) -> None:
        set_network_start(400)  # thirteen months
        make_item(self.bob, "เรื่องเล่าหนึ่ง")
        self.client.force_login(self.bob)
        response = self.client.get(reverse("events:fair"))
        rows = response.context["readiness"].checks
        self.assertEqual([(c.met, c.have, c.need) for c in rows], [(False, 13, 24), (False, 0, 30)])
        self.assertContains(response, '<td class="number">13</td><td class="number">24</td>')
        self.assertContains(response, rows[0].missing)  # 11 more months
        self.assertContains(response, rows[1].missing)  # the expert panels are not set up
        self.assertContains(response, 'class="message warning"')
        self.assertFalse(response.context["readiness"].verification_available)
        self.assertEqual(response.context["readiness"].stories, 1)

    def test_it_asks_visitors_to_sign_in(self) -> None:
        self.assertEqual(self.client.get(reverse("events:fair")).status_code, 302)


@override_settings(FAIR_MIN_VERIFIED_STORIES=2)
class FairTestCase(EventTestCase):
    """A network three years old whose stories are verified (a stand-in panel verifies every story)."""

    @staticmethod
    def every_story() -> QuerySet[KnowledgeItem]:
        return KnowledgeItem.objects.filter(kind=Kind.STORY)

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        verification.register(cls.every_story)
        try:
            cls.build()
        finally:
            verification.unregister(cls.every_story)

    def setUp(self) -> None:
        verification.register(self.every_story)
        self.addCleanup(verification.unregister, self.every_story)

    @classmethod
    def build(cls) -> None:
        set_network_start(3 * 365)
        cls.gamma = make_organization(cls.admin, "gamma", Sector.PRIVATE)
        cls.gina = make_person(cls.admin, "gina", cls.gamma)
        cls.quality = Topic.objects.create(slug="quality", name_th="คุณภาพบริการ", name_en="Service quality", position=1)
        cls.safety = Topic.objects.create(slug="safety", name_th="ความปลอดภัย", name_en="Safety", position=2)
        cls.read = make_item(cls.bob, "เรื่องเล่าที่คนอ่านมากที่สุด")
        cls.shown = make_item(cls.carol, "เรื่องเล่าที่ได้คะแนนสูง")
        cls.captured = make_item(cls.bob, "เรื่องเล่าที่จับได้จากงาน")
        cls.hidden = make_item(cls.gina, "เรื่องเล่าภายในแกมมา", "organization", cls.gamma)
        KnowledgeItem.objects.filter(pk=cls.read.pk).update(view_count=200)
        KnowledgeItem.objects.filter(pk=cls.shown.pk).update(view_count=50)
        KnowledgeItem.objects.filter(pk=cls.hidden.pk).update(view_count=900)
        day = make_event(
            cls.alice, "วันแบ่งปันประจำปี", kind=EventKind.SHARE_SHOW, sessions=[actions.SessionData(title="ช่วงเดียว")]
        )
        submission = showcase.do_submit(cls.carol, day, cls.shown)
        showcase.do_decide(cls.alice, submission, True, day.sessions.get())
        day = the_day_comes(day)
        for person, score in ((cls.bob, 5), (cls.dave, 5), (cls.erin, 4)):
            actions.do_check_in(cls.alice, day, person)
            showcase.do_vote(person, submission, score)
        actions.attach_to_event(cls.bob, day, cls.captured)
        the_day_comes(day, ended_days_ago=30)
        sessions = [
            actions.SessionData(title="ลดเวลารอคอย", topic_id=cls.quality.pk, speaker_ids=[cls.gina.pk]),
            actions.SessionData(title="ยาความเสี่ยงสูง", topic_id=cls.safety.pk, speaker_ids=[cls.carol.pk]),
            actions.SessionData(title="บริการด้วยใจ", topic_id=cls.quality.pk),
            actions.SessionData(title="เปิดงาน", guest_speakers="ผู้ว่าราชการจังหวัด"),
        ]
        cls.fair = make_event(cls.manager, "มหกรรมความรู้ประจำปี", kind=EventKind.FAIR, days=30, sessions=sessions)
        exhibit = showcase.do_submit(cls.bob, cls.fair, cls.read, "นิทรรศการเรื่องเล่า")
        showcase.do_decide(cls.manager, exhibit, True, cls.fair.sessions.get(title="เปิดงาน"))
        for person in (cls.bob, cls.carol, cls.gina):
            actions.do_register(person, cls.fair)


class BestStoriesTests(FairTestCase):
    def test_the_best_stories_add_reading_share_and_show_scores_and_capture(self) -> None:
        stories = fair_gathering.gather(self.fair, self.alice).stories
        by_title = {story.item.title: story for story in stories}
        self.assertNotIn(self.hidden.title, by_title)  # alpha's alice cannot read gamma's own story
        read, shown, captured = by_title[self.read.title], by_title[self.shown.title], by_title[self.captured.title]
        self.assertEqual((read.reading, read.shown, read.captured), (40.0, 0.0, 0))
        self.assertEqual((shown.reading, shown.votes, shown.average), (10.0, 3, 4.67))
        self.assertAlmostEqual(shown.shown, 40 * (14 / 3 - 1) / 4, places=1)
        self.assertEqual((captured.captured, captured.score), (20, 20.0))
        self.assertEqual([s.item.title for s in stories[:3]], [self.shown.title, self.read.title, self.captured.title])

    def test_a_reader_of_gammas_stories_sees_them_counted(self) -> None:
        titles = [story.item.title for story in fair_gathering.gather(self.fair, self.gina).stories]
        self.assertEqual(titles[0], self.hidden.title)  # 900 views: the most read of the year for gina


class FairPageTests(FairTestCase):
    def test_it_groups_sessions_by_topic_and_exhibitors_by_organization(self) -> None:
        gathering = fair_gathering.gather(self.fair, self.alice)
        self.assertEqual(
            [(t.slug if t else None, [s.title for s in sessions]) for t, sessions in gathering.topics],
            [("quality", ["ลดเวลารอคอย", "บริการด้วยใจ"]), ("safety", ["ยาความเสี่ยงสูง"]), (None, ["เปิดงาน"])],
        )
        exhibitors = {e.name: e for e in gathering.exhibitors}
        self.assertEqual([s.title for s in exhibitors["หน่วยงาน alpha"].exhibits], ["นิทรรศการเรื่องเล่า"])
        self.assertEqual([p.username for p in exhibitors["หน่วยงาน gamma"].speakers], ["gina"])
        self.assertEqual([p.username for p in exhibitors["หน่วยงาน beta"].speakers], ["carol"])
        self.assertEqual((gathering.registered, gathering.organizations), (3, 3))

    def test_the_page_reads_in_a_fixed_number_of_queries_however_many_registrants(self) -> None:
        url = reverse("events:fair_event", args=[self.fair.pk])
        self.client.force_login(self.bob)
        # Session, user, the event, the sessions and their speakers, registrations counted, exhibits,
        # readable exhibits, the year's scores, captures and most read, the candidates, the hub's
        # permissions (two), the organizer check, the share-and-show panel (accepted, bob's own,
        # may he vote, his votes: none, the fair has not started), the notifications badge.
        with self.assertNumQueries(19):
            response = self.client.get(url)
        self.assertContains(response, "มหกรรมความรู้ประจำปี")
        self.assertContains(response, "คุณภาพบริการ")
        self.assertContains(response, "ผู้ว่าราชการจังหวัด")
        for n in range(30):
            person = User.objects.create_user(f"visitor{n}", f"visitor{n}@example.org", None, organization=self.gamma)
            actions.do_register(person, self.fair)
        with self.assertNumQueries(19):
            response = self.client.get(url)
        self.assertEqual(response.context["gathering"].registered, 33)

    def test_another_kind_of_event_has_no_fair_page(self) -> None:
        visit = make_event(self.alice, "เยี่ยมเยือน")
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(reverse("events:fair_event", args=[visit.pk])).status_code, 404)

    def test_the_readiness_page_lists_the_fair_once_the_network_is_ready(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.get(reverse("events:fair"))
        self.assertTrue(response.context["readiness"].ready)
        self.assertContains(response, reverse("events:fair_event", args=[self.fair.pk]))
