from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from platoo.knowledge.actions import record_view
from platoo.knowledge.models import KnowledgeItem, Topic

from .base import KnowledgeTestCase, make_item


class HomePageTests(KnowledgeTestCase):
    def test_it_shows_recent_items_most_read_and_topics(self) -> None:
        topic = Topic.objects.get(slug="lessons-learned")
        make_item(self.alice, "บทเรียนจากน้ำท่วม", visibility="public", topic_ids=[topic.pk])
        record_view(self.public, self.bob)
        response = self.client.get(reverse("home"))
        self.assertContains(response, "บทเรียนจากน้ำท่วม")
        self.assertContains(response, "เปิดบ้านเล่าเรื่อง", count=2)  # recent and most read
        self.assertContains(response, "การจัดการความรู้")  # the seeded parent topic
        self.assertNotContains(response, "ร่างส่วนตัวของอลิซ")

    def test_it_counts_topics_only_over_items_the_reader_may_see(self) -> None:
        parent = Topic.objects.get(slug="knowledge-management")
        child = Topic.objects.get(slug="lessons-learned")
        make_item(self.alice, "สาธารณะ", visibility="public", topic_ids=[child.pk])
        make_item(self.alice, "ส่วนตัว", visibility="private", topic_ids=[child.pk, parent.pk])
        anonymous = {node.topic.slug: node.count for node in self.client.get(reverse("home")).context["topics"]}
        self.assertEqual(anonymous["lessons-learned"], 1)
        self.assertEqual(anonymous["knowledge-management"], 1)  # sub-topics count, each item once
        self.login(self.alice)
        author = {node.topic.slug: node.count for node in self.client.get(reverse("home")).context["topics"]}
        self.assertEqual(author["lessons-learned"], 2)
        self.assertEqual(author["knowledge-management"], 2)

    def test_it_has_a_pinned_query_count(self) -> None:
        for number in range(12):
            item = make_item(self.alice, f"เรื่อง {number}", visibility="public", author_ids=[self.alice.pk, self.bob.pk])
            record_view(item, self.carol)
        # recent + authors, most read + authors, their badges (the cycle's), topics, topic counts
        with self.assertNumQueries(7):
            self.client.get(reverse("home"))
        self.login(self.bob)
        # + session, user and unread notifications
        with self.assertNumQueries(10):
            self.client.get(reverse("home"))


