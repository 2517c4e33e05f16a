"""The trusted proxy header against a real server: believed only on a connection from a listed proxy."""

from __future__ import annotations

import pytest
from factories import make_catalog, make_observations
from playwright.sync_api import expect
from support import start_app

from hqd import store

pytestmark = pytest.mark.browser


@pytest.fixture
def proxy_app(tmp_path, monkeypatch):
    """Return a function that starts the app with the header on and these proxy addresses; chief is admin."""
    started = []

    def start(proxies: str) -> str:
        monkeypatch.setenv("HQD_TRUSTED_HEADER", "X-Forwarded-User")
        monkeypatch.setenv("HQD_TRUSTED_PROXIES", proxies)
        url = f"sqlite:///{tmp_path / 'hqd.db'}"
        engine = store.connect(url)
        store.commit_upload(
            engine, "c", None, "t", catalog=make_catalog([{"code": "A1", "programme": "A", "task": "A-1"}])
        )
        store.commit_upload(engine, "v.xlsx", b"v", "t", frame=make_observations([("A1", 2022, 140.0)]))
        store.save_identity_role(engine, "chief", "admin", "root", "admin", "主任")
        engine.dispose()
        process, app = start_app(url, tmp_path / "streamlit.log")
        started.append(process)
        return app

    yield start
    for process in started:
        process.terminate()
        process.wait(timeout=20)


def open_as_chief(browser, app: str, **headers: str):
    """Open the overview in a new browser whose every request, the websocket's too, names chief."""
    context = browser.new_context(locale="zh-CN", extra_http_headers={"X-Forwarded-User": "chief", **headers})
    page = context.new_page()
    page.goto(app)
    expect(page.get_by_role("heading", name="六大工程指标看板")).to_be_visible(timeout=30_000)
    return page


def admin_link(page):
    return page.locator('[data-testid="stSidebarNav"] a', has_text="账号与角色")


def test_a_direct_connection_naming_an_admin_stays_a_reader(browser, proxy_app):
    # The browser connects from 127.0.0.1, which is not the listed proxy.
    page = open_as_chief(browser, proxy_app("192.0.2.1/32"))
    expect(admin_link(page)).to_have_count(0)
    expect(page.get_by_text("当前用户：主任")).to_have_count(0)
    page.context.close()


def test_the_listed_proxy_names_the_user(browser, proxy_app):
    page = open_as_chief(browser, proxy_app("127.0.0.1/32"))
    expect(page.get_by_text("当前用户：主任")).to_be_visible(timeout=20_000)
    expect(admin_link(page)).to_have_count(1)
    page.context.close()


@pytest.mark.parametrize(("forwarded_allow_ips", "believed"), [(None, False), ("", True)])
def test_x_forwarded_for_moves_the_address_unless_streamlit_is_told_not_to(
    browser, proxy_app, monkeypatch, forwarded_allow_ips, believed
):
    # On connections from 127.0.0.1 Streamlit's server (uvicorn) takes the address from
    # X-Forwarded-For, unless FORWARDED_ALLOW_IPS is empty: what SECURITY.md tells to set.
    if forwarded_allow_ips is None:
        monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    else:
        monkeypatch.setenv("FORWARDED_ALLOW_IPS", forwarded_allow_ips)
    page = open_as_chief(browser, proxy_app("127.0.0.1/32"), **{"X-Forwarded-For": "203.0.113.9"})
    if believed:
        expect(page.get_by_text("当前用户：主任")).to_be_visible(timeout=20_000)
    expect(admin_link(page)).to_have_count(1 if believed else 0)
    page.context.close()
