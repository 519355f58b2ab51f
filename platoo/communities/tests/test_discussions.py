from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from platoo.activity.models import Notification
from platoo.communities import actions
from platoo.communities.models import Reply, SharedItem, Thread
from platoo.knowledge.models import KnowledgeItem

from .base import CoPTestCase


def told(kind: str, url: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind, url=url).values_list("recipient__username", flat=True))


class ThreadTests(CoPTestCase):
    def test_members_start_discussions_and_outsiders_must_join_first(self) -> None:
        thread = actions.do_start_thread(self.bob, self.public, "ส่งเวรอย่างไรให้ครบ", "ขอคำแนะนำ", is_question=True)
        self.assertEqual(thread.community, self.public)
        with self.assertRaises(PermissionDenied):
            actions.do_start_thread(self.carol, self.public, "ขอถาม", "ข้อความ")
        self.client.force_login(self.carol)
        self.assertEqual(self.client.get(reverse("communities:thread_create", args=["open-cop"])).status_code, 403)
        self.assertEqual(self.client.get(thread.get_absolute_url()).status_code, 200)  # a public CoP reads to all

    def test_a_double_submit_makes_one_thread(self) -> None:
        self.client.force_login(self.bob)
        url = reverse("communities:thread_create", args=["open-cop"])
        form = {"title": "หัวข้อ", "body": "ข้อความ", "form_token": "token-123"}
        first = self.client.post(url, form)
        second = self.client.post(url, form)
        self.assertEqual(Thread.objects.count(), 1)
        self.assertEqual(first["Location"], second["Location"])

    def test_empty_and_oversized_messages_are_refused_and_kept(self) -> None:
        with self.assertRaises(ValidationError):
            actions.do_start_thread(self.bob, self.public, "หัวข้อ", "   ")
        self.client.force_login(self.bob)
        response = self.client.post(
            reverse("communities:thread_create", args=["open-cop"]), {"title": "หัวข้อยาว", "body": "ก" * 20_001}
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "หัวข้อยาว", status_code=400)
        self.assertFalse(Thread.objects.exists())

    def test_a_closed_communitys_discussions_are_for_members(self) -> None:
        thread = actions.do_start_thread(self.alice, self.closed, "เรื่องภายใน", "ข้อความ")
        self.client.force_login(self.carol)
        self.assertEqual(self.client.get(thread.get_absolute_url()).status_code, 404)
        self.assertEqual(self.client.get(reverse("communities:threads", args=["closed-cop"])).status_code, 403)
        self.client.force_login(self.admin)
        self.assertEqual(self.client.get(thread.get_absolute_url()).status_code, 200)


class MentionTests(CoPTestCase):
    def test_mentioned_readers_are_told_and_linked_others_are_not(self) -> None:
        text = "ขอความเห็น @bob และ @carol ด้วยนะ และ @nobody"
        public = actions.do_start_thread(self.alice, self.public, "ในวงเปิด", text)
        self.assertEqual(told("mention", public.get_absolute_url()), {"bob", "carol"})  # anyone reads a public CoP
        secret = actions.do_start_thread(self.alice, self.secret, "ในวงลับ", text)
        self.assertEqual(told("mention", secret.get_absolute_url()), set())  # neither is in the secret CoP
        self.client.force_login(self.bob)
        page = self.client.get(public.get_absolute_url())
        self.assertContains(
            page, f'<a href="{self.bob.get_absolute_url()}" rel="noopener noreferrer nofollow">@bob</a>', html=True
        )
        self.assertContains(page, "@nobody")

    def test_editing_tells_only_the_newly_mentioned(self) -> None:
        thread = actions.do_start_thread(self.alice, self.public, "หัวข้อ", "เริ่ม")
        reply = actions.do_reply(self.alice, thread, "ถาม @bob")
        actions.do_edit_reply(self.alice, reply, "ถาม @bob และ @carol")
        self.assertEqual(Notification.objects.filter(kind="mention", recipient=self.bob).count(), 1)
        self.assertEqual(Notification.objects.filter(kind="mention", recipient=self.carol).count(), 1)


