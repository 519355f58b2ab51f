import json
from typing import Any

from platoo.accounts.actions import do_issue_token
from platoo.accounts.models import User
from platoo.activity.actions import do_follow, do_mark_read
from platoo.activity.models import Follow, Notification, NotificationKind

from .base import ActivityTestCase, write_item

API = "/api/v1"


def bearer(user: User) -> dict[str, str]:
    return {"authorization": f"Bearer {do_issue_token(user, 'script')[1]}"}


class NotificationApiTests(ActivityTestCase):
    def setUp(self) -> None:
        self.auth = bearer(self.bob)

    def get(self, path: str, **params: Any) -> Any:
        response = self.client.get(API + path, params, headers=self.auth)
        self.assertEqual(response.status_code, 200, response.content)
        return response.json()

    def test_it_lists_your_own_notifications_with_their_sentence_newest_first(self) -> None:
        self.notify_one(self.bob, title="เก่า")
        newer = self.notify_one(self.bob, NotificationKind.INVITATION, title="วงใหม่")
        self.notify_one(self.carol, title="ของแครอล")
        body = self.get("/notifications")
        self.assertEqual(body["count"], 2)
        first = body["items"][0]
        self.assertEqual(first["id"], newer.pk)
        self.assertEqual(first["kind"], "invitation")
        self.assertEqual(first["text"], "อลิซ ใจดี เชิญคุณเข้าร่วมชุมชน “วงใหม่”")
        self.assertEqual(first["url"], "http://testserver/communities/open-cop/")
        self.assertEqual(first["actor"]["username"], "alice")
        self.assertFalse(first["read"])
        english = self.client.get(API + "/notifications", headers={**self.auth, "accept-language": "en"}).json()
        self.assertEqual(english["items"][0]["text"], "Alice invited you to join the community “วงใหม่”")

    def test_it_filters_unread_counts_them_and_marks_them_read(self) -> None:
        one = self.notify_one(self.bob)
        self.notify_one(self.bob)
        do_mark_read(self.bob, one)
        self.assertEqual(self.get("/notifications", unread="true")["count"], 1)
        self.assertEqual(self.get("/notifications/unread-count"), {"unread": 1})
        response = self.client.post(f"{API}/notifications/read-all", headers=self.auth)
        self.assertEqual(response.json(), {"marked": 1})
        self.assertEqual(self.get("/notifications/unread-count"), {"unread": 0})

    def test_marking_one_read_works_for_your_own_only(self) -> None:
        mine = self.notify_one(self.bob)
        theirs = self.notify_one(self.carol)
        response = self.client.post(f"{API}/notifications/{mine.pk}/read", headers=self.auth)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.json()["read"])
        response = self.client.post(f"{API}/notifications/{theirs.pk}/read", headers=self.auth)
        self.assertEqual(response.status_code, 404)
        self.assertIsNone(Notification.objects.get(pk=theirs.pk).read_at)

    def test_everything_needs_signing_in(self) -> None:
        for path in ("/notifications", "/notifications/unread-count", "/follows", "/feed"):
            self.assertEqual(self.client.get(API + path).status_code, 401)
        self.assertEqual(self.client.post(f"{API}/notifications/read-all").status_code, 401)
        self.assertEqual(
            self.client.post(f"{API}/follows", {"key": "topic:1"}, content_type="application/json").status_code, 401
        )

    def test_the_list_has_a_fixed_number_of_queries(self) -> None:
        for n in range(10):
            self.notify_one(self.bob, actor=self.carol if n % 2 else self.alice)
        self.get("/notifications")
        with self.assertNumQueries(3):  # token, count, page with actors
            self.get("/notifications")


class FollowApiTests(ActivityTestCase):
    def setUp(self) -> None:
        self.auth = bearer(self.carol)

    def post_follow(self, key: str) -> Any:
        return self.client.post(
            f"{API}/follows", json.dumps({"key": key}), content_type="application/json", headers=self.auth
        )

    def test_it_follows_lists_and_unfollows(self) -> None:
        response = self.post_follow(f"topic:{self.health.pk}")
        self.assertEqual(response.status_code, 201)
        self.assertEqual(
            response.json() | {"created_at": None},
            {
                "key": f"topic:{self.health.pk}",
                "kind": "topic",
                "title": "สุขภาพ",
                "url": "http://testserver/knowledge/?topic=health",
                "created_at": None,
            },
        )
        self.assertEqual(self.post_follow(f"topic:{self.health.pk}").status_code, 200)  # twice is harmless
        self.post_follow(f"person:{self.alice.pk}")
        listed = self.client.get(f"{API}/follows", headers=self.auth).json()
        self.assertEqual([f["key"] for f in listed["items"]], [f"person:{self.alice.pk}", f"topic:{self.health.pk}"])
        response = self.client.delete(f"{API}/follows/topic:{self.health.pk}", headers=self.auth)
        self.assertEqual(response.status_code, 204)
        self.assertEqual(
            list(Follow.objects.filter(user=self.carol).values_list("key", flat=True)), [f"person:{self.alice.pk}"]
        )

    def test_a_secret_cop_or_a_made_up_key_is_a_404(self) -> None:
        for key in (f"community:{self.secret.pk}", "community:999999", "nonsense"):
            response = self.post_follow(key)
            self.assertEqual(response.status_code, 404, key)
        self.assertEqual(self.post_follow(f"person:{self.carol.pk}").status_code, 422)
        self.assertFalse(Follow.objects.exists())

    def test_a_follow_no_longer_shared_is_listed_without_its_name(self) -> None:
        Follow.objects.create(user=self.carol, key=f"community:{self.secret.pk}")  # from before it went secret
        item = self.client.get(f"{API}/follows", headers=self.auth).json()["items"][0]
        self.assertEqual((item["title"], item["url"], item["kind"]), (None, None, "community"))

    def test_the_feed_shows_what_you_follow_that_you_may_read(self) -> None:
        do_follow(self.carol, f"person:{self.alice.pk}")
        write_item(self.alice, "อ่านได้ทั้งเครือข่าย")
        write_item(self.alice, "เฉพาะหน่วยงานอัลฟา", visibility="organization")
        write_item(self.alice, "ร่าง", visibility="private")
        items = self.client.get(f"{API}/feed", headers=self.auth).json()["items"]
        items = [i for i in items if i["verb"] == "item_created"]
        self.assertEqual([i["title"] for i in items], ["อ่านได้ทั้งเครือข่าย"])
        self.assertEqual(items[0]["text"], "อลิซ ใจดี เขียน “อ่านได้ทั้งเครือข่าย”")
        self.assertTrue(items[0]["url"].startswith("http://testserver/knowledge/"))
