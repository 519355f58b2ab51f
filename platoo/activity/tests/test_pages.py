from django.urls import reverse
from django.utils import timezone

from platoo.activity.actions import do_follow, notify
from platoo.activity.models import DeliveryPreference, EmailMode, Follow, Notification, NotificationKind
from platoo.communities.actions import CommunityData, do_leave, do_update_community

from .base import ActivityTestCase, write_item


class NotificationPageTests(ActivityTestCase):
    def test_it_shows_your_own_notifications_only_newest_first_with_unread_marked(self) -> None:
        self.notify_one(self.bob, title="ของบ็อบเก่า")
        self.notify_one(self.bob, NotificationKind.MENTION, title="ของบ็อบใหม่")
        self.notify_one(self.carol, title="ของแครอล")
        self.client.force_login(self.bob)
        response = self.client.get("/notifications/")
        self.assertContains(response, "อลิซ ใจดี</strong> กล่าวถึงคุณใน “<a")
        self.assertNotContains(response, "ของแครอล")
        text = response.content.decode()
        self.assertLess(text.index("ของบ็อบใหม่"), text.index("ของบ็อบเก่า"))
        self.assertEqual(text.count('class="notification unread"'), 2)
        self.assertContains(response, '<span class="count-badge">2')

    def test_opening_one_marks_it_read_and_goes_where_it_points(self) -> None:
        notification = self.notify_one(self.bob)
        self.client.force_login(self.bob)
        response = self.client.get(f"/notifications/{notification.pk}/open/")
        self.assertRedirects(response, "/communities/open-cop/", fetch_redirect_response=False)
        notification.refresh_from_db()
        first = notification.read_at
        self.assertIsNotNone(first)
        self.client.get(f"/notifications/{notification.pk}/open/")
        notification.refresh_from_db()
        self.assertEqual(notification.read_at, first)
        self.assertNotContains(self.client.get("/notifications/"), "count-badge")

    def test_someone_elses_notification_is_a_404_and_stays_unread(self) -> None:
        notification = self.notify_one(self.carol)
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(f"/notifications/{notification.pk}/open/").status_code, 404)
        self.assertIsNone(Notification.objects.get(pk=notification.pk).read_at)

    def test_it_never_redirects_off_the_site(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            (evil,) = notify(
                [self.bob], NotificationKind.MENTION, actor=self.alice, title="ก", url="https://evil.example/"
            )
        self.client.force_login(self.bob)
        response = self.client.get(f"/notifications/{evil.pk}/open/")
        self.assertRedirects(response, "/notifications/", fetch_redirect_response=False)

    def test_mark_all_read_is_a_post_for_your_own(self) -> None:
        self.notify_one(self.bob)
        self.notify_one(self.carol)
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get("/notifications/read-all/").status_code, 405)
        response = self.client.post("/notifications/read-all/", follow=True)
        self.assertContains(response, "อ่านการแจ้งเตือนทั้งหมดแล้ว")
        self.assertFalse(Notification.objects.filter(recipient=self.bob, read_at__isnull=True).exists())
        self.assertTrue(Notification.objects.filter(recipient=self.carol, read_at__isnull=True).exists())

    def test_it_pages_in_a_fixed_number_of_queries(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            for n in range(35):
                notify(
                    [self.bob],
                    NotificationKind.REPLY,
                    actor=self.carol if n % 2 else self.alice,
                    title=f"กระทู้ {n}",
                    url="/",
                )
        self.client.force_login(self.bob)
        # session, user, unread badge, count, page with actors
        with self.assertNumQueries(5):
            response = self.client.get("/notifications/")
        self.assertContains(response, "กระทู้ 34")
        self.assertNotContains(response, "กระทู้ 4<")
        with self.assertNumQueries(5):
            response = self.client.get("/notifications/?page=2")
        self.assertContains(response, "กระทู้ 4<")

    def test_the_badge_stops_counting_at_ninety_nine(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            for _ in range(100):
                notify([self.bob], NotificationKind.REPLY, actor=self.alice, title="ก", url="/")
        self.client.force_login(self.bob)
        self.assertContains(self.client.get("/activity/"), '<span class="count-badge">99+')

    def test_signed_out_people_are_sent_to_sign_in(self) -> None:
        for url in ("/notifications/", "/activity/", "/activity/following/", "/notifications/settings/"):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302)
            self.assertIn(reverse("accounts:login"), response["Location"])
        self.assertNotContains(self.client.get("/communities/"), "count-badge")


class SettingsPageTests(ActivityTestCase):
    def test_it_saves_the_email_mode_and_language(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.get("/notifications/settings/")
        self.assertContains(response, "สรุปรายวัน")
        response = self.client.post("/notifications/settings/", {"email_mode": "weekly", "language": "en"}, follow=True)
        self.assertContains(response, "บันทึกการตั้งค่าการแจ้งเตือนแล้ว")
        preference = DeliveryPreference.objects.get(pk=self.bob.pk)
        self.assertEqual((preference.email_mode, preference.language), (EmailMode.WEEKLY, "en"))

    def test_it_shows_in_a_fixed_number_of_queries(self) -> None:
        self.client.force_login(self.bob)
        self.client.get("/notifications/settings/")  # made on first use
        with self.assertNumQueries(4):  # session, user, the preference, unread badge
            self.client.get("/notifications/settings/")

    def test_a_bad_choice_is_explained_and_nothing_changes(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post("/notifications/settings/", {"email_mode": "hourly", "language": "th"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "errorlist")
        self.assertEqual(DeliveryPreference.objects.get(pk=self.bob.pk).email_mode, EmailMode.IMMEDIATE)


class FollowPageTests(ActivityTestCase):
    def test_following_from_a_profile_and_back_to_it(self) -> None:
        self.client.force_login(self.bob)
        profile = self.alice.get_absolute_url()
        response = self.client.get(profile)
        self.assertContains(response, f'name="key" value="person:{self.alice.pk}"')
        self.assertContains(response, ">ติดตาม</button>")
        response = self.client.post(
            "/activity/follow/", {"key": f"person:{self.alice.pk}", "next": profile}, follow=True
        )
        self.assertRedirects(response, profile)
        self.assertContains(response, "คุณติดตาม อลิซ ใจดี แล้ว")
        self.assertContains(response, ">เลิกติดตาม</button>")
        self.assertTrue(Follow.objects.filter(user=self.bob, key=f"person:{self.alice.pk}").exists())
        response = self.client.post(
            "/activity/unfollow/", {"key": f"person:{self.alice.pk}", "next": profile}, follow=True
        )
        self.assertContains(response, "เลิกติดตาม อลิซ ใจดี แล้ว")
        self.assertFalse(Follow.objects.filter(user=self.bob).exists())

    def test_your_own_profile_has_no_follow_button(self) -> None:
        self.client.force_login(self.bob)
        self.assertNotContains(self.client.get(self.bob.get_absolute_url()), 'name="key"')

    def test_the_profile_shows_the_button_with_one_query(self) -> None:
        self.client.force_login(self.bob)
        url = self.alice.get_absolute_url()
        # session, user, person, expertise, item count (no items), unread badge, the button; the evidence
        # of expertise (written, presented, verified) and KM roles held in organizations and in CoPs
        with self.assertNumQueries(12):
            self.client.get(url)
        do_follow(self.bob, f"person:{self.alice.pk}")
        with self.assertNumQueries(12):
            self.assertContains(self.client.get(url), ">เลิกติดตาม</button>")

    def test_a_topic_can_be_followed_from_the_knowledge_list(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.get(f"/knowledge/?topic={self.health.slug}")
        self.assertContains(response, f'value="topic:{self.health.pk}"')
        self.assertNotContains(self.client.get("/knowledge/"), 'name="key"')
        self.client.post("/activity/follow/", {"key": f"topic:{self.health.pk}"})
        self.assertTrue(Follow.objects.filter(user=self.carol, key=f"topic:{self.health.pk}").exists())

    def test_a_secret_cop_cannot_be_followed_by_an_outsider(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.post("/activity/follow/", {"key": f"community:{self.secret.pk}"})
        self.assertContains(response, "ไม่มีสิ่งที่จะติดตามที่นี่", status_code=404)
        self.assertNotContains(response, self.secret.name, status_code=404)
        self.assertFalse(Follow.objects.exists())

    def test_next_must_stay_on_the_site(self) -> None:
        self.client.force_login(self.bob)
        key = f"community:{self.public.pk}"
        response = self.client.post("/activity/follow/", {"key": key, "next": "https://evil.example/"})
        self.assertRedirects(response, self.public.get_absolute_url(), fetch_redirect_response=False)
        response = self.client.post("/activity/unfollow/", {"key": key, "next": "//evil.example/"})
        self.assertRedirects(response, "/activity/following/", fetch_redirect_response=False)

    def test_following_yourself_is_explained(self) -> None:
        self.client.force_login(self.bob)
        response = self.client.post("/activity/follow/", {"key": f"person:{self.bob.pk}"}, follow=True)
        self.assertContains(response, "ติดตามตัวเองไม่ได้")
        self.assertFalse(Follow.objects.exists())

    def test_follow_endpoints_take_posts_from_signed_in_people_only(self) -> None:
        self.assertEqual(self.client.post("/activity/follow/", {"key": f"person:{self.alice.pk}"}).status_code, 302)
        self.assertFalse(Follow.objects.exists())
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get("/activity/follow/").status_code, 405)

    def test_the_following_page_lists_what_you_follow_with_unfollow_buttons(self) -> None:
        do_follow(self.bob, f"person:{self.alice.pk}")
        do_follow(self.bob, f"community:{self.public.pk}")
        do_follow(self.bob, f"topic:{self.health.pk}")
        self.client.force_login(self.bob)
        # session, user, follows, one per kind (people, communities, topics), unread badge
        with self.assertNumQueries(7):
            response = self.client.get("/activity/following/")
        for name in ("อลิซ ใจดี", self.public.name, "สุขภาพ"):
            self.assertContains(response, name)
        self.assertEqual(response.content.decode().count(">เลิกติดตาม</button>"), 3)

    def test_something_no_longer_shared_is_listed_without_its_name_and_can_be_unfollowed(self) -> None:
        do_follow(self.bob, f"community:{self.public.pk}")
        data = CommunityData(name=self.public.name, slug=self.public.slug, domain="d", level=2, visibility="secret")
        do_leave(self.bob, self.public)
        do_update_community(self.alice, self.public, data)
        self.client.force_login(self.bob)
        response = self.client.get("/activity/following/")
        self.assertContains(response, "ไม่ได้แบ่งปันกับคุณแล้ว")
        self.assertNotContains(response, self.public.name)
        self.client.post("/activity/unfollow/", {"key": f"community:{self.public.pk}"})
        self.assertFalse(Follow.objects.filter(user=self.bob).exists())


class FeedPageTests(ActivityTestCase):
    def test_it_shows_the_feed_in_a_fixed_number_of_queries(self) -> None:
        do_follow(self.carol, f"person:{self.alice.pk}")
        do_follow(self.carol, f"topic:{self.health.pk}")
        for n in range(8):
            write_item(self.alice if n % 2 else self.bob, f"เรื่อง {n}", topic_ids=[self.health.pk])
        self.client.force_login(self.carol)
        # session, user, unread badge, carol's CoP audiences, count, page with actors
        with self.assertNumQueries(6):
            response = self.client.get("/activity/")
        self.assertContains(response, "อลิซ ใจดี</strong> เขียน “<a href=")
        self.assertContains(response, "Bob</strong> เขียน")
        self.assertContains(response, f" {timezone.localtime().year + 543} ")  # Buddhist-era year

    def test_it_says_what_to_do_when_you_follow_nothing(self) -> None:
        self.client.force_login(self.dave)
        self.assertContains(self.client.get("/activity/"), "คุณยังไม่ได้ติดตามใคร")
