"""Two people editing the same item: the second save is refused, merged, and nothing is lost."""

from django.urls import reverse

from platoo.knowledge.actions import ItemData, do_update_item
from platoo.knowledge.models import Topic

from .base import KnowledgeTestCase


class EditConflictTests(KnowledgeTestCase):
    def setUp(self) -> None:
        # alice and bob are co-authors; both open the editor at version 1.
        self.item = self.network
        do_update_item(
            self.alice,
            self.item,
            ItemData(title=self.item.title, body="ย่อหน้าแรก\nย่อหน้าสอง", author_ids=[self.alice.pk, self.bob.pk]),
            base_version=1,
        )
        self.url = reverse("knowledge:edit", args=[self.item.pk])
        self.login(self.alice)
        self.alice_form = self.edit_data(self.item)
        self.bob_form = dict(self.alice_form)

    def test_it_refuses_the_second_save_with_a_merge_screen(self) -> None:
        self.alice_form.update(title="ชื่อของอลิซ", body="ย่อหน้าแรก แก้โดยอลิซ\nย่อหน้าสอง")
        self.assertEqual(self.client.post(self.url, self.alice_form).status_code, 302)
        self.login(self.bob)
        self.bob_form.update(summary="สรุปของบ็อบ", body="ย่อหน้าแรก\nย่อหน้าสอง แก้โดยบ็อบ")
        response = self.client.post(self.url, self.bob_form)
        self.assertEqual(response.status_code, 409)
        self.assertTemplateUsed(response, "knowledge/merge.html")
        changed = {row.key for row in response.context["rows"]}
        self.assertEqual(changed, {"title", "summary", "body"})
        # Bob's text is on the page, in the hidden fields that carry it into the next save.
        self.assertContains(response, "สรุปของบ็อบ", status_code=409)
        self.assertContains(response, "ย่อหน้าสอง แก้โดยบ็อบ", status_code=409)
        self.assertContains(response, "<del>", status_code=409)
        self.item.refresh_from_db()
        self.assertEqual((self.item.title, self.item.summary), ("ชื่อของอลิซ", ""))  # bob's save did not land

    def test_it_saves_the_merge_field_by_field(self) -> None:
        self.alice_form.update(title="ชื่อของอลิซ", tags="อลิซ")
        self.client.post(self.url, self.alice_form)
        self.login(self.bob)
        self.bob_form.update(title="ชื่อของบ็อบ", summary="สรุปของบ็อบ", tags="บ็อบ")
        merge = self.client.post(self.url, self.bob_form).context["form"]
        data = {name: merge[name].value() for name in merge.fields if merge[name].value() is not None}
        data.update(merge="1", choose_title="theirs", choose_summary="mine", choose_tags="theirs")
        response = self.client.post(self.url, data)
        self.assertRedirects(response, self.item.get_absolute_url())
        self.item.refresh_from_db()
        self.assertEqual(self.item.title, "ชื่อของอลิซ")
        self.assertEqual(self.item.summary, "สรุปของบ็อบ")
        self.assertEqual(list(self.item.tags.values_list("name", flat=True)), ["อลิซ"])
        self.assertEqual(self.item.version, 4)
        self.assertEqual([r.author for r in self.item.revisions.all()[:2]], [self.bob, self.alice])

    def test_it_asks_again_when_someone_saves_during_the_merge(self) -> None:
        self.alice_form.update(title="ชื่อ 1")
        self.client.post(self.url, self.alice_form)
        self.login(self.bob)
        self.bob_form.update(summary="สรุปของบ็อบ")
        merge = self.client.post(self.url, self.bob_form).context["form"]
        self.login(self.alice)
        self.client.post(self.url, self.edit_data(self.item, title="ชื่อ 2"))
        self.login(self.bob)
        data = {name: merge[name].value() for name in merge.fields if merge[name].value() is not None}
        data.update(merge="1", choose_title="theirs")
        response = self.client.post(self.url, data)
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "สรุปของบ็อบ", status_code=409)
        self.item.refresh_from_db()
        self.assertEqual((self.item.title, self.item.summary), ("ชื่อ 2", ""))

    def test_it_compares_relations_by_name(self) -> None:
        topic = Topic.objects.get(slug="storytelling")
        self.alice_form.update(topics=[topic.pk])
        self.client.post(self.url, self.alice_form)
        self.login(self.bob)
        response = self.client.post(self.url, self.bob_form)
        rows = {row.key: row for row in response.context["rows"]}
        self.assertEqual(set(rows), {"topic_ids"})
        self.assertIn(topic.name_th, rows["topic_ids"].old)
