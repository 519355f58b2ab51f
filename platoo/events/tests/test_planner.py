"""The programme planner: its fairness rules, dates, topics and determinism (pure), and the programme
built, published, edited and re-planned through the real actions and pages."""

import random
from collections import Counter
from datetime import date

import holidays
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import SimpleTestCase
from django.urls import reverse
from django.utils import timezone

from platoo.accounts.tests.helpers import make_item, make_organization, make_person
from platoo.events import planner, programmes
from platoo.events.models import Event, EventStatus, HostPreference, Programme, TopicInterest
from platoo.knowledge.models import Topic
from platoo.network.actions import do_apply_for_membership, do_change_membership, do_decide_application
from platoo.network.models import Organization

from .base import EventTestCase, make_event

TH_HOLIDAYS = set(holidays.country_holidays("TH", years=range(2025, 2033)))
BEFORE_2027 = date(2026, 12, 1)


def hosts(count: int, **extra: object) -> list[planner.Host]:
    return [planner.Host(id=n + 1, name=f"org {n + 1:03d}", **extra) for n in range(count)]  # type: ignore[arg-type]


def inputs(host_list: list[planner.Host], **extra: object) -> planner.Inputs:
    values: dict[str, object] = {
        "year": 2027,
        "hosts": host_list,
        "topics": [],
        "demand": {},
        "holidays": TH_HOLIDAYS,
        "today": BEFORE_2027,
    }
    values.update(extra)
    return planner.Inputs(**values)  # type: ignore[arg-type]


def hosts_in_order(plan: planner.Plan) -> list[int | None]:
    return [v.host for v in plan.visits]


def assert_fair(test: SimpleTestCase, order: list[int | None], start: dict[int, int]) -> None:
    """Nobody hosts again while someone eligible has hosted fewer times (everyone available)."""
    counts = Counter(start)
    for host in order:
        assert host is not None
        test.assertEqual(counts[host], min(counts.values()), f"{host} hosted again before others: {order}")
        counts[host] += 1


