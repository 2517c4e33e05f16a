"""Tests of hqd.progress.compute_progress against docs/METHOD.md.

Every expected number below was worked out by hand from the method (P14: baseline 2020,
target 2025, so the time fraction of year t is (t - 2020) / 5); none comes from the code.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import pandas as pd
import pytest
from factories import make_catalog
from hypothesis import given, settings
from hypothesis import strategies as st

from hqd.progress import compute_progress
from hqd.settings import Thresholds

NAN = math.nan
CODE = "X1"


def observations(rows: list[tuple[str, int, float]]) -> pd.DataFrame:
    """Return an observations frame (indicator, year, value) from tuples."""
    return pd.DataFrame(
        {
            "indicator": pd.Series([r[0] for r in rows], dtype="str"),
            "year": pd.Series([r[1] for r in rows], dtype="int64"),
            "value": pd.Series([r[2] for r in rows], dtype="float64"),
        }
    )


@functools.cache
def one_indicator(fields: tuple) -> pd.DataFrame:
    """Return the targets of a catalog holding one indicator with the given (field, value) pairs."""
    return make_catalog([{"code": CODE, "programme": "P", "task": "P-1", **dict(fields)}]).targets()


def progress_row(indicator: dict, actuals: dict[int, float], year: int) -> pd.Series:
    """Return the computed row of one indicator (catalog defaults overridden) for one year."""
    obs = observations([(CODE, y, v) for y, v in actuals.items()])
    # Asking for years from before the baseline puts earlier actuals in reach, so they must be ignored.
    out = compute_progress(one_indicator(tuple(sorted(indicator.items()))).copy(), obs, [year, *range(2017, 2028)])
    return out.set_index("year").loc[year]


def assert_fields(row: pd.Series, expected: dict) -> None:
    """Assert the row's fields equal the expected ones (numbers to 1e-9 relative, NaN equal NaN)."""
    got = {name: (NAN if row[name] is pd.NA else row[name]) for name in expected}
    want = {
        name: value if isinstance(value, str) else pytest.approx(value, rel=1e-9, abs=1e-12, nan_ok=True)
        for name, value in expected.items()
    }
    assert got == want


def case(case_id: str, indicator: dict, actuals: dict[int, float], year: int, **expected) -> object:
    """Return one parametrised case: indicator overrides, actuals by year, year asked, expected fields."""
    return pytest.param(indicator, actuals, year, expected, id=case_id)


UP = {}
DOWN = {"direction": "down", "base_value": 60, "target_value": 30}
MILESTONE = {"direction": "milestone", "base_value": 0, "target_value": 4}
# Thirty-two-fold growth in five years makes the compound and linear trajectories far apart.
STEEP = {"base_value": 100, "target_value": 3200}
# 0 -> 3 in 2022: a pace of exactly 0.95 or 0.60 is 0.9499999999999997 / 0.5999999999999999 in floats.
ZERO_TO_THREE = {"base_value": 0, "target_value": 3}
FLAT_UP = {"base_value": 100, "target_value": 100}
FLAT_DOWN = {"direction": "down", "base_value": 30, "target_value": 30}

