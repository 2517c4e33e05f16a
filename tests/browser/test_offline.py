"""The app on an intranet: with every host but the app's own blocked, nothing is asked of the internet and
nothing fails; the language switch renames what the widgets show."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from support import save_screenshot

pytestmark = pytest.mark.browser

LOCAL_HOSTS = {"127.0.0.1"}
PROBES = ("/_stcore/health", "/_stcore/host-config")


class Offline:
    """Pages whose requests to any host but 127.0.0.1 are refused, with what they asked and what failed."""

    def __init__(self, browser):
        self.context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
        self.asked: list[str] = []
        self.failed: list[str] = []

    def _only_local(self, route) -> None:
        url = route.request.url
        self.asked.append(url)
        if urlsplit(url).scheme in ("data", "blob") or urlsplit(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            route.abort("internetdisconnected")

    def _failed(self, request) -> None:
        self.failed.append(f"{request.url} {request.failure}")

    def _answered(self, response) -> None:
        # On a page's own path (/explorer) Streamlit's client first looks for its server under that
        # path (/explorer/_stcore/health), answered 404, then at the root: a probe, not a failure.
        path = urlsplit(response.url).path
        if response.status == 404 and path.endswith(PROBES) and not path.startswith("/_stcore/"):
            return
        if response.status >= 400:
            self.failed.append(f"{response.url} {response.status}")

    def open(self, url: str):
        """Return a new page at url, drawn, its requests recorded until it is closed by close()."""
        page = self.context.new_page()
        page.route("**/*", self._only_local)
        page.on("requestfailed", self._failed)
        page.on("response", self._answered)
        page.goto(url)
        expect(page.locator('[data-testid="stSidebarNav"]')).to_be_visible(timeout=30_000)
        settle(page)
        return page

    def close(self, page) -> None:
        """Close a page; what a closing page abandons is no failure."""
        page.remove_listener("requestfailed", self._failed)
        page.close()


@pytest.fixture
def offline(browser):
    offline = Offline(browser)
    yield offline
    offline.context.close()


def settle(page) -> None:
    """Wait until the app has drawn the page (no spinner) and its late requests (fonts, icons) are done."""
    expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=30_000)
    page.wait_for_load_state("networkidle")


def test_every_page_is_served_by_the_app_alone(offline, fixture_app):
    for path in ("", "explorer?programme=A&indicator=A1", "quality", "history", "?lang=en"):
        page = offline.open(f"{fixture_app}/{path}")
        expect(page.locator('[data-testid="stException"]')).to_have_count(0)
        # The page icon is a file the app serves, not a material icon fetched from a font host.
        icon = page.locator('link[rel="icon"], link[rel="shortcut icon"]').first.get_attribute("href")
        assert urlsplit(page.evaluate("href => new URL(href, location).href", icon)).hostname in LOCAL_HOSTS
        offline.close(page)
    asked = offline.asked
    assert {urlsplit(url).hostname for url in asked if urlsplit(url).scheme not in ("data", "blob")} == LOCAL_HOSTS, [
        url for url in asked if urlsplit(url).hostname not in LOCAL_HOSTS
    ]
    assert offline.failed == []
    # The navigation's material icons come from the font Streamlit serves from its own static files.
    assert any("MaterialSymbols" in url for url in asked)


def test_switching_the_language_renames_the_picked_indicator_and_the_filters(offline, fixture_app):
    page = offline.open(f"{fixture_app}/explorer?programme=B&indicator=B1")
    # Widgets are found by their key (Streamlit gives a keyed widget the class st-key-<key>).
    picker = page.locator(".st-key-indicator input")
    programmes = page.locator(".st-key-programme")
    expect(picker).to_have_value("B1 指标B1", timeout=30_000)
    expect(programmes).to_contain_text("工程B")
    table = page.locator('[data-testid="stDataFrame"]').first
    expect(table.get_by_text("B1", exact=True)).to_be_attached(timeout=30_000)
    save_screenshot(page, "explorer-filter-zh")
    page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
    expect(page.get_by_text("Programmes", exact=True).first).to_be_visible(timeout=30_000)
    expect(picker).to_have_value("B1 Indicator B1")
    expect(programmes).to_contain_text("Programme B")
    expect(programmes).not_to_contain_text("工程B")
    expect(page).to_have_url(re.compile(r"[?&]lang=en(&|$)"))
    expect(page).to_have_url(re.compile(r"[?&]programme=B(&|$)"))
    expect(table.get_by_text("Indicator B1", exact=True)).to_be_attached(timeout=30_000)
    save_screenshot(page, "explorer-filter-en")
