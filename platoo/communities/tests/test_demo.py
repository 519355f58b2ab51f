from django.test import TestCase

from platoo.communities import demo
from platoo.communities.models import Community, CommunityStep, Membership, SharedItem
from platoo.network.demo.loader import load_demo


class DemoTests(TestCase):
    def test_five_varied_communities_load_and_go_again(self) -> None:
        load_demo()
        self.assertEqual(demo.load(), 5)
        self.assertEqual(demo.load(), 5)
        cops = Community.objects.all()
        self.assertEqual(len({c.level for c in cops}), 5)
        self.assertEqual(sorted(c.visibility for c in cops).count("secret"), 1)
        self.assertEqual(sorted(c.visibility for c in cops).count("closed"), 1)
        for cop in cops:
            members = Membership.objects.filter(community=cop, status="active")
            self.assertTrue(4 <= members.count() <= 10, cop)
            self.assertGreater(len({m.user.organization_id for m in members}), 1)
            self.assertTrue(2 <= CommunityStep.objects.filter(community=cop, done_on__isnull=False).count() <= 7)
            self.assertTrue(2 <= SharedItem.objects.filter(community=cop).count() <= 5, cop)
            self.assertGreaterEqual(cop.stage_changes.count(), 2)
            self.assertEqual(cop.stage_changes.first().stage, cop.stage)
        demo.remove()
        self.assertFalse(Community.objects.exists())
