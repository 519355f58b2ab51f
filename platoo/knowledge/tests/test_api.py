from datetime import datetime, timedelta
from itertools import count
from typing import Any

from django.test import Client, TestCase
from django.utils import timezone

from platoo.accounts.actions import ProfileData, SignupData, do_issue_token, do_sign_up, do_update_profile
from platoo.accounts.models import User
from platoo.knowledge.actions import ItemData, do_create_item, do_update_item
from platoo.knowledge.models import KnowledgeItem, Topic
from platoo.network.actions import do_save_organization
from platoo.network.models import Organization

URL = "/api/v1/knowledge"
EN = {"accept-language": "en"}


class CastTestCase(TestCase):
    """Two organizations, their people, and one item of each visibility written by alice."""

    admin: User
    alice: User  # the author, in organization A
    bob: User  # organization A
    carol: User  # organization B

    @classmethod
    def setUpTestData(cls) -> None:
        cls.admin = User.objects.create_superuser("admin", "admin@example.org", "pw-admin-123")
        cls.org_a = do_save_organization(
            cls.admin, Organization(name_th="กรมส่งเสริมการเรียนรู้", code="dol", sector="government")
        )
        cls.org_b = do_save_organization(
            cls.admin, Organization(name_th="บริษัท ข้าวดี จำกัด", code="khaodee", sector="private")
        )
        cls.alice = person("alice", cls.admin, cls.org_a)
        cls.bob = person("bob", cls.admin, cls.org_a)
        cls.carol = person("carol", cls.admin, cls.org_b)
        cls.change = Topic.objects.create(slug="change", name_th="การจัดการการเปลี่ยนแปลง", name_en="Managing change")
        cls.digital = Topic.objects.create(
            slug="digital", parent=cls.change, name_th="การใช้เทคโนโลยี", name_en="Technology adoption"
        )
        cls.public = do_create_item(
            cls.alice,
            ItemData(
                title="ถอดบทเรียนการย้ายระบบเอกสาร",
                kind="lesson",
                body="**สำคัญ** <script>alert(1)</script>",
                visibility="public",
                topic_ids=[cls.digital.pk],
                tag_names=["ถอดบทเรียน"],
                extra={"aar_expected": "ย้ายเสร็จในสามเดือน", "aar_happened": "ใช้เวลาหกเดือน"},
            ),
        )
        cls.network = do_create_item(cls.alice, ItemData(title="เรื่องเล่าจากชุมชน", kind="story", visibility="network"))
        cls.organization = do_create_item(
            cls.alice, ItemData(title="แนวปฏิบัติการประชุมเช้า", kind="practice", visibility="organization")
        )
        cls.private = do_create_item(cls.alice, ItemData(title="บันทึกส่วนตัว", kind="note", visibility="private"))


def person(username: str, admin: User, organization: Organization | None = None) -> User:
    user = do_sign_up(SignupData(username=username, email=f"{username}@example.org", password=f"pw-{username}-123"))
    data = ProfileData(
        name_th=f"คุณ{username}",
        name_en=username.title(),
        position="",
        bio="",
        expertise=[],
        km_roles=[],
        organization=organization,
        change_organization=True,
    )
    return do_update_profile(admin, user, data)


_token_names = count()


def bearer(user: User) -> dict[str, str]:
    """Headers with a fresh API token of `user`'s."""
    return {"authorization": f"Bearer {do_issue_token(user, f'script {next(_token_names)}')[1]}"}


