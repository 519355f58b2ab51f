"""Reminders: the day before an event, and the day after it for a missing after-action review; each once."""

from datetime import datetime, timedelta
from io import StringIO
from unittest import mock

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from platoo.accounts.models import User
from platoo.activity.actions import do_set_preferences
from platoo.activity.models import EmailMode, Notification
from platoo.events import actions, reminders
from platoo.events.models import Event, Registration

from .base import EventTestCase, make_event


class EventReminderTests(EventTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.event = make_event(cls.alice, "เยี่ยมชมงานส่งเวร", days=3, place="ห้องประชุม 2")
        for person in (cls.bob, cls.carol, cls.dave):
            actions.do_register(person, cls.event)

    def run_at(self, when: datetime) -> dict[str, int]:
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            return reminders.send_due_reminders(when)

    def the_day_before(self, event: Event | None = None) -> datetime:
        return (event or self.event).starts_at - timedelta(hours=20)

    def reminded(self) -> list[str]:
        rows = Notification.objects.filter(kind="event_reminder").order_by("recipient__username")
        return [n.recipient.username for n in rows]

    def test_registrants_are_told_in_the_app_and_by_email_the_day_before(self) -> None:
        self.assertEqual(self.run_at(self.event.starts_at - timedelta(days=2)), {"events": 0, "reviews": 0})
        self.assertEqual(self.run_at(self.the_day_before()), {"events": 3, "reviews": 0})
        self.assertEqual(self.reminded(), ["bob", "carol", "dave"])
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox), ["bob@example.org", "carol@example.org", "dave@example.org"]
        )
        message = next(m for m in mail.outbox if m.to == ["bob@example.org"])
        self.assertEqual(message.subject, "เตือน: “เยี่ยมชมงานส่งเวร” ใกล้จะถึงแล้ว")
        self.assertIn("ห้องประชุม 2", message.body)
        self.assertIn(f"/events/{self.event.pk}/", message.body)
        self.assertIn("List-Unsubscribe", message.message())  # a notification: it can be switched off
        self.assertIsNotNone(Registration.objects.get(event=self.event, user=self.bob).reminded_at)

    def test_running_twice_reminds_nobody_twice(self) -> None:
        self.run_at(self.the_day_before())
        self.assertEqual(self.run_at(self.the_day_before() + timedelta(hours=1)), {"events": 0, "reviews": 0})
        self.assertEqual(mail.outbox, [])
        self.assertEqual(len(self.reminded()), 3)
        out = StringIO()
        call_command("send_event_reminders", stdout=out)
        self.assertEqual(out.getvalue().strip(), "event reminders sent: 0, review reminders sent: 0")

    def test_a_registration_another_run_claimed_meanwhile_is_left_to_it(self) -> None:
        second = make_event(self.alice, "วันที่สอง", days=3)
        actions.do_register(self.carol, second)
        theirs = Registration.objects.get(event=second, user=self.carol)
        real_notify = reminders.activity.notify

        def another_run_claims(*args: object, **kwargs: object) -> object:
            # While this run tells the first event's people, another run claims carol's second place.
            Registration.objects.filter(pk=theirs.pk, reminded_at__isnull=True).update(reminded_at=timezone.now())
            return real_notify(*args, **kwargs)  # type: ignore[arg-type]

        with mock.patch.object(reminders.activity, "notify", side_effect=another_run_claims):
            sent = self.run_at(self.the_day_before())
        self.assertEqual(sent["events"], 3)  # the first event's three; carol's second place was taken
        self.assertEqual(Notification.objects.filter(title="วันที่สอง").count(), 0)

    def test_cancelled_registrations_and_cancelled_events_get_none(self) -> None:
        actions.do_cancel_registration(self.carol, self.event)
        self.assertEqual(self.run_at(self.the_day_before())["events"], 2)
        self.assertNotIn("carol", self.reminded())
        other = make_event(self.alice, "งานที่ยกเลิก", days=3)
        actions.do_register(self.bob, other)
        actions.do_cancel_event(self.alice, other)
        Notification.objects.all().delete()
        self.assertEqual(self.run_at(self.the_day_before(other))["events"], 0)
        self.assertEqual(self.reminded(), [])

    def test_the_waitlist_and_late_registrants_get_none(self) -> None:
        small = make_event(self.alice, "ที่นั่งจำกัด", days=3, capacity=1)
        actions.do_register(self.bob, small)
        actions.do_register(self.carol, small)  # waitlisted
        late = make_event(self.alice, "ลงทะเบียนกระชั้นชิด", days=0.5)
        actions.do_register(self.dave, late)  # the confirmation has just reached him
        Notification.objects.all().delete()
        Registration.objects.filter(event=self.event).update(reminded_at=timezone.now())
        self.run_at(self.the_day_before(small))
        self.assertEqual(self.reminded(), ["bob"])
        Notification.objects.all().delete()
        self.assertEqual(self.run_at(timezone.now())["events"], 0)

    def test_email_follows_each_persons_choice(self) -> None:
        do_set_preferences(self.bob, email_mode=EmailMode.DAILY, language="th")
        do_set_preferences(self.carol, email_mode=EmailMode.OFF, language="th")
        do_set_preferences(self.dave, email_mode=EmailMode.IMMEDIATE, language="en")
        self.run_at(self.the_day_before())
        (message,) = mail.outbox
        self.assertEqual(message.to, ["dave@example.org"])
        self.assertEqual(message.subject, "Reminder: “เยี่ยมชมงานส่งเวร” is coming up")
        self.assertIn("Stop these emails", message.body)
        bob = Notification.objects.get(recipient=self.bob, kind="event_reminder")
        self.assertIsNone(bob.emailed_at)  # for his digest
        self.assertTrue(Notification.objects.filter(recipient=self.carol, kind="event_reminder").exists())

    def test_a_deactivated_person_is_not_reminded(self) -> None:
        User.objects.filter(pk=self.dave.pk).update(is_active=False)
        self.assertEqual(self.run_at(self.the_day_before())["events"], 2)


