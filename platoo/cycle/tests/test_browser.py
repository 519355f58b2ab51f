"""Critical knowledge verified in a real browser: marked and categorized by its author, sent to the topic's
expert panel, reviewed by three experts, verified by the chair, and shown as verified."""

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import Page, expect

from platoo.cycle import actions
from platoo.knowledge.actions import ItemData, do_create_item
from platoo.knowledge.models import Topic
from platoo.network.models import Organization, Sector
from platoo.tests.browser import person, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_item_is_verified_by_its_panel(page: Page, live_server: object) -> None:
    base = str(live_server.url)  # type: ignore[attr-defined]
    hospital = Organization.objects.create(name_th="โรงพยาบาลนาแก้ว", code="nakaeo", sector=Sector.GOVERNMENT)
    hub = person("manop", "มานพ ศรีสุข", hospital)
    hub.user_permissions.add(Permission.objects.get(codename="manage_network"))
    nipa = person("nipa", "นิภา ทองดี", hospital)
    experts = [person(f"expert{n}", f"ผู้เชี่ยวชาญ {n}", hospital) for n in range(5)]
    topic = Topic.objects.create(slug="patient-safety", name_th="ความปลอดภัยผู้ป่วย", name_en="Patient safety")
    actions.do_save_panel(
        type(hub).objects.get(pk=hub.pk),
        None,
        actions.PanelData(
            name="คลังสมองความปลอดภัยผู้ป่วย", topic_id=topic.pk, member_ids=[e.pk for e in experts], chair_id=experts[0].pk
        ),
    )
    item = do_create_item(
        nipa, ItemData(title="การส่งเวรแบบ SBAR", kind="lesson", body="ใช้แบบฟอร์มเดียวกันทุกเวร", topic_ids=[topic.pk])
    )

    sign_in(page, base, "nipa")
    page.goto(f"{base}{item.get_absolute_url()}")
    page.locator("#cycle button", has_text="ระบุเป็นความรู้สำคัญ").click()
    expect(page.locator(".messages")).to_contain_text("ระบุเป็นความรู้สำคัญแล้ว")
    page.select_option("#id_knowledge_type", "tacit")
    page.select_option("#id_audience", "practitioners")
    page.select_option("#id_source", "interview")
    page.select_option("#id_priority", "caution")
    page.locator("#cycle button", has_text="บันทึกหมวดหมู่").click()
    expect(page.locator(".cycle-line [aria-current=step]")).to_have_text("จัดหมวดหมู่แล้ว")
    page.locator("#cycle button", has_text="ส่งให้คณะผู้เชี่ยวชาญพิจารณา").click()
    expect(page.locator(".cycle-round")).to_contain_text("มีความเห็น 0 จาก 3")

    for expert in experts[1:4]:
        sign_in(page, base, expert.username)
        page.goto(f"{base}/cycle/queue/")
        page.locator("a", has_text="การส่งเวรแบบ SBAR").click()
        page.locator("#id_accuracy_4").check()  # the fifth choice: 5
        page.locator("#id_applicability_3").check()
        page.locator("#id_evidence_3").check()
        page.locator("#id_recommendation_0").check()
        page.locator("button[name=review]").click()
        expect(page.locator(".messages")).to_contain_text("บันทึกความเห็นของคุณแล้ว")

    sign_in(page, base, experts[0].username)
    page.goto(f"{base}/cycle/queue/")
    page.locator("a", has_text="การส่งเวรแบบ SBAR").click()
    expect(page.locator("main")).to_contain_text("ผู้เชี่ยวชาญส่วนใหญ่เสนอ")
    page.locator("#id_outcome_0").check()
    page.locator("button[name=verdict]").click()
    expect(page.locator(".messages")).to_contain_text("บันทึกมติแล้ว")
    page.goto(f"{base}{item.get_absolute_url()}")
    expect(page.locator(".item-badges .badge.verified")).to_be_visible()
    expect(page.locator(".timeline li")).to_have_count(4)
