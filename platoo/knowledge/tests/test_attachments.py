from unittest import mock

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.urls import reverse

from platoo.knowledge import attachments, tasks
from platoo.knowledge.actions import do_add_attachment, do_remove_attachment
from platoo.knowledge.models import Attachment, KnowledgeItem, TextStatus

from .base import KnowledgeTestCase, docx_bytes, pdf_bytes, png_bytes, upload, xlsx_bytes


class AddAttachmentTests(KnowledgeTestCase):
    def test_it_reads_the_text_of_pdf_docx_and_xlsx(self) -> None:
        cases = [
            ("report.pdf", pdf_bytes("Flood lessons 2569"), "Flood lessons 2569", "application/pdf"),
            ("บันทึก.docx", docx_bytes("ถอดบทเรียนงบประมาณแผ่นดิน"), "ถอดบทเรียนงบประมาณแผ่นดิน", attachments.DOCX_MAIN),
            ("table.xlsx", xlsx_bytes(("จังหวัด", "งบประมาณ"), ("น่าน", 1200)), "น่าน\t1200", attachments.XLSX_MAIN),
        ]
        for name, data, expected, content_type in cases:
            with self.subTest(name=name):
                attachment = do_add_attachment(self.alice, self.network, upload(name, data))
                self.assertEqual(attachment.content_type, content_type)
                self.assertEqual(attachment.text_status, TextStatus.DONE)
                self.assertIn(expected, attachment.extracted_text)
                self.assertEqual(attachment.original_name, name)
                self.assertEqual(attachment.size, len(data))

    def test_it_keeps_images_without_reading_text(self) -> None:
        attachment = do_add_attachment(self.alice, self.network, upload("photo.PNG", png_bytes()))
        self.assertEqual((attachment.content_type, attachment.text_status), ("image/png", TextStatus.NONE))
        self.assertFalse(attachment.file.name.endswith("photo.PNG"))  # stored under an unguessable name

    def test_it_keeps_a_corrupt_pdf_with_empty_text(self) -> None:
        broken = b"%PDF-1.7\n" + b"\x00garbage that is not a pdf\xff" * 50
        attachment = do_add_attachment(self.alice, self.network, upload("broken.pdf", broken))
        self.assertEqual(attachment.text_status, TextStatus.FAILED)
        self.assertEqual(attachment.extracted_text, "")
        with attachment.file.open("rb") as stored:
            self.assertEqual(stored.read(), broken)

    def test_it_refuses_a_file_with_a_lying_extension(self) -> None:
        for name, data in [("report.pdf", png_bytes()), ("photo.png", pdf_bytes()), ("sheet.xlsx", docx_bytes("x"))]:
            with self.subTest(name=name), self.assertRaises(ValidationError) as caught:
                do_add_attachment(self.alice, self.network, upload(name, data))
            self.assertEqual(caught.exception.code, "lying_extension")
        self.assertFalse(Attachment.objects.exists())

    def test_it_refuses_types_it_does_not_accept(self) -> None:
        import zipfile
        from io import BytesIO

        archive = BytesIO()
        with zipfile.ZipFile(archive, "w") as zipped:
            zipped.writestr("evil.exe", b"MZ")
        for name, data in [
            ("run.exe", b"MZ\x90\x00" + b"\x00" * 100),
            ("page.html", b"<html><script>alert(1)</script></html>"),
            ("fake.docx", archive.getvalue()),
        ]:
            with self.subTest(name=name), self.assertRaises(ValidationError) as caught:
                do_add_attachment(self.alice, self.network, upload(name, data))
            self.assertEqual(caught.exception.code, "bad_type")

    @override_settings(MAX_UPLOAD_MB=1)
    def test_it_refuses_a_file_over_the_limit(self) -> None:
        data = pdf_bytes() + b"%" * (1024 * 1024)
        with self.assertRaises(ValidationError) as caught:
            do_add_attachment(self.alice, self.network, upload("big.pdf", data))
        self.assertEqual(caught.exception.code, "too_big")

    def test_it_lets_only_editors_attach_and_remove(self) -> None:
        with self.assertRaises(PermissionDenied):
            do_add_attachment(self.bob, self.network, upload("a.png", png_bytes()))
        attachment = do_add_attachment(self.alice, self.network, upload("a.png", png_bytes()))
        with self.assertRaises(PermissionDenied):
            do_remove_attachment(self.bob, attachment)
        with self.captureOnCommitCallbacks(execute=True):
            do_remove_attachment(self.alice, attachment)
        self.assertFalse(Attachment.objects.exists())
        self.assertFalse(attachment.file.storage.exists(attachment.file.name))

    def test_it_reads_big_files_in_a_background_task_after_commit(self) -> None:
        with (
            mock.patch.object(attachments, "INLINE_EXTRACT_MAX_BYTES", 10),
            mock.patch("platoo.knowledge.actions.INLINE_EXTRACT_MAX_BYTES", 10),
        ):
            with self.captureOnCommitCallbacks(execute=False) as callbacks:
                attachment = do_add_attachment(
                    self.alice, self.network, upload("big.pdf", pdf_bytes("Background text"))
                )
            self.assertEqual(attachment.text_status, TextStatus.PENDING)
            for callback in callbacks:
                callback()
        attachment.refresh_from_db()
        self.assertEqual(attachment.text_status, TextStatus.DONE)
        self.assertIn("Background text", attachment.extracted_text)

    def test_it_reindexes_the_item_when_text_is_read(self) -> None:
        attachment = do_add_attachment(self.alice, self.network, upload("a.pdf", pdf_bytes()))
        with mock.patch.object(tasks, "update_index") as update_index:
            tasks.extract_attachment_text.call(attachment.pk)
        update_index.assert_called_once_with(attachment.item)

    def test_it_tolerates_a_task_for_a_removed_attachment(self) -> None:
        tasks.extract_attachment_text.call(987654)


