"""Manuals and curricula: who edits and reads them, their order, concurrent edits, releases (numbered,
frozen, immutable, what changed), their PDF and EPUB, and the knowledge they cite kept from deletion."""

import io
import zipfile
from typing import Any
from unittest import mock

from django.contrib.admin.sites import site
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import connection
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags

from platoo.cycle import actions as cycle_actions
from platoo.cycle.actions import manuals as actions
from platoo.cycle.manual_changes import changes_between
from platoo.cycle.models import BuildStatus, CriticalKnowledge, Manual, Release, ReleaseIsFinal, Section, Stage
from platoo.knowledge.actions import ItemData, do_delete_item, do_update_item
from platoo.knowledge.models import KnowledgeItem
from platoo.lib import thai
from platoo.tests.test_pdf import fonts_of, lines_of

from .base import CycleTestCase

THAI = "ผู้ใหญ่บ้าน น้ำใจ ปั้น ฝั่ง กรุ๊ป"
SECRET = "ความลับเฉพาะหน่วยงาน"


class ManualTestCase(CycleTestCase):
    def setUp(self) -> None:
        self.expert = self.experts[0]
        self.public_std = self.standardized("มาตรฐานการส่งเวร", visibility="public", body=f"ขั้นตอน {THAI}")
        self.network_std = self.standardized("มาตรฐานการให้ยา", visibility="network", body=SECRET)

    def standardized(self, title: str, **fields: Any) -> KnowledgeItem:
        body = fields.pop("body", "เนื้อหามาตรฐาน")
        item = self.make_item(title, **fields)
        KnowledgeItem.objects.filter(pk=item.pk).update(body=body)
        item.refresh_from_db()
        critical = self.verified(item)
        cycle_actions.do_move(self.carol, critical, "standardize", base_version=critical.version, reason="พร้อม")
        return item

    def manual(self, visibility: str = "network", kind: str = "manual", **extra: Any) -> Manual:
        data = actions.ManualData(
            title="คู่มือความปลอดภัยผู้ป่วย", panel_id=self.panel.pk, kind=kind, visibility=visibility, **extra
        )
        return actions.do_create_manual(self.expert, data)

    def section(self, manual: Manual, title: str, parent: Section | None = None, **extra: Any) -> Section:
        manual.refresh_from_db()
        data = actions.SectionData(title=title, parent_id=parent.pk if parent else None, **extra)
        return actions.do_save_section(self.expert, manual, None, data, manual.version)

    def release(self, manual: Manual, label: str = "1.0", **extra: Any) -> Release:
        return actions.do_release(self.expert, manual, label, [self.expert.pk], **extra)

    def order(self, manual: Manual) -> list[tuple[str, str | None]]:
        return [
            (node.section.title, None)
            if not node.children
            else (node.section.title, ",".join(child.section.title for child in node.children))
            for node in actions.draft_tree(manual)
        ]


