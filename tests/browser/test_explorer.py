"""The explorer in a real browser: a filter lands in the URL, and the URL opens the same view."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from support import save_screenshot

pytestmark = pytest.mark.browser


def test_a_copied_link_opens_the_same_selection(page, fixture_app, browser):
    page.goto(f"{fixture_app}/explorer")
    expect(page.get_by_text("共4项指标")).to_be_visible(timeout=30_000)
    page.locator('[data-testid="stMultiSelect"]', has_text="工程").first.click()
    page.get_by_role("option", name="工程B").click()
    page.keyboard.press("Escape")
    expect(page.get_by_text("共2项指标")).to_be_visible(timeout=20_000)
    expect(page).to_have_url(re.compile(r"programme="))
    save_screenshot(page, "explorer", height=2400)
    link = page.url

    other = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN").new_page()
    other.goto(link)
    expect(other.get_by_text("共2项指标")).to_be_visible(timeout=30_000)
    # The table is drawn on a canvas; its cells exist for screen readers.
    table = other.locator('[data-testid="stDataFrame"]').first
    # The grid fills its screen-reader table after it has drawn; on a busy machine that takes seconds.
    expect(table.get_by_text("B1", exact=True)).to_be_attached(timeout=30_000)
    expect(table.get_by_text("A1", exact=True)).to_have_count(0)
    expect(other.locator('[data-testid="stException"]')).to_have_count(0)
    other.context.close()
