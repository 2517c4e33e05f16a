"""Reporting periods within a year: headers and cells as offices write them, and figures that do not fit."""

from __future__ import annotations

import io
from datetime import date, datetime

import pandas as pd
import pytest
from factories import REPORTING_INDICATORS, make_catalog, make_observations
from openpyxl import load_workbook

from hqd.formatting import format_period, period_kind
from hqd.i18n import describe_problem
from hqd.intake import parse_period, read_observations_from_sheets
from hqd.workbook import CATALOG_SHEET, DATA_SHEET, GUIDE_SHEET, MONTH_HEADER, read_sheets, write_month_template

TODAY = date(2025, 11, 25)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026", (2026, 12, "year")),
        ("2026年", (2026, 12, "year")),
        ("2026年度", (2026, 12, "year")),
        ("2026年实际", (2026, 12, "year")),
        ("2023年完成情况", (2023, 12, "year")),
        ("2026年全年", (2026, 12, "year")),
        ("2026年1-12月", (2026, 12, "year")),
        ("2026年1-10月", (2026, 10, "ytd")),
        ("2026年1—10月累计", (2026, 10, "ytd")),
        ("２０２６年１－１０月", (2026, 10, "ytd")),
        ("2026 年 1 ～ 10 月", (2026, 10, "ytd")),
        ("2026年1至10月", (2026, 10, "ytd")),
        ("2026年1到10月", (2026, 10, "ytd")),
        ("2026年1–10月份", (2026, 10, "ytd")),
        ("1月-10月", (2025, 10, "ytd")),
        ("1—10月累计", (2025, 10, "ytd")),
        ("2026年3-5月", (2026, 5, "range")),
        ("2026年10月", (2026, 10, "month")),
        ("2026年10月末", (2026, 10, "month")),
        ("2026.10", (2026, 10, "month")),
        ("2026-10", (2026, 10, "month")),
        ("2026/10", (2026, 10, "month")),
        ("10月", (2025, 10, "month")),
        ("2026年三季度", (2026, 9, "quarter")),
        ("2026年第三季度", (2026, 9, "quarter")),
        ("2026年第四季度", (2026, 12, "quarter")),
        ("2026Q3", (2026, 9, "quarter")),
        ("2026年Q3", (2026, 9, "quarter")),
        ("2026ｑ１", (2026, 3, "quarter")),
        ("一季度", (2025, 3, "quarter")),
        ("2026年前三季度", (2026, 9, "first_quarters")),
        ("2026年上半年", (2026, 6, "first_quarters")),
        ("上半年", (2025, 6, "first_quarters")),
        ("2026年下半年", (2026, 12, "range")),
        (2026, (2026, 12, "year")),
        (2026.0, (2026, 12, "year")),
        (10, (2025, 10, "month")),
        (datetime(2026, 10, 1), (2026, 10, "month")),
        ("2026年13月", None),
        ("2026Q5", None),
        ("2026年0月", None),
        ("10-1月", None),
        ("5-5月", None),
        ("随便写点什么", None),
        ("指标编码", None),
        ("年份", None),
        ("基期年", None),
        ("目标年", None),
        (13, None),
        (12.5, None),
        (True, None),
        ("", None),
        # A forecast is not an actual: its column is not read as figures.
        ("2026年预计", None),
        ("全年预计", None),
    ],
)
def test_parse_period(text, expected):
    assert parse_period(text, default_year=2025) == expected


def test_a_period_without_a_year_has_none_without_a_default():
    assert parse_period("1—10月累计") == (None, 10, "ytd")
    assert parse_period("2026年1—10月累计") == (2026, 10, "ytd")