class WhoEditsTests(ManualTestCase):
    def test_the_brain_trust_and_the_hub_edit_and_nobody_else(self) -> None:
        manual = self.manual()
        self.assertTrue(actions.can_edit(self.carol, manual))
        self.assertTrue(actions.can_edit(self.hub, manual))
        for outsider in (self.alice, self.bob, self.dave):
            self.assertFalse(actions.can_edit(outsider, manual))
            with self.assertRaises(PermissionDenied):
                actions.do_save_section(outsider, manual, None, actions.SectionData(title="บทที่ 1"), manual.version)

    def test_only_experts_and_the_hub_start_a_manual_and_only_for_a_panel_they_may(self) -> None:
        with self.assertRaises(PermissionDenied):
            actions.do_create_manual(self.bob, actions.ManualData(title="x", panel_id=self.panel.pk))
        other = self.make_panel_elsewhere()
        with self.assertRaises(ValidationError) as caught:
            actions.do_create_manual(self.expert, actions.ManualData(title="x", panel_id=other.pk))
        self.assertIn("panel", caught.exception.message_dict)
        self.assertEqual(
            actions.do_create_manual(self.hub, actions.ManualData(title="x", panel_id=other.pk)).panel, other
        )

    def make_panel_elsewhere(self) -> Any:
        from .base import make_panel, make_topic

        return make_panel(self.hub, make_topic("infection"), [self.bob, self.alice], chair=self.bob, quorum=2)

    def test_the_draft_is_a_404_for_anyone_outside_the_brain_trust(self) -> None:
        manual = self.manual()
        url = reverse("cycle:manual_draft", args=[manual.pk])
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.client.force_login(self.carol)
        self.assertEqual(self.client.get(url).status_code, 200)
        self.client.force_login(self.hub)
        self.assertEqual(self.client.get(url).status_code, 200)

    def test_a_manual_is_made_and_edited_through_its_pages(self) -> None:
        self.client.force_login(self.expert)
        response = self.client.post(
            reverse("cycle:manual_new"),
            {"kind": "curriculum", "title": "หลักสูตรผู้อำนวยความรู้", "panel": self.panel.pk, "visibility": "public",
             "front_matter": "# คำนำ", "outcomes": "เข้าใจวงจรความรู้\n\nถอดบทเรียนได้"},
        )  # fmt: skip
        manual = Manual.objects.get(title="หลักสูตรผู้อำนวยความรู้")
        self.assertRedirects(response, reverse("cycle:manual_draft", args=[manual.pk]))
        self.assertEqual(manual.outcomes, "เข้าใจวงจรความรู้\nถอดบทเรียนได้")
        response = self.client.post(
            reverse("cycle:section_new", args=[manual.pk]),
            {"title": "ช่วงที่ 1", "body": "แนะนำ", "duration_minutes": "90", "items": [self.public_std.pk],
             "version": manual.version},
        )  # fmt: skip
        self.assertEqual(response.status_code, 302)
        session = manual.sections.get()
        self.assertEqual(list(session.section_items.values_list("item_id", flat=True)), [self.public_std.pk])
        page = self.client.get(reverse("cycle:manual_draft", args=[manual.pk]))
        self.assertContains(page, "ระยะเวลารวม: 90 นาที")


class ItemsTests(ManualTestCase):
    def test_a_section_uses_standardized_knowledge_and_is_told_why_not_otherwise(self) -> None:
        manual = self.manual()
        verified_only = self.make_item("บทเรียนที่ยังไม่เป็นมาตรฐาน")
        self.verified(verified_only)
        data = actions.SectionData(title="บทที่ 1", item_ids=[self.public_std.pk, verified_only.pk])
        with self.assertRaises(ValidationError) as caught:
            actions.do_save_section(self.expert, manual, None, data, manual.version)
        message = " ".join(caught.exception.message_dict["items"])
        self.assertIn("บทเรียนที่ยังไม่เป็นมาตรฐาน", message)
        self.assertIn("ยังไม่ได้ยกระดับเป็นมาตรฐาน", message)
        self.assertFalse(manual.sections.exists())  # nothing half-saved
        manual.refresh_from_db()
        section = actions.do_save_section(
            self.expert,
            manual,
            None,
            actions.SectionData(title="บทที่ 1", item_ids=[self.network_std.pk, self.public_std.pk]),
            manual.version,
        )
        self.assertEqual(
            list(section.section_items.values_list("item_id", flat=True)), [self.network_std.pk, self.public_std.pk]
        )

    def test_nobody_adds_an_item_they_cannot_read(self) -> None:
        manual = self.manual()
        private = self.make_item("บันทึกส่วนตัว", visibility="private")
        with self.assertRaises(ValidationError) as caught:
            actions.do_save_section(
                self.expert, manual, None, actions.SectionData(title="บท", item_ids=[private.pk]), manual.version
            )
        self.assertNotIn("บันทึกส่วนตัว", " ".join(caught.exception.message_dict["items"]))

    def test_the_section_form_offers_the_standards_and_refuses_others_typed_by_number(self) -> None:
        manual = self.manual()
        other = self.make_item("ยังไม่ผ่าน")
        self.client.force_login(self.expert)
        url = reverse("cycle:section_new", args=[manual.pk])
        page = self.client.get(url)
        self.assertContains(page, "มาตรฐานการส่งเวร")
        self.assertNotContains(page, "ยังไม่ผ่าน")
        response = self.client.post(
            url, {"title": "บท", "other_items": f"/knowledge/{other.pk}/", "version": manual.version}
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "ยังไม่ผ่าน", status_code=400)
        self.assertContains(response, 'value="บท"', status_code=400)  # what was typed stays


