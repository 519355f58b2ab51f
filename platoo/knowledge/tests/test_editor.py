import re

from django.urls import reverse

from platoo.knowledge.models import KnowledgeItem, Topic
from platoo.network.models import Organization

from .base import KnowledgeTestCase

XSS_BODY = """
[md link](javascript:alert('m')) and ![img](javascript:alert('i'))

<script>alert('s')</script>
<img src=x onerror="alert('e')">
[click](javascript:alert('j'))
<a href="JaVaScRiPt:alert('k')">k</a>
<svg onload=alert('v')></svg>
<iframe src="https://evil.example"></iframe>
<p style="background:url(javascript:alert('c'))" onclick="alert('o')">ok</p>
"""


# A tag carrying an event handler, a script element, or a javascript: URL in a link or image.
DANGEROUS = re.compile(r"<[^>]*\son\w+\s*=|<script|<iframe|<svg|(href|src)\s*=\s*[\"']?\s*javascript:", re.IGNORECASE)


class CreateTests(KnowledgeTestCase):
    def form_data(self, **changes: object) -> dict[str, object]:
        data: dict[str, object] = {
            "kind": "lesson",
            "title": "  บทเรียน   การจัดงาน  ",
            "summary": "สรุป",
            "body": "เนื้อหา",
            "aar_expected": "คนมา 100 คน",
            "aar_happened": "คนมา 40 คน",
            "aar_difference": "ประชาสัมพันธ์ช้า",
            "aar_next_time": "ประกาศล่วงหน้าหนึ่งเดือน",
            "bp_context": "ไม่ควรถูกบันทึก",
            "topics": [Topic.objects.get(slug="lessons-learned").pk],
            "tags": "งานประจำปี, ถอดบทเรียน , งานประจำปี",
            "license": "cc-by-4.0",
            "visibility": "network",
            "organization": self.org_a.pk,
            "authors": [self.alice.pk, self.bob.pk],
            "form_token": "token-1",
        }
        data.update(changes)
        return data

    def test_it_asks_anonymous_people_to_sign_in(self) -> None:
        response = self.client.get(reverse("knowledge:create"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])

    def test_it_shows_one_form_for_every_kind(self) -> None:
        self.login(self.alice)
        response = self.client.get(reverse("knowledge:create"))
        for name in [
            "title",
            "aar_expected",
            "bp_conditions",
            "topics",
            "tags",
            "license",
            "visibility",
            "attachments",
        ]:
            self.assertContains(response, f'name="{name}"')
        self.assertContains(response, 'data-kind="lesson"')
        self.assertContains(response, "knowledge-editor.js")
        self.assertContains(response, 'name="form_token"')

    def test_it_creates_a_lesson_with_its_review(self) -> None:
        self.login(self.alice)
        response = self.client.post(reverse("knowledge:create"), self.form_data())
        item = KnowledgeItem.objects.get(title="บทเรียน การจัดงาน")
        self.assertRedirects(response, item.get_absolute_url())
        self.assertEqual(item.kind, "lesson")
        self.assertEqual(item.aar_next_time, "ประกาศล่วงหน้าหนึ่งเดือน")
        self.assertEqual(item.bp_context, "")  # not a field of lessons
        self.assertEqual(set(item.tags.values_list("name", flat=True)), {"ถอดบทเรียน", "งานประจำปี"})
        self.assertEqual(set(item.authors.all()), {self.alice, self.bob})
        self.assertEqual(item.revisions.count(), 1)

    def test_it_does_not_make_two_items_from_a_double_submit(self) -> None:
        self.login(self.alice)
        before = KnowledgeItem.objects.count()
        first = self.client.post(reverse("knowledge:create"), self.form_data())
        second = self.client.post(reverse("knowledge:create"), self.form_data())
        self.assertEqual(KnowledgeItem.objects.count(), before + 1)
        self.assertEqual(first["Location"], second["Location"])
        third = self.client.post(reverse("knowledge:create"), self.form_data(form_token="token-2"))
        self.assertEqual(KnowledgeItem.objects.count(), before + 2)
        self.assertNotEqual(first["Location"], third["Location"])

    def test_it_gives_each_new_form_its_own_token(self) -> None:
        self.login(self.alice)
        first = self.client.get(reverse("knowledge:create")).context["form"]["form_token"].value()
        second = self.client.get(reverse("knowledge:create")).context["form"]["form_token"].value()
        self.assertTrue(first)
        self.assertNotEqual(first, second)

    def test_it_refuses_a_blank_title_and_keeps_the_rest(self) -> None:
        self.login(self.alice)
        for title in ["", "     ", "\u200b\u3000 \t"]:
            with self.subTest(title=repr(title)):
                response = self.client.post(reverse("knowledge:create"), self.form_data(title=title))
                self.assertEqual(response.status_code, 400)
                self.assertTrue(response.context["form"].errors["title"])
                self.assertContains(response, "ประชาสัมพันธ์ช้า", status_code=400)
                self.assertContains(response, "งานประจำปี, ถอดบทเรียน", status_code=400)
        self.assertFalse(KnowledgeItem.objects.filter(kind="lesson").exists())

    def test_it_refuses_a_huge_tag_clearly_and_keeps_what_was_typed(self) -> None:
        self.login(self.alice)
        huge = "ก" * 10_000
        response = self.client.post(reverse("knowledge:create"), self.form_data(tags=f"ดี, {huge}"))
        self.assertEqual(response.status_code, 400)
        error = response.context["form"].errors["tags"][0]
        self.assertIn("64", error)
        self.assertIn("10000", error)
        self.assertContains(response, huge, status_code=400)  # still in the field
        self.assertContains(response, "คนมา 40 คน", status_code=400)
        self.assertFalse(KnowledgeItem.objects.filter(kind="lesson").exists())

    def test_it_refuses_unknown_choices(self) -> None:
        self.login(self.alice)
        response = self.client.post(reverse("knowledge:create"), self.form_data(topics=[999999], kind="poem"))
        self.assertEqual(response.status_code, 400)
        self.assertIn("topics", response.context["form"].errors)
        self.assertIn("kind", response.context["form"].errors)

    def test_it_never_lets_script_reach_the_page(self) -> None:
        self.assertIsNotNone(DANGEROUS.search(XSS_BODY))  # the check below can fail
        self.login(self.alice)
        self.client.post(
            reverse("knowledge:create"), self.form_data(kind="practice", body=XSS_BODY, bp_practice=XSS_BODY)
        )
        item = KnowledgeItem.objects.get(kind="practice")
        html = self.client.get(item.get_absolute_url()).content.decode()
        self.assertIsNone(DANGEROUS.search(html))
        self.assertIn(">ok</p>", html)

    def test_it_previews_markdown_safely(self) -> None:
        url = reverse("knowledge:preview")
        self.assertEqual(self.client.post(url, {"body": "**x**"}).status_code, 302)
        self.login(self.alice)
        response = self.client.post(url, {"body": "**หนา**" + XSS_BODY})
        self.assertContains(response, "<strong>หนา</strong>")
        self.assertIsNone(DANGEROUS.search(response.content.decode()))
        self.assertEqual(self.client.get(url).status_code, 405)

    def test_it_previews_without_javascript_and_saves_nothing(self) -> None:
        self.login(self.alice)
        response = self.client.post(reverse("knowledge:create"), self.form_data(body="# หัวเรื่อง", preview="1"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<h1>หัวเรื่อง</h1>", html=True)
        self.assertFalse(KnowledgeItem.objects.filter(kind="lesson").exists())


class EditTests(KnowledgeTestCase):
    def test_it_shows_the_current_values(self) -> None:
        self.login(self.alice)
        response = self.client.get(reverse("knowledge:edit", args=[self.network.pk]))
        self.assertContains(response, self.network.title)
        self.assertEqual(response.context["form"]["version"].value(), 1)

    def test_it_saves_an_edit_as_a_new_revision(self) -> None:
        self.login(self.alice)
        data = self.edit_data(self.network, title="ชื่อใหม่", message="แก้ชื่อ")
        response = self.client.post(reverse("knowledge:edit", args=[self.network.pk]), data)
        self.assertRedirects(response, self.network.get_absolute_url())
        self.network.refresh_from_db()
        self.assertEqual((self.network.title, self.network.version), ("ชื่อใหม่", 2))
        self.assertEqual(self.network.revisions.first().message, "แก้ชื่อ")

    def test_it_lets_a_co_author_edit(self) -> None:
        self.login(self.alice)
        self.client.post(
            reverse("knowledge:edit", args=[self.network.pk]),
            self.edit_data(self.network, authors=[self.alice.pk, self.carol.pk]),
        )
        self.login(self.carol)
        response = self.client.post(
            reverse("knowledge:edit", args=[self.network.pk]), self.edit_data(self.network, summary="เพิ่มสรุป")
        )
        self.assertEqual(response.status_code, 302)
        self.network.refresh_from_db()
        self.assertEqual(self.network.summary, "เพิ่มสรุป")

    def test_it_keeps_the_old_title_when_a_blank_one_is_sent(self) -> None:
        self.login(self.alice)
        response = self.client.post(
            reverse("knowledge:edit", args=[self.network.pk]), self.edit_data(self.network, title="   ")
        )
        self.assertEqual(response.status_code, 400)
        self.network.refresh_from_db()
        self.assertEqual(self.network.title, "วงเล่าเครือข่าย")
        self.assertEqual(self.network.version, 1)


class IdempotentCreateTests(KnowledgeTestCase):
    def test_it_returns_the_first_item_for_a_repeated_key(self) -> None:
        from platoo.knowledge.actions import ItemData, do_create_item

        first = do_create_item(self.alice, ItemData(title="ครั้งแรก"), idempotency_key="same")
        again = do_create_item(self.alice, ItemData(title="ครั้งที่สอง"), idempotency_key="same")
        other = do_create_item(self.bob, ItemData(title="ของบ็อบ"), idempotency_key="same")
        self.assertEqual(first.pk, again.pk)
        self.assertNotEqual(first.pk, other.pk)
        self.assertEqual(KnowledgeItem.objects.filter(title="ครั้งที่สอง").count(), 0)


class OrganizationChoiceTests(KnowledgeTestCase):
    """The editor offers the network's member organizations, not applicants or those turned down."""

    def test_it_offers_member_organizations_only(self) -> None:
        Organization.objects.create(name_th="ผู้สมัครใหม่", code="applying", sector="private", status="applicant")
        Organization.objects.create(name_th="ไม่ผ่านการพิจารณา", code="turned-down", sector="private", status="rejected")
        self.login(self.alice)
        response = self.client.get(reverse("knowledge:create"))
        names = [name for _pk, name in response.context["form"].fields["organization"].choices]
        self.assertIn("หน่วยงานเอ", names)
        self.assertNotIn("ผู้สมัครใหม่", names)
        self.assertNotIn("ไม่ผ่านการพิจารณา", names)

    def test_an_item_keeps_the_organization_it_has_when_that_one_leaves(self) -> None:
        Organization.objects.filter(pk=self.org_a.pk).update(status="left")
        self.login(self.alice)
        response = self.client.get(reverse("knowledge:edit", args=[self.network.pk]))
        self.assertIn(self.org_a.pk, [pk for pk, _name in response.context["form"].fields["organization"].choices])
        response = self.client.post(
            reverse("knowledge:edit", args=[self.network.pk]), self.edit_data(self.network, summary="ยังอยู่ที่เดิม")
        )
        self.assertEqual(response.status_code, 302)
        self.network.refresh_from_db()
        self.assertEqual((self.network.summary, self.network.organization_id), ("ยังอยู่ที่เดิม", self.org_a.pk))
        new = self.client.get(reverse("knowledge:create")).context["form"].fields["organization"].choices
        self.assertNotIn(self.org_a.pk, [pk for pk, _name in new])