class PlannerRulesTests(SimpleTestCase):
    def test_nobody_hosts_twice_before_everyone_has_hosted_once(self) -> None:
        plan = planner.plan(inputs(hosts(5), months=range(1, 13)))
        order = hosts_in_order(plan)
        self.assertEqual(len(order), 12)
        assert_fair(self, order, {h: 0 for h in range(1, 6)})
        self.assertEqual(order[:5], [1, 2, 3, 4, 5])
        self.assertEqual(order[5:10], [1, 2, 3, 4, 5], "the second round follows the same order")

    def test_across_years_those_who_hosted_less_or_longer_ago_go_first(self) -> None:
        earlier = [
            planner.Host(1, "a", hosted=1, last_hosted=date(2026, 3, 10)),
            planner.Host(2, "b", hosted=1, last_hosted=date(2026, 1, 13)),
            planner.Host(3, "c"),
            planner.Host(4, "d", hosted=2, last_hosted=date(2025, 5, 1)),
        ]
        order = hosts_in_order(planner.plan(inputs(earlier)))
        self.assertEqual(order, [3, 2, 1, 3, 4, 2])
        self.assertEqual(order[:3], [3, 2, 1], "never hosted, then longest ago")
        self.assertNotIn(4, order[:4], "the one with two turns waits until every one else has had two")
        assert_fair(self, order, {1: 1, 2: 1, 3: 0, 4: 2})

    def test_with_fewer_organizations_than_visits_the_queue_goes_round_again(self) -> None:
        plan = planner.plan(inputs(hosts(2)))
        self.assertEqual(hosts_in_order(plan), [1, 2, 1, 2, 1, 2])
        self.assertEqual([v.why_host["hosted"] for v in plan.visits], [0, 0, 1, 1, 2, 2])

    def test_an_unavailable_month_passes_the_turn_to_the_next_and_the_organization_hosts_later(self) -> None:
        group = hosts(3)
        group[0] = planner.Host(1, "org 001", unavailable=frozenset({1}))
        plan = planner.plan(inputs(group))
        order = hosts_in_order(plan)
        self.assertEqual(order[:3], [2, 1, 3])
        january = plan.visits[0]
        self.assertEqual(january.why_host["skipped"], [{"org": 1, "why": planner.UNAVAILABLE}])
        for visit in plan.visits:
            self.assertFalse(visit.month == 1 and visit.host == 1)

    def test_a_waiting_organizations_only_month_is_kept_for_it(self) -> None:
        only_january = planner.Host(3, "org 003", unavailable=frozenset(range(2, 13)))
        plan = planner.plan(inputs([*hosts(2), only_january]))
        order = hosts_in_order(plan)
        self.assertEqual(order[0], 3, "January is the one month it can host")
        self.assertEqual(order[:3], [3, 1, 2])
        self.assertEqual(
            plan.visits[0].why_host["skipped"],
            [{"org": 1, "why": planner.SAVES_MONTH}, {"org": 2, "why": planner.SAVES_MONTH}],
        )

    def test_a_slot_nobody_can_take_stays_empty_with_the_reason(self) -> None:
        group = [planner.Host(1, "a", unavailable=frozenset({5})), planner.Host(2, "b", unavailable=frozenset({5}))]
        plan = planner.plan(inputs(group))
        may = next(v for v in plan.visits if v.month == 5)
        self.assertIsNone(may.host)
        self.assertIsNotNone(may.day)
        self.assertEqual(may.why_empty["why"], planner.NOBODY_AVAILABLE)
        self.assertEqual({s["why"] for s in may.why_empty["skipped"]}, {planner.UNAVAILABLE})
        nobody = planner.plan(inputs([]))
        self.assertTrue(all(v.host is None and v.why_empty["why"] == planner.NO_HOSTS for v in nobody.visits))

    def test_a_host_does_not_host_two_visits_in_one_month(self) -> None:
        plan = planner.plan(inputs(hosts(1), months=[3], per_month=2))
        self.assertEqual(hosts_in_order(plan), [1, None])
        self.assertEqual(plan.visits[1].why_empty["skipped"], [{"org": 1, "why": planner.SAME_MONTH}])

    def test_an_organization_hosts_only_once_it_has_joined(self) -> None:
        newcomer = planner.Host(1, "a", joined_on=date(2027, 6, 1))
        plan = planner.plan(inputs([newcomer, planner.Host(2, "b", hosted=3, last_hosted=date(2026, 11, 10))]))
        self.assertEqual(hosts_in_order(plan)[:3], [2, 2, 2])
        self.assertEqual(plan.visits[3].host, 1)
        self.assertEqual(plan.visits[0].why_host["skipped"], [{"org": 1, "why": planner.NOT_JOINED}])

    def test_dates_are_never_on_weekends_or_thai_public_holidays(self) -> None:
        for year in range(2026, 2032):
            for per_month in (1, 2, 4):
                plan = planner.plan(
                    inputs(hosts(60), year=year, months=range(1, 13), per_month=per_month, today=date(year - 1, 12, 31))
                )
                days = [v.day for v in plan.visits]
                self.assertEqual(len(days), 12 * per_month)
                for day in days:
                    assert day is not None
                    self.assertLess(day.weekday(), 5, day)
                    self.assertNotIn(day, TH_HOLIDAYS, day)
                self.assertEqual(len(set(days)), len(days))

    def test_dates_prefer_tuesday_to_thursday_of_the_second_or_third_week(self) -> None:
        plan = planner.plan(inputs(hosts(6)))
        for visit in plan.visits:
            assert visit.day is not None
            self.assertIn(visit.day.weekday(), (1, 2, 3))
            self.assertTrue(8 <= visit.day.day <= 21)
        # A Tuesday–Thursday holiday in the preferred weeks moves the visit, and the reason names it.
        makha_bucha = date(2026, 3, 3)
        days, why = planner.visit_days(2026, 3, 1, {makha_bucha, date(2026, 3, 10)}, date(2025, 12, 1))
        self.assertEqual(days, [date(2026, 3, 11)])
        self.assertIn("2026-03-10", why["holidays"])
        _days, why = planner.visit_days(2026, 1, 1, TH_HOLIDAYS, date(2025, 12, 1))
        self.assertEqual(why["holidays"], [], "New Year's Day is outside those weeks, Children's Day a Saturday")

    def test_two_visits_in_a_month_go_to_different_weeks(self) -> None:
        days, _why = planner.visit_days(2027, 3, 2, TH_HOLIDAYS, BEFORE_2027)
        self.assertNotEqual(days[0].isocalendar()[1], days[1].isocalendar()[1])

    def test_months_already_over_are_not_planned(self) -> None:
        plan = planner.plan(inputs(hosts(6), today=date(2027, 6, 30)))
        self.assertEqual([v.why_empty.get("why") for v in plan.visits[:3]], [planner.PAST] * 3)
        self.assertEqual(hosts_in_order(plan), [None, None, None, 1, 2, 3])

    def test_topics_balance_what_visitors_want_and_the_host_is_strong_in(self) -> None:
        host = planner.Host(1, "a", strong_in=frozenset({10, 20}), items={30: 5})
        # 10: wanted by 1 × strength 2; 20: wanted by 4 × 2; 30: wanted by 3 × 3 items; 40: wanted, no strength.
        topics, why = planner.choose_topics(host, [10, 20, 30, 40], {10: 1, 20: 4, 30: 3, 40: 9}, {})
        self.assertEqual(topics, [30, 20])
        self.assertEqual(why["basis"], planner.BALANCE)
        self.assertEqual([row["score"] for row in why["topics"]], [9, 8])
        # The host's own wish to learn a topic is no demand for its visit.
        wishful = planner.Host(2, "b", strong_in=frozenset({10}), wants=frozenset({10}))
        topics, why = planner.choose_topics(wishful, [10], {10: 1}, {})
        self.assertEqual((topics, why["basis"]), ([10], planner.STRENGTH_ONLY))

    def test_topics_spread_across_the_year(self) -> None:
        group = hosts(6, strong_in=frozenset({1, 2, 3, 4, 5, 6}))
        plan = planner.plan(inputs(group, topics=[1, 2, 3, 4, 5, 6], demand={1: 5, 2: 5, 3: 4, 4: 4, 5: 3, 6: 3}))
        given = [t for v in plan.visits for t in v.topics]
        self.assertEqual(len(given), 12)
        self.assertEqual(set(given), {1, 2, 3, 4, 5, 6}, "every topic comes up in the year")
        self.assertLessEqual(max(Counter(given).values()), 3)
        self.assertTrue(all(len(v.topics) == 2 and len(set(v.topics)) == 2 for v in plan.visits))

    def test_without_interests_a_visit_has_no_topics_and_says_why(self) -> None:
        plan = planner.plan(inputs(hosts(2), topics=[1, 2]))
        self.assertTrue(all(v.topics == [] and v.why_topics["basis"] == planner.NO_TOPICS for v in plan.visits))

    def test_the_same_inputs_give_the_same_plan_whatever_their_order(self) -> None:
        group = [
            planner.Host(n, f"org {n:03d}", unavailable=frozenset({n % 12 + 1}), strong_in=frozenset({n % 4}))
            for n in range(40)
        ]
        demand = {0: 3, 1: 7, 2: 5, 3: 1}
        first = planner.plan(inputs(group, topics=[0, 1, 2, 3], demand=demand, months=range(1, 13), per_month=3))
        shuffled = list(group)
        random.Random(4).shuffle(shuffled)
        second = planner.plan(inputs(shuffled, topics=[0, 1, 2, 3], demand=demand, months=range(1, 13), per_month=3))
        self.assertEqual(first.to_json(), second.to_json())

    def test_the_next_host_for_one_visit_is_the_first_in_the_queue_who_can(self) -> None:
        group = [
            planner.Host(1, "a", hosted=1, last_hosted=date(2027, 1, 12)),
            planner.Host(2, "b", hosted=0, unavailable=frozenset({5})),
            planner.Host(3, "c", hosted=1, last_hosted=date(2026, 9, 9)),
        ]
        pick, why = planner.next_host(group, date(2027, 5, 11), {})
        self.assertEqual(pick.id if pick else None, 3)
        self.assertEqual(why["skipped"], [{"org": 2, "why": planner.UNAVAILABLE}])
        pick, why = planner.next_host(group, date(2027, 5, 11), {3: {5}, 1: {5}})
        self.assertIsNone(pick)
        self.assertEqual(why["why"], planner.NOBODY_AVAILABLE)