class OrderTests(ManualTestCase):
    def test_sections_are_ordered_by_number_and_moved_between_chapters(self) -> None:
        manual = self.manual()
        one = self.section(manual, "บทหนึ่ง")
        two = self.section(manual, "บทสอง")
        a = self.section(manual, "ก", one)
        b = self.section(manual, "ข", one)
        manual.refresh_from_db()
        self.assertEqual(self.order(manual), [("บทหนึ่ง", "ก,ข"), ("บทสอง", None)])
        placements = [
            actions.Placement(two.pk, None, 1),
            actions.Placement(one.pk, None, 2),
            actions.Placement(b.pk, one.pk, 1),
            actions.Placement(a.pk, two.pk, 1),
        ]
        actions.do_reorder_sections(self.expert, manual, placements, manual.version)
        self.assertEqual(self.order(manual), [("บทสอง", "ก"), ("บทหนึ่ง", "ข")])

    def test_a_typed_order_through_the_page_without_script(self) -> None:
        manual = self.manual()
        one, two, three = (self.section(manual, title) for title in ("หนึ่ง", "สอง", "สาม"))
        manual.refresh_from_db()
        self.client.force_login(self.carol)
        response = self.client.post(
            reverse("cycle:section_order", args=[manual.pk]),
            {
                f"position-{three.pk}": "1",
                f"position-{one.pk}": "2",
                f"position-{two.pk}": "3",
                "version": manual.version,
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual([title for title, _ in self.order(manual)], ["สาม", "หนึ่ง", "สอง"])

    def test_a_chapter_cannot_go_inside_a_section_or_a_chapter_with_sections(self) -> None:
        manual = self.manual()
        one, two = self.section(manual, "หนึ่ง"), self.section(manual, "สอง")
        child = self.section(manual, "ย่อย", one)
        manual.refresh_from_db()
        for placements in (
            [actions.Placement(two.pk, child.pk, 0)],  # into a section
            [actions.Placement(one.pk, two.pk, 0)],  # a chapter with sections into another chapter
            [actions.Placement(one.pk, one.pk, 0)],
        ):
            with self.subTest(placements=placements), self.assertRaises(ValidationError):
                actions.do_reorder_sections(self.expert, manual, placements, manual.version)
        self.assertEqual(self.order(manual), [("หนึ่ง", "ย่อย"), ("สอง", None)])


class ConcurrentEditTests(ManualTestCase):
    def test_the_second_editor_from_the_same_version_is_told_and_nothing_of_theirs_is_written(self) -> None:
        manual = self.manual()
        opened = manual.version
        first = Manual.objects.get(pk=manual.pk)
        second = Manual.objects.get(pk=manual.pk)
        actions.do_update_manual(self.expert, first, actions.ManualData(title="ฉบับของคนแรก"), opened)
        with self.assertRaises(actions.StaleDraft):
            actions.do_update_manual(self.carol, second, actions.ManualData(title="ฉบับของคนที่สอง"), opened)
        with self.assertRaises(actions.StaleDraft):
            actions.do_save_section(self.carol, second, None, actions.SectionData(title="บทใหม่"), opened)
        manual.refresh_from_db()
        self.assertEqual(manual.title, "ฉบับของคนแรก")
        self.assertFalse(manual.sections.exists())

    def test_the_page_keeps_what_the_second_editor_typed_and_lets_them_save_after_a_look(self) -> None:
        manual = self.manual()
        opened = manual.version
        actions.do_update_manual(self.expert, manual, actions.ManualData(title="แก้โดยคนแรก"), opened)
        self.client.force_login(self.carol)
        url = reverse("cycle:section_new", args=[manual.pk])
        typed = {"title": "บทที่คนที่สองพิมพ์", "body": "ข้อความยาวที่ไม่ควรหาย", "version": opened}
        response = self.client.post(url, typed)
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "ข้อความยาวที่ไม่ควรหาย", status_code=409)
        manual.refresh_from_db()
        self.assertContains(response, f'name="version" value="{manual.version}"', status_code=409)
        response = self.client.post(url, {**typed, "version": manual.version})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(manual.sections.filter(title="บทที่คนที่สองพิมพ์").exists())


class ReleaseTests(ManualTestCase):
    def build_manual(self, visibility: str = "network") -> Manual:
        manual = self.manual(visibility=visibility, front_matter="คำนำของคู่มือ")
        chapter = self.section(manual, "บทนำ", body="ทำไมต้องมีมาตรฐาน")
        self.section(manual, "การส่งเวร", chapter, body="ข้อความเดิม", item_ids=[self.public_std.pk])
        self.section(manual, "การให้ยา", chapter, item_ids=[self.network_std.pk])
        manual.refresh_from_db()
        return manual

    def test_releases_are_numbered_and_freeze_the_content_with_the_items_texts(self) -> None:
        manual = self.build_manual()
        first = self.release(manual, notes="ฉบับแรก")
        self.assertEqual(first.number, 1)
        self.assertEqual(list(first.approvers.all()), [self.expert])
        content = first.content
        self.assertEqual(content["title"], manual.title)
        self.assertEqual([s["title"] for s in content["chapters"][0]["sections"]], ["การส่งเวร", "การให้ยา"])
        item = content["items"][str(self.public_std.pk)]
        self.assertEqual((item["title"], item["kind"], item["visibility"]), ("มาตรฐานการส่งเวร", "lesson", "public"))
        self.assertEqual(item["organization"], self.alpha.display_name)
        self.assertIn(THAI, item["body"])
        second = self.release(manual, "1.1")
        self.assertEqual(second.number, 2)
        with self.assertRaises(ValidationError) as caught:
            self.release(manual, "1.1")
        self.assertIn("version_label", caught.exception.message_dict)

    def test_a_release_is_never_changed_nor_deleted(self) -> None:
        release = self.release(self.build_manual())
        release.notes = "แก้"
        with self.assertRaises(ReleaseIsFinal):
            release.save()
        with self.assertRaises(ReleaseIsFinal):
            release.delete()
        with self.assertRaises(ReleaseIsFinal):
            Release.objects.filter(pk=release.pk).update(content={})
        with self.assertRaises(ReleaseIsFinal):
            Release.objects.filter(pk=release.pk).delete()
        request = RequestFactory().get("/")
        request.user = self.admin
        admin = site._registry[Release]
        self.assertFalse(admin.has_change_permission(request, release))
        self.assertFalse(admin.has_delete_permission(request, release))
        self.assertFalse(admin.has_add_permission(request))
        release.refresh_from_db()
        self.assertEqual(release.notes, "")

    def test_editing_the_draft_or_an_item_later_leaves_the_release_as_it_was(self) -> None:
        manual = self.build_manual()
        release = self.release(manual)
        before = dict(release.content)
        section = manual.sections.get(title="การส่งเวร")
        actions.do_save_section(
            self.expert,
            manual,
            section,
            actions.SectionData(title="การส่งเวรใหม่", parent_id=section.parent_id),
            manual.version,
        )
        release.refresh_from_db()
        self.assertEqual(release.content, before)
        self.assertEqual(release.content_digest, actions.digest(before))

    def test_approvers_are_members_of_the_brain_trust(self) -> None:
        manual = self.build_manual()
        for approvers in ([], [self.bob.pk]):
            with self.subTest(approvers=approvers), self.assertRaises(ValidationError) as caught:
                actions.do_release(self.expert, manual, "1.0", approvers)
            self.assertIn("approvers", caught.exception.message_dict)
        release = actions.do_release(self.hub, manual, "1.0", [self.carol.pk, self.expert.pk])
        self.assertEqual({p.pk for p in release.approvers.all()}, {self.carol.pk, self.expert.pk})

    def test_a_draft_citing_knowledge_no_longer_standard_is_not_released(self) -> None:
        manual = self.build_manual()
        critical = CriticalKnowledge.objects.get(pk=self.network_std.pk)
        cycle_actions.do_move(self.hub, critical, "reverify", base_version=critical.version)
        with self.assertRaises(ValidationError) as caught:
            self.release(manual)
        self.assertIn("มาตรฐานการให้ยา", " ".join(caught.exception.messages))
        self.assertFalse(manual.releases.exists())

    def test_a_stale_releaser_is_told(self) -> None:
        manual = self.build_manual()
        seen = manual.version
        self.section(manual, "บทเพิ่ม")
        with self.assertRaises(actions.StaleDraft):
            self.release(manual, base_version=seen)

    def test_a_new_release_shows_what_changed(self) -> None:
        manual = self.build_manual()
        first = self.release(manual)
        chapter = manual.sections.get(title="บทนำ")
        handover = manual.sections.get(title="การส่งเวร")
        medicine = manual.sections.get(title="การให้ยา")
        manual.refresh_from_db()
        actions.do_save_section(
            self.expert, manual, handover,
            actions.SectionData(title="การส่งเวร", parent_id=chapter.pk, body="ข้อความใหม่", item_ids=[]), manual.version,
        )  # fmt: skip
        manual.refresh_from_db()
        actions.do_reorder_sections(
            self.expert, manual,
            [actions.Placement(medicine.pk, chapter.pk, 0), actions.Placement(handover.pk, chapter.pk, 1)], manual.version,
        )  # fmt: skip
        added = self.section(manual, "บทสรุป")
        manual.refresh_from_db()
        actions.do_delete_section(self.expert, manual, manual.sections.get(title="การให้ยา"), manual.version)
        manual.refresh_from_db()
        second = self.release(manual, "2.0", notes="ปรับปรุงตามข้อเสนอ")
        changes = changes_between(
            first.content, second.content, {self.public_std.pk, self.network_std.pk}, detailed=True
        )
        self.assertEqual(changes.added, [("2", "บทสรุป")])
        self.assertEqual(changes.removed, [("1.2", "การให้ยา")])
        self.assertEqual(changes.moved, [])  # the section left before it was removed, not moved
        self.assertEqual([(c.number, c.title) for c in changes.text], [("1.1", "การส่งเวร")])
        self.assertEqual(strip_tags(changes.text[0].old), "ข้อความเดิม")
        self.assertEqual(strip_tags(changes.text[0].new), "ข้อความใหม่")
        self.assertIn("<del>", changes.text[0].old)
        self.assertIn("<ins>", changes.text[0].new)
        self.assertEqual(changes.items[0].removed, ["มาตรฐานการส่งเวร"])
        self.assertEqual(added.title, "บทสรุป")
        self.client.force_login(self.bob)
        page = self.client.get(second.get_absolute_url())
        self.assertContains(page, "ปรับปรุงตามข้อเสนอ")
        self.assertContains(page, "เพิ่ม: 2 บทสรุป")
        self.assertContains(page, "นำออก: 1.2 การให้ยา")
        detail = self.client.get(reverse("cycle:release_changes", args=[manual.pk, 2]))
        self.assertContains(detail, "<ins>")
        self.assertContains(detail, "<del>")

    def test_moving_a_section_out_of_order_is_named_as_moved(self) -> None:
        manual = self.manual()
        one, two, three = (self.section(manual, t) for t in ("หนึ่ง", "สอง", "สาม"))
        manual.refresh_from_db()
        first = self.release(manual)
        actions.do_reorder_sections(
            self.expert,
            manual,
            [
                actions.Placement(three.pk, None, 0),
                actions.Placement(one.pk, None, 1),
                actions.Placement(two.pk, None, 2),
            ],
            manual.version,
        )
        manual.refresh_from_db()
        second = self.release(manual, "2.0")
        changes = changes_between(first.content, second.content, set())
        self.assertEqual(changes.moved, [("3", "1", "สาม")])
        self.assertEqual(changes.added, [])


class ReadingTests(ManualTestCase):
    def released(self, visibility: str) -> Release:
        manual = self.manual(visibility=visibility)
        chapter = self.section(manual, "บทที่หนึ่ง")
        self.section(manual, "ส่วนสาธารณะ", chapter, item_ids=[self.public_std.pk])
        self.section(manual, "ส่วนเครือข่าย", chapter, item_ids=[self.network_std.pk])
        manual.refresh_from_db()
        return self.release(manual)

    def test_a_network_manual_is_a_404_for_visitors_and_read_by_members(self) -> None:
        release = self.released("network")
        url = release.get_absolute_url()
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.get(release.manual.get_absolute_url()).status_code, 404)
        self.assertNotContains(self.client.get(reverse("cycle:manuals")), release.manual.title)
        self.client.force_login(self.dave)
        page = self.client.get(url)
        self.assertContains(page, SECRET)
        self.assertContains(page, "1.1 ส่วนสาธารณะ")

    def test_a_visitor_of_a_public_manual_sees_a_placeholder_for_knowledge_they_cannot_read(self) -> None:
        release = self.released("public")
        page = self.client.get(release.get_absolute_url())
        self.assertContains(page, THAI)
        self.assertNotContains(page, SECRET)
        self.assertNotContains(page, "มาตรฐานการให้ยา")
        self.assertContains(page, "ส่วนนี้ใช้ความรู้ที่คุณไม่มีสิทธิ์อ่าน")

    def test_an_item_made_organization_only_after_the_release_is_hidden_from_others(self) -> None:
        release = self.released("network")
        item = self.network_std
        data = ItemData(title=item.title, kind=item.kind, body=item.body, visibility="organization",
                        organization_id=self.alpha.pk, topic_ids=[self.subtopic.pk])  # fmt: skip
        do_update_item(self.alice, item, data, item.version, "เฉพาะหน่วยงาน")
        self.client.force_login(self.carol)  # beta
        page = self.client.get(release.get_absolute_url())
        self.assertNotContains(page, SECRET)
        self.assertContains(page, "ส่วนนี้ใช้ความรู้ที่คุณไม่มีสิทธิ์อ่าน")
        self.client.force_login(self.bob)  # alpha
        self.assertContains(self.client.get(release.get_absolute_url()), SECRET)

    def test_the_release_page_takes_a_fixed_number_of_queries(self) -> None:
        self.released("network")
        release = self.release(Manual.objects.get(), "1.1")  # a release with one before it, as the bigger one
        self.client.force_login(self.dave)
        url = release.get_absolute_url()
        self.client.get(url)
        with CaptureQueriesContext(connection) as small:
            self.client.get(url)
        manual = release.manual
        for n in range(5):
            chapter = self.section(manual, f"บทเพิ่ม {n}")
            for m in range(3):
                self.section(manual, f"ส่วน {n}.{m}", chapter, item_ids=[self.public_std.pk, self.network_std.pk])
        manual.refresh_from_db()
        bigger = self.release(manual, "2.0")
        self.client.get(bigger.get_absolute_url())
        with CaptureQueriesContext(connection) as large:
            response = self.client.get(bigger.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(small), len(large))
        # the manual with its panel and members, session, user, release, approvers, the readable items (one
        # query however many), the previous release, permissions (2), unread notifications.
        self.assertEqual(len(large), 11, [q["sql"] for q in large.captured_queries])