PROGRESS_CASES = [
    # Directions.
    case(
        "up-linear",
        UP,
        {2022: 150},
        2022,
        fraction=0.4,
        expected_value=140,
        completion=0.5,
        expected=0.4,
        pace=1.25,
        score=50,
        expected_score=40,
        status="on_track",
    ),
    case(
        "down-approval-days-60-to-30-actual-40",
        DOWN,
        {2022: 40},
        2022,
        fraction=0.4,
        expected_value=48,
        completion=2 / 3,
        expected=0.4,
        pace=(2 / 3) / 0.4,
        score=100 * 2 / 3,
        expected_score=40,
        status="on_track",
    ),
    # A milestone is due stage by stage: in 2022 (E = 1.6) stage 1 is due, not 1.6 of a stage.
    case(
        "milestone-stage-1-of-4",
        MILESTONE,
        {2022: 1},
        2022,
        expected_value=1,
        completion=0.25,
        expected=0.25,
        pace=1,
        score=25,
        expected_score=25,
        status="on_track",
    ),
    case("milestone-stage-2-of-4", MILESTONE, {2022: 2}, 2022, completion=0.5, pace=2, score=50, status="on_track"),
    # Stage 3 of 4 in 2024 (E = 3.2) is the stage due: on track, no longer "at risk" for 0.2 of a stage.
    case("milestone-stage-3-in-2024", MILESTONE, {2024: 3}, 2024, expected_value=3, pace=1, status="on_track"),
    case("milestone-a-stage-behind", MILESTONE, {2024: 2}, 2024, expected=0.75, pace=2 / 3, status="at_risk"),
    case("milestone-none-due-yet", MILESTONE, {2021: 0}, 2021, expected_value=0, expected=0, status="on_track"),
    # Trajectories: compound E = 100 * 32^0.4 = 400, linear E = 100 + 3100 * 0.4 = 1340.
    case(
        "compound-up",
        {**STEEP, "trajectory": "compound"},
        {2022: 400},
        2022,
        expected_value=400,
        completion=300 / 3100,
        expected=300 / 3100,
        pace=1,
        score=30000 / 3100,
        expected_score=30000 / 3100,
        status="on_track",
    ),
    case(
        "linear-up-same-targets",
        STEEP,
        {2022: 400},
        2022,
        expected_value=1340,
        completion=300 / 3100,
        expected=0.4,
        pace=(300 / 3100) / 0.4,
        score=30000 / 3100,
        expected_score=40,
        status="lagging",
    ),
    # E = 60 * 0.5^0.4 = 45.4715, Pe = (60 - E) / 30 = 2 * (1 - 0.5^0.4) = 0.484283; linear would be on track.
    case(
        "compound-down",
        {**DOWN, "trajectory": "compound"},
        {2022: 48},
        2022,
        expected_value=60 * 0.5**0.4,
        completion=0.4,
        expected=2 * (1 - 0.5**0.4),
        pace=0.4 / (2 * (1 - 0.5**0.4)),
        expected_score=200 * (1 - 0.5**0.4),
        status="at_risk",
    ),
    case(
        "compound-zero-baseline-falls-back-to-linear",
        {"trajectory": "compound", "base_value": 0, "target_value": 50},
        {2022: 20},
        2022,
        expected_value=20,
        completion=0.4,
        expected=0.4,
        pace=1,
        status="on_track",
    ),
    case(
        "compound-negative-baseline-falls-back-to-linear",
        {"trajectory": "compound", "base_value": -10, "target_value": 10},
        {2022: -2},
        2022,
        expected_value=-2,
        completion=0.4,
        expected=0.4,
        pace=1,
        status="on_track",
    ),
    case(
        "compound-zero-target-falls-back-to-linear",
        {"trajectory": "compound", "direction": "down", "base_value": 10, "target_value": 0},
        {2022: 7},
        2022,
        expected_value=6,
        completion=0.3,
        expected=0.4,
        pace=0.75,
        status="at_risk",
    ),
    # Target equal to baseline: P is 1 or 0, and Pe is 1 every year after the baseline year (due all along).
    case(
        "flat-up-at-target",
        FLAT_UP,
        {2022: 100},
        2022,
        expected_value=100,
        completion=1,
        expected=1,
        pace=1,
        score=100,
        expected_score=100,
        status="achieved",
    ),
    case("flat-up-beyond-target", FLAT_UP, {2022: 105}, 2022, completion=1, status="achieved"),
    case(
        "flat-up-short-of-target",
        FLAT_UP,
        {2022: 99},
        2022,
        completion=0,
        expected=1,
        pace=0,
        score=0,
        status="lagging",
    ),
    case("flat-down-beyond-target", FLAT_DOWN, {2022: 28}, 2022, completion=1, status="achieved"),
    case("flat-down-short-of-target", FLAT_DOWN, {2022: 31}, 2022, completion=0, expected=1, status="lagging"),
    case(
        "flat-compound-expected-in-full",
        {**FLAT_UP, "trajectory": "compound"},
        {2023: 99},
        2023,
        expected_value=100,
        completion=0,
        expected=1,
        expected_score=100,
        status="lagging",
    ),
    case("flat-up-in-baseline-year", FLAT_UP, {2020: 99}, 2020, completion=0, expected=0, pace=NAN, status="on_track"),
    # Years: before the baseline year, in it, at and after the target year.
    case(
        "before-baseline-year",
        UP,
        {2019: 100},
        2019,
        fraction=0,
        expected_value=100,
        completion=0,
        expected=0,
        pace=NAN,
        score=0,
        expected_score=0,
        status="on_track",
    ),
    case(
        "before-baseline-year-below-baseline",
        UP,
        {2019: 95},
        2019,
        fraction=0,
        completion=-0.05,
        expected=0,
        score=0,
        status="regressing",
    ),
    case(
        "baseline-year",
        UP,
        {2020: 110},
        2020,
        fraction=0,
        expected_value=100,
        completion=0.1,
        expected=0,
        pace=NAN,
        score=10,
        expected_score=0,
        status="on_track",
    ),
    case(
        "target-year",
        UP,
        {2025: 190},
        2025,
        fraction=1,
        expected_value=200,
        completion=0.9,
        expected=1,
        pace=0.9,
        score=90,
        expected_score=100,
        # In and after the target year a target is met or missed: no schedule is left to be behind.
        status="missed",
    ),
    case(
        "after-target-year-fraction-clamps-to-1",
        UP,
        {2027: 190},
        2027,
        fraction=1,
        expected_value=200,
        completion=0.9,
        expected=1,
        pace=0.9,
        score=90,
        expected_score=100,
        # In and after the target year a target is met or missed: no schedule is left to be behind.
        status="missed",
    ),
    # Missing actual: no carrying forward of an earlier year's value.
    case(
        "no-actual",
        UP,
        {},
        2022,
        value=NAN,
        completion=NAN,
        expected=0.4,
        pace=NAN,
        score=NAN,
        expected_score=40,
        status="no_data",
    ),
    case(
        "no-actual-this-year-but-last-year",
        UP,
        {2021: 150},
        2022,
        value=NAN,
        completion=NAN,
        pace=NAN,
        score=NAN,
        status="no_data",
    ),
    # Regressing and achieved.
    case(
        "up-regressing",
        UP,
        {2022: 90},
        2022,
        completion=-0.1,
        pace=-0.25,
        score=0,
        expected_score=40,
        status="regressing",
    ),
    case("down-regressing", DOWN, {2022: 66}, 2022, completion=-0.2, score=0, status="regressing"),
    case("up-over-achieved", UP, {2022: 210}, 2022, completion=1.1, pace=2.75, score=100, status="achieved"),
    case("up-achieved-early", UP, {2022: 200}, 2022, completion=1, score=100, status="achieved"),
    case("down-achieved", DOWN, {2022: 25}, 2022, completion=35 / 30, score=100, status="achieved"),
    # Status boundaries, Pe = 0.4 in 2022.
    case(
        "pace-exactly-0.95-on-track",
        ZERO_TO_THREE,
        {2022: 1.14},
        2022,
        completion=0.38,
        expected=0.4,
        pace=0.95,
        status="on_track",
    ),
    case(
        "pace-just-below-0.95-at-risk",
        ZERO_TO_THREE,
        {2022: 1.13},
        2022,
        completion=1.13 / 3,
        pace=1.13 / 3 / 0.4,
        status="at_risk",
    ),
    case("pace-exactly-0.60-at-risk", ZERO_TO_THREE, {2022: 0.72}, 2022, completion=0.24, pace=0.6, status="at_risk"),
    case(
        "pace-just-below-0.60-lagging",
        ZERO_TO_THREE,
        {2022: 0.71},
        2022,
        completion=0.71 / 3,
        pace=0.71 / 3 / 0.4,
        status="lagging",
    ),
    # The decision of rounding ratios to 9 decimals: 0.57 / 0.60 counts as 0.95, 0.36 / 0.60 as 0.60.
    case(
        "ratio-0.57-over-0.60-on-track",
        {"base_value": 2, "target_value": 3},
        {2023: 2.57},
        2023,
        completion=0.57,
        expected=0.6,
        pace=0.95,
        status="on_track",
    ),
    case(
        "ratio-0.36-over-0.60-at-risk",
        {"base_value": 1, "target_value": 3},
        {2023: 1.72},
        2023,
        completion=0.36,
        expected=0.6,
        pace=0.6,
        status="at_risk",
    ),
]


