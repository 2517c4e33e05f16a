"""AppTest of the 督办 page and the departments' scorecard per role, and of 说明状态 beside the tables of indicators.

The fixture's year 2022 has A2 lagging and A3 below its baseline, both 科技创新局's: A2 is explained here, A3 is not
(its deadline, 2023-01-10, long past: overdue). An instruction to 财政局 gives a second department.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from support import EDITORS_DEPARTMENT, add_accounts, html_table, metric, table_with, tables_with, texts

from hqd import store

OTHER = "财政局"


def answer(app) -> None:
    """Give the database A2's explanation for 2022, an instruction to each department, and the accounts."""
    add_accounts(app.engine, [("root", "admin", False), ("staff", "editor", False), ("boss", "viewer", False)])
    explanation = pd.DataFrame(
        [
            {
                "indicator": "A2",
                "year": 2022,
                "month": 12,
                "cause": "=项目延期<b>",
                "measures": "加快入库",
                "expected_by": date(2023, 6, 30),
            }
        ]
    )
    store.commit_upload(app.engine, "说明", None, "staff", reports={"explanations": explanation}, role="editor")
    store.save_instruction(app.engine, "programme", "B", OTHER, "请财政局保障资金", "root", "admin")
    store.save_instruction(app.engine, "indicator", "A3", EDITORS_DEPARTMENT, "请说明原因", "root", "admin")


@pytest.fixture
def answered(app, built):
    """Return the app with A2's explanation, the instructions and the accounts (answer, made once and copied)."""
    return app.start_from(built(answer))


def items_of(at, department_column: str = "类别") -> pd.DataFrame:
    return pd.concat(tables_with(at, department_column, "事项", "办理状态"), ignore_index=True)


def test_an_admin_sees_every_departments_items_with_their_answers(answered):
    at = answered.open("supervision", signed_in="root")
    assert not at.exception
    counts = table_with(at, "待办合计").set_index("责任单位")
    assert set(counts.index) == {EDITORS_DEPARTMENT, OTHER}
    # 科技创新局: A3 unexplained (overdue) and the instruction on it open; A2 explained.
    assert counts.loc[EDITORS_DEPARTMENT, ["待说明指标", "其中逾期", "未答复批示", "已办结"]].tolist() == [1, 1, 1, 1]
    assert counts.loc[OTHER, "未答复批示"] == 1
    assert metric(at, "逾期未说明") == "1"
    items = items_of(at).set_index("事项")
    assert items.loc["A3 指标A3", "办理状态"].startswith("✖ 逾期")
    assert (
        items.loc["A3 指标A3", "详情"]
        == f"./{answered.catalog.programmes.set_index('code').at['A', 'slug']}?indicator=A3"
    )
    explained = items.loc["A2 指标A2"]
    assert explained["办理状态"].startswith("✔ 已说明")
    # Shown as typed: a table cell renders no markup.
    assert explained["答复内容"] == "原因：=项目延期<b>；措施：加快入库；预计完成：2023-06-30"
    assert explained["答复人"] == "staff"
    assert "请财政局保障资金" in " ".join(items.index)
    # In the zone's order of its departments.
    assert at.multiselect(key="supervision_departments").options == [EDITORS_DEPARTMENT, OTHER]


def test_the_list_filters_by_kind_and_department(answered):
    at = answered.open("supervision", signed_in="root")
    at.multiselect(key="supervision_kinds").set_value(["instruction"]).run()
    assert not at.exception
    assert set(items_of(at)["类别"]) == {"领导批示"}
    at.multiselect(key="supervision_departments").set_value([OTHER]).run()
    assert table_with(at, "待办合计")["责任单位"].tolist() == [OTHER]


def test_an_editor_sees_only_their_departments_items(answered):
    at = answered.open("supervision", signed_in="staff")
    assert not at.exception
    assert table_with(at, "待办合计")["责任单位"].tolist() == [EDITORS_DEPARTMENT]
    assert "请财政局保障资金" not in " ".join(items_of(at)["事项"])
    assert at.multiselect(key="supervision_departments").options == [EDITORS_DEPARTMENT]


def test_a_viewer_sees_every_department_in_english(answered):
    at = answered.open("supervision", signed_in="boss", lang="en")
    assert not at.exception
    assert set(table_with(at, "Open in all")["Responsible department"]) == {
        "Science, Technology and Innovation Bureau",
        "Finance Bureau",
    }
    assert at.title[0].value == "Items to answer"


def test_an_editor_without_items_is_told_so(answered):
    store.save_account(answered.engine, "staff", "root", "admin", departments=["数据资源局"])
    at = answered.open("supervision", signed_in="staff")
    assert not at.exception
    assert "未关联任何有督办事项的责任单位" in texts(at.info)


def test_the_scorecard_ranks_departments_for_an_admin_and_shows_an_editor_their_own(answered):
    at = answered.open("departments", signed_in="root")
    assert not at.exception
    card = table_with(at, "平均得分").set_index("责任单位")
    assert card.loc[EDITORS_DEPARTMENT, "排名"] == 1
    assert card.loc[EDITORS_DEPARTMENT, "指标数"] == 6
    assert card.loc[EDITORS_DEPARTMENT, "▼ 明显滞后"] == 1
    # A2's explanation came after its deadline: none on time of the two owed.
    assert card.loc[EDITORS_DEPARTMENT, "按时说明"] == "0/2"
    assert pd.isna(card.loc[OTHER, "排名"]) and card.loc[OTHER, "未答复批示"] == 1
    assert len(at.get("plotly_chart")) == 1
    editor = answered.open("departments", signed_in="staff")
    assert table_with(editor, "平均得分")["责任单位"].tolist() == [EDITORS_DEPARTMENT]


def test_the_attention_table_and_the_programme_table_show_the_explanation_state(answered):
    at = answered.open("overview", signed_in="boss")
    assert not at.exception
    attention = html_table(at, "overview_attention").frame().set_index("指标")
    assert attention.loc["指标A2", "说明状态"].startswith("✔ 已说明")
    assert attention.loc["指标A3", "说明状态"].startswith("✖ 逾期")
    at = answered.open("programme", signed_in="boss")
    indicators = table_with(at, "说明状态", "编码").set_index("编码")
    assert indicators.loc["A1", "说明状态"] == ""  # on track: nothing to explain
    assert indicators.loc["A2", "说明状态"].startswith("✔ 已说明")


def test_the_pages_are_in_the_navigation_for_every_role(answered):
    from support import visible_pages

    for user in ("root", "staff", "boss"):
        at = answered.open("overview", signed_in=user)
        assert {"supervision", "departments"} <= visible_pages(at)
