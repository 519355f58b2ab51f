"""Similar knowledge while capturing: the finder, its suggestions, the editor's choices and API v1.

Runs on whichever database the suite runs on (SQLite, then PostgreSQL): candidates come from that
backend's search index, which items enter on commit (hence captureOnCommitCallbacks).
"""

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from platoo.knowledge import similar
from platoo.knowledge.actions import ItemData, do_create_item
from platoo.knowledge.models import ItemRelation, KnowledgeItem, RelationKind, Topic
from platoo.knowledge.similar import Draft, examine

from .base import KnowledgeTestCase, make_user
from .test_api import bearer

DATA = Path(__file__).with_name("data") / "similar_th.jsonl"
GROUPS = {row["id"]: row for row in map(json.loads, DATA.read_text(encoding="utf-8").splitlines())}
QUEUE = GROUPS["g01"]  # the online queue of a hospital's outpatients
WASTE = GROUPS["g03"]  # a municipality's recycling bank
DIGITS = GROUPS["g04"]  # e-documents; the paraphrase writes its numbers in Thai digits
SPACING = GROUPS["g07"]  # falls on a ward; the paraphrase puts spaces between words


def draft_of(text: dict[str, str], **extra: Any) -> Draft:
    return Draft(title=text["title"], body=text["body"], **extra)