@pytest.mark.parametrize(("indicator", "actuals", "year", "expected"), PROGRESS_CASES)
def test_progress_matches_hand_computation(indicator, actuals, year, expected):
    """Compute completion, trajectory, pace, scores and status as worked out by hand."""
    assert_fields(progress_row(indicator, actuals, year), expected)


NO_PROJECTION = {"projected_value": NAN, "projected_completion": NAN, "projection": "", "confidence": ""}

PROJECTION_CASES = [
    # Line through (1, 120) and (3, 150): slope 15, so 150 + 2 * 15 = 180 at x = 5.
    case(
        "linear-two-points",
        UP,
        {2021: 120, 2023: 150},
        2023,
        points=2,
        latest_year=2023,
        latest_value=150,
        projected_value=180,
        projected_completion=0.8,
        projection="near_miss",
        confidence="low",
        needed_change=25,
        needed_growth=(200 / 150) ** 0.5 - 1,
    ),
    # Least squares through (1, 110), (2, 121), (3, 133.1): mean 364.1 / 3, slope 23.1 / 2 = 11.55.
    case(
        "linear-three-points-least-squares",
        UP,
        {2021: 110, 2022: 121, 2023: 133.1},
        2023,
        points=3,
        projected_value=364.1 / 3 + 3 * 11.55,
        projected_completion=(364.1 / 3 + 3 * 11.55 - 100) / 100,
        projection="off_track",
        confidence="normal",
        needed_change=(200 - 133.1) / 2,
        needed_growth=(200 / 133.1) ** 0.5 - 1,
    ),
    # Same actuals, compound: 110 -> 133.1 in two years is 10 % a year, 133.1 * 1.1^2 = 161.051.
    case(
        "compound-three-points-uses-first-and-latest",
        {"trajectory": "compound"},
        {2021: 110, 2022: 121, 2023: 133.1},
        2023,
        points=3,
        projected_value=161.051,
        projected_completion=0.61051,
        projection="off_track",
        confidence="normal",
    ),
    # 130 -> 156 is 20 % a year; 156 * 1.2^2 = 224.64.
    case(
        "compound-two-points-likely",
        {"trajectory": "compound"},
        {2022: 130, 2023: 156},
        2023,
        points=2,
        projected_value=224.64,
        projected_completion=1.2464,
        projection="likely",
        confidence="low",
        needed_change=22,
        needed_growth=(200 / 156) ** 0.5 - 1,
    ),
    # Two-point lines at t = 2022 extend by 3 more years.
    case(
        "projection-exactly-0.95-likely",
        UP,
        {2021: 115, 2022: 135},
        2022,
        projected_value=195,
        projected_completion=0.95,
        projection="likely",
    ),
    case(
        "projection-just-below-0.95-near-miss",
        UP,
        {2021: 115, 2022: 134.9},
        2022,
        projected_value=194.6,
        projected_completion=0.946,
        projection="near_miss",
    ),
    case(
        "projection-exactly-0.80-near-miss",
        UP,
        {2021: 120, 2022: 135},
        2022,
        projected_value=180,
        projected_completion=0.8,
        projection="near_miss",
    ),
    case(
        "projection-just-below-0.80-off-track",
        UP,
        {2021: 120, 2022: 134.9},
        2022,
        projected_value=179.6,
        projected_completion=0.796,
        projection="off_track",
    ),
    # 56 -> 50 is -6 a year: 50 - 18 = 32, P = 28 / 30.
    case(
        "down-linear",
        DOWN,
        {2021: 56, 2022: 50},
        2022,
        projected_value=32,
        projected_completion=28 / 30,
        projection="near_miss",
        confidence="low",
        needed_change=(30 - 50) / 3,
        needed_growth=0.6 ** (1 / 3) - 1,
    ),
    # The latest actual need not be in year t; later actuals are not used.
    case(
        "no-actual-in-year-t",
        UP,
        {2021: 120, 2022: 140},
        2023,
        status="no_data",
        points=2,
        latest_year=2022,
        latest_value=140,
        projected_value=200,
        projected_completion=1,
        projection="likely",
        confidence="low",
        needed_change=30,
        needed_growth=(200 / 140) ** 0.5 - 1,
    ),
    case(
        "later-actuals-ignored",
        UP,
        {2021: 120, 2022: 140, 2024: 300},
        2022,
        points=2,
        latest_year=2022,
        projected_value=200,
        projection="likely",
    ),
    case(
        "one-point-no-projection",
        UP,
        {2022: 150},
        2022,
        points=1,
        **NO_PROJECTION,
        needed_change=50 / 3,
        needed_growth=(200 / 150) ** (1 / 3) - 1,
    ),
    case("compound-one-point-no-projection", {"trajectory": "compound"}, {2022: 150}, 2022, points=1, **NO_PROJECTION),
    case(
        "actual-before-baseline-year-not-counted",
        UP,
        {2019: 90, 2022: 150},
        2022,
        points=1,
        latest_value=150,
        **NO_PROJECTION,
    ),
    case(
        "non-positive-latest-no-needed-growth",
        {"base_value": -10, "target_value": 10},
        {2021: -6, 2022: -2},
        2022,
        projected_value=10,
        projected_completion=1,
        projection="likely",
        needed_change=4,
        needed_growth=NAN,
    ),
    # Decisions: nothing projected or needed once t reaches the target year.
    case(
        "target-year-no-projection",
        UP,
        {2023: 150, 2024: 170, 2025: 190},
        2025,
        points=3,
        **NO_PROJECTION,
        needed_change=NAN,
        needed_growth=NAN,
    ),
    case(
        "after-target-year-no-projection",
        UP,
        {2023: 150, 2024: 170, 2025: 190},
        2026,
        points=3,
        latest_year=2025,
        **NO_PROJECTION,
        needed_change=NAN,
        needed_growth=NAN,
    ),
    case(
        "target-year-latest-equals-target",
        UP,
        {2024: 180, 2025: 200},
        2025,
        **NO_PROJECTION,
        needed_change=NAN,
        needed_growth=NAN,
    ),
]


