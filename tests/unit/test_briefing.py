"""The overview's briefing as data: programme cards, the indicators needing attention, the written summary.

Every report here is made by hand, so each number and sentence expected is read off the rows.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from factories import make_catalog

from hqd.briefing import latest_upload, list_attention, programme_cards, summarise_year
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
                "2023 年总体得分 62.4,应达 70.0,▲ 需加快,较上年+4.0。",
                "进展最好的是工程A(80.0),最需加力的是工程B(50.0)。",
                "7 项指标中,3 项已完成或进展正常,1 项需加快,2 项滞后或倒退,1 项尚无数据。",
                "按目前趋势,3 项指标到 2025 年难以完成目标,主要是指标B3、指标B2、指标B1。",
            ],
        ),
        (
            "en",
            [
                "In 2023 the overall score is 62.4 against 70.0 expected: ▲ At risk, +4.0 on last year.",
                "Programme A leads (80.0); Programme B needs the most effort (50.0).",
                "Of 7 indicators, 3 are achieved or on track, 1 at risk, 2 lagging or regressing and 1 without data.",
                "On current trends 3 indicators will miss their 2025 target, notably Indicator B3, Indicator B2, "
                "Indicator B1.",
            ],
        ),
    ],
)
def test_summary_of_a_year_midway(lang, sentences):
    assert summarise_year(MIDWAY, CATALOG, 2023, lang) == sentences


def test_summary_without_a_year_before_has_no_change_and_ranks_by_score_against_expected():
    # 2022 has no year before it here; A and C are both 2 points ahead, and C scores higher.
    ranked = report(
        [(2022, 58.4, 60.0, "at_risk", NAN)],
        [("A", 2022, 52.0, 50.0, "on_track", NAN), ("B", 2022, 70.0, 75.0, "at_risk", NAN)]
        + [("C", 2022, 62.0, 60.0, "on_track", NAN)],
        indicators([("A1", "on_track", "likely", 1.0)], year=2022),
    )
    assert summarise_year(ranked, CATALOG, 2022)[:2] == [
        "2022 年总体得分 58.4,应达 60.0,▲ 需加快。",
        "进展最好的是工程C(62.0),最需加力的是工程B(70.0)。",
    ]


def test_summary_names_at_most_three_indicators_off_track_the_furthest_first():
    rows = indicators([(f"X{n}", "lagging", "off_track", share) for n, share in enumerate([0.6, 0.1, 0.4, 0.3, 0.2])])
    five = report([(2023, 40.0, 70.0, "lagging", NAN)], [], rows)
    assert (
        summarise_year(five, CATALOG, 2023)[-1]
        == "按目前趋势,5 项指标到 2025 年难以完成目标,主要是指标X1、指标X4、指标X3。"
    )


def test_summary_of_one_programme_with_figures_ranks_nothing():
    one = report(
        [(2023, 80.0, 70.0, "on_track", NAN)],
        [("A", 2023, 80.0, 70.0, "on_track", NAN), ("B", 2023, NAN, NAN, "no_data", NAN)],
        indicators([("A1", "on_track", "likely", 1.0), ("B1", "no_data", "", NAN)]),
    )
    assert summarise_year(one, CATALOG, 2023) == [
        "2023 年总体得分 80.0,应达 70.0,● 正常。",
        "2 项指标中,1 项已完成或进展正常,0 项需加快,0 项滞后或倒退,1 项尚无数据。",
        "按目前趋势,有数据的指标均有望在 2025 年完成或接近目标。",
    ]


@pytest.mark.parametrize(
    ("lang", "final"),
    [
        ("zh", "2025 年为规划目标年:3 项指标已完成目标,0 项未完成。"),
        ("en", "2025 is the target year: 3 indicators met their target, 0 did not."),
    ],
)
def test_summary_in_the_target_year_when_everything_is_achieved(lang, final):
    done = report(
        [(2025, 100.0, 100.0, "achieved", 6.5)],
        [("A", 2025, 100.0, 100.0, "achieved", 3.0), ("B", 2025, 100.0, 100.0, "achieved", 10.0)],
        indicators([("A1", "achieved", "", NAN), ("B1", "achieved", "", NAN), ("C1", "achieved", "", NAN)], 2025),
    )
    sentences = summarise_year(done, CATALOG, 2025, lang)
    assert len(sentences) == 4 and sentences[-1] == final


def test_summary_in_the_target_year_counts_what_is_not_achieved_without_what_has_no_data():
    rows = indicators(
        [("A1", "achieved", "", NAN), ("A2", "lagging", "", NAN), ("B1", "at_risk", "", NAN)]
        + [("C1", "no_data", "", NAN)],
        2025,
    )
    final = report([(2025, 70.0, 100.0, "lagging", NAN)], [], rows)
    assert summarise_year(final, CATALOG, 2025)[1:] == [
        "4 项指标中,1 项已完成或进展正常,1 项需加快,1 项滞后或倒退,1 项尚无数据。",
        "2025 年为规划目标年:1 项指标已完成目标,2 项未完成。",
    ]


@pytest.mark.parametrize(
    ("overall", "lang", "sentence"),
    [
        ([], "zh", "2024 年暂无任何指标数据。请选择其他年份,或上传该年数据。"),
        ([(2024, NAN, NAN, "no_data", NAN)], "zh", "2024 年暂无任何指标数据。请选择其他年份,或上传该年数据。"),
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
