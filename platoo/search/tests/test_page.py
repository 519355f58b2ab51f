"""The search page at /search/."""

from django.test import TestCase
from django.urls import reverse

from platoo.accounts.models import User
from platoo.knowledge.actions import ItemData, do_create_item


class SearchPageTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.author = User.objects.create_user("somchai", "somchai@example.org", password="pw-somchai-42")
        with cls.captureOnCommitCallbacks(execute=True):
            cls.items = [
                do_create_item(
                    cls.author,
                    ItemData(
                        title=f"บทเรียนการจัดการน้ำ ตอนที่ {n}",
                        kind="lesson",
                        body=f"ชุมชนบันทึกการบริหารจัดการน้ำในฤดูแล้ง ครั้งที่ {n}",
                        visibility="public",
                    ),
                )
                for n in range(25)
            ]
            cls.secret = do_create_item(cls.author, ItemData(title="น้ำในบันทึกลับ", visibility="private"))

    def get(self, **params: str):  # type: ignore[no-untyped-def]
        return self.client.get(reverse("search:results"), params)

    def test_it_answers_at_slash_search(self) -> None:
        self.assertEqual(reverse("search:results"), "/search/")
        response = self.get()
        self.assertContains(response, 'name="q"')
        self.assertContains(response, 'for="search-q"')

    def test_it_shows_highlighted_results_with_thai_dates_counts_and_paging(self) -> None:
        response = self.get(q="บริหาร")
        self.assertContains(response, "<mark>บริหาร</mark>")
        self.assertContains(response, "25")
        self.assertContains(response, str(self.items[0].created_at.year + 543))
        self.assertContains(response, 'rel="next"')
        self.assertEqual(len(response.context["found"].hits), 20)
        second = self.get(q="บริหาร", page="2")
        self.assertEqual(len(second.context["found"].hits), 5)
        self.assertContains(second, 'rel="prev"')
        self.assertNotContains(response, "บันทึกลับ")

    def test_it_runs_a_fixed_number_of_queries(self) -> None:
        # session-less visitor: topics, organizations, then search: stats, ranked page, items, authors, badges.
        with self.assertNumQueries(7):
            self.get(q="การจัดการน้ำ", kind="lesson")

    def test_it_gives_advice_when_nothing_matches(self) -> None:
        response = self.get(q="xyzzy", kind="note")
        self.assertEqual(response.context["found"].total, 0)
        self.assertContains(response, 'class="search-advice"')
        self.assertContains(response, reverse("accounts:login"))  # members see more: sign in
        self.assertContains(response, '<a href="?q=xyzzy">')  # search again without the filters

    def test_it_explains_punctuation_only_and_shortens_long_queries(self) -> None:
        response = self.get(q="?!?!")
        self.assertTrue(response.context["found"].message)
        self.assertContains(response, response.context["found"].message)
        response = self.get(q="น้ำ " * 2000)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["shortened"])

    def test_it_ignores_nonsense_filters_and_pages(self) -> None:
        for params in [{"page": "abc"}, {"page": "-1"}, {"year": "25x9"}, {"kind": "<script>"}, {"page": "999999"}]:
            with self.subTest(params=params):
                self.assertEqual(self.get(q="น้ำ", **params).status_code, 200)
