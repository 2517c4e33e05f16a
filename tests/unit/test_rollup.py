"""Tests of hqd.rollup against docs/METHOD.md, section 4 (roll-up and coverage).

Expected frames are built by hand from the method; none comes from the code.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from factories import make_catalog

from hqd.rollup import compute_report, rollup_scores

NAN = math.nan
COLUMNS = [
    "year",
    "score",
    "expected_score",
    "coverage",
    "weight_with_data",
    "status",
    "score_change",
    "children",
    "children_with_data",
]
DTYPES = {
    "year": "int64",
    "score": "float64",
    "expected_score": "float64",
    "coverage": "float64",
    "weight_with_data": "float64",
    "status": "str",
    "score_change": "float64",
    "children": "int64",
    "children_with_data": "int64",
}


def children(rows: list[tuple], key: str = "task") -> pd.DataFrame:
    """Return a children frame from (parent, year, weight, score, expected_score, coverage, status) tuples."""
    frame = pd.DataFrame(rows, columns=[key, "year", "weight", "score", "expected_score", "coverage", "status"])
    return frame.astype(
        {
            key: "str",
            "year": "int64",
            "weight": "float64",
            "score": "float64",
            "expected_score": "float64",
            "coverage": "float64",
            "status": "str",
        }
    )


def parents(rows: list[tuple], key: str = "task", extra: dict | None = None) -> pd.DataFrame:
    """Return an expected parent frame from tuples in the order key, COLUMNS, then extra columns."""
    extra = extra or {}
    frame = pd.DataFrame(rows, columns=[key, *COLUMNS, *extra])
    return frame.astype({key: "str", **DTYPES, **extra})


def one_parent_case(
    case_id: str, rows: list[tuple], score, expected_score, coverage, weight_with_data, status, with_data: int
) -> object:
    """Return a case of one parent T in 2022 from (weight, score, expected_score, coverage, status) rows."""
    kids = [("T", 2022, *r) for r in rows]
    want = ("T", 2022, score, expected_score, coverage, weight_with_data, status, NAN, len(rows), with_data)
    return pytest.param(kids, want, id=case_id)


ONE_PARENT_CASES = [
    # (50 * 1 + 80 * 2) / 3 = 70, (40 + 60 * 2) / 3 = 160 / 3; coverage 3 / 4 is exactly enough.
    one_parent_case(
        "weighted-mean-of-children-with-data",
        [(1, 50, 40, 1, "on_track"), (2, 80, 60, 1, "on_track"), (1, NAN, 40, 0, "no_data")],
        70,
        160 / 3,
        0.75,
        3,
        "on_track",
        2,
    ),
    one_parent_case(
        "coverage-below-0.75-insufficient-but-score-shown",
        [
            (1, 90, 40, 1, "achieved"),
            (1, 100, 40, 1, "achieved"),
            (1, NAN, 40, 0, "no_data"),
            (1, NAN, 40, 0, "no_data"),
        ],
        95,
        40,
        0.5,
        2,
        "insufficient_data",
        2,
    ),
    one_parent_case(
        "no-child-with-data", [(1, NAN, 40, 0, "no_data"), (2, NAN, 40, 0, "no_data")], NAN, NAN, 0, 0, "no_data", 0
    ),
    one_parent_case(
        "all-achieved", [(1, 100, 40, 1, "achieved"), (3, 100, 40, 1, "achieved")], 100, 40, 1, 4, "achieved", 2
    ),
    # Pace 65 / 40 = 1.625 would be on track, but a child lags.
    one_parent_case(
        "lagging-child-caps-at-risk",
        [(1, 100, 40, 1, "achieved"), (1, 30, 40, 1, "lagging")],
        65,
        40,
        1,
        2,
        "at_risk",
        2,
    ),
    one_parent_case(
        "regressing-child-caps-at-risk",
        [(1, 100, 20, 1, "achieved"), (1, 0, 20, 1, "regressing")],
        50,
        20,
        1,
        2,
        "at_risk",
        2,
    ),
    one_parent_case(
        "bad-child-with-low-pace-stays-lagging",
        [(1, 10, 40, 1, "lagging"), (1, 10, 40, 1, "lagging")],
        10,
        40,
        1,
        2,
        "lagging",
        2,
    ),
    one_parent_case(
        "at-risk-children-do-not-cap",
        [(1, 38, 40, 1, "at_risk"), (1, 38, 40, 1, "at_risk")],
        38,
        40,
        1,
        2,
        "on_track",
        2,
    ),
    one_parent_case("pace-just-below-0.95-at-risk", [(1, 37.9, 40, 1, "at_risk")], 37.9, 40, 1, 1, "at_risk", 1),
    one_parent_case("pace-exactly-0.60-at-risk", [(1, 24, 40, 1, "at_risk")], 24, 40, 1, 1, "at_risk", 1),
    one_parent_case("pace-just-below-0.60-lagging", [(1, 23.9, 40, 1, "at_risk")], 23.9, 40, 1, 1, "lagging", 1),
    one_parent_case("expected-zero-on-track", [(1, 0, 0, 1, "on_track")], 0, 0, 1, 1, "on_track", 1),
    # Tasks that each have half their weight with data: the parent's coverage is 0.5, not 1.
    one_parent_case(
        "coverage-is-weighted-mean-of-children-coverage",
        [(1, 60, 40, 0.5, "insufficient_data"), (3, 40, 40, 0.5, "insufficient_data")],
        45,
        40,
        0.5,
        4,
        "insufficient_data",
        2,
    ),
    one_parent_case(
        "children-coverage-weighted-by-weight",
        [(1, 60, 40, 0, "no_data"), (3, 40, 40, 1, "on_track")],
        45,
        40,
        0.75,
        4,
        "on_track",
        2,
    ),
]


@pytest.mark.parametrize(("kids", "want"), ONE_PARENT_CASES)
def test_rollup_one_parent(kids, want):
    """Roll children up to score, expected score, coverage and status as worked out by hand."""
    pd.testing.assert_frame_equal(rollup_scores(children(kids), "task"), parents([want]))


def test_score_change_is_against_the_same_key_the_year_before():
    """Subtract the same parent's score of the previous year, none across a gap or a parent."""
    kids = children(
        [
            ("A", 2021, 1, 20, 20, 1, "on_track"),
            ("A", 2022, 1, 50, 40, 1, "on_track"),
            ("A", 2024, 1, 90, 80, 1, "on_track"),
            ("B", 2022, 1, 10, 40, 1, "lagging"),
            ("B", 2021, 1, NAN, 20, 0, "no_data"),
        ]
    )
    want = parents(
        [
            ("A", 2021, 20, 20, 1, 1, "on_track", NAN, 1, 1),
            ("A", 2022, 50, 40, 1, 1, "on_track", 30, 1, 1),
            ("A", 2024, 90, 80, 1, 1, "on_track", NAN, 1, 1),
            ("B", 2021, NAN, NAN, 0, 0, "no_data", NAN, 1, 0),
            ("B", 2022, 10, 40, 1, 1, "lagging", NAN, 1, 1),
        ]
    )
    pd.testing.assert_frame_equal(rollup_scores(kids, "task"), want)


