"""API v1 for the cycle: what the pages allow, no more."""

from platoo.cycle.models import ReviewRound

from .base import CycleTestCase

URL = "/api/v1/cycle"


class CycleApiTests(CycleTestCase):
    def post(self, path: str, body: dict | None = None):  # type: ignore[no-untyped-def, type-arg]
        return self.client.post(f"{URL}{path}", body or {}, content_type="application/json")

    def test_an_item_goes_from_marked_to_verified_through_the_api(self) -> None:
        item = self.make_item()
        self.client.force_login(self.alice)
        marked = self.post(f"/items/{item.pk}")
        self.assertEqual((marked.status_code, marked.json()["stage"]), (201, "captured"))
        body = {
            "topic_id": self.subtopic.pk,
            "knowledge_type": "explicit",
            "audience": "everyone",
            "source": "document",
            "owner_id": self.alpha.pk,
            "priority": "caution",
            "version": marked.json()["version"],
        }
        categorized = self.client.put(f"{URL}/items/{item.pk}/categories", body, content_type="application/json").json()
        self.assertEqual(categorized["stage"], "categorized")
        stale = self.post(f"/items/{item.pk}/moves", {"move": "submit", "version": marked.json()["version"]})
        self.assertEqual(stale.status_code, 409)
        submitted = self.post(f"/items/{item.pk}/moves", {"move": "submit", "version": categorized["version"]}).json()
        round_id = submitted["open_round_id"]
        self.assertEqual(round_id, ReviewRound.objects.get(critical_id=item.pk).pk)
        own = self.post(
            f"/rounds/{round_id}/reviews",
            {"accuracy": 5, "applicability": 5, "evidence": 5, "recommendation": "verify"},
        )
        self.assertEqual(own.status_code, 403)
        for expert in self.experts[:3]:
            self.client.force_login(expert)
            review = {"accuracy": 4, "applicability": 4, "evidence": 3, "recommendation": "verify"}
            self.assertEqual(self.post(f"/rounds/{round_id}/reviews", review).status_code, 200)
        self.assertEqual(len(self.client.get(f"{URL}/rounds/{round_id}/reviews").json()), 3)
        self.client.force_login(self.carol)
        verdict = self.post(f"/rounds/{round_id}/verdict", {"outcome": "verified"}).json()
        self.assertEqual(verdict["stage"], "verified")
        self.assertEqual([step["to_stage"] for step in verdict["timeline"]][-1], "verified")

    def test_an_illegal_move_and_bad_scores_answer_422_naming_the_problem(self) -> None:
        critical = self.categorized()
        self.client.force_login(self.hub)
        illegal = self.post(
            f"/items/{critical.item_id}/moves", {"move": "standardize", "reason": "x", "version": critical.version}
        )
        self.assertEqual(illegal.status_code, 422)
        self.assertIn("ขยับแบบนี้ไม่ได้", illegal.json()["detail"] + str(illegal.json().get("errors")))
        critical = self.in_review(self.make_item("อีกเรื่อง"))
        round_id = ReviewRound.objects.get(critical=critical).pk
        self.client.force_login(self.experts[0])
        bad = self.post(
            f"/rounds/{round_id}/reviews",
            {"accuracy": 9, "applicability": 1, "evidence": 1, "recommendation": "verify"},
        )
        self.assertEqual(bad.status_code, 422)
        self.assertEqual(bad.json()["errors"][0]["field"], "accuracy")

    def test_the_cycle_of_an_item_one_may_not_read_is_a_404_and_the_queue_is_ones_own(self) -> None:
        critical = self.in_review(self.make_item("เรื่องภายใน", visibility="organization"))
        self.assertEqual(self.client.get(f"{URL}/items/{critical.item_id}").status_code, 404)
        self.client.force_login(self.bob)  # alpha, like the item
        self.assertEqual(self.client.get(f"{URL}/items/{critical.item_id}").json()["stage"], "in_review")
        self.assertEqual(self.client.get(f"{URL}/queue").json(), [])
        self.client.force_login(self.experts[0])  # beta: on the panel, but cannot read alpha's item
        self.assertEqual(self.client.get(f"{URL}/queue").json(), [])
        panels = self.client.get(f"{URL}/panels").json()
        self.assertEqual(panels[0]["chair"]["username"], "carol")