@pytest.mark.parametrize(
    ("year", "month", "kind", "zh", "en"),
    [
        (2026, 12, "year", "2026年", "2026"),
        (2026, 12, None, "2026年", "2026"),
        (2026, 10, None, "2026年10月", "Oct 2026"),
        (2026, 10, "ytd", "2026年1—10月", "Jan–Oct 2026"),
        (2026, 1, "ytd", "2026年1月", "Jan 2026"),
        (2026, 12, "ytd", "2026年", "2026"),
        (2026, 10, "month", "2026年10月", "Oct 2026"),
        (2026, 9, "quarter", "2026年三季度", "Q3 2026"),
        (2026, 12, "quarter", "2026年四季度", "Q4 2026"),
        (2026, 3, "first_quarters", "2026年一季度", "Q1 2026"),
        (2026, 6, "first_quarters", "2026年上半年", "H1 2026"),
        (2026, 9, "first_quarters", "2026年前三季度", "Q1–Q3 2026"),
        (2026, 12, "first_quarters", "2026年", "2026"),
    ],
)
def test_format_period(year, month, kind, zh, en):
    assert format_period(year, month, "zh", kind) == zh
    assert format_period(year, month, "en", kind) == en


@pytest.mark.parametrize(
    ("frequency", "value_kind", "month", "kind"),
    [
        ("month", "cumulative", 10, "ytd"),
        ("month", "stock", 10, "month"),
        ("quarter", "stock", 9, "quarter"),
        ("quarter", "cumulative", 9, "ytd"),
        ("year", "rate", 12, "year"),
        ("month", "cumulative", 12, "ytd"),
    ],
)
def test_period_kind_of_an_indicator(frequency, value_kind, month, kind):
    assert period_kind(frequency, value_kind, month) == kind


def grid(rows: list[list]) -> pd.DataFrame:
    width = max(len(r) for r in rows)
    return pd.DataFrame([[*r, *[""] * (width - len(r))] for r in rows], dtype="object")


@pytest.fixture
def rhythm():
    return make_catalog(REPORTING_INDICATORS).targets()


def read(targets, sheets: dict[str, list[list]], today: date = TODAY):
    return read_observations_from_sheets({name: grid(rows) for name, rows in sheets.items()}, targets, today)


def figures(observations: pd.DataFrame) -> set[tuple]:
    return {(r.indicator, r.year, r.month, r.value) for r in observations.itertuples(index=False)}


def test_wide_headers_take_the_year_from_a_title_row(rhythm):
    sheet = [
        ["2025年1—10月主要指标完成情况"],
        ["指标编码", "1—10月累计", "10月末", "2024年"],
        ["M1", 100, "", 90],
        ["M2", "", 12, 11],
    ]
    observations, problems = read(rhythm, {"月报": sheet})
    assert problems.empty, problems
    assert figures(observations) == {("M1", 2025, 10, 100.0), ("M1", 2024, 12, 90.0)} | {
        ("M2", 2025, 10, 12.0),
        ("M2", 2024, 12, 11.0),
    }
    assert observations.set_index(["indicator", "month"]).loc[("M1", 10), "column"] == "B"


def test_wide_headers_take_the_year_from_the_sheet_name(rhythm):
    observations, problems = read(
        rhythm, {"2025年三季度": [["指标编码", "三季度", "前三季度"], ["Q1", 7, ""], ["Q2", "", 30]]}
    )
    assert problems.empty, problems
    assert figures(observations) == {("Q1", 2025, 9, 7.0), ("Q2", 2025, 9, 30.0)}


def test_months_under_a_year_over_two_header_rows(rhythm):
    sheet = [["指标编码", "2025年", "2025年"], ["", "1-9月", "三季度"], ["Q2", 40, ""], ["Q1", "", 8]]
    observations, problems = read(rhythm, {"数据": sheet})
    assert problems.empty, problems
    assert figures(observations) == {("Q2", 2025, 9, 40.0), ("Q1", 2025, 9, 8.0)}


def test_a_header_without_a_year_anywhere_is_one_problem_at_its_cell(rhythm):
    observations, problems = read(rhythm, {"数据": [["指标编码", "2024", "1—10月累计"], ["M1", 90, 100], ["M2", 5, 6]]})
    assert figures(observations) == {("M1", 2024, 12, 90.0), ("M2", 2024, 12, 5.0)}
    (found,) = problems.itertuples(index=False)
    assert (found.sheet, found.row, found.column, found.code, found.params) == (
        "数据",
        1,
        "C",
        "problem.period_without_year",
        {"period": "1—10月累计"},
    )
    assert "没有年份" in describe_problem(found._asdict())