class ReplyTests(CoPTestCase):
    def test_participants_are_told_of_replies_but_not_the_replier(self) -> None:
        thread = actions.do_start_thread(self.alice, self.public, "หัวข้อ", "เริ่ม")
        actions.do_reply(self.bob, thread, "ตอบครั้งแรก")
        actions.do_join(self.carol, self.public)
        reply = actions.do_reply(self.carol, thread, "ตอบครั้งที่สอง")
        self.assertEqual(told("reply", reply.get_absolute_url()), {"alice", "bob"})
        self.assertEqual(Thread.objects.get(pk=thread.pk).reply_count, 2)

    def test_the_asker_accepts_one_answer_and_others_cannot(self) -> None:
        question = actions.do_start_thread(self.bob, self.public, "ทำอย่างไรดี", "ถาม", is_question=True)
        answer = actions.do_reply(self.alice, question, "ลองแบบนี้")
        actions.do_join(self.carol, self.public)
        with self.assertRaises(PermissionDenied):
            actions.do_accept_answer(self.carol, question, answer)
        actions.do_accept_answer(self.bob, question, answer)
        self.assertEqual(Thread.objects.get(pk=question.pk).accepted_reply, answer)
        self.assertEqual(told("answer_accepted", answer.get_absolute_url()), {"alice"})
        plain = actions.do_start_thread(self.bob, self.public, "ไม่ใช่คำถาม", "เล่า")
        with self.assertRaises(ValidationError):
            actions.do_accept_answer(self.bob, plain, actions.do_reply(self.bob, plain, "ต่อ"))
        actions.do_delete_reply(self.alice, answer)
        self.assertIsNone(Thread.objects.get(pk=question.pk).accepted_reply)

    def test_the_page_shows_replies_in_a_fixed_number_of_queries(self) -> None:
        thread = actions.do_start_thread(self.alice, self.public, "หัวข้อ", "เริ่ม @bob")
        for n in range(6):
            actions.do_reply(self.bob if n % 2 else self.alice, thread, f"ตอบที่ {n} @alice")
        self.client.force_login(self.bob)
        self.client.get(thread.get_absolute_url())
        # session, user, unread count, thread, its mentions, reply count, membership, replies, their mentions
        with self.assertNumQueries(9):
            response = self.client.get(thread.get_absolute_url())
        self.assertContains(response, "ตอบที่ 5")


class MakeKnowledgeTests(CoPTestCase):
    def test_a_reply_in_a_public_community_becomes_network_knowledge_in_one_step(self) -> None:
        thread = actions.do_start_thread(self.alice, self.public, "วิธีส่งเวรแบบ SBAR", "ใครเคยใช้บ้าง", is_question=True)
        reply = actions.do_reply(self.bob, thread, "เราใช้ **SBAR** ทุกเวร ลดการตกหล่นได้มาก")
        self.client.force_login(self.alice)
        url = reverse("communities:make_knowledge", args=["open-cop", thread.pk, reply.pk])
        response = self.client.post(url)
        item = KnowledgeItem.objects.get()
        self.assertRedirects(response, item.get_absolute_url())
        self.assertEqual((item.title, item.visibility, item.kind), ("วิธีส่งเวรแบบ SBAR", "network", "note"))
        self.assertEqual(set(item.authors.values_list("username", flat=True)), {"alice", "bob"})
        self.assertEqual(Reply.objects.get(pk=reply.pk).knowledge_item, item)
        self.assertTrue(SharedItem.objects.filter(community=self.public, item=item).exists())
        self.client.post(url)
        self.assertEqual(KnowledgeItem.objects.count(), 1)  # twice is harmless
        self.assertContains(self.client.get(item.get_absolute_url()), "วิธีส่งเวรแบบ SBAR")

    def test_from_a_closed_community_it_starts_as_a_private_draft(self) -> None:
        thread = actions.do_start_thread(self.alice, self.closed, "เรื่องภายใน", "ถาม")
        reply = actions.do_reply(self.alice, thread, "ตอบ")
        item, created = actions.do_make_knowledge(self.alice, reply)
        self.assertTrue(created)
        self.assertEqual(item.visibility, "private")
        self.assertFalse(KnowledgeItem.objects.visible_to(self.carol).filter(pk=item.pk).exists())

    def test_only_the_writers_and_facilitators_can_do_it(self) -> None:
        thread = actions.do_start_thread(self.alice, self.public, "หัวข้อ", "เริ่ม")
        reply = actions.do_reply(self.alice, thread, "ตอบ")
        with self.assertRaises(PermissionDenied):
            actions.do_make_knowledge(self.bob, reply)
