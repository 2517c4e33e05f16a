"""The final assessment of a finished period as data: each indicator met or not, the counts up the levels,
its tables and its written summary (frames built in code, sentences compared whole)."""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd
import pytest
from factories import make_catalog, make_observations

from hqd.assessment import assess_period, latest_ended_period
from hqd.briefing import summarise_assessment
from hqd.rollup import compute_report
from hqd.tables import assessment_columns, assessment_count_table, assessment_indicator_table

NAN = math.nan
# One indicator per case; U2 and N1 weigh double, so that the shares met are weighted.
INDICATORS = [
    {"code": "U1", "programme": "A", "task": "A-1"},
    {"code": "U2", "programme": "A", "task": "A-1", "weight": 2},
    {"code": "D1", "programme": "A", "task": "A-2", "direction": "down", "base_value": 60, "target_value": 30},
    {"code": "D2", "programme": "A", "task": "A-2", "direction": "down", "base_value": 60, "target_value": 30},
    {"code": "N1", "programme": "B", "task": "B-1", "weight": 2},
    {"code": "F1", "programme": "B", "task": "B-1", "target_value": 100},
    {"code": "F2", "programme": "B", "task": "B-1", "target_value": 100},
]
CATALOG = make_catalog(INDICATORS)
VALUES = make_observations(
    [
        ("U1", 2025, 210.0),  # up, beyond its target
        ("U2", 2024, 190.0),
        ("U2", 2025, 150.0),  # up, short
        ("D1", 2025, 28.0),  # down, below its target: met
        ("D2", 2025, 40.0),  # down, short
        ("N1", 2024, 150.0),  # no final value
        ("F1", 2025, 100.0),  # flat target held
        ("F2", 2025, 95.0),  # flat target missed
    ]
)
REPORT = compute_report(CATALOG, VALUES, period="P14")


@pytest.mark.parametrize(
    ("code", "outcome", "met", "value", "gap", "completion", "attainment"),
    [
        ("U1", "met", True, 210.0, -10.0, 1.1, 210 / 200),
        ("U2", "not_met", False, 150.0, 50.0, 0.5, 0.75),
        ("D1", "met", True, 28.0, -2.0, 32 / 30, 30 / 28),
        ("D2", "not_met", False, 40.0, 10.0, 20 / 30, 30 / 40),
        ("N1", "no_data", False, NAN, NAN, NAN, NAN),
        ("F1", "met", True, 100.0, 0.0, 1.0, 1.0),
        ("F2", "not_met", False, 95.0, 5.0, 0.0, 0.95),
    ],
)
def test_each_indicator_met_or_not_in_the_target_year(code, outcome, met, value, gap, completion, attainment):
    row = assess_period(REPORT, CATALOG, "P14").indicators.set_index("code").loc[code]
    assert (row["outcome"], bool(row["met"])) == (outcome, met)
    for name, expected in (("value", value), ("gap", gap), ("completion", completion), ("attainment", attainment)):
        assert row[name] == pytest.approx(expected, nan_ok=True), name


def test_counts_per_task_programme_and_plan_weigh_indicators_and_count_no_data_as_not_reached():
    assessment = assess_period(REPORT, CATALOG, "P14")
    # B-1: F1 met (weight 1) of F1, F2 and N1 without data (weights 1 and 2): 1/4, not 1/2.
    tasks = pd.DataFrame(
        {
            "task": ["A-1", "A-2", "B-1"],
            "programme": ["A", "A", "B"],
            "indicators": [2, 2, 3],
            "met": [1, 1, 1],
            "not_met": [1, 1, 1],
            "no_data": [0, 0, 1],
            "share_met": [1 / 3, 1 / 2, 1 / 4],
        }
    )
    programmes = pd.DataFrame(
        {
            "programme": ["A", "B"],
            "indicators": [4, 3],
            "met": [2, 1],
            "not_met": [2, 1],
            "no_data": [0, 1],
            "share_met": [2 / 5, 1 / 4],
        }
    )
    overall = pd.DataFrame({"indicators": [7], "met": [3], "not_met": [3], "no_data": [1], "share_met": [3 / 9]})
    pd.testing.assert_frame_equal(assessment.tasks, tasks)
    pd.testing.assert_frame_equal(assessment.programmes, programmes)
    pd.testing.assert_frame_equal(assessment.overall, overall)
    assert (assessment.period, assessment.target_year) == ("P14", 2025)


def test_assess_period_leaves_the_report_as_it_was():
    before = REPORT.indicators.copy()
    assess_period(REPORT, CATALOG, "P14")
    pd.testing.assert_frame_equal(REPORT.indicators, before)


TWO_PERIODS = replace(
    CATALOG,
    periods=pd.DataFrame(
        {
            "code": ["P14", "P15"],
            "name_zh": ["十四五", "十五五"],
            "name_en": ["14th FYP", "15th FYP"],
            "base_year": [2020, 2025],
            "target_year": [2025, 2030],
        }
    ),
)