def observations(rows: list[tuple[str, int, float]]) -> pd.DataFrame:
    """Return an observations frame (indicator, year, value) from tuples."""
    return pd.DataFrame(rows, columns=["indicator", "year", "value"]).astype(
        {"indicator": "str", "year": "int64", "value": "float64"}
    )


@pytest.fixture
def report():
    """Report for 2021-2022 of two programmes: A (tasks A-1 weight 3, A-2 weight 1) and B."""
    catalog = make_catalog(
        [
            {"code": "A1", "programme": "A", "task": "A-1"},
            {
                "code": "A2",
                "programme": "A",
                "task": "A-1",
                "direction": "down",
                "base_value": 60,
                "target_value": 30,
                "weight": 2,
            },
            {
                "code": "A3",
                "programme": "A",
                "task": "A-2",
                "direction": "milestone",
                "base_value": 0,
                "target_value": 4,
            },
            {"code": "B1", "programme": "B", "task": "B-1"},
        ],
        tasks_weights={"A-1": 3},
    )
    obs = observations(
        [
            ("A1", 2021, 120),
            ("A3", 2021, 1),
            ("B1", 2021, 100),
            ("A1", 2022, 150),
            ("A2", 2022, 48),
            ("A3", 2022, 1),
            ("B1", 2022, 110),
        ]
    )
    return compute_report(catalog, obs, [2021, 2022])


# Indicator scores (expected score 20 in 2021, 40 in 2022; the milestone A3 0 and 25, the whole stages due):
#   2021: A1 20 on_track, A2 none, A3 25 on_track, B1 0 lagging
#   2022: A1 50 on_track, A2 40 on_track, A3 25 on_track (stage 1 of 1 due), B1 10 lagging (0.25)


def test_report_indicator_score_change(report):
    """Give each indicator its score minus its own score of the year before."""
    got = report.indicators.set_index(["code", "year"])["score_change"]
    assert got.loc[("A1", 2022)] == pytest.approx(30)
    assert got.loc[("A3", 2022)] == pytest.approx(0)
    assert math.isnan(got.loc[("A2", 2022)])
    assert got.loc[[(c, 2021) for c in ("A1", "A2", "A3", "B1")]].isna().all()


