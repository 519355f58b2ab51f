"""What the browser tests share: Debian's chromium driven by Playwright, people to sign in as.

A pytest plugin (the root conftest names it), so every test module gets the `browser` and `page`
fixtures. Nothing here skips when the browser is missing: `make test` installs it, and CI must fail
without it.
"""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from platoo.accounts.models import User
from platoo.network.models import Organization

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "a-long-browser-test-password"


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


def person(username: str, name_th: str, organization: Organization | None = None) -> User:
    """Someone who can sign in with PASSWORD."""
    return User.objects.create_user(
        username=username,
        email=f"{username}@example.org",
        password=PASSWORD,
        name_th=name_th,
        organization=organization,
    )


def sign_in(page: Page, base: str, username: str) -> None:
    """Sign in through the login page as `username`, leaving whoever was signed in before."""
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".user-menu")).to_be_visible()