@pytest.mark.parametrize(
    ("header", "cells", "expected"),
    [
        (["指标编码", "年份", "报告期", "数值"], ["M1", 2025, "1-10月", 100], ("M1", 2025, 10, 100.0)),
        (["指标编码", "报告期", "数值"], ["M1", "2025年1—10月累计", 100], ("M1", 2025, 10, 100.0)),
        (["指标编码", "统计期", "数值"], ["Q1", "2025Q3", 8], ("Q1", 2025, 9, 8.0)),
        (["指标编码", "年份", "月份", "数值"], ["M2", 2025, 10, 12], ("M2", 2025, 10, 12.0)),
        (["指标编码", "年份", "期间", "数值"], ["Q2", 2025, "上半年", 20], ("Q2", 2025, 6, 20.0)),
        (["指标编码", "年份", "时期", "数值"], ["Y1", 2024, "", 61], ("Y1", 2024, 12, 61.0)),
        (["指标编码", "年份", "报告期", "数值"], ["Y1", "", "2024年全年", 61], ("Y1", 2024, 12, 61.0)),
    ],
)
def test_long_form_with_a_period_column(rhythm, header, cells, expected):
    observations, problems = read(rhythm, {"填报": [header, cells]})
    assert problems.empty, problems
    assert figures(observations) == {expected}


def test_long_form_periods_without_a_year_take_the_sheets(rhythm):
    sheet = [["2025年1—10月"], ["指标编码", "报告期", "数值"], ["M1", "1-10月", 100]]
    observations, problems = read(rhythm, {"填报": sheet})
    assert problems.empty, problems
    assert figures(observations) == {("M1", 2025, 10, 100.0)}


@pytest.mark.parametrize(
    ("cells", "column", "code", "params"),
    [
        (
            ["Q1", 2025, "10月", 5],
            "D",
            "problem.period_not_quarterly",
            {"period": "10月", "indicator": "Q1", "year": 2025, "month": 10, "kind": "month"},
        ),
        (
            ["Y1", 2025, "2025年前三季度", 5],
            "D",
            "problem.period_not_yearly",
            {"period": "2025年前三季度", "indicator": "Y1", "year": 2025, "month": 9, "kind": "first_quarters"},
        ),
        (
            ["M1", 2025, "2025年10月", 5],
            "D",
            "problem.period_single_month",
            {"period": "2025年10月", "indicator": "M1", "year": 2025, "month": 10, "kind": "month"},
        ),
        (
            ["Q2", 2025, "三季度", 5],
            "D",
            "problem.period_single_quarter",
            {"period": "三季度", "indicator": "Q2", "year": 2025, "month": 9, "kind": "quarter"},
        ),
        (
            ["M1", 2025, "2025年3-5月", 5],
            "D",
            "problem.period_not_from_january",
            {"period": "2025年3-5月", "indicator": "M1", "year": 2025, "month": 5, "kind": "range"},
        ),
        (["M1", 2025, "2025年13月", 5], "C", "problem.bad_period", {"value": "2025年13月", "indicator": "M1"}),
        (["M1", "", "1-10月", 5], "C", "problem.period_without_year", {"period": "1-10月", "indicator": "M1"}),
        (
            ["M2", 2025, "12月", 5],
            "D",
            "problem.future_year",
            {"indicator": "M2", "year": 2025, "month": 12, "kind": "month"},
        ),
    ],
    ids=[
        "not-quarterly",
        "not-yearly",
        "single-month",
        "single-quarter",
        "not-from-january",
        "bad",
        "no-year",
        "future",
    ],
)
def test_each_period_problem_is_at_its_cell(rhythm, cells, column, code, params):
    observations, problems = read(rhythm, {"填报": [["指标编码", "年份", "报告期", "数值"], cells]})
    (found,) = problems.itertuples(index=False)
    assert (found.sheet, found.row, found.column, found.code, found.params) == ("填报", 2, column, code, params)
    assert found.severity == "error"


