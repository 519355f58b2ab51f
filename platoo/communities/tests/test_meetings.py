from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from platoo.activity.models import Notification
from platoo.communities import actions
from platoo.communities.models import Attendance, Meeting, MeetingItem, SharedItem
from platoo.knowledge.models import KnowledgeItem

from .base import CoPTestCase, schedule


def meeting_data(title: str = "ประชุม", start_in: timedelta = timedelta(days=1), length: timedelta = timedelta(hours=2)):  # type: ignore[no-untyped-def]
    starts = timezone.now() + start_in
    return actions.MeetingData(title=title, starts_at=starts, ends_at=starts + length)


class ScheduleTests(CoPTestCase):
    def test_members_are_told_of_a_new_meeting_and_the_organizer_is_not(self) -> None:
        meeting = schedule(self.alice, self.public, "วงเล่าเรื่องครั้งที่ 1")
        told = Notification.objects.filter(kind="meeting", url=meeting.get_absolute_url())
        self.assertEqual(set(told.values_list("recipient__username", flat=True)), {"bob"})

    def test_a_meeting_ending_before_it_starts_is_refused_with_the_field(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            actions.do_schedule_meeting(self.alice, self.public, meeting_data(length=-timedelta(hours=1)))
        self.assertIn("ends_at", caught.exception.error_dict)
        with self.assertRaises(ValidationError) as caught:
            actions.do_schedule_meeting(self.alice, self.public, meeting_data(length=timedelta(days=9)))
        self.assertIn("ends_at", caught.exception.error_dict)
        with self.assertRaises(ValidationError) as caught:
            actions.do_schedule_meeting(self.alice, self.public, meeting_data(start_in=timedelta(days=365 * 30)))
        self.assertIn("starts_at", caught.exception.error_dict)
        self.assertFalse(Meeting.objects.exists())

    def test_only_admins_and_facilitating_roles_schedule(self) -> None:
        with self.assertRaises(PermissionDenied):
            actions.do_schedule_meeting(self.bob, self.public, meeting_data())
        actions.do_join(self.erin, self.public)  # erin's profile says note-taker; the CoP role decides
        with self.assertRaises(PermissionDenied):
            actions.do_schedule_meeting(self.erin, self.public, meeting_data())
        membership = self.public.memberships.get(user=self.erin)
        actions.do_set_km_role(self.alice, membership, "note_taker")
        self.assertTrue(actions.do_schedule_meeting(self.erin, self.public, meeting_data()).pk)

    def test_the_form_keeps_input_reads_a_buddhist_year_and_explains_a_backwards_meeting(self) -> None:
        self.client.force_login(self.alice)
        url = reverse("communities:meeting_create", args=["open-cop"])
        form = {
            "title": "ประชุมสรุปบทเรียน",
            "starts_at": "2569-12-10T09:00",
            "ends_at": "2569-12-10T08:00",
            "agenda-TOTAL_FORMS": "1",
            "agenda-INITIAL_FORMS": "0",
            "agenda-0-title": "เล่าเรื่อง",
            "agenda-0-presenter": "bob",
            "agenda-0-duration_minutes": "30",
        }
        response = self.client.post(url, form)
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "ประชุมสรุปบทเรียน", status_code=400)
        self.assertContains(response, "การประชุมสิ้นสุดก่อนเริ่มไม่ได้", status_code=400)
        form["ends_at"] = "2569-12-10T12:00"
        response = self.client.post(url, form)
        meeting = Meeting.objects.get()
        self.assertRedirects(response, meeting.get_absolute_url())
        self.assertEqual(timezone.localtime(meeting.starts_at).year, 2026)
        self.assertEqual(timezone.localtime(meeting.starts_at).hour, 9)  # Bangkok time, stored in UTC
        self.assertEqual(meeting.agenda_items.get().presenter, self.bob)
        page = self.client.get(meeting.get_absolute_url())
        self.assertContains(page, "2569")
        self.assertContains(page, "09:00")

    def test_a_double_submit_schedules_one_meeting_and_tells_members_once(self) -> None:
        self.client.force_login(self.alice)
        url = reverse("communities:meeting_create", args=["open-cop"])
        form = {
            "title": "ประชุมครั้งเดียว",
            "starts_at": "2026-12-20T09:00",
            "ends_at": "2026-12-20T11:00",
            "form_token": "one-time-token",
            "agenda-TOTAL_FORMS": "0",
            "agenda-INITIAL_FORMS": "0",
        }
        first = self.client.post(url, form)
        second = self.client.post(url, form)
        self.assertEqual(Meeting.objects.count(), 1)
        self.assertEqual(first["Location"], second["Location"])
        self.assertEqual(Notification.objects.filter(kind="meeting").count(), 1)

    def test_an_unknown_presenter_is_named_in_the_error(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("communities:meeting_create", args=["open-cop"]),
            {
                "title": "ประชุม",
                "starts_at": "2026-12-10T09:00",
                "ends_at": "2026-12-10T10:00",
                "agenda-TOTAL_FORMS": "1",
                "agenda-INITIAL_FORMS": "0",
                "agenda-0-title": "เล่าเรื่อง",
                "agenda-0-presenter": "nobody-here",
            },
        )
        self.assertContains(response, "nobody-here", status_code=400)
        self.assertFalse(Meeting.objects.exists())


