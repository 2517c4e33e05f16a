"""Reading observations from sheets: template form, long form, and every problem located."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from factories import make_workbook

from hqd.i18n import describe_problem
from hqd.intake import parse_numbers, read_observations_from_sheets
from hqd.workbook import read_sheets

TODAY = date(2026, 11, 25)
WIDE_HEADER = [
    "指标编码",
    "工程",
    "任务",
    "指标名称",
    "单位",
    "方向",
    "基期年",
    "基期值",
    "目标年",
    "目标值",
    "2020",
    "2021",
    "2022",
    "2023",
    "2024",
    "2025",
    "责任单位",
    "备注",
]


def read(small_catalog, sheets: dict[str, list[list]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    content = make_workbook(sheets)
    return read_observations_from_sheets(read_sheets(content), small_catalog.targets(), TODAY)


def wide_row(code: str, *years, note=None) -> list:
    return [code, "", "", "", "", "", 2020, 0, 2025, 0, *years, *[None] * (6 - len(years)), "测试局", note]


@pytest.mark.parametrize(
    ("raw", "value", "blank", "bad", "percent"),
    [
        (12, 12.0, False, False, False),
        (12.5, 12.5, False, False, False),
        ("12.5", 12.5, False, False, False),
        (" 1,234.5 ", 1234.5, False, False, False),
        ("１２３", 123.0, False, False, False),
        ("12.5%", 12.5, False, False, True),
        ("12.5％", 12.5, False, False, True),
        ("-3", -3.0, False, False, False),
        ("", None, True, False, False),
        ("—", None, True, False, False),
        ("-", None, True, False, False),
        ("/", None, True, False, False),
        ("无", None, True, False, False),
        ("abc", None, False, True, False),
        ("12万", None, False, True, False),
        (True, None, False, True, False),
        ("inf", None, False, True, False),
        ("1e999", None, False, True, False),
        (float("inf"), None, False, True, False),
    ],
)
def test_parse_numbers(raw, value, blank, bad, percent):
    got = parse_numbers(pd.Series([raw], dtype="object")).iloc[0]
    assert pd.isna(got["value"]) if value is None else got["value"] == value
    assert (bool(got["blank"]), bool(got["bad"]), bool(got["percent"])) == (blank, bad, percent)


def test_template_form_reads_each_year_cell_with_its_location(small_catalog):
    observations, problems = read(
        small_catalog,
        {
            "指标数据": [
                WIDE_HEADER,
                wide_row("A1", 100, 110, "120", None, "—", note="口径调整"),
                wide_row("A3", 60, 55),
            ]
        },
    )
    assert problems.empty
    expected = pd.DataFrame(
        {
            "indicator": ["A1", "A1", "A1", "A3", "A3"],
            "year": [2020, 2021, 2022, 2020, 2021],
            "value": [100.0, 110.0, 120.0, 60.0, 55.0],
            "note": ["口径调整"] * 3 + [None] * 2,
            "sheet": ["指标数据"] * 5,
            "row": [2, 2, 2, 3, 3],
            "column": ["K", "L", "M", "K", "L"],
        }
    )
    got = observations.sort_values(["indicator", "year"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_long_form_with_title_rows_names_and_year_suffixes(small_catalog):
    observations, problems = read(
        small_catalog,
        {
            "数据": [
                ["2023年指标填报"],
                [],
                ["指标名称", "年份", "数值(个)", "备注"],
                ["指标A1", "2021年", "110", "首报"],
                ["a1", 2022, 120, None],
                ["指标B2", 2022, "60%", None],
            ]
        },
    )
    assert problems.empty, problems
    got = observations.set_index(["indicator", "year"])
    assert got.loc[("A1", 2021), "value"] == 110 and got.loc[("A1", 2021), "row"] == 4
    assert got.loc[("B2", 2022), "value"] == 60
    assert len(observations) == 3


@pytest.mark.parametrize(
    ("cell", "row", "column", "code", "params"),
    [
        (["XX9", 2021, 5], 2, "A", "problem.unknown_indicator", {"text": "XX9"}),
        (["A1", 2021, "abc"], 2, "C", "problem.not_a_number", {"value": "abc"}),
        (["A1", "二〇二一", 5], 2, "B", "problem.bad_year", {"value": "二〇二一"}),
        (["A1", 2019, 5], 2, "C", "problem.outside_period", {"year": 2019, "first": 2020, "last": 2025}),
        (["A1", 2027, 5], 2, "C", "problem.future_year", {"year": 2027}),
        (["B2", 2021, 120], 2, "C", "problem.percent_range", {"value": 120.0}),
        (["A1", 2021, -5], 2, "C", "problem.negative", {"value": -5.0}),
        (["B1", 2021, 1.5], 2, "C", "problem.milestone_integer", {"value": 1.5}),
        (["A1", 2021, "5%"], 2, "C", "problem.percent_for_unit", {"unit": "个", "value": "5%"}),
    ],
    ids=[
        "unknown",
        "not-number",
        "bad-year",
        "before-plan",
        "future",
        "percent-range",
        "negative-count",
        "milestone-fraction",
        "percent-for-count",
    ],
)
def test_each_problem_has_sheet_row_column_code_and_params(small_catalog, cell, row, column, code, params):
    observations, problems = read(small_catalog, {"填报": [["指标编码", "年份", "数值"], cell]})
    errors = problems[problems["severity"] == "error"]
    assert len(errors) == 1, problems
    found = errors.iloc[0]
    assert (found["sheet"], found["row"], found["column"], found["code"]) == ("填报", row, column, code)
    assert found["params"] == params


def test_same_cell_twice_with_different_values_is_an_error_at_both(small_catalog):
    _, problems = read(
        small_catalog, {"填报": [["指标编码", "年份", "数值"], ["A1", 2021, 5], ["A1", 2021, 5], ["A1", 2021, 6]]}
    )
    assert problems["row"].tolist() == [2, 3, 4]
    assert set(problems["code"]) == {"problem.duplicate_value"}
    assert "出现多次且数值不同" in describe_problem(problems.iloc[2])
    assert problems.iloc[2]["params"] == {
        "indicator": "A1",
        "year": 2021,
        "value": 6.0,
        "first_sheet": "填报",
        "first_row": 2,
        "first_column": "C",
    }


def test_problems_are_all_reported_at_once(small_catalog):
    _, problems = read(
        small_catalog, {"填报": [["指标编码", "年份", "数值"], ["XX", 2021, 5], ["A1", 2021, "x"], ["B2", 2022, 101]]}
    )
    assert len(problems) == 3


def test_sheet_without_header_is_ignored_with_a_warning_and_empty_file_is_an_error(small_catalog):
    observations, problems = read(small_catalog, {"说明": [["随便写点什么"]]})
    assert observations.empty
    assert problems["severity"].tolist() == ["error", "warning"]
    assert problems["code"].tolist() == ["problem.no_values", "problem.sheet_without_header"]
    assert "没有找到任何指标数值" in describe_problem(problems.iloc[0])


def test_missing_year_columns_is_an_error(small_catalog):
    _, problems = read(small_catalog, {"填报": [["指标编码", "指标名称", "备注"], ["A1", "x", ""]]})
    assert problems.iloc[0]["code"] == "problem.no_year_columns"
    assert "缺少年份列" in describe_problem(problems.iloc[0])
    assert problems.iloc[0]["row"] == 1
