"""The cycle's pages: the item page's block, panels, the review queue and a review round."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from platoo.accounts.tests.helpers import PASSWORD, make_person
from platoo.cycle import actions
from platoo.cycle.models import CriticalKnowledge, ReviewRound, Stage

from .base import GOOD_REVIEW, CycleTestCase
from .test_cycle import edit


class CyclePageTestCase(CycleTestCase):
    def login(self, user) -> None:  # type: ignore[no-untyped-def]
        self.assertTrue(self.client.login(username=user.username, password=PASSWORD))


class ItemSectionTests(CyclePageTestCase):
    def test_an_author_is_offered_to_mark_the_item_and_a_visitor_sees_nothing_of_the_cycle(self) -> None:
        item = self.make_item(visibility="public")
        self.assertNotContains(self.client.get(item.get_absolute_url()), 'id="cycle"')
        self.login(self.alice)
        response = self.client.get(item.get_absolute_url())
        self.assertContains(response, reverse("cycle:mark", args=[item.pk]))
        self.login(self.bob)  # neither author, hub nor expert
        self.assertNotContains(self.client.get(item.get_absolute_url()), 'id="cycle"')

    def test_marking_then_categorizing_from_the_page_moves_it_on_and_draws_the_timeline(self) -> None:
        item = self.make_item()
        self.login(self.alice)
        self.client.post(reverse("cycle:mark", args=[item.pk]))
        critical = CriticalKnowledge.objects.get(item=item)
        data = {
            "topic": self.subtopic.pk,
            "knowledge_type": "tacit",
            "audience": "practitioners",
            "source": "interview",
            "owner": self.alpha.pk,
            "priority": "urgent",
            "version": critical.version,
        }
        response = self.client.post(reverse("cycle:categorize", args=[item.pk]), data, follow=True)
        self.assertContains(response, "บันทึกหมวดหมู่แล้ว")
        self.assertContains(response, 'aria-current="step">จัดหมวดหมู่แล้ว<')
        self.assertContains(response, "ส่งให้คณะผู้เชี่ยวชาญพิจารณา")
        self.assertEqual(CriticalKnowledge.objects.get(item=item).stage, Stage.CATEGORIZED)

    def test_a_bad_category_and_an_illegal_move_are_refused_with_a_message(self) -> None:
        critical = self.categorized()
        self.login(self.alice)
        url = reverse("cycle:categorize", args=[critical.item_id])
        response = self.client.post(url, {"priority": "someday", "version": critical.version}, follow=True)
        self.assertContains(response, "ระดับความสำคัญ:")
        move = reverse("cycle:move", args=[critical.item_id])
        response = self.client.post(
            move, {"move": "standardize", "reason": "x", "version": critical.version}, follow=True
        )
        self.assertContains(response, 'class="message error"')
        self.assertEqual(CriticalKnowledge.objects.get(pk=critical.pk).stage, Stage.CATEGORIZED)

    def test_a_stale_move_says_where_the_item_is_now(self) -> None:
        critical = self.categorized()
        stale = critical.version
        actions.do_move(self.alice, critical, "submit", base_version=stale)
        self.login(self.hub)
        response = self.client.post(
            reverse("cycle:move", args=[critical.item_id]),
            {"move": "archive", "reason": "x", "version": stale},
            follow=True,
        )
        self.assertContains(response, "มีผู้อื่นขยับความรู้นี้ไปก่อนแล้ว")
        self.assertEqual(CriticalKnowledge.objects.get(pk=critical.pk).stage, Stage.IN_REVIEW)

    def test_verified_and_due_knowledge_carry_their_badges_in_lists_and_search(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            critical = self.verified(self.make_item("ระบบยาสองชั้นตรวจสอบ", visibility="public"))
        self.assertContains(self.client.get(reverse("knowledge:list")), 'class="badge verified"')
        self.assertContains(self.client.get(reverse("search:results"), {"q": "ตรวจสอบ"}), 'class="badge verified"')
        CriticalKnowledge.objects.filter(pk=critical.pk).update(reverify_due=timezone.localdate() - timedelta(days=1))
        self.assertContains(self.client.get(reverse("search:results"), {"q": "ตรวจสอบ"}), "ต้องรับรองซ้ำ")
        self.assertContains(self.client.get(critical.item.get_absolute_url()), "ต้องรับรองซ้ำ")


class PanelPageTests(CyclePageTestCase):
    def test_the_list_shows_each_panel_with_its_trust_figure(self) -> None:
        self.verified()
        self.categorized(self.make_item("อีกเรื่อง"))
        response = self.client.get(reverse("cycle:panels"))
        self.assertContains(response, self.panel.name)
        self.assertContains(response, "50% <span")

    def test_the_panel_page_lists_what_waits_with_its_reviews(self) -> None:
        critical = self.in_review()
        actions.do_review(self.experts[0], ReviewRound.objects.get(critical=critical), GOOD_REVIEW)
        self.assertNotContains(self.client.get(self.panel.get_absolute_url()), critical.item.title)  # network-only
        self.login(self.bob)
        response = self.client.get(self.panel.get_absolute_url())
        self.assertContains(response, critical.item.title)
        self.assertContains(response, '<td class="number">1/3</td>')

    def test_only_the_hub_sets_up_a_panel_and_mistakes_come_back_with_what_was_typed(self) -> None:
        self.login(self.alice)
        self.assertEqual(self.client.get(reverse("cycle:panel_new")).status_code, 403)
        self.login(self.hub)
        data = {
            "name": "คลังสมองใหม่",
            "topic": self.subtopic.pk,
            "members": "alice, nobody",
            "quorum": 3,
            "reverify_months": 12,
        }
        response = self.client.post(reverse("cycle:panel_new"), data)
        self.assertContains(response, "nobody", status_code=400)
        self.assertContains(response, "คลังสมองใหม่", status_code=400)
        data["members"] = "alice, bob, dave, expert0, expert1"
        data["chair"] = "bob"
        response = self.client.post(reverse("cycle:panel_new"), data)
        self.assertEqual(response.status_code, 302)


class RoundPageTests(CyclePageTestCase):
    def test_a_panel_member_reviews_and_the_chair_records_the_verdict(self) -> None:
        critical = self.in_review()
        review_round = ReviewRound.objects.get(critical=critical)
        url = reverse("cycle:round", args=[review_round.pk])
        form = {"review": "1", "accuracy": 5, "applicability": 4, "evidence": 4, "recommendation": "verify"}
        for expert in self.experts[:3]:
            self.login(expert)
            self.assertEqual(self.client.post(url, form).status_code, 302)
        self.login(self.carol)
        response = self.client.get(url)
        self.assertContains(response, "ผู้เชี่ยวชาญส่วนใหญ่เสนอ")
        response = self.client.post(url, {"verdict": "1", "outcome": "verified"}, follow=True)
        self.assertContains(response, "บันทึกมติแล้ว")
        self.assertEqual(CriticalKnowledge.objects.get(pk=critical.pk).stage, Stage.VERIFIED)

    def test_a_verdict_without_quorum_shows_why(self) -> None:
        review_round = ReviewRound.objects.get(critical=self.in_review())
        self.login(self.carol)
        response = self.client.post(
            reverse("cycle:round", args=[review_round.pk]), {"verdict": "1", "outcome": "verified"}
        )
        self.assertContains(response, "ต้องมีความเห็นต่อฉบับนี้ 3 ความเห็น", status_code=400)

    def test_the_author_reads_the_round_but_cannot_review_and_outsiders_get_nothing(self) -> None:
        review_round = ReviewRound.objects.get(critical=self.in_review())
        url = reverse("cycle:round", args=[review_round.pk])
        self.login(self.alice)
        response = self.client.get(url)
        self.assertContains(response, "ผู้เขียนไม่พิจารณารับรองงานของตนเอง")
        self.assertNotContains(response, 'name="review"')
        self.login(self.bob)
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_after_an_edit_the_panel_sees_what_changed(self) -> None:
        critical = self.verified()
        edit(critical.item, self.alice, body="เพิ่มขั้นตอนการตรวจซ้ำโดยเภสัชกร")
        review_round = ReviewRound.objects.get(critical=critical, closed_at__isnull=True)
        self.login(self.experts[0])
        response = self.client.get(reverse("cycle:round", args=[review_round.pk]))
        self.assertContains(response, "สิ่งที่เปลี่ยนไปนับจากที่คณะผู้เชี่ยวชาญรับรอง")
        self.assertContains(response, "<ins>")

    def test_the_queue_lists_what_waits_for_me(self) -> None:
        critical = self.in_review()
        self.login(self.experts[1])
        response = self.client.get(reverse("cycle:queue"))
        self.assertContains(response, critical.item.title)
        self.assertContains(response, "ยังไม่ได้ให้")

    def test_the_round_page_runs_a_fixed_number_of_queries(self) -> None:
        critical = self.in_review()
        review_round = ReviewRound.objects.get(critical=critical)
        for expert in self.experts[:2]:
            actions.do_review(expert, review_round, GOOD_REVIEW)
        url = reverse("cycle:round", args=[review_round.pk])
        self.login(self.carol)
        with CaptureQueriesContext(connection) as few:
            self.client.get(url)
        for n in range(2):
            extra = make_person(self.admin, f"late{n}")
            actions.do_save_panel(
                self.hub,
                self.panel,
                actions.PanelData(
                    name=self.panel.name,
                    topic_id=self.topic.pk,
                    member_ids=[self.carol.pk, *(e.pk for e in self.experts), extra.pk],
                    chair_id=self.carol.pk,
                ),
            )
            actions.do_review(extra, review_round, GOOD_REVIEW)
        with CaptureQueriesContext(connection) as more:
            self.client.get(url)
        self.assertEqual(len(more), len(few))
        self.assertEqual(len(few), 11)


class AdminTests(CyclePageTestCase):
    def test_the_admin_shows_the_cycle_to_look_up_and_changes_nothing(self) -> None:
        critical = self.verified()
        self.client.force_login(self.admin)
        for model in ["panel", "criticalknowledge", "reviewround"]:
            with self.subTest(model=model):
                self.assertEqual(self.client.get(reverse(f"admin:cycle_{model}_changelist")).status_code, 200)
        page = self.client.get(reverse("admin:cycle_criticalknowledge_change", args=[critical.pk]))
        self.assertContains(page, "in_review → verified")
        self.assertEqual(self.client.get(reverse("admin:cycle_panel_add")).status_code, 403)


class RefusedMoveTests(CyclePageTestCase):
    def test_a_refused_move_keeps_the_reason_typed_for_it(self) -> None:
        critical = self.verified()
        newer = self.make_item("ฉบับปรับปรุง", visibility="private", author=self.alice)  # the hub cannot read it
        self.login(self.hub)
        response = self.client.post(
            reverse("cycle:move", args=[critical.item_id]),
            {"move": "supersede", "reason": "มีคู่มือฉบับใหม่แล้ว", "superseded_by": newer.pk, "version": critical.version},
            follow=True,
        )
        self.assertContains(response, 'class="message error"')
        self.assertContains(response, ">มีคู่มือฉบับใหม่แล้ว</textarea>")
        self.assertNotContains(self.client.get(critical.item.get_absolute_url()), ">มีคู่มือฉบับใหม่แล้ว</textarea>")
