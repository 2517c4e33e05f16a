"""Roles and sign-in under AppTest: who sees which page, who may change data, lockout, audit."""

from __future__ import annotations

import re
from datetime import timedelta
from ipaddress import ip_network

import pytest
from factories import TEST_PASSWORD, make_observations, make_workbook
from streamlit.testing.v1 import AppTest
from support import add_accounts, clear_streamlit_caches, go_to, plain, table_with, texts, visible_pages

from hqd import store
from hqd.accounts import Identity
from hqd.imports import commit_import, prepare_import
from hqd.policy import PermissionDenied
from hqd.settings import ROOT

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# The pages everyone may read; signing in is offered beside them once accounts exist.
READING = {"overview", "programme", "assessment", "supervision", "departments"}


def add_one_of_each_role(app) -> None:
    """Give the fixture database one account of each role."""
    roles = {"root": "admin", "staff": "editor", "ana": "analyst", "boss": "viewer"}
    add_accounts(app.engine, [(username, role, False) for username, role in roles.items()])


@pytest.fixture
def accounts(app, built):
    """The app with one account of each role (add_one_of_each_role, made once and copied)."""
    return app.start_from(built(add_one_of_each_role))


def sign_in(app, username: str, password: str = TEST_PASSWORD) -> AppTest:
    at = app.open("signin")
    at.text_input(key="signin_username").set_value(username)
    at.text_input(key="signin_password").set_value(password)
    at.button(key="signin_submit").click().run()
    return at


def test_single_user_mode_is_admin_with_a_banner(app):
    at = app.open()
    # One line beside the account box, so that the overview's cards stay in the first screen.
    assert "本机单用户模式" in texts(at.sidebar.caption)
    assert visible_pages(at) == READING | {"explorer", "quality", "upload", "history", "accounts", "audit"}


def test_anonymous_reader_sees_only_reading_pages(accounts):
    at = accounts.open()
    assert not at.exception
    assert visible_pages(at) == READING | {"signin"}
    # A page left out of the navigation cannot be switched to either.
    with pytest.raises(ValueError):
        at.switch_page("app_pages/upload.py")


@pytest.mark.parametrize(
    ("username", "pages"),
    [
        ("boss", set()),
        ("ana", {"explorer", "quality"}),
        ("staff", {"explorer", "quality", "upload", "history"}),
        ("root", {"explorer", "quality", "upload", "history", "accounts", "audit"}),
    ],
)
def test_each_role_sees_its_pages(accounts, username, pages):
    at = sign_in(accounts, username)
    assert not at.exception
    assert visible_pages(at) == READING | pages
    assert any(f"当前用户：{username}名" in plain(c.value) for c in at.sidebar.caption)


def test_editor_uploads_and_rolls_back_under_their_own_name(accounts):
    at = sign_in(accounts, "staff")
    go_to(at, "upload")
    content = make_workbook({"填报": [["指标编码", "年份", "数值"], ["A1", 2023, 160]]})
    (uploader,) = at.file_uploader
    uploader.set_value(("a.xlsx", content, XLSX)).run()
    assert "提交人：staff名" in plain(texts(at.caption))
    at.button(key="upload_commit").click().run()
    assert "已提交：第3号上传" in texts(at.success)
    assert store.read_uploads(accounts.engine).iloc[0]["user_name"] == "staff"
    go_to(at, "history")
    at.button(key="rollback").click().run()
    at.button(key="confirm_rollback").click().run()
    assert store.read_uploads(accounts.engine).iloc[0]["rolled_back_by"] == "staff"
    actions = list(store.read_audit(accounts.engine)["action"])
    assert actions[:4] == ["rollback", "upload_committed", "upload_previewed", "sign_in"]


def test_analyst_explores_but_cannot_commit(accounts):
    at = sign_in(accounts, "ana")
    go_to(at, "explorer")
    assert not at.exception
    assert len(at.get("download_button")) == 2
    result = prepare_import(
        accounts.engine, make_workbook({"填报": [["指标编码", "年份", "数值"], ["A1", 2023, 1]]}), "x.xlsx"
    )
    with pytest.raises(PermissionDenied, match="denied.commit"):
        commit_import(accounts.engine, result, "ana", role="analyst")


