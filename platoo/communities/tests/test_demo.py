from django.test import TestCase

from platoo.activity.models import Activity
from platoo.communities import demo
from platoo.communities.health import health_of, needing_attention
from platoo.communities.models import (
    Attendance,
    Community,
    CommunityStep,
    Meeting,
    MeetingItem,
    Membership,
    Reply,
    SharedItem,
    Thread,
)
from platoo.network.demo.loader import load_demo
from platoo.network.models import NetworkLevel


class DemoTests(TestCase):
    def test_six_communities_with_a_year_of_life_load_and_go_again(self) -> None:
        load_demo()
        self.assertEqual(demo.load(), 6)
        self.assertEqual(demo.load(), 6)
        cops = list(Community.objects.all())
        self.assertEqual({c.level for c in cops}, set(NetworkLevel.values))
        self.assertEqual(sorted(c.visibility for c in cops).count("secret"), 1)
        self.assertEqual(sorted(c.visibility for c in cops).count("closed"), 1)
        self.assertGreaterEqual(len({c.stage for c in cops}), 5)
        for cop in cops:
            members = Membership.objects.filter(community=cop, status="active")
            self.assertTrue(3 <= members.count() <= 10, cop)
            self.assertTrue(1 <= CommunityStep.objects.filter(community=cop, done_on__isnull=False).count() <= 7)
            self.assertTrue(1 <= SharedItem.objects.filter(community=cop).count() <= 8, cop)
            self.assertGreaterEqual(Thread.objects.filter(community=cop).count(), 1)
            self.assertEqual(cop.stage_changes.first().stage, cop.stage)
        self.assertGreater(Attendance.objects.count(), 40)
        self.assertGreaterEqual(MeetingItem.objects.count(), 3)
        self.assertTrue(Reply.objects.filter(knowledge_item__isnull=False).exists())
        self.assertTrue(Meeting.objects.filter(minutes__gt="").exists())

        health = health_of(cops)
        handover = Community.objects.get(slug="demo-handover")
        self.assertTrue(health[handover.pk].meets_continuously)
        self.assertGreater(health[handover.pk].active_members, 2)
        flagged = {c.slug for c, _health in needing_attention(cops)}
        self.assertIn("demo-digital-unit", flagged)  # never met
        self.assertIn("demo-water-ops", flagged)  # no meeting for four months
        self.assertNotIn("demo-handover", flagged)

        self.assertTrue(Activity.objects.filter(verb="thread_started").exists())
        demo.remove()
        self.assertFalse(Community.objects.exists())
        self.assertFalse(Activity.objects.filter(verb="thread_started").exists())
