from django.test import TestCase

from platoo.accounts.actions import do_issue_token
from platoo.accounts.models import User
from platoo.accounts.tests.helpers import make_organization, make_person
from platoo.knowledge.actions import ItemData, do_create_item

URL = "/api/v1/search"


class SearchApiTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        with cls.captureOnCommitCallbacks(execute=True):
            cls.admin = User.objects.create_superuser("admin", "admin@example.org", "pw-admin-123")
            cls.dol = make_organization(cls.admin, "dol")
            cls.alice = make_person(cls.admin, "alice", cls.dol, name_th="อลิส งบประมาณดี")
            cls.public = do_create_item(
                cls.alice,
                ItemData(
                    title="การจัดทำงบประมาณแผ่นดินแบบมีส่วนร่วม",
                    kind="lesson",
                    body="ชุมชนร่วมกันวางแผนงบประมาณแผ่นดินของตำบล",
                    visibility="public",
                    tag_names=["งบประมาณ"],
                ),
            )
            cls.private = do_create_item(
                cls.alice,
                ItemData(title="ร่างงบประมาณแผ่นดินลับ", kind="note", body="ตัวเลขงบประมาณ", visibility="private"),
            )
        cls.token = do_issue_token(cls.alice, "search script")[1]

    def search(self, headers: dict[str, str] | None = None, **params: str) -> dict:
        response = self.client.get(URL, params, headers=headers or {})
        self.assertEqual(response.status_code, 200, response.content)
        return response.json()

    def test_it_finds_a_thai_word_inside_a_compound_for_anonymous_readers(self) -> None:
        data = self.search(q="งบประมาณ", type="knowledge")
        self.assertEqual([h["id"] for h in data["hits"]], [self.public.pk])
        self.assertEqual((data["total"], data["counts"]), (1, {"knowledge": 1}))
        hit = data["hits"][0]
        self.assertEqual((hit["type"], hit["title"]), ("knowledge", self.public.title))
        self.assertIn("<mark>", hit["snippet_html"] + hit["title_html"])
        self.assertTrue(hit["api_url"].endswith(f"/api/v1/knowledge/{self.public.pk}"))
        self.assertTrue(hit["url"].startswith("http://testserver/"))

    def test_it_shows_an_author_their_private_items_with_a_token(self) -> None:
        data = self.search({"authorization": f"Bearer {self.token}"}, q="งบประมาณแผ่นดิน", type="knowledge")
        self.assertEqual({h["id"] for h in data["hits"]}, {self.public.pk, self.private.pk})

    def test_it_applies_the_filters(self) -> None:
        headers = {"authorization": f"Bearer {self.token}"}
        self.assertEqual([h["id"] for h in self.search(headers, q="งบประมาณ", kind="note")["hits"]], [self.private.pk])
        self.assertEqual(self.search(headers, q="งบประมาณ", kind="story")["total"], 0)
        self.assertEqual(self.search(headers, q="งบประมาณ", year="2569", type="knowledge")["total"], 2)

    def test_it_finds_people_for_signed_in_readers(self) -> None:
        data = self.search({"authorization": f"Bearer {self.token}"}, q="อลิส", type="person")
        self.assertEqual([(h["type"], h["id"]) for h in data["hits"]], [("person", self.alice.pk)])
        self.assertTrue(data["hits"][0]["api_url"].endswith("/api/v1/people/alice"))

    def test_it_pages_the_results(self) -> None:
        headers = {"authorization": f"Bearer {self.token}"}
        data = self.search(headers, q="งบประมาณ", type="knowledge", limit="1", offset="1")
        self.assertEqual((data["total"], len(data["hits"]), data["limit"], data["offset"]), (2, 1, 1, 1))

    def test_it_explains_a_query_of_punctuation_only(self) -> None:
        data = self.search(q="?!...")
        self.assertEqual(data["hits"], [])
        self.assertTrue(data["message"])

    def test_it_gives_a_sane_answer_to_a_5000_character_query(self) -> None:
        data = self.search(q="ประมาณ " * 715)
        self.assertLessEqual(len(data["query"]), 300)  # searched as shortened, not refused
        self.assertEqual([h["id"] for h in data["hits"]], [self.public.pk])

    def test_it_names_a_bad_parameter(self) -> None:
        response = self.client.get(URL, {"q": "x", "type": "webinar", "year": "ปีนี้"})
        self.assertEqual(response.status_code, 422)
        self.assertEqual({e["field"] for e in response.json()["errors"]}, {"type", "year"})
