from datetime import timedelta

from django.utils import timezone

from platoo.communities import actions
from platoo.communities.models import Meeting, Membership, Thread

from .base import CoPTestCase, schedule

URL = "/api/v1/communities"


class CommunityApiTests(CoPTestCase):
    def test_anyone_lists_the_open_communities_and_members_see_their_secret_one(self) -> None:
        listed = self.client.get(URL).json()
        self.assertEqual({c["slug"] for c in listed["items"]}, {"open-cop", "closed-cop"})
        self.assertEqual(listed["count"], 2)
        self.assertEqual(self.client.get(f"{URL}/secret-cop").status_code, 404)
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(URL).json()["count"], 3)
        detail = self.client.get(f"{URL}/open-cop").json()
        self.assertEqual((detail["member_count"], detail["stage"], detail["level"]), (2, "potential", 2))

    def test_members_of_a_community_are_for_signed_in_people(self) -> None:
        self.assertEqual(self.client.get(f"{URL}/open-cop/members").status_code, 401)
        self.client.force_login(self.carol)
        members = self.client.get(f"{URL}/open-cop/members").json()
        self.assertEqual({m["person"]["username"] for m in members}, {"alice", "bob"})
        self.assertEqual({m["organization"]["code"] for m in members}, {"alpha"})
        self.assertEqual(self.client.get(f"{URL}/secret-cop/members").status_code, 404)

    def test_join_twice_and_the_last_admin_cannot_leave(self) -> None:
        self.client.force_login(self.carol)
        first = self.client.post(f"{URL}/open-cop/join").json()
        second = self.client.post(f"{URL}/open-cop/join").json()
        self.assertEqual(first["status"], second["status"])
        self.assertEqual(Membership.objects.filter(user=self.carol, community=self.public).count(), 1)
        self.assertEqual(self.client.post(f"{URL}/closed-cop/join").json()["status"], "requested")
        self.client.force_login(self.alice)
        response = self.client.post(f"{URL}/open-cop/leave")
        self.assertEqual(response.status_code, 422)
        self.assertIn("ผู้ดูแลคนสุดท้าย", response.json()["errors"][0]["message"])


class ContentApiTests(CoPTestCase):
    def test_meetings_are_scheduled_read_and_checked_in_through_the_api(self) -> None:
        self.client.force_login(self.alice)
        starts = timezone.now() - timedelta(minutes=30)
        response = self.client.post(
            f"{URL}/open-cop/meetings",
            {
                "title": "วงเล่าเรื่อง",
                "starts_at": starts.isoformat(),
                "ends_at": (starts + timedelta(hours=2)).isoformat(),
                "agenda_points": [{"title": "เล่าเรื่อง", "presenter": self.bob.pk, "duration_minutes": 20}],
            },
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 201, response.content)
        meeting = response.json()
        self.assertEqual(meeting["agenda_points"][0]["presenter"]["username"], "bob")
        backwards = self.client.post(
            f"{URL}/open-cop/meetings",
            {"title": "ย้อนเวลา", "starts_at": starts.isoformat(), "ends_at": (starts - timedelta(hours=1)).isoformat()},
            content_type="application/json",
        )
        self.assertEqual(backwards.status_code, 422)
        self.assertEqual(backwards.json()["errors"][0]["field"], "ends_at")
        self.client.force_login(self.bob)
        checked = self.client.post(
            f"{URL}/open-cop/meetings/{meeting['id']}/check-in", {}, content_type="application/json"
        ).json()
        self.assertTrue(checked["created"])
        self.assertEqual(self.client.get(f"{URL}/open-cop/meetings").json()["items"][0]["attendee_count"], 1)

    def test_discussions_with_replies_mentions_and_an_accepted_answer(self) -> None:
        self.client.force_login(self.bob)
        thread = self.client.post(
            f"{URL}/open-cop/threads",
            {"title": "ถามเรื่องส่งเวร", "body": "มีใครใช้ SBAR ไหม @alice", "is_question": True},
            content_type="application/json",
            headers={"Idempotency-Key": "once"},
        ).json()
        again = self.client.post(
            f"{URL}/open-cop/threads",
            {"title": "ถามเรื่องส่งเวร", "body": "มีใครใช้ SBAR ไหม @alice", "is_question": True},
            content_type="application/json",
            headers={"Idempotency-Key": "once"},
        ).json()
        self.assertEqual(thread["id"], again["id"])
        self.assertIn('href="/accounts/people/alice/"', thread["body_html"])
        self.client.force_login(self.alice)
        answer = self.client.post(
            f"{URL}/open-cop/threads/{thread['id']}/replies", {"body": "ใช้ทุกเวร"}, content_type="application/json"
        ).json()
        self.client.force_login(self.bob)
        done = self.client.post(
            f"{URL}/open-cop/threads/{thread['id']}/accept", {"reply": answer["id"]}, content_type="application/json"
        ).json()
        self.assertTrue(done["answered"])
        self.assertTrue(done["replies"][0]["accepted"])

    def test_a_closed_or_secret_communitys_content_is_a_404_to_outsiders(self) -> None:
        schedule(self.alice, self.closed, "ประชุมวงปิด", days=-1)
        actions.do_start_thread(self.alice, self.secret, "กระทู้ลับ", "ข้อความ")
        self.client.force_login(self.carol)
        for path in ("closed-cop/meetings", "closed-cop/threads", "closed-cop/health", "secret-cop/threads"):
            with self.subTest(path=path):
                self.assertEqual(self.client.get(f"{URL}/{path}").status_code, 404)
        meeting = Meeting.objects.get()
        self.assertEqual(self.client.get(f"{URL}/closed-cop/meetings/{meeting.pk}").status_code, 404)
        thread = Thread.objects.get()
        self.assertEqual(self.client.get(f"{URL}/secret-cop/threads/{thread.pk}").status_code, 404)
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(f"{URL}/secret-cop/threads").json()["count"], 1)

    def test_health_figures_are_served_to_readers(self) -> None:
        schedule(self.alice, self.public, days=-1)
        self.client.force_login(self.bob)
        figures = self.client.get(f"{URL}/open-cop/health").json()
        self.assertEqual((figures["members"], figures["meetings_year"]), (2, 1))
        self.assertEqual(len(figures["monthly"]), 12)
