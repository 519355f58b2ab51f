"""Following someone, seeing their work in the feed, and a notification's badge, in a real browser."""

import pytest
from django.db import transaction
from playwright.sync_api import Page, expect

from platoo.activity.actions import notify
from platoo.activity.models import NotificationKind
from platoo.knowledge.actions import ItemData, do_create_item
from platoo.tests.browser import person, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_follows_a_person_sees_their_lesson_and_opens_a_notification(page: Page, live_server: object) -> None:
    base = str(live_server.url)  # type: ignore[attr-defined]
    reader = person("somchai", "สมชาย รักเรียน")
    writer = person("malee", "มาลี ใจดี")
    sign_in(page, base, "somchai")

    page.goto(f"{base}/accounts/people/malee/")
    page.locator(".follow-button button", has_text="ติดตาม").click()
    expect(page.locator(".messages")).to_contain_text("คุณติดตาม มาลี ใจดี แล้ว")
    expect(page.locator(".follow-button")).to_contain_text("กำลังติดตาม")

    do_create_item(writer, ItemData(title="บทเรียนการส่งเวร", body="เนื้อหา"))
    with transaction.atomic():
        notify([reader], NotificationKind.MENTION, actor=writer, title="การส่งเวรเวรดึก", url="/activity/")
    page.goto(f"{base}/activity/")
    expect(page.locator(".activity-list")).to_contain_text("มาลี ใจดี เขียน “บทเรียนการส่งเวร”")
    expect(page.locator(".notifications-link .count-badge")).to_contain_text("1")

    page.locator(".notifications-link").click()
    page.locator(".notification a", has_text="การส่งเวรเวรดึก").click()
    expect(page).to_have_url(f"{base}/activity/")
    expect(page.locator(".notifications-link .count-badge")).to_have_count(0)