@pytest.mark.parametrize(("indicator", "actuals", "year", "expected"), PROJECTION_CASES)
def test_projection_matches_hand_computation(indicator, actuals, year, expected):
    """Project to the target year and the change still needed as worked out by hand."""
    assert_fields(progress_row(indicator, actuals, year), expected)


def test_thresholds_are_settings():
    """Classify with the thresholds passed in, not fixed literals."""
    catalog = make_catalog([{"code": CODE, "programme": "P", "task": "P-1"}])
    # P = 0.36, Pe = 0.4: pace 0.9 is at risk by default, on track with a 0.9 cut-off.
    obs = observations([(CODE, 2022, 136)])
    default = compute_progress(catalog.targets(), obs, [2022])
    relaxed = compute_progress(catalog.targets(), obs, [2022], Thresholds(on_track=0.9))
    assert (default["status"].iloc[0], relaxed["status"].iloc[0]) == ("at_risk", "on_track")


def test_rows_follow_indicators_then_years():
    """Return one row per indicator and distinct year, indicators in catalog order, years ascending."""
    catalog = make_catalog([{"code": c, "programme": "P", "task": "P-1"} for c in ("B", "A")])
    out = compute_progress(catalog.targets(), observations([("A", 2021, 120)]), [2023, 2021, 2023])
    assert list(zip(out["code"], out["year"], strict=True)) == [("B", 2021), ("B", 2023), ("A", 2021), ("A", 2023)]
    assert out["value"].tolist()[2] == 120


