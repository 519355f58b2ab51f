"""The map in a real browser: drawn, filtered in place, named on hover and opened on click."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import Page, expect

from platoo.accounts.models import User
from platoo.communities.actions import CommunityData, do_create_community, do_join
from platoo.network.actions import do_add_link
from platoo.network.models import NetworkLink, Organization, Sector
from platoo.tests.browser import PASSWORD, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def network(db: None) -> dict[str, Organization]:
    cache.clear()
    admin = User.objects.create_superuser("admin", "admin@example.org", PASSWORD)
    nan = Organization.objects.create(
        name_th="โรงพยาบาลน่าน", code="nan-hospital", sector=Sector.GOVERNMENT, province="Nan"
    )
    kku = Organization.objects.create(
        name_th="มหาวิทยาลัยขอนแก่น", code="kku", sector=Sector.ACADEMIC, province="Khon Kaen"
    )
    malee = User.objects.create_user(
        username="malee", email="malee@example.org", password=PASSWORD, name_th="มาลี ใจดี", organization=nan
    )
    somchai = User.objects.create_user(
        username="somchai", email="somchai@example.org", password=PASSWORD, name_th="สมชาย รักเรียน", organization=kku
    )
    nursing = do_create_community(
        malee, CommunityData(name="ชุมชนการพยาบาล", slug="nursing", domain="การพยาบาล", level=2)
    )
    do_join(somchai, nursing)
    do_create_community(somchai, CommunityData(name="ชุมชนเกษตร", slug="farming", domain="เกษตร", level=4))
    since = timezone.localdate() - timedelta(days=10)
    do_add_link(admin, NetworkLink(source=nan, target=kku, level=3, since=since))
    return {"nan": nan, "kku": kku}


def drawn(tab: Page, count: int) -> None:
    tab.wait_for_function(
        "n => document.getElementById('netmap-canvas').dataset.ready === 'true'"
        " && window.platooNetmap.nodes().length === n",
        arg=count,
    )


def position(tab: Page, node_id: str) -> dict[str, float]:
    """Where the graph drew a node, in the page's viewport (scrolled to it: the graph learns of the
    scroll only on the next frame, so the position is read after one)."""
    tab.evaluate("document.getElementById('netmap-canvas').scrollIntoView({block: 'center'})")
    tab.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    return tab.evaluate(
        """id => {
            const canvas = document.getElementById('netmap-canvas');
            const box = canvas.getBoundingClientRect();
            const p = window.platooNetmap.getElementById(id).renderedPosition();
            return {x: box.left + p.x, y: box.top + p.y};
        }""",
        node_id,
    )


def test_it_draws_the_map_filters_it_in_place_and_opens_a_node(
    page: Page,
    live_server: object,
    network: dict[str, Organization],
) -> None:
    base = str(live_server.url)  # type: ignore[attr-defined]
    sign_in(page, base, "malee")
    page.goto(f"{base}/network/map/")
    # Two organizations, two CoPs, two people.
    drawn(page, 6)
    expect(page.locator("#netmap-status")).to_contain_text("6 โหนด")

    page.select_option("#id_level", "4")
    drawn(page, 3)  # the level-4 CoP, somchai who started it, and his university
    expect(page).to_have_url(f"{base}/network/map/?level=4")
    expect(page.locator("#export-graphml")).to_have_attribute("href", "/network/map/export.graphml?level=4")
    expect(page.locator("#netmap-rows")).not_to_contain_text("โรงพยาบาลน่าน")

    kku = f"organization:{network['kku'].pk}"
    spot = position(page, kku)
    page.mouse.move(spot["x"], spot["y"])
    expect(page.locator("#netmap-tooltip")).to_be_visible()
    expect(page.locator("#netmap-tooltip")).to_contain_text("มหาวิทยาลัยขอนแก่น")
    page.mouse.click(spot["x"], spot["y"])
    expect(page).to_have_url(f"{base}/organizations/kku/")
    expect(page.locator("h1")).to_have_text("มหาวิทยาลัยขอนแก่น")


def test_visitors_get_a_map_without_people(
    page: Page,
    live_server: object,
    network: dict[str, Organization],
) -> None:
    base = str(live_server.url)  # type: ignore[attr-defined]
    page.goto(f"{base}/network/map/")
    drawn(page, 4)
    types = page.evaluate("window.platooNetmap.nodes().map(n => n.data('type'))")
    assert sorted(set(types)) == ["community", "organization"]
    expect(page.locator("#netmap-notes")).to_contain_text("ลงชื่อเข้าใช้")
