from django.urls import reverse

from platoo.communities import actions
from platoo.communities.models import Community, Membership

from .base import CoPTestCase, make_item, schedule


class VisibilityTests(CoPTestCase):
    def test_secret_is_hidden_from_outsiders_in_lists_counts_and_pages(self) -> None:
        for user in (None, self.carol):
            if user:
                self.client.force_login(user)
            response = self.client.get(reverse("communities:list"))
            self.assertContains(response, "ชุมชน open-cop")
            self.assertNotContains(response, "secret-cop")
            self.assertEqual(len(response.context["communities"]), 2)
            self.assertEqual(self.client.get(reverse("communities:detail", args=["secret-cop"])).status_code, 404)
        self.assertEqual(Community.objects.visible_to(self.carol).count(), 2)

    def test_invitees_members_and_superusers_see_a_secret_cop(self) -> None:
        actions.do_invite(self.alice, self.secret, "carol")
        for user in (self.carol, self.alice, self.admin):
            self.client.force_login(user)
            self.assertEqual(self.client.get(reverse("communities:detail", args=["secret-cop"])).status_code, 200)

    def test_list_filters_by_level_and_stage_and_counts_members(self) -> None:
        actions.do_set_stage(self.alice, self.closed, "maturing")
        response = self.client.get(reverse("communities:list") + "?stage=maturing")
        self.assertEqual([c.slug for c in response.context["communities"]], ["closed-cop"])
        response = self.client.get(reverse("communities:list") + "?level=2")
        counts = {c.slug: c.member_count for c in response.context["communities"]}
        self.assertEqual(counts, {"open-cop": 2, "closed-cop": 1})
        self.assertEqual(len(self.client.get(reverse("communities:list") + "?level=6").context["communities"]), 0)


class FlowTests(CoPTestCase):
    def test_join_leave_and_request_through_post_forms(self) -> None:
        self.client.force_login(self.carol)
        self.assertEqual(self.client.get(reverse("communities:join", args=["open-cop"])).status_code, 405)
        self.client.post(reverse("communities:join", args=["open-cop"]))
        self.client.post(reverse("communities:join", args=["open-cop"]))
        self.assertEqual(Membership.objects.filter(user=self.carol, community=self.public).count(), 1)
        self.client.post(reverse("communities:leave", args=["open-cop"]))
        self.assertFalse(Membership.objects.filter(user=self.carol, community=self.public).exists())
        self.client.post(reverse("communities:join", args=["closed-cop"]))
        self.assertEqual(Membership.objects.get(user=self.carol, community=self.closed).status, "requested")

    def test_last_admin_sees_why_they_cannot_leave(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(reverse("communities:leave", args=["open-cop"]), follow=True)
        self.assertContains(response, "ผู้ดูแลคนสุดท้าย")
        self.assertTrue(Membership.objects.filter(user=self.alice, community=self.public).exists())

    def test_admins_manage_members_others_cannot(self) -> None:
        m = Membership.objects.get(user=self.bob, community=self.public)
        url = reverse("communities:member", args=["open-cop", m.pk])
        self.client.force_login(self.carol)
        self.client.post(url, {"action": "make_admin"})
        self.assertEqual(Membership.objects.get(pk=m.pk).role, "member")
        self.client.force_login(self.alice)
        self.client.post(url, {"action": "make_admin"})
        self.assertEqual(Membership.objects.get(pk=m.pk).role, "admin")
        self.client.post(url, {"action": "km_role", "km_role": "facilitator"})
        self.assertEqual(Membership.objects.get(pk=m.pk).km_role, "facilitator")

    def test_create_edit_stage_and_step_pages(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.post(
            reverse("communities:create"),
            {
                "name": "วงใหม่",
                "slug": "new-cop",
                "domain": "น้ำ",
                "purpose": "",
                "level": "3",
                "visibility": "public",
                "stage": "potential",
                "organizations": [self.beta.pk],
            },
        )
        self.assertRedirects(response, reverse("communities:detail", args=["new-cop"]))
        response = self.client.post(
            reverse("communities:create"),
            {
                "name": " ",
                "slug": "new-cop",
                "domain": "น้ำ",
                "level": "3",
                "visibility": "public",
                "stage": "potential",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors)
        self.assertEqual(self.client.get(reverse("communities:edit", args=["open-cop"])).status_code, 403)
        response = self.client.post(
            reverse("communities:edit", args=["new-cop"]),
            {
                "name": "วงใหม่ 2",
                "domain": "น้ำ",
                "purpose": "# หัว",
                "level": "4",
                "visibility": "closed",
            },
        )
        self.assertEqual(Community.objects.get(slug="new-cop").name, "วงใหม่ 2")
        self.client.post(reverse("communities:stage", args=["new-cop"]), {"stage": "coalescing", "note": "เริ่ม"})
        self.assertEqual(Community.objects.get(slug="new-cop").stage, "coalescing")
        self.client.post(
            reverse("communities:step", args=["new-cop", 1]),
            {"done_on": "2026-01-15", "notes": "ทำแล้ว", "evidence": ""},
        )
        response = self.client.get(reverse("communities:detail", args=["new-cop"]))
        self.assertContains(response, "2569")
        self.assertContains(response, "ทำแล้ว")
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(reverse("communities:step", args=["new-cop", 1])).status_code, 403)


class DetailTests(CoPTestCase):
    def test_the_page_shows_everything_in_a_fixed_number_of_queries(self) -> None:
        actions.do_join(self.carol, self.public)
        actions.do_join(self.erin, self.public)
        actions.do_join(self.dave, self.public)
        actions.do_join(self.admin, self.closed)
        for n in range(4):
            actions.do_share_item(self.bob, self.public, make_item(self.bob, f"เรื่อง {n}"))
        hidden = make_item(self.carol, "ของอัลฟา", visibility="organization", organization=self.beta)
        actions.do_share_item(self.carol, self.public, hidden)
        actions.do_set_stage(self.alice, self.public, "coalescing", "ก้าวหน้า")
        actions.do_join(self.dave, self.closed)
        for n in range(4):
            thread = actions.do_start_thread(self.bob, self.public, f"กระทู้ {n}", "ข้อความ")
            actions.do_reply(self.carol, thread, "ตอบ")
            meeting = schedule(self.alice, self.public, f"ประชุม {n}", days=n - 2)
            if n < 2:
                actions.do_check_in(self.alice, meeting, self.carol)
        self.client.force_login(self.alice)
        url = reverse("communities:detail", args=["open-cop"])
        self.client.get(url)
        # The health panel is cached between two things done in the community (see cached_health);
        # the header counts unread notifications; the follow button and the recent activity add four,
        # and a member's own items to share one.
        with self.assertNumQueries(19):
            response = self.client.get(url)
        self.assertContains(response, "กระทู้ 3")
        self.assertContains(response, "activity-list")
        self.assertContains(response, "ประชุม 3")
        self.assertContains(response, "<strong>สำคัญ</strong>", html=True)
        self.assertContains(response, "เรื่อง 3")
        self.assertNotContains(response, "ของอัลฟา")
        self.assertContains(response, "หน่วยงาน alpha")
        self.assertContains(response, "ก้าวหน้า")
