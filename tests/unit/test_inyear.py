"""Tests of hqd.inyear (progress within a year against 序时进度) against docs/METHOD.md, section 7.

Every expected number was worked out by hand from the method; none comes from the code. The
indicators run 2020 -> 2025 (make_catalog), so the linear trajectory gives the annual target of 2024
as B + (T - B) * 4/5 and that of 2023 (the straight line's value at last December) as B + (T - B) * 3/5.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from factories import make_catalog
from hypothesis import given, settings
from hypothesis import strategies as st

from hqd.catalog import INDICATOR_COLUMNS
from hqd.inyear import COLUMNS, PARENT_COLUMNS, classify_gap, compute_in_year, rollup_in_year
from hqd.settings import Thresholds, seasonal_pace

NAN = math.nan
CODE = "X1"
YEAR = 2024
# Kinds of figure: the reference catalog's value_kind × frequency.
CUMULATIVE = {"value_kind": "cumulative", "frequency": "month"}
STOCK = {"value_kind": "stock", "frequency": "quarter"}
RATE = {"value_kind": "rate", "frequency": "quarter"}
# 60 -> 30 working days: the annual target of 2024 is 36, the line at last December 42.
RATE_DOWN = {**RATE, "direction": "down", "base_value": 60, "target_value": 30, "unit": "工作日"}
# Stages 0 -> 4: the trajectory of 2024 is 3.2, whose whole stage 3 is the annual target.
MILESTONE = {"value_kind": "milestone", "frequency": "quarter", "direction": "milestone", "base_value": 0}
MILESTONE = {**MILESTONE, "target_value": 4, "unit": "阶段"}


def targets_of(rows: list[dict]) -> pd.DataFrame:
    """Return a period's targets (Catalog.targets' columns) built in code.

    Each row needs code, programme, task; the rest defaults to an `up`, linear, monthly year-to-date
    indicator from 100 in 2020 to 200 in 2025 with weight 1.
    """
    defaults = {
        "period": "P14",
        "unit": "个",
        "direction": "up",
        "trajectory": "linear",
        "base_year": 2020,
        "base_value": 100.0,
        "target_year": 2025,
        "target_value": 200.0,
        "weight": 1.0,
        "department": "测试局",
        "frequency": "month",
        "value_kind": "cumulative",
        "aliases": "",
    }
    frame = pd.DataFrame(
        [{**defaults, "name_zh": f"指标{r['code']}", "name_en": f"Indicator {r['code']}", **r} for r in rows]
    )
    numbers = {"base_year": "int64", "target_year": "int64", "base_value": "float64", "target_value": "float64"}
    return frame[INDICATOR_COLUMNS].astype({**numbers, "weight": "float64"})


def observations(rows: list[tuple]) -> pd.DataFrame:
    """Return observations (indicator, year, month, value) from tuples."""
    frame = pd.DataFrame(rows, columns=["indicator", "year", "month", "value"])
    return frame.astype({"indicator": "str", "year": "int64", "month": "int64", "value": "float64"})


def annual(rows: list[tuple]) -> pd.DataFrame:
    """Return admin-set annual targets (code, year, target_value) from tuples."""
    return pd.DataFrame(rows, columns=["code", "year", "target_value"]).astype(
        {"code": "str", "year": "int64", "target_value": "float64"}
    )


def case(case_id, indicator, figures, month, expected, annual_targets=None, seasonal=False):
    """Return one case: indicator overrides, its figures as (year, month, value), the month asked, fields."""
    return pytest.param(indicator, figures, month, annual_targets, seasonal, expected, id=case_id)


CASES = [
    # A year-to-date total: 10/12 of the annual target 180 is due by October (150).
    case(
        "cumulative-slightly-behind",
        CUMULATIVE,
        [(2023, 10, 120), (2023, 12, 170), (2024, 9, 120), (2024, 10, 135)],
        10,
        dict(
            as_of_month=10,
            value=135,
            annual_target=180,
            base=170,
            start_value=0,
            expected_value=150,
            expected_completion=10 / 12,
            completion=135 / 180,
            attainment=135 / 180,
            gap_points=100 * (135 / 180 - 10 / 12),
            yoy=135 / 120 - 1,
            status="at_risk",
        ),
    ),
    case(
        "cumulative-at-pace-is-ahead",
        CUMULATIVE,
        [(2024, 10, 150)],
        10,
        dict(completion=150 / 180, expected_completion=10 / 12, gap_points=0, status="on_track"),
    ),
    # 132 / 180 - 10/12 is -0.10000000000000009 in floats: ten points behind is still only slightly.
    case(
        "cumulative-ten-points-behind-is-slightly",
        CUMULATIVE,
        [(2024, 10, 132)],
        10,
        dict(gap_points=-10, status="at_risk"),
    ),
    case("cumulative-beyond-ten-points", CUMULATIVE, [(2024, 10, 131.9)], 10, dict(status="lagging")),
    # The latest month reported counts, judged at its own month: September against 9/12.
    case(
        "cumulative-late-figure",
        CUMULATIVE,
        [(2024, 9, 120)],
        11,
        dict(as_of_month=9, value=120, expected_value=135, expected_completion=9 / 12, status="at_risk"),
    ),
    # Seasonality: last year had 700 of its 1,000 by October, so 70 % of 180 is due, not 10/12.
    case(
        "seasonal",
        CUMULATIVE,
        [(2023, 10, 700), (2023, 12, 1000), (2024, 10, 135)],
        10,
        dict(
            expected_value=0.7 * 180,
            expected_completion=0.7,
            completion=0.75,
            gap_points=5,
            yoy=135 / 700 - 1,
            status="on_track",
        ),
        seasonal=True,
    ),
    case(
        "seasonal-without-last-october-is-even",
        CUMULATIVE,
        [(2023, 12, 1000), (2024, 10, 135)],
        10,
        dict(expected_value=150, expected_completion=10 / 12, yoy=NAN, status="at_risk"),
        seasonal=True,
    ),
    case(
        "seasonal-without-a-positive-total-is-even",
        CUMULATIVE,
        [(2023, 10, 0), (2023, 12, 0), (2024, 10, 135)],
        10,
        dict(expected_value=150, expected_completion=10 / 12, yoy=NAN),
        seasonal=True,
    ),
    case(
        "seasonal-leaves-levels-even",
        STOCK,
        [(2023, 9, 100), (2023, 12, 170), (2024, 9, 176)],
        9,
        dict(expected_value=170 + 10 * 9 / 12, expected_completion=0.75),
        seasonal=True,
    ),
    # A stock from last December's 170 to 180: judged on the year's way gone, 6 of 10 by September
    # against 9/12. A quarterly indicator asked for October is judged on September; October's figure
    # does not fit its frequency and is not read.
    case(
        "stock-quarterly-asked-for-october",
        STOCK,
        [(2023, 9, 160), (2023, 12, 170), (2024, 9, 176), (2024, 10, 999)],
        10,
        dict(
            as_of_month=9,
            value=176,
            annual_target=180,
            base=170,
            start_value=170,
            expected_value=177.5,
            expected_completion=0.75,
            completion=0.6,
            attainment=176 / 180,
            gap_points=-15,
            yoy=0.1,
            status="lagging",
        ),
    ),
    case(
        "stock-unmoved-since-december",
        STOCK,
        [(2023, 12, 170), (2024, 6, 170)],
        6,
        dict(completion=0, expected_completion=0.5, gap_points=-50, status="lagging"),
    ),
    # Without last December, a level starts on the straight line from the baseline to this year's
    # target, read at last December: 100 + (180 - 100) * 3/4 = 160.
    case(
        "stock-without-last-december",
        STOCK,
        [(2024, 6, 172)],
        6,
        dict(base=NAN, start_value=160, expected_value=170, completion=12 / 20, gap_points=10, status="on_track"),
    ),
    case(
        "stock-held-at-its-target",
        {**STOCK, "base_value": 180, "target_value": 180},
        [(2023, 12, 180), (2024, 3, 180)],
        3,
        dict(start_value=180, expected_value=180, completion=1, expected_completion=1, status="on_track"),
    ),
    case(
        "stock-held-level-missed",
        {**STOCK, "base_value": 180, "target_value": 180},
        [(2023, 12, 180), (2024, 3, 179)],
        3,
        dict(completion=0, expected_completion=1, gap_points=-100, status="lagging"),
    ),
    # Lower is better: 40 days last December, 36 this year's target; 37 by September is on the line.
    case(
        "rate-down-on-pace",
        RATE_DOWN,
        [(2023, 9, 45), (2023, 12, 40), (2024, 9, 37)],
        9,
        dict(
            annual_target=36,
            start_value=40,
            expected_value=37,
            completion=0.75,
            expected_completion=0.75,
            attainment=36 / 37,
            gap_points=0,
            yoy=NAN,
            status="on_track",
        ),
    ),
    case(
        "rate-down-behind",
        RATE_DOWN,
        [(2023, 12, 40), (2024, 9, 39)],
        9,
        dict(completion=0.25, gap_points=-50, status="lagging"),
    ),
    case(
        "rate-without-last-december",
        RATE_DOWN,
        [(2024, 6, 39)],
        6,
        dict(start_value=42, expected_value=39, completion=0.5, expected_completion=0.5, status="on_track"),
    ),
    case(
        "rate-yearly-in-october-has-no-figure",
        {**RATE, "frequency": "year"},
        [(2023, 12, 170), (2024, 12, 180)],
        10,
        dict(as_of_month=None, value=NAN, expected_value=170, status="no_data"),
    ),
    case(
        "rate-yearly-in-december",
        {**RATE, "frequency": "year"},
        [(2023, 12, 170), (2024, 12, 178)],
        12,
        dict(as_of_month=12, expected_value=180, completion=0.8, expected_completion=1, status="lagging"),
    ),
    # Milestone, stage 3 of 4 due this year, stage 2 reached last December: stage 3 is due in
    # December, not 10/12 of it by October (2 + 10/12 is still stage 2).
    case(
        "milestone-step-stage-2-in-october",
        MILESTONE,
        [(2023, 12, 2), (2024, 9, 2)],
        10,
        dict(
            annual_target=3,
            start_value=2,
            expected_value=2,
            expected_completion=0,
            completion=0,
            attainment=2 / 3,
            gap_points=0,
            yoy=NAN,
            status="on_track",
        ),
    ),
    case(
        "milestone-stage-3-reached-early",
        MILESTONE,
        [(2023, 12, 2), (2024, 9, 3)],
        10,
        dict(completion=1, expected_completion=0, gap_points=100, status="on_track"),
    ),
    case(
        "milestone-stage-3-missed-in-december",
        MILESTONE,
        [(2023, 12, 2), (2024, 12, 2)],
        12,
        dict(expected_value=3, expected_completion=1, completion=0, gap_points=-100, status="lagging"),
    ),
    # Without last December: the line from stage 0 to this year's 3, read at last December, is 2.25: stage 2.
    case(
        "milestone-without-last-december",
        MILESTONE,
        [(2024, 6, 2)],
        6,
        dict(start_value=2, expected_value=2, completion=0, status="on_track"),
    ),
    # A year-to-date total where lower is better: the ratio mirrored (annual target ÷ actual).
    case(
        "cumulative-down",
        {**CUMULATIVE, "direction": "down", "base_value": 60, "target_value": 30},
        [(2024, 6, 20)],
        6,
        dict(expected_value=18, completion=36 / 20, expected_completion=36 / 18, gap_points=-20, status="lagging"),
    ),
    case(
        "no-data",
        CUMULATIVE,
        [(2023, 10, 120), (2025, 10, 160)],
        10,
        dict(
            as_of_month=None,
            value=NAN,
            expected_value=150,
            completion=NAN,
            gap_points=NAN,
            yoy=NAN,
            status="no_data",
        ),
    ),
    # The admin's annual target replaces the trajectory's (a target for another year does not).
    case(
        "annual-target-override",
        CUMULATIVE,
        [(2024, 10, 150)],
        10,
        dict(annual_target=240, expected_value=200, completion=0.625, status="lagging"),
        annual_targets=annual([(CODE, 2024, 240), (CODE, 2023, 999), ("OTHER", 2024, 1)]),
    ),
    case(
        "annual-target-for-another-year-only",
        CUMULATIVE,
        [(2024, 10, 150)],
        10,
        dict(annual_target=180, status="on_track"),
        annual_targets=annual([(CODE, 2025, 240)]),
    ),
    # 同比: the same months of last year, for totals and stocks; none without a positive figure to compare.
    case("yoy-cumulative", CUMULATIVE, [(2023, 10, 125), (2024, 10, 150)], 10, dict(yoy=0.2)),
    case("yoy-stock", STOCK, [(2023, 6, 200), (2024, 6, 150)], 6, dict(yoy=-0.25)),
    case("yoy-last-year-zero", CUMULATIVE, [(2023, 10, 0), (2024, 10, 150)], 10, dict(yoy=NAN)),
    case("yoy-last-year-negative", CUMULATIVE, [(2023, 10, -5), (2024, 10, 150)], 10, dict(yoy=NAN)),
    case("yoy-rate-none", RATE, [(2023, 6, 100), (2024, 6, 150)], 6, dict(yoy=NAN)),
]


def in_year_row(indicator, figures, month, annual_targets=None, seasonal=False) -> pd.Series:
    """Return the computed row of one indicator for one month of 2024."""
    targets = targets_of([{"code": CODE, "programme": "P", "task": "P-1", **indicator}])
    obs = observations([(CODE, *f) for f in figures])
    out = compute_in_year(targets, obs, YEAR, month, annual_targets, seasonal)
    assert len(out) == 1
    return out.iloc[0]


@pytest.mark.parametrize(("indicator", "figures", "month", "annual_targets", "seasonal", "expected"), CASES)
def test_in_year_matches_hand_computation(indicator, figures, month, annual_targets, seasonal, expected):
    row = in_year_row(indicator, figures, month, annual_targets, seasonal)
    got = {name: (None if row[name] is pd.NA else row[name]) for name in expected}
    want = {
        name: value
        if value is None or isinstance(value, str)
        else pytest.approx(value, rel=1e-9, abs=1e-9, nan_ok=True)
        for name, value in expected.items()
    }
    assert got == want


def test_a_small_whole_result():
    targets = targets_of(
        [
            {"code": "C1", "programme": "A", "task": "A-1", **CUMULATIVE},
            {"code": "S1", "programme": "A", "task": "A-1", **STOCK, "weight": 2},
        ]
    )
    obs = observations([("C1", 2024, 9, 120), ("C1", 2024, 10, 160), ("S1", 2023, 12, 170), ("S1", 2024, 9, 176)])
    got = compute_in_year(targets, obs, YEAR, [10, 9])
    fixed = {
        "period": "P14",
        "programme": "A",
        "task": "A-1",
        "unit": "个",
        "direction": "up",
        "department": "测试局",
    }
    want = pd.DataFrame(
        {
            "code": ["C1", "C1", "S1", "S1"],
            **{name: [value] * 4 for name, value in fixed.items()},
            "name_zh": ["指标C1", "指标C1", "指标S1", "指标S1"],
            "name_en": ["Indicator C1", "Indicator C1", "Indicator S1", "Indicator S1"],
            "weight": [1.0, 1.0, 2.0, 2.0],
            "frequency": ["month", "month", "quarter", "quarter"],
            "value_kind": ["cumulative", "cumulative", "stock", "stock"],
            "year": [2024] * 4,
            "month": [9, 10, 9, 10],
            "as_of_month": pd.array([9, 10, 9, 9], dtype="Int64"),
            "value": [120.0, 160, 176, 176],
            "annual_target": [180.0] * 4,
            "base": [NAN, NAN, 170, 170],
            "start_value": [0.0, 0, 170, 170],
            "expected_value": [135.0, 150, 177.5, 177.5],
            "expected_completion": [0.75, 10 / 12, 0.75, 0.75],
            "completion": [120 / 180, 160 / 180, 0.6, 0.6],
            "attainment": [120 / 180, 160 / 180, 176 / 180, 176 / 180],
            "gap_points": [100 * (120 / 180 - 0.75), 100 * (160 / 180 - 10 / 12), -15, -15],
            "yoy": [NAN] * 4,
            "status": ["at_risk", "on_track", "lagging", "lagging"],
        }
    )
    want = want.astype({"year": "int64", "month": "int64", "weight": "float64"})[COLUMNS]
    pd.testing.assert_frame_equal(got, want, check_dtype=False, check_exact=False, rtol=1e-12)
    assert got["year"].dtype == "int64" and got["month"].dtype == "int64"
    assert str(got["as_of_month"].dtype) == "Int64"


def test_inputs_are_left_unchanged():
    targets = targets_of([{"code": CODE, "programme": "P", "task": "P-1", **STOCK}])
    obs = observations([(CODE, 2023, 12, 170), (CODE, 2024, 9, 176)])
    overrides = annual([(CODE, 2024, 190)])
    copies = [targets.copy(), obs.copy(), overrides.copy()]
    compute_in_year(targets, obs, YEAR, range(1, 13), overrides, seasonal=True)
    for before, after in zip(copies, [targets, obs, overrides], strict=True):
        pd.testing.assert_frame_equal(before, after)


@pytest.mark.parametrize("months", [0, 13, []])
def test_months_outside_the_year_are_refused(months):
    targets = targets_of([{"code": CODE, "programme": "P", "task": "P-1"}])
    with pytest.raises(ValueError):
        compute_in_year(targets, observations([]), YEAR, months)


@pytest.mark.parametrize(
    ("gap", "thresholds", "status"),
    [
        (0.0, Thresholds(), "on_track"),
        (-1e-12, Thresholds(), "on_track"),
        (-0.5, Thresholds(), "at_risk"),
        (-10.0, Thresholds(), "at_risk"),
        (-10.01, Thresholds(), "lagging"),
        (NAN, Thresholds(), "no_data"),
        (-0.5, Thresholds(in_year_on_pace_points=1.0), "on_track"),
        (-10.01, Thresholds(in_year_behind_points=15.0), "at_risk"),
        (-3.0, Thresholds(in_year_behind_points=2.0), "lagging"),
    ],
)
def test_thresholds_are_settings(gap, thresholds, status):
    assert classify_gap(np.array([gap]), thresholds).tolist() == [status]


@pytest.mark.parametrize(("value", "on"), [("", False), ("0", False), ("1", True), ("true", True), ("YES", True)])
def test_seasonal_pace_is_a_setting(monkeypatch, value, on):
    monkeypatch.setenv("HQD_SEASONAL_PACE", value)
    assert seasonal_pace() is on


# Rolled up: indicators X (weight 1), Y (weight 2), Z (no data) under A-1; W under A-2 (task weight 3);
# V (no data) alone under B-1. Completion capped to 0-100 as the yearly score is.
ROLLUP_FRAME = pd.DataFrame(
    [
        # code, task, month, weight, completion, expected_completion
        ("X", "A-1", 9, 1.0, 0.5, 0.8),
        ("Y", "A-1", 9, 2.0, 1.2, 0.8),
        ("Z", "A-1", 9, 1.0, NAN, 0.75),
        ("W", "A-2", 9, 1.0, 0.6, 0.75 + 1 / 12),
        ("V", "B-1", 9, 1.0, NAN, 0.75),
        ("X", "A-1", 10, 1.0, -0.2, 10 / 12),
        ("Y", "A-1", 10, 2.0, NAN, 10 / 12),
        ("Z", "A-1", 10, 1.0, NAN, 10 / 12),
        ("W", "A-2", 10, 1.0, 0.9, 10 / 12),
        ("V", "B-1", 10, 1.0, NAN, 10 / 12),
    ],
    columns=["code", "task", "month", "weight", "completion", "expected_completion"],
).assign(period="P14", year=YEAR, programme=lambda f: f["task"].str[0])


def parents(key: str, rows: list[tuple]) -> pd.DataFrame:
    """Return an expected parent frame from (key, month, score, expected, status, weight_with_data, n, n_data)."""
    frame = pd.DataFrame(
        rows, columns=[key, "month", "score", "expected_score", "status", "weight_with_data", "children", "data"]
    )
    frame = frame.assign(year=YEAR, gap_points=frame["score"] - frame["expected_score"])
    frame = frame.rename(columns={"data": "children_with_data"})
    return frame[[key, *PARENT_COLUMNS]].astype({"year": "int64", "month": "int64"})


@pytest.fixture(scope="module")
def rolled():
    catalog = make_catalog(
        [
            {"code": code, "programme": task[0], "task": task}
            for code, task in [("V", "B-1"), ("X", "A-1"), ("Y", "A-1"), ("Z", "A-1"), ("W", "A-2")]
        ],
        tasks_weights={"A-2": 3},
    )
    return rollup_in_year(catalog, ROLLUP_FRAME)


def test_rollup_tasks(rolled):
    # In catalog order (B-1 first there, last in the frame), then by month.
    want = parents(
        "task",
        [
            ("B-1", 9, NAN, NAN, "no_data", 0.0, 1, 0),
            ("B-1", 10, NAN, NAN, "no_data", 0.0, 1, 0),
            # A-1 in September: (1·50 + 2·100) / 3 against 80; October: X alone, below 0 counts 0.
            ("A-1", 9, 250 / 3, 80, "on_track", 3.0, 3, 2),
            ("A-1", 10, 0, 250 / 3, "lagging", 1.0, 3, 1),
            ("A-2", 9, 60, 250 / 3, "lagging", 1.0, 1, 1),
            ("A-2", 10, 90, 250 / 3, "on_track", 1.0, 1, 1),
        ],
    )
    got = rolled.tasks[[*want.columns]]
    pd.testing.assert_frame_equal(got, want, check_dtype=False)


def test_rollup_programmes_and_plan(rolled):
    # A in September: tasks A-1 (weight 1) and A-2 (weight 3): (250/3 + 3·60) / 4 against (80 + 3·250/3) / 4;
    # in October (0 + 3·90) / 4 against 250/3.
    a9 = ((250 / 3 + 180) / 4, (80 + 250) / 4)
    a10 = ((0 + 270) / 4, 250 / 3)
    want = parents(
        "programme",
        [
            ("B", 9, NAN, NAN, "no_data", 0.0, 1, 0),
            ("B", 10, NAN, NAN, "no_data", 0.0, 1, 0),
            ("A", 9, *a9, "lagging", 4.0, 2, 2),
            ("A", 10, *a10, "lagging", 4.0, 2, 2),
        ],
    )
    pd.testing.assert_frame_equal(rolled.programmes[[*want.columns]], want, check_dtype=False)
    plan = parents("plan", [("P14", 9, *a9, "lagging", 1.0, 2, 1), ("P14", 10, *a10, "lagging", 1.0, 2, 1)])
    pd.testing.assert_frame_equal(rolled.overall, plan, check_dtype=False)
    assert rolled.indicators is ROLLUP_FRAME


def test_rollup_over_a_computed_result():
    catalog = make_catalog(
        [{"code": "C1", "programme": "A", "task": "A-1"}, {"code": "S1", "programme": "A", "task": "A-1"}]
    )
    targets = catalog.targets().assign(frequency=["month", "quarter"], value_kind=["cumulative", "stock"])
    obs = observations([("C1", 2024, 10, 150), ("S1", 2023, 12, 170), ("S1", 2024, 9, 176)])
    report = rollup_in_year(catalog, compute_in_year(targets, obs, YEAR, 10))
    # C1: 150/180 against 10/12; S1: 0.6 against 0.75 (September). Mean: (250/3 + 60) / 2 against (250/3 + 75) / 2.
    assert report.overall["score"].tolist() == [pytest.approx((250 / 3 + 60) / 2)]
    assert report.overall["expected_score"].tolist() == [pytest.approx((250 / 3 + 75) / 2)]
    assert report.overall["status"].tolist() == ["at_risk"]


# Scaling every figure and target by one positive factor changes no ratio: completion, expected
# completion, the gap and the status stay (milestones are whole stages, which scaling breaks).
@st.composite
def scalable_cases(draw):
    kind = draw(st.sampled_from(["cumulative", "stock", "rate"]))
    direction = draw(st.sampled_from(["up", "down"]))
    base = draw(st.floats(1, 1e4))
    target = draw(st.floats(1, 1e4).filter(lambda t: abs(t - base) > 1e-3 * base))
    indicator = {
        "code": CODE,
        "programme": "P",
        "task": "P-1",
        "value_kind": kind,
        "frequency": draw(st.sampled_from(["month", "quarter", "year"])),
        "direction": direction,
        "trajectory": draw(st.sampled_from(["linear", "compound"])),
        "base_value": base,
        "target_value": target,
    }
    cells = draw(
        st.dictionaries(st.tuples(st.sampled_from([2023, 2024]), st.integers(1, 12)), st.floats(0.5, 2e4), max_size=10)
    )
    override = draw(st.none() | st.floats(1, 1e4))
    return indicator, cells, override, draw(st.integers(1, 12)), draw(st.booleans())


@settings(max_examples=60, deadline=None)
@given(scalable_cases(), st.floats(1e-3, 1e3))
def test_scaling_all_values_and_targets_changes_no_ratio(drawn, factor):
    indicator, cells, override, month, seasonal = drawn

    def run(scale: float) -> pd.DataFrame:
        scaled = {**indicator, "base_value": indicator["base_value"] * scale}
        scaled["target_value"] = indicator["target_value"] * scale
        obs = observations([(CODE, y, m, v * scale) for (y, m), v in cells.items()])
        overrides = None if override is None else annual([(CODE, YEAR, override * scale)])
        return compute_in_year(targets_of([scaled]), obs, YEAR, [month], overrides, seasonal)

    plain, scaled = run(1.0), run(factor)
    for name in ("completion", "expected_completion", "gap_points", "attainment", "yoy"):
        assert scaled[name].to_numpy() == pytest.approx(plain[name].to_numpy(), rel=1e-6, abs=1e-6, nan_ok=True)
    assert scaled["as_of_month"].equals(plain["as_of_month"])
    gap = plain["gap_points"].iloc[0]
    # A gap within rounding of a threshold may fall either side of it once scaled.
    if not any(abs(gap - edge) < 1e-6 for edge in (0.0, -10.0)):
        assert scaled["status"].tolist() == plain["status"].tolist()


@pytest.mark.parametrize(
    ("direction", "december", "target", "actual", "completion", "status"),
    [
        # Started the year beyond its target: holding it, or moving within the good side, is on schedule.
        ("up", 4448.0, 4338.0, 4353.0, 1.0, "on_track"),
        ("up", 4448.0, 4338.0, 4600.0, 1.0, "on_track"),
        ("up", 4448.0, 4338.0, 4300.0, 0.0, "lagging"),
        ("down", 25.0, 28.0, 25.0, 1.0, "on_track"),
        ("down", 25.0, 28.0, 27.0, 1.0, "on_track"),
        ("down", 25.0, 28.0, 29.0, 0.0, "lagging"),
    ],
)
def test_a_level_that_starts_the_year_beyond_its_target_has_only_to_hold_it(
    direction, december, target, actual, completion, status
):
    targets = targets_of(
        [
            {
                "code": "S1",
                "programme": "P",
                "task": "P-1",
                **STOCK,
                "direction": direction,
                "base_value": december,
                "target_value": target,
                "base_year": 2023,
                "target_year": 2024,
            }
        ]
    )
    observations = pd.DataFrame(
        {"indicator": "S1", "year": [2023, 2024], "month": [12, 9], "value": [december, actual]}
    )
    (row,) = compute_in_year(targets, observations, 2024, 10).itertuples(index=False)
    assert (row.completion, row.expected_completion, row.status) == (completion, 1.0, status)