class CheckInTests(CoPTestCase):
    def test_members_check_themselves_in_once_when_it_opens(self) -> None:
        later = schedule(self.alice, self.public, days=2)
        with self.assertRaises(ValidationError):
            actions.do_check_in(self.bob, later)
        now = schedule(self.alice, self.public, days=-0.01)
        _attendance, created = actions.do_check_in(self.bob, now)
        self.assertTrue(created)
        _attendance, created = actions.do_check_in(self.bob, now)
        self.assertFalse(created)
        self.assertEqual(Attendance.objects.filter(meeting=now).count(), 1)

    def test_only_facilitators_check_others_in_and_record_attendance_after_it_closed(self) -> None:
        past = schedule(self.alice, self.public, days=-5)
        with self.assertRaises(ValidationError):
            actions.do_check_in(self.bob, past)  # closed for self check-in
        with self.assertRaises(PermissionDenied):
            actions.do_check_in(self.bob, past, self.alice)
        actions.do_check_in(self.alice, past, self.bob)
        self.assertTrue(Attendance.objects.filter(meeting=past, user=self.bob, checked_in_by=self.alice).exists())

    def test_outsiders_of_a_closed_community_and_cancelled_meetings_take_no_check_in(self) -> None:
        meeting = schedule(self.alice, self.closed, days=-0.01)
        with self.assertRaises(ValidationError):
            actions.do_check_in(self.alice, meeting, self.carol)
        cancelled = schedule(self.alice, self.public, days=0.01)
        actions.do_cancel_meeting(self.alice, cancelled)
        with self.assertRaises(ValidationError):
            actions.do_check_in(self.bob, cancelled)

    def test_a_meeting_people_attended_cannot_be_cancelled(self) -> None:
        meeting = schedule(self.alice, self.public, days=-0.01)
        actions.do_check_in(self.bob, meeting)
        with self.assertRaises(ValidationError):
            actions.do_cancel_meeting(self.alice, meeting)

    def test_the_page_checks_in_and_counts_attendance_by_organization(self) -> None:
        meeting = schedule(self.alice, self.public, days=-0.01)
        actions.do_join(self.carol, self.public)
        self.client.force_login(self.carol)
        self.client.post(reverse("communities:check_in", args=["open-cop", meeting.pk]))
        self.client.force_login(self.alice)
        self.client.post(reverse("communities:check_in", args=["open-cop", meeting.pk]), {"person": self.bob.pk})
        response = self.client.get(meeting.get_absolute_url())
        self.assertContains(response, "หน่วยงาน alpha: 1")
        self.assertContains(response, "หน่วยงาน beta: 1")


class MinutesTests(CoPTestCase):
    def test_a_stale_save_is_refused_and_the_form_keeps_both_texts(self) -> None:
        meeting = schedule(self.alice, self.public, days=-1)
        actions.do_write_minutes(self.alice, meeting, "บันทึกแรก", {"aar_expected": "คาดว่า"}, meeting.version)
        with self.assertRaises(actions.MinutesConflict):
            actions.do_write_minutes(self.alice, meeting, "บันทึกซ้อน", {}, meeting.version - 1)
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("communities:minutes", args=["open-cop", meeting.pk]),
            {"minutes": "ข้อความของฉันที่พิมพ์ไว้", "version": "1"},
        )
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "ข้อความของฉันที่พิมพ์ไว้", status_code=409)
        self.assertContains(response, "บันทึกแรก", status_code=409)
        response = self.client.post(
            reverse("communities:minutes", args=["open-cop", meeting.pk]),
            {"minutes": "รวมกันแล้ว", "version": response.context["form"].data["version"]},
        )
        self.assertRedirects(response, meeting.get_absolute_url())
        self.assertEqual(Meeting.objects.get(pk=meeting.pk).minutes, "รวมกันแล้ว")

    def test_members_read_the_minutes_and_outsiders_of_a_closed_community_do_not(self) -> None:
        meeting = schedule(self.alice, self.closed, days=-1)
        actions.do_write_minutes(self.alice, meeting, "สรุปการประชุมลับ", {}, meeting.version)
        self.client.force_login(self.carol)
        self.assertEqual(self.client.get(meeting.get_absolute_url()).status_code, 404)
        self.assertEqual(self.client.get(reverse("communities:meetings", args=["closed-cop"])).status_code, 403)
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(meeting.get_absolute_url()), "สรุปการประชุมลับ")
        self.client.logout()
        self.assertEqual(self.client.get(meeting.get_absolute_url()).status_code, 302)  # to sign in

    def test_scripts_in_minutes_are_shown_harmless(self) -> None:
        meeting = schedule(self.alice, self.public, days=-1)
        actions.do_write_minutes(self.alice, meeting, "<script>alert(1)</script>\n\n**สรุป**", {}, meeting.version)
        self.client.force_login(self.bob)
        response = self.client.get(meeting.get_absolute_url())
        self.assertNotContains(response, "<script>alert(1)")
        self.assertContains(response, "<strong>สรุป</strong>", html=True)


