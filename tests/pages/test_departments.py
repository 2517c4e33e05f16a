"""AppTest of departments (issue 13, item 1): the admin sets an editor's departments; the upload page starts the
template at the editor's department and refuses figures of another department's indicators."""

from __future__ import annotations

import json

import pandas as pd
from factories import make_workbook
from support import EDITORS_DEPARTMENT, add_accounts, table_with, tables_with, texts

from hqd import store

OTHER = "财政局"


def test_the_admin_gives_an_editor_departments_on_the_accounts_page(app):
    add_accounts(app.engine, [("root", "admin", False)])
    at = app.open("accounts", signed_in="root")
    assert not at.exception
    at.text_input(key="account_username").set_value("kj")
    at.selectbox(key="account_role").set_value("editor")
    at.text_input(key="account_password").set_value("Longer-pass-1")
    at.button(key="account_save").click().run()
    assert "填报人员账号须属于至少一个责任单位" in texts(at.error)
    assert store.read_account(app.engine, "kj") is None
    at.multiselect(key="account_departments").set_value([EDITORS_DEPARTMENT, OTHER])
    at.button(key="account_save").click().run()
    assert not at.exception and not at.error
    assert set(store.read_departments(app.engine, "kj")) == {EDITORS_DEPARTMENT, OTHER}
    listed = table_with(at, "责任单位")
    assert set(listed.set_index("用户名").at["kj", "责任单位"].split("、")) == {EDITORS_DEPARTMENT, OTHER}
    # Changed later to one department; an admin may not be given any.
    at.multiselect(key="account_departments").set_value([OTHER])
    at.button(key="account_save").click().run()
    assert store.read_departments(app.engine, "kj") == (OTHER,)
    at.selectbox(key="account_role").set_value("admin")
    at.button(key="account_save").click().run()
    assert "只有填报人员账号属于责任单位" in texts(at.error)
    assert store.read_account(app.engine, "kj")["role"] == "editor"


def test_the_admin_gives_a_single_sign_on_editor_a_department(app):
    add_accounts(app.engine, [("root", "admin", False)])
    at = app.open("accounts", signed_in="root")
    at.text_input(key="identity_name").set_value("wang@zone.gov.cn")
    at.selectbox(key="identity_role").set_value("editor")
    at.multiselect(key="identity_departments").set_value([OTHER])
    at.button(key="identity_save").click().run()
    assert not at.exception and not at.error
    assert store.role_of_identity(app.engine, "wang@zone.gov.cn")[0] == "editor"
    assert store.read_departments(app.engine, "wang@zone.gov.cn") == (OTHER,)


def test_the_template_starts_at_the_editors_department_and_at_everyone_for_an_admin(app):
    add_accounts(app.engine, [("root", "admin", False), ("staff", "editor", False)])
    editor = app.open("upload", signed_in="staff")
    assert not editor.exception
    assert editor.selectbox(key="template_department").value == EDITORS_DEPARTMENT
    admin = app.open("upload", signed_in="root")
    assert admin.selectbox(key="template_department").value is None


def test_an_editor_of_another_department_is_refused_at_each_cell_and_audited(app):
    add_accounts(app.engine, [("root", "admin", False), ("staff", "editor", False)])
    store.save_account(app.engine, "staff", "root", "admin", departments=[OTHER])
    at = app.open("upload", signed_in="staff")
    # The editor's department names no indicator of this catalog: the template starts at everyone's.
    assert at.selectbox(key="template_department").value is None
    content = make_workbook({"填报": [["指标编码", "年份", "数值"], ["A1", 2023, 160], ["B1", 2023, 3]]})
    (uploader,) = at.file_uploader
    at = uploader.set_value(("填报.xlsx", content, "application/octet-stream")).run()
    assert not at.exception
    shown = pd.concat(tables_with(at, "问题"), ignore_index=True)
    refused = shown[shown["问题"].str.contains("该项由科技创新局负责，您的账号不能为其填报")]
    assert refused[["工作表", "行", "列", "指标"]].to_numpy().tolist() == [
        ["填报", 2, "C", "A1 指标A1"],
        ["填报", 3, "C", "B1 指标B1"],
    ]
    assert at.button(key="upload_commit").disabled
    audit = store.read_audit(app.engine)
    (detail,) = audit.loc[audit["action"] == "upload_refused", "detail"]
    assert json.loads(detail) == {"code": "audit.upload_refused", "count": 2, "departments": [OTHER]}
    assert len(store.read_uploads(app.engine, store.DATA)) == 1  # the fixture's values only
