import io
from datetime import timedelta
from unittest import mock

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from platoo.accounts.models import User
from platoo.accounts.tests.helpers import PASSWORD, make_item, make_organization, make_person
from platoo.events import actions
from platoo.events.models import FollowUp
from platoo.events.report import build_report, can_read_report
from platoo.lib import thai
from platoo.network.models import Sector

from .base import EventTestCase, make_event

REVIEWS = {
    "bob": "การส่งเวรแบบ SBAR ที่หอผู้ป่วยช่วยได้มาก และทุกคนเข้าใจตรงกัน",
    "carol": "ส่งเวรเร็วขึ้นมาก และลดความผิดพลาดที่เคยเกิด",
    "dave": "ได้เห็นการส่งเวรจริงที่ข้างเตียง และได้ถามพยาบาลที่มีประสบการณ์",
}


def add_people(count: int, event: object, organizer: User, organizations: list) -> None:
    """`count` people from the organizations in turn, registered and (nine in ten) checked in, through
    the actions; accounts made directly, without the sign-up's password hashing."""
    for n in range(count):
        person = User.objects.create_user(f"extra{n}", f"extra{n}@example.org", None)
        person.organization = organizations[n % len(organizations)]
        person.save(update_fields=["organization"])
        actions.do_register(person, event, "อยากรู้วิธีส่งเวร")
        if n % 10:
            actions.do_check_in(organizer, event, person)


