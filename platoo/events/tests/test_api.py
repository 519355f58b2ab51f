from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from platoo.events import actions
from platoo.events.models import Registration
from platoo.search.query import search

from .base import EventTestCase, make_event

URL = "/api/v1/events"


class EventApiTests(EventTestCase):
    def test_anyone_reads_public_events_and_members_the_network_ones(self) -> None:
        make_event(self.alice, "งานเปิดบ้านสาธารณะ", visibility="public")
        make_event(self.alice, "วงเล่าเรื่องภายในเครือข่าย")
        make_event(self.alice, "ร่างที่ยังไม่ประกาศ", publish=False)
        self.assertEqual([e["title"] for e in self.client.get(URL).json()["items"]], ["งานเปิดบ้านสาธารณะ"])
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(URL).json()["count"], 2)

    def test_an_organizer_creates_publishes_and_a_double_post_makes_one(self) -> None:
        self.client.force_login(self.alice)
        starts = timezone.now() + timedelta(days=10)
        body = {
            "kind": "visit",
            "title": "เยือนวิทยาลัย",
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=5)).isoformat(),
            "capacity": 1,
            "sessions": [{"title": "ชมโรงฝึกงาน", "speakers": [self.bob.pk]}],
        }
        first = self.client.post(URL, body, content_type="application/json", headers={"Idempotency-Key": "k1"}).json()
        again = self.client.post(URL, body, content_type="application/json", headers={"Idempotency-Key": "k1"}).json()
        self.assertEqual(first["id"], again["id"])
        self.assertEqual(first["status"], "draft")
        published = self.client.post(f"{URL}/{first['id']}/publish").json()
        self.assertEqual(published["sessions"][0]["speakers"][0]["username"], "bob")
        backwards = self.client.post(
            URL, {**body, "ends_at": (starts - timedelta(hours=1)).isoformat()}, content_type="application/json"
        )
        self.assertEqual(backwards.status_code, 422)
        self.assertEqual(backwards.json()["errors"][0]["field"], "ends_at")

    def test_registration_the_waitlist_and_check_in_through_the_api(self) -> None:
        event = make_event(self.alice, capacity=1, days=0.05)
        self.client.force_login(self.bob)
        self.assertEqual(
            self.client.post(f"{URL}/{event.pk}/register", {}, content_type="application/json").json()["status"],
            "registered",
        )
        self.client.force_login(self.carol)
        self.assertEqual(
            self.client.post(f"{URL}/{event.pk}/register", {}, content_type="application/json").json()["status"],
            "waitlisted",
        )
        self.assertEqual(self.client.get(f"{URL}/{event.pk}/registrations").status_code, 403)
        self.client.force_login(self.bob)
        self.assertEqual(self.client.delete(f"{URL}/{event.pk}/register").status_code, 204)
        self.assertEqual(Registration.objects.get(event=event, user=self.carol).status, "registered")
        self.client.force_login(self.alice)
        walk_in = self.client.post(
            f"{URL}/{event.pk}/check-in", {"person": self.dave.pk}, content_type="application/json"
        )
        self.assertTrue(walk_in.json()["walk_in"])
        self.assertEqual(self.client.get(f"{URL}/{event.pk}/registrations").json()["count"], 3)


class EventSearchTests(EventTestCase):
    def test_published_events_are_found_by_a_thai_word_and_drafts_never(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            open_ = make_event(self.alice, "เยี่ยมชมโรงงานปั้นดินเผา", visibility="public")
            inside = make_event(self.alice, "ปั้นดินเผาสำหรับบุคลากร", visibility="organization", host_id=self.alpha.pk)
            make_event(self.alice, "ร่างปั้นดินเผา", publish=False)
        found = {hit.obj.pk for hit in search(AnonymousUser(), "ดินเผา", types=["event"]).hits}
        self.assertEqual(found, {open_.pk})
        found = {hit.obj.pk for hit in search(self.bob, "ดินเผา", types=["event"]).hits}
        self.assertEqual(found, {open_.pk, inside.pk})  # bob is in alpha, the host
        found = {hit.obj.pk for hit in search(self.carol, "ดินเผา", types=["event"]).hits}
        self.assertEqual(found, {open_.pk})
        with self.captureOnCommitCallbacks(execute=True):
            actions.do_cancel_event(self.alice, open_)
        self.assertEqual(len(search(AnonymousUser(), "ดินเผา", types=["event"]).hits), 1)  # cancelled, still listed
