"""The cycle's rules: who moves critical knowledge where, reviews with a quorum, re-verification."""

import datetime
import threading

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, connection
from django.test import TransactionTestCase, override_settings
from django.utils import timezone

from platoo.accounts.evidence import EvidenceKind, evidence_for
from platoo.accounts.models import User
from platoo.accounts.tests.helpers import make_organization, make_person
from platoo.activity.models import Notification, NotificationKind
from platoo.cycle import actions
from platoo.cycle.models import CriticalKnowledge, Outcome, ReviewRound, RoundKind, Stage, Transition
from platoo.events.tests.base import grant_manager
from platoo.knowledge import verification
from platoo.knowledge.actions import ItemData, do_create_item, do_update_item

from .base import GOOD_REVIEW, CycleTestCase, categories, make_panel, make_topic

REVISE = actions.ReviewData(accuracy=3, applicability=2, evidence=2, recommendation="revise", comments="ขาดหลักฐาน")


def edit(item, author, body: str = "เนื้อหาที่แก้ไขแล้ว"):  # type: ignore[no-untyped-def]
    data = ItemData(
        title=item.title, kind=item.kind, body=body, topic_ids=list(item.topics.values_list("pk", flat=True))
    )
    return do_update_item(author, item, data, item.version, "แก้ไข")


class MarkingTests(CycleTestCase):
    def test_an_author_marks_an_item_critical_and_it_enters_the_cycle_captured_with_its_topic_and_panel(self) -> None:
        item = self.make_item()
        critical = actions.do_mark_critical(self.alice, item)
        self.assertEqual(critical.stage, Stage.CAPTURED)
        self.assertEqual(critical.topic, self.subtopic)
        self.assertEqual(critical.panel, self.panel)  # the panel of the topic above
        self.assertEqual(critical.owner, self.alpha)
        self.assertEqual(list(critical.transitions.values_list("from_stage", "to_stage")), [("", Stage.CAPTURED)])

    def test_marking_twice_keeps_the_first(self) -> None:
        item = self.make_item()
        first = actions.do_mark_critical(self.alice, item)
        self.assertEqual(actions.do_mark_critical(self.hub, item).pk, first.pk)
        self.assertEqual(Transition.objects.filter(critical=first).count(), 1)

    def test_someone_who_is_neither_author_hub_nor_expert_cannot_mark(self) -> None:
        with self.assertRaises(PermissionDenied):
            actions.do_mark_critical(self.bob, self.make_item())

    def test_nobody_marks_what_they_cannot_read(self) -> None:
        private = self.make_item(visibility="private")
        with self.assertRaises(PermissionDenied):
            actions.do_mark_critical(self.hub, private)


class CategorizingTests(CycleTestCase):
    def test_filling_in_every_category_moves_a_captured_item_on(self) -> None:
        critical = actions.do_mark_critical(self.alice, self.make_item())
        partial = actions.Categories(topic_id=self.subtopic.pk, knowledge_type="explicit")
        critical = actions.do_categorize(self.alice, critical, partial, critical.version)
        self.assertEqual(critical.stage, Stage.CAPTURED)
        self.assertIn("ระดับความสำคัญ", critical.missing_categories())
        critical = actions.do_categorize(
            self.alice, critical, categories(self.subtopic, self.alpha.pk), critical.version
        )
        self.assertEqual(critical.stage, Stage.CATEGORIZED)
        self.assertEqual(critical.missing_categories(), [])

    def test_a_bad_choice_is_refused_by_name(self) -> None:
        critical = actions.do_mark_critical(self.alice, self.make_item())
        with self.assertRaises(ValidationError) as caught:
            actions.do_categorize(self.alice, critical, actions.Categories(priority="whenever"), critical.version)
        self.assertIn("priority", caught.exception.message_dict)

    def test_a_categorizer_who_started_from_an_older_version_is_told(self) -> None:
        critical = actions.do_mark_critical(self.alice, self.make_item())
        stale = critical.version
        actions.do_categorize(self.alice, critical, actions.Categories(knowledge_type="tacit"), stale)
        with self.assertRaises(actions.StaleMove):
            actions.do_categorize(self.hub, critical, actions.Categories(knowledge_type="explicit"), stale)


