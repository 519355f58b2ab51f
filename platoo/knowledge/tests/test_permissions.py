"""Every page about an item answers only to people who may read it, and never reveals the rest."""

from django.urls import reverse

from platoo.accounts.models import User
from platoo.knowledge.actions import do_add_attachment
from platoo.knowledge.models import KnowledgeItem

from .base import KnowledgeTestCase, make_user, png_bytes, upload

# Who may read which of alice's items (by the item's visibility).
READERS = {
    "anonymous": {"public"},
    "carol": {"public", "network"},  # another organization
    "bob": {"public", "network", "organization"},  # alice's organization
    "staff": {"public", "network"},
    "alice": {"public", "network", "organization", "private"},  # the author
}


class VisibilityTests(KnowledgeTestCase):
    def setUp(self) -> None:
        self.items: dict[str, KnowledgeItem] = {
            "public": self.public,
            "network": self.network,
            "organization": self.organization_only,
            "private": self.private,
        }
        self.files = {
            name: do_add_attachment(self.alice, item, upload("รูป.png", png_bytes()))
            for name, item in self.items.items()
        }

    def as_reader(self, reader: str) -> None:
        self.client.logout()
        if reader != "anonymous":
            self.client.force_login(getattr(self, reader))

    def read_urls(self, name: str) -> list[str]:
        item = self.items[name]
        return [
            item.get_absolute_url(),
            reverse("knowledge:history", args=[item.pk]),
            reverse("knowledge:compare", args=[item.pk]) + "?a=1&b=1",
            self.files[name].get_absolute_url(),
        ]

    def test_it_shows_each_read_page_only_to_allowed_readers(self) -> None:
        for reader, allowed in READERS.items():
            self.as_reader(reader)
            for name in self.items:
                for url in self.read_urls(name):
                    with self.subTest(reader=reader, item=name, url=url):
                        response = self.client.get(url)
                        self.assertEqual(response.status_code, 200 if name in allowed else 404)

    def test_it_answers_the_same_for_a_hidden_item_and_a_missing_one(self) -> None:
        self.as_reader("carol")
        hidden = self.client.get(self.private.get_absolute_url())
        missing = self.client.get(reverse("knowledge:detail", args=[999999]))
        self.assertEqual(hidden.status_code, missing.status_code)
        self.assertNotContains(hidden, self.private.title, status_code=404)

    def test_it_keeps_hidden_items_out_of_lists_and_counts(self) -> None:
        for reader, allowed in READERS.items():
            self.as_reader(reader)
            with self.subTest(reader=reader):
                response = self.client.get(reverse("knowledge:list"))
                self.assertEqual(response.context["page"].paginator.count, len(allowed))
                for name, item in self.items.items():
                    if name not in allowed:
                        self.assertNotContains(response, item.title)
                        self.assertNotContains(self.client.get(reverse("home")), item.title)

    def test_it_lets_only_authors_change_an_item(self) -> None:
        for reader, allowed in READERS.items():
            self.as_reader(reader)
            for name, item in self.items.items():
                with self.subTest(reader=reader, item=name):
                    expected = (
                        302 if reader == "anonymous" else 200 if reader == "alice" else 403 if name in allowed else 404
                    )
                    self.assertEqual(self.client.get(reverse("knowledge:edit", args=[item.pk])).status_code, expected)
                    post_expected = 302 if reader in ("anonymous", "alice") else expected
                    restore = self.client.post(reverse("knowledge:restore", args=[item.pk, 1]))
                    self.assertEqual(restore.status_code, post_expected)
                    remove = self.client.post(
                        reverse("knowledge:remove_attachment", args=[item.pk, self.files[name].pk])
                    )
                    self.assertEqual(remove.status_code, post_expected)

    def test_it_lets_only_readers_comment(self) -> None:
        self.as_reader("carol")
        for name, item in self.items.items():
            with self.subTest(item=name):
                response = self.client.post(reverse("knowledge:comment", args=[item.pk]), {"body": "สวัสดี"})
                self.assertEqual(response.status_code, 302 if name in READERS["carol"] else 404)
                self.assertEqual(item.comments.exists(), name in READERS["carol"])

    def test_it_lets_authors_and_staff_delete(self) -> None:
        self.as_reader("bob")
        self.assertEqual(self.client.post(reverse("knowledge:delete", args=[self.network.pk])).status_code, 403)
        self.as_reader("staff")
        self.assertEqual(self.client.post(reverse("knowledge:delete", args=[self.private.pk])).status_code, 404)
        self.assertEqual(self.client.post(reverse("knowledge:delete", args=[self.network.pk])).status_code, 302)
        self.assertFalse(KnowledgeItem.objects.filter(pk=self.network.pk).exists())

    def test_it_shows_an_inactive_person_nothing_private(self) -> None:
        gone = make_user("gone", self.org_a)
        User.objects.filter(pk=gone.pk).update(is_active=False)
        self.client.force_login(gone)
        response = self.client.get(self.organization_only.get_absolute_url())
        self.assertIn(response.status_code, (302, 404))