class ItemReadTests(CastTestCase):
    def ids(self, response: Any) -> set[int]:
        self.assertEqual(response.status_code, 200, response.content)
        return {item["id"] for item in response.json()["items"]}

    def assert_sees_exactly(self, headers: dict[str, str], expected: list[KnowledgeItem]) -> None:
        self.assertEqual(self.ids(self.client.get(URL, headers=headers)), {i.pk for i in expected})
        for item in [self.public, self.network, self.organization, self.private]:
            status = self.client.get(f"{URL}/{item.pk}", headers=headers).status_code
            self.assertEqual(status, 200 if item in expected else 404, item.visibility)

    def test_it_shows_anonymous_readers_public_items_only(self) -> None:
        self.assert_sees_exactly({}, [self.public])

    def test_it_shows_a_member_of_another_organization_public_and_network_items(self) -> None:
        self.assert_sees_exactly(bearer(self.carol), [self.public, self.network])

    def test_it_shows_a_member_of_the_same_organization_its_organization_items(self) -> None:
        self.assert_sees_exactly(bearer(self.bob), [self.public, self.network, self.organization])

    def test_it_shows_the_author_everything_including_private_drafts(self) -> None:
        self.assert_sees_exactly(bearer(self.alice), [self.public, self.network, self.organization, self.private])

    def test_it_applies_the_same_rules_to_a_browser_session(self) -> None:
        self.client.force_login(self.carol)
        self.assert_sees_exactly({}, [self.public, self.network])

    def test_it_answers_404_with_a_detail_for_a_missing_item(self) -> None:
        response = self.client.get(f"{URL}/999999")
        self.assertEqual(response.status_code, 404)
        self.assertIn("detail", response.json())

    def test_it_describes_an_item_fully(self) -> None:
        data = self.client.get(f"{URL}/{self.public.pk}").json()
        self.assertEqual(data["kind"], "lesson")
        self.assertEqual(data["aar_expected"], "ย้ายเสร็จในสามเดือน")
        self.assertIsNone(data["bp_context"])  # a best practice's field, not a lesson's
        self.assertEqual(data["tags"], ["ถอดบทเรียน"])
        self.assertEqual([t["slug"] for t in data["topics"]], ["digital"])
        self.assertEqual(data["organization"]["code"], "dol")
        self.assertEqual(data["license"], "cc-by-4.0")
        self.assertEqual(data["visibility"], "public")
        self.assertEqual(data["version"], 1)
        self.assertEqual(data["view_count"], 0)
        self.assertTrue(data["url"].startswith("http://testserver/"))
        self.assertTrue(data["created_at"].endswith("Z"))
        sent = datetime.fromisoformat(data["created_at"])  # to the millisecond
        self.assertLess(abs(sent - self.public.created_at), timedelta(milliseconds=1))

    def test_it_sanitises_the_rendered_body(self) -> None:
        data = self.client.get(f"{URL}/{self.public.pk}").json()
        self.assertIn("<strong>สำคัญ</strong>", data["body_html"])
        self.assertNotIn("<script", data["body_html"])

    def test_it_never_shows_authors_email_addresses(self) -> None:
        response = self.client.get(f"{URL}/{self.public.pk}")
        self.assertEqual(response.json()["authors"][0]["username"], "alice")
        self.assertNotIn(b"@example.org", response.content)

    def test_it_pages_with_a_total_count(self) -> None:
        data = self.client.get(URL, {"limit": 2, "offset": 1}, headers=bearer(self.alice)).json()
        self.assertEqual((data["count"], data["limit"], data["offset"]), (4, 2, 1))
        self.assertEqual([i["id"] for i in data["items"]], [self.organization.pk, self.network.pk])

    def test_it_refuses_a_page_larger_than_the_maximum_naming_the_field(self) -> None:
        response = self.client.get(URL, {"limit": 1000})
        self.assertEqual(response.status_code, 422)
        self.assertEqual([e["field"] for e in response.json()["errors"]], ["limit"])

    def test_it_filters_by_kind_topic_tag_organization_and_year(self) -> None:
        headers = bearer(self.alice)
        for params, expected in [
            ({"kind": "practice"}, {self.organization.pk}),
            ({"topic": "change"}, {self.public.pk}),  # sub-topics included
            ({"topic": "no-such-topic"}, set()),
            ({"tag": "ถอดบทเรียน"}, {self.public.pk}),
            ({"org": "khaodee"}, set()),
            ({"year": timezone.now().year + 543}, {i.pk for i in KnowledgeItem.objects.all()}),
            ({"year": timezone.now().year - 1}, set()),
        ]:
            with self.subTest(params=params):
                self.assertEqual(self.ids(self.client.get(URL, params, headers=headers)), expected)

    def test_it_names_the_filter_with_a_bad_value(self) -> None:
        response = self.client.get(URL, {"kind": "poem"})
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["errors"][0]["field"], "kind")

    def test_it_lists_in_a_fixed_number_of_queries(self) -> None:
        for _ in range(3):
            do_create_item(self.alice, ItemData(title="เพิ่ม", visibility="public", tag_names=["ก", "ข"]))
        # count, items, then topics, tags, authors and attachments prefetched
        with self.assertNumQueries(6):
            self.assertEqual(len(self.ids(self.client.get(URL))), 4)
        headers = bearer(self.bob)
        self.client.get(URL, headers=headers)
        # + the token (its last-used time was written by the request above, less than a minute ago)
        with self.assertNumQueries(7):
            self.assertEqual(len(self.ids(self.client.get(URL, headers=headers))), 6)