class MoveTests(CycleTestCase):
    def test_an_illegal_move_is_refused_with_the_reason(self) -> None:
        critical = self.categorized()
        with self.assertRaises(ValidationError) as caught:
            actions.do_move(self.hub, critical, "standardize", base_version=critical.version, reason="พร้อม")
        self.assertIn("ขยับแบบนี้ไม่ได้", " ".join(caught.exception.messages))

    def test_a_move_by_the_wrong_role_is_refused_naming_who_may(self) -> None:
        critical = self.categorized()
        with self.assertRaises(PermissionDenied) as caught:
            actions.do_move(self.bob, critical, "submit", base_version=critical.version)
        self.assertIn("ผู้เขียนรายการ หรือแม่ข่าย", str(caught.exception))

    def test_submitting_opens_a_round_and_tells_the_panel_but_not_the_author(self) -> None:
        critical = self.in_review()
        review_round = self.open_round(critical)
        self.assertEqual((review_round.kind, review_round.panel), (RoundKind.FIRST, self.panel))
        told = set(
            Notification.objects.filter(kind=NotificationKind.REVIEW_REQUESTED).values_list("recipient", flat=True)
        )
        self.assertEqual(told, {self.carol.pk, *(e.pk for e in self.experts)})

    @override_settings(CYCLE_PANEL_MIN_EXPERTS=6)
    def test_a_panel_below_its_minimum_of_experts_cannot_be_sent_knowledge(self) -> None:
        critical = self.categorized()
        with self.assertRaises(ValidationError) as caught:
            actions.do_move(self.alice, critical, "submit", base_version=critical.version)
        self.assertIn("อย่างน้อย 6 คน", " ".join(caught.exception.messages))

    def test_a_topic_without_a_panel_says_so(self) -> None:
        lonely = make_topic("lonely")
        critical = actions.do_mark_critical(self.alice, self.make_item(topic_ids=[]))
        critical = actions.do_categorize(self.alice, critical, categories(lonely, self.alpha.pk), critical.version)
        self.assertIn("ยังไม่มีคณะผู้เชี่ยวชาญดูแล", actions.move_problem(self.alice, critical, "submit"))

    def test_moves_that_need_a_reason_refuse_without_one(self) -> None:
        critical = self.verified()
        with self.assertRaises(ValidationError) as caught:
            actions.do_move(self.hub, critical, "analyze", base_version=critical.version)
        self.assertIn("reason", caught.exception.message_dict)

    def test_the_timeline_records_who_moved_it_when_and_why(self) -> None:
        critical = self.verified()
        critical = actions.do_move(self.carol, critical, "analyze", base_version=critical.version, reason="วิเคราะห์แล้ว")
        steps = list(critical.transitions.values_list("to_stage", "actor__username", "reason"))
        self.assertEqual(
            [s[:2] for s in steps],
            [
                (Stage.CAPTURED, "alice"),
                (Stage.CATEGORIZED, "alice"),
                (Stage.IN_REVIEW, "alice"),
                (Stage.VERIFIED, "carol"),
                (Stage.ANALYZED, "carol"),
            ],
        )
        self.assertEqual(steps[-1][2], "วิเคราะห์แล้ว")

    def test_superseding_names_what_replaces_it(self) -> None:
        critical = self.verified()
        with self.assertRaises(ValidationError):
            actions.do_move(self.hub, critical, "supersede", base_version=critical.version, reason="มีฉบับใหม่")
        newer = self.make_item("ฉบับปรับปรุง")
        critical = actions.do_move(
            self.hub, critical, "supersede", base_version=critical.version, reason="มีฉบับใหม่", superseded_by=newer
        )
        self.assertEqual((critical.stage, critical.superseded_by), (Stage.SUPERSEDED, newer))

    def test_only_the_hub_reopens_archived_knowledge(self) -> None:
        critical = self.categorized()
        critical = actions.do_move(self.hub, critical, "archive", base_version=critical.version, reason="ซ้ำ")
        self.assertNotIn("reopen", actions.allowed_moves(self.alice, critical))
        self.assertIn("reopen", actions.allowed_moves(self.hub, critical))