def test_unknown_indicator_is_ignored():
    """Ignore observations of codes the targets do not hold."""
    catalog = make_catalog([{"code": CODE, "programme": "P", "task": "P-1"}])
    out = compute_progress(catalog.targets(), observations([("ZZ", 2022, 150)]), [2022])
    assert out["status"].tolist() == ["no_data"]


# ---------------------------------------------------------------- properties

TEMPLATE = make_catalog([{"code": f"I{i}", "programme": "P", "task": "P-1"} for i in range(6)]).targets()
PROPERTY_SETTINGS = settings(max_examples=75, deadline=None)

values = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
years = st.integers(min_value=2017, max_value=2028)


def targets_of(rows: list[dict]) -> pd.DataFrame:
    """Return the template's first len(rows) indicators with the given fields replaced."""
    out = TEMPLATE.head(len(rows)).copy()
    for column in rows[0]:
        out[column] = pd.Series([r[column] for r in rows], dtype=out[column].dtype)
    return out


@st.composite
def indicators(draw, direction: str | None = None, trajectory: str | None = None) -> dict:
    """Draw an indicator whose target lies in its direction from its baseline."""
    direction = direction or draw(st.sampled_from(["up", "down", "milestone"]))
    trajectory = trajectory or draw(st.sampled_from(["linear", "compound"]))
    low, high = sorted((draw(values), draw(values)))
    if direction == "milestone":
        low, high = sorted((float(draw(st.integers(0, 10))), float(draw(st.integers(0, 10)))))
    base, target = (high, low) if direction == "down" else (low, high)
    return {"direction": direction, "trajectory": trajectory, "base_value": base, "target_value": target}