class ListPageTests(KnowledgeTestCase):
    def test_it_lists_only_visible_items(self) -> None:
        response = self.client.get(reverse("knowledge:list"))
        self.assertEqual([i.pk for i in response.context["page"]], [self.public.pk])
        self.login(self.carol)
        titles = {i.title for i in self.client.get(reverse("knowledge:list")).context["page"]}
        self.assertEqual(titles, {"เปิดบ้านเล่าเรื่อง", "วงเล่าเครือข่าย"})

    def test_it_filters_by_kind_topic_with_subtopics_tag_organization_and_year(self) -> None:
        child = Topic.objects.get(slug="lessons-learned")
        lesson = make_item(
            self.alice, "บทเรียน", kind="lesson", visibility="public", topic_ids=[child.pk], tag_names=["น้ำท่วม"]
        )
        url = reverse("knowledge:list")

        def found(**params: str) -> set[int]:
            return {item.pk for item in self.client.get(url, params).context["page"]}

        self.assertEqual(found(kind="lesson"), {lesson.pk})
        self.assertEqual(found(topic="knowledge-management"), {lesson.pk})
        self.assertEqual(found(tag="น้ำท่วม"), {lesson.pk})
        self.assertEqual(found(org="org-a"), {lesson.pk, self.public.pk})
        self.assertEqual(found(org="org-b"), set())
        year = lesson.created_at.year
        self.assertEqual(found(year=str(year + 543)), {lesson.pk, self.public.pk})
        self.assertEqual(found(year=str(year)), {lesson.pk, self.public.pk})
        self.assertEqual(found(year=str(year - 1)), set())

    def test_it_explains_a_malformed_year_and_ignores_it(self) -> None:
        for year in ["25x9", "<script>", "9" * 5000]:
            response = self.client.get(reverse("knowledge:list"), {"year": year})
            self.assertEqual(response.status_code, 200)
            notices = [str(m) for m in response.context["messages"]]
            self.assertEqual(len(notices), 1)
            self.assertIn("2569", notices[0])
            self.assertEqual(len(response.context["page"]), 1)
            self.assertNotContains(response, "<script>")

    def test_it_says_when_a_topic_is_unknown(self) -> None:
        response = self.client.get(reverse("knowledge:list"), {"topic": "no-such-topic"})
        self.assertEqual(len(response.context["page"]), 0)
        self.assertContains(response, "no-such-topic")

    def test_it_pages_and_survives_bad_page_numbers(self) -> None:
        for number in range(25):
            make_item(self.alice, f"เรื่องที่ {number:02}", visibility="public")
        url = reverse("knowledge:list")
        self.assertEqual(len(self.client.get(url).context["page"]), 20)
        self.assertEqual(len(self.client.get(url, {"page": "2"}).context["page"]), 6)
        for bad in ["0", "-1", "abc", "999", "9" * 5000, ""]:
            response = self.client.get(url, {"page": bad})
            self.assertEqual(response.status_code, 200, bad)

    def test_it_sorts_by_most_read(self) -> None:
        popular = make_item(self.alice, "ยอดนิยม", visibility="public")
        KnowledgeItem.objects.filter(pk=popular.pk).update(view_count=50)
        newest_first = [i.pk for i in self.client.get(reverse("knowledge:list")).context["page"]]
        most_read = [i.pk for i in self.client.get(reverse("knowledge:list"), {"sort": "views"}).context["page"]]
        self.assertEqual(newest_first, [popular.pk, self.public.pk])
        self.assertEqual(most_read[0], popular.pk)
        KnowledgeItem.objects.filter(pk=self.public.pk).update(view_count=99)
        most_read = [i.pk for i in self.client.get(reverse("knowledge:list"), {"sort": "views"}).context["page"]]
        self.assertEqual(most_read[0], self.public.pk)

    def test_it_has_a_pinned_query_count(self) -> None:
        topic = Topic.objects.get(slug="storytelling")
        for number in range(30):
            make_item(
                self.alice,
                f"เรื่อง {number}",
                visibility="public",
                author_ids=[self.alice.pk, self.bob.pk],
                topic_ids=[topic.pk],
            )
        # topics, count, page, authors, badges, organizations
        with self.assertNumQueries(6):
            self.client.get(reverse("knowledge:list"))
        # + the topic and its sub-topics (one query per level)
        with self.assertNumQueries(9):
            self.client.get(reverse("knowledge:list"), {"topic": "knowledge-management", "kind": "story"})