class ReviewTests(CycleTestCase):
    def test_an_author_never_reviews_their_own_item_even_on_the_panel(self) -> None:
        item = self.make_item(author=self.carol)  # carol chairs the panel
        critical = actions.do_mark_critical(self.carol, item)
        critical = actions.do_categorize(
            self.carol, critical, categories(self.subtopic, self.beta.pk), critical.version
        )
        critical = actions.do_move(self.carol, critical, "submit", base_version=critical.version)
        with self.assertRaises(PermissionDenied) as caught:
            actions.do_review(self.carol, self.open_round(critical), GOOD_REVIEW)
        self.assertIn("ผู้เขียนไม่พิจารณารับรองงานของตนเอง", str(caught.exception))

    def test_only_panel_members_review(self) -> None:
        critical = self.in_review()
        with self.assertRaises(PermissionDenied):
            actions.do_review(self.bob, self.open_round(critical), GOOD_REVIEW)

    def test_scores_outside_one_to_five_and_a_revise_without_comments_are_refused(self) -> None:
        review_round = self.open_round(self.in_review())
        bad = actions.ReviewData(accuracy=7, applicability=0, evidence=3, recommendation="revise")
        with self.assertRaises(ValidationError) as caught:
            actions.do_review(self.experts[0], review_round, bad)
        self.assertEqual(set(caught.exception.message_dict), {"accuracy", "applicability", "comments"})

    def test_a_reviewer_may_change_their_review_while_the_round_is_open(self) -> None:
        review_round = self.open_round(self.in_review())
        actions.do_review(self.experts[0], review_round, GOOD_REVIEW)
        actions.do_review(self.experts[0], review_round, REVISE)
        self.assertEqual(list(review_round.reviews.values_list("recommendation", flat=True)), ["revise"])

    def test_a_verdict_without_the_quorum_is_refused(self) -> None:
        review_round = self.open_round(self.in_review())
        actions.do_review(self.experts[0], review_round, GOOD_REVIEW)
        with self.assertRaises(ValidationError) as caught:
            actions.do_decide(self.carol, review_round, "verified")
        self.assertIn("ต้องมีความเห็นต่อฉบับนี้ 3 ความเห็น", " ".join(caught.exception.messages))

    def test_verifying_sets_the_re_verification_date_from_the_panel(self) -> None:
        critical = self.verified()
        self.assertEqual(critical.stage, Stage.VERIFIED)
        self.assertEqual(critical.verified_version, critical.item.version)
        today = timezone.localdate()
        self.assertEqual(critical.reverify_due, today.replace(year=today.year + 1))
        self.assertTrue(Notification.objects.filter(recipient=self.alice, kind=NotificationKind.CYCLE_MOVED).exists())

    def test_only_the_chair_or_the_hub_records_a_verdict(self) -> None:
        review_round = self.open_round(self.in_review())
        for expert in self.experts[:3]:
            actions.do_review(expert, review_round, GOOD_REVIEW)
        with self.assertRaises(PermissionDenied):
            actions.do_decide(self.experts[0], review_round, "verified")
        self.assertEqual(actions.do_decide(self.hub, review_round, "verified").stage, Stage.VERIFIED)

    def test_a_second_verdict_on_the_same_round_is_refused(self) -> None:
        critical = self.verified()
        closed = ReviewRound.objects.get(critical=critical)
        with self.assertRaises(ValidationError) as caught:
            actions.do_decide(self.hub, closed, "rejected", note="ไม่")
        self.assertIn("บันทึกมติไปแล้ว", " ".join(caught.exception.messages))
        self.assertEqual(CriticalKnowledge.objects.get(pk=critical.pk).stage, Stage.VERIFIED)

    def test_returned_knowledge_goes_back_to_the_panel_in_a_new_round(self) -> None:
        critical = self.in_review()
        review_round = self.open_round(critical)
        for expert in self.experts[:3]:
            actions.do_review(expert, review_round, REVISE)
        with self.assertRaises(ValidationError):
            actions.do_decide(self.carol, review_round, "returned")  # the authors must be told what to change
        critical = actions.do_decide(self.carol, review_round, "returned", note="เพิ่มตัวเลขผลลัพธ์")
        self.assertEqual(critical.stage, Stage.RETURNED)
        critical = actions.do_move(self.alice, critical, "resubmit", base_version=critical.version)
        self.assertEqual(self.open_round(critical).kind, RoundKind.RESUBMITTED)

    def test_the_majority_recommendation_and_ties(self) -> None:
        review_round = self.open_round(self.in_review())
        actions.do_review(self.experts[0], review_round, GOOD_REVIEW)
        actions.do_review(self.experts[1], review_round, REVISE)
        self.assertEqual(actions.majority(actions.counted_reviews(review_round)), "")
        actions.do_review(self.experts[2], review_round, GOOD_REVIEW)
        self.assertEqual(actions.majority(actions.counted_reviews(review_round)), "verify")

    def test_the_queue_lists_open_rounds_oldest_first_without_ones_own_items(self) -> None:
        first = self.in_review()
        self.in_review(self.make_item("เรื่องที่สอง"))
        queue = actions.queue_for(self.experts[0])
        self.assertEqual([r.critical_id for r in queue][0], first.pk)
        self.assertEqual(len(queue), 2)
        self.assertEqual(actions.queue_for(self.bob), [])


