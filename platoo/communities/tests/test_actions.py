from django.core.exceptions import PermissionDenied, ValidationError

from platoo.communities import actions
from platoo.communities.models import Community, CommunityStep, Membership, SharedItem, StageChange

from .base import CoPTestCase, make_community, make_item


class CreateTests(CoPTestCase):
    def test_the_creator_becomes_admin_with_the_first_stage_and_ten_steps(self) -> None:
        m = Membership.objects.get(community=self.public, user=self.alice)
        self.assertTrue(m.is_active_admin)
        self.assertEqual(
            list(StageChange.objects.filter(community=self.public).values_list("stage", flat=True)), ["potential"]
        )
        self.assertEqual(CommunityStep.objects.filter(community=self.public).count(), 10)

    def test_a_taken_slug_is_refused_clearly(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            make_community(self.bob, "open-cop")
        self.assertIn("slug", caught.exception.error_dict)

    def test_only_admins_edit(self) -> None:
        data = actions.CommunityData(name="ใหม่", slug="open-cop", domain="x", level=3)
        with self.assertRaises(PermissionDenied):
            actions.do_update_community(self.bob, self.public, data)
        actions.do_update_community(self.alice, self.public, data)
        self.assertEqual(Community.objects.get(pk=self.public.pk).name, "ใหม่")


class JoinTests(CoPTestCase):
    def test_public_joins_at_once_and_twice_is_harmless(self) -> None:
        m, _text = actions.do_join(self.carol, self.public)
        self.assertEqual(m.status, "active")
        _m, text = actions.do_join(self.carol, self.public)
        self.assertIn("เป็นสมาชิกของชุมชนนี้อยู่แล้ว", text)
        self.assertEqual(Membership.objects.filter(community=self.public, user=self.carol).count(), 1)

    def test_closed_makes_a_request_an_admin_decides(self) -> None:
        m, _text = actions.do_join(self.carol, self.closed)
        self.assertEqual(m.status, "requested")
        with self.assertRaises(PermissionDenied):
            actions.do_decide_request(self.carol, m, True)
        actions.do_decide_request(self.alice, m, True)
        self.assertEqual(Membership.objects.get(pk=m.pk).status, "active")
        with self.assertRaises(ValidationError):
            actions.do_decide_request(self.alice, m, True)

    def test_secret_is_refused(self) -> None:
        with self.assertRaises(PermissionDenied):
            actions.do_join(self.carol, self.secret)

    def test_invitation_accepted_and_declined(self) -> None:
        with self.assertRaises(PermissionDenied):
            actions.do_invite(self.bob, self.secret, "carol")
        actions.do_invite(self.alice, self.secret, "carol")
        actions.do_invite(self.alice, self.secret, "dave")
        with self.assertRaises(ValidationError):
            actions.do_invite(self.alice, self.secret, "carol")
        with self.assertRaises(ValidationError):
            actions.do_invite(self.alice, self.secret, "nobody")
        actions.do_answer_invitation(self.carol, self.secret, True)
        actions.do_answer_invitation(self.dave, self.secret, False)
        self.assertEqual(Membership.objects.get(community=self.secret, user=self.carol).status, "active")
        self.assertFalse(Membership.objects.filter(community=self.secret, user=self.dave).exists())


class AdminTests(CoPTestCase):
    def test_the_last_admin_cannot_leave_or_be_demoted(self) -> None:
        with self.assertRaisesMessage(ValidationError, "ผู้ดูแลคนสุดท้าย"):
            actions.do_leave(self.alice, self.public)
        mine = Membership.objects.get(community=self.public, user=self.alice)
        with self.assertRaises(ValidationError):
            actions.do_set_admin(self.alice, mine, False)
        bob = Membership.objects.get(community=self.public, user=self.bob)
        actions.do_set_admin(self.alice, bob, True)
        actions.do_leave(self.alice, self.public)
        self.assertFalse(Membership.objects.filter(community=self.public, user=self.alice).exists())

    def test_admins_remove_members(self) -> None:
        bob = Membership.objects.get(community=self.public, user=self.bob)
        with self.assertRaises(PermissionDenied):
            actions.do_remove_member(self.carol, bob)
        actions.do_remove_member(self.alice, bob)
        self.assertFalse(Membership.objects.filter(pk=bob.pk).exists())

    def test_stage_changes_are_recorded_and_the_same_stage_twice_refused(self) -> None:
        actions.do_set_stage(self.alice, self.public, "coalescing", "พบกันครั้งแรก")
        with self.assertRaises(ValidationError):
            actions.do_set_stage(self.alice, Community.objects.get(pk=self.public.pk), "coalescing")
        with self.assertRaises(PermissionDenied):
            actions.do_set_stage(self.bob, self.public, "maturing")
        self.assertEqual(StageChange.objects.filter(community=self.public).count(), 2)


class StepAndShareTests(CoPTestCase):
    def test_facilitators_and_note_takers_update_steps_plain_members_do_not(self) -> None:
        step = CommunityStep.objects.get(community=self.public, number=1)
        with self.assertRaises(PermissionDenied):
            actions.do_update_step(self.bob, step, None, "x", "")
        bob = Membership.objects.get(community=self.public, user=self.bob)
        actions.do_set_km_role(self.alice, bob, "note_taker")
        actions.do_update_step(self.bob, step, None, "บันทึก", "https://example.org/a\n\n")
        self.assertEqual(CommunityStep.objects.get(pk=step.pk).evidence, "https://example.org/a")
        with self.assertRaises(ValidationError):
            actions.do_update_step(self.bob, step, None, "", "not a link")

    def test_members_share_only_what_they_can_read(self) -> None:
        item = make_item(self.bob, "เรื่องเล่า")
        hidden = make_item(self.carol, "ร่าง", visibility="private")
        with self.assertRaises(PermissionDenied):
            actions.do_share_item(self.carol, self.public, item)
        actions.do_share_item(self.bob, self.public, item)
        _s, created = actions.do_share_item(self.bob, self.public, item)
        self.assertFalse(created)
        with self.assertRaises(PermissionDenied):
            actions.do_share_item(self.bob, self.public, hidden)
        actions.do_share_item(self.alice, self.closed, item)
        self.assertEqual(SharedItem.objects.filter(item=item).count(), 2)