class ProgrammeTestCase(EventTestCase):
    """alpha and beta, plus gamma (alice is its contact person) and delta; two critical topics."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.frank = make_person(cls.admin, "frank")
        applied = do_apply_for_membership(
            cls.frank, Organization(name_th="หน่วยงาน gamma", code="gamma", sector="academic"), "ขอเข้าร่วม"
        )
        cls.gamma = do_decide_application(cls.manager, applied, approve=True)
        cls.delta = make_organization(cls.admin, "delta")
        cls.year = timezone.localdate().year + 1
        Topic.objects.filter(slug__in=["data-capability", "tacit-knowledge"]).update(critical=True)
        cls.data = Topic.objects.get(slug="data-capability")
        cls.tacit = Topic.objects.get(slug="tacit-knowledge")
        cls.analysis = Topic.objects.get(slug="data-analysis")  # a sub-topic of data capability

    def generate(self, **extra: object) -> Programme:
        return programmes.do_generate_programme(self.manager, self.year, **extra)  # type: ignore[arg-type]

    def visits(self, programme: Programme) -> list[Event]:
        return list(Event.objects.filter(programme=programme).select_related("host").order_by("starts_at"))


class ProgrammeActionsTests(ProgrammeTestCase):
    def test_only_managers_plan_and_publish(self) -> None:
        with self.assertRaises(PermissionDenied):
            programmes.do_generate_programme(self.alice, self.year)
        programme = self.generate()
        with self.assertRaises(PermissionDenied):
            programmes.do_publish_programme(self.frank, programme)
        self.client.force_login(self.alice)
        response = self.client.post(reverse("events:programme_generate"), {"year": self.year, "months": [1]})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.client.post(reverse("events:programme_publish", args=[self.year])).status_code, 404)
        self.client.force_login(self.manager)
        response = self.client.post(reverse("events:programme_publish", args=[self.year]))
        self.assertRedirects(response, programme.get_absolute_url())
        self.assertEqual(Programme.objects.get().status, Programme.Status.PUBLISHED)

    def test_a_draft_is_made_of_draft_visits_only_the_hub_sees(self) -> None:
        programme = self.generate()
        visits = self.visits(programme)
        self.assertEqual(len(visits), 6)
        self.assertTrue(all(v.status == EventStatus.DRAFT and v.kind == "visit" for v in visits))
        self.assertEqual([timezone.localtime(v.starts_at).hour for v in visits], [9] * 6)
        self.assertEqual([timezone.localtime(v.ends_at).hour for v in visits], [16] * 6)
        self.assertFalse(Event.objects.visible_to(self.bob).filter(programme=programme).exists())
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(programme.get_absolute_url()).status_code, 404)

    def test_publishing_publishes_the_programme_and_its_visits(self) -> None:
        programme = programmes.do_publish_programme(self.manager, self.generate())
        self.assertEqual(programme.status, Programme.Status.PUBLISHED)
        self.assertIsNotNone(programme.published_at)
        self.assertTrue(all(v.status == EventStatus.PUBLISHED for v in self.visits(programme)))
        self.assertEqual(Event.objects.visible_to(self.bob).filter(programme=programme).count(), 6)
        self.assertEqual(programmes.do_publish_programme(self.manager, programme).published_at, programme.published_at)
        with self.assertRaises(ValidationError):
            self.generate()  # a published programme is edited visit by visit, not planned again

    def test_the_rotation_goes_on_across_years(self) -> None:
        first = programmes.do_publish_programme(self.manager, self.generate(months=[1, 3, 5]))
        first_hosts = [v.host_id for v in self.visits(first)]
        self.assertEqual(len(set(first_hosts)), 3)
        second = programmes.do_generate_programme(self.manager, self.year + 1, months=[1, 3, 5])
        second_hosts = [v.host_id for v in self.visits(second)]
        everyone = {self.alpha.pk, self.beta.pk, self.gamma.pk, self.delta.pk}
        self.assertEqual(second_hosts[0], (everyone - set(first_hosts)).pop(), "the one left out goes first")
        self.assertEqual(second_hosts[1:], first_hosts[:2], "then those who hosted longest ago")

    def test_declines_and_unavailable_months_are_respected(self) -> None:
        programmes.do_save_host_preference(
            self.manager, self.alpha, self.year, declines=True, unavailable_months=[], note="ปีนี้งานล้น"
        )
        programmes.do_save_host_preference(
            self.manager, self.beta, self.year, declines=False, unavailable_months=[1, 3, 5, 7], note=""
        )
        visits = self.visits(self.generate())
        self.assertNotIn(self.alpha.pk, [v.host_id for v in visits])
        for visit in visits:
            if visit.host_id == self.beta.pk:
                self.assertIn(timezone.localtime(visit.starts_at).month, (9, 11))
        self.assertIn(self.beta.pk, [v.host_id for v in visits], "beta still has its turn, later")
        explanation = Programme.objects.get().explanation
        self.assertEqual(explanation["declined"], [self.alpha.pk])

    def test_fewer_members_than_visits_take_turns_in_the_same_order(self) -> None:
        do_change_membership(self.manager, self.gamma, "left")
        do_change_membership(self.manager, self.delta, "suspended")
        hosts_ = [v.host_id for v in self.visits(self.generate())]
        self.assertEqual(hosts_, [hosts_[0], hosts_[1]] * 3)
        self.assertEqual(set(hosts_), {self.alpha.pk, self.beta.pk})

    def test_planning_again_replaces_the_drafts_visits_and_gives_the_same_plan(self) -> None:
        first = self.generate()
        before = [(v.host_id, v.starts_at) for v in self.visits(first)]
        first_ids = {v.pk for v in self.visits(first)}
        again = self.generate()
        self.assertEqual(again.pk, first.pk)
        self.assertEqual([(v.host_id, v.starts_at) for v in self.visits(again)], before)
        self.assertFalse(first_ids & {v.pk for v in self.visits(again)})
        self.assertEqual(Event.objects.count(), 6)

    def test_planning_again_keeps_a_published_visit_and_its_place(self) -> None:
        programme = self.generate()
        kept = self.visits(programme)[0]
        from platoo.events.actions import do_publish_event

        do_publish_event(self.manager, kept)
        again = self.visits(self.generate())
        self.assertIn(kept.pk, [v.pk for v in again])
        self.assertEqual(len(again), 6)
        january = [v for v in again if timezone.localtime(v.starts_at).month == 1]
        self.assertEqual([v.pk for v in january], [kept.pk])
        self.assertNotEqual(again[1].host_id, kept.host_id, "its host counts the kept visit as hosted")

    def test_topics_come_from_wants_strengths_and_shared_knowledge(self) -> None:
        # beta and delta want to learn data (beta through its sub-topic); alpha shared knowledge on it.
        programmes.do_set_topic_interests(self.manager, self.beta, wants=[self.analysis.pk], strengths=[])
        programmes.do_set_topic_interests(self.manager, self.delta, wants=[self.data.pk], strengths=[])
        programmes.do_set_topic_interests(self.manager, self.gamma, wants=[self.tacit.pk], strengths=[self.tacit.pk])
        item = make_item(self.alice, "วิเคราะห์ข้อมูลผู้ป่วย", organization=self.alpha)
        item.topics.add(self.analysis)
        private = make_item(self.alice, "ร่างส่วนตัว", visibility="private", organization=self.alpha)
        private.topics.add(self.data)
        inputs_ = programmes.load_inputs(self.year, timezone.localdate())
        self.assertEqual(inputs_.demand, {self.data.pk: 2, self.tacit.pk: 1})
        alpha = next(h for h in inputs_.hosts if h.id == self.alpha.pk)
        self.assertEqual(dict(alpha.items), {self.data.pk: 1}, "a private draft is no evidence")
        visits = self.visits(self.generate())
        by_host = {v.host_id: [t.pk for t in v.topics.all()] for v in visits}
        self.assertEqual(by_host[self.alpha.pk], [self.data.pk])
        self.assertEqual(by_host[self.gamma.pk], [self.tacit.pk], "gamma's own wish is no demand, its strength is")

    def test_a_leaving_host_flags_its_future_visits_not_past_ones(self) -> None:
        programme = programmes.do_publish_programme(self.manager, self.generate())
        past = make_event(self.manager, days=-20, host_id=self.gamma.pk)
        future = [v for v in self.visits(programme) if v.host_id == self.gamma.pk]
        self.assertTrue(future)
        do_change_membership(self.manager, self.gamma, "left")
        for visit in future:
            visit.refresh_from_db()
            self.assertTrue(visit.needs_replanning)
            self.assertIn("หน่วยงาน gamma", visit.replanning_reason)
        past.refresh_from_db()
        self.assertFalse(past.needs_replanning)
        others = Event.objects.filter(programme=programme).exclude(host=self.gamma)
        self.assertFalse(others.filter(needs_replanning=True).exists())

    def test_re_planning_gives_the_visit_to_the_next_in_the_queue(self) -> None:
        programme = programmes.do_publish_programme(self.manager, self.generate())
        visits = self.visits(programme)
        leaving = visits[-1].host
        assert leaving is not None
        do_change_membership(self.manager, leaving, "suspended")
        flagged = Event.objects.get(programme=programme, needs_replanning=True, starts_at=visits[-1].starts_at)
        inputs_ = programmes.load_inputs(self.year, timezone.localdate(), programme=programme, leave_out=[flagged.pk])
        expected, _why = planner.next_host(
            inputs_.hosts,
            timezone.localdate(flagged.starts_at),
            {v.host_id: {timezone.localtime(v.starts_at).month} for v in visits[:-1] if v.host_id},
        )
        replanned = programmes.do_replan_visit(self.manager, flagged)
        self.assertEqual(replanned.host_id, expected.id if expected else None)
        self.assertNotEqual(replanned.host_id, leaving.pk)
        self.assertFalse(replanned.needs_replanning)
        self.assertEqual(replanned.starts_at, flagged.starts_at)
        self.assertEqual(replanned.status, EventStatus.PUBLISHED)
        step = next(s for s in Programme.objects.get().explanation["visits"] if s.get("event") == flagged.pk)
        self.assertEqual(step["host"], replanned.host_id)
        self.assertEqual(step["replanned"]["from"], leaving.pk)

    def test_a_flagged_visit_holds_back_publishing(self) -> None:
        programme = self.generate()
        do_change_membership(self.manager, self.alpha, "left")
        with self.assertRaises(ValidationError):
            programmes.do_publish_programme(self.manager, programme)
        for visit in Event.objects.filter(programme=programme, needs_replanning=True):
            programmes.do_replan_visit(self.manager, visit)
        self.assertEqual(programmes.do_publish_programme(self.manager, programme).status, "published")

    def test_declining_after_the_plan_flags_the_visits_that_clash(self) -> None:
        programme = self.generate()
        march = next(v for v in self.visits(programme) if timezone.localtime(v.starts_at).month == 3)
        assert march.host is not None
        programmes.do_save_host_preference(
            self.manager, march.host, self.year, declines=False, unavailable_months=[3], note=""
        )
        march.refresh_from_db()
        self.assertTrue(march.needs_replanning)
        self.assertEqual(Event.objects.filter(programme=programme, needs_replanning=True).count(), 1)

    def test_the_hub_edits_a_visit_through_the_event_edit_action_and_hears_of_a_holiday(self) -> None:
        programme = self.generate()
        visit = self.visits(programme)[0]
        new_year = date(self.year, 1, 1)
        edited, warnings = programmes.do_edit_visit(
            self.manager,
            visit,
            host_id=self.delta.pk,
            day=new_year,
            starts=visit.starts_at.time().replace(hour=10),
            ends=visit.starts_at.time().replace(hour=15),
            topic_ids=[self.tacit.pk],
            base_version=visit.version,
        )
        self.assertEqual((edited.host_id, edited.version), (self.delta.pk, visit.version + 1))
        self.assertEqual(timezone.localtime(edited.starts_at).date(), new_year)
        self.assertEqual(list(edited.topics.all()), [self.tacit])
        self.assertIn("วันขึ้นปีใหม่", " ".join(warnings))
        self.assertIn("delta", edited.title)
        with self.assertRaises(ValidationError):
            programmes.do_edit_visit(
                self.manager,
                edited,
                host_id=self.delta.pk,
                day=new_year,
                starts=edited.starts_at.time(),
                ends=edited.starts_at.time(),
                topic_ids=[],
                base_version=edited.version,
            )


class ProgrammePageTests(ProgrammeTestCase):
    def test_the_draft_page_shows_each_visit_its_reasons_and_the_rules(self) -> None:
        programme = self.generate()
        self.client.force_login(self.manager)
        response = self.client.get(programme.get_absolute_url())
        self.assertContains(response, "ทำไมจึงเป็นวันนี้ เจ้าภาพนี้ และหัวข้อเหล่านี้")
        self.assertContains(response, "การทำงานของตัววางแผน")
        self.assertContains(response, str(self.year + 543))
        self.assertContains(response, reverse("events:programme_publish", args=[self.year]))
        self.assertContains(response, "ยังไม่เคยเป็นเจ้าภาพ")
        self.assertEqual(response.content.decode().count('class="card programme-visit'), 6)

    def test_members_read_the_published_programme_and_anonymous_visitors_only_its_frame(self) -> None:
        programme = programmes.do_publish_programme(self.manager, self.generate())
        self.client.force_login(self.bob)
        response = self.client.get(programme.get_absolute_url())
        self.assertEqual(response.content.decode().count('class="card programme-visit'), 6)
        self.assertNotContains(response, reverse("events:programme_publish", args=[self.year]))
        self.assertNotContains(response, "ข้ามไปก่อน")
        self.client.logout()
        response = self.client.get(programme.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, 'class="card programme-visit')
        listing = self.client.get(reverse("events:programmes"))
        self.assertContains(listing, programme.title)

    def test_the_programme_page_makes_a_fixed_number_of_queries(self) -> None:
        # Reasons that name passed-over organizations and topics, whatever the number of visits.
        programmes.do_set_topic_interests(self.manager, self.beta, wants=[self.data.pk], strengths=[self.tacit.pk])
        programmes.do_set_topic_interests(self.manager, self.alpha, wants=[self.tacit.pk], strengths=[self.data.pk])
        programmes.do_save_host_preference(
            self.manager, self.alpha, self.year, declines=False, unavailable_months=[3, 5], note=""
        )
        for per_month in (1, 3):
            programme = self.generate(per_month=per_month)
            self.client.force_login(self.manager)
            with self.assertNumQueries(11):
                response = self.client.get(programme.get_absolute_url())
            self.assertContains(response, "หน่วยงานที่ข้ามไปก่อนหน้า")
            self.assertContains(response, self.data.name_th)
        programmes.do_publish_programme(self.manager, programme)
        self.client.force_login(self.bob)
        with self.assertNumQueries(9):
            self.client.get(programme.get_absolute_url())
        self.client.logout()
        with self.assertNumQueries(2):
            self.client.get(programme.get_absolute_url())

    def test_generating_from_the_page_with_bad_input_says_what_is_wrong(self) -> None:
        self.client.force_login(self.manager)
        response = self.client.post(reverse("events:programme_generate"), {"year": self.year + 543, "per_month": 1})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "เลือกอย่างน้อยหนึ่งเดือน", status_code=400)
        response = self.client.post(
            reverse("events:programme_generate"), {"year": self.year + 543, "months": [2, 4], "per_month": 2}
        )
        programme = Programme.objects.get(year=self.year)
        self.assertRedirects(response, programme.get_absolute_url())
        self.assertEqual(Event.objects.filter(programme=programme).count(), 4)
        response = self.client.post(
            reverse("events:programme_generate"), {"year": self.year + 40, "months": [2], "per_month": 1}
        )
        self.assertEqual(response.status_code, 400)

    def test_the_hub_re_plans_and_edits_a_visit_from_the_page(self) -> None:
        programme = self.generate()
        visit = self.visits(programme)[0]
        self.client.force_login(self.manager)
        replan = reverse("events:programme_visit_replan", args=[self.year, visit.pk])
        response = self.client.post(replan, {"version": visit.version})
        self.assertRedirects(response, programme.get_absolute_url() + f"#visit-{visit.pk}")
        replanned = Event.objects.get(pk=visit.pk)
        self.assertNotEqual(replanned.host_id, visit.host_id)
        self.client.post(replan, {"version": visit.version})  # a second click
        self.assertEqual(Event.objects.get(pk=visit.pk).host_id, replanned.host_id)
        url = reverse("events:programme_visit_edit", args=[self.year, visit.pk])
        self.assertContains(self.client.get(url), 'name="host"')
        fresh = Event.objects.get(pk=visit.pk)
        data = {
            "host": self.beta.pk,
            "day": f"{self.year + 543}-02-16",
            "starts": "09:30",
            "ends": "15:30",
            "topics": [self.data.pk],
            "version": fresh.version,
        }
        response = self.client.post(url, data)
        self.assertRedirects(response, programme.get_absolute_url() + f"#visit-{visit.pk}")
        fresh = Event.objects.get(pk=visit.pk)
        self.assertEqual(timezone.localtime(fresh.starts_at).date(), date(self.year, 2, 16))
        self.assertEqual(fresh.host_id, self.beta.pk)
        stale = self.client.post(url, {**data, "starts": "10:00"})
        self.assertContains(stale, "มีผู้อื่นบันทึกกิจกรรมนี้", status_code=400)
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(url).status_code, 404)


class PreferencesPageTests(ProgrammeTestCase):
    def test_the_contact_person_sets_the_preferences_and_interests_of_its_organization(self) -> None:
        self.client.force_login(self.frank)
        listing = self.client.get(reverse("events:preferences_list"))
        self.assertEqual(listing.status_code, 302)
        url = reverse("events:preferences", args=["gamma", self.year])
        self.assertContains(self.client.get(url), self.data.name_th)
        response = self.client.post(
            url,
            {
                "unavailable_months": [4, 10],
                "note": "  ช่วงสงกรานต์และออกพรรษา ",
                "wants": [self.analysis.pk],
                "strengths": [self.tacit.pk],
            },
        )
        self.assertRedirects(response, url)
        preference = HostPreference.objects.get(organization=self.gamma, year=self.year)
        self.assertEqual((preference.declines, preference.unavailable_months), (False, [4, 10]))
        self.assertEqual(preference.note, "ช่วงสงกรานต์และออกพรรษา")
        interests = set(TopicInterest.objects.filter(organization=self.gamma).values_list("topic_id", "kind"))
        self.assertEqual(interests, {(self.analysis.pk, "want"), (self.tacit.pk, "strength")})
        self.client.post(url, {"wants": [], "strengths": [self.tacit.pk]})  # a second save replaces
        self.assertEqual(TopicInterest.objects.filter(organization=self.gamma).count(), 1)

    def test_others_cannot_set_an_organizations_preferences(self) -> None:
        self.client.force_login(self.alice)
        url = reverse("events:preferences", args=["gamma", self.year])
        self.assertEqual(self.client.get(url).status_code, 403)
        with self.assertRaises(PermissionDenied):
            programmes.do_save_host_preference(
                self.alice, self.gamma, self.year, declines=True, unavailable_months=[], note=""
            )
        self.assertContains(self.client.get(reverse("events:preferences_list")), "ผู้ประสานงาน")

    def test_every_month_marked_is_refused_with_a_message(self) -> None:
        self.client.force_login(self.manager)
        url = reverse("events:preferences", args=["beta", self.year])
        response = self.client.post(url, {"unavailable_months": list(range(1, 13))})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(HostPreference.objects.exists())


class EventPageTests(ProgrammeTestCase):
    def test_a_visits_page_names_its_programme_and_why_it_needs_re_planning(self) -> None:
        programme = programmes.do_publish_programme(self.manager, self.generate())
        visit = Event.objects.filter(programme=programme, host=self.beta).first()
        assert visit is not None
        self.client.force_login(self.bob)
        self.assertContains(self.client.get(visit.get_absolute_url()), programme.get_absolute_url())
        do_change_membership(self.manager, self.beta, "left")
        self.assertContains(self.client.get(visit.get_absolute_url()), "หน่วยงาน beta ออกจากเครือข่ายเมื่อ")