class EditAfterVerificationTests(CycleTestCase):
    def test_editing_verified_knowledge_sends_it_back_to_review_with_what_changed(self) -> None:
        critical = self.verified()
        critical = actions.do_move(self.carol, critical, "analyze", base_version=critical.version, reason="วิเคราะห์")
        verified_version = critical.verified_version
        edit(critical.item, self.alice)
        critical.refresh_from_db()
        self.assertEqual(critical.stage, Stage.IN_REVIEW)
        review_round = self.open_round(critical)
        self.assertEqual((review_round.kind, review_round.base_version), (RoundKind.CHANGED, verified_version))
        self.assertEqual(review_round.item_version, verified_version + 1)
        for expert in self.experts[:3]:
            actions.do_review(expert, review_round, GOOD_REVIEW)
        critical = actions.do_decide(self.carol, review_round, "verified")
        self.assertEqual(critical.stage, Stage.ANALYZED)  # back where it was
        self.assertEqual(critical.verified_version, verified_version + 1)

    def test_an_edit_during_review_makes_the_earlier_reviews_stop_counting(self) -> None:
        critical = self.in_review()
        review_round = self.open_round(critical)
        for expert in self.experts[:3]:
            actions.do_review(expert, review_round, GOOD_REVIEW)
        edit(critical.item, self.alice)
        review_round.refresh_from_db()
        self.assertEqual(actions.counted_reviews(review_round), [])
        with self.assertRaises(ValidationError):
            actions.do_decide(self.carol, review_round, "verified")


class ReverificationTests(CycleTestCase):
    def test_the_sweep_reminds_the_panel_once_and_again_after_the_interval(self) -> None:
        critical = self.verified()
        due_day = critical.reverify_due
        assert due_day is not None
        self.assertEqual(actions.sweep_reverification(due_day - datetime.timedelta(days=1)), 0)
        self.assertEqual(actions.sweep_reverification(due_day), 1)
        self.assertEqual(actions.sweep_reverification(due_day + datetime.timedelta(days=3)), 0)
        self.assertEqual(actions.sweep_reverification(due_day + datetime.timedelta(days=14)), 1)
        told = Notification.objects.filter(kind=NotificationKind.REVERIFY_DUE, recipient=self.experts[0]).count()
        self.assertEqual(told, 2)

    def test_due_knowledge_is_not_current_and_re_verifying_makes_it_current_again(self) -> None:
        critical = self.verified()
        assert critical.reverify_due is not None
        later = critical.reverify_due
        self.assertTrue(critical.needs_reverification(later))
        self.assertFalse(CriticalKnowledge.objects.current(later).exists())
        critical = actions.do_move(self.carol, critical, "reverify", base_version=critical.version)
        review_round = self.open_round(critical)
        self.assertEqual(review_round.kind, RoundKind.REVERIFY)
        for expert in self.experts[:3]:
            actions.do_review(expert, review_round, GOOD_REVIEW)
        critical = actions.do_decide(self.carol, review_round, Outcome.VERIFIED)
        self.assertTrue(CriticalKnowledge.objects.current().filter(pk=critical.pk).exists())

    def test_the_fair_counts_verified_and_current_knowledge(self) -> None:
        self.assertTrue(verification.is_available())
        critical = self.verified()
        self.assertIn(critical.item, verification.verified_items())


