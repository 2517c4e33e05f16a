"""The app in a real browser: first start on an empty machine shows the sample overview."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from support import save_screenshot

pytestmark = pytest.mark.browser


def test_first_start_shows_sample_overview(page, app_url):
    page.goto(app_url)
    expect(page.get_by_text("六大工程指标看板").first).to_be_visible(timeout=30_000)
    expect(page.get_by_text("示例数据").first).to_be_visible()
    expect(page.locator('[data-testid="stMetricValue"]').first).to_be_visible()
    assert page.locator('[data-testid="stException"]').count() == 0
    save_screenshot(page, "overview", height=2900)
