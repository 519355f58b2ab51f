"""Importing an .ics file as draft events: time zones, all-day and repeating events, bad files, all or nothing."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from platoo.events import calendar_import
from platoo.events.calendar_import import Candidate, parse
from platoo.events.models import Event

from .base import EventTestCase

BANGKOK = ZoneInfo("Asia/Bangkok")
YEAR = timezone.now().year + 1
TOKYO_VTIMEZONE = """BEGIN:VTIMEZONE
TZID:Tokyo Standard Time (custom)
BEGIN:STANDARD
DTSTART:19700101T000000
TZOFFSETFROM:+0900
TZOFFSETTO:+0900
TZNAME:JST
END:STANDARD
END:VTIMEZONE
"""


def ics(*vevents: str, extra: str = "") -> bytes:
    body = "".join(
        f"BEGIN:VEVENT\nUID:{i}@example.org\nDTSTAMP:20260101T000000Z\n{v.strip()}\nEND:VEVENT\n"
        for i, v in enumerate(vevents)
    )
    text = f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Test//EN\n{extra}{body}END:VCALENDAR\n"
    return text.replace("\n", "\r\n").encode()


def bangkok(candidate: Candidate) -> tuple[str, str]:
    return (
        candidate.starts_at.astimezone(BANGKOK).strftime("%Y-%m-%d %H:%M"),
        candidate.ends_at.astimezone(BANGKOK).strftime("%Y-%m-%d %H:%M"),
    )


class TimeTests(EventTestCase):
    def test_a_tzid_is_read_in_its_own_zone_with_or_without_a_vtimezone(self) -> None:
        found = parse(
            ics(
                f"SUMMARY:New York\nDTSTART;TZID=America/New_York:{YEAR}1201T090000\nDTEND;TZID=America/New_York:{YEAR}1201T100000",
                f"SUMMARY:Tokyo\nDTSTART;TZID=Asia/Tokyo:{YEAR}1201T090000\nDTEND;TZID=Asia/Tokyo:{YEAR}1201T103000",
                f"SUMMARY:Tokyo (its own VTIMEZONE)\nDTSTART;TZID=Tokyo Standard Time (custom):{YEAR}1201T090000\nDTEND;TZID=Tokyo Standard Time (custom):{YEAR}1201T100000",
                f"SUMMARY:Windows name\nDTSTART;TZID=Eastern Standard Time:{YEAR}0701T090000\nDTEND;TZID=Eastern Standard Time:{YEAR}0701T100000",
                extra=TOKYO_VTIMEZONE,
            )
        )
        self.assertEqual(
            [bangkok(c) for c in found],
            [
                (f"{YEAR}-12-01 21:00", f"{YEAR}-12-01 22:00"),  # EST, UTC−5
                (f"{YEAR}-12-01 07:00", f"{YEAR}-12-01 08:30"),
                (f"{YEAR}-12-01 07:00", f"{YEAR}-12-01 08:00"),
                (f"{YEAR}-07-01 20:00", f"{YEAR}-07-01 21:00"),  # EDT in summer, UTC−4
            ],
        )
        self.assertEqual(
            [c.zone for c in found],
            ["America/New_York", "Asia/Tokyo", "Tokyo Standard Time (custom)", "America/New_York"],
        )
        self.assertTrue(all(c.importable for c in found))

    def test_utc_stays_utc_and_floating_time_is_bangkok_time(self) -> None:
        utc, floating = parse(
            ics(
                f"SUMMARY:UTC\nDTSTART:{YEAR}0301T230000Z\nDURATION:PT90M",
                f"SUMMARY:Floating\nDTSTART:{YEAR}0301T090000\nDTEND:{YEAR}0301T120000",
            )
        )
        self.assertEqual(utc.starts_at, datetime(YEAR, 3, 1, 23, tzinfo=UTC))
        self.assertEqual(bangkok(utc), (f"{YEAR}-03-02 06:00", f"{YEAR}-03-02 07:30"))
        self.assertEqual(utc.zone, "UTC")
        self.assertEqual(bangkok(floating), (f"{YEAR}-03-01 09:00", f"{YEAR}-03-01 12:00"))
        self.assertEqual(floating.zone, "")

    def test_an_all_day_event_runs_from_midnight_to_the_end_of_its_last_day(self) -> None:
        two_days, one_day = parse(
            ics(
                f"SUMMARY:Fair\nDTSTART;VALUE=DATE:{YEAR}0510\nDTEND;VALUE=DATE:{YEAR}0512",
                f"SUMMARY:Holiday\nDTSTART;VALUE=DATE:{YEAR}0513",
            )
        )
        self.assertTrue(two_days.all_day)
        self.assertEqual(bangkok(two_days), (f"{YEAR}-05-10 00:00", f"{YEAR}-05-11 23:59"))
        self.assertEqual(bangkok(one_day), (f"{YEAR}-05-13 00:00", f"{YEAR}-05-13 23:59"))

    def test_an_unknown_zone_without_its_vtimezone_is_not_guessed(self) -> None:
        unknown, fine = parse(
            ics(
                f"SUMMARY:Mars\nDTSTART;TZID=Mars/Olympus_Mons:{YEAR}0101T090000",
                f"SUMMARY:Earth\nDTSTART:{YEAR}0101T020000Z",
            )
        )
        self.assertFalse(unknown.importable)
        self.assertIn("Mars/Olympus_Mons", unknown.problem)
        self.assertTrue(fine.importable)

    def test_what_platoo_refuses_is_marked_before_anything_is_made(self) -> None:
        found = calendar_import.check(
            self.alice,
            parse(
                ics(
                    f"SUMMARY:Too long\nDTSTART:{YEAR}0101T020000Z\nDTEND:{YEAR}0201T020000Z",
                    f"SUMMARY:Too far\nDTSTART:{YEAR + 8}0101T020000Z",
                    f"SUMMARY:Called off\nSTATUS:CANCELLED\nDTSTART:{YEAR}0101T020000Z",
                    "SUMMARY:No start",
                )
            ),
            "workshop",
        )
        self.assertEqual([c.importable for c in found], [False, False, False, False])
        self.assertIn("สิบสี่วัน", found[0].problem)
        self.assertIn("หกปี", found[1].problem)
        self.assertEqual(found[2].problem, "ถูกยกเลิกไว้ในไฟล์")
        self.assertEqual(found[3].problem, "ไม่มีเวลาเริ่ม")
        self.assertFalse(Event.objects.exists())


class RepeatTests(EventTestCase):
    def test_a_series_becomes_its_occurrences_without_the_excluded_dates(self) -> None:
        found = parse(
            ics(
                f"SUMMARY:Weekly\nDTSTART;TZID=America/New_York:{YEAR}1103T090000\nDTEND;TZID=America/New_York:{YEAR}1103T100000\n"
                f"RRULE:FREQ=WEEKLY;COUNT=3\nEXDATE;TZID=America/New_York:{YEAR}1110T090000"
            )
        )
        self.assertEqual([c.occurrence for c in found], [1, 2])
        self.assertEqual(
            [c.starts_at for c in found],
            [
                datetime(YEAR, 11, 3, 9, tzinfo=ZoneInfo("America/New_York")),
                datetime(YEAR, 11, 17, 9, tzinfo=ZoneInfo("America/New_York")),
            ],
        )
        self.assertEqual(len({c.key for c in found}), 2)
        self.assertFalse(any(c.series_goes_on for c in found))

    def test_an_endless_series_gives_its_first_ten_and_says_it_goes_on(self) -> None:
        found = parse(ics(f"SUMMARY:Daily\nDTSTART:{YEAR}0105T020000Z\nDTEND:{YEAR}0105T030000Z\nRRULE:FREQ=DAILY"))
        self.assertEqual(len(found), calendar_import.MAX_OCCURRENCES)
        self.assertEqual(found[-1].starts_at, datetime(YEAR, 1, 14, 2, tzinfo=UTC))
        self.assertTrue(found[-1].series_goes_on)

    def test_a_changed_occurrence_replaces_its_original_and_a_cancelled_one_is_dropped(self) -> None:
        found = parse(
            ics(
                f"UID:series\nSUMMARY:Monthly\nDTSTART:{YEAR}0201T020000Z\nDTEND:{YEAR}0201T030000Z\nRRULE:FREQ=MONTHLY;COUNT=3",
                f"UID:series\nRECURRENCE-ID:{YEAR}0301T020000Z\nSUMMARY:Monthly (moved)\nDTSTART:{YEAR}0305T020000Z\nDTEND:{YEAR}0305T030000Z",
                f"UID:series\nRECURRENCE-ID:{YEAR}0401T020000Z\nSTATUS:CANCELLED\nSUMMARY:Monthly\nDTSTART:{YEAR}0401T020000Z",
            )
            .replace(b"UID:0@example.org\r\n", b"")
            .replace(b"UID:1@example.org\r\n", b"")
            .replace(b"UID:2@example.org\r\n", b"")
        )
        self.assertEqual([(c.title, c.starts_at.day) for c in found], [("Monthly", 1), ("Monthly (moved)", 5)])

    def test_rules_that_could_run_long_give_only_the_first_occurrence(self) -> None:
        for rule in ("FREQ=HOURLY", "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=31", "FREQ=MONTHLY;BYDAY=6MO"):
            with self.subTest(rule=rule):
                (only,) = parse(ics(f"SUMMARY:Odd\nDTSTART:{YEAR}0105T020000Z\nRRULE:{rule}"))
                self.assertEqual(only.occurrence, 0)
                self.assertEqual(only.notes, ["เกิดซ้ำในรูปแบบที่ Platoo ไม่แตกเป็นรายครั้ง จึงนำเข้าเฉพาะครั้งแรก"])


class BadFileTests(EventTestCase):
    def refused(self, data: bytes) -> str:
        with self.assertRaises(ValidationError) as caught:
            parse(data)
        return " ".join(caught.exception.messages)

    def test_garbage_and_empty_calendars_are_refused_with_a_thai_message(self) -> None:
        self.assertEqual(self.refused(b"\x89PNG\r\n\x1a\n\x00\x00"), "ไฟล์นี้ไม่ใช่ไฟล์ปฏิทิน (.ics)")
        self.assertEqual(self.refused(b"just some words"), "ไฟล์นี้ไม่ใช่ไฟล์ปฏิทิน (.ics)")
        self.assertIn("อ่านไฟล์ปฏิทินนี้ไม่ได้", self.refused(b"BEGIN:VCALENDAR\r\nthis is not a line\r\n"))
        self.assertEqual(self.refused(ics()), "ไม่มีกิจกรรมในไฟล์ปฏิทินนี้")

    def test_too_many_events_are_refused(self) -> None:
        many = [f"SUMMARY:{n}\nDTSTART:{YEAR}0105T020000Z" for n in range(calendar_import.MAX_EVENTS + 1)]
        self.assertIn("เกิน 200", self.refused(ics(*many)))
        series = [f"SUMMARY:{n}\nDTSTART:{YEAR}0105T020000Z\nRRULE:FREQ=DAILY;COUNT=10" for n in range(21)]
        self.assertIn("เกิน 200", self.refused(ics(*series)))

    def test_a_windows_thai_file_is_read(self) -> None:
        (found,) = parse(ics(f"SUMMARY:ประชุมประจำเดือน\nDTSTART:{YEAR}0105T020000Z").decode().encode("cp874"))
        self.assertEqual(found.title, "ประชุมประจำเดือน")


class ImportPageTests(EventTestCase):
    url = reverse("events:calendar_import")

    def upload(self, data: bytes, **fields: object) -> object:
        self.client.force_login(self.alice)
        form = {
            "kind": "workshop",
            "visibility": "network",
            "file": SimpleUploadedFile("cal.ics", data, "text/calendar"),
        }
        return self.client.post(self.url, {**form, **fields})

    def file(self) -> bytes:
        return ics(
            f"SUMMARY:ถอดบทเรียนนิวยอร์ก\nLOCATION:ห้องประชุมใหญ่\nDESCRIPTION:วาระ\\nข้อแรก\nDTSTART;TZID=America/New_York:{YEAR}1201T090000\nDTEND;TZID=America/New_York:{YEAR}1201T100000",
            f"SUMMARY:ออนไลน์\nLOCATION:https://meet.example.org/x\nDTSTART;VALUE=DATE:{YEAR}1202",
        )

    def test_the_preview_shows_bangkok_time_in_the_buddhist_era_then_makes_drafts(self) -> None:
        response = self.upload(self.file())
        self.assertEqual(response.status_code, 200)  # type: ignore[attr-defined]
        self.assertContains(response, f"1 ธันวาคม {YEAR + 543} 21:00 น.")
        self.assertContains(response, f"{YEAR}-12-01 09:00 America/New_York")
        self.assertContains(response, f"2 ธันวาคม {YEAR + 543}")
        self.assertContains(response, "ทั้งวัน")
        self.assertFalse(Event.objects.exists())  # nothing until confirmed
        payload = response.context["payload"]  # type: ignore[attr-defined]
        done = self.client.post(self.url, {"payload": payload, "pick": ["0", "1"]}, follow=True)
        self.assertContains(done, "นำเข้ากิจกรรมเป็นฉบับร่างแล้ว")
        first, second = Event.objects.order_by("starts_at")
        self.assertEqual(
            (first.title, first.status, first.place, first.description),
            ("ถอดบทเรียนนิวยอร์ก", "draft", "ห้องประชุมใหญ่", "วาระ\nข้อแรก"),
        )
        self.assertEqual(first.starts_at, datetime(YEAR, 12, 1, 14, tzinfo=UTC))
        self.assertEqual(list(first.organizers.all()), [self.alice])
        self.assertEqual((second.online_url, second.place), ("https://meet.example.org/x", ""))
        self.assertEqual(second.starts_at, datetime(YEAR, 12, 2, tzinfo=BANGKOK))
        self.assertContains(done, first.get_absolute_url())
        self.assertFalse(Event.objects.visible_to(self.bob).exists())

    def test_importing_the_same_file_twice_makes_no_second_drafts(self) -> None:
        payload = self.upload(self.file()).context["payload"]  # type: ignore[attr-defined]
        self.client.post(self.url, {"payload": payload, "pick": ["0", "1"]})
        self.client.post(self.url, {"payload": payload, "pick": ["0", "1"]})  # a double submit
        again = self.upload(self.file())
        self.assertContains(again, "เคยนำเข้าแล้ว")
        self.client.post(self.url, {"payload": again.context["payload"], "pick": ["0", "1"]})  # type: ignore[attr-defined]
        self.assertEqual(Event.objects.count(), 2)

    def test_only_the_picked_events_are_made(self) -> None:
        payload = self.upload(self.file()).context["payload"]  # type: ignore[attr-defined]
        self.client.post(self.url, {"payload": payload, "pick": ["1"]})
        self.assertEqual(list(Event.objects.values_list("title", flat=True)), ["ออนไลน์"])

    def test_a_bad_file_gets_a_thai_message_and_the_form_again(self) -> None:
        response = self.upload(b"hello")
        self.assertEqual(response.status_code, 400)  # type: ignore[attr-defined]
        self.assertContains(response, "ไฟล์นี้ไม่ใช่ไฟล์ปฏิทิน (.ics)", status_code=400)
        self.assertFalse(Event.objects.exists())

    def test_a_file_over_the_limit_is_refused(self) -> None:
        big = ics("SUMMARY:x\nDTSTART:20270105T020000Z\nDESCRIPTION:" + "ก" * calendar_import.MAX_BYTES)
        response = self.upload(big)
        self.assertContains(response, "ไฟล์ใหญ่เกิน 1 MB", status_code=400)

    def test_an_organization_only_import_needs_the_host(self) -> None:
        response = self.upload(self.file(), visibility="organization")
        self.assertContains(response, "ต้องระบุองค์กรเจ้าภาพ", status_code=400)
        response = self.upload(self.file(), visibility="organization", hosted="on")
        self.client.post(self.url, {"payload": response.context["payload"], "pick": ["0"]})  # type: ignore[attr-defined]
        event = Event.objects.get()
        self.assertEqual((event.visibility, event.host), ("organization", self.alpha))

    def test_one_refused_event_leaves_nothing_half_imported(self) -> None:
        starts = timezone.now() + timedelta(days=10)
        good = Candidate("ดี", "", "", "", starts, starts + timedelta(hours=1), key="a" * 64)
        bad = Candidate("เสีย", "", "", "", starts, starts - timedelta(hours=1), key="b" * 64)
        token = calendar_import.sign(self.alice, [good, bad], "workshop", "network", None)
        with self.assertRaises(ValidationError) as caught:
            calendar_import.do_import_events(self.alice, token, [0, 1])
        self.assertIn("“เสีย”", caught.exception.messages[0])
        self.assertFalse(Event.objects.exists())

    def test_a_preview_is_the_uploaders_own(self) -> None:
        payload = self.upload(self.file()).context["payload"]  # type: ignore[attr-defined]
        self.client.force_login(self.bob)
        response = self.client.post(self.url, {"payload": payload, "pick": ["0"]}, follow=True)
        self.assertContains(response, "ตัวอย่างนี้หมดอายุแล้ว")
        self.client.post(self.url, {"payload": payload[:-3] + "abc", "pick": ["0"]})
        self.assertFalse(Event.objects.exists())

    def test_the_page_asks_for_sign_in(self) -> None:
        self.assertEqual(self.client.get(self.url).status_code, 302)
