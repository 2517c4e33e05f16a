"""AppTest of the audit page's verdict on the hash chain, in both languages."""

from __future__ import annotations

import sqlite3

import sqlalchemy as sa
from support import table_with

from hqd import store


def test_audit_page_says_the_chain_is_intact_then_names_the_break(app):
    at = app.open("audit")
    assert not at.exception
    assert [s.value for s in at.success] == ["审计链完整，共2条。"] and not at.error
    at.segmented_control(key="lang").set_value("en").run()
    assert [s.value for s in at.success] == ["The audit chain is intact: 2 entries."]

    with sqlite3.connect(sa.engine.make_url(str(app.engine.url)).database) as raw:
        raw.execute("DROP TRIGGER audit_no_update")
        raw.execute("UPDATE audit SET detail = '无事发生' WHERE seq = 2")
    at = app.open("audit")
    assert not at.exception and not at.success
    assert [e.value for e in at.error] == ["审计链断裂：第2条（编号2）的内容与其哈希不符，已被改动。"]
    assert list(table_with(at, "说明")["说明"])[0] == "无事发生"  # the rows are still listed


def test_audit_details_are_worded_in_the_language_chosen(app):
    with sqlite3.connect(sa.engine.make_url(str(app.engine.url)).database) as raw:
        old = raw.execute("SELECT detail FROM audit WHERE seq = 1").fetchone()[0]
    at = app.open("audit")
    assert list(table_with(at, "说明")["说明"]) == ["11个数值（新增0，修改0）", "指标目录新版本，6项指标"]
    at.segmented_control(key="lang").set_value("en").run()
    assert list(table_with(at, "Detail")["Detail"]) == [
        "11 values (0 new, 0 changed)",
        "New catalog version: 6 indicators",
    ]
    assert old.startswith('{"code"')  # stored as data, worded only here


def test_audit_rows_are_worded_and_show_a_dash_for_no_upload(app):
    # A preview recorded as English text before details were data, and one recorded today, as the page does.
    legacy = "rows 3, new 1, changed 1, unchanged 1, catalog_changes 0, errors 0, warnings 0"
    store.append_audit(app.engine, "李四", "editor", "upload_previewed", legacy, file_name="填报.xlsx")
    counts = {"rows": 3, "new": 1, "changed": 1, "unchanged": 1, "catalog_changes": 0, "errors": 0, "warnings": 0}
    store.append_audit(app.engine, "李四", "editor", "upload_previewed", {"code": "audit.previewed", **counts})
    at = app.open("audit")
    assert not at.exception
    listed = table_with(at, "说明")
    worded = "预览3个数值：新增1个，修改1个，未变1个；目录修改0处；错误0个，提醒0个"
    assert list(listed["说明"])[:2] == [worded, worded]
    assert str(listed["编号"].dtype) == "Int64" and listed["编号"].isna().tolist()[:2] == [True, True]
