"""The catalog: the default one loads, and every kind of breakage is named with its row."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from hqd.catalog import FILES, among, build_catalog, read_catalog
from hqd.i18n import describe_error, describe_problem
from hqd.problems import ProblemsError
from hqd.settings import DATA_DIR

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def raw_tables() -> dict[str, pd.DataFrame]:
    """Return the default catalog files as text tables, to break one cell at a time."""
    return {name: pd.read_csv(DATA_DIR / file, dtype="str", keep_default_na=False) for name, file in FILES.items()}


def test_default_catalog_has_the_plans_hierarchy():
    catalog = read_catalog()
    assert list(catalog.programmes["code"]) == ["INN", "IND", "OPN", "TAL", "REF", "CIT"]
    assert catalog.tasks.groupby("programme").size().eq(4).all()
    # 十四五 and 十五五, 52 indicators each; a code runs on from one period to the next.
    assert catalog.indicators.groupby("period").size().to_dict() == {"P14": 52, "P15": 52}
    assert not catalog.indicators.duplicated(["code", "period"]).any()
    assert catalog.programmes["description_zh"].str.len().gt(10).all()
    assert catalog.years("P14") == [2020, 2021, 2022, 2023, 2024, 2025]
    assert catalog.years() == catalog.years("P15") == [2025, 2026, 2027, 2028, 2029, 2030]


def test_period_for_year_picks_the_period_holding_the_year():
    catalog = read_catalog()
    assert catalog.period_for_year(2023) == "P14"
    assert catalog.period_for_year(2025) == "P14"
    assert catalog.period_for_year(2027) == "P15"
    assert catalog.period_for_year(None) == "P15"
    assert len(catalog.targets("P15")) == 52


def test_a_file_of_values_is_checked_against_each_code_once_over_all_its_periods():
    catalog = read_catalog()
    targets = catalog.reporting_targets()
    assert targets["code"].is_unique and set(targets["code"]) == set(catalog.indicators["code"])
    rows = targets.set_index("code")
    # Running on into 十五五: reported from 2020 to 2030, described as 十五五 has it.
    assert (rows.at["INN01", "base_year"], rows.at["INN01", "target_year"], rows.at["INN01", "period"]) == (
        2020,
        2030,
        "P15",
    )
    # Retired with 十四五 (REF01) or new in 十五五 (INN10): their one period's years.
    assert (rows.at["REF01", "base_year"], rows.at["REF01", "target_year"]) == (2020, 2025)
    assert (rows.at["INN10", "base_year"], rows.at["INN10", "target_year"]) == (2025, 2030)


def _break(table: str, row: int, column: str, value: str) -> dict[str, pd.DataFrame]:
    tables = raw_tables()
    tables[table] = tables[table].copy()
    tables[table].loc[row, column] = value
    return tables


@pytest.mark.parametrize(
    ("table", "row", "column", "value", "file_row", "letter", "code", "params", "fragment"),
    [
        (
            "indicators",
            1,
            "code",
            "INN01",
            3,
            "A",
            "problem.catalog_duplicate_code",
            {"code": "INN01"},
            "编码「INN01」重复",
        ),
        (
            "indicators",
            4,
            "direction",
            "sideways",
            6,
            "H",
            "problem.catalog_direction",
            {"direction": "sideways"},
            "方向「sideways」无效",
        ),
        (
            "indicators",
            4,
            "trajectory",
            "cubic",
            6,
            "I",
            "problem.catalog_trajectory",
            {"trajectory": "cubic"},
            "轨迹「cubic」无效",
        ),
        (
            "indicators",
            0,
            "target_value",
            "300",
            2,
            "M",
            "problem.catalog_target_below_base",
            {"target": 300.0},
            "不应低于基期值",
        ),
        (
            "indicators",
            37,
            "target_value",
            "70",
            39,
            "M",
            "problem.catalog_target_above_base",
            {"target": 70.0},
            "不应高于基期值",
        ),
        (
            "indicators",
            37,
            "base_value",
            "sixty",
            39,
            "K",
            "problem.catalog_field_not_a_number",
            {"name": "base_value", "value": "sixty"},
            "不是数字",
        ),
        (
            "indicators",
            36,
            "target_value",
            "3.5",
            38,
            "M",
            "problem.catalog_milestone_integer",
            {"value": 3.5},
            "必须为整数",
        ),
        ("indicators", 2, "weight", "0", 4, "N", "problem.catalog_weight", {"weight": 0.0}, "权重必须为正数"),
        ("indicators", 2, "weight", "-1", 4, "N", "problem.catalog_weight", {"weight": -1.0}, "权重必须为正数"),
        (
            "indicators",
            2,
            "task",
            "INN-9",
            4,
            "D",
            "problem.catalog_unknown_task",
            {"task": "INN-9"},
            "任务「INN-9」不在任务表中",
        ),
        (
            "indicators",
            2,
            "programme",
            "IND",
            4,
            "C",
            "problem.catalog_task_programme",
            {"programme": "IND"},
            "不属于工程「IND」",
        ),
        ("indicators", 2, "unit", "", 4, "G", "problem.catalog_field_blank", {"name": "unit"}, "「unit」为空"),
        (
            "indicators",
            2,
            "period",
            "P99",
            4,
            "B",
            "problem.catalog_unknown_period",
            {"period": "P99"},
            "规划期「P99」不在规划期表中",
        ),
        ("indicators", 2, "base_year", "2026", 4, "L", "problem.catalog_target_year", {}, "目标年必须晚于基期年"),
        (
            "tasks",
            0,
            "programme",
            "XXX",
            2,
            "B",
            "problem.catalog_unknown_programme",
            {"programme": "XXX"},
            "工程「XXX」不在工程表中",
        ),
        (
            "programmes",
            0,
            "weight",
            "abc",
            2,
            "I",
            "problem.catalog_field_not_a_number",
            {"name": "weight", "value": "abc"},
            "不是数字",
        ),
        (
            "indicators",
            2,
            "frequency",
            "weekly",
            4,
            "P",
            "problem.catalog_frequency",
            {"frequency": "weekly"},
            "weekly",
        ),
        ("indicators", 2, "value_kind", "flow", 4, "Q", "problem.catalog_value_kind", {"value_kind": "flow"}, "flow"),
        (
            "indicators",
            36,
            "value_kind",
            "stock",
            38,
            "Q",
            "problem.catalog_milestone_kind",
            {"value_kind": "stock"},
            "节点性目标的数值类型",
        ),
    ],
    ids=[
        "frequency",
        "value-kind",
        "milestone-kind",
        "duplicate",
        "direction",
        "trajectory",
        "up-target-below",
        "down-target-above",
        "not-a-number",
        "milestone-fraction",
        "zero-weight",
        "negative-weight",
        "unknown-task",
        "task-of-other-programme",
        "empty-unit",
        "unknown-period",
        "years-reversed",
        "task-unknown-programme",
        "programme-weight-text",
    ],
)
def test_broken_catalog_names_the_row_and_column(table, row, column, value, file_row, letter, code, params, fragment):
    with pytest.raises(ProblemsError) as caught:
        build_catalog(_break(table, row, column, value))
    problems = caught.value.problems
    hit = problems[problems["code"] == code]
    assert len(hit), problems
    where = hit.iloc[0]
    assert where["sheet"] == FILES[table]
    assert where["row"] == file_row
    assert where["column"] == letter
    assert params.items() <= where["params"].items()
    assert fragment in describe_error(caught.value, "zh")
    assert not CJK.search(describe_problem(where, lang="en").replace(value, ""))


@pytest.mark.parametrize(
    ("row", "code", "params", "fragment"),
    [
        (["INN01", "P15", "2027", "640"], None, {}, ""),
        (["ZZZ99", "P15", "2027", "1"], "problem.catalog_annual_target_unknown", {"code": "ZZZ99"}, "不在指标目录中"),
        (["INN01", "P15", "2025", "550"], "problem.catalog_annual_target_year", {"year": 2025}, "不在其基期年之后"),
        (["INN01", "P15", "2031", "900"], "problem.catalog_annual_target_year", {"year": 2031}, "不在其基期年之后"),
        (["INN01", "P15", "", "900"], "problem.catalog_field_blank", {"name": "year"}, "为空"),
    ],
    ids=["kept", "unknown-indicator", "baseline-year", "after-target-year", "no-year"],
)
def test_annual_targets_are_checked_against_the_indicators_years(row, code, params, fragment):
    tables = raw_tables()
    tables["annual_targets"] = pd.DataFrame([row], columns=["code", "period", "year", "target_value"])
    if code is None:
        catalog = build_catalog(tables)
        assert catalog.annual_targets.to_dict("records") == [
            {"code": "INN01", "period": "P15", "year": 2027, "target_value": 640.0}
        ]
        return
    with pytest.raises(ProblemsError) as caught:
        build_catalog(tables)
    (hit,) = caught.value.problems[caught.value.problems["code"] == code].itertuples(index=False)
    assert (hit.sheet, hit.row) == (FILES["annual_targets"], 2)
    assert params.items() <= hit.params.items()
    assert fragment in describe_error(caught.value, "zh")


def test_a_catalog_without_reporting_fields_is_yearly_with_a_kind_from_its_direction_and_unit():
    tables = raw_tables()
    tables["indicators"] = tables["indicators"].drop(columns=["frequency", "value_kind", "aliases"])
    del tables["annual_targets"]
    rows = build_catalog(tables).indicators.set_index(["code", "period"])
    assert set(rows["frequency"]) == {"year"}
    assert rows.loc[("REF02", "P14"), "value_kind"] == "milestone"
    assert rows.loc[("IND09", "P14"), "value_kind"] == "rate"  # a share in %
    assert rows.loc[("INN01", "P14"), "value_kind"] == "stock"


def test_every_problem_is_reported_at_once():
    tables = _break("indicators", 0, "direction", "sideways")
    tables["indicators"].loc[5, "weight"] = "0"
    tables["indicators"].loc[7, "code"] = "INN01"
    with pytest.raises(ProblemsError) as caught:
        build_catalog(tables)
    assert len(caught.value.problems) == 3


def test_programme_without_tasks_and_task_without_indicators_are_reported():
    tables = raw_tables()
    tables["indicators"] = tables["indicators"][tables["indicators"]["task"] != "CIT-4"]
    with pytest.raises(ProblemsError) as caught:
        build_catalog(tables)
    assert "任务「CIT-4」没有指标" in describe_error(caught.value, "zh")
    assert "Task “CIT-4” has no indicator." in describe_error(caught.value, "en")
    tables = raw_tables()
    tables["programmes"] = pd.concat([tables["programmes"], tables["programmes"].tail(1).assign(code="NEW")])
    with pytest.raises(ProblemsError) as caught:
        build_catalog(tables)
    assert "工程「NEW」没有任务" in describe_error(caught.value, "zh")


def test_missing_column_is_reported_on_the_header_row():
    tables = raw_tables()
    tables["indicators"] = tables["indicators"].drop(columns="direction")
    with pytest.raises(ProblemsError) as caught:
        build_catalog(tables)
    assert caught.value.problems.iloc[0]["row"] == 1
    assert describe_problem(caught.value.problems.iloc[0]) == "缺少列「direction」。"


def test_weight_defaults_to_one_when_blank():
    catalog = build_catalog(_break("indicators", 0, "weight", ""))
    assert catalog.indicators.loc[0, "weight"] == 1.0


def test_missing_english_names_fall_back_to_chinese():
    catalog = build_catalog(_break("indicators", 0, "name_en", ""))
    assert catalog.indicators.loc[0, "name_en"] == catalog.indicators.loc[0, "name_zh"]


@pytest.mark.parametrize(
    ("frequency", "changed", "code"),
    [("month", True, None), ("quarter", False, None), ("weekly", False, "problem.catalog_frequency")],
)
def test_an_admin_may_change_how_an_indicator_is_reported_in_the_catalog_sheet(frequency, changed, code):
    from hqd.revisions import read_catalog_sheet

    catalog = read_catalog()
    grid = pd.DataFrame([["指标编码", "规划期", "报送频率"], ["INN01", "P15", frequency]], dtype="object")
    revised, changes, problems = read_catalog_sheet("指标目录", grid, catalog)
    assert (revised is not None) == changed
    if changed:
        assert changes[["code", "field", "old", "new"]].values.tolist() == [["INN01", "frequency", "quarter", "month"]]
        assert revised.targets("P15").set_index("code").at["INN01", "frequency"] == "month"
    assert list(problems["code"]) == ([code] if code else [])


def test_a_periods_baseline_may_be_left_to_the_previous_periods_final_actual():
    from hqd.progress import compute_progress

    tables = raw_tables()
    ind = tables["indicators"]
    p15 = (ind["code"] == "INN01") & (ind["period"] == "P15")
    tables["indicators"] = ind.assign(base_value=ind["base_value"].where(~p15, ""))
    catalog = build_catalog(tables)
    targets = catalog.targets("P15")
    assert pd.isna(targets.set_index("code").at["INN01", "base_value"])
    # 十四五's 2025 result is 十五五's baseline; without it there is none to measure from.
    observations = pd.DataFrame({"indicator": ["INN01"], "year": [2025], "month": [12], "value": [487.0]})
    rows = compute_progress(targets, observations, [2026]).set_index("code")
    assert rows.at["INN01", "base_value"] == 487.0 and rows.at["INN01", "expected_value"] > 487.0
    assert pd.isna(compute_progress(targets, observations.iloc[:0], [2026]).set_index("code").at["INN01", "base_value"])
    # The first period of an indicator has no earlier result: its baseline may not be left blank.
    p14 = (ind["code"] == "INN01") & (ind["period"] == "P14")
    tables["indicators"] = ind.assign(base_value=ind["base_value"].where(~p14, ""))
    with pytest.raises(ProblemsError) as caught:
        build_catalog(tables)
    (blank,) = caught.value.problems.itertuples(index=False)
    assert (blank.code, blank.params) == ("problem.catalog_field_blank", {"name": "base_value"})


@pytest.mark.parametrize(
    ("codes", "others", "expected"),
    [
        (["A1", "A2", "B1"], ["A2", "A2", "C9"], [False, True, False]),
        (["A1", "A1"], ["A1"], [True, True]),
        (["A1"], [], [False]),
        ([], ["A1"], []),
        (["指标一", "A1"], ["指标一"], [True, False]),
    ],
)
def test_among_answers_as_isin_does(codes, others, expected):
    column, values = pd.Series(codes, dtype="str"), pd.Series(others, dtype="str")
    assert among(column, values).tolist() == expected == column.isin(values).tolist()
