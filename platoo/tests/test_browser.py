"""A person's path through Platoo in a real browser: Debian's chromium driven by Playwright.

Not skipped when the browser is missing: `make test` installs it, and CI must fail without it.
"""

import re
from collections.abc import Iterator

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect, sync_playwright

from platoo.accounts.models import User
from platoo.network.models import Organization, Sector

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "a-long-browser-test-password"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="th-TH", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def member(db: None) -> User:
    organization = Organization.objects.create(
        name_th="สำนักงานพัฒนาชุมชนจังหวัดน่าน", code="cdd-nan", sector=Sector.GOVERNMENT, province="Nan"
    )
    return User.objects.create_user(
        username="malee", email="malee@example.org", password=PASSWORD, name_th="มาลี ใจดี", organization=organization
    )


def sign_in(page: Page, base: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "malee")
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".user-menu")).to_contain_text("มาลี ใจดี")


def test_it_writes_a_thai_lesson_finds_it_by_a_mid_sentence_word_and_switches_to_english(
    page: Page, live_server: object, member: User
) -> None:
    base = str(live_server.url)  # type: ignore[attr-defined]
    sign_in(page, base)

    page.goto(f"{base}/knowledge/new/")
    page.check("input[name=kind][value=lesson]")
    page.fill("#id_title", "บทเรียนจากการลงพื้นที่บ้านหนองบัว")
    page.fill("#id_body", "ทีมงานพบว่าการประสานงานกับผู้นำชุมชนล่วงหน้าช่วยลดความขัดแย้งได้มาก")
    expect(page.locator("#id_aar_expected")).to_be_visible()
    page.fill("#id_aar_expected", "ชาวบ้านจะมาร่วมประชุมครบทุกครัวเรือน")
    page.fill("#id_aar_happened", "มาร่วมเพียงครึ่งหนึ่ง เพราะตรงกับวันเก็บเกี่ยว")
    page.fill("#id_aar_difference", "เราไม่ได้ถามปฏิทินการเกษตรก่อนนัดหมาย")
    page.fill("#id_aar_next_time", "ถามผู้นำชุมชนเรื่องฤดูกาลก่อนกำหนดวัน")
    page.locator("form.knowledge-editor .save-button").click()

    expect(page.locator("h1")).to_have_text("บทเรียนจากการลงพื้นที่บ้านหนองบัว")
    buddhist_year = str(timezone.localdate().year + 543)
    expect(page.locator("main")).to_contain_text(buddhist_year)

    # ผู้นำชุมชน sits in the middle of an unspaced Thai sentence.
    page.fill("#header-q", "ผู้นำชุมชน")
    page.press("#header-q", "Enter")
    result = page.locator(".search-results a", has_text="บทเรียนจากการลงพื้นที่บ้านหนองบัว")
    expect(result).to_be_visible()
    expect(page.locator(".search-results mark").first).to_contain_text("ผู้นำชุมชน")
    result.click()
    expect(page.locator("h1")).to_have_text("บทเรียนจากการลงพื้นที่บ้านหนองบัว")

    page.locator(".lang-switch button").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".user-menu")).to_contain_text("Sign out")
    expect(page.locator("main")).to_contain_text(str(timezone.localdate().year))
    expect(page.locator("main")).not_to_contain_text(buddhist_year)
    expect(page.locator("main")).to_contain_text(re.compile("Lesson learned"))
