"""An event's life in a real browser: organized and published, registered for with a before-action
review, a ticket shown, checked in at the door, and reviewed afterwards."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from platoo.network.models import Organization, Sector
from platoo.tests.browser import person, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_event_is_organized_attended_and_reviewed(page: Page, live_server: object) -> None:
    base = str(live_server.url)  # type: ignore[attr-defined]
    hospital = Organization.objects.create(name_th="โรงพยาบาลนาแก้ว", code="nakaeo", sector=Sector.GOVERNMENT)
    person("supaporn", "สุภาพร แก้วมณี", hospital)
    person("nipa", "นิภา ทองดี", hospital)

    sign_in(page, base, "supaporn")
    page.goto(f"{base}/events/new/")
    page.select_option("#id_kind", "visit")
    page.fill("#id_title", "เยือนโรงพยาบาลนาแก้ว")
    # Under way since yesterday, so it can be registered for, attended and reviewed in one go.
    started = timezone.localdate() - timedelta(days=1)
    page.fill("#id_starts_at", f"{started.isoformat()}T09:00")
    page.fill("#id_ends_at", f"{(started + timedelta(days=30)).isoformat()}T16:00")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".errorlist")).to_contain_text("สิบสี่วัน")
    page.fill("#id_ends_at", f"{(started + timedelta(days=5)).isoformat()}T16:00")
    page.fill("#id_sessions-0-title", "เล่าเรื่องการส่งเวร")
    page.fill("#id_sessions-0-speakers", "nipa")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("เยือนโรงพยาบาลนาแก้ว")
    expect(page.locator("main")).to_contain_text(f"{started.year + 543} 09:00 น.")  # Buddhist Era, Bangkok time
    page.locator("button", has_text="ประกาศ").click()
    expect(page.locator(".messages")).to_contain_text("ประกาศกิจกรรมแล้ว")

    sign_in(page, base, "nipa")
    page.goto(f"{base}/events/")
    page.locator("a", has_text="เยือนโรงพยาบาลนาแก้ว").click()
    page.fill("#id_bar_learn", "วิธีส่งเวรแบบ SBAR")
    page.locator("#registration button[type=submit]", has_text="ลงทะเบียน").click()
    expect(page.locator(".messages")).to_contain_text("คุณลงทะเบียนแล้ว")
    page.locator("a", has_text="บัตรของฉัน").click()
    expect(page.locator(".ticket-qr svg")).to_be_visible()

    sign_in(page, base, "supaporn")
    page.goto(f"{base}/events/")
    page.locator("a", has_text="เยือนโรงพยาบาลนาแก้ว").click()
    page.locator("a", has_text="ลงชื่อเข้าร่วมหน้างาน").click()
    page.locator(".check-in-table button", has_text="ลงชื่อเข้าร่วม").click()
    expect(page.locator(".messages")).to_contain_text("นิภา ทองดี ลงชื่อเข้าร่วมแล้ว")

    sign_in(page, base, "nipa")
    page.goto(f"{base}/events/")
    page.locator("a", has_text="เยือนโรงพยาบาลนาแก้ว").click()
    page.locator("a", has_text="เขียน AAR ของฉัน").click()
    page.fill("#id_happened", "ได้เห็นการส่งเวรจริงที่หอผู้ป่วย")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("บันทึก AAR ของคุณแล้ว")