class ReviewReminderTests(EventTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.event = make_event(cls.alice, "วันแบ่งปัน", days=0.05, hours=3)
        for person in (cls.bob, cls.carol, cls.dave):
            actions.do_register(person, cls.event)
        actions.do_check_in(cls.alice, cls.event, cls.bob)
        actions.do_check_in(cls.alice, cls.event, cls.carol)
        actions.do_check_in(cls.alice, cls.event, cls.erin)  # a walk-in
        actions.do_write_review(cls.carol, cls.event, {"happened": "ได้เรียนรู้มาก"})

    def run_at(self, when: datetime) -> dict[str, int]:
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            return reminders.send_due_reminders(when)

    def asked(self) -> list[str]:
        rows = Notification.objects.filter(kind="aar_reminder").order_by("recipient__username")
        return [n.recipient.username for n in rows]

    def test_attendees_without_a_review_are_asked_for_one_the_day_after(self) -> None:
        self.assertEqual(self.run_at(self.event.ends_at + timedelta(hours=12))["reviews"], 0)
        self.assertEqual(self.run_at(self.event.ends_at + timedelta(hours=25))["reviews"], 2)
        self.assertEqual(self.asked(), ["bob", "erin"])  # carol wrote hers; dave did not come
        message = next(m for m in mail.outbox if m.to == ["bob@example.org"])
        self.assertEqual(message.subject, "“วันแบ่งปัน” เป็นอย่างไรบ้าง เขียนการทบทวนหลังการปฏิบัติ (AAR) ของคุณ")
        self.assertIn("คุณคาดหวังว่าจะเกิดอะไรขึ้น", message.body)
        self.assertIsNotNone(Registration.objects.get(event=self.event, user=self.bob).review_reminded_at)

    def test_running_twice_asks_once(self) -> None:
        self.run_at(self.event.ends_at + timedelta(hours=25))
        self.assertEqual(self.run_at(self.event.ends_at + timedelta(hours=26))["reviews"], 0)
        self.assertEqual(mail.outbox, [])
        self.assertEqual(self.asked(), ["bob", "erin"])

    def test_old_events_and_cancelled_ones_are_left_alone(self) -> None:
        self.assertEqual(self.run_at(self.event.ends_at + timedelta(days=9))["reviews"], 0)
        Event.objects.filter(pk=self.event.pk).update(status="cancelled")
        self.assertEqual(self.run_at(self.event.ends_at + timedelta(hours=25))["reviews"], 0)
        self.assertEqual(self.asked(), [])