class UploadPageTests(KnowledgeTestCase):
    def form(self, **changes: object) -> dict[str, object]:
        return self.edit_data(self.network, **changes)

    def test_it_attaches_files_from_the_editor_and_lists_them(self) -> None:
        self.login(self.alice)
        files = [upload("report.pdf", pdf_bytes()), upload("photo.png", png_bytes())]
        response = self.client.post(reverse("knowledge:edit", args=[self.network.pk]), self.form(attachments=files))
        self.assertEqual(response.status_code, 302)
        page = self.client.get(self.network.get_absolute_url())
        self.assertContains(page, "report.pdf")
        self.assertContains(page, "photo.png")
        pdf = self.network.attachments.get(original_name="report.pdf")
        download = self.client.get(pdf.get_absolute_url())
        self.assertEqual(download["Content-Type"], "application/pdf")
        self.assertIn("attachment", download["Content-Disposition"])
        self.assertEqual(b"".join(download.streaming_content), pdf_bytes())  # type: ignore[attr-defined]

    def test_it_explains_a_refused_upload_and_keeps_everything_typed(self) -> None:
        self.login(self.alice)
        response = self.client.post(
            reverse("knowledge:edit", args=[self.network.pk]),
            self.form(title="ชื่อที่พิมพ์ใหม่", body="เนื้อหาที่พิมพ์ใหม่", attachments=[upload("report.pdf", png_bytes())]),
        )
        self.assertEqual(response.status_code, 400)
        self.assertTrue(response.context["form"].errors["attachments"])
        self.assertContains(response, "report.pdf", status_code=400)
        self.assertContains(response, "เนื้อหาที่พิมพ์ใหม่", status_code=400)
        self.network.refresh_from_db()
        self.assertEqual(self.network.version, 1)

    @override_settings(MAX_UPLOAD_MB=1)
    def test_it_explains_an_oversized_upload_on_the_new_item_form(self) -> None:
        self.login(self.alice)
        before = KnowledgeItem.objects.count()
        data = self.form(form_token="t", attachments=[upload("big.pdf", pdf_bytes() + b"%" * (1024 * 1024 + 1))])
        response = self.client.post(reverse("knowledge:create"), data)
        self.assertEqual(response.status_code, 400)
        self.assertIn("1.0", response.context["form"].errors["attachments"][0])
        self.assertEqual(KnowledgeItem.objects.count(), before)

    def test_it_tells_the_uploader_when_text_could_not_be_read(self) -> None:
        self.login(self.alice)
        broken = upload("broken.pdf", b"%PDF-1.4\n%%%% not really a pdf")
        response = self.client.post(
            reverse("knowledge:edit", args=[self.network.pk]), self.form(attachments=[broken]), follow=True
        )
        self.assertEqual(response.status_code, 200)
        notices = [str(m) for m in response.context["messages"]]
        self.assertTrue(any("broken.pdf" in notice for notice in notices), notices)
        self.assertEqual(self.network.attachments.get().text_status, TextStatus.FAILED)