class DetailPageTests(KnowledgeTestCase):
    def test_it_shows_everything_about_the_item(self) -> None:
        topic = Topic.objects.get(slug="lessons-learned")
        item = make_item(
            self.alice,
            "บทเรียนการย้ายระบบ",
            kind="lesson",
            summary="สรุปสั้น",
            body="## หัวข้อ\n\nเนื้อหา **สำคัญ**",
            visibility="public",
            license="cc-by-sa-4.0",
            topic_ids=[topic.pk],
            tag_names=["ระบบใหม่"],
            extra={"aar_expected": "คาดว่าจะเสร็จใน 3 เดือน", "aar_next_time": "เริ่มอบรมก่อน"},
        )
        response = self.client.get(item.get_absolute_url())
        self.assertContains(response, "บทเรียนการย้ายระบบ")
        self.assertContains(response, "<strong>สำคัญ</strong>", html=True)
        self.assertContains(response, "คาดว่าจะเสร็จใน 3 เดือน")
        self.assertContains(response, "เริ่มอบรมก่อน")
        self.assertContains(response, "https://creativecommons.org/licenses/by-sa/4.0/")
        self.assertContains(response, "ระบบใหม่")
        self.assertContains(response, topic.name_th)
        self.assertContains(response, "หน่วยงานเอ")
        self.assertContains(response, str(item.created_at.year + 543))  # พ.ศ.
        self.assertContains(response, reverse("knowledge:history", args=[item.pk]))
        self.assertNotContains(response, reverse("knowledge:edit", args=[item.pk]))

    def test_it_offers_edit_only_to_authors(self) -> None:
        self.login(self.alice)
        self.assertContains(
            self.client.get(self.network.get_absolute_url()), reverse("knowledge:edit", args=[self.network.pk])
        )
        self.login(self.bob)
        self.assertNotContains(
            self.client.get(self.network.get_absolute_url()), reverse("knowledge:edit", args=[self.network.pk])
        )

    def test_it_counts_views_but_not_the_authors_own(self) -> None:
        self.client.get(self.public.get_absolute_url())
        self.login(self.bob)
        self.client.get(self.public.get_absolute_url())
        self.login(self.alice)
        self.client.get(self.public.get_absolute_url())
        self.public.refresh_from_db()
        self.assertEqual(self.public.view_count, 2)

    def test_it_does_not_count_co_authors_views(self) -> None:
        item = make_item(self.alice, "เขียนร่วมกัน", author_ids=[self.alice.pk, self.bob.pk])
        self.login(self.bob)
        self.client.get(item.get_absolute_url())
        item.refresh_from_db()
        self.assertEqual(item.view_count, 0)

    def test_it_has_a_pinned_query_count(self) -> None:
        topic = Topic.objects.get(slug="lessons-learned")
        item = make_item(
            self.alice,
            "บทเรียน",
            visibility="public",
            topic_ids=[topic.pk],
            tag_names=["ก", "ข"],
            author_ids=[self.alice.pk, self.bob.pk],
        )
        from platoo.knowledge.actions import do_add_comment

        for number in range(5):
            do_add_comment(self.carol, item, f"ความเห็นที่ {number}")
        # item, authors, topics, tags, attachments, comments with authors, view count; where it comes from and
        # goes (items linked to it or from it, communities shared in, events captured at, syntheses drawing on
        # it, organizations applying it); its badges and its place in the cycle
        with self.assertNumQueries(14):
            self.client.get(item.get_absolute_url())
        self.login(self.carol)
        with CaptureQueriesContext(connection) as signed_in:
            self.client.get(item.get_absolute_url())
        # + session, user and unread notifications; meetings it was captured at and replies it was made from (readers of CoPs only);
        # whether the reader may mark it critical knowledge (an expert? the hub: their permissions, two queries)
        self.assertEqual(len(signed_in), 22)

    def test_it_lets_signed_in_people_comment(self) -> None:
        url = reverse("knowledge:comment", args=[self.network.pk])
        self.assertEqual(self.client.post(url, {"body": "ดีมาก"}).status_code, 302)  # to sign in
        self.assertFalse(self.network.comments.exists())
        self.login(self.carol)
        response = self.client.post(url, {"body": "ขอบคุณที่แบ่งปัน"}, follow=True)
        self.assertContains(response, "ขอบคุณที่แบ่งปัน")

    def test_it_keeps_a_too_long_comment_and_says_why(self) -> None:
        self.login(self.carol)
        text = "ยาว" * 3000
        response = self.client.post(reverse("knowledge:comment", args=[self.network.pk]), {"body": text})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, text, status_code=400)
        self.assertFalse(self.network.comments.exists())

    def test_it_escapes_comments(self) -> None:
        self.login(self.carol)
        self.client.post(reverse("knowledge:comment", args=[self.network.pk]), {"body": "<script>alert(1)</script>"})
        response = self.client.get(self.network.get_absolute_url())
        self.assertNotContains(response, "<script>alert(1)")
        self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")
