"""AppTest of the admin pages: accounts and roles, and the audit log."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from factories import TEST_PASSWORD, make_workbook
from support import PAGES, add_accounts, go_to, infos, plain, table_with, texts, visible_pages

from hqd import store
from hqd.accounts import verify_password


def test_admin_creates_an_account_and_sign_in_turns_on(app):
    at = app.open("accounts")
    assert not at.exception
    assert "还没有本地账号" in infos(at)
    assert at.selectbox(key="account_role").value == "admin"  # the first account must be an admin
    at.text_input(key="account_username").set_value("li.si")
    at.text_input(key="account_display").set_value("李四")
    at.selectbox(key="account_role").set_value("editor")
    at.text_input(key="account_password").set_value("Longer-pass-1")
    at.button(key="account_save").click().run()
    assert "必须保留至少一个可用的管理员账号" in texts(at.error)
    at.selectbox(key="account_role").set_value("admin")
    at.text_input(key="account_password").set_value("short")
    at.button(key="account_save").click().run()
    assert "密码至少需要8个字符" in texts(at.error)
    at.text_input(key="account_password").set_value("Longer-pass-1")
    at.button(key="account_save").click().run()
    account = store.read_account(app.engine, "li.si")
    assert account["role"] == "admin" and verify_password(account["password_hash"], "Longer-pass-1")
    assert "Longer-pass-1" not in str(store.read_audit(app.engine).to_dict())


def test_a_refused_account_is_worded_in_the_language_chosen(app):
    at = app.open("accounts")
    at.segmented_control(key="lang").set_value("en").run()
    at.text_input(key="account_username").set_value("li.si")
    at.text_input(key="account_password").set_value("short")
    at.button(key="account_save").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == ["A password needs at least 8 characters."]


def test_identity_roles_for_single_sign_on(app):
    at = app.open("accounts")
    at.text_input(key="identity_name").set_value("wang@zone.gov.cn")
    at.text_input(key="identity_display").set_value("王局长")
    at.selectbox(key="identity_role").set_value("viewer")
    at.button(key="identity_save").click().run()
    assert store.role_of_identity(app.engine, "wang@zone.gov.cn") == ("viewer", "王局长")
    identities = table_with(at, "身份")
    assert (list(identities["身份"]), list(identities["姓名"])) == (["wang@zone.gov.cn"], ["王局长"])


def test_audit_page_lists_and_filters(app):
    store.rollback_upload(app.engine, 2, "张三", "editor")
    at = app.open("audit")
    assert not at.exception
    table = table_with(at, "操作")
    assert table["操作"].iloc[0] == "撤销上传" and table["用户"].iloc[0] == "张三"
    at.selectbox(key="audit_action").set_value("upload_committed").run()
    assert set(table_with(at, "操作")["操作"]) == {"提交上传"}


# With accounts configured: the admin signs in; the others never have, one is disabled, one locked.
ACCOUNTS = [("root", "admin", False), ("staff", "editor", False), ("gone", "analyst", True), ("boss", "viewer", False)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")


@pytest.fixture
def admin(app):
    """Return an AppTest session of the admin signed in with a password, among other accounts."""
    add_accounts(app.engine, ACCOUNTS)
    locked_until = datetime.now(UTC).replace(tzinfo=None) + timedelta(minutes=10)
    store.save_account(app.engine, "boss", "test", None, failed_attempts=5, locked_until=locked_until)
    at = app.open("signin")
    at.text_input(key="signin_username").set_value("root")
    at.text_input(key="signin_password").set_value(TEST_PASSWORD)
    at.button(key="signin_submit").click().run()
    assert not at.exception and any("当前用户：root名" in plain(c.value) for c in at.sidebar.caption)
    return at


# Every page script of app_pages/ but signing in, so that a new page is opened here without being listed.
@pytest.mark.parametrize("page", [page for page in PAGES if page != "signin"])
def test_every_page_opens_for_a_signed_in_admin(admin, page):
    assert page in visible_pages(admin)
    at = go_to(admin, page)
    assert not at.exception
    assert not at.error


def test_accounts_page_lists_never_signed_in_disabled_and_locked_accounts(admin):
    at = go_to(admin, "accounts")
    assert not at.exception
    table = table_with(at, "最近登录").set_index("用户名")
    assert TIME.fullmatch(table.at["root", "最近登录"])
    assert table.at["staff", "最近登录"] == "—" and table.at["gone", "最近登录"] == "—"
    assert bool(table.at["gone", "已停用"]) and not bool(table.at["staff", "已停用"])
    assert table.at["boss", "状态"].startswith("锁定至") and table.at["staff", "状态"] == ""


def test_admin_enables_a_disabled_account_and_resets_a_lock(admin, app):
    at = go_to(admin, "accounts")
    at.text_input(key="account_username").set_value("gone")
    at.selectbox(key="account_role").set_value("analyst")
    at.button(key="account_save").click().run()
    assert not at.exception
    assert not store.read_account(app.engine, "gone")["disabled"]
    at.text_input(key="account_username").set_value("boss")
    at.selectbox(key="account_role").set_value("viewer")
    at.text_input(key="account_password").set_value("Another-pass-2")
    at.button(key="account_save").click().run()
    table = table_with(at, "最近登录").set_index("用户名")
    assert table.at["boss", "状态"] == "" and not bool(table.at["gone", "已停用"])


def test_audit_page_shows_sign_ins_and_failures_of_unknown_names(admin, app):
    store.append_audit(app.engine, "nobody", None, "sign_in_failed", "没有这个账号")
    at = go_to(admin, "audit")
    assert not at.exception
    table = table_with(at, "操作")
    assert list(table["用户"][:2]) == ["nobody", "root"] and table["角色"].iloc[0] == ""
    assert all(TIME.fullmatch(time) for time in table["时间"])
    at.text_input(key="audit_user").set_value("root").run()
    assert set(table_with(at, "操作")["用户"]) == {"root"}


def test_admin_may_revise_the_catalog_on_upload(admin):
    at = go_to(admin, "upload")
    content = make_workbook({"填报": [["指标编码", "年份", "数值"], ["A1", 2023, 160]]})
    (uploader,) = at.file_uploader
    uploader.set_value(("a.xlsx", content, XLSX)).run()
    assert not at.exception
    at.toggle(key="revise_catalog").set_value(True).run()
    assert not at.exception and not at.error


def test_admin_may_roll_back_a_catalog_version(admin):
    at = go_to(admin, "history")
    at.selectbox(key="history_upload").set_value(1).run()
    assert not at.exception
    assert at.button(key="rollback")
