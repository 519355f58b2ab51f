"""A community's life in a real browser: a meeting scheduled, attended and minuted; a question asked,
answered with a mention, accepted and saved as knowledge."""

import pytest
from playwright.sync_api import Page, expect

from platoo.communities import actions
from platoo.network.models import Organization, Sector
from platoo.tests.browser import person, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_meeting_and_a_question_run_their_course(page: Page, live_server: object) -> None:
    base = str(live_server.url)  # type: ignore[attr-defined]
    hospital = Organization.objects.create(name_th="โรงพยาบาลนาแก้ว", code="nakaeo", sector=Sector.GOVERNMENT)
    college = Organization.objects.create(name_th="วิทยาลัยพยาบาล", code="college", sector=Sector.ACADEMIC)
    supaporn = person("supaporn", "สุภาพร แก้วมณี", hospital)
    nipa = person("nipa", "นิภา ทองดี", college)
    community = actions.do_create_community(
        supaporn,
        actions.CommunityData(name="วงส่งเวร", slug="handover", domain="การส่งเวร", level=2),
    )
    actions.do_join(nipa, community)

    sign_in(page, base, "supaporn")
    page.goto(f"{base}/communities/handover/meetings/new/")
    page.fill("#id_title", "วงเล่าเรื่องการส่งเวร")
    page.fill("#id_starts_at", "2025-03-10T09:00")
    page.fill("#id_ends_at", "2025-03-10T08:00")
    page.fill("#id_agenda-0-title", "เล่าเหตุการณ์เวรดึก")
    page.fill("#id_agenda-0-presenter", "nipa")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".errorlist")).to_contain_text("การประชุมสิ้นสุดก่อนเริ่มไม่ได้")
    expect(page.locator("#id_title")).to_have_value("วงเล่าเรื่องการส่งเวร")  # nothing typed is lost
    page.fill("#id_ends_at", "2025-03-10T12:00")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("วงเล่าเรื่องการส่งเวร")
    expect(page.locator("main")).to_contain_text("10 มีนาคม 2568 09:00 น.")  # Buddhist Era, Bangkok time
    expect(page.locator(".meeting")).to_contain_text("นิภา ทองดี")

    page.select_option("#check-in-person", label="นิภา ทองดี")
    page.locator("#attendance button", has_text="ลงชื่อเข้าร่วม").last.click()
    expect(page.locator("#attendance")).to_contain_text("วิทยาลัยพยาบาล: 1")
    page.locator("a", has_text="เขียนรายงานการประชุมและ AAR").click()
    page.fill("#id_minutes", "ตกลงใช้แบบ **SBAR** ทุกหอ")
    page.fill("#id_aar_next_time", "เชิญหอศัลยกรรมมาร่วม")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".prose strong")).to_have_text("SBAR")
    expect(page.locator(".meeting")).to_contain_text("เชิญหอศัลยกรรมมาร่วม")

    sign_in(page, base, "nipa")
    page.goto(f"{base}/communities/handover/discussions/new/")
    page.fill("#id_title", "เวรดึกส่งเวรให้ครบได้อย่างไร")
    page.fill("#id_body", "ขอคำแนะนำค่ะ @supaporn")
    page.check("#id_is_question")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".thread .prose a", has_text="@supaporn")).to_be_visible()

    sign_in(page, base, "supaporn")
    expect(page.locator(".notifications-link .count-badge")).to_be_visible()  # the mention
    page.goto(f"{base}/communities/handover/discussions/")
    page.locator(".thread-list a", has_text="เวรดึกส่งเวรให้ครบได้อย่างไร").click()
    page.fill("#id_body", "เน้น S กับ R ก่อน แล้วค่อยเขียนส่วนที่เหลือ")
    page.locator(".reply-form button[type=submit]").click()
    expect(page.locator(".reply")).to_contain_text("เน้น S กับ R ก่อน")

    sign_in(page, base, "nipa")
    page.goto(f"{base}/communities/handover/discussions/")
    page.locator(".thread-list a", has_text="เวรดึกส่งเวรให้ครบได้อย่างไร").click()
    page.locator("button", has_text="เลือกเป็นคำตอบ").click()
    expect(page.locator(".reply.accepted")).to_contain_text("คำตอบที่เลือก")
    page.locator("button", has_text="บันทึกเป็นความรู้").click()
    expect(page.locator("h1")).to_have_text("เวรดึกส่งเวรให้ครบได้อย่างไร")
    expect(page.locator(".item-links")).to_contain_text("สร้างจากคำตอบในกระทู้")
