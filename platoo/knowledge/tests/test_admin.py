from django.urls import reverse

from platoo.knowledge.actions import do_add_attachment, do_add_comment
from platoo.knowledge.models import Topic

from .base import KnowledgeTestCase, make_user, png_bytes, upload


class AdminTests(KnowledgeTestCase):
    def setUp(self) -> None:
        self.admin = make_user("admin", is_staff=True, is_superuser=True)
        self.client.force_login(self.admin)

    def test_it_shows_every_knowledge_model(self) -> None:
        do_add_attachment(self.alice, self.public, upload("a.png", png_bytes()))
        do_add_comment(self.bob, self.public, "ความเห็น")
        for model in ["topic", "tag", "knowledgeitem", "attachment", "comment"]:
            with self.subTest(model=model):
                self.assertEqual(self.client.get(reverse(f"admin:knowledge_{model}_changelist")).status_code, 200)
        page = self.client.get(reverse("admin:knowledge_knowledgeitem_change", args=[self.public.pk]))
        self.assertContains(page, "a.png")
        self.assertContains(page, self.public.revisions.get().message)

    def test_it_shows_topics_as_a_tree(self) -> None:
        response = self.client.get(reverse("admin:knowledge_topic_changelist"), {"q": "ถอดบทเรียน"})
        self.assertContains(response, "การจัดการความรู้ › การถอดบทเรียน")

    def test_it_records_a_revision_for_an_admin_edit(self) -> None:
        url = reverse("admin:knowledge_knowledgeitem_change", args=[self.public.pk])
        data = {
            "kind": "story",
            "title": "แก้ในหน้าผู้ดูแล",
            "summary": "",
            "body": "",
            "license": "cc-by-4.0",
            "visibility": "public",
            "authors": str(self.alice.pk),
            "attachments-TOTAL_FORMS": "0",
            "attachments-INITIAL_FORMS": "0",
            "revisions-TOTAL_FORMS": "0",
            "revisions-INITIAL_FORMS": "0",
        }
        for name in ["aar_expected", "aar_happened", "aar_difference", "aar_next_time"]:
            data[name] = ""
        for name in ["bp_context", "bp_practice", "bp_results", "bp_conditions"]:
            data[name] = ""
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302, getattr(response, "context", None) and response.context["errors"])
        self.public.refresh_from_db()
        self.assertEqual((self.public.title, self.public.version), ("แก้ในหน้าผู้ดูแล", 2))
        self.assertEqual(self.public.revisions.first().author, self.admin)


class TaxonomyTests(KnowledgeTestCase):
    def test_it_is_seeded_with_critical_knowledge_topics_in_thai_and_english(self) -> None:
        for slug, thai in [
            ("managing-change", "การบริหารการเปลี่ยนแปลง"),
            ("technology-adoption", "การนำเทคโนโลยีมาใช้"),
            ("multi-skilling", "การพัฒนาทักษะหลายด้าน"),
            ("data-capability", "ขีดความสามารถด้านข้อมูล"),
            ("new-business-models", "รูปแบบธุรกิจใหม่"),
            ("competency", "สมรรถนะ"),
            ("job-knowledge", "ความรู้ในงาน"),
        ]:
            topic = Topic.objects.get(slug=slug)
            self.assertEqual(topic.name_th, thai)
            self.assertTrue(topic.name_en)
            self.assertIsNone(topic.parent)
            self.assertGreaterEqual(topic.children.count(), 3)
