"""AppTest of the admin pages: accounts and roles, and the audit log."""

from __future__ import annotations

from support import infos

from hqd import store
from hqd.accounts import verify_password

PAGE_ACCOUNTS, PAGE_AUDIT = "app_pages/accounts.py", "app_pages/audit.py"


def test_admin_creates_an_account_and_sign_in_turns_on(app):
    at = app.open("accounts")
    assert not at.exception
    assert "还没有本地账号" in infos(at)
    assert at.selectbox[0].value == "admin"  # the first account must be an admin
    at.text_input[0].set_value("li.si")
    at.text_input[1].set_value("李四")
    at.selectbox[0].set_value("editor")
    at.text_input[2].set_value("Longer-pass-1")
    at.button[0].click().run()
    assert "必须保留至少一个可用的管理员账号" in at.error[0].value
    at.selectbox[0].set_value("admin")
    at.text_input[2].set_value("short")
    at.button[0].click().run()
    assert "密码至少需要 8 个字符" in at.error[0].value
    at.text_input[2].set_value("Longer-pass-1")
    at.button[0].click().run()
    account = store.read_account(app.engine, "li.si")
    assert account["role"] == "admin" and verify_password(account["password_hash"], "Longer-pass-1")
    assert "Longer-pass-1" not in str(store.read_audit(app.engine).to_dict())


def test_identity_roles_for_single_sign_on(app):
    at = app.open("accounts")
    at.text_input[3].set_value("wang@zone.gov.cn")
    at.text_input[4].set_value("王局长")
    at.selectbox[1].set_value("viewer")
    at.button[1].click().run()
    assert store.role_of_identity(app.engine, "wang@zone.gov.cn") == ("viewer", "王局长")


def test_audit_page_lists_and_filters(app):
    store.rollback_upload(app.engine, 2, "张三", "editor")
    at = app.open("audit")
    assert not at.exception
    table = at.dataframe[0].value
    assert table["操作"].iloc[0] == "撤销上传" and table["用户"].iloc[0] == "张三"
    at.selectbox(key="audit_action").set_value("upload_committed").run()
    assert set(at.dataframe[0].value["操作"]) == {"提交上传"}
    assert PAGE_ACCOUNTS.endswith("accounts.py") and PAGE_AUDIT.endswith("audit.py")
