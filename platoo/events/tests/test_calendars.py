"""Calendar feeds (RFC 5545), one event's .ics, the calendar addresses, and the invitations emailed with .ics."""

from datetime import UTC, datetime, timedelta
from email.message import Message
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from platoo.accounts.models import User
from platoo.activity.actions import do_set_preferences
from platoo.activity.models import EmailMode, Notification
from platoo.communities.actions import do_answer_invitation, do_cancel_meeting, do_invite, do_join
from platoo.communities.models import CommunityVisibility
from platoo.communities.tests.base import make_community, schedule
from platoo.events import actions, calendars
from platoo.events.models import Event

from .base import EventTestCase, make_event

BANGKOK = ZoneInfo("Asia/Bangkok")
REQUIRED = (
    "UID",
    "DTSTAMP",
    "DTSTART",
    "DTEND",
    "SUMMARY",
    "DESCRIPTION",
    "URL",
    "STATUS",
    "SEQUENCE",
    "LAST-MODIFIED",
)


def feed_url(person: User | None, name: str, key: str = "") -> str:
    return calendars.feed_path(name, calendars.feed_secret(person) if person else "", key)


def summaries(response: object) -> list[str]:
    calendar = Calendar.from_ical(response.content)  # type: ignore[attr-defined]
    return [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]


def in_bangkok(days_ahead: int, hour: int) -> datetime:
    day = (timezone.now() + timedelta(days=days_ahead)).astimezone(BANGKOK).date()
    return datetime(day.year, day.month, day.day, hour, tzinfo=BANGKOK)


