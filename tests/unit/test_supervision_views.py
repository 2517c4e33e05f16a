"""What the 督办 page and the scorecard show (hqd.views.supervision, hqd.views.departments), and the 督办单 workbook."""

from __future__ import annotations

import io
from datetime import date, datetime

import pandas as pd
from factories import make_catalog, with_key_tasks
from openpyxl import load_workbook
from pandas.testing import assert_frame_equal

from hqd.keytasks import milestone_status
from hqd.supervision import list_supervision
from hqd.tables import insert_explanations
from hqd.views.departments import scorecard_view
from hqd.views.supervision import Supervised, explanation_texts, supervision_view
from hqd.workbook import write_supervision_workbook

KJ, JJ = "科技创新局", "经济发展局"
KJ_EN = "Science, Technology and Innovation Bureau"
CATALOG = with_key_tasks(
    make_catalog(
        [
            {"code": "A1", "programme": "A", "task": "A-1", "department": KJ},
            {"code": "A2", "programme": "A", "task": "A-1", "department": KJ},
            {"code": "B1", "programme": "B", "task": "B-1", "department": JJ},
        ]
    ),
    [("K1", "A-1", "制定方案", KJ, "2024-01", "2024-03"), ("K2", "B-1", "建设平台", JJ, "2024-01", "2024-06")],
    [("K1", 1, "2024-03", "形成初稿"), ("K2", 1, "2024-06", "平台挂牌")],
)
ROWS = pd.DataFrame(
    [("A1", KJ, "lagging", 0.5), ("A2", KJ, "on_track", 1.0), ("B1", JJ, "at_risk", 0.9)],
    columns=["code", "department", "status", "completion"],
).assign(year=2024, month=10)
EXPLANATIONS = pd.DataFrame(
    [("A1", 2024, 10, "=SUM(A1:A9)", "加快进度", date(2024, 12, 31), 7, "kj", datetime(2024, 11, 8, 2))],
    columns=["indicator", "year", "month", "cause", "measures", "expected_by", "upload_id", "user_name", "created_at"],
)
PROGRESS = pd.DataFrame([("K1", 1, date(2024, 3, 10))], columns=["key_task", "step", "completed_on"])
INSTRUCTIONS = pd.DataFrame(
    [(1, "task", "B-1", JJ, "请加快平台建设", datetime(2024, 11, 1, 2), None, None, pd.NaT)],
    columns=["id", "target_kind", "target", "department", "text", "created_at", "answer", "answered_by", "answered_at"],
)
TODAY, AS_OF = date(2024, 11, 20), date(2024, 10, 31)


def supervised(departments=(KJ, JJ)) -> Supervised:
    items = list_supervision(
        ROWS, EXPLANATIONS, CATALOG.key_tasks, CATALOG.milestones, PROGRESS, INSTRUCTIONS, 2024, 10, TODAY, AS_OF
    )
    return Supervised(
        year=2024,
        month=10,
        today=TODAY,
        as_of=AS_OF,
        rows=ROWS[ROWS["department"].isin(departments)],
        all_rows=ROWS,
        items=items[items["department"].isin(departments)].reset_index(drop=True),
        all_items=items,
        steps=milestone_status(CATALOG.key_tasks, CATALOG.milestones, PROGRESS, AS_OF),
        departments=tuple(departments),
    )


def test_the_page_shows_each_departments_items_with_links_and_answers():
    view = supervision_view(supervised(), CATALOG, "zh")
    assert [s.department for s in view.sections] == [JJ, KJ]  # the most open first
    economy = view.sections[0].table
    expected = pd.DataFrame(
        {
            "类别": ["指标情况说明", "重点任务节点", "领导批示"],
            "事项": ["B1 指标B1", "K2 建设平台：节点1 平台挂牌", "任务B-1：请加快平台建设"],
            "办理状态": ["✖ 逾期10天", "▼ 滞后123天", "○ 未答复"],
            "截止（提出）日期": ["2024-11-10", "2024-06-30", "2024-11-01"],
            "超期天数": pd.array([10, 123, 19], dtype="Int64"),
            "答复内容": ["", "", ""],
            "答复人": ["", "", ""],
            "答复日期": ["", "", ""],
            "详情": ["./b?indicator=B1", "./b", "./b"],
        }
    )
    assert_frame_equal(economy, expected, check_dtype=False)
    science = view.sections[1].table.set_index("事项")
    assert science.loc["A1 指标A1", "办理状态"] == "✔ 已说明"
    assert science.loc["A1 指标A1", "答复内容"] == "原因：=SUM(A1:A9)；措施：加快进度；预计完成：2024-12-31"
    assert science.loc["K1 制定方案：节点1 形成初稿", "答复内容"] == "2024-03-10完成"
    assert dict(view.metrics)["待办事项"] == "3" and dict(view.metrics)["已办结"] == "2"
    assert view.figure is not None