class ItemWriteTests(CastTestCase):
    def create(self, headers: dict[str, str] | None = None, **data: Any) -> Any:
        return self.client.post(
            URL, {"title": "บันทึกใหม่", **data}, content_type="application/json", headers=headers or bearer(self.bob)
        )

    def field_errors(self, response: Any) -> dict[str | None, str]:
        self.assertEqual(response.status_code, 422, response.content)
        self.assertIn("detail", response.json())
        return {e["field"]: e["message"] for e in response.json()["errors"]}

    def test_it_creates_an_item_with_a_token(self) -> None:
        response = self.create(
            kind="lesson",
            title="  บทเรียน  จากน้ำท่วม ",
            aar_expected="คาดว่าน้ำจะลดในสองวัน",
            topics=[self.change.pk],
            tags=["น้ำท่วม", " น้ำท่วม ", "#ชุมชน"],
            visibility="organization",
            license="cc-by-sa-4.0",
        )
        self.assertEqual(response.status_code, 201, response.content)
        data = response.json()
        item = KnowledgeItem.objects.get(pk=data["id"])
        self.assertEqual(item.title, "บทเรียน จากน้ำท่วม")
        self.assertEqual(data["tags"], ["ชุมชน", "น้ำท่วม"])
        self.assertEqual(data["aar_expected"], "คาดว่าน้ำจะลดในสองวัน")
        self.assertEqual([a["username"] for a in data["authors"]], ["bob"])
        self.assertEqual(data["organization"]["code"], "dol")  # the author's own, by default
        self.assertEqual((data["visibility"], data["license"], data["version"]), ("organization", "cc-by-sa-4.0", 1))
        self.assertEqual(item.revisions.count(), 1)

    def test_it_makes_one_item_from_a_repeated_request_with_an_idempotency_key(self) -> None:
        headers = {**bearer(self.bob), "idempotency-key": "import-2569-001"}
        first = self.create(headers=headers, title="นำเข้าครั้งเดียว")
        second = self.create(headers=headers, title="นำเข้าครั้งเดียว")
        self.assertEqual((first.status_code, second.status_code), (201, 201))
        self.assertEqual(first.json()["id"], second.json()["id"])
        self.assertEqual(KnowledgeItem.objects.filter(title="นำเข้าครั้งเดียว").count(), 1)

    def test_it_refuses_anonymous_writes_with_401(self) -> None:
        response = self.client.post(URL, {"title": "x"}, content_type="application/json")
        self.assertEqual(response.status_code, 401)
        self.assertIn("detail", response.json())
        self.assertEqual(response["WWW-Authenticate"], "Bearer")

    def test_it_needs_the_csrf_token_for_session_writes(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.bob)
        client.get("/api/v1/docs")  # sets the csrftoken cookie, as the docs page does in a browser
        response = client.post(URL, {"title": "ไม่มีโทเค็น"}, content_type="application/json")
        self.assertEqual(response.status_code, 403)
        self.assertIn("CSRF", response.json()["detail"])
        self.assertFalse(KnowledgeItem.objects.filter(title="ไม่มีโทเค็น").exists())
        token = client.cookies["csrftoken"].value
        response = client.post(
            URL, {"title": "มีโทเค็น"}, content_type="application/json", headers={"x-csrftoken": token}
        )
        self.assertEqual(response.status_code, 201, response.content)

    def test_it_does_not_ask_token_requests_for_csrf(self) -> None:
        client = Client(enforce_csrf_checks=True)
        response = client.post(URL, {"title": "สคริปต์"}, content_type="application/json", headers=bearer(self.bob))
        self.assertEqual(response.status_code, 201)

    def test_it_names_the_field_for_each_bad_value(self) -> None:
        before = KnowledgeItem.objects.count()
        cases: list[tuple[dict[str, Any], str]] = [
            ({"title": "   "}, "title"),
            ({"title": "ก" * 251}, "title"),
            ({"topics": [999999]}, "topics"),
            ({"tags": ["ก" * 10_000]}, "tags"),
            ({"tags": "not a list"}, "tags"),
            ({"kind": "poem"}, "kind"),
            ({"visibility": "everyone"}, "visibility"),
            ({"license": "gpl"}, "license"),
            ({"kind": "story", "bp_context": "บริบท"}, "bp_context"),
            ({"organization": 999999}, "organization"),
            ({"authors": [999999]}, "authors"),
        ]
        for data, field in cases:
            with self.subTest(field=field, data=str(data)[:60]):
                errors = self.field_errors(self.create(**data))
                self.assertIn(field, errors)
                self.assertTrue(errors[field])
        self.assertEqual(KnowledgeItem.objects.count(), before)

    def test_it_says_how_long_a_tag_may_be(self) -> None:
        errors = self.field_errors(self.create(tags=["{x}" + "ก" * 10_000], headers={**bearer(self.bob), **EN}))
        self.assertIn("at most 64 characters", errors["tags"])

    def test_it_names_a_missing_title(self) -> None:
        response = self.client.post(
            URL, {"summary": "ไม่มีชื่อ"}, content_type="application/json", headers=bearer(self.bob)
        )
        self.assertIn("title", self.field_errors(response))

    def test_it_answers_400_to_malformed_json(self) -> None:
        response = self.client.post(
            URL, '{"title": "ไม่ปิด', content_type="application/json", headers={**bearer(self.bob), **EN}
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("not valid JSON", response.json()["detail"])

    def test_it_replaces_an_item_with_put(self) -> None:
        url = f"{URL}/{self.network.pk}"
        body = {"title": "เรื่องเล่าฉบับแก้", "kind": "note", "visibility": "public", "version": 1, "message": "แก้ชื่อ"}
        response = self.client.put(url, body, content_type="application/json", headers=bearer(self.alice))
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual((response.json()["title"], response.json()["version"]), ("เรื่องเล่าฉบับแก้", 2))
        self.assertEqual(self.network.revisions.first().message, "แก้ชื่อ")  # type: ignore[union-attr]

    def test_it_changes_only_the_fields_sent_with_patch(self) -> None:
        url = f"{URL}/{self.public.pk}"
        response = self.client.patch(
            url, {"summary": "สรุปใหม่", "version": 1}, content_type="application/json", headers=bearer(self.alice)
        )
        self.assertEqual(response.status_code, 200, response.content)
        data = response.json()
        self.assertEqual((data["summary"], data["version"]), ("สรุปใหม่", 2))
        self.assertEqual(
            (data["title"], data["tags"], data["aar_happened"]), (self.public.title, ["ถอดบทเรียน"], "ใช้เวลาหกเดือน")
        )
        self.assertEqual([t["slug"] for t in data["topics"]], ["digital"])

    def test_it_lets_patch_change_the_kind(self) -> None:
        response = self.client.patch(
            f"{URL}/{self.public.pk}",
            {"kind": "practice", "bp_practice": "ทำทีละแผนก", "version": 1},
            content_type="application/json",
            headers=bearer(self.alice),
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual((response.json()["bp_practice"], response.json()["aar_expected"]), ("ทำทีละแผนก", None))

    def test_it_names_a_field_patch_sets_to_null(self) -> None:
        response = self.client.patch(
            f"{URL}/{self.public.pk}",
            {"title": None, "version": 1},
            content_type="application/json",
            headers=bearer(self.alice),
        )
        self.assertIn("title", self.field_errors(response))

    def test_it_asks_patch_for_the_version(self) -> None:
        response = self.client.patch(
            f"{URL}/{self.public.pk}", {"summary": "x"}, content_type="application/json", headers=bearer(self.alice)
        )
        self.assertIn("version", self.field_errors(response))

    def test_it_refuses_a_stale_version_with_409_and_the_current_one(self) -> None:
        do_update_item(self.alice, self.network, ItemData(title="บันทึกของอีกคน"), base_version=1)
        response = self.client.patch(
            f"{URL}/{self.network.pk}",
            {"title": "ของฉัน", "version": 1},
            content_type="application/json",
            headers={**bearer(self.alice), **EN},
        )
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json()["current_version"], 2)
        self.assertIn("Someone else saved this item", response.json()["detail"])
        self.network.refresh_from_db()
        self.assertEqual((self.network.title, self.network.version), ("บันทึกของอีกคน", 2))

    def test_it_lets_only_editors_change_an_item_they_can_see(self) -> None:
        url = f"{URL}/{self.network.pk}"
        response = self.client.patch(
            url, {"title": "แอบแก้", "version": 1}, content_type="application/json", headers=bearer(self.carol)
        )
        self.assertEqual(response.status_code, 403)
        self.assertIn("detail", response.json())
        self.network.refresh_from_db()
        self.assertEqual(self.network.version, 1)

    def test_it_hides_items_the_editor_cannot_see_behind_404(self) -> None:
        for method in (self.client.put, self.client.patch, self.client.delete):
            response = method(
                f"{URL}/{self.private.pk}",
                {"title": "x", "version": 1},
                content_type="application/json",
                headers=bearer(self.bob),
            )
            self.assertEqual(response.status_code, 404)

    def test_it_deletes_for_the_author(self) -> None:
        response = self.client.delete(f"{URL}/{self.private.pk}", headers=bearer(self.alice))
        self.assertEqual(response.status_code, 204)
        self.assertFalse(KnowledgeItem.objects.filter(pk=self.private.pk).exists())

    def test_it_deletes_for_an_administrator(self) -> None:
        response = self.client.delete(f"{URL}/{self.organization.pk}", headers=bearer(self.admin))
        self.assertEqual(response.status_code, 204)

    def test_it_deletes_for_staff_moderating_what_they_can_see(self) -> None:
        moderator = person("mod", self.admin)
        User.objects.filter(pk=moderator.pk).update(is_staff=True)
        self.assertEqual(self.client.delete(f"{URL}/{self.private.pk}", headers=bearer(moderator)).status_code, 404)
        self.assertEqual(self.client.delete(f"{URL}/{self.network.pk}", headers=bearer(moderator)).status_code, 204)

    def test_it_refuses_to_delete_for_a_reader(self) -> None:
        response = self.client.delete(f"{URL}/{self.organization.pk}", headers=bearer(self.bob))
        self.assertEqual(response.status_code, 403)
        self.assertTrue(KnowledgeItem.objects.filter(pk=self.organization.pk).exists())