@pytest.mark.parametrize(
    ("catalog", "years", "period"),
    [
        (CATALOG, [2021, 2024], None),  # the target year not reached yet
        (CATALOG, [2024, 2025], "P14"),
        (CATALOG, [], None),  # no data at all
        (TWO_PERIODS, [2025, 2026], "P14"),  # the next period under way
        (TWO_PERIODS, [2030], "P15"),
    ],
)
def test_latest_ended_period(catalog, years, period):
    observations = make_observations([("U1", y, 1.0) for y in years])
    assert latest_ended_period(catalog, observations) == period


SMALL = make_catalog([INDICATORS[0], INDICATORS[3], INDICATORS[4]])
SMALL_ASSESSMENT = assess_period(compute_report(SMALL, VALUES, period="P14"), SMALL, "P14")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "zh",
            {
                "编码": ["U1", "D2", "N1"],
                "指标": ["指标U1", "指标D2", "指标N1"],
                "完成情况": ["★ 已完成", "✖ 未完成", "○ 无数据"],
                "完成率": [105.0, 75.0, NAN],
                "目标完成进度": [110.0, 100 * 20 / 30, NAN],
                "期末实际值": ["210个", "40个", "—"],
                "目标值": ["200个", "30个", "200个"],
                "与目标差距": ["-10个", "10个", "—"],
                "责任单位": ["测试局", "测试局", "测试局"],
                "工程": ["工程A", "工程A", "工程B"],
            },
        ),
        (
            "en",
            {
                "Code": ["U1", "D2", "N1"],
                "Indicator": ["Indicator U1", "Indicator D2", "Indicator N1"],
                "Outcome": ["★ Met", "✖ Not met", "○ No data"],
                "Completion rate": [105.0, 75.0, NAN],
                "Progress to target": [110.0, 100 * 20 / 30, NAN],
                "Final actual": ["210", "40", "—"],
                "Target": ["200", "30", "200"],
                "Gap to target": ["-10", "10", "—"],
                "Responsible department": ["测试局", "测试局", "测试局"],
                "Programme": ["Programme A", "Programme A", "Programme B"],
            },
        ),
    ],
)
def test_assessment_indicator_table(lang, expected):
    table = assessment_indicator_table(SMALL_ASSESSMENT, SMALL, lang)
    pd.testing.assert_frame_equal(table, pd.DataFrame(expected))


@pytest.mark.parametrize(
    ("lang", "level", "expected"),
    [
        (
            "zh",
            "programmes",
            {
                "工程": ["工程A", "工程B"],
                "指标数": [2, 1],
                "已完成": [1, 0],
                "未完成": [1, 0],
                "无数据": [0, 1],
                "完成占比（按权重）": [50.0, 0.0],
            },
        ),
        (
            "en",
            "tasks",
            {
                "Task": ["Task A-1", "Task A-2", "Task B-1"],
                "Programme": ["Programme A", "Programme A", "Programme B"],
                "Indicators": [1, 1, 1],
                "Met": [1, 0, 0],
                "Not met": [0, 1, 0],
                "No data": [0, 0, 1],
                "Share met (weighted)": [100.0, 0.0, 0.0],
            },
        ),
    ],
)
def test_assessment_count_table(lang, level, expected):
    table = assessment_count_table(getattr(SMALL_ASSESSMENT, level), SMALL, lang)
    pd.testing.assert_frame_equal(table, pd.DataFrame(expected))


@pytest.mark.parametrize(
    ("lang", "sentences"),
    [
        (
            "zh",
            [
                "十四五期末，7项指标中已完成3项，未完成3项，无数据1项；按指标权重计，已完成的占33%。",
                "分工程看，工程A完成占比最高（40%），工程B最低（25%）。",
                "未完成的指标中，目标完成进度最低的是指标F2（0%）、指标U2（50%）、指标D2（67%）。",
            ],
        ),
        (
            "en",
            [
                "At the end of the 14th FYP, of 7 indicators 3 met their target, 3 fell short and 1 without a final "
                "figure; by indicator weight, 33% met their target.",
                "By programme, Programme A met the largest share (40%) and Programme B the smallest (25%).",
                "Of those that fell short, the furthest from their target are Indicator F2 (0%), Indicator U2 (50%) "
                "and Indicator D2 (67%).",
            ],
        ),
    ],
)
def test_summarise_assessment(lang, sentences):
    assert summarise_assessment(assess_period(REPORT, CATALOG, "P14"), CATALOG, lang) == sentences


def test_summary_leaves_out_counts_of_zero_and_a_single_programme():
    catalog = make_catalog([INDICATORS[0]])
    assessment = assess_period(compute_report(catalog, VALUES, period="P14"), catalog, "P14")
    assert summarise_assessment(assessment, catalog, "zh") == [
        "十四五期末，1项指标中已完成1项；按指标权重计，已完成的占100%。"
    ]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_assessment_columns_keep_the_share_bar_in_view(lang):
    table = assessment_count_table(SMALL_ASSESSMENT.tasks, SMALL, lang)
    columns = assessment_columns(table, lang)
    # Measured at 1280 px: counts as wide as 110 px each pushed the share's bar out of an 820 px page.
    assert sum(c.width for c in columns.values()) <= 820
    share = columns[table.columns[-1]]
    assert (share.kind, share.format) == ("progress", "%.0f%%")
    assert columns[table.columns[0]].pinned