class SimilarTestCase(KnowledgeTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.dave = make_user("dave", cls.org_b)  # carol's colleague
        cls.queue_topic = Topic.objects.get(slug="service-innovation")
        with cls.captureOnCommitCallbacks(execute=True):
            cls.queue = cls.existing(cls.bob, QUEUE, topic_ids=[cls.queue_topic.pk], tag_names=["คิวออนไลน์", "ผู้ป่วยนอก"])
            cls.waste = cls.existing(cls.bob, WASTE)
            cls.digits = cls.existing(cls.bob, DIGITS)
            cls.spacing = cls.existing(cls.bob, SPACING)
            # carol's, and not for everyone: her organization's and her own private draft.
            cls.hidden_org = cls.existing(cls.carol, WASTE, visibility="organization", title="ธนาคารขยะ (ภายใน)")
            cls.hidden_private = cls.existing(cls.carol, QUEUE, visibility="private", title="ร่าง คิวออนไลน์")

    @classmethod
    def existing(cls, author: Any, group: dict[str, Any], visibility: str = "public", **fields: Any) -> KnowledgeItem:
        text = group["original"]
        title = fields.pop("title", text["title"])
        return do_create_item(author, ItemData(title=title, body=text["body"], visibility=visibility, **fields))

    def setUp(self) -> None:
        cache.clear()  # the editor's rate of look-ups is counted per minute in the cache
        self.enterContext(translation.override("en"))
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


class FinderTests(SimilarTestCase):
    def test_a_paraphrase_is_found_with_its_score_and_label(self) -> None:
        matches = examine(self.alice, draft_of(QUEUE["paraphrase"])).matches
        self.assertEqual([m.item for m in matches][:1], [self.queue])
        self.assertGreaterEqual(matches[0].score, similar.SIMILAR_THRESHOLD)
        self.assertIn(matches[0].label, {similar.SAME, similar.SIMILAR})

    def test_a_near_copy_is_likely_the_same(self) -> None:
        text = QUEUE["original"]
        matches = examine(self.alice, Draft(title=text["title"], body=text["body"] + " ขอบคุณทีมงานทุกคน")).matches
        self.assertEqual(matches[0].item, self.queue)
        self.assertEqual(matches[0].label, similar.SAME)
        self.assertEqual(matches[0].label_display, "Likely the same")

    def test_thai_digits_and_spacing_do_not_hide_a_duplicate(self) -> None:
        for group, item in ((DIGITS, self.digits), (SPACING, self.spacing)):
            with self.subTest(group["id"]):
                matches = examine(self.alice, draft_of(group["paraphrase"])).matches
                self.assertIn(item, [m.item for m in matches])

    def test_same_topic_but_different_knowledge_is_not_a_duplicate(self) -> None:
        for group, item in ((QUEUE, self.queue), (WASTE, self.waste)):
            with self.subTest(group["id"]):
                matches = examine(self.alice, draft_of(group["hard_negative"])).matches
                self.assertNotIn(item, [m.item for m in matches])

    def test_unrelated_text_finds_nothing(self) -> None:
        matches = examine(self.alice, draft_of(GROUPS["g22"]["paraphrase"])).matches
        self.assertEqual(matches, [])

    def test_items_the_writer_may_not_read_are_never_suggested(self) -> None:
        # alice (org A) and anonymous visitors never see carol's organization-only or private items...
        for user in (self.alice, None):
            for group in (WASTE, QUEUE):
                found = {m.item for m in examine(user, draft_of(group["paraphrase"])).matches}
                self.assertFalse(found & {self.hidden_org, self.hidden_private})
        # ...carol's colleague sees the organization's, and carol both.
        dave = {m.item for m in examine(self.dave, draft_of(WASTE["paraphrase"])).matches}
        self.assertIn(self.hidden_org, dave)
        carol = {m.item for m in examine(self.carol, draft_of(QUEUE["paraphrase"])).matches}
        self.assertIn(self.hidden_private, carol)

    def test_the_item_being_edited_is_left_out(self) -> None:
        draft = draft_of(QUEUE["original"], exclude=self.queue.pk)
        self.assertNotIn(self.queue, [m.item for m in examine(self.bob, draft).matches])

    def test_too_little_text_is_not_looked_up(self) -> None:
        for title in ("", "   ", "ab", "!!! ??? ..."):
            findings = examine(self.alice, Draft(title=title))
            self.assertEqual(findings.matches, [])
            self.assertIn("Type a little more", findings.message)

    def test_a_huge_paste_is_cut_before_it_is_compared(self) -> None:
        body = "\n\n".join([QUEUE["paraphrase"]["body"]] * 3000)  # 1 MB: the same lesson pasted again and again
        draft = Draft(title=QUEUE["paraphrase"]["title"], body=body)
        self.assertLessEqual(len(draft.text()), similar.MAX_DRAFT_CHARS)
        self.assertIn(self.queue, [m.item for m in examine(self.alice, draft).matches])


class SuggestionTests(SimilarTestCase):
    def test_topics_and_tags_of_similar_items_are_suggested_with_why(self) -> None:
        findings = examine(self.alice, draft_of(QUEUE["paraphrase"]))
        topic = next(s for s in findings.topics if s.topic == self.queue_topic)
        self.assertIn(self.queue.title[:30], topic.why)
        self.assertEqual({"คิวออนไลน์", "ผู้ป่วยนอก"}, {s.name for s in findings.tags})
        self.assertTrue(all(s.score > 0 for s in [*findings.topics, *findings.tags]))

    def test_topics_named_in_the_text_are_suggested_in_thai_or_english(self) -> None:
        cop = Topic.objects.get(slug="communities-of-practice")
        storytelling = Topic.objects.get(slug="storytelling")
        draft = Draft(title="ชุมชน แนวปฏิบัติ ของพยาบาล", body="We use storytelling at the ward meeting every week.")
        findings = examine(self.alice, draft)
        suggested = {s.topic: s for s in findings.topics}
        self.assertIn(cop, suggested)
        self.assertIn("ชุมชนแนวปฏิบัติ", suggested[cop].why)
        self.assertIn(storytelling, suggested)
        self.assertEqual(findings.topics[0].score, max(s.score for s in findings.topics))

    def test_what_the_draft_already_has_is_not_suggested(self) -> None:
        draft = draft_of(QUEUE["paraphrase"], topic_ids=[self.queue_topic.pk], tag_names=["คิวออนไลน์"])
        findings = examine(self.alice, draft)
        self.assertNotIn(self.queue_topic, [s.topic for s in findings.topics])
        self.assertEqual(["ผู้ป่วยนอก"], [s.name for s in findings.tags])


class EditorTests(SimilarTestCase):
    def form_data(self, text: dict[str, str], **changes: Any) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": "lesson",
            "title": text["title"],
            "summary": "",
            "body": text["body"],
            "aar_next_time": "ทำต่อทุกคลินิก",
            "tags": "ใหม่",
            "topics": [Topic.objects.get(slug="lessons-learned").pk],
            "license": "cc-by-4.0",
            "visibility": "network",
            "organization": self.org_a.pk,
            "authors": [self.alice.pk],
            "form_token": "similar-token-1",
        }
        data.update(changes)
        return data

    def create(self, data: dict[str, Any]) -> Any:
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(reverse("knowledge:create"), data)

    def test_saving_a_paraphrase_shows_the_duplicates_and_loses_nothing(self) -> None:
        self.login(self.alice)
        before = KnowledgeItem.objects.count()
        response = self.create(self.form_data(QUEUE["paraphrase"]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(KnowledgeItem.objects.count(), before)
        self.assertContains(response, 'id="duplicates"')
        self.assertContains(response, self.queue.get_absolute_url())
        self.assertContains(response, f'value="link:{self.queue.pk}:')
        self.assertContains(response, f'value="merge:{self.queue.pk}"')
        self.assertContains(response, 'value="new"')
        self.assertContains(response, QUEUE["paraphrase"]["title"])
        self.assertContains(response, "ทำต่อทุกคลินิก")
        self.assertContains(response, "Comment on it instead")  # alice may not edit bob's item

    def test_link_to_it_and_save_mine_records_the_relation_once_however_often_sent(self) -> None:
        self.login(self.alice)
        data = self.form_data(QUEUE["paraphrase"], duplicate=f"link:{self.queue.pk}:{RelationKind.RELATED}")
        first = self.create(data)
        again = self.create(data)  # a double submit
        item = KnowledgeItem.objects.get(created_by=self.alice, creation_key="similar-token-1")
        self.assertRedirects(first, item.get_absolute_url())
        self.assertRedirects(again, item.get_absolute_url())
        relation = ItemRelation.objects.get()
        self.assertEqual((relation.from_item, relation.to_item, relation.kind), (item, self.queue, "related"))
        self.assertEqual(relation.created_by, self.alice)
        # Both pages show the link.
        self.assertContains(self.client.get(item.get_absolute_url()), self.queue.get_absolute_url())
        self.login(self.bob)
        self.assertContains(self.client.get(self.queue.get_absolute_url()), item.get_absolute_url())

    def test_a_link_to_an_item_the_reader_cannot_see_is_not_shown_to_them(self) -> None:
        self.login(self.carol)
        private = self.form_data(QUEUE["paraphrase"], visibility="private", organization=self.org_b.pk)
        self.create(private | {"authors": [self.carol.pk], "duplicate": f"link:{self.queue.pk}:duplicate_of"})
        mine = KnowledgeItem.objects.get(created_by=self.carol, creation_key="similar-token-1")
        page = self.client.get(self.queue.get_absolute_url())
        self.assertContains(page, mine.get_absolute_url())  # carol reads her own draft
        self.assertContains(page, "Repeated by")
        self.login(self.bob)
        self.assertNotContains(self.client.get(self.queue.get_absolute_url()), mine.get_absolute_url())

    def test_save_as_new_anyway_saves_without_a_relation(self) -> None:
        self.login(self.alice)
        response = self.create(self.form_data(QUEUE["paraphrase"], duplicate="new"))
        item = KnowledgeItem.objects.get(created_by=self.alice, creation_key="similar-token-1")
        self.assertRedirects(response, item.get_absolute_url())
        self.assertFalse(ItemRelation.objects.exists())

    def test_merge_into_it_opens_its_editor_with_the_draft_appended(self) -> None:
        self.login(self.bob)  # bob wrote the existing item
        data = self.form_data(QUEUE["paraphrase"], authors=[self.bob.pk], duplicate=f"merge:{self.queue.pk}")
        before = KnowledgeItem.objects.count()
        response = self.create(data)
        self.assertEqual(KnowledgeItem.objects.count(), before)
        self.assertContains(response, reverse("knowledge:edit", args=[self.queue.pk]))
        body = response.context["form"].initial["body"]
        self.assertTrue(body.startswith(self.queue.body.rstrip()))
        self.assertIn("Added from a new draft by Bob", body)
        self.assertIn(QUEUE["paraphrase"]["body"], body)
        self.assertIn("ทำต่อทุกคลินิก", body)
        self.assertIn("ใหม่", response.context["form"].initial["tags"])
        # Saving it is an ordinary edit of the existing item.
        edit = self.edit_data(self.queue, body=body, message="merged")
        self.client.post(reverse("knowledge:edit", args=[self.queue.pk]), edit)
        self.queue.refresh_from_db()
        self.assertIn(QUEUE["paraphrase"]["body"], self.queue.body)

    def test_merge_into_an_item_one_may_not_edit_offers_a_comment(self) -> None:
        self.login(self.alice)
        response = self.create(self.form_data(QUEUE["paraphrase"], duplicate=f"merge:{self.queue.pk}"))
        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "knowledge/detail.html")
        self.assertIn(QUEUE["paraphrase"]["body"], response.context["comment_form"].initial["body"])
        self.assertFalse(KnowledgeItem.objects.filter(created_by=self.alice, creation_key="similar-token-1").exists())

    def test_choices_naming_a_hidden_item_are_refused_as_not_found(self) -> None:
        self.login(self.alice)
        for choice in (f"link:{self.hidden_private.pk}:related", f"merge:{self.hidden_org.pk}", "link:abc"):
            with self.subTest(choice):
                response = self.create(self.form_data(QUEUE["paraphrase"], duplicate=choice))
                self.assertEqual(response.status_code, 404)
        self.assertFalse(ItemRelation.objects.exists())

    def test_a_script_in_a_title_is_shown_as_text(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            do_create_item(
                self.bob,
                ItemData(
                    title="<script>alert(1)</script>" + WASTE["original"]["title"],
                    body=WASTE["original"]["body"],
                    visibility="public",
                ),
            )
        self.login(self.alice)
        response = self.create(self.form_data(WASTE["paraphrase"]))
        self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")
        self.assertNotContains(response, "<script>alert(1)")


class SimilarEndpointTests(SimilarTestCase):
    url = reverse("knowledge:similar")

    def test_it_answers_signed_in_posts_only(self) -> None:
        self.assertEqual(self.client.post(self.url, {"title": "x"}).status_code, 302)
        self.login(self.alice)
        self.assertEqual(self.client.get(self.url).status_code, 405)

    def test_it_returns_duplicates_and_suggestions_as_json(self) -> None:
        self.login(self.alice)
        text = QUEUE["paraphrase"]
        response = self.client.post(self.url, {"title": text["title"], "body": text["body"], "tags": "ผู้ป่วยนอก"})
        data = response.json()
        self.assertEqual(data["duplicates"][0]["id"], self.queue.pk)
        self.assertEqual(data["duplicates"][0]["url"], self.queue.get_absolute_url())
        self.assertIn(self.queue_topic.pk, [t["id"] for t in data["topics"]])
        self.assertEqual(["คิวออนไลน์"], [t["name"] for t in data["tags"]])

    def test_it_checks_csrf(self) -> None:
        client = self.client_class(enforce_csrf_checks=True)
        client.force_login(self.alice)
        self.assertEqual(client.post(self.url, {"title": QUEUE["paraphrase"]["title"]}).status_code, 403)

    def test_bad_input_gets_an_answer_not_an_error(self) -> None:
        self.login(self.alice)
        empty = self.client.post(self.url, {}).json()
        self.assertEqual(empty["duplicates"], [])
        self.assertTrue(empty["message"])
        huge = self.client.post(self.url, {"title": "คิวออนไลน์", "body": "ก" * 300_000, "item": "x" * 40})
        self.assertEqual(huge.status_code, 200)
        script = self.client.post(self.url, {"title": "<script>alert(1)</script> " + QUEUE["paraphrase"]["title"]})
        self.assertEqual(script.status_code, 200)

    def test_too_many_look_ups_are_slowed_down(self) -> None:
        self.login(self.alice)
        codes = [self.client.post(self.url, {"title": "ab"}).status_code for _ in range(similar_rate() + 1)]
        self.assertEqual(codes[:-1], [200] * similar_rate())
        self.assertEqual(codes[-1], 429)


def similar_rate() -> int:
    from platoo.knowledge.views import SIMILAR_RATE

    return SIMILAR_RATE


class SimilarApiTests(SimilarTestCase):
    url = "/api/v1/knowledge/similar"

    def test_it_finds_what_the_requester_may_read(self) -> None:
        body = {"title": QUEUE["paraphrase"]["title"], "body": QUEUE["paraphrase"]["body"], "kind": "lesson"}
        response = self.client.post(self.url, body, content_type="application/json", headers=bearer(self.alice))
        self.assertEqual(response.status_code, 200, response.content)
        data = response.json()
        self.assertEqual(data["items"][0]["id"], self.queue.pk)
        self.assertTrue(data["items"][0]["api_url"].endswith(f"/api/v1/knowledge/{self.queue.pk}"))
        self.assertIn(self.queue_topic.pk, [t["topic"]["id"] for t in data["topics"]])
        self.assertNotIn(self.hidden_private.pk, [i["id"] for i in data["items"]])

    def test_it_needs_credentials_and_valid_input(self) -> None:
        self.assertEqual(self.client.post(self.url, {}, content_type="application/json").status_code, 401)
        bad = self.client.post(
            self.url, {"title": 5, "topics": "x"}, content_type="application/json", headers=bearer(self.bob)
        )
        self.assertEqual(bad.status_code, 422)
        empty = self.client.post(self.url, {}, content_type="application/json", headers=bearer(self.bob))
        self.assertEqual(empty.json()["items"], [])
        self.assertTrue(empty.json()["message"])