@PROPERTY_SETTINGS
@given(indicator=indicators(direction="up"), actual=values, raise_by=values.map(abs), year=years)
def test_higher_actual_never_lowers_completion(indicator, actual, raise_by, year):
    """Give an `up` indicator at least the completion of a lower actual."""
    targets = targets_of([indicator, indicator])
    obs = observations([("I0", year, actual), ("I1", year, actual + raise_by)])
    lower, higher = compute_progress(targets, obs, [year])["completion"]
    assert higher >= lower


@PROPERTY_SETTINGS
@given(indicator=indicators(direction="down", trajectory="linear"), actual=values, year=years)
def test_mirrored_down_indicator_matches_up(indicator, actual, year):
    """Give a `down` indicator the completion and status of its negated `up` mirror."""
    # Linear only: a compound `down` indicator with positive values has no compound mirror,
    # since the negated baseline makes the mirror fall back to linear.
    mirror = {
        **indicator,
        "direction": "up",
        "base_value": -indicator["base_value"],
        "target_value": -indicator["target_value"],
    }
    targets = targets_of([indicator, mirror])
    out = compute_progress(targets, observations([("I0", year, actual), ("I1", year, -actual)]), [year])
    assert out["completion"].iloc[0] == out["completion"].iloc[1]
    assert out["status"].iloc[0] == out["status"].iloc[1]