class CaptureTests(CoPTestCase):
    def test_knowledge_captured_from_a_meeting_links_back_and_is_shared_into_the_community(self) -> None:
        meeting = schedule(self.alice, self.public, "วงถอดบทเรียน", days=-1, presenter=self.bob)
        actions.do_write_minutes(self.alice, meeting, "", {"aar_expected": "คาดว่าจะได้แนวทาง"}, meeting.version)
        self.client.force_login(self.alice)
        editor = self.client.get(reverse("knowledge:create") + f"?from=meeting:{meeting.pk}")
        self.assertContains(editor, "วงถอดบทเรียน")
        initial = editor.context["form"].initial
        self.assertEqual(initial["kind"], "lesson")
        self.assertEqual(initial["aar_expected"], "คาดว่าจะได้แนวทาง")
        self.assertEqual(set(initial["authors"]), {self.alice.pk, self.bob.pk})
        response = self.client.post(
            reverse("knowledge:create"),
            {
                "kind": "lesson",
                "title": "บทเรียนจากวงถอดบทเรียน",
                "license": "cc-by-4.0",
                "visibility": "network",
                "authors": [self.alice.pk, self.bob.pk],
                "source": f"meeting:{meeting.pk}",
                "aar_expected": "คาดว่าจะได้แนวทาง",
            },
        )
        item = KnowledgeItem.objects.get(title="บทเรียนจากวงถอดบทเรียน")
        self.assertRedirects(response, item.get_absolute_url())
        self.assertTrue(MeetingItem.objects.filter(meeting=meeting, item=item).exists())
        self.assertTrue(SharedItem.objects.filter(community=self.public, item=item).exists())
        page = self.client.get(item.get_absolute_url())
        self.assertContains(page, "วงถอดบทเรียน")
        self.assertContains(page, meeting.get_absolute_url())
        self.assertContains(self.client.get(meeting.get_absolute_url()), "บทเรียนจากวงถอดบทเรียน")

    def test_a_closed_communitys_meeting_starts_a_private_draft_and_outsiders_cannot_capture(self) -> None:
        meeting = schedule(self.alice, self.closed, days=-1)
        self.client.force_login(self.alice)
        editor = self.client.get(reverse("knowledge:create") + f"?from=meeting:{meeting.pk}")
        self.assertEqual(editor.context["form"].initial["visibility"], "private")
        self.client.force_login(self.carol)
        editor = self.client.get(reverse("knowledge:create") + f"?from=meeting:{meeting.pk}", follow=True)
        self.assertIsNone(editor.context["capture"])
        self.assertNotContains(editor, meeting.title)

    def test_an_item_page_names_the_meeting_only_to_readers_of_its_community(self) -> None:
        meeting = schedule(self.alice, self.secret, "ประชุมวงลับเฉพาะ", days=-1)
        capture = actions.can_capture(meeting, self.alice)
        self.assertTrue(capture)
        from platoo.knowledge.actions import ItemData, do_create_item
        from platoo.knowledge.provenance import open_capture

        item = do_create_item(
            self.alice,
            ItemData(title="เรื่องสาธารณะจากวงลับ", visibility="public"),
            capture=open_capture(self.alice, f"meeting:{meeting.pk}"),
        )
        self.client.force_login(self.carol)
        page = self.client.get(item.get_absolute_url())
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "ประชุมวงลับเฉพาะ")
        self.assertNotContains(page, "secret-cop")
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(item.get_absolute_url()), "ประชุมวงลับเฉพาะ")