def test_a_monthly_cumulative_figure_for_january_is_its_year_to_date(rhythm):
    observations, problems = read(rhythm, {"填报": [["指标编码", "年份", "报告期", "数值"], ["M1", 2025, "1月", 8]]})
    assert problems.empty, problems
    assert figures(observations) == {("M1", 2025, 1, 8.0)}


def test_a_yearly_figure_is_due_once_its_year_has_begun_a_month_once_it_has_ended(rhythm):
    # Today is in November 2025: October has ended, November has not, nor has the year of a monthly total.
    sheet = [
        ["指标编码", "2025年", "2025年10月", "2025年11月", "2025年12月"],
        ["Y1", 5, "", "", ""],
        ["M2", "", 6, 7, ""],
        ["M2", 9, "", "", ""],
    ]
    observations, problems = read(rhythm, {"填报": sheet})
    assert figures(observations) >= {("Y1", 2025, 12, 5.0), ("M2", 2025, 10, 6.0)}
    found = [(p.row, p.column, p.code) for p in problems.itertuples(index=False)]
    assert found == [(3, "D", "problem.future_year"), (4, "B", "problem.future_year")]


@pytest.mark.parametrize(
    ("code", "params", "zh", "en"),
    [
        ("problem.future_year", {"year": 2027}, "2027年尚未到来。", "2027 has not come yet."),
        (
            "problem.future_year",
            {"year": 2026, "month": 12, "kind": "month"},
            "2026年12月尚未到来。",
            "Dec 2026 has not come yet.",
        ),
        (
            "problem.outside_period",
            {"year": 2026, "month": 10, "kind": "ytd", "first": 2020, "last": 2025},
            "2026年1—10月不在规划期（2020–2025年）内。",
            "Jan–Oct 2026 is outside the plan period (2020–2025).",
        ),
        (
            "problem.jump_within_year",
            {"indicator": "M1", "year": 2026, "month": 9, "kind": "quarter", "value": 4, "previous": 1, "ratio": 4},
            "M1的2026年三季度数值4是上年同期1的4倍，请确认单位和数值。",
            "Indicator M1: the Q3 2026 value 4 is 4 times the same period of the year before (1); check the unit "
            "and the value.",
        ),
    ],
)
def test_problems_name_the_period_as_the_office_writes_it(code, params, zh, en):
    assert describe_problem(code, params, "zh") == zh
    assert describe_problem(code, params, "en") == en


def fill_values(content: bytes, values: dict[str, object]) -> bytes:
    """Return the month's template with 数值 typed in as a person would: code -> value."""
    book = load_workbook(io.BytesIO(content))
    sheet = book[DATA_SHEET]
    header = [c.value for c in sheet[1]]
    for r in range(2, sheet.max_row + 1):
        code = sheet.cell(row=r, column=1).value
        if code in values:
            sheet.cell(row=r, column=header.index("数值") + 1).value = values[code]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("month", "periods"),
    [
        (10, {"M1": "2025年1—10月", "M2": "2025年10月"}),
        (9, {"M1": "2025年1—9月", "M2": "2025年9月", "Q1": "2025年三季度", "Q2": "2025年1—9月"}),
        (12, {"M1": "2025年", "M2": "2025年12月", "Q1": "2025年四季度", "Q2": "2025年", "Y1": "2025年"}),
    ],
)
def test_a_months_template_lists_the_indicators_due_and_reads_back_unchanged(month, periods):
    catalog = make_catalog(REPORTING_INDICATORS)
    stored = make_observations([("M1", 2024, 80.0), ("Q1", 2024, 7.0)]).assign(month=month)
    content = write_month_template(catalog, 2025, month, stored)
    data = read_sheets(content)[DATA_SHEET]
    assert list(data.iloc[0]) == MONTH_HEADER
    rows = data.iloc[1:].set_index(0)
    assert rows[4].to_dict() == periods
    # Last year's same period for reference, where stored; this year's cell empty.
    assert rows.loc["M1", 5] == 80.0 and rows.loc["M2", 5] == "" and set(rows[6]) == {""}
    typed = {code: 10.0 + n for n, code in enumerate(periods)}
    observations, problems = read_observations_from_sheets(
        read_sheets(fill_values(content, typed)), catalog.targets(), date(2026, 1, 5), skip=(GUIDE_SHEET, CATALOG_SHEET)
    )
    assert problems.empty, problems
    assert figures(observations) == {(code, 2025, month, value) for code, value in typed.items()}


