"""The hub's cycle dashboard: counts, times in stage, backlog, trust, filters, CSV, who may see it.

Items are walked through the cycle with the real actions at fixed moments (timezone.now patched), so the
times in stage are known to the hour.
"""

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from unittest import mock

from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from platoo.accounts.models import User
from platoo.accounts.tests.helpers import CastTestCase, make_item, make_person
from platoo.cycle import dashboard
from platoo.cycle.actions import (
    Categories,
    ReviewData,
    do_categorize,
    do_decide,
    do_mark_critical,
    do_move,
    do_review,
)
from platoo.cycle.models import (
    Application,
    ApplicationResult,
    CriticalKnowledge,
    Panel,
    PanelMember,
    ReviewRound,
    Stage,
)
from platoo.knowledge.models import KnowledgeItem, Topic
from platoo.network.models import Organization

NOW = datetime(2026, 11, 20, 5, 0, tzinfo=UTC)  # noon in Bangkok, in the fourth quarter of 2569
DAY = 86400.0


def d(days: float) -> datetime:
    return NOW - timedelta(days=days)


@contextmanager
def at(moment: datetime) -> Iterator[None]:
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def grant_manager(user: User) -> User:
    user.user_permissions.add(Permission.objects.get(codename="manage_network", content_type__app_label="network"))
    return User.objects.get(pk=user.pk)


class Walk:
    """Moves one item through the cycle with the real actions, each step at a given moment."""

    def __init__(self, case: "CycleCase", author: User, title: str, topic: Topic, owner: Organization, **item: str):
        self.case, self.author = case, author
        self.item = make_item(author, title, organization=owner, **item)
        self.topic, self.owner = topic, owner

    @property
    def critical(self) -> CriticalKnowledge:
        return CriticalKnowledge.objects.get(item=self.item)

    def mark(self, when: datetime) -> "Walk":
        with at(when):
            do_mark_critical(self.author, self.item)
        return self

    def categorize(self, when: datetime) -> "Walk":
        data = Categories(
            topic_id=self.topic.pk,
            knowledge_type="tacit",
            audience="practitioners",
            source="visit",
            owner_id=self.owner.pk,
            priority="good_practice",
        )
        with at(when):
            do_categorize(self.author, self.critical, data, base_version=self.critical.version)
        return self

    def submit(self, when: datetime) -> "Walk":
        with at(when):
            do_move(self.author, self.critical, "submit", base_version=self.critical.version)
        return self

    def review(self, when: datetime, experts: list[User], recommendation: str = "verify") -> "Walk":
        review_round = ReviewRound.objects.get(critical=self.critical, closed_at__isnull=True)
        comments = "" if recommendation == "verify" else "ควรเพิ่มหลักฐาน"
        with at(when):
            for expert in experts:
                do_review(expert, review_round, ReviewData(4, 4, 3, recommendation, comments=comments))
        return self

    def decide(self, when: datetime, outcome: str = "verified") -> "Walk":
        review_round = ReviewRound.objects.get(critical=self.critical, closed_at__isnull=True)
        chair = User.objects.get(pk=review_round.panel.chair_id())
        with at(when):
            do_decide(chair, review_round, outcome, "" if outcome == "verified" else "เพิ่มตัวเลขผลลัพธ์")
        return self


