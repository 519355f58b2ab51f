from datetime import timedelta

from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from platoo.communities import actions
from platoo.communities.health import health_of
from platoo.communities.models import Community

from .base import CoPTestCase, make_community, schedule


def backdate(community: Community, days: int) -> None:
    Community.objects.filter(pk=community.pk).update(created_at=timezone.now() - timedelta(days=days))
    community.refresh_from_db()


class HealthTests(CoPTestCase):
    def test_a_community_meeting_every_two_months_meets_continuously(self) -> None:
        backdate(self.public, 400)
        for days_ago in range(-360, 0, 55):
            meeting = schedule(self.alice, self.public, days=days_ago)
            actions.do_check_in(self.alice, meeting, self.bob)
        health = health_of([self.public])[self.public.pk]
        self.assertTrue(health.meets_continuously)
        self.assertEqual(health.meetings_year, 7)
        self.assertLessEqual(health.longest_gap_days or 0, 62)

    def test_a_long_gap_breaks_the_run_and_a_cancelled_meeting_does_not_count(self) -> None:
        backdate(self.public, 400)
        schedule(self.alice, self.public, days=-300)
        schedule(self.alice, self.public, days=-10)
        actions.do_cancel_meeting(self.alice, schedule(self.alice, self.public, days=-150))
        health = health_of([self.public])[self.public.pk]
        self.assertFalse(health.meets_continuously)
        self.assertEqual(health.meetings_year, 2)
        self.assertGreater(health.longest_gap_days or 0, 250)

    def test_active_and_silent_members_and_participation_across_organizations(self) -> None:
        actions.do_join(self.carol, self.public)
        actions.do_join(self.dave, self.public)
        thread = actions.do_start_thread(self.bob, self.public, "หัวข้อ", "ข้อความ")
        actions.do_reply(self.carol, thread, "ตอบ")
        health = health_of([self.public])[self.public.pk]
        self.assertEqual((health.members, health.active_members, health.silent_members), (4, 2, 2))
        self.assertEqual(health.organizations, 2)  # alpha and beta; dave has none
        self.assertEqual(health.participating_organizations, 2)
        self.assertEqual(health.outside_percent, 50)

    def test_knowledge_produced_here_and_taken_up_elsewhere(self) -> None:
        thread = actions.do_start_thread(self.alice, self.public, "หัวข้อ", "ข้อความ")
        reply = actions.do_reply(self.bob, thread, "คำตอบดี")
        item, _created = actions.do_make_knowledge(self.alice, reply)
        other = make_community(self.bob, "other-cop")
        actions.do_share_item(self.bob, other, item)
        health = health_of([self.public, other])
        self.assertEqual((health[self.public.pk].produced_year, health[self.public.pk].reused), (1, 1))
        self.assertEqual((health[other.pk].produced_year, health[other.pk].reused), (0, 0))

    def test_the_monthly_series_counts_what_was_done_this_month(self) -> None:
        thread = actions.do_start_thread(self.alice, self.public, "หัวข้อ", "ข้อความ")
        actions.do_reply(self.bob, thread, "ตอบ")
        health = health_of([self.public])[self.public.pk]
        self.assertEqual(len(health.monthly), 12)
        self.assertEqual(health.monthly[-1], 2)
        self.assertEqual(sum(health.monthly[:-1]), 0)

    def test_many_communities_cost_the_same_queries_as_one(self) -> None:
        others = [make_community(self.bob, f"cop-{n}") for n in range(6)]
        for community in others:
            actions.do_start_thread(self.bob, community, "หัวข้อ", "ข้อความ")
            schedule(self.bob, community, days=-3)
        with CaptureQueriesContext(connection) as one:
            health_of([self.public])
        with CaptureQueriesContext(connection) as many:
            health_of([self.public, *others])
        self.assertEqual(len(one), len(many))

    def test_the_page_shows_the_panel_to_readers_only(self) -> None:
        schedule(self.alice, self.closed, days=-3)
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(self.closed.get_absolute_url()), "health-heading")
        self.client.force_login(self.carol)
        self.assertNotContains(self.client.get(self.closed.get_absolute_url()), "health-heading")


class AttentionTests(CoPTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.manager = cls.carol
        cls.manager.user_permissions.add(
            Permission.objects.get(codename="manage_network", content_type__app_label="network")
        )

    def test_the_hub_sees_quiet_communities_with_reasons(self) -> None:
        for community in (self.public, self.closed, self.secret):
            backdate(community, 200)
        Community.objects.filter(pk=self.public.pk).update(last_activity_at=timezone.now() - timedelta(days=100))
        active = make_community(self.bob, "busy-cop")
        schedule(self.bob, active, days=-1)
        self.client.force_login(self.manager)
        response = self.client.get(reverse("communities:attention"))
        listed = [c.slug for c, _health in response.context["page"].object_list]
        self.assertIn("open-cop", listed)
        self.assertNotIn("busy-cop", listed)
        self.assertNotIn("secret-cop", listed)  # secret CoPs exist only for their members, managers included
        self.assertTrue(all(len(h.monthly) == 12 for _c, h in response.context["page"].object_list))
        reasons = dict((c.slug, h.reasons) for c, h in response.context["page"].object_list)["open-cop"]
        self.assertEqual(len(reasons), 2)  # never met, quiet for two months

    def test_only_network_managers_see_it(self) -> None:
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(reverse("communities:attention")).status_code, 403)
