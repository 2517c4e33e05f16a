"""Leaders' pages in a real browser against a database built in code."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from support import save_screenshot

pytestmark = pytest.mark.browser

PROGRAMMES = {"A": "工程A", "B": "工程B"}


def no_exception(page) -> None:
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


def test_a_shared_programme_link_opens_directly_after_a_restart(page, fixture_app):
    # The first visit after the server starts is the one Streamlit used to greet with "Page not found".
    page.goto(f"{fixture_app}/b?year=2022")
    expect(page.get_by_role("heading", name="工程B")).to_be_visible(timeout=30_000)
    page.wait_for_timeout(1000)
    expect(page.get_by_text("Page not found")).to_have_count(0)
    no_exception(page)


def test_every_navigation_entry_opens_without_error(page, fixture_app):
    page.goto(fixture_app)
    expect(page.get_by_role("heading", name="六大工程指标看板")).to_be_visible(timeout=30_000)
    save_screenshot(page, "leaders-overview", height=2600)
    entries = page.locator('[data-testid="stSidebarNav"] a')
    expect(entries).to_have_count(2 + len(PROGRAMMES) + 8)  # the overview and its final assessment first
    for name in PROGRAMMES.values():
        page.locator('[data-testid="stSidebarNav"] a', has_text=name).click()
        expect(page.get_by_role("heading", name=name)).to_be_visible(timeout=20_000)
        no_exception(page)
        save_screenshot(page, f"leaders-programme-{name}", height=2000)
    for name in (
        "终期评估",
        "督办事项",
        "单位考评",
        "指标查询",
        "数据质量",
        "上传数据",
        "上传历史",
        "账号与角色",
        "审计日志",
    ):
        page.locator('[data-testid="stSidebarNav"] a', has_text=name).click()
        # The page's title holds its name (督办事项 also heads the period's list below it).
        expect(page.get_by_role("heading", name=name).first).to_be_visible(timeout=20_000)
        no_exception(page)


def test_card_leads_to_programme_and_indicator_detail_opens(page, fixture_app):
    page.goto(fixture_app)
    # A card's title is the link to its programme (the sidebar has a link of the same name).
    card_link = page.locator('[data-testid="stMain"]').get_by_role("link", name="工程A")
    expect(card_link).to_be_visible(timeout=30_000)
    card_link.click()
    expect(page.get_by_role("heading", name="工程A")).to_be_visible(timeout=20_000)
    assert page.url.split("?")[0].endswith("/a")
    page.locator('[data-testid="stSelectbox"]', has_text="查看指标详情").click()
    page.get_by_role("option", name="A1 指标A1").click()
    expect(page.get_by_text("指标A1（个）")).to_be_visible(timeout=20_000)
    expect(page).to_have_url(re.compile(r"indicator=A1"))
    no_exception(page)
    save_screenshot(page, "leaders-indicator-detail", height=2400)


def test_english_switch_relabels_the_page(page, fixture_app):
    page.goto(fixture_app)
    expect(page.get_by_role("heading", name="六大工程指标看板")).to_be_visible(timeout=30_000)
    page.get_by_text("English", exact=True).click()
    expect(page.get_by_role("heading", name="Six Major Projects dashboard")).to_be_visible(timeout=20_000)
    expect(page.get_by_text("Overall score").first).to_be_visible()
    no_exception(page)