class CycleCase(CastTestCase):
    """Topics safety (with safety-meds under it) and teaching, a panel of five experts on each; seven items
    at known stages, by alice (alpha) and carol (beta); a hub manager, erin, with no organization."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.hub = grant_manager(make_person(cls.admin, "erin"))
        cls.safety = Topic.objects.create(slug="safety", name_th="ความปลอดภัย", name_en="Safety", critical=True)
        cls.meds = Topic.objects.create(
            slug="safety-meds", name_th="ความปลอดภัยด้านยา", name_en="Medication safety", parent=cls.safety
        )
        cls.teaching = Topic.objects.create(slug="teaching", name_th="การสอน", name_en="Teaching")
        cls.experts = [make_person(cls.admin, f"expert{n}", cls.beta) for n in range(5)]
        for topic in (cls.safety, cls.teaching):
            panel = Panel.objects.create(topic=topic, name=f"คลังสมอง{topic.name_th}", quorum=3)
            for n, expert in enumerate(cls.experts):
                PanelMember.objects.create(panel=panel, user=expert, is_chair=n == 0)
        cls.walk_items()

    @classmethod
    def walk_items(cls) -> None:
        three = cls.experts[1:4]
        cls.a = Walk(cls, cls.alice, "การส่งเวรแบบ SBAR", cls.meds, cls.alpha).mark(d(100)).categorize(d(99))
        cls.a.submit(d(97)).review(d(95), three).decide(d(90))
        cls.b = Walk(cls, cls.carol, "ห้องยาปลอดภัย", cls.safety, cls.beta).mark(d(100)).categorize(d(98))
        cls.b.submit(d(96)).review(d(95), three[:1])
        cls.h = Walk(cls, cls.carol, "ฉลากยาเสี่ยงสูง", cls.meds, cls.beta).mark(d(12)).categorize(d(11)).submit(d(10))
        cls.c = Walk(cls, cls.alice, "สอนแบบโค้ช", cls.teaching, cls.alpha).mark(d(50))
        cls.c.categorize(d(50) + timedelta(hours=3))
        # Verified long ago: due for re-verification now. Its title reads like a spreadsheet formula.
        cls.dd = Walk(cls, cls.carol, '=HYPERLINK("http://x")', cls.teaching, cls.beta).mark(d(400))
        cls.dd.categorize(d(399)).submit(d(398)).review(d(395), three).decide(d(390))
        cls.e = Walk(cls, cls.alice, "บันทึกหลังเยี่ยม", cls.teaching, cls.alpha).mark(d(20))
        cls.f = Walk(cls, cls.carol, "การสอนข้างเตียง", cls.teaching, cls.beta).mark(d(60)).categorize(d(59))
        cls.f.submit(d(58)).review(d(55), three, "revise").decide(d(50), "returned")

    def setUp(self) -> None:
        cache.clear()  # ids repeat between tests on SQLite: a board kept from another test would match

    def get(self, user: User, name: str = "cycle:dashboard", **params: str):  # type: ignore[no-untyped-def]
        self.client.force_login(user)
        with at(NOW):
            return self.client.get(reverse(name), params)

    def board(self, **params: str) -> dashboard.Dashboard:
        return self.get(self.hub, **params).context["board"]


def by_stage(board: dashboard.Dashboard) -> dict[str, dashboard.StageRow]:
    return {row.stage: row for row in board.stages}


class DashboardFiguresTests(CycleCase):
    def test_it_counts_items_per_stage_main_line_in_order_then_the_side_stages(self) -> None:
        board = self.board()
        self.assertEqual([row.stage for row in board.stages][:8], [s.value for s in dashboard.MAIN_LINE])
        self.assertEqual(
            {row.stage: row.items for row in board.stages if row.items},
            {"captured": 1, "categorized": 1, "in_review": 2, "verified": 2, "returned": 1},
        )
        self.assertEqual(board.total, 7)
        self.assertEqual(len(board.stages), len(Stage))

    def test_it_takes_the_median_and_slowest_stay_counting_open_stays_up_to_now(self) -> None:
        base = dashboard.scope(self.hub, dashboard.Filters())
        rows = dashboard.stage_rows({}, dashboard.time_in_stages(base, NOW))  # the whole history
        by = {row.stage: row for row in rows}
        captured = by["captured"]  # 3 h, 1 d ×4, 2 d, and 20 d still running
        self.assertEqual((captured.stays, captured.ongoing), (7, 1))
        self.assertAlmostEqual(captured.median_seconds, DAY, delta=1)
        self.assertAlmostEqual(captured.slowest_seconds, 20 * DAY, delta=1)
        categorized = by["categorized"]  # 1, 1, 1, 2, 2 and 50 d less 3 h running: median of an even count
        self.assertEqual((categorized.stays, categorized.ongoing), (6, 1))
        self.assertAlmostEqual(categorized.median_seconds, 1.5 * DAY, delta=1)
        self.assertAlmostEqual(categorized.slowest_seconds, 50 * DAY - 3 * 3600, delta=1)
        in_review = by["in_review"]  # 7, 8, 8, then 10 and 96 d still waiting
        self.assertEqual((in_review.stays, in_review.ongoing), (5, 2))
        self.assertAlmostEqual(in_review.median_seconds, 8 * DAY, delta=1)
        self.assertAlmostEqual(in_review.slowest_seconds, 96 * DAY, delta=1)
        verified = by["verified"]
        self.assertAlmostEqual(verified.median_seconds, 240 * DAY, delta=1)
        self.assertIsNone(by["standardized"].median_seconds)

    def test_the_page_times_the_last_twelve_months_and_every_stay_still_running(self) -> None:
        rows = by_stage(self.board())  # the item verified 390 days ago: its earlier stays are left out
        self.assertEqual((rows["captured"].stays, rows["categorized"].stays), (6, 5))
        self.assertAlmostEqual(rows["categorized"].median_seconds, 2 * DAY, delta=1)
        in_review = rows["in_review"]  # 7, 8, then 10 and 96 d still waiting
        self.assertEqual((in_review.stays, in_review.ongoing), (4, 2))
        self.assertAlmostEqual(in_review.median_seconds, 9 * DAY, delta=1)
        verified = rows["verified"]  # its stay as verified, begun 390 days ago, is still running: it counts
        self.assertEqual((verified.stays, verified.ongoing), (2, 2))
        self.assertAlmostEqual(verified.slowest_seconds, 390 * DAY, delta=1)

    def test_the_python_median_gives_the_same_figures(self) -> None:
        for scope in (dashboard.Filters(), dashboard.Filters(topic_ids=[self.meds.pk])):
            base = dashboard.scope(self.hub, scope)
            for since in (None, NOW - dashboard.STAGE_WINDOW):
                in_sql = dashboard.time_in_stages_sql(base, NOW, since)
                in_python = dashboard.time_in_stages_python(base, NOW, since)
                self.assertEqual(set(in_sql), set(in_python))
                for stage, (stays, ongoing, median, slowest) in in_sql.items():
                    self.assertEqual((stays, ongoing), in_python[stage][:2])
                    self.assertAlmostEqual(float(median), in_python[stage][2], delta=0.01)
                    self.assertAlmostEqual(float(slowest), in_python[stage][3], delta=0.01)

    def test_it_shows_the_review_backlog_by_panel_with_ages_and_reviews_needed(self) -> None:
        backlog = self.board().backlog
        self.assertEqual(len(backlog), 1)  # the teaching panel has decided everything
        safety = backlog[0]
        self.assertEqual(safety.panel.topic_id, self.safety.pk)
        self.assertEqual(safety.open_rounds, 2)  # b since day 96 with one review, h since day 10 with none
        self.assertAlmostEqual(safety.oldest_days, 96, places=3)
        self.assertAlmostEqual(safety.median_days, 53, places=3)
        self.assertEqual(safety.reviews_needed, 2 + 3)

    def test_a_review_by_someone_who_left_the_panel_does_not_count_toward_the_quorum(self) -> None:
        PanelMember.objects.filter(panel__topic=self.safety, user=self.experts[1]).delete()
        self.assertEqual(self.board().backlog[0].reviews_needed, 3 + 3)

    def test_the_trust_figure_is_the_share_of_knowledge_in_play_verified_and_current(self) -> None:
        board = self.board()
        trust = {row.topic.slug if row.topic else None: row for row in board.trust}
        # In the taxonomy's order; e (only captured, its item has no topic) counts under "no topic".
        self.assertEqual(
            [row.topic.slug if row.topic else None for row in board.trust], ["teaching", "safety", "safety-meds", None]
        )
        self.assertEqual(trust["safety-meds"].depth, 1)
        safety = trust["safety"]  # with safety-meds: a (verified, current), b and h in review
        self.assertEqual((safety.items, safety.in_play, safety.current, safety.percent), (3, 3, 1, 33))
        self.assertEqual(trust["safety-meds"].percent, 50)
        teaching = trust["teaching"]  # the formula-titled item is due; nothing else verified
        self.assertEqual((teaching.items, teaching.in_play, teaching.current, teaching.due), (3, 3, 0, 1))
        self.assertEqual(teaching.percent, 0)
        assert board.trust_overall is not None
        self.assertEqual((board.trust_overall.current, board.trust_overall.in_play), (1, 7))

    def test_archived_knowledge_leaves_the_trust_figure(self) -> None:
        with at(NOW - timedelta(hours=1)):
            do_move(self.hub, self.dd.critical, "archive", base_version=self.dd.critical.version, reason="เลิกใช้")
        teaching = next(row for row in self.board().trust if row.topic == self.teaching)
        self.assertEqual((teaching.items, teaching.in_play, teaching.percent, teaching.due), (3, 2, 0, 0))

    def test_it_lists_what_is_due_for_re_verification(self) -> None:
        board = self.board()
        self.assertEqual(board.due_count, 1)
        self.assertEqual([c.item_id for c in board.due_items], [self.dd.item.pk])

    def test_it_counts_applications_of_critical_knowledge_per_thai_quarter(self) -> None:
        other = KnowledgeItem.objects.create(title="ไม่ใช่ความรู้สำคัญ", created_by=self.alice)
        for item, day in (
            (self.a.item, date(2026, 11, 1)),
            (self.a.item, date(2026, 10, 2)),
            (self.dd.item, date(2026, 2, 10)),
            (self.dd.item, date(2025, 12, 31)),
            (self.dd.item, date(2023, 1, 1)),  # more than three years ago
            (other, date(2026, 11, 2)),  # not critical knowledge
        ):
            Application.objects.create(
                item=item, organization=self.beta, applied_on=day, where="หอผู้ป่วยใน", result=ApplicationResult.WORKED
            )
        response = self.get(self.hub)
        quarters = {q.label: q.applications for q in response.context["board"].quarters}
        self.assertEqual(len(quarters), 12)
        self.assertEqual(list(quarters)[0], "ไตรมาส 1/2567")
        self.assertEqual((quarters["ไตรมาส 4/2569"], quarters["ไตรมาส 1/2569"], quarters["ไตรมาส 4/2568"]), (2, 1, 1))
        self.assertEqual(sum(quarters.values()), 4)
        self.assertContains(response, "ไตรมาส 4/2569")
        alpha = {q.label: q.applications for q in self.board(org="alpha").quarters}
        self.assertEqual(sum(alpha.values()), 2)


class DashboardFilterTests(CycleCase):
    def test_a_topic_filter_takes_in_its_sub_topics(self) -> None:
        board = self.board(topic="safety")
        self.assertEqual({row.stage: row.items for row in board.stages if row.items}, {"in_review": 2, "verified": 1})
        self.assertEqual([row.topic.slug for row in board.trust], ["safety", "safety-meds"])
        meds = self.board(topic="safety-meds")
        self.assertEqual(meds.total, 2)
        self.assertEqual(by_stage(meds)["in_review"].stays, 2)  # a's stay and h's, not b's

    def test_an_organization_filter_keeps_the_knowledge_it_owns(self) -> None:
        board = self.board(org="alpha")
        self.assertEqual(
            {row.stage: row.items for row in board.stages if row.items},
            {"captured": 1, "categorized": 1, "verified": 1},
        )
        self.assertEqual(board.backlog, [])
        self.assertEqual(board.due_count, 0)
        both = self.board(org="beta", topic="teaching")
        self.assertEqual(both.total, 2)  # the due item and the returned one

    def test_an_unknown_filter_is_named_and_left_out(self) -> None:
        response = self.get(self.hub, topic="no-such-topic", org="nobody")
        board = response.context["board"]
        self.assertEqual(board.total, 7)
        self.assertEqual(len(board.filters.problems), 2)
        self.assertContains(response, "no-such-topic")

    def test_the_figures_cover_only_what_the_viewer_may_read(self) -> None:
        secret = Walk(self, self.carol, "ภายในองค์กร", self.teaching, self.beta, visibility="organization")
        secret.mark(d(5))
        self.assertEqual(self.board().total, 7)  # erin, with no organization, cannot read beta's own items
        self.client.force_login(self.admin)
        with at(NOW):
            self.assertEqual(self.client.get(reverse("cycle:dashboard")).context["board"].total, 8)


class DashboardPageTests(CycleCase):
    def test_only_the_hub_sees_it(self) -> None:
        anonymous = self.client.get(reverse("cycle:dashboard"))
        self.assertEqual(anonymous.status_code, 302)
        self.assertIn(reverse("accounts:login"), anonymous["Location"])
        self.assertEqual(self.get(self.bob).status_code, 403)
        self.assertEqual(self.get(self.experts[0]).status_code, 403)
        self.assertEqual(self.get(self.bob, "cycle:dashboard_csv").status_code, 403)
        self.assertEqual(self.get(self.hub).status_code, 200)

    def test_the_page_draws_its_charts_in_svg_and_in_thai(self) -> None:
        response = self.get(self.hub)
        self.assertContains(response, '<svg class="sparkline bar-chart"')
        self.assertContains(response, '<svg class="sparkline column-chart"')
        with translation.override("th"):
            self.assertContains(response, str(Stage.RETURNED.label))  # the side stages are there
        self.assertContains(response, "ขั้นนอกเส้นทางหลัก")
        self.assertNotContains(response, "<script")

    def test_the_hub_finds_it_from_the_network_profile(self) -> None:
        self.client.force_login(self.hub)
        self.assertContains(self.client.get(reverse("network_profile:profile")), reverse("cycle:dashboard"))
        self.client.force_login(self.bob)
        self.assertNotContains(self.client.get(reverse("network_profile:profile")), reverse("cycle:dashboard"))

    def test_the_query_count_does_not_grow_with_the_items(self) -> None:
        self.client.force_login(self.hub)
        with at(NOW), CaptureQueriesContext(connection) as few:
            self.client.get(reverse("cycle:dashboard"))
        three = self.experts[1:4]
        for n in range(63):  # ten times the items, in every state of the walk
            topic = (self.meds, self.safety, self.teaching)[n % 3]
            walk = Walk(self, self.alice, f"เรื่องที่ {n}", topic, self.alpha).mark(d(30 + n % 7))
            if n % 5:
                walk.categorize(d(29))
            if n % 5 > 1:
                walk.submit(d(28))
            if n % 5 > 2:
                walk.review(d(27), three[: n % 3 + 1])
            if n % 5 == 4 and n % 3 == 2:
                walk.decide(d(26))
        with at(NOW), CaptureQueriesContext(connection) as moved:
            response = self.client.get(reverse("cycle:dashboard"))
        self.assertEqual(response.context["board"].total, 70)
        self.assertEqual(len(moved), 13)  # everything afresh but the times in stage, kept for the hour
        cache.clear()
        with at(NOW), CaptureQueriesContext(connection) as many:
            self.client.get(reverse("cycle:dashboard"))
        self.assertEqual(len(few), len(many))
        self.assertEqual(len(few), 14)
        with at(NOW), CaptureQueriesContext(connection) as kept:
            self.client.get(reverse("cycle:dashboard"))
        self.assertEqual(len(kept), 8)  # nothing moved: the figures come from the cache

    def test_a_move_shows_at_once_though_the_figures_are_kept(self) -> None:
        self.assertEqual(by_stage(self.board())["captured"].items, 1)
        self.e.categorize(NOW - timedelta(minutes=5))
        board = self.board()
        self.assertEqual((by_stage(board)["captured"].items, by_stage(board)["categorized"].items), (0, 2))
        self.assertEqual(by_stage(board)["categorized"].stays, 5)  # the times in stage are kept for the hour
        cache.clear()  # as when the hour is up (the figures themselves are kept five minutes)
        self.assertEqual(by_stage(self.board())["categorized"].stays, 6)


class DashboardCsvTests(CycleCase):
    def rows(self, **params: str) -> list[list[str]]:
        response = self.get(self.hub, "cycle:dashboard_csv", **params)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        body = b"".join(response.streaming_content)
        self.assertTrue(body.startswith(b"\xef\xbb\xbf"))
        return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))

    def test_it_exports_every_table_in_sections(self) -> None:
        rows = self.rows()
        titles = [row[0] for row in rows if len(row) == 1]
        self.assertEqual(
            titles,
            [
                "จำนวนรายการในแต่ละขั้น",
                "งานทบทวนค้างตามคณะผู้เชี่ยวชาญ",
                "ผ่านการรับรองและยังเป็นปัจจุบัน รายหัวข้อ",
                "ถึงกำหนดรับรองซ้ำ",
                "การนำไปใช้รายไตรมาส",
            ],
        )
        with translation.override("th"):
            in_review = str(Stage.IN_REVIEW.label)
        self.assertIn([in_review, "2", "4", "2", "9.0", "96.0"], rows)
        self.assertIn(["คลังสมองความปลอดภัย", "2", "96.0", "53.0", "5"], rows)
        self.assertIn(["การสอน", "3", "3", "0", "1", "0"], rows)

    def test_cells_that_look_like_formulas_are_defused(self) -> None:
        rows = self.rows()
        due = next(row for row in rows if row and "HYPERLINK" in row[0])
        self.assertEqual(due[0], '\'=HYPERLINK("http://x")')
        for value in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1"):
            self.assertEqual(dashboard.safe_cell(value), "'" + value)
        self.assertEqual(dashboard.safe_cell("ปกติ"), "ปกติ")
        self.assertEqual(dashboard.safe_cell(-3), "'-3")

    def test_the_csv_follows_the_filters(self) -> None:
        rows = self.rows(org="alpha")
        self.assertIn(["หน่วยงานเจ้าของความรู้", "หน่วยงาน alpha"], rows)
        self.assertFalse(any("HYPERLINK" in cell for row in rows for cell in row))