def test_five_failures_lock_the_account_for_fifteen_minutes(accounts):
    for _ in range(4):
        at = sign_in(accounts, "staff", "wrong-password-1")
        assert [e.value for e in at.error] == ["用户名或密码错误。"]
    at = sign_in(accounts, "staff", "wrong-password-1")
    assert "账号已锁定15分钟" in texts(at.error)
    at = sign_in(accounts, "staff")
    assert "请15分钟后再试" in texts(at.error)
    assert "upload" not in visible_pages(at)
    failures = store.read_audit(accounts.engine, action="sign_in_failed")
    assert len(failures) == 6 and set(failures["user_name"]) == {"staff"}
    assert store.read_account(accounts.engine, "staff")["locked_until"] is not None


def test_unknown_user_gets_the_same_message(accounts):
    at = sign_in(accounts, "nobody")
    assert [e.value for e in at.error] == ["用户名或密码错误。"]


def test_a_refused_sign_in_is_worded_in_the_language_chosen(accounts):
    at = accounts.open("signin")
    at.segmented_control(key="lang").set_value("en").run()
    at.text_input(key="signin_username").set_value("nobody")
    at.text_input(key="signin_password").set_value("wrong-password-1")
    at.button(key="signin_submit").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == ["Wrong user name or password."]


def test_idle_session_ends(accounts):
    at = sign_in(accounts, "staff")
    assert "upload" in visible_pages(at)
    at.session_state["_last_seen"] = at.session_state["_last_seen"] - timedelta(hours=2)
    at.run()
    assert "upload" not in visible_pages(at)


def test_reading_can_require_sign_in(accounts, monkeypatch):
    monkeypatch.setenv("HQD_READ_REQUIRES_SIGNIN", "1")
    at = accounts.open()
    assert visible_pages(at) == {"signin"} and [t.value for t in at.title] == ["登录"]


def test_disabled_account_is_signed_out_at_once(accounts):
    at = sign_in(accounts, "staff")
    store.save_account(accounts.engine, "staff", "root", "admin", disabled=True)
    at.run()
    assert "upload" not in visible_pages(at)


def test_hostile_note_is_shown_as_text(app):
    note = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    store.commit_upload(app.engine, "n.xlsx", b"n", "t", frame=make_observations([("A1", 2022, 151.0, note)]))
    at = app.open("explorer", indicator="A1")
    assert not at.exception
    assert note in list(table_with(at, "进度比")["备注"])  # the explorer's table
    assert note in list(table_with(at, "替换的原值")["备注"])  # the indicator's lineage
    rendered = [e.value for e in (*at.markdown, *at.caption)]
    assert not any("<script>" in text or "onerror" in text for text in rendered)


def test_hostile_file_and_user_names_never_become_links_or_tags(app):
    name = "[点我](http://evil.example)<img src=x onerror=alert(1)>.xlsx"
    store.commit_upload(app.engine, name, b"h", "<b>张三</b>", frame=make_observations([("A1", 2022, 152.0)]))
    at = app.open()
    caption = next(c.value for c in at.caption if "第3号上传" in plain(c.value))
    assert name in plain(caption) and "<b>张三</b>" in plain(caption)
    # Every bracket and angle bracket reaches the markdown renderer escaped.
    assert not re.search(r"(?<!\\)[<>\[\]()]", caption)


def test_single_sign_on_maps_identities_to_roles(app):
    store.save_identity_role(app.engine, "wang@zone.gov.cn", "editor", "root", "admin", "王科长")

    def session(user: dict) -> AppTest:
        # st.user is fixed when a session starts (signing in opens a new one), so one AppTest per user.
        clear_streamlit_caches()
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
        at.secrets["auth"] = {"redirect_uri": "http://localhost/oauth2callback", "cookie_secret": "x" * 32}
        at.user = user
        return at.run()

    at = session({"is_logged_in": False})
    assert visible_pages(at) == READING | {"signin"}
    at = session({"is_logged_in": True, "email": "wang@zone.gov.cn"})
    assert visible_pages(at) == READING | {"explorer", "quality", "upload", "history"}
    assert any("当前用户：王科长" in plain(c.value) for c in at.sidebar.caption)
    assert visible_pages(session({"is_logged_in": True, "email": "someone@zone.gov.cn"})) == READING