class ReportTestCase(EventTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.gamma = make_organization(cls.admin, "gamma", Sector.PRIVATE)
        cls.gina = make_person(cls.admin, "gina", cls.gamma)
        cls.event = make_event(cls.alice, "วันแลกเปลี่ยนเรื่องการส่งเวร", days=0.01, capacity=3, host_id=cls.alpha.pk)
        actions.do_register(cls.bob, cls.event, "อยากรู้วิธีส่งเวรแบบ SBAR", "พยาบาลหัวหน้าเวร")
        actions.do_register(cls.carol, cls.event, "วิธีส่งเวรข้างเตียง", "พยาบาลที่มีประสบการณ์")
        actions.do_register(cls.erin, cls.event, "การส่งเวรให้ครบถ้วน")
        actions.do_register(cls.gina, cls.event, "ส่งเวรอย่างไรไม่ให้ตกหล่น")  # past capacity: on the waitlist
        for person in (cls.bob, cls.carol, cls.dave):  # dave, registered nowhere, walks in
            actions.do_check_in(cls.alice, cls.event, person)
        for name, text in REVIEWS.items():
            actions.do_write_review(getattr(cls, name), cls.event, {"happened": text, "next_time": "ครั้งหน้าจะมาอีก"})
        cls.public_item = make_item(cls.bob, "บทเรียนการส่งเวรแบบ SBAR", "public")
        cls.inside_item = make_item(cls.bob, "บันทึกภายในของอัลฟา", "organization", cls.alpha)
        for item in (cls.public_item, cls.inside_item):
            actions.attach_to_event(cls.bob, cls.event, item)
        yesterday = timezone.localdate() - timedelta(days=1)
        cls.late = actions.do_add_follow_up(cls.alice, cls.event, "ส่งแบบฟอร์ม SBAR ให้ทุกหน่วย", cls.bob, yesterday)
        done = actions.do_add_follow_up(cls.alice, cls.event, "สรุปบทเรียน", cls.carol, None)
        actions.do_set_follow_up_done(cls.carol, done, True)
        aar = {"aar_happened": "ได้เห็นการส่งเวรแบบ SBAR ที่หน้างาน", "aar_next_time": "เพิ่มเวลาแบ่งกลุ่มย่อย"}
        cls.event = actions.do_write_consolidated_aar(cls.alice, cls.event, aar, cls.event.version)

    def setUp(self) -> None:
        cache.clear()


class ReportFiguresTests(ReportTestCase):
    def test_it_counts_registered_attended_and_walk_ins_per_organization_and_sector(self) -> None:
        with translation.override("en"):
            report = build_report(self.event, self.alice)
        rows = {row.name: row for row in report.by_organization}
        alpha, beta, gamma = rows["Org alpha"], rows["Org beta"], rows["Org gamma"]
        self.assertEqual((alpha.registered, alpha.attended, alpha.walk_ins, alpha.absent), (1, 1, 0, 0))
        self.assertEqual((beta.registered, beta.attended, beta.absent), (2, 1, 1))
        self.assertEqual((gamma.registered, gamma.waitlisted, gamma.attended), (0, 1, 0))
        nobody = rows["No organization"]
        self.assertEqual((nobody.registered, nobody.attended, nobody.walk_ins), (0, 1, 1))
        sectors = {row.name: row for row in report.by_sector}
        self.assertEqual((sectors["Academic"].registered, sectors["Academic"].organizations), (2, 1))
        self.assertEqual(sectors["Private"].waitlisted, 1)
        totals = report.totals
        self.assertEqual((totals.registered, totals.attended, totals.walk_ins, totals.waitlisted), (3, 3, 1, 1))
        self.assertEqual(totals.organizations, 3)

    def test_a_word_many_reviews_use_tops_its_question_and_common_words_never_show(self) -> None:
        report = build_report(self.event, self.alice)
        happened = report.review_themes[1]
        self.assertEqual((happened.answers, happened.themes[0].text, happened.themes[0].count), (3, "ส่งเวร", 3))
        texts = {theme.text for question in report.review_themes for theme in question.themes}
        self.assertFalse(texts & {"ที่", "และ", "ได้", "มาก", "ครั้งหน้า"}, texts)
        self.assertTrue(all(len(theme.quotes) <= 2 for theme in happened.themes))
        self.assertIn(happened.themes[0].quotes[0], REVIEWS.values())
        learn = report.bar_themes[0]
        self.assertEqual((learn.answers, learn.themes[0].text), (4, "ส่งเวร"))

    def test_an_edited_review_changes_the_themes(self) -> None:
        build_report(self.event, self.alice)
        for name in ("bob", "carol"):
            actions.do_write_review(getattr(self, name), self.event, {"happened": "แบ่งกลุ่มย่อยได้ดีมาก"})
        happened = build_report(self.event, self.alice).review_themes[1]
        self.assertEqual(happened.themes[0].text, "แบ่งกลุ่มย่อย")

    def test_follow_ups_carry_their_owner_due_date_and_status(self) -> None:
        rows = build_report(self.event, self.bob).follow_ups
        late = next(row for row in rows if row.follow_up.pk == self.late.pk)
        self.assertTrue(late.overdue and late.can_mark)
        done = next(row for row in rows if row.follow_up.done_at)
        self.assertFalse(done.overdue or done.can_mark)


class ReportPermissionTests(ReportTestCase):
    def test_organizers_the_hub_and_those_who_took_part_read_it_and_no_one_else(self) -> None:
        self.assertTrue(all(can_read_report(self.event, p) for p in (self.alice, self.manager, self.bob, self.dave)))
        self.assertFalse(can_read_report(self.event, self.erin))  # registered, never checked in
        actions.do_add_follow_up(self.alice, self.event, "ส่งรายชื่อผู้เข้าร่วม", self.erin, None)
        self.assertTrue(can_read_report(self.event, self.erin))  # now she owns a follow-up
        self.client.force_login(self.gina)
        self.assertEqual(self.client.get(reverse("events:report", args=[self.event.pk])).status_code, 403)
        self.assertEqual(self.client.get(reverse("events:report_pdf", args=[self.event.pk])).status_code, 403)
        self.client.logout()
        response = self.client.get(reverse("events:report", args=[self.event.pk]))
        self.assertEqual(response.status_code, 302)

    def test_an_event_the_reader_cannot_see_has_no_report_for_them(self) -> None:
        inside = make_event(self.alice, "ภายในอัลฟา", days=0.01, visibility="organization", host_id=self.alpha.pk)
        self.client.force_login(self.carol)
        self.assertEqual(self.client.get(reverse("events:report", args=[inside.pk])).status_code, 404)

    def test_participants_do_not_see_each_others_emails_and_organizers_do(self) -> None:
        report, people = (
            reverse("events:report", args=[self.event.pk]),
            reverse("events:report_people", args=[self.event.pk]),
        )
        self.client.force_login(self.carol)
        response = self.client.get(people)
        self.assertContains(response, self.bob.display_name)
        self.assertNotContains(response, "bob@example.org")
        self.assertNotContains(self.client.get(report), f'action="/events/{self.event.pk}/follow-ups/"')
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(people), "bob@example.org")
        self.assertContains(self.client.get(report), f'action="/events/{self.event.pk}/follow-ups/"')
        self.client.force_login(self.erin)  # registered, never came
        self.assertEqual(self.client.get(people).status_code, 403)

    def test_captured_knowledge_the_reader_cannot_read_is_not_listed(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.get(reverse("events:report", args=[self.event.pk]))
        self.assertContains(response, "บทเรียนการส่งเวรแบบ SBAR")
        self.assertNotContains(response, "บันทึกภายในของอัลฟา")
        self.client.force_login(self.bob)
        self.assertContains(self.client.get(reverse("events:report", args=[self.event.pk])), "บันทึกภายในของอัลฟา")


class ReportPageTests(ReportTestCase):
    def test_the_page_shows_everything_in_a_fixed_number_of_queries_however_many_registrants(self) -> None:
        url = reverse("events:report", args=[self.event.pk])
        self.client.force_login(self.alice)
        self.client.get(url)  # the themes are computed once, then cached
        # Session, user and the two permission lists (is the reader the hub?), the event, is the reader an
        # organizer, attendance by organization, captured items, reviews, before-action reviews, follow-ups,
        # the network's name, who wrote the consolidated AAR, owner suggestions, the notifications badge.
        with self.assertNumQueries(15):
            response = self.client.get(url)
        self.assertContains(response, "หน่วยงาน beta")
        self.assertContains(response, "ส่งเวร")
        organizations = [self.alpha, self.beta, self.gamma]
        add_people(10 * 4, self.event, self.alice, organizations)  # ten times the four registrants
        self.client.get(url)
        with self.assertNumQueries(15):
            response = self.client.get(url)
        self.assertEqual(response.context["report"].totals.attended, 3 + 36)
        people = reverse("events:report_people", args=[self.event.pk])
        # Session, user, permissions (two), the event, organizer, the count, the page, the badge.
        with mock.patch("platoo.events.views.report.PEOPLE_PAGE_SIZE", 10), self.assertNumQueries(9):
            response = self.client.get(people, {"page": 2})
        page = response.context["page"]
        self.assertEqual((page.paginator.count, len(page.object_list)), (39, 10))

    def test_the_pdf_is_a_real_pdf_with_the_report_in_thai_and_sarabun(self) -> None:
        self.client.force_login(self.carol)
        url = reverse("events:report_pdf", args=[self.event.pk])
        self.client.get(url)
        # As the page, without the owner suggestions and the badge, plus "may carol read it" (she took part).
        with self.assertNumQueries(14):
            response = self.client.get(url)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertIn("filename*=utf-8''", response["Content-Disposition"])
        reader = PdfReader(io.BytesIO(response.content))
        text = thai.clean("\n".join(page.extract_text() for page in reader.pages))
        for expected in ("วันแลกเปลี่ยนเรื่องการส่งเวร", "หน่วยงาน beta", "ส่งเวร", "ส่งแบบฟอร์ม SBAR ให้ทุกหน่วย"):
            self.assertIn(expected, text)
        self.assertIn("หน้า 1 จาก", text)
        self.assertNotIn("บันทึกภายในของอัลฟา", text)  # carol cannot read alpha's own notes
        fonts = {
            str(font.get_object()["/BaseFont"]).split("+", 1)[1]
            for page in reader.pages
            for font in page["/Resources"]["/Font"].values()
        }
        self.assertTrue(fonts and all(name.startswith("Sarabun") for name in fonts), fonts)
        self.assertNotIn("bob@example.org", text)
        # Kept once laid out, and laid out again when the report changes.
        self.assertEqual(self.client.get(url).content, response.content)
        actions.do_add_follow_up(self.alice, self.event, "จัดอบรมทบทวนเดือนหน้า", None, None)
        again = PdfReader(io.BytesIO(self.client.get(url).content))
        self.assertIn("จัดอบรมทบทวนเดือนหน้า", thai.clean("".join(page.extract_text() for page in again.pages)))

    def test_organizers_add_a_follow_up_with_a_buddhist_era_date_and_its_owner_marks_it_done(self) -> None:
        self.client.force_login(self.alice)
        url = reverse("events:follow_up_add", args=[self.event.pk])
        response = self.client.post(url, {"action": "ทำคู่มือการส่งเวร", "owner": "nobody-here", "due_on": "2570-01-15"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "ทำคู่มือการส่งเวร", status_code=400)  # what was typed stays
        response = self.client.post(
            url, {"action": "ทำคู่มือการส่งเวร", "owner": "carol@example.org", "due_on": "2570-01-15"}
        )
        self.assertRedirects(response, reverse("events:report", args=[self.event.pk]) + "#follow-ups")
        follow_up = FollowUp.objects.get(action="ทำคู่มือการส่งเวร")
        self.assertEqual((follow_up.owner, follow_up.due_on.year), (self.carol, 2027))
        done_url = reverse("events:follow_up_done", args=[self.event.pk, follow_up.pk])
        self.client.force_login(self.bob)  # a participant, not its owner
        self.client.post(done_url, {"done": "1"})
        follow_up.refresh_from_db()
        self.assertIsNone(follow_up.done_at)
        self.client.force_login(self.carol)
        self.client.post(done_url, {"done": "1"})
        follow_up.refresh_from_db()
        self.assertIsNotNone(follow_up.done_at)

    def test_participants_cannot_add_follow_ups(self) -> None:
        self.client.login(username="carol", password=PASSWORD)
        self.client.post(reverse("events:follow_up_add", args=[self.event.pk]), {"action": "แอบเพิ่ม"})
        self.assertFalse(FollowUp.objects.filter(action="แอบเพิ่ม").exists())
