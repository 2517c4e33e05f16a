"""Leaders' pages in a real browser against a database built in code."""

from __future__ import annotations

import re

import pytest
from factories import make_catalog, make_observations
from playwright.sync_api import expect
from support import save_screenshot, start_app

from hqd import store

pytestmark = pytest.mark.browser

PROGRAMMES = {"A": "工程A", "B": "工程B"}


@pytest.fixture(scope="module")
def leaders_url(tmp_path_factory):
    """Start the app on a fixture database: two programmes, three years of figures."""
    folder = tmp_path_factory.mktemp("leaders")
    url = f"sqlite:///{folder / 'hqd.db'}"
    engine = store.connect(url)
    catalog = make_catalog(
        [
            {"code": "A1", "programme": "A", "task": "A-1"},
            {"code": "A2", "programme": "A", "task": "A-2", "direction": "down", "base_value": 60, "target_value": 30},
            {"code": "B1", "programme": "B", "task": "B-1", "unit": "%", "base_value": 50, "target_value": 90},
            {"code": "B2", "programme": "B", "task": "B-1", "trajectory": "compound"},
        ]
    )
    store.commit_catalog(engine, catalog, "catalog.csv", user="t")
    series = {"A1": (100, 118, 140, 150), "A2": (60, 56, 52, 50), "B1": (50, 56, 60, 61), "B2": (100, 112, 118, 121)}
    values = [(c, 2020 + i, v) for c, numbers in series.items() for i, v in enumerate(numbers)]
    store.commit_observations(engine, make_observations(values), "values.xlsx", b"values", "张三")
    engine.dispose()
    process, app = start_app(url, folder / "streamlit.log")
    yield app
    process.terminate()
    process.wait(timeout=20)


def no_exception(page) -> None:
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


def test_a_shared_programme_link_opens_directly_after_a_restart(page, leaders_url):
    # The first visit after the server starts is the one Streamlit used to greet with "Page not found".
    page.goto(f"{leaders_url}/b?year=2022")
    expect(page.get_by_role("heading", name="工程B")).to_be_visible(timeout=30_000)
    page.wait_for_timeout(1000)
    expect(page.get_by_text("Page not found")).to_have_count(0)
    no_exception(page)


def test_every_navigation_entry_opens_without_error(page, leaders_url):
    page.goto(leaders_url)
    expect(page.get_by_role("heading", name="六大工程指标看板")).to_be_visible(timeout=30_000)
    save_screenshot(page, "leaders-overview", height=2600)
    entries = page.locator('[data-testid="stSidebarNav"] a')
    expect(entries).to_have_count(1 + len(PROGRAMMES))
    for name in PROGRAMMES.values():
        page.locator('[data-testid="stSidebarNav"] a', has_text=name).click()
        expect(page.get_by_role("heading", name=name)).to_be_visible(timeout=20_000)
        no_exception(page)
        save_screenshot(page, f"leaders-programme-{name}", height=2000)


def test_card_leads_to_programme_and_indicator_detail_opens(page, leaders_url):
    page.goto(leaders_url)
    expect(page.get_by_text("各工程进展")).to_be_visible(timeout=30_000)
    page.get_by_role("link", name="查看详情").first.click()
    expect(page.get_by_role("heading", name="工程A")).to_be_visible(timeout=20_000)
    assert page.url.split("?")[0].endswith("/a")
    page.locator('[data-testid="stSelectbox"]', has_text="查看指标详情").click()
    page.get_by_role("option", name="A1 指标A1").click()
    expect(page.get_by_text("指标A1(个)")).to_be_visible(timeout=20_000)
    expect(page).to_have_url(re.compile(r"indicator=A1"))
    no_exception(page)
    save_screenshot(page, "leaders-indicator-detail", height=2400)


def test_english_switch_relabels_the_page(page, leaders_url):
    page.goto(leaders_url)
    expect(page.get_by_role("heading", name="六大工程指标看板")).to_be_visible(timeout=30_000)
    page.get_by_text("English", exact=True).click()
    expect(page.get_by_role("heading", name="Six Major Projects dashboard")).to_be_visible(timeout=20_000)
    expect(page.get_by_text("Overall score").first).to_be_visible()
    no_exception(page)
