"""The overview's briefing as data: programme cards, the indicators needing attention, the written summary.

Every report here is made by hand, so each number and sentence expected is read off the rows.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from factories import make_catalog

from hqd.briefing import describe_indicator, latest_upload, list_attention, programme_cards, summarise_year
from hqd.catalog import read_catalog, read_indicator_meta
from hqd.rollup import Report

NAN = math.nan
# Three programmes of one task each; the plan runs 2020 -> 2025.
CATALOG = make_catalog(
    [
        {"code": "A1", "programme": "A", "task": "A-1"},
        {"code": "B1", "programme": "B", "task": "B-1"},
        {"code": "C1", "programme": "C", "task": "C-1"},
    ]
)


def levels(rows: list[tuple], key: str) -> pd.DataFrame:
    """Return a programme (or overall) frame from (key, year, score, expected_score, status, score_change)."""
    frame = pd.DataFrame(rows, columns=[key, "year", "score", "expected_score", "status", "score_change"])
    return frame.assign(coverage=1.0)


def indicators(rows: list[tuple], year: int = 2023) -> pd.DataFrame:
    """Return indicator rows of one year from (code, status, projection, projected_completion) tuples."""
    frame = pd.DataFrame(rows, columns=["code", "status", "projection", "projected_completion"])
    return frame.assign(
        year=year,
        name_zh="指标" + frame["code"],
        name_en="Indicator " + frame["code"],
        target_year=2025,
    )


def report(overall: list[tuple], programmes: list[tuple], rows: pd.DataFrame) -> Report:
    return Report(
        indicators=rows,
        tasks=pd.DataFrame(),
        programmes=levels(programmes, "programme"),
        overall=levels([("P14", *row) for row in overall], "plan"),
    )


# 2023: A ahead of its trajectory, B furthest behind it, C slightly ahead; seven indicators.
MIDWAY = report(
    [(2022, 58.4, 60.0, "at_risk", NAN), (2023, 62.4, 70.0, "at_risk", 4.0)],
    [
        ("A", 2023, 80.0, 70.0, "on_track", 5.0),
        ("B", 2023, 50.0, 65.0, "lagging", -2.0),
        ("C", 2023, 90.0, 88.0, "on_track", 1.0),
    ],
    indicators(
        [
            ("A1", "achieved", "likely", 1.2),
            ("A2", "on_track", "likely", 1.0),
            ("A3", "on_track", "near_miss", 0.93),
            ("B1", "at_risk", "off_track", 0.7),
            ("B2", "lagging", "off_track", 0.5),
            ("B3", "regressing", "off_track", 0.2),
            ("C1", "no_data", "", NAN),
        ]
    ),
)


@pytest.mark.parametrize(
    ("lang", "sentences"),
    [
        (
            "zh",
            [
                "2023年，总体得分62.4分，低于序时进度（70.0分）7.6分，进度偏慢；较上年提高4.0分。",
                "分工程看，工程A进展最好（80.0分），工程B最需加力（50.0分）。",
                "7项指标中，已完成1项，达到序时进度2项，略低于序时进度1项，明显滞后1项，低于基期1项，无数据1项。",
                "按当前趋势测算，预计3项指标到2025年难以完成规划目标，即指标B3、指标B2、指标B1。",
            ],
        ),
        (
            "en",
            [
                "In 2023 the overall score was 62.4, 7.6 points below the expected progress to date (70.0): slightly "
                "behind schedule; up 4.0 points on the year before.",
                "By programme, Programme A leads (80.0); Programme B needs the most effort (50.0).",
                "Of 7 indicators, 1 achieved, 2 on schedule, 1 slightly behind schedule, 1 well behind schedule, "
                "1 below baseline and 1 with no data.",
                "On the current trend, 3 indicators are expected to miss the plan's 2025 target: Indicator B3, "
                "Indicator B2 and Indicator B1.",
            ],
        ),
    ],
)
def test_summary_of_a_year_midway(lang, sentences):
    assert summarise_year(MIDWAY, CATALOG, 2023, lang) == sentences


def overall_only(score: float, expected: float, status: str, change: float, year: int = 2023) -> Report:
    """Return a report of one year whose overall level alone is set; one indicator on track."""
    return report([(year, score, expected, status, change)], [], indicators([("A1", "on_track", "likely", 1.0)], year))


@pytest.mark.parametrize(
    ("score", "expected", "status", "change", "lang", "sentence"),
    [
        (
            65.7,
            76.8,
            "at_risk",
            17.2,
            "zh",
            "2023年，总体得分65.7分，低于序时进度（76.8分）11.1分，进度偏慢；较上年提高17.2分。",
        ),
        (
            40.0,
            76.8,
            "lagging",
            -3.0,
            "zh",
            "2023年，总体得分40.0分，低于序时进度（76.8分）36.8分，进度明显滞后；较上年下降3.0分。",
        ),
        (
            -5.0,
            50.0,
            "regressing",
            0.04,
            "zh",
            "2023年，总体得分-5.0分，低于序时进度（50.0分）55.0分，低于基期水平；与上年持平。",
        ),
        (
            74.0,
            76.8,
            "on_track",
            NAN,
            "zh",
            "2023年，总体得分74.0分，低于序时进度（76.8分）2.8分，总体符合序时进度要求。",
        ),
        (80.0, 70.0, "on_track", NAN, "zh", "2023年，总体得分80.0分，高于序时进度（70.0分）10.0分。"),
        (70.04, 69.96, "on_track", 1.0, "zh", "2023年，总体得分70.0分，达到序时进度（70.0分）；较上年提高1.0分。"),
        (
            65.7,
            76.8,
            "at_risk",
            17.2,
            "en",
            "In 2023 the overall score was 65.7, 11.1 points below the expected progress to date (76.8): slightly "
            "behind schedule; up 17.2 points on the year before.",
        ),
        (
            80.0,
            70.0,
            "on_track",
            -2.0,
            "en",
            "In 2023 the overall score was 80.0, 10.0 points above the expected progress to date (70.0); down 2.0 "
            "points on the year before.",
        ),
        (
            70.0,
            70.0,
            "on_track",
            NAN,
            "en",
            "In 2023 the overall score was 70.0, level with the expected progress to date (70.0).",
        ),
    ],
    ids=[
        "behind",
        "well-behind",
        "below-baseline",
        "behind-within-band",
        "ahead",
        "equal-as-shown",
        "behind-en",
        "ahead-en",
        "equal-en",
    ],
)
def test_overall_sentence_says_how_far_from_expected_progress_and_the_change(
    score, expected, status, change, lang, sentence
):
    assert summarise_year(overall_only(score, expected, status, change), CATALOG, 2023, lang)[0] == sentence


def test_summary_without_a_year_before_has_no_change_and_ranks_by_score_against_expected():
    # 2022 has no year before it here; A and C are both 2 points ahead, and C scores higher.
    ranked = report(
        [(2022, 58.4, 60.0, "at_risk", NAN)],
        [("A", 2022, 52.0, 50.0, "on_track", NAN), ("B", 2022, 70.0, 75.0, "at_risk", NAN)]
        + [("C", 2022, 62.0, 60.0, "on_track", NAN)],
        indicators([("A1", "on_track", "likely", 1.0)], year=2022),
    )
    assert summarise_year(ranked, CATALOG, 2022)[:2] == [
        "2022年，总体得分58.4分，低于序时进度（60.0分）1.6分，进度偏慢。",
        "分工程看，工程C进展最好（62.0分），工程B最需加力（70.0分）。",
    ]


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("zh", "按当前趋势测算，预计5项指标到2025年难以完成规划目标，主要包括指标X1、指标X4、指标X3等。"),
        (
            "en",
            "On the current trend, 5 indicators are expected to miss the plan's 2025 target, notably Indicator X1, "
            "Indicator X4 and Indicator X3.",
        ),
    ],
)
def test_summary_names_at_most_three_indicators_off_track_the_furthest_first(lang, sentence):
    rows = indicators([(f"X{n}", "lagging", "off_track", share) for n, share in enumerate([0.6, 0.1, 0.4, 0.3, 0.2])])
    five = report([(2023, 40.0, 70.0, "lagging", NAN)], [], rows)
    assert summarise_year(five, CATALOG, 2023, lang)[-1] == sentence


def test_summary_of_one_programme_with_figures_ranks_nothing_and_leaves_out_zero_counts():
    one = report(
        [(2023, 80.0, 70.0, "on_track", NAN)],
        [("A", 2023, 80.0, 70.0, "on_track", NAN), ("B", 2023, NAN, NAN, "no_data", NAN)],
        indicators([("A1", "on_track", "likely", 1.0), ("B1", "no_data", "", NAN)]),
    )
    assert summarise_year(one, CATALOG, 2023) == [
        "2023年，总体得分80.0分，高于序时进度（70.0分）10.0分。",
        "2项指标中，达到序时进度1项，无数据1项。",
        "按当前趋势测算，有数据的指标预计均能在2025年完成或接近规划目标。",
    ]


@pytest.mark.parametrize(
    ("lang", "sentences"),
    [
        (
            "zh",
            [
                "2025年为规划目标年，总体得分100.0分，全面完成规划目标；较上年提高6.5分。",
                "分工程看，工程A进展最好（100.0分），工程B最需加力（100.0分）。",
                "3项指标中，已完成目标3项。",
            ],
        ),
        (
            "en",
            [
                "2025 is the plan's target year: the overall score was 100.0, the plan's target reached; up 6.5 "
                "points on the year before.",
                "By programme, Programme A leads (100.0); Programme B needs the most effort (100.0).",
                "Of 3 indicators, 3 reached their target.",
            ],
        ),
    ],
)
def test_summary_in_the_target_year_when_everything_is_achieved(lang, sentences):
    done = report(
        [(2025, 100.0, 100.0, "achieved", 6.5)],
        [("A", 2025, 100.0, 100.0, "achieved", 3.0), ("B", 2025, 100.0, 100.0, "achieved", 10.0)],
        indicators([("A1", "achieved", "", NAN), ("B1", "achieved", "", NAN), ("C1", "achieved", "", NAN)], 2025),
    )
    assert summarise_year(done, CATALOG, 2025, lang) == sentences


@pytest.mark.parametrize(
    ("lang", "sentences"),
    [
        (
            "zh",
            [
                "2025年为规划目标年，总体得分70.0分，距规划目标（100.0分）差30.0分。",
                "4项指标中，已完成目标1项，未完成目标2项，无数据1项。",
            ],
        ),
        (
            "en",
            [
                "2025 is the plan's target year: the overall score was 70.0, 30.0 points short of the plan's target "
                "(100.0).",
                "Of 4 indicators, 1 reached their target, 2 did not and 1 with no data.",
            ],
        ),
    ],
)
def test_summary_in_the_target_year_says_reached_or_not_never_on_schedule(lang, sentences):
    # Statuses of the target year still read at_risk or lagging; the summary only asks: target reached or not.
    rows = indicators(
        [("A1", "achieved", "", NAN), ("A2", "lagging", "", NAN), ("B1", "at_risk", "", NAN)]
        + [("C1", "no_data", "", NAN)],
        2025,
    )
    final = report([(2025, 70.0, 100.0, "lagging", NAN)], [], rows)
    summary = summarise_year(final, CATALOG, 2025, lang)
    assert summary == sentences
    words = ("序时", "滞后", "偏慢") if lang == "zh" else ("schedule", "expected")
    assert not any(word in sentence for sentence in summary for word in words)


@pytest.mark.parametrize(
    ("overall", "lang", "sentence"),
    [
        ([], "zh", "2024年暂无任何指标数据。请选择其他年份，或上传该年数据。"),
        ([(2024, NAN, NAN, "no_data", NAN)], "zh", "2024年暂无任何指标数据。请选择其他年份，或上传该年数据。"),
        (
            [(2024, NAN, NAN, "no_data", NAN)],
            "en",
            "There is no indicator data for 2024. Choose another year or upload that year's figures.",
        ),
    ],
    ids=["year-not-computed", "no-data", "no-data-en"],
)
def test_summary_of_a_year_without_data_is_one_sentence(overall, lang, sentence):
    empty = report(overall, [], indicators([("A1", "no_data", "", NAN)], 2024))
    assert summarise_year(empty, CATALOG, 2024, lang) == [sentence]


def test_programme_cards_follow_the_catalog_with_each_score_history_up_to_the_year():
    programmes = levels(
        [
            ("B", 2022, 40.0, 45.0, "at_risk", NAN),
            ("A", 2022, 60.0, 50.0, "on_track", NAN),
            ("A", 2021, 55.0, 40.0, "on_track", NAN),
            ("B", 2021, NAN, NAN, "no_data", NAN),
            ("A", 2023, 70.0, 60.0, "on_track", 10.0),
        ],
        "programme",
    )
    cards = programme_cards(Report(pd.DataFrame(), pd.DataFrame(), programmes, pd.DataFrame()), CATALOG, 2022)
    expected = pd.DataFrame(
        {
            "programme": ["A", "B", "C"],
            "name_zh": ["工程A", "工程B", "工程C"],
            "name_en": ["Programme A", "Programme B", "Programme C"],
            "short_zh": ["", "", ""],
            "score": [60.0, 40.0, NAN],
            "expected_score": [50.0, 45.0, NAN],
            "status": ["on_track", "at_risk", NAN],
            "score_change": [NAN, NAN, NAN],
            "coverage": [1.0, 1.0, NAN],
            "history": [[55.0, 60.0], [NAN, 40.0], NAN],
        }
    )
    pd.testing.assert_frame_equal(cards, expected, check_dtype=False)


def test_attention_lists_regressing_then_lagging_each_least_complete_first():
    rows = pd.DataFrame(
        {
            "code": ["A1", "A2", "B1", "B2", "C1"],
            "programme": ["A", "A", "B", "B", "C"],
            "year": [2023, 2023, 2023, 2023, 2022],
            "status": ["lagging", "regressing", "lagging", "on_track", "regressing"],
            "completion": [0.5, 0.7, 0.2, 0.9, 0.1],
            "value": [150.0, 80.0, 120.0, 190.0, 10.0],
            "target_value": [200.0, 100.0, 200.0, 200.0, 200.0],
        }
    )
    attention = list_attention(Report(rows, pd.DataFrame(), pd.DataFrame(), pd.DataFrame()), CATALOG, 2023)
    assert list(attention["code"]) == ["A2", "B1", "A1"]
    assert list(attention["programme_zh"]) == ["工程A", "工程B", "工程A"]
    assert list(attention["programme_en"]) == ["Programme A", "Programme B", "Programme A"]
    assert list(attention["gap"]) == [20.0, 80.0, 50.0]
    assert list(attention.index) == [0, 1, 2]


def test_latest_upload_is_the_newest_data_upload_in_effect():
    uploads = pd.DataFrame(
        {
            "id": [1, 2, 3, 4],
            "kind": ["catalog", "data", "data", "catalog"],
            "in_effect": [True, True, False, True],
        }
    )
    assert latest_upload(uploads)["id"] == 2
    assert latest_upload(uploads.assign(in_effect=False)) is None


META = pd.DataFrame(
    {
        "definition_zh": ["截至报告期末认定的研发机构数量。", "营业收入总额。", ""],
        "formula_zh": ["—", "各企业营业收入之和", ""],
        "source_zh": ["科技创新局台账", "统计局", ""],
        "definition_en": ["R&D institutions recognised at the end of the period.", "Total operating revenue.", ""],
    },
    index=pd.Index(["A1", "A2", "A3"], name="code"),
)


@pytest.mark.parametrize(
    ("code", "lang", "lines"),
    [
        # Counted, not computed: the formula "—" is left out.
        (
            "A1",
            "zh",
            [
                "指标解释：截至报告期末认定的研发机构数量。",
                "数据来源：科技创新局台账",
                "报送频率：季度；数值类型：时点值",
            ],
        ),
        (
            "A2",
            "zh",
            [
                "指标解释：营业收入总额。",
                "计算公式：各企业营业收入之和",
                "数据来源：统计局",
                "报送频率：月度；数值类型：累计值（自年初累计）",
            ],
        ),
        # The formula and source exist in Chinese only: not shown untranslated in English.
        ("A2", "en", ["Definition: Total operating revenue.", "Reported: Monthly; Year-to-date total"]),
        # Nothing known of its kind or definition: nothing said.
        ("A3", "zh", []),
        ("B9", "en", []),
    ],
)
def test_describe_indicator(code, lang, lines):
    reporting = {"A1": ("quarter", "stock"), "A2": ("month", "cumulative")}.get(code, ("year", "unknown"))
    indicator = {"code": code, "frequency": reporting[0], "value_kind": reporting[1]}
    assert describe_indicator(indicator, lang, META) == lines


def test_every_indicator_of_the_default_catalog_is_described_in_both_languages():
    meta = read_indicator_meta()
    for indicator in read_catalog().indicators.to_dict("records"):
        for lang in ("zh", "en"):
            assert len(describe_indicator(indicator, lang, meta)) >= 2, (indicator["code"], lang)
