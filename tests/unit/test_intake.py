"""Reading observations from sheets: template form, long form, and every problem located."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from factories import SMALL_INDICATORS, make_catalog, make_formatted_workbook, make_percent_ods, make_workbook

from hqd.i18n import describe_problem
from hqd.intake import parse_numbers, read_observations_from_sheets
from hqd.reading import is_percent_format
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
            "month": [12] * 5,
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
        (["A1", 2021, "abc"], 2, "C", "problem.not_a_number", {"value": "abc", "indicator": "A1", "year": 2021}),
        (["A1", "二〇二一", 5], 2, "B", "problem.bad_year", {"value": "二〇二一", "indicator": "A1"}),
        (
            ["A1", 2019, 5],
            2,
            "C",
            "problem.outside_period",
            {"indicator": "A1", "year": 2019, "first": 2020, "last": 2025},
        ),
        (["A1", 2027, 5], 2, "C", "problem.future_year", {"indicator": "A1", "year": 2027}),
        (["B2", 2021, 120], 2, "C", "problem.percent_range", {"indicator": "B2", "year": 2021, "value": 120.0}),
        (["A1", 2021, -5], 2, "C", "problem.negative", {"indicator": "A1", "year": 2021, "value": -5.0}),
        (["B1", 2021, 1.5], 2, "C", "problem.milestone_integer", {"indicator": "B1", "year": 2021, "value": 1.5}),
        (
            ["A1", 2021, "5%"],
            2,
            "C",
            "problem.percent_for_unit",
            {"unit": "个", "value": "5%", "indicator": "A1", "year": 2021},
        ),
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


@pytest.mark.parametrize(
    ("number_format", "cell", "indicator", "value", "codes"),
    [
        ("0%", 0.06, "B2", 6.0, []),
        ("0.00%", 0.125, "B2", 12.5, []),
        ("0.0%", 0.075, "B2", 7.5, []),
        ("0%", 1, "B2", 100.0, []),
        ("[Blue]0.0%;[Red]-0.0%", 0.55, "B2", 55.0, []),
        # Not a percent format: the number is what the cell holds, and a fraction is still suspect.
        ("General", 0.06, "B2", 0.06, ["problem.percent_fraction"]),
        ("0.00", 0.06, "B2", 0.06, ["problem.percent_fraction"]),
        ('0"%"', 6, "B2", 6.0, []),
        # Only an indicator in % is scaled: a count in a percent cell is taken as it is.
        ("0%", 3, "A1", 3.0, []),
    ],
    ids=["0%", "0.00%", "custom-0.0%", "whole", "coloured", "general", "decimal", "quoted-%", "count"],
)
def test_cell_formatted_as_percent_is_read_as_typed(small_catalog, number_format, cell, indicator, value, codes):
    content = make_formatted_workbook([["指标编码", "年份", "数值"], [indicator, 2021, cell]], {"C2": number_format})
    observations, problems = read_observations_from_sheets(read_sheets(content), small_catalog.targets(), TODAY)
    assert list(problems["code"]) == codes
    assert observations.set_index("indicator").loc[indicator, "value"] == value


def test_percent_cells_of_the_template_form_are_read_as_typed(small_catalog):
    rows = [WIDE_HEADER, wide_row("B2", 0.52, 0.61, 63), wide_row("A1", 0.5)]
    content = make_formatted_workbook(rows, {"K2": "0%", "L2": "0.0%", "K3": "0%"})
    observations, problems = read_observations_from_sheets(read_sheets(content), small_catalog.targets(), TODAY)
    assert problems.empty, problems
    got = observations.set_index(["indicator", "year"])["value"].to_dict()
    assert got == {("B2", 2020): 52.0, ("B2", 2021): 61.0, ("B2", 2022): 63.0, ("A1", 2020): 0.5}


def test_ods_percentage_cells_are_read_as_typed(small_catalog):
    rows = [["指标编码", "年份", "数值"], ["B2", ("float", 2021), 0.06], ["B2", ("float", 2022), ("float", 0.07)]]
    observations, problems = read_observations_from_sheets(
        read_sheets(make_percent_ods(rows), "a.ods"), small_catalog.targets(), TODAY
    )
    assert list(problems["code"]) == ["problem.percent_fraction"]
    assert observations.set_index("year")["value"].to_dict() == {2021: 6.0, 2022: 0.07}


@pytest.mark.parametrize(
    ("code", "percent"),
    [("0%", True), ("0.00%", True), ("#,##0.0%", True), ("General", False), ("0.00", False)]
    + [('0"%"', False), ("0\\%", False), ("[Red]0%", True), ("0_%", False), ("@", False)],
)
def test_percent_number_formats(code, percent):
    assert is_percent_format(code) is percent


def test_a_renamed_indicator_is_found_by_its_former_names_but_a_current_name_wins():
    renamed = [{**d, "aliases": "园区企业总收入|指标A3"} if d["code"] == "A1" else d for d in SMALL_INDICATORS]
    catalog = make_catalog(renamed)
    sheet = [["指标名称", "2021"], ["园区企业总收入", 5], ["指标A3", 40], ["没有这个指标", 1]]
    observations, problems = read_observations_from_sheets(
        read_sheets(make_workbook({"数据": sheet})), catalog.targets(), TODAY
    )
    assert observations[["indicator", "value"]].values.tolist() == [["A1", 5.0], ["A3", 40.0]]
    assert list(problems["code"]) == ["problem.unknown_indicator"]