def test_the_filters_keep_the_departments_and_kinds_chosen():
    view = supervision_view(supervised(), CATALOG, "zh", departments=[KJ], kinds=["explanation"])
    assert [s.department for s in view.sections] == [KJ]
    assert view.sections[0].table["类别"].tolist() == ["指标情况说明"]
    assert view.figure is None  # nothing open among them


def test_the_supervision_workbook_has_a_sheet_per_department_read_back():
    view = supervision_view(supervised(), CATALOG, "zh", sample=True)
    book = load_workbook(io.BytesIO(write_supervision_workbook(**export(view))))
    assert book.sheetnames == [JJ, KJ]
    sheet = book[KJ]
    assert [sheet.cell(row=r, column=1).value for r in range(1, 6)] == [
        "督办单",
        KJ,
        "报告期：2024年1—10月",
        "制表日期：2024-11-20",
        "情况说明、重点任务节点完成情况为示例数据，仅为演示。",
    ]
    assert [c.value for c in sheet[6]] == [
        "类别",
        "事项",
        "办理状态",
        "截止（提出）日期",
        "超期天数",
        "答复内容",
        "答复人",
        "答复日期",
    ]
    answer = next(c for c in sheet["F"] if str(c.value).startswith("原因"))
    # Typed by a person: kept as text, never a formula.
    assert answer.data_type == "s" and answer.value.startswith("原因：=SUM")
    assert sheet.freeze_panes == "A7"


def test_long_department_names_make_valid_distinct_sheet_names():
    sheets = {"Science, Technology and Innovation Bureau": pd.DataFrame({"a": [1]}), "x/y": pd.DataFrame({"a": [2]})}
    sheets["Science, Technology and Innovation Bureau (copy)"] = pd.DataFrame({"a": [3]})
    book = load_workbook(io.BytesIO(write_supervision_workbook(sheets, "Supervision list", [])))
    assert book.sheetnames == ["Science, Technology and Innovat", "x y", "Science, Technology and Inn (2)"]
    assert book["x y"]["A2"].value == "x/y"


def export(view) -> dict:
    return {
        "sheets": view.export_sheets,
        "title": view.export_title,
        "lines": view.export_lines,
        "note": view.export_note,
    }


def test_an_editor_sees_their_department_ranked_among_all():
    view = scorecard_view(supervised(departments=(KJ,)), CATALOG, "zh")
    assert view.table["责任单位"].tolist() == [KJ]
    # B1 at 90 ranks 经济发展局 first; 科技创新局's A1 at 50 and A2 at 100 average 75.
    assert view.table["排名"].tolist() == [2]
    assert view.table["平均得分"].tolist() == [75.0]
    assert view.table["按时说明"].tolist() == ["1/1"]
    assert view.table["节点按期完成"].tolist() == ["1/1"]
    everyone = scorecard_view(supervised(), CATALOG, "en")
    assert everyone.table["Responsible department"].tolist() == ["Economic Development Bureau", KJ_EN]
    assert everyone.figure is not None


def test_the_explanation_state_goes_beside_the_status_only_where_one_is_needed():
    table = pd.DataFrame({"指标": ["指标A1", "指标A2", "指标B1"], "状态": ["▼", "●", "▲"], "责任单位": [KJ, KJ, JJ]})
    texts = explanation_texts(ROWS, EXPLANATIONS, 2024, 10, "zh", TODAY)
    expected = table.assign(说明状态=["✔ 已说明", "", "✖ 逾期10天"])[["指标", "状态", "说明状态", "责任单位"]]
    assert_frame_equal(insert_explanations(table, texts, "zh"), expected)
    assert explanation_texts(ROWS, EXPLANATIONS, 2024, 10, "en", date(2024, 11, 12)) == [
        "✔ Explained",
        "",
        "○ Not explained",
    ]
