from datetime import timedelta
from io import StringIO
from unittest import mock

from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from platoo.activity import delivery
from platoo.activity.actions import do_mark_read, do_set_preferences, notify, preferences_for
from platoo.activity.delivery import send_digest, send_digests, send_immediate, unsubscribe_token
from platoo.activity.models import DeliveryPreference, EmailMode, Notification, NotificationKind

from .base import ActivityTestCase


def html_of(message: mail.EmailMessage) -> str:
    alternatives = getattr(message, "alternatives", [])
    assert len(alternatives) == 1 and alternatives[0][1] == "text/html"
    return str(alternatives[0][0])


class ImmediateEmailTests(ActivityTestCase):
    def test_it_sends_one_email_with_both_unsubscribe_headers_once_the_transaction_commits(self) -> None:
        with self.captureOnCommitCallbacks() as callbacks:
            notify([self.bob], NotificationKind.REPLY, actor=self.alice, title="การส่งเวรเวรดึก", url="/communities/x/")
            self.assertEqual(len(mail.outbox), 0)  # nothing leaves before the commit
        for callback in callbacks:
            callback()
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["bob@example.org"])
        self.assertEqual(message.subject, "อลิซ ใจดี ตอบในกระทู้ “การส่งเวรเวรดึก”")
        link = f"{settings.SITE_URL}/notifications/unsubscribe/{unsubscribe_token(self.bob)}/"
        headers = message.message()
        self.assertEqual(headers["List-Unsubscribe"], f"<{link}>")
        self.assertEqual(headers["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
        notification = Notification.objects.get(recipient=self.bob)
        opened = f"{settings.SITE_URL}/notifications/{notification.pk}/open/"
        self.assertIn(opened, message.body)
        self.assertIn(link, message.body)
        self.assertIn(f'href="{opened}"', html_of(message))
        self.assertIn("ตอบในกระทู้", html_of(message))
        self.assertIsNotNone(notification.emailed_at)

    def test_a_task_run_twice_sends_nothing_twice(self) -> None:
        notification = self.notify_one(self.bob)
        self.assertEqual(send_immediate([notification.pk]), 0)
        self.assertEqual(len(mail.outbox), 1)

    def test_it_writes_in_the_language_the_person_chose(self) -> None:
        do_set_preferences(self.bob, email_mode=EmailMode.IMMEDIATE, language="en")
        self.notify_one(self.bob, NotificationKind.INVITATION, title="Night shift handover")
        message = mail.outbox[0]
        self.assertEqual(message.subject, "Alice invited you to join the community “Night shift handover”")
        self.assertIn("Stop these emails", message.body)

    def test_it_escapes_titles_in_the_html_part(self) -> None:
        self.notify_one(self.bob, title="<script>alert(1)</script>")
        html = html_of(mail.outbox[0])
        self.assertNotIn("<script>", html)
        self.assertIn("&lt;script&gt;", html)
        self.assertIn("“<script>alert(1)</script>”", mail.outbox[0].subject)  # plain text stays plain

    def test_people_in_digest_or_off_mode_get_no_immediate_email(self) -> None:
        do_set_preferences(self.bob, email_mode=EmailMode.DAILY, language="th")
        do_set_preferences(self.carol, email_mode=EmailMode.OFF, language="th")
        with self.captureOnCommitCallbacks(execute=True):
            rows = notify(
                [self.bob, self.carol, self.dave], NotificationKind.MEETING, actor=self.alice, title="ประชุม", url="/"
            )
        self.assertEqual([m.to for m in mail.outbox], [["dave@example.org"]])
        self.assertEqual(
            [
                n.emailed_at is None
                for n in Notification.objects.filter(pk__in=[r.pk for r in rows]).order_by("recipient__username")
            ],
            [True, True, False],
        )

    def test_a_failed_send_hands_the_claim_back_and_the_others_still_go(self) -> None:
        with (
            mock.patch.object(
                delivery,
                "notification_email",
                side_effect=[OSError("smtp down"), mock.DEFAULT],
                wraps=delivery.notification_email,
            ),
            self.assertLogs("platoo.activity.delivery", "ERROR"),
            self.captureOnCommitCallbacks(execute=True),
        ):
            notify([self.bob, self.carol], NotificationKind.MENTION, actor=self.alice, title="ก", url="/")
        sent = Notification.objects.filter(emailed_at__isnull=False)
        self.assertEqual(sent.count(), 1)
        self.assertEqual(len(mail.outbox), 1)

    def test_the_actor_and_inactive_people_are_not_notified(self) -> None:
        self.dave.is_active = False
        self.dave.save(update_fields=["is_active"])
        with self.captureOnCommitCallbacks(execute=True):
            rows = notify(
                [self.alice, self.dave, self.bob, self.bob],
                NotificationKind.REPLY,
                actor=self.alice,
                title="ก",
                url="/",
            )
        self.assertEqual([n.recipient for n in rows], [self.bob])
        self.assertEqual(len(mail.outbox), 1)


class DigestTests(ActivityTestCase):
    def setUp(self) -> None:
        do_set_preferences(self.bob, email_mode=EmailMode.DAILY, language="th")

    def test_it_sends_one_email_grouped_by_kind_and_marks_everything_in_it(self) -> None:
        self.notify_one(self.bob, NotificationKind.REPLY, "กระทู้หนึ่ง")
        self.notify_one(self.bob, NotificationKind.MENTION, "กระทู้สอง", actor=self.carol)
        self.notify_one(self.bob, NotificationKind.REPLY, "กระทู้สาม")
        self.assertEqual(len(mail.outbox), 0)
        self.assertEqual(send_digests(EmailMode.DAILY), 1)
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["bob@example.org"])
        self.assertEqual(message.subject, "สรุปวันนี้จาก Platoo: การแจ้งเตือนใหม่ 3 รายการ")
        body = message.body
        # mentions come before replies, and the newest reply first
        self.assertLess(body.index("การกล่าวถึง"), body.index("การตอบกลับ"))
        self.assertLess(body.index("กระทู้สอง"), body.index("กระทู้สาม"))
        self.assertLess(body.index("กระทู้สาม"), body.index("กระทู้หนึ่ง"))
        self.assertIn("Carol กล่าวถึงคุณใน “กระทู้สอง”", body)
        self.assertIn("การกล่าวถึง", html_of(message))
        self.assertEqual(message.message()["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
        self.assertFalse(Notification.objects.filter(recipient=self.bob, emailed_at__isnull=True).exists())

    def test_running_it_twice_sends_nothing_twice_and_the_next_run_sends_only_whats_new(self) -> None:
        self.notify_one(self.bob)
        out = StringIO()
        call_command("send_digests", "--period", "daily", stdout=out)
        call_command("send_digests", "--period", "daily", stdout=out)
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn("daily digests sent: 1", out.getvalue())
        self.assertIn("daily digests sent: 0", out.getvalue())
        self.notify_one(self.bob, NotificationKind.MEETING, "ประชุมเดือนหน้า")
        send_digests(EmailMode.DAILY)
        self.assertEqual(len(mail.outbox), 2)
        self.assertEqual(mail.outbox[1].subject, "อลิซ ใจดี นัดประชุมใหม่ “ประชุมเดือนหน้า”")  # one thing: said plainly

    def test_a_run_that_read_the_person_before_another_run_took_them_sends_nothing(self) -> None:
        self.notify_one(self.bob)
        stale = DeliveryPreference.objects.select_related("user").get(pk=self.bob.pk)
        self.assertEqual(send_digests(EmailMode.DAILY), 1)
        self.notify_one(self.bob)  # even with something new, the stale run lost the claim
        self.assertFalse(send_digest(stale))
        self.assertEqual(len(mail.outbox), 1)

    def test_it_leaves_out_what_was_read_and_people_of_the_other_period(self) -> None:
        do_set_preferences(self.carol, email_mode=EmailMode.WEEKLY, language="th")
        read = self.notify_one(self.bob, title="อ่านแล้ว")
        do_mark_read(self.bob, read)
        self.notify_one(self.carol)
        self.assertEqual(send_digests(EmailMode.DAILY), 0)
        self.assertEqual(send_digests(EmailMode.WEEKLY), 1)
        self.assertEqual(mail.outbox[0].to, ["carol@example.org"])
        self.assertIn("การแจ้งเตือนสัปดาห์นี้", mail.outbox[0].body)

    def test_switching_digests_on_does_not_send_the_backlog_from_when_email_was_off(self) -> None:
        do_set_preferences(self.carol, email_mode=EmailMode.OFF, language="th")
        self.notify_one(self.carol, title="เก่า")
        later = timezone.now() + timedelta(seconds=1)
        with mock.patch("django.utils.timezone.now", return_value=later):
            do_set_preferences(self.carol, email_mode=EmailMode.DAILY, language="th")
            self.notify_one(self.carol, title="ใหม่")
        send_digests(EmailMode.DAILY, now=later + timedelta(hours=1))
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn("ใหม่", mail.outbox[0].body)
        self.assertNotIn("เก่า", mail.outbox[0].body)

    def test_a_failed_digest_is_sent_by_the_next_run(self) -> None:
        self.notify_one(self.bob)
        failing = mock.patch.object(mail.EmailMultiAlternatives, "send", side_effect=OSError("smtp down"))
        with failing, self.assertLogs("platoo.activity.delivery", "ERROR"):
            self.assertEqual(send_digests(EmailMode.DAILY), 0)
        self.assertTrue(Notification.objects.filter(recipient=self.bob, emailed_at__isnull=True).exists())
        self.assertIsNone(DeliveryPreference.objects.get(pk=self.bob.pk).last_digest_at)
        self.assertEqual(send_digests(EmailMode.DAILY), 1)

    def test_a_long_digest_lists_fifty_and_links_to_the_rest(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            for n in range(delivery.MAX_DIGEST_LINES + 3):
                notify([self.bob], NotificationKind.REPLY, actor=self.alice, title=f"กระทู้ {n}", url="/")
        send_digests(EmailMode.DAILY)
        body = mail.outbox[0].body
        self.assertIn("และอีก 3 รายการ", body)
        self.assertEqual(body.count("/open/"), delivery.MAX_DIGEST_LINES)
        self.assertFalse(Notification.objects.filter(recipient=self.bob, emailed_at__isnull=True).exists())


class OffTests(ActivityTestCase):
    def test_off_sends_nothing_ever_but_notifications_still_appear(self) -> None:
        do_set_preferences(self.bob, email_mode=EmailMode.OFF, language="th")
        notification = self.notify_one(self.bob)
        send_digests(EmailMode.DAILY)
        send_digests(EmailMode.WEEKLY)
        self.assertEqual(len(mail.outbox), 0)
        self.client.force_login(self.bob)
        response = self.client.get("/notifications/")
        self.assertContains(response, "การส่งเวรเวรดึก")
        self.assertIsNone(Notification.objects.get(pk=notification.pk).emailed_at)


class PreferenceTests(ActivityTestCase):
    def test_a_row_is_made_on_first_use_with_immediate_thai_email(self) -> None:
        self.assertFalse(DeliveryPreference.objects.filter(pk=self.bob.pk).exists())
        preference = preferences_for(self.bob)
        self.assertEqual((preference.email_mode, preference.language), (EmailMode.IMMEDIATE, "th"))
        self.assertEqual(preferences_for(self.bob).pk, preference.pk)

    def test_it_refuses_unknown_choices(self) -> None:
        from django.core.exceptions import ValidationError

        with self.assertRaises(ValidationError):
            do_set_preferences(self.bob, email_mode="hourly", language="th")
        with self.assertRaises(ValidationError):
            do_set_preferences(self.bob, email_mode=EmailMode.DAILY, language="fr")