def test_report_tasks(report):
    """Roll indicators up to tasks with indicator weights."""
    want = parents(
        [
            # A-1 2021: only A1 (weight 1 of 3) has data.
            ("A-1", 2021, 20, 20, 1 / 3, 1, "insufficient_data", NAN, 2, 1, "A", 3),
            # A-1 2022: (50 + 40 * 2) / 3, (40 + 40 * 2) / 3; pace 1.083.
            ("A-1", 2022, 130 / 3, 40, 1, 3, "on_track", 130 / 3 - 20, 2, 2, "A", 3),
            ("A-2", 2021, 25, 0, 1, 1, "on_track", NAN, 1, 1, "A", 1),
            ("A-2", 2022, 25, 25, 1, 1, "on_track", 0, 1, 1, "A", 1),
            ("B-1", 2021, 0, 20, 1, 1, "lagging", NAN, 1, 1, "B", 1),
            ("B-1", 2022, 10, 40, 1, 1, "lagging", 10, 1, 1, "B", 1),
        ],
        key="task",
        extra={"programme": "str", "weight": "float64"},
    )
    pd.testing.assert_frame_equal(report.tasks, want)


def test_report_programmes(report):
    """Roll tasks up to programmes with task weights; coverage is the weighted mean of task coverage."""
    want = parents(
        [
            # (3 * 20 + 25) / 4, (3 * 20 + 0) / 4; coverage (3 * 1/3 + 1 * 1) / 4 = 0.5 although both tasks have data.
            ("A", 2021, 21.25, 15, 0.5, 4, "insufficient_data", NAN, 2, 2, 1),
            # (3 * 130/3 + 25) / 4, (3 * 40 + 25) / 4; pace 1.07 and no task lags.
            ("A", 2022, 38.75, 36.25, 1, 4, "on_track", 17.5, 2, 2, 1),
            ("B", 2021, 0, 20, 1, 1, "lagging", NAN, 1, 1, 1),
            ("B", 2022, 10, 40, 1, 1, "lagging", 10, 1, 1, 1),
        ],
        key="programme",
        extra={"weight": "float64"},
    )
    pd.testing.assert_frame_equal(report.programmes, want)


def test_report_overall(report):
    """Roll programmes up to the plan with equal weights."""
    want = parents(
        [
            # (21.25 + 0) / 2, (15 + 20) / 2: pace 0.607; coverage (0.5 + 1) / 2 = 0.75 is exactly enough.
            ("P14", 2021, 10.625, 17.5, 0.75, 2, "at_risk", NAN, 2, 2),
            # (38.75 + 10) / 2, (36.25 + 40) / 2: pace 0.639.
            ("P14", 2022, 24.375, 38.125, 1, 2, "at_risk", 13.75, 2, 2),
        ],
        key="plan",
    )
    pd.testing.assert_frame_equal(report.overall, want)


def test_half_covered_tasks_give_half_covered_programme_and_plan():
    """Give coverage 0.5 at every level when each task has half its weight with data."""
    catalog = make_catalog([{"code": f"I{i}", "programme": "P", "task": f"P-{1 + i // 2}"} for i in range(4)])
    report = compute_report(catalog, observations([("I0", 2022, 150), ("I2", 2022, 150)]), [2022])
    for level in (report.tasks, report.programmes, report.overall):
        assert level["coverage"].tolist() == pytest.approx([0.5] * len(level))
        assert level["status"].eq("insufficient_data").all()
        assert level["score"].tolist() == pytest.approx([50] * len(level))


def test_report_years_default_to_the_period():
    """Compute every year of the period, baseline year to target year, when none are asked."""
    catalog = make_catalog([{"code": "A1", "programme": "A", "task": "A-1"}])
    report = compute_report(catalog, observations([("A1", 2022, 150)]))
    assert report.indicators["year"].tolist() == list(range(2020, 2026))
    assert report.overall["year"].tolist() == list(range(2020, 2026))


def test_a_level_held_does_not_inflate_its_task():
    """A target equal to its baseline, held, is due in full: the task's expected score is not lowered by it."""
    catalog = make_catalog(
        [
            {"code": "H1", "programme": "P", "task": "P-1", "base_value": 98, "target_value": 98},
            {"code": "G1", "programme": "P", "task": "P-1"},
        ]
    )
    # In 2022 (f = 0.4) G1 is on its trajectory (140 of 100 → 200) and H1 holds its level.
    report = compute_report(catalog, observations([("H1", 2022, 98), ("G1", 2022, 140)]), [2022])
    held = report.indicators.set_index("code").loc["H1"]
    assert (held["expected_score"], held["score"], held["pace"]) == (100, 100, 1)
    task = report.tasks.iloc[0]
    # The task's expected score is the mean of 100 and 40, its score the mean of 100 and 40: on pace.
    assert (task["expected_score"], task["score"]) == (pytest.approx(70), pytest.approx(70))
