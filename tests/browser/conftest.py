"""Fixtures of the browser tests: Debian's Chromium through Playwright, a real app."""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import FOUR_INDICATORS, FOUR_YEARS, TEST_PASSWORD, make_catalog, make_observations
from playwright.sync_api import expect
from support import start_app, unavailable

from hqd import store

CHROMIUM = "/usr/bin/chromium"
# The browser tests run beside the others on every core (pytest-xdist), so a page may take longer
# to draw than Playwright's default 5 s for an expectation.
expect.set_options(timeout=20_000)


def pytest_collection_modifyitems(items):
    """Keep each browser test module on one pytest-xdist worker, so its app starts once."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))


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


@pytest.fixture(scope="module")
def fixture_app(tmp_path_factory):
    """Start the app on a fixture database: two programmes, three years of figures."""
    folder = tmp_path_factory.mktemp("fixture")
    url = f"sqlite:///{folder / 'hqd.db'}"
    engine = store.connect(url)
    store.commit_upload(engine, "catalog.csv", None, "t", catalog=make_catalog(FOUR_INDICATORS))
    store.commit_upload(engine, "values.xlsx", b"values", "张三", frame=make_observations(FOUR_YEARS))
    engine.dispose()
    process, app = start_app(url, folder / "streamlit.log")
    yield app
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="module")
def accounts_app(tmp_path_factory):
    """Start the app on a fixture database with an editor (staff) and a viewer (boss) account."""
    from hqd.accounts import hash_password

    folder = tmp_path_factory.mktemp("accounts")
    url = f"sqlite:///{folder / 'hqd.db'}"
    engine = store.connect(url)
    store.commit_upload(engine, "c", None, "t", catalog=make_catalog([{"code": "A1", "programme": "A", "task": "A-1"}]))
    store.commit_upload(engine, "v.xlsx", b"v", "t", frame=make_observations([("A1", 2022, 140.0)]))
    for username, role in (("staff", "editor"), ("boss", "viewer")):
        store.save_account(
            engine,
            username,
            "test",
            None,
            # The editor reports for the department of the catalog's indicator (factories.make_catalog).
            departments=["测试局"] if role == "editor" else [],
            display_name=username,
            role=role,
            password_hash=hash_password(TEST_PASSWORD),
            disabled=False,
        )
    engine.dispose()
    process, app = start_app(url, folder / "streamlit.log")
    yield app
    process.terminate()
    process.wait(timeout=20)


# Six programmes with names as long as the real ones, indicators with long names, units and departments.
SIX_PROGRAMMES = {
    "INN": "Innovation-led development",
    "IND": "Industrial upgrading",
    "OPN": "Open development",
    "TAL": "Talent agglomeration",
    "REF": "Reform and business environment",
    "CIT": "Industry-city integration",
}


@pytest.fixture(scope="module")
def six_programmes_app(tmp_path_factory):
    """Start the app on sample-marked data of six programmes (banners shown), nobody signed in (single-user)."""
    import dataclasses

    folder = tmp_path_factory.mktemp("six")
    url = f"sqlite:///{folder / 'hqd.db'}"
    engine = store.connect(url)
    rows = []
    for code in SIX_PROGRAMMES:
        rows += [
            {
                "code": f"{code}1",
                "programme": code,
                "task": f"{code}-1",
                "name_zh": "当年新增高层次人才和急需紧缺人才培训人次",
                "name_en": "High-level and urgently needed talent trained in the year",
                "unit": "人次",
                "base_value": 10000,
                "target_value": 40000,
                "department": "人力资源和社会保障局",
            },
            {
                "code": f"{code}2",
                "programme": code,
                "task": f"{code}-1",
                "unit": "亿元",
                "direction": "down",
                "base_value": 60,
                "target_value": 30,
            },
        ]
    catalog = make_catalog(rows)
    catalog = dataclasses.replace(
        catalog, programmes=catalog.programmes.assign(name_en=catalog.programmes["code"].map(SIX_PROGRAMMES))
    )
    store.commit_upload(engine, "catalog.csv", None, "t", catalog=catalog)
    values = [(f"{c}1", 2020 + i, 10000 + 6000 * i) for c in SIX_PROGRAMMES for i in range(4)]
    values += [(f"{c}2", 2020 + i, 60 + 3 * i) for c in SIX_PROGRAMMES for i in range(4)]
    store.commit_upload(engine, "sample.xlsx", b"sample", "示例数据", frame=make_observations(values), is_sample=True)
    engine.dispose()
    process, app = start_app(url, folder / "streamlit.log")
    yield app
    process.terminate()
    process.wait(timeout=20)