def test_a_months_template_asks_an_explanation_of_an_indicator_behind_whose_figure_is_not_due():
    from hqd.reports import read_reports
    from hqd.workbook import EXPLANATION_HEADERS, TemplateReports

    catalog = make_catalog(REPORTING_INDICATORS)
    content = write_month_template(catalog, 2025, 10, reports=TemplateReports(2025, 10, pd.Series({"Q1": "lagging"})))
    data = read_sheets(content)[DATA_SHEET]
    header = list(data.iloc[0])
    rows = data.iloc[1:].set_index(0)
    # The quarterly indicator asks for its third quarter's figure; its explanation is October's.
    assert list(rows.index) == ["M1", "M2", "Q1"]
    assert rows.loc["Q1", header.index("报告期")] == "2025年三季度"
    assert rows.loc["Q1", header.index("说明报告期")] == "2025年10月"
    book = load_workbook(io.BytesIO(content))
    sheet = book[DATA_SHEET]
    at = 2 + list(rows.index).index("Q1")
    sheet.cell(at, header.index("数值") + 1).value = 7.5
    sheet.cell(at, header.index(EXPLANATION_HEADERS["cause"]) + 1).value = "项目延期"
    sheet.cell(at, header.index(EXPLANATION_HEADERS["measures"]) + 1).value = "加快推进"
    out = io.BytesIO()
    book.save(out)
    sheets = read_sheets(out.getvalue())
    found, problems = read_reports(sheets, catalog, date(2025, 11, 5), skip=(GUIDE_SHEET, CATALOG_SHEET))
    assert problems.empty, problems
    assert found["explanations"][["indicator", "year", "month"]].to_dict("records") == [
        {"indicator": "Q1", "year": 2025, "month": 10}
    ]
    observations, problems = read_observations_from_sheets(
        sheets, catalog.targets(), date(2025, 11, 5), skip=(GUIDE_SHEET, CATALOG_SHEET)
    )
    assert problems.empty, problems
    assert figures(observations) == {("Q1", 2025, 9, 7.5)}


def test_a_months_template_for_one_department_and_its_guide():
    catalog = make_catalog([{**d, "department": "统计局"} if d["code"] == "M2" else d for d in REPORTING_INDICATORS])
    content = write_month_template(catalog, 2025, 10, department="统计局")
    sheets = read_sheets(content)
    assert list(sheets[DATA_SHEET].iloc[1:, 0]) == ["M2"]
    guide = " ".join(str(c) for c in sheets[GUIDE_SHEET][0])
    assert "2025年10月" in guide and "去年同期" in guide and "本表共1项" in guide


def test_a_header_excel_keeps_as_a_date_is_its_month(rhythm):
    from datetime import datetime

    observations, problems = read(rhythm, {"填报": [["指标编码", datetime(2025, 10, 1)], ["M2", 12]]})
    assert problems.empty, problems
    assert figures(observations) == {("M2", 2025, 10, 12.0)}


def test_a_months_own_figure_beside_its_year_to_date_total_is_refused_alone(rhythm):
    # Offices often print 本月 beside 1—10月累计: only the single month is wrong for a year-to-date total.
    sheet = [["指标编码", "2025年1—10月", "2025年10月"], ["M1", 100, 12]]
    observations, problems = read(rhythm, {"填报": sheet})
    assert [(p.column, p.code) for p in problems.itertuples(index=False)] == [("C", "problem.period_single_month")]