class FilesTests(ManualTestCase):
    def released(self, visibility: str = "public", kind: str = "manual") -> Release:
        manual = self.manual(visibility=visibility, kind=kind, front_matter="## คำนำ\nคู่มือนี้ใช้ในเครือข่าย",
                             outcomes="อธิบายการส่งเวรได้")  # fmt: skip
        chapter = self.section(manual, "การส่งเวรอย่างปลอดภัย", duration_minutes=60)
        self.section(
            manual, "ขั้นตอนการส่งเวร", chapter, body=f"ย่อหน้า {THAI}", item_ids=[self.public_std.pk], duration_minutes=45
        )
        self.section(manual, "การให้ยาอย่างปลอดภัย", chapter, item_ids=[self.network_std.pk])
        manual.refresh_from_db()
        with self.captureOnCommitCallbacks(execute=True):
            release = self.release(manual)
        release.refresh_from_db()
        return release

    def test_the_builds_run_after_the_release_commits_and_the_downloads_are_checked(self) -> None:
        release = self.released("network")
        self.assertEqual((release.pdf_status, release.epub_status), (BuildStatus.DONE, BuildStatus.DONE))
        self.assertTrue(default_storage.exists(release.pdf.name))
        self.assertTrue(release.pdf.name.startswith("releases/"))
        pdf_url = reverse("cycle:release_pdf", args=[release.manual_id, release.number])
        epub_url = reverse("cycle:release_epub", args=[release.manual_id, release.number])
        self.assertEqual(self.client.get(pdf_url).status_code, 404)  # a network manual, a visitor
        self.assertEqual(self.client.get(epub_url).status_code, 404)
        self.client.force_login(self.dave)
        response = self.client.get(pdf_url)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(b"".join(response.streaming_content).startswith(b"%PDF-"))
        response = self.client.get(epub_url)
        self.assertEqual(response["Content-Type"], "application/epub+zip")
        page = self.client.get(release.get_absolute_url())
        self.assertContains(page, pdf_url)

    def test_the_pdf_has_a_cover_contents_with_page_numbers_and_thai_that_reads_back(self) -> None:
        release = self.released("public")
        with release.pdf.open("rb") as file:
            data = file.read()
        pages = [[thai.clean(line) for line in page] for page in lines_of(data)]
        cover, contents = "\n".join(pages[0]), "\n".join(pages[1])
        self.assertIn("คู่มือความปลอดภัยผู้ป่วย", cover)
        self.assertIn("1.0", cover)
        self.assertNotIn("หน้า 1 จาก", cover)  # no running header or footer on the cover
        self.assertIn("สารบัญ", contents)
        chapter_page = next(n for n, lines in enumerate(pages, start=1) if "บทที่ 1 การส่งเวรอย่างปลอดภัย" in lines)
        self.assertTrue(
            any(line.startswith("1 การส่งเวรอย่างปลอดภัย") and line.endswith(str(chapter_page)) for line in pages[1]),
            pages[1],
        )
        text = "\n".join("\n".join(lines) for lines in pages)
        self.assertIn(THAI, text)
        self.assertNotIn(SECRET, text)  # a network item, left out of a public manual's file
        self.assertIn("ไม่ได้เผยแพร่แก่ผู้อ่านคู่มือนี้", text)
        self.assertIn(f"หน้า {chapter_page} จาก {len(pages)}", "\n".join(pages[chapter_page - 1]))
        self.assertEqual(
            {name.split("+", 1)[1] for name in fonts_of(data)}
            - {"Sarabun", "Sarabun-Bold", "Sarabun-Italic", "Sarabun-Bold-Italic"},
            set(),
        )
        self.assertTrue(all(fonts_of(data).values()))

    def test_the_epub_is_a_valid_epub3_with_its_navigation_and_the_font_inside(self) -> None:
        release = self.released("public", kind="curriculum")
        with release.epub.open("rb") as file:
            data = file.read()
        book = zipfile.ZipFile(io.BytesIO(data))
        first = book.infolist()[0]
        self.assertEqual(first.filename, "mimetype")
        self.assertEqual(first.compress_type, zipfile.ZIP_STORED)
        self.assertEqual(book.read("mimetype"), b"application/epub+zip")
        container = book.read("META-INF/container.xml").decode()
        opf_path = container.split('full-path="', 1)[1].split('"', 1)[0]
        opf = book.read(opf_path).decode()
        self.assertIn('version="3.0"', opf)
        self.assertIn('properties="nav"', opf)
        self.assertIn("font/ttf", opf)
        names = book.namelist()
        self.assertTrue(any(name.endswith("fonts/sarabun-400-normal.ttf") for name in names), names)
        nav = next(book.read(name).decode() for name in names if name.endswith("nav.xhtml"))
        self.assertIn('epub:type="toc"', nav)
        self.assertIn("1.1 ขั้นตอนการส่งเวร", nav)
        chapters = "".join(book.read(n).decode() for n in names if "chapter-" in n)
        self.assertIn(THAI, chapters)
        self.assertNotIn(SECRET, chapters)
        front = next(book.read(n).decode() for n in names if n.endswith("cover.xhtml"))
        self.assertIn("อธิบายการส่งเวรได้", front)
        self.assertIn("105", front)  # total duration of the sessions: 60 + 45 minutes
        style = next(book.read(n).decode() for n in names if n.endswith("style.css"))
        self.assertIn("@font-face", style)

    def test_a_failed_build_is_shown_to_the_brain_trust_with_a_retry(self) -> None:
        with mock.patch("platoo.cycle.manual_files.pdf_bytes", side_effect=RuntimeError("หน่วยความจำไม่พอ")):
            release = self.released("network")
        self.assertEqual(release.pdf_status, BuildStatus.FAILED)
        self.assertEqual(release.epub_status, BuildStatus.DONE)
        self.assertIn("หน่วยความจำไม่พอ", release.build_error)
        self.client.force_login(self.dave)
        page = self.client.get(release.get_absolute_url())
        self.assertContains(page, "PDF: สร้างไม่สำเร็จ")
        self.assertNotContains(page, "หน่วยความจำไม่พอ")
        self.client.force_login(self.carol)
        page = self.client.get(release.get_absolute_url())
        self.assertContains(page, "หน่วยความจำไม่พอ")
        retry = reverse("cycle:release_retry", args=[release.manual_id, release.number])
        self.assertContains(page, retry)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(retry)
        release.refresh_from_db()
        self.assertEqual(
            (release.pdf_status, release.epub_status, release.build_error), (BuildStatus.DONE, BuildStatus.DONE, "")
        )
        self.client.force_login(self.dave)
        self.assertEqual(self.client.post(retry).status_code, 404)

    def test_a_pending_build_never_blocks_the_page(self) -> None:
        manual = self.manual()
        self.section(manual, "บท")
        manual.refresh_from_db()
        release = self.release(manual)  # the callbacks are not run: the build has not happened
        self.client.force_login(self.dave)
        page = self.client.get(release.get_absolute_url())
        self.assertContains(page, "PDF: กำลังสร้าง")
        status_url = reverse("cycle:release_status", args=[manual.pk, 1])
        self.assertContains(page, f'data-build-status="{status_url}"')  # the page asks until they are built
        self.assertEqual(self.client.get(status_url).json(), {"pdf": "pending", "epub": "pending"})
        self.assertEqual(self.client.get(reverse("cycle:release_pdf", args=[manual.pk, 1])).status_code, 404)
        self.client.logout()
        self.assertEqual(self.client.get(status_url).status_code, 404)  # a network manual: not for visitors