class PanelTests(CycleTestCase):
    def test_only_the_hub_sets_up_panels(self) -> None:
        with self.assertRaises(PermissionDenied):
            make_panel(self.alice, make_topic("x"), self.experts)

    @override_settings(CYCLE_PANEL_MAX_EXPERTS=7)
    def test_a_panel_of_more_than_seven_a_chair_from_outside_and_a_quorum_above_its_size_are_refused(self) -> None:
        many = [make_person(self.admin, f"many{n}") for n in range(8)]
        with self.assertRaises(ValidationError) as caught:
            make_panel(self.hub, make_topic("big"), many)
        self.assertIn("ไม่เกิน 7 คน", " ".join(caught.exception.message_dict["members"]))
        with self.assertRaises(ValidationError) as caught:
            make_panel(self.hub, make_topic("small"), many[:2], chair=self.bob, quorum=3)
        self.assertEqual(set(caught.exception.message_dict), {"chair", "quorum"})

    def test_one_panel_per_topic(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            make_panel(self.hub, self.topic, self.experts)
        self.assertIn("topic", caught.exception.message_dict)

    def test_a_panel_for_a_sub_topic_takes_its_knowledge_over(self) -> None:
        critical = self.categorized()
        nearer = make_panel(self.hub, self.subtopic, [self.bob, *self.experts])
        critical.refresh_from_db()
        self.assertEqual(critical.panel, nearer)


class ExpertiseEvidenceTests(CycleTestCase):
    def test_the_experts_whose_panel_verified_an_item_show_it_as_evidence_to_those_who_may_read_it(self) -> None:
        item = self.make_item("ยาความเสี่ยงสูง", visibility="organization", organization_id=self.beta.pk)
        critical = self.verified(item)
        experts = [expert.pk for expert in self.experts]
        seen_by_carol = evidence_for(experts, self.carol)  # beta, like the item and the experts
        [piece] = [p for p in seen_by_carol[self.experts[0].pk] if p.kind == EvidenceKind.VERIFIED]
        self.assertEqual((piece.title, piece.url), ("ยาความเสี่ยงสูง", critical.item.get_absolute_url()))
        self.assertEqual([t.slug for t in piece.topics], ["medication-errors"])
        self.assertEqual(
            [p for p in seen_by_carol[self.experts[3].pk] if p.kind == EvidenceKind.VERIFIED], []
        )  # no review
        self.assertEqual(evidence_for(experts, self.bob)[self.experts[0].pk], [])  # alpha reads no beta-only item


class ConcurrentVerdictTests(TransactionTestCase):
    """Two verdicts at the same moment, each in its own connection: one wins, the other is told."""

    def test_only_one_of_two_simultaneous_verdicts_is_recorded(self) -> None:
        admin = User.objects.create_superuser("admin", "admin@example.org", "pw-admin-42")
        beta = make_organization(admin, "beta")
        author = make_person(admin, "author", beta)
        experts = [make_person(admin, f"expert{n}", beta) for n in range(5)]
        hub = grant_manager(make_person(admin, "manny", beta))
        topic = make_topic("patient-safety")
        make_panel(hub, topic, experts)
        item = do_create_item(author, ItemData(title="ยาสองชั้น", kind="lesson", topic_ids=[topic.pk]))
        critical = actions.do_mark_critical(author, item)
        critical = actions.do_categorize(author, critical, categories(topic, beta.pk), critical.version)
        critical = actions.do_move(author, critical, "submit", base_version=critical.version)
        review_round = ReviewRound.objects.get(critical=critical)
        for expert in experts[1:4]:
            actions.do_review(expert, review_round, GOOD_REVIEW)
        barrier = threading.Barrier(2)
        outcomes: list[str] = []

        def decide(person: User, outcome: str) -> None:
            barrier.wait()
            try:
                actions.do_decide(person, ReviewRound.objects.get(pk=review_round.pk), outcome, note="ตัดสิน")
                outcomes.append(outcome)
            except (ValidationError, OperationalError):
                outcomes.append("refused")
            finally:
                connection.close()

        threads = [
            threading.Thread(target=decide, args=(experts[0], "verified")),
            threading.Thread(target=decide, args=(hub, "rejected")),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(outcomes.count("refused"), 1, outcomes)
        review_round.refresh_from_db()
        self.assertEqual(review_round.outcome, next(o for o in outcomes if o != "refused"))
        self.assertEqual(Transition.objects.filter(critical=critical, from_stage=Stage.IN_REVIEW).count(), 1)