@PROPERTY_SETTINGS
@given(rows=st.lists(indicators(), min_size=1, max_size=6), actual=st.lists(values, min_size=6, max_size=6), year=years)
def test_scores_stay_within_0_and_100(rows, actual, year):
    """Keep score and expected score within [0, 100] whatever the actuals."""
    targets = targets_of(rows)
    obs = observations([(code, year, a) for code, a in zip(targets["code"], actual, strict=False)])
    out = compute_progress(targets, obs, [year])
    assert out["score"].notna().all()
    assert out["score"].between(0, 100).all()
    assert out["expected_score"].between(0, 100).all()


@PROPERTY_SETTINGS
@given(
    rows=st.lists(indicators(), min_size=1, max_size=6),
    cells=st.lists(st.tuples(st.integers(0, 5), years, values), max_size=20, unique_by=lambda c: c[:2]),
    asked=st.lists(years, min_size=1, max_size=6),
)
def test_inputs_unchanged_and_one_row_per_indicator_and_year(rows, cells, asked):
    """Leave the inputs as they were and return one row per indicator and distinct year asked."""
    targets = targets_of(rows)
    obs = observations([(f"I{i}", y, v) for i, y, v in cells])
    targets_before, obs_before = targets.copy(deep=True), obs.copy(deep=True)
    out = compute_progress(targets, obs, asked)
    pd.testing.assert_frame_equal(targets, targets_before)
    pd.testing.assert_frame_equal(obs, obs_before)
    pairs = list(zip(out["code"], out["year"], strict=True))
    assert sorted(pairs) == sorted((c, y) for c in targets["code"] for y in set(asked))
    assert np.array_equal(out["year"].to_numpy(), np.tile(sorted(set(asked)), len(rows)))


# 完成率 = actual ÷ target (target ÷ actual for a `down` indicator; a milestone is stage reached ÷ target stage).
ATTAINMENT_CASES = [
    pytest.param({}, 140.0, 0.7, id="up-actual-over-target"),
    pytest.param({}, 220.0, 1.1, id="up-beyond-target-not-clipped"),
    pytest.param({}, 0.0, 0.0, id="up-actual-zero"),
    pytest.param({}, -20.0, -0.1, id="up-negative-actual"),
    pytest.param({"target_value": 0.0, "base_value": -10.0}, 0.0, 1.0, id="up-target-zero-met-exactly"),
    pytest.param({"target_value": 0.0, "base_value": -10.0}, 5.0, NAN, id="up-target-zero-no-ratio"),
    pytest.param(
        {"direction": "down", "base_value": 60.0, "target_value": 30.0}, 40.0, 0.75, id="down-target-over-actual"
    ),
    pytest.param(
        {"direction": "down", "base_value": 60.0, "target_value": 30.0}, 25.0, 1.2, id="down-better-than-target"
    ),
    pytest.param({"direction": "down", "base_value": 60.0, "target_value": 30.0}, 0.0, NAN, id="down-actual-zero"),
    pytest.param({"direction": "down", "base_value": 5.0, "target_value": 0.0}, 2.0, 0.0, id="down-target-zero"),
    pytest.param({"direction": "down", "base_value": 5.0, "target_value": 0.0}, 0.0, 1.0, id="down-both-zero"),
    pytest.param({"direction": "milestone", "base_value": 1.0, "target_value": 4.0}, 3.0, 0.75, id="milestone-stage"),
]


@pytest.mark.parametrize(("indicator", "actual", "expected"), ATTAINMENT_CASES)
def test_attainment_is_actual_over_target(indicator, actual, expected):
    """Give 完成率 as the office computes it, beside the share of the gap closed."""
    row = progress_row(indicator, {2023: actual}, 2023)
    assert row["attainment"] == pytest.approx(expected, rel=1e-9, nan_ok=True)


def test_attainment_without_an_actual_is_missing():
    assert math.isnan(progress_row({}, {2022: 120.0}, 2023)["attainment"])
