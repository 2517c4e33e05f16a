"""A programme's key tasks as its page shows them: the table, the milestone timeline's traces, the counts."""

from __future__ import annotations

import re
from datetime import date

import pytest
from factories import make_catalog, with_key_tasks

from hqd.views.programme import key_task_view, reporting_date

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
CATALOG = with_key_tasks(
    make_catalog(
        [
            {"code": "A1", "programme": "A", "task": "A-1"},
            {"code": "A2", "programme": "A", "task": "A-2"},
            {"code": "B1", "programme": "B", "task": "B-1"},
        ]
    ),
    [
        ("K3", "A-2", "建设平台", "科技创新局", "2024-01", "2024-12"),
        ("K1", "A-1", "制定方案", "科技创新局", "2024-01", "2024-06"),
        ("K2", "A-1", "开展试点", "科技创新局", "2025-03", "2025-12"),
        ("K9", "B-1", "别的工程", "科技创新局", "2024-01", "2024-12"),
    ],
    [
        ("K1", 1, "2024-03", "形成初稿"),
        ("K1", 2, "2024-06", "印发方案"),
        ("K2", 1, "2025-12", "试点完成"),
        ("K3", 1, "2024-09", "平台挂牌"),
        ("K3", 2, "2024-12", "平台运营"),
        ("K9", 1, "2024-12", "别的节点"),
    ],
)
AS_OF = date(2024, 10, 1)


@pytest.mark.parametrize(
    ("year", "month", "today", "expected"),
    [
        (2024, 9, date(2026, 1, 5), date(2024, 9, 30)),
        (2024, None, date(2026, 1, 5), date(2024, 12, 31)),
        (2026, None, date(2026, 3, 5), date(2026, 3, 5)),
    ],
)
def test_key_tasks_are_judged_at_the_month_reported_or_the_years_end_never_after_today(year, month, today, expected):
    assert reporting_date(year, month, today) == expected


def test_the_table_lists_the_programmes_key_tasks_by_plan_task_with_their_status():
    view = key_task_view(CATALOG, "A", AS_OF, "zh")
    assert list(view.table["重点任务"]) == ["制定方案", "开展试点", "建设平台"]
    assert list(view.table["所属任务"]) == ["任务A-1", "任务A-1", "任务A-2"]
    assert list(view.table["状态"]) == ["▼ 滞后184天", "○ 未开始", "▼ 滞后1天"]
    assert list(view.table["节点完成"]) == ["0/2", "0/1", "0/2"]
    assert list(view.statuses) == ["late", "not_started", "late"]
    assert (view.done, view.late, view.total) == (0, 2, 3)


def test_the_timeline_marks_each_milestone_by_status_with_its_description_and_the_reporting_date():
    figure = key_task_view(CATALOG, "A", AS_OF, "zh").figure
    markers = {trace.name: trace for trace in figure.data if trace.mode == "markers"}
    assert set(markers) == {"▼ 滞后N天", "● 按期推进", "○ 未开始"}
    late = markers["▼ 滞后N天"]
    assert [str(x) for x in late.x] == ["2024-03-31", "2024-06-30", "2024-09-30"]
    assert [row[0] for row in late.customdata] == ["形成初稿", "印发方案", "平台挂牌"]
    assert "%{customdata[0]}" in late.hovertemplate
    assert markers["● 按期推进"].customdata[0][0] == "平台运营"
    # One span per key task, and the reporting date as a vertical line across the plot.
    (spans,) = [trace for trace in figure.data if trace.mode == "lines"]
    assert len(set(spans.y)) == 3
    (line,) = figure.layout.shapes
    assert (str(line.x0)[:10], line.yref, line.y0, line.y1) == ("2024-10-01", "paper", 0, 1)
    assert figure.layout.annotations[0].text == "报告日"


def test_in_english_everything_but_the_key_tasks_chinese_names_is_english():
    view = key_task_view(CATALOG, "A", AS_OF, "en")
    assert list(view.table["Status"]) == ["▼ 184 days late", "○ Not started", "▼ 1 day late"]
    assert not any(CJK.search(c) for c in view.table.columns)
    shown = view.table.drop(columns="Key task").to_numpy().ravel().tolist()
    assert not [cell for cell in shown if CJK.search(str(cell))]
    assert view.figure.layout.title.text == "Key task milestones"
    assert not [t.name for t in view.figure.data if t.name and CJK.search(t.name)]


def test_a_programme_without_key_tasks_has_no_timeline():
    view = key_task_view(with_key_tasks(CATALOG, [], []), "A", AS_OF, "zh")
    assert view.total == 0 and view.figure is None and view.table.empty