class FeedTests(EventTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.visit = make_event(
            cls.alice,
            "เยี่ยมชมงานส่งเวร",
            place="ห้องประชุม 2",
            online_url="https://meet.example.org/a",
            description="**สำคัญ** มาก",
        )
        actions.do_register(cls.bob, cls.visit)

    def test_a_feed_parses_and_every_event_carries_the_required_properties(self) -> None:
        response = self.client.get(feed_url(self.bob, "person"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        calendar = Calendar.from_ical(response.content)
        self.assertEqual(str(calendar["VERSION"]), "2.0")
        self.assertIn("PRODID", calendar)
        self.assertEqual(str(calendar["X-WR-CALNAME"]), "Platoo: กิจกรรมและการประชุมของ Bob")
        self.assertEqual(calendar["REFRESH-INTERVAL"].dt, timedelta(hours=1))
        self.assertIn("X-PUBLISHED-TTL:PT1H", response.content.decode())
        self.assertEqual([str(z["TZID"]) for z in calendar.walk("VTIMEZONE")], ["Asia/Bangkok"])
        (vevent,) = calendar.walk("VEVENT")
        for name in REQUIRED:
            self.assertIn(name, vevent, name)
        link = f"{settings.SITE_URL}/events/{self.visit.pk}/"
        self.assertEqual(str(vevent["UID"]), f"event-{self.visit.pk}@127.0.0.1")
        self.assertEqual(str(vevent["URL"]), link)
        self.assertEqual(str(vevent["LOCATION"]), "ห้องประชุม 2")
        self.assertEqual(
            str(vevent["DESCRIPTION"]), f"สำคัญ มาก\n\nออนไลน์: https://meet.example.org/a\n\nรายละเอียด: {link}"
        )
        self.assertEqual(str(vevent["STATUS"]), "CONFIRMED")
        self.assertEqual(vevent["SEQUENCE"], 1)
        self.assertEqual(vevent.decoded("DTSTART"), self.visit.starts_at.replace(microsecond=0))
        self.assertEqual(vevent.decoded("DTSTART").utcoffset(), timedelta(0))

    def test_a_persons_calendar_holds_what_they_organize_or_have_a_place_at(self) -> None:
        self.assertEqual(summaries(self.client.get(feed_url(self.alice, "person"))), [self.visit.title])
        full = make_event(self.alice, "ที่นั่งเต็ม", capacity=1)
        actions.do_register(self.carol, full)
        actions.do_register(self.bob, full)  # on the waitlist: not going, so not in his calendar
        self.assertEqual(summaries(self.client.get(feed_url(self.bob, "person"))), [self.visit.title])
        self.assertEqual(summaries(self.client.get(feed_url(self.carol, "person"))), [full.title])

    def test_an_event_at_six_in_the_morning_in_bangkok_is_eleven_at_night_utc_the_day_before(self) -> None:
        starts = in_bangkok(30, 6)
        data = actions.EventData(
            title="ตักบาตรเช้า", kind="workshop", starts_at=starts, ends_at=starts + timedelta(hours=2)
        )
        event = actions.do_publish_event(self.alice, actions.do_create_event(self.alice, data))
        body = self.client.get(feed_url(self.bob, "network")).content.decode()
        day_before = (starts - timedelta(days=1)).strftime("%Y%m%d")
        self.assertIn(f"DTSTART:{day_before}T230000Z", body)
        self.assertIn(f"DTEND:{starts.strftime('%Y%m%d')}T010000Z", body)
        self.assertIn(f"UID:event-{event.pk}@", body)

    def test_a_cancelled_event_stays_in_the_feed_marked_cancelled_with_a_higher_sequence(self) -> None:
        actions.do_cancel_event(self.alice, self.visit)
        calendar = Calendar.from_ical(self.client.get(feed_url(self.bob, "person")).content)
        (vevent,) = calendar.walk("VEVENT")
        self.assertEqual(str(vevent["STATUS"]), "CANCELLED")
        self.assertEqual(vevent["SEQUENCE"], 2)
        self.assertEqual(str(vevent["SUMMARY"]), "ยกเลิก: เยี่ยมชมงานส่งเวร")

    def test_a_new_time_raises_the_sequence_and_the_last_modified(self) -> None:
        before = Event.objects.get(pk=self.visit.pk).updated_at
        data = actions.EventData(
            title=self.visit.title,
            kind=self.visit.kind,
            starts_at=self.visit.starts_at + timedelta(hours=1),
            ends_at=self.visit.ends_at + timedelta(hours=1),
        )
        actions.do_update_event(self.alice, self.visit, data, self.visit.version)
        (vevent,) = Calendar.from_ical(self.client.get(feed_url(self.bob, "person")).content).walk("VEVENT")
        self.assertEqual(vevent["SEQUENCE"], 2)
        self.assertGreater(vevent.decoded("LAST-MODIFIED"), before.replace(microsecond=0) - timedelta(seconds=1))
        self.assertEqual(vevent.decoded("DTSTAMP"), vevent.decoded("LAST-MODIFIED"))

    def test_drafts_are_in_no_calendar_not_even_their_organizers(self) -> None:
        draft = make_event(self.alice, "ร่างที่ยังไม่ประกาศ", publish=False, host_id=self.alpha.pk)
        for url in (
            feed_url(self.alice, "person"),
            feed_url(self.alice, "network"),
            feed_url(self.alice, "organization", "alpha"),
            feed_url(self.manager, "network"),
            feed_url(self.admin, "network"),
            feed_url(None, "network"),
        ):
            with self.subTest(url=url):
                self.assertNotIn(draft.title, summaries(self.client.get(url)))
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(reverse("events:event_ics", args=[draft.pk])).status_code, 404)

    def test_an_organizations_internal_event_reaches_its_own_people_only(self) -> None:
        inside = make_event(self.alice, "ประชุมภายในอัลฟา", visibility="organization", host_id=self.alpha.pk)
        self.assertIn(inside.title, summaries(self.client.get(feed_url(self.bob, "network"))))
        self.assertIn(inside.title, summaries(self.client.get(feed_url(self.bob, "organization", "alpha"))))
        for url in (
            feed_url(self.carol, "network"),
            feed_url(self.carol, "organization", "alpha"),
            feed_url(self.dave, "network"),
            feed_url(None, "network"),
            feed_url(None, "organization", "alpha"),
        ):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertNotIn(inside.title, summaries(response))

    def test_the_public_feed_holds_public_events_only_and_needs_no_key(self) -> None:
        open_day = make_event(self.alice, "วันเปิดบ้าน", visibility="public")
        response = Client().get(reverse("events:calendar_public_network"))
        self.assertEqual(summaries(response), [open_day.title])
        self.assertEqual(str(Calendar.from_ical(response.content)["X-WR-CALNAME"]), "Platoo: กิจกรรมที่เปิดให้ทุกคน")
        self.assertTrue(response["Cache-Control"].startswith("public"))

    def test_an_unchanged_feed_answers_not_modified_and_a_change_gives_a_new_etag(self) -> None:
        url = feed_url(self.bob, "person")
        first = self.client.get(url)
        etag = first["ETag"]
        again = self.client.get(url, headers={"if-none-match": etag})
        self.assertEqual(again.status_code, 304)
        self.assertEqual(again.content, b"")
        self.assertEqual(again["ETag"], etag)
        actions.do_cancel_registration(self.bob, self.visit)
        changed = self.client.get(url, headers={"if-none-match": etag})
        self.assertEqual(changed.status_code, 200)
        self.assertNotEqual(changed["ETag"], etag)
        self.assertEqual(summaries(changed), [])

    def test_a_changed_or_made_up_key_answers_not_found(self) -> None:
        secret = calendars.feed_secret(self.bob)
        forged = secret[:32] + ("0" if secret[-1] != "0" else "1") * 32
        self.assertEqual(self.client.get(calendars.feed_path("person", forged)).status_code, 404)
        self.assertEqual(self.client.get(calendars.feed_path("person", "a" * 64)).status_code, 404)
        self.assertEqual(self.client.get(f"/events/calendar/{secret[:-1]}/me.ics").status_code, 404)

    def test_resetting_the_addresses_stops_the_old_ones(self) -> None:
        old = feed_url(self.bob, "person")
        self.assertEqual(self.client.get(old).status_code, 200)
        self.client.force_login(self.bob)
        response = self.client.post(reverse("events:calendar_reset"), follow=True)
        self.assertContains(response, "ที่อยู่ปฏิทินของคุณเปลี่ยนแล้ว")
        self.assertEqual(self.client.get(old).status_code, 404)
        new = feed_url(self.bob, "person")
        self.assertNotEqual(new, old)
        self.assertEqual(self.client.get(new).status_code, 200)
        self.assertContains(response, calendars.absolute(new))

    def test_a_deactivated_persons_feeds_stop(self) -> None:
        url = feed_url(self.bob, "person")
        User.objects.filter(pk=self.bob.pk).update(is_active=False)
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_one_event_downloads_as_an_ics_file(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.get(reverse("events:event_ics", args=[self.visit.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Disposition"], f'attachment; filename="event-{self.visit.pk}.ics"')
        (vevent,) = Calendar.from_ical(response.content).walk("VEVENT")
        self.assertEqual(str(vevent["SUMMARY"]), self.visit.title)
        inside = make_event(self.alice, "ภายใน", visibility="organization", host_id=self.alpha.pk)
        self.assertEqual(self.client.get(reverse("events:event_ics", args=[inside.pk])).status_code, 404)

    def test_the_feeds_cost_a_fixed_number_of_queries(self) -> None:
        community = make_community(self.alice, "handover")
        do_join(self.bob, community)
        for number in range(5):
            actions.do_register(
                self.bob, make_event(self.alice, f"กิจกรรม {number}", community_id=community.pk, host_id=self.alpha.pk)
            )
            schedule(self.alice, community, f"ประชุม {number}", days=number + 2)
        cases = [
            (feed_url(self.bob, "person"), 3, 11),  # the key's owner, the events, the meetings
            (feed_url(self.bob, "network"), 2, 6),
            (feed_url(self.bob, "organization", "alpha"), 5, 5),  # the organizations doorway asks for permissions
            (feed_url(self.bob, "community", "handover"), 4, 10),
            (feed_url(None, "network"), 1, 0),
        ]
        for url, queries, count in cases:
            with self.subTest(url=url), self.assertNumQueries(queries):
                response = self.client.get(url)
            self.assertEqual(len(summaries(response)), count)


class CommunityFeedTests(EventTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.secret = make_community(cls.alice, "quiet-cop", CommunityVisibility.SECRET, name="วงเงียบ")
        do_invite(cls.alice, cls.secret, "bob")
        do_answer_invitation(cls.bob, cls.secret, accept=True)
        cls.hidden = schedule(cls.alice, cls.secret, "ประชุมวงเงียบ", days=3)
        cls.public = make_community(cls.alice, "open-cop")
        do_join(cls.carol, cls.public)
        cls.open_meeting = schedule(cls.alice, cls.public, "ประชุมวงเปิด", days=4)

    def test_a_secret_communitys_meetings_reach_its_members_only(self) -> None:
        self.assertIn("ประชุมวงเงียบ", summaries(self.client.get(feed_url(self.bob, "person"))))
        self.assertIn("ประชุมวงเงียบ", summaries(self.client.get(feed_url(self.bob, "community", "quiet-cop"))))
        for person in (self.carol, self.dave, self.manager):
            with self.subTest(person=person.username):
                self.assertEqual(self.client.get(feed_url(person, "community", "quiet-cop")).status_code, 404)
                self.assertNotIn("ประชุมวงเงียบ", summaries(self.client.get(feed_url(person, "person"))))
                self.assertNotIn("ประชุมวงเงียบ", summaries(self.client.get(feed_url(person, "network"))))
        self.assertEqual(self.client.get(feed_url(None, "community", "quiet-cop")).status_code, 404)

    def test_a_public_communitys_meetings_are_for_signed_in_readers_and_its_members_calendars(self) -> None:
        self.assertEqual(summaries(self.client.get(feed_url(self.dave, "community", "open-cop"))), ["ประชุมวงเปิด"])
        self.assertEqual(summaries(self.client.get(feed_url(None, "community", "open-cop"))), [])
        self.assertIn("ประชุมวงเปิด", summaries(self.client.get(feed_url(self.carol, "person"))))
        self.assertNotIn("ประชุมวงเปิด", summaries(self.client.get(feed_url(self.dave, "person"))))

    def test_a_cancelled_meeting_is_marked_cancelled(self) -> None:
        do_cancel_meeting(self.alice, self.open_meeting)
        calendar = Calendar.from_ical(self.client.get(feed_url(self.carol, "community", "open-cop")).content)
        (vevent,) = calendar.walk("VEVENT")
        self.assertEqual(str(vevent["STATUS"]), "CANCELLED")
        self.assertEqual(str(vevent["UID"]), f"meeting-{self.open_meeting.pk}@127.0.0.1")
        for name in REQUIRED:
            self.assertIn(name, vevent, name)
        self.assertIn("การประชุมของชุมชน “ชุมชน open-cop”", str(vevent["DESCRIPTION"]))

    def test_an_event_linked_to_a_community_is_in_its_calendar(self) -> None:
        event = make_event(self.alice, "เวิร์กช็อปของวง", community_id=self.public.pk)
        self.assertIn(event.title, summaries(self.client.get(feed_url(self.dave, "community", "open-cop"))))


class CalendarPagesTests(EventTestCase):
    def test_the_calendars_page_lists_the_persons_addresses(self) -> None:
        community = make_community(self.alice, "handover", name="วงส่งเวร")
        do_join(self.bob, community)
        self.client.force_login(self.bob)
        response = self.client.get(reverse("events:calendars"))
        secret = calendars.feed_secret(self.bob)
        for path in (
            calendars.feed_path("person", secret),
            calendars.feed_path("network", secret),
            calendars.feed_path("organization", secret, "alpha"),
            calendars.feed_path("community", secret, "handover"),
            calendars.feed_path("network"),
        ):
            self.assertContains(response, calendars.absolute(path))
            self.assertContains(response, calendars.webcal(calendars.absolute(path)))
        self.assertContains(response, "วงส่งเวร")
        self.assertContains(response, "ปฏิทิน")

    def test_the_page_asks_for_sign_in(self) -> None:
        response = self.client.get(reverse("events:calendars"))
        self.assertEqual(response.status_code, 302)

    def render_links(self, user: User | AnonymousUser, **context: object) -> str:
        request = RequestFactory().get("/")
        request.user = user
        template = Template('{% include "events/_calendar_links.html" %}')
        return template.render(Context({"request": request, "user": user, **context}))

    def test_the_include_gives_the_viewers_own_address_or_the_public_one(self) -> None:
        community = make_community(self.alice, "handover")
        event = make_event(self.alice)
        html = self.render_links(self.bob, calendar_community=community)
        self.assertIn(
            calendars.webcal(
                calendars.absolute(calendars.feed_path("community", calendars.feed_secret(self.bob), "handover"))
            ),
            html,
        )
        html = self.render_links(AnonymousUser(), calendar_community=community)
        self.assertIn(calendars.absolute(reverse("events:calendar_public_community", args=["handover"])), html)
        self.assertIn(reverse("events:event_ics", args=[event.pk]), self.render_links(self.bob, calendar_event=event))
        self.assertNotIn("webcal", self.render_links(self.carol, calendar_person=self.bob))
        self.assertIn("/me.ics", self.render_links(self.bob, calendar_person=self.bob))
        draft = make_event(self.alice, publish=False)
        self.assertEqual(self.render_links(self.alice, calendar_event=draft).strip(), "")


def ics_parts(message: mail.EmailMessage) -> list[Message]:
    return [p for p in message.message().walk() if p.get_content_type() == "text/calendar"]


def invitation_of(message: mail.EmailMessage) -> Calendar:
    (part,) = ics_parts(message)
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return Calendar.from_ical(payload)


class InvitationTests(EventTestCase):
    def register(self, person: User, event: Event) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            actions.do_register(person, event)

    def test_registering_emails_a_valid_ics_invitation(self) -> None:
        event = make_event(self.alice, "เยี่ยมชมงานส่งเวร", place="ห้อง 2")
        self.register(self.bob, event)
        (message,) = mail.outbox
        self.assertEqual(message.to, ["bob@example.org"])
        self.assertEqual(message.subject, "ลงทะเบียนแล้ว: “เยี่ยมชมงานส่งเวร”")
        self.assertIn("ห้อง 2", message.body)
        self.assertIn(f"{settings.SITE_URL}/events/{event.pk}/", message.body)
        self.assertNotIn("List-Unsubscribe", message.message())
        (part,) = ics_parts(message)
        self.assertEqual(part.get_param("method"), "REQUEST")
        self.assertIn("attachment", part["Content-Disposition"])
        calendar = invitation_of(message)
        self.assertEqual(str(calendar["METHOD"]), "REQUEST")
        for feed_only in ("X-WR-CALNAME", "REFRESH-INTERVAL", "X-PUBLISHED-TTL"):
            self.assertNotIn(feed_only, calendar)
        (vevent,) = calendar.walk("VEVENT")
        for name in (*REQUIRED, "ORGANIZER", "ATTENDEE"):
            self.assertIn(name, vevent, name)
        self.assertEqual(str(vevent["UID"]), f"event-{event.pk}@127.0.0.1")  # the same as in the feeds
        self.assertEqual(str(vevent["ATTENDEE"]), "mailto:bob@example.org")
        self.assertEqual(vevent.decoded("DTSTART"), event.starts_at.replace(microsecond=0).astimezone(UTC))

    def test_registering_twice_emails_once(self) -> None:
        event = make_event(self.alice)
        self.register(self.bob, event)
        self.register(self.bob, event)
        self.assertEqual(len(mail.outbox), 1)

    def test_it_writes_in_the_persons_language_and_even_with_email_off(self) -> None:
        do_set_preferences(self.bob, email_mode=EmailMode.OFF, language="en")
        self.register(self.bob, make_event(self.alice, "Handover visit"))
        (message,) = mail.outbox
        self.assertEqual(message.subject, "You are registered: “Handover visit”")
        self.assertIn("whatever your notification settings say", message.body)

    def test_the_waitlist_gets_a_confirmation_without_a_calendar_file_until_a_place_opens(self) -> None:
        event = make_event(self.alice, "ที่นั่งจำกัด", capacity=1)
        self.register(self.bob, event)
        self.register(self.carol, event)
        self.assertEqual(mail.outbox[1].subject, "อยู่ในรายชื่อรอ: “ที่นั่งจำกัด”")
        self.assertEqual(ics_parts(mail.outbox[1]), [])
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            actions.do_cancel_registration(self.bob, event)
        by_person = {m.to[0]: m for m in mail.outbox}
        self.assertEqual(sorted(by_person), ["bob@example.org", "carol@example.org"])  # nobody twice
        self.assertEqual(str(invitation_of(by_person["bob@example.org"])["METHOD"]), "CANCEL")
        self.assertEqual(by_person["carol@example.org"].subject, "ได้ที่นั่งแล้ว: “ที่นั่งจำกัด”")
        self.assertEqual(str(invitation_of(by_person["carol@example.org"])["METHOD"]), "REQUEST")
        self.assertIsNotNone(Notification.objects.get(recipient=self.carol, kind="waitlist_promoted").emailed_at)

    def test_a_new_time_sends_the_update_once_with_a_higher_sequence(self) -> None:
        event = make_event(self.alice)
        self.register(self.bob, event)
        mail.outbox.clear()
        data = actions.EventData(
            title=event.title,
            kind=event.kind,
            starts_at=event.starts_at + timedelta(days=1),
            ends_at=event.ends_at + timedelta(days=1),
        )
        with self.captureOnCommitCallbacks(execute=True):
            actions.do_update_event(self.alice, event, data, event.version)
        (message,) = mail.outbox  # the update, and not the notification's plain email as well
        (vevent,) = invitation_of(message).walk("VEVENT")
        self.assertEqual(vevent["SEQUENCE"], 2)
        self.assertEqual(vevent.decoded("DTSTART"), data.starts_at.replace(microsecond=0).astimezone(UTC))
        self.assertTrue(Notification.objects.filter(recipient=self.bob, kind="event_changed").exists())

    def test_cancelling_the_event_sends_a_cancel_to_those_with_a_place(self) -> None:
        event = make_event(self.alice, "งานที่ยกเลิก", capacity=1)
        self.register(self.bob, event)
        self.register(self.carol, event)  # waitlisted: no calendar entry to take out
        do_set_preferences(self.carol, email_mode=EmailMode.DAILY, language="th")
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            actions.do_cancel_event(self.alice, event)
        (message,) = mail.outbox
        self.assertEqual(message.to, ["bob@example.org"])
        self.assertEqual(message.subject, "ยกเลิกแล้ว: “งานที่ยกเลิก”")
        calendar = invitation_of(message)
        self.assertEqual(str(calendar["METHOD"]), "CANCEL")
        (vevent,) = calendar.walk("VEVENT")
        self.assertEqual((str(vevent["STATUS"]), vevent["SEQUENCE"]), ("CANCELLED", 2))
        # carol hears it in her digest
        self.assertIsNone(Notification.objects.get(recipient=self.carol, kind="event_changed").emailed_at)

    def test_nothing_is_emailed_before_the_registration_commits(self) -> None:
        event = make_event(self.alice)
        with self.captureOnCommitCallbacks() as callbacks:
            actions.do_register(self.bob, event)
            self.assertEqual(mail.outbox, [])
        for callback in callbacks:
            callback()
        self.assertEqual(len(mail.outbox), 1)
