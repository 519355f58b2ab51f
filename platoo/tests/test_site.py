from datetime import datetime
from zoneinfo import ZoneInfo

from django.test import TestCase, override_settings
from django.utils import translation

from platoo.lib.dates import format_date, to_ce_year
from platoo.lib.markdown import render_markdown


class HealthCheckTests(TestCase):
    def test_it_answers_200_when_the_database_is_up(self) -> None:
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["status"], "ok")


@override_settings(DEBUG=False)
class ErrorPageTests(TestCase):
    def test_it_says_what_to_do_on_a_missing_page_in_thai(self) -> None:
        response = self.client.get("/no-such-page/")
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, "ไม่พบหน้าที่ต้องการ", status_code=404)
        self.assertContains(response, 'href="/search/"', status_code=404)

    def test_it_speaks_english_after_the_switch(self) -> None:
        self.client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        response = self.client.get("/no-such-page/")
        self.assertContains(response, "Page not found", status_code=404)
        self.assertContains(response, '<html lang="en">', status_code=404)


class ThaiDateTests(TestCase):
    moment = datetime(2026, 11, 23, 18, 30, tzinfo=ZoneInfo("UTC"))

    def test_it_shows_buddhist_era_years_and_bangkok_time_to_thai_readers(self) -> None:
        with translation.override("th"):
            self.assertEqual(format_date(self.moment, with_time=True), "24 พฤศจิกายน 2569 01:30 น.")
            self.assertEqual(format_date(self.moment.date(), short=True), "23 พ.ย. 2569")

    def test_it_shows_common_era_years_to_english_readers(self) -> None:
        with translation.override("en"):
            self.assertEqual(format_date(self.moment.date()), "23 Nov 2026")

    def test_it_reads_a_typed_year_in_either_era(self) -> None:
        self.assertEqual(to_ce_year(2569), 2026)
        self.assertEqual(to_ce_year(2026), 2026)


class MarkdownSanitisingTests(TestCase):
    def test_it_never_lets_a_script_through_however_it_is_written(self) -> None:
        attacks = [
            "<script>alert(1)</script>",
            '<img src="x" onerror="alert(1)">',
            "[click](javascript:alert(1))",
            '<a href="JaVaScRiPt:alert(1)">x</a>',
            "<svg onload=alert(1)>",
            '<iframe src="https://evil.example"></iframe>',
            "<scr<script>ipt>alert(1)</script>",
        ]
        for attack in attacks:
            html = render_markdown(attack).lower().replace(" ", "")
            # Harmless text may remain ("javascript:" as words); no live tag, handler or link may.
            for needle in ("<script", "onerror=", "onload=", 'href="javascript', "<iframe", "<svg"):
                self.assertNotIn(needle, html, attack)

    def test_it_keeps_ordinary_markdown(self) -> None:
        html = render_markdown("## หัวข้อ\n\n- **ตัวหนา**\n- [ลิงก์](https://example.org)")
        self.assertIn("<h2>หัวข้อ</h2>", html)
        self.assertIn("<strong>ตัวหนา</strong>", html)
        self.assertIn('href="https://example.org"', html)


class LanguageTests(TestCase):
    def test_it_speaks_thai_even_to_a_browser_that_asks_for_english(self) -> None:
        response = self.client.get("/", headers={"accept-language": "en-US,en;q=0.9"})
        self.assertContains(response, '<html lang="th">')

    def test_it_keeps_the_language_the_person_chose(self) -> None:
        self.client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        response = self.client.get("/", headers={"accept-language": "th"})
        self.assertContains(response, '<html lang="en">')

    def test_it_lets_an_api_script_ask_for_english(self) -> None:
        response = self.client.get("/api/v1/knowledge/999999", headers={"accept-language": "en"})
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.headers["Content-Language"], "en")
