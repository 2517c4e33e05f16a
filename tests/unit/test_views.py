"""What each page shows, computed without Streamlit (hqd/views): frames, texts and figures as data."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest
from factories import make_catalog, make_observations

from hqd.accounts import verify_password
from hqd.changes import compare_observations
from hqd.explore import CHART_ROWS, Filters
from hqd.imports import ImportResult
from hqd.problems import ERROR, WARNING, make_problems
from hqd.rollup import compute_report
from hqd.views import accounts, assessment, audit, explorer, history, overview, programme, quality, upload

CATALOG = make_catalog(
    [
        {"code": "A1", "programme": "A", "task": "A-1", "department": "科技局"},
        {"code": "A2", "programme": "A", "task": "A-2", "department": "财政局", "name_en": "Tax"},
        {"code": "B1", "programme": "B", "task": "B-1", "department": ""},
    ]
)
# A2 stays at 101 three years running (stale); B1 jumps fivefold from 2021 to 2022.
VALUES = make_observations(
    [
        ("A1", 2021, 120.0),
        ("A1", 2022, 140.0, "快报"),
        ("A2", 2020, 101.0),
        ("A2", 2021, 101.0),
        ("A2", 2022, 101.0),
        ("B1", 2021, 10.0),
        ("B1", 2022, 50.0),
    ]
)
REPORT = compute_report(CATALOG, VALUES)
LINKS = {"A1": "./a?indicator=A1", "A2": "./a?indicator=A2", "B1": "./b?indicator=B1"}


# --- explorer ---


@pytest.mark.parametrize(
    ("lang", "default_year", "programmes", "names", "tasks", "years"),
    [
        ("zh", 2022, ["A"], ["工程A", "工程B"], ["A-1", "A-2"], (2020, 2022)),
        ("en", 2022, [], ["Programme A", "Programme B"], ["A-1", "A-2", "B-1"], (2020, 2022)),
        ("zh", 2031, ["B"], ["工程A", "工程B"], ["B-1"], (2020, 2025)),  # a default year outside the plan
    ],
)
def test_filter_choices(lang, default_year, programmes, names, tasks, years):
    choices = explorer.list_filter_choices(CATALOG, default_year, lang)
    assert list(choices.programmes) == names and list(choices.programmes.index) == ["A", "B"]
    assert choices.task_options(programmes) == tasks
    assert choices.departments == ["科技局", "财政局"]  # no empty department
    assert "insufficient_data" not in choices.statuses and choices.statuses[0] == "achieved"
    assert choices.default_years == years and choices.years == [2020, 2021, 2022, 2023, 2024, 2025]


@pytest.mark.parametrize(
    ("filters", "codes", "headline"),
    [
        (Filters(2021, 2022), ["A1", "A2", "B1"], "**共3项指标** · ● 达到序时进度 1 · ▼ 明显滞后 1 · ✖ 低于基期 1"),
        (Filters(2021, 2022, programmes=["A"]), ["A1", "A2"], "**共2项指标** · ● 达到序时进度 1 · ▼ 明显滞后 1"),
        (Filters(2021, 2022, text="tax"), ["A2"], "**共1项指标** · ▼ 明显滞后 1"),
        (Filters(2021, 2022, text="无此指标"), [], "**共0项指标** · "),
    ],
)
def test_explore_view_lists_the_selected_indicators(filters, codes, headline):
    view = explorer.explore_view(REPORT, CATALOG, VALUES, filters, "zh")
    assert list(view.table["编码"]) == codes and view.headline == headline
    assert (view.heatmap is None, view.pace is None) == (not codes, not codes)


def test_explore_view_table_values_title_and_formats():
    view = explorer.explore_view(REPORT, CATALOG, VALUES, Filters(2021, 2022, programmes=["A"]), "en", has_sample=True)
    expected = pd.DataFrame(
        {"Code": ["A1", "A2"], "Indicator": ["Indicator A1", "Tax"], "2021": [120.0, 101.0], "2022": [140.0, 101.0]}
    )
    pd.testing.assert_frame_equal(view.table[["Code", "Indicator", "2021", "2022"]], expected)
    assert list(view.names.items()) == [("A1", "Indicator A1"), ("A2", "Tax")]
    assert view.years == [2021, 2022] and view.title == "Indicator explorer 2021–2022" and view.export_note
    assert {name: (c.kind, c.format) for name, c in view.columns.items() if c.kind == "number"} == {
        "2021": ("number", "localized"),
        "2022": ("number", "localized"),
        "Baseline": ("number", "localized"),
        "Target": ("number", "localized"),
        "Projected": ("number", "localized"),
        "Completion rate": ("number", "%.0f%%"),
        "Progress to target": ("number", "%.0f%%"),
        "Pace": ("number", "%.2f"),
    }
    assert [name for name, c in view.columns.items() if c.pinned] == ["Code", "Indicator"]
    # Counts whole, on every row of every value column (A1 and A2 are in 个).
    assert (
        view.export_formats["2021"] == ["#,##0", "#,##0"] and view.export_formats["Progress to target"] == ['0"%"'] * 2
    )
    assert not view.charts_cut and view.status_column == "Status"
    assert list(view.heatmap.data[0].y) == ["A1 Indicator A1", "A2 Tax"]


@pytest.mark.parametrize(
    "filters",
    [
        Filters(2021, 2022),
        Filters(2020, 2024, programmes=["B", "A"]),
        Filters(2021, 2022, departments=["财政局"], text="TAX"),
        Filters(2022, 2022, statuses=["regressing", "on_track"]),
        Filters(2021, 2022, tasks=["A-1"]),
        Filters(2021, 2022, text="无此指标"),
    ],
)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_explore_view_picks_its_rows_of_every_indicators_table(filters, lang):
    # A filter change picks rows of every indicator's table, made once: exactly what the filter alone makes.
    everything = explorer.explore_every_indicator(REPORT, CATALOG, VALUES, filters.year_from, filters.year_to, lang)
    picked = explorer.explore_view(REPORT, CATALOG, VALUES, filters, lang, everything=everything)
    alone = explorer.explore_view(REPORT, CATALOG, VALUES, filters, lang)
    pd.testing.assert_frame_equal(picked.frame, alone.frame)
    pd.testing.assert_frame_equal(picked.table, alone.table)
    pd.testing.assert_frame_equal(picked.rows, alone.rows)
    pd.testing.assert_series_equal(picked.names, alone.names)
    assert (picked.headline, picked.columns, picked.export_formats) == (
        alone.headline,
        alone.columns,
        alone.export_formats,
    )
    assert len(everything.table) == len(REPORT.indicators["code"].unique())


def test_explore_view_says_when_the_charts_leave_indicators_out():
    many = make_catalog([{"code": f"X{i}", "programme": "X", "task": "X-1"} for i in range(CHART_ROWS + 1)])
    report = compute_report(many, make_observations([("X0", 2021, 110.0)]))
    view = explorer.explore_view(report, many, make_observations([]), Filters(2020, 2021), "zh")
    assert view.charts_cut and len(view.heatmap.data[0].y) == CHART_ROWS


@pytest.mark.parametrize(("first", "second", "moved"), [(2021, 2022, ["B1", "A1", "A2"]), (2023, 2024, None)])
def test_compare_view_shows_the_movers_or_nothing(first, second, moved):
    view = explorer.explore_view(REPORT, CATALOG, VALUES, Filters(2020, 2024), "zh")
    figure = explorer.compare_view(view, first, second, "zh")
    if moved is None:
        assert figure is None
    else:
        # The markers of the second year, biggest mover first.
        assert list(figure.data[-1].y) == [f"{code} 指标{code}" for code in moved]


def test_select_history_is_one_indicator_every_year():
    rows = explorer.select_history(REPORT, "A1")
    assert set(rows["code"]) == {"A1"} and list(rows["year"]) == CATALOG.years()


# --- upload ---


def checked(problems: list[str], incoming: list[tuple], catalog_changes: int = 0) -> ImportResult:
    """Return a checked file of the given values against VALUES, with problems of the given severities."""
    compared = compare_observations(VALUES, make_observations(incoming))
    changes = pd.DataFrame({"code": ["A1"] * catalog_changes})
    result = ImportResult("x.xlsx", b"x", compared, make_problems([{"severity": s} for s in problems]))
    return result if not catalog_changes else ImportResult(**{**result.__dict__, "catalog_changes": changes})


def test_upload_lists_departments_and_names_templates():
    assert upload.list_departments(CATALOG) == ["科技局", "财政局"]
    assert upload.name_template(None) == "六大工程指标填报模板_全部.xlsx"
    assert upload.name_template("科技局") == "六大工程指标填报模板_科技局.xlsx"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("zh", [("新增", "1"), ("修改", "1"), ("未变", "1"), ("目录修改", "0"), ("错误", "1"), ("提醒", "2")]),
        (
            "en",
            [
                ("New", "1"),
                ("Changed", "1"),
                ("Unchanged", "1"),
                ("Catalog changes", "0"),
                ("Errors", "1"),
                ("Warnings", "2"),
            ],
        ),
    ],
)
def test_count_preview(lang, expected):
    result = checked([ERROR, WARNING, WARNING], [("A1", 2021, 120.0), ("A1", 2022, 150.0), ("B1", 2023, 1.0)])
    assert upload.count_preview(result, lang) == expected


@pytest.mark.parametrize(("show_unchanged", "rows"), [(False, 2), (True, 3)])
def test_preview_changes_hides_unchanged_values_unless_asked(show_unchanged, rows):
    result = checked([], [("A1", 2021, 120.0), ("A1", 2022, 150.0), ("B1", 2023, 1.0)])
    values, catalog_changes = upload.preview_changes(result, CATALOG, "zh", show_unchanged)
    assert len(values) == rows and catalog_changes is None


def test_describe_commit_names_the_uploads_and_counts_the_values_set():
    result = checked([], [("A1", 2021, 120.0), ("A1", 2022, 150.0), ("B1", 2023, 1.0)])
    assert upload.describe_commit({"catalog": 7, "data": 8}, result) == {"ids": "7、8", "count": 2}


# --- history ---

UPLOADS = pd.DataFrame(
    {
        "id": [2, 1],
        "kind": ["data", "catalog"],
        "file_name": ["values.xlsx", "catalog.csv"],
        "user_name": ["张三", "t"],
        "created_at": [datetime(2024, 3, 1, 8), datetime(2024, 1, 1, 8)],
        "rows": [2, 3],
        "rolled_back_at": [datetime(2024, 3, 2, 8), None],
        "rolled_back_by": ["李四", None],
        "in_effect": [False, True],
    }
)


def test_label_uploads():
    assert history.label_uploads(UPLOADS, "zh") == {2: "#2 values.xlsx", 1: "#1 catalog.csv"}


@pytest.mark.parametrize(
    ("upload_id", "lang", "rolled_back", "changes_columns"),
    [
        (2, "zh", "已撤销（李四，2024-03-02 16:00）", ["编码", "指标", "年份", "原值", "新值", "变化", "备注"]),
        (1, "en", "", ["Code", "Indicator", "Field", "Old value", "New value"]),
    ],
)
def test_show_upload(upload_id, lang, rolled_back, changes_columns):
    changes = (
        compare_observations(VALUES, make_observations([("A1", 2022, 150.0)]))
        if upload_id == 2
        else pd.DataFrame(columns=["code", "change", "field", "old", "new"])
    )
    shown = history.show_upload(UPLOADS, upload_id, changes, CATALOG, lang)
    assert shown.before == UPLOADS.set_index("id").at[upload_id, "created_at"] - pd.Timedelta(microseconds=1)
    assert shown.rolled_back == rolled_back and str(upload_id) in shown.question
    assert list(shown.changes.columns) == changes_columns


# --- accounts ---


def test_list_accounts():
    rows = pd.DataFrame(
        {
            "username": ["root", "boss", "kj"],
            "display_name": ["管理员", "局长", "填报员"],
            "role": ["admin", "viewer", "editor"],
            "disabled": [False, True, False],
            "last_sign_in": [datetime(2024, 5, 1, 1, 2), None, None],
            "locked_until": [None, datetime(2024, 5, 1, 2), None],
        }
    )
    departments = pd.DataFrame({"username": ["kj", "kj"], "department": ["科技创新局", "财政局"]})
    expected = pd.DataFrame(
        {
            "User name": ["root", "boss", "kj"],
            "Name": ["管理员", "局长", "填报员"],
            "Role": ["Admin", "Viewer", "Editor"],
            "Departments": ["", "", "Science, Technology and Innovation Bureau, Finance Bureau"],
            "Disabled": [False, True, False],
            "Last sign-in": ["2024-05-01 09:02", "—", "—"],
            "State": ["", "locked until 2024-05-01 10:00", ""],
        }
    )
    listed = accounts.list_accounts(rows, "en", now=datetime(2024, 5, 1, 1, 30), departments=departments)
    pd.testing.assert_frame_equal(listed, expected)


def test_list_identity_roles():
    kept = pd.DataFrame({"identity": ["wang@zone.gov.cn"], "display_name": ["王局长"], "role": ["editor"]})
    departments = pd.DataFrame({"username": ["wang@zone.gov.cn"], "department": ["科技创新局"]})
    expected = pd.DataFrame(
        {"身份": ["wang@zone.gov.cn"], "姓名": ["王局长"], "角色": ["填报人员"], "责任单位": ["科技创新局"]}
    )
    pd.testing.assert_frame_equal(accounts.list_identity_roles(kept, "zh", departments=departments), expected)


@pytest.mark.parametrize(("existing", "role"), [([], "admin"), (["root"], "analyst")])
def test_suggest_role(existing, role):
    assert accounts.suggest_role(pd.DataFrame({"username": existing})) == role


@pytest.mark.parametrize(
    ("display", "password", "shown", "keys"),
    [
        ("", "", "li.si", {"display_name", "role", "disabled"}),
        (
            "李四",
            "Longer-pass-1",
            "李四",
            {"display_name", "role", "disabled", "password_hash", "failed_attempts", "locked_until"},
        ),
    ],
)
def test_account_fields(display, password, shown, keys):
    fields = accounts.account_fields("li.si", display, "editor", False, password)
    assert set(fields) == keys and fields["display_name"] == shown and fields["role"] == "editor"
    if password:
        assert verify_password(fields["password_hash"], password) and fields["locked_until"] is None


# --- quality ---


def test_check_quality():
    shown = quality.check_quality(REPORT, CATALOG, VALUES, 2023, "en")
    # Nobody reported 2023: departments in order of how little they reported, then by name; named in English
    # where departments.csv has a name (科技局 is not one of the zone's departments, so it stays as written).
    assert list(shown.progress["Responsible department"]) == ["—", "科技局", "Finance Bureau"]
    assert list(shown.missing["Code"]) == ["B1", "A1", "A2"]
    stale = pd.DataFrame(
        {
            "Code": ["A2"],
            "Indicator": ["Tax"],
            "Responsible department": ["Finance Bureau"],
            "Actual value": [101.0],
            "From": [2020],
            "To": [2022],
            "Years": [3],
            "Detail": [LINKS["A2"]],
        }
    )
    pd.testing.assert_frame_equal(shown.stale, stale, check_dtype=False)
    jumps = pd.DataFrame(
        {
            "Code": ["B1"],
            "Indicator": ["Indicator B1"],
            "Responsible department": [""],
            "Year": [2022],
            "Year before": [10.0],
            "Actual value": [50.0],
            "Ratio": [5.0],
            "Detail": [LINKS["B1"]],
        }
    )
    pd.testing.assert_frame_equal(shown.jumps, jumps, check_dtype=False)
    assert shown.targets.empty


# --- overview and programme ---


@pytest.mark.parametrize(("year", "status"), [(2022, "lagging"), (2023, None)])
def test_find_standing(year, status):
    standing = overview.find_standing(REPORT, year)
    assert (standing["status"] if standing is not None else None) == status


@pytest.mark.parametrize(
    ("uploads", "updated"),
    [
        (UPLOADS.assign(in_effect=True), "Data last updated 2024-03-01 16:00 by upload #2 (values.xlsx, 张三)."),
        (UPLOADS, "No data has been uploaded yet."),  # the only data upload was rolled back
    ],
)
def test_overview_view(uploads, updated):
    view = overview.overview_view(REPORT, CATALOG, uploads, 2022, "en")
    assert view.updated == updated
    assert list(view.cards["programme"]) == ["A", "B"]
    labels = [
        [text.text for text in chart.iter("text") if text.get("class") == "label"]
        for chart in (view.scores, view.status_split)
    ]
    assert labels == [["Programme A", "Programme B"]] * 2
    assert list(view.attention["code"]) == ["B1", "A2"]  # regressing before lagging
    assert list(view.attention_table["Indicator"]) == ["Indicator B1", "Tax"]
    assert view.sentences[0].startswith(
        "In 2022 the overall score was 10.2, 29.8 points below the expected progress to date (40.0)"
    )


@pytest.mark.parametrize(("code", "name"), [(None, "工程A"), ("B", "工程B")])
def test_find_programme(code, name):
    assert programme.find_programme(CATALOG, code)["name_zh"] == name


@pytest.mark.parametrize(("code", "year", "status"), [("B", 2022, "lagging"), ("B", 2023, None)])
def test_find_programme_standing(code, year, status):
    standing = programme.find_programme_standing(REPORT, code, year)
    assert (standing["status"] if standing is not None else None) == status


def test_programme_view():
    view = programme.programme_view(REPORT, CATALOG, "A", 2022, "zh")
    assert list(view.rows["code"]) == ["A1", "A2"] and list(view.names) == ["指标A1", "指标A2"]
    assert [list(bar.y) for bar in view.tasks.data[:2]] == [["任务A-1"], ["任务A-2"]]
    assert list(view.table["指标"]) == ["指标A1", "指标A2"]
    assert set(view.history_of("A2")["code"]) == {"A2"} and len(view.history_of("A2")) == len(CATALOG.years())


# --- final assessment ---

# The plan's target year reported: A1 beyond its target, A2 short, B1 not reported in 2025.
FINAL = pd.concat([VALUES, make_observations([("A1", 2025, 210.0), ("A2", 2025, 150.0)])], ignore_index=True)
FINAL_REPORT = compute_report(CATALOG, FINAL)


@pytest.mark.parametrize(("values", "link"), [(VALUES, None), (FINAL, "Open the 14th FYP final assessment")])
def test_assessment_link_only_once_a_period_has_ended(values, link):
    assert assessment.assessment_link(CATALOG, values, "en") == link


def test_assessment_view_says_nothing_before_a_period_ends():
    assert assessment.assessment_view(REPORT, CATALOG, VALUES, "zh") is None


# The pages' report, or one without the period's target year (the view computes the period's own).
@pytest.mark.parametrize("report", [FINAL_REPORT, compute_report(CATALOG, FINAL, years=[2021, 2022])])
def test_assessment_view(report):
    view = assessment.assessment_view(report, CATALOG, FINAL, "zh")
    assert (
        view.title == "十四五终期评估" and view.scope == "十四五（2020—2025年）各项指标在目标年2025年是否完成规划目标。"
    )
    assert view.metrics == [
        ("指标数", "3"),
        ("★ 已完成", "1"),
        ("✖ 未完成", "1"),
        ("○ 无数据", "1"),
        ("完成占比（按权重）", "33%"),
    ]
    assert view.sentences[0] == "十四五期末，3项指标中已完成1项，未完成1项，无数据1项；按指标权重计，已完成的占33%。"
    assert list(view.indicators["完成情况"]) == ["★ 已完成", "✖ 未完成", "○ 无数据"]
    assert list(view.assessment.indicators["outcome"]) == ["met", "not_met", "no_data"]
    assert list(view.programmes["工程"]) == ["工程A", "工程B"] and list(view.tasks["任务"]) == [
        "任务A-1",
        "任务A-2",
        "任务B-1",
    ]
    assert view.indicator_columns["编码"].pinned and view.programme_columns["完成占比（按权重）"].kind == "progress"


# --- audit ---


@pytest.mark.parametrize(
    ("lang", "action", "role"),
    [("zh", ["撤销上传", "登录失败"], ["管理员", ""]), ("en", ["Rollback", "Failed sign-in"], ["Admin", ""])],
)
def test_list_audit(lang, action, role):
    rows = pd.DataFrame(
        {
            "at": [datetime(2024, 5, 1, 1), datetime(2024, 5, 1, 2)],
            "user_name": ["root", "nobody"],
            "role": ["admin", None],
            "action": ["rollback", "sign_in_failed"],
            "detail": ["", ""],
            "upload_id": [3, None],
            "file_name": ["x.xlsx", None],
        }
    )
    listed = audit.list_audit(rows, lang)
    assert list(listed.iloc[:, 3]) == action and list(listed.iloc[:, 2]) == role
    assert list(listed.iloc[:, 0]) == ["2024-05-01 09:00", "2024-05-01 10:00"]
    assert audit.name_audit_actions(lang)["rollback"] == action[0]
