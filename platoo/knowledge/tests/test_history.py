from django.urls import reverse

from platoo.knowledge.actions import ItemData, do_update_item
from platoo.knowledge.models import KnowledgeItem

from .base import KnowledgeTestCase


class HistoryTests(KnowledgeTestCase):
    def setUp(self) -> None:
        self.item = self.public
        same = {"visibility": "public", "organization_id": self.org_a.pk}
        do_update_item(self.alice, self.item, ItemData(title="ชื่อที่สอง", body="<b>หนา</b> & ข้อความ", **same), 1, "รอบสอง")
        do_update_item(self.alice, self.item, ItemData(title="ชื่อที่สาม", body="<script>x()</script>", **same), 2)

    def test_it_lists_revisions_with_who_when_and_note(self) -> None:
        response = self.client.get(reverse("knowledge:history", args=[self.item.pk]))
        self.assertEqual([r.number for r in response.context["page"]], [3, 2, 1])
        self.assertContains(response, "รอบสอง")
        self.assertContains(response, "Alice")
        self.assertContains(response, str(self.item.created_at.year + 543))
        self.assertNotContains(response, reverse("knowledge:restore", args=[self.item.pk, 1]))  # not an editor

    def test_it_compares_two_revisions_with_escaped_text(self) -> None:
        response = self.client.get(reverse("knowledge:compare", args=[self.item.pk]), {"a": "1", "b": "3"})
        rows = {row.key: row for row in response.context["rows"]}
        self.assertEqual(set(rows), {"title", "body"})
        self.assertIn("<ins>", rows["title"].new)
        self.assertContains(response, "&lt;script&gt;x()&lt;/script&gt;")
        self.assertNotContains(response, "<script>x()")

    def test_it_compares_the_latest_two_by_default_and_in_either_order(self) -> None:
        url = reverse("knowledge:compare", args=[self.item.pk])
        response = self.client.get(url)
        self.assertEqual((response.context["old"].number, response.context["new"].number), (2, 3))
        response = self.client.get(url, {"a": "3", "b": "1"})
        self.assertEqual((response.context["old"].number, response.context["new"].number), (1, 3))

    def test_it_sends_nonsense_revision_numbers_back_to_the_history(self) -> None:
        url = reverse("knowledge:compare", args=[self.item.pk])
        for a, b in [("99", "1"), ("x", "1"), ("-1", "2"), ("9" * 50, "1")]:
            response = self.client.get(url, {"a": a, "b": b})
            self.assertIn(response.status_code, (200, 302), (a, b))

    def test_it_restores_a_revision_as_a_new_one(self) -> None:
        self.login(self.alice)
        response = self.client.post(reverse("knowledge:restore", args=[self.item.pk, 1]))
        self.assertRedirects(response, self.item.get_absolute_url())
        self.item.refresh_from_db()
        self.assertEqual((self.item.title, self.item.version), ("เปิดบ้านเล่าเรื่อง", 4))
        self.assertEqual(self.item.revisions.count(), 4)  # history only grows
        self.assertEqual(self.client.get(reverse("knowledge:restore", args=[self.item.pk, 1])).status_code, 405)

    def test_it_deletes_only_after_confirmation(self) -> None:
        self.login(self.alice)
        url = reverse("knowledge:delete", args=[self.item.pk])
        self.assertContains(self.client.get(url), self.item.title)
        self.assertTrue(KnowledgeItem.objects.filter(pk=self.item.pk).exists())
        self.assertRedirects(self.client.post(url), reverse("knowledge:list"))
        self.assertFalse(KnowledgeItem.objects.filter(pk=self.item.pk).exists())