class DeleteCitedItemTests(ManualTestCase):
    def test_an_item_a_manual_uses_cannot_be_deleted_and_the_message_names_the_manual(self) -> None:
        manual = self.manual()
        self.section(manual, "บทที่ใช้มาตรฐาน", item_ids=[self.public_std.pk])
        with self.assertRaises(ValidationError) as caught:
            do_delete_item(self.alice, self.public_std)
        self.assertIn("บทที่ใช้มาตรฐาน", caught.exception.messages[0])
        self.assertIn(manual.title, caught.exception.messages[0])
        self.assertTrue(KnowledgeItem.objects.filter(pk=self.public_std.pk).exists())
        self.client.force_login(self.alice)
        response = self.client.post(reverse("knowledge:delete", args=[self.public_std.pk]))
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "บทที่ใช้มาตรฐาน", status_code=409)
        self.assertTrue(KnowledgeItem.objects.filter(pk=self.public_std.pk).exists())

    def test_an_item_nothing_cites_is_deleted_as_before(self) -> None:
        item = self.make_item("ไม่มีใครอ้างถึง")
        do_delete_item(self.alice, item)
        self.assertFalse(KnowledgeItem.objects.filter(pk=item.pk).exists())


@override_settings(LANGUAGE_CODE="th")
class ThaiTests(ManualTestCase):
    def test_the_release_date_is_in_the_buddhist_era(self) -> None:
        manual = self.manual()
        self.section(manual, "บท")
        manual.refresh_from_db()
        release = self.release(manual)
        self.client.force_login(self.dave)
        with translation.override("th"):
            page = self.client.get(manual.get_absolute_url())
        self.assertContains(page, str(release.released_on.year + 543))
        self.assertEqual(Stage.STANDARDIZED, CriticalKnowledge.objects.get(pk=self.public_std.pk).stage)
