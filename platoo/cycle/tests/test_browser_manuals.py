"""The brain trust orders a manual's draft by dragging chapters and sections, in a real browser."""

import pytest
from playwright.sync_api import Page, expect

from platoo.accounts.models import User
from platoo.cycle.actions import PanelData, do_save_panel
from platoo.cycle.actions import manuals as actions
from platoo.cycle.models import Manual
from platoo.events.tests.base import grant_manager
from platoo.knowledge.models import Topic
from platoo.tests.browser import person, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def manual(db: None) -> Manual:
    hub = grant_manager(person("hubby", "ศูนย์ประสาน"))
    experts = [person(f"expert{n}", f"ผู้เชี่ยวชาญ {n}") for n in range(5)]
    topic = Topic.objects.create(slug="safety", name_th="ความปลอดภัย", name_en="Safety")
    panel = do_save_panel(
        hub,
        None,
        PanelData(
            name="คลังสมองความปลอดภัย", topic_id=topic.pk, member_ids=[e.pk for e in experts], chair_id=experts[0].pk
        ),
    )
    manual = actions.do_create_manual(experts[1], actions.ManualData(title="คู่มือการส่งเวร", panel_id=panel.pk))
    chapters = []
    for title in ("บทที่หนึ่ง", "บทที่สอง", "บทที่สาม"):
        manual.refresh_from_db()
        chapters.append(
            actions.do_save_section(experts[1], manual, None, actions.SectionData(title=title), manual.version)
        )
    manual.refresh_from_db()
    actions.do_save_section(
        experts[1], manual, None, actions.SectionData(title="ส่วนย่อย ก", parent_id=chapters[0].pk), manual.version
    )
    manual.refresh_from_db()
    return manual


def chapter_titles(manual: Manual) -> list[str]:
    return [node.section.title for node in actions.draft_tree(manual)]


def test_dragging_chapters_and_a_section_saves_the_new_order(page: Page, live_server: object, manual: Manual) -> None:
    base = str(live_server.url)  # type: ignore[attr-defined]
    User.objects.get(username="expert2")
    sign_in(page, base, "expert2")
    page.goto(f"{base}/cycle/manuals/{manual.pk}/draft/")
    # With the script, positions are set by dragging: the number inputs are hidden, the handles shown.
    expect(page.locator(".position-field").first).to_be_hidden()
    expect(page.locator(".drag-handle").first).to_be_visible()

    third = page.locator("li.draft-chapter", has_text="บทที่สาม").locator(".draft-row").first
    first = page.locator("li.draft-chapter", has_text="บทที่หนึ่ง").locator(".draft-row").first
    third.drag_to(first, target_position={"x": 40, "y": 3})
    expect(page.locator(".messages")).to_contain_text("บันทึกลำดับใหม่แล้ว")
    assert chapter_titles(manual) == ["บทที่สาม", "บทที่หนึ่ง", "บทที่สอง"]
    rows = page.locator("ol.draft-chapters > li.draft-chapter > .draft-row .draft-title strong")
    expect(rows).to_have_text(["บทที่สาม", "บทที่หนึ่ง", "บทที่สอง"])

    # A section dragged into another chapter (onto that chapter's row) goes to the end of it.
    section = page.locator("li.draft-section", has_text="ส่วนย่อย ก").locator(".draft-row")
    target = page.locator("li.draft-chapter", has_text="บทที่สอง").locator(".draft-row").first
    section.drag_to(target)
    expect(page.locator(".messages")).to_contain_text("บันทึกลำดับใหม่แล้ว")
    tree = actions.draft_tree(manual)
    assert [(n.section.title, [c.section.title for c in n.children]) for n in tree] == [
        ("บทที่สาม", []),
        ("บทที่หนึ่ง", []),
        ("บทที่สอง", ["ส่วนย่อย ก"]),
    ]