def test_a_trusted_proxy_header_names_the_user(app, monkeypatch):
    from hqd.ui.auth import header_identity

    monkeypatch.setenv("HQD_TRUSTED_HEADER", "X-Forwarded-User")
    store.save_identity_role(app.engine, "zhang", "admin", "root", "admin", "张主任")
    proxies = [ip_network("127.0.0.1/32")]
    named = {"X-Forwarded-User": "zhang"}
    assert header_identity(app.engine, named, "127.0.0.1", proxies) == Identity("张主任", "admin", "header", "zhang")
    assert header_identity(app.engine, {"X-Forwarded-User": "li"}, "127.0.0.1", proxies).role == "viewer"
    assert header_identity(app.engine, {}, "127.0.0.1", proxies) is None
    # The same header on a connection from anywhere else names nobody.
    for address in ("203.0.113.9", None, "chief"):
        assert header_identity(app.engine, named, address, proxies) is None


def proxied(app, monkeypatch, address: str | None) -> AppTest:
    """Open the app as a session whose connection comes from `address` with X-Forwarded-User: chief.

    AppTest has no connection to take headers or an address from, so the two are given here.
    """
    from hqd.ui import auth

    monkeypatch.setattr(auth, "request_headers", lambda: {"X-Forwarded-User": "chief"})
    monkeypatch.setattr(auth, "client_address", lambda: address)
    return app.open()


@pytest.mark.parametrize(("address", "believed"), [("127.0.0.1", True), ("203.0.113.9", False), (None, False)])
def test_the_header_is_believed_only_from_a_listed_proxy(app, monkeypatch, address, believed):
    monkeypatch.setenv("HQD_TRUSTED_HEADER", "X-Forwarded-User")
    monkeypatch.setenv("HQD_TRUSTED_PROXIES", "127.0.0.1/32")
    store.save_identity_role(app.engine, "chief", "admin", "root", "admin", "主任")
    at = proxied(app, monkeypatch, address)
    assert not at.exception
    assert ({"accounts", "audit"} <= visible_pages(at)) is believed
    assert any("当前用户：主任" in plain(c.value) for c in at.sidebar.caption) is believed


@pytest.mark.parametrize(
    ("proxies", "named"), [(None, "HQD_TRUSTED_PROXIES"), ("", "HQD_TRUSTED_PROXIES"), ("127.0.0.1,proxy", "proxy")]
)
def test_the_header_without_valid_proxies_refuses_to_run(app, monkeypatch, proxies, named):
    monkeypatch.setenv("HQD_TRUSTED_HEADER", "X-Forwarded-User")
    if proxies is None:
        monkeypatch.delenv("HQD_TRUSTED_PROXIES", raising=False)
    else:
        monkeypatch.setenv("HQD_TRUSTED_PROXIES", proxies)
    monkeypatch.setattr("hqd.ui.auth.request_headers", lambda: {"X-Forwarded-User": "chief"})
    monkeypatch.setattr("hqd.ui.auth.client_address", lambda: "127.0.0.1")
    store.save_identity_role(app.engine, "chief", "admin", "root", "admin", "主任")
    clear_streamlit_caches()
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not at.exception
    (refusal,) = at.error
    assert "拒绝运行" in refusal.value and named in plain(refusal.value)
    # Nothing else runs: no page, no data, nobody recognised.
    assert not at.title and not at.dataframe and not at.sidebar.caption


@pytest.mark.parametrize(("username", "shown"), [("boss", False), ("ana", False), ("staff", True), ("root", True)])
def test_the_bulletin_downloads_are_offered_to_editors_and_admins_only(accounts, username, shown):
    at = sign_in(accounts, username)
    go_to(at, "overview")
    assert not at.exception
    keys = {button.proto.id for button in at.get("download_button")}
    bulletin = {key for key in keys if any(f"bulletin_{fmt}" in key for fmt in ("docx", "pdf", "html"))}
    assert len(bulletin) == (3 if shown else 0), keys
