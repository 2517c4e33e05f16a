"""Fixtures of the browser tests: Debian's Chromium through Playwright, a real app."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import start_app, unavailable

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    """Return a headless Chromium, or skip (fail in CI) when it is missing."""
    if not Path(CHROMIUM).exists():
        unavailable(f"Chromium at {CHROMIUM}", "HQD_REQUIRE_BROWSER")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # The machine has no outside network; background services would only fail to connect.
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    """Return the URL of the app running on a new database with the sample data."""
    folder = tmp_path_factory.mktemp("app")
    process, url = start_app(f"sqlite:///{folder / 'hqd.db'}", folder / "streamlit.log")
    yield url
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()
