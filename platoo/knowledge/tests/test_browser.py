"""Capturing knowledge that is already there, in a real browser: the editor warns while one types."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from platoo.accounts.models import User
from platoo.knowledge.actions import ItemData, do_create_item
from platoo.knowledge.models import ItemRelation, KnowledgeItem, Topic
from platoo.network.models import Organization, Sector
from platoo.tests.browser import person, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DATA = Path(__file__).with_name("data") / "similar_th.jsonl"
QUEUE = next(row for row in map(json.loads, DATA.read_text(encoding="utf-8").splitlines()) if row["id"] == "g01")


@pytest.fixture
def writer(db: None) -> User:
    organization = Organization.objects.create(
        name_th="โรงพยาบาลชุมชนบ้านโฮ่ง", code="hosp-bh", sector=Sector.GOVERNMENT, province="Lamphun"
    )
    return person("somsri", "สมศรี รักงาน", organization)


def test_typing_a_near_copy_shows_the_duplicate_and_a_topic_to_add(
    page: Page, live_server: object, writer: User
) -> None:
    base = str(live_server.url)  # type: ignore[attr-defined]
    keeper = person("keeper", "ผู้เขียนเดิม")
    # Transactional tests empty the tables, seeded taxonomy included, for those that follow.
    topic = Topic.objects.get_or_create(
        slug="service-innovation", defaults={"name_th": "นวัตกรรมบริการ", "name_en": "Service innovation"}
    )[0]
    existing = do_create_item(
        keeper,
        ItemData(
            title=QUEUE["original"]["title"],
            body=QUEUE["original"]["body"],
            visibility="public",
            topic_ids=[topic.pk],
            tag_names=["คิวออนไลน์"],
        ),
    )
    sign_in(page, base, "somsri")
    page.goto(f"{base}/knowledge/new/")
    page.fill("#id_title", QUEUE["paraphrase"]["title"])
    page.fill("#id_body", QUEUE["paraphrase"]["body"])

    panel = page.locator(".similar-live")
    duplicate = panel.locator(".similar-duplicates a", has_text=existing.title)
    expect(duplicate).to_be_visible()
    expect(duplicate).to_have_attribute("href", existing.get_absolute_url())
    suggestion = panel.locator(f".similar-topics li[data-topic='{topic.pk}']")
    expect(suggestion).to_contain_text(topic.name_th)
    box = page.locator(f"input[name=topics][value='{topic.pk}']")
    expect(box).not_to_be_checked()
    suggestion.locator("button").click()
    expect(box).to_be_checked()
    panel.locator(".similar-tags li", has_text="คิวออนไลน์").locator("button").click()
    expect(page.locator("#id_tags")).to_have_value("คิวออนไลน์")

    # Saving shows the choices; linking saves the new item with its link.
    page.locator(".form-actions .save-button").click()
    expect(page.locator("#duplicates")).to_contain_text(existing.title)
    expect(page.locator("#id_title")).to_have_value(QUEUE["paraphrase"]["title"])
    page.locator(f"#duplicates button[value^='link:{existing.pk}:']").click()
    expect(page.locator("h1")).to_have_text(QUEUE["paraphrase"]["title"])
    mine = KnowledgeItem.objects.get(created_by=writer)
    assert list(mine.topics.all()) == [topic]
    assert ItemRelation.objects.filter(from_item=mine, to_item=existing).exists()
    expect(page.locator(".item-links")).to_contain_text(existing.title)
