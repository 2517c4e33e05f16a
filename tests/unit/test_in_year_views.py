"""A year under way as shown: which month it runs to, the summary, the table and the monthly chart."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from factories import make_catalog, make_observations

from hqd.briefing import summarise_in_year
from hqd.changes import compare_observations, trace_lineage
from hqd.explore import Filters
from hqd.inyear import month_in_progress, report_in_year
from hqd.svg import MONTHS_COLUMNS, months_chart
from hqd.tables import changes_table, in_year_table, lineage_table
from hqd.views.explorer import explore_in_year, in_year_every_indicator
from hqd.views.programme import in_year_detail, programme_in_year_view
from hqd.views.upload import list_report_months, name_template

# A1 a monthly year-to-date total in 亿元, A2 a quarterly level, B2 a yearly rate.
CATALOG = make_catalog(
    [
        {
            "code": "A1",
            "programme": "A",
            "task": "A-1",
            "unit": "亿元",
            "frequency": "month",
            "value_kind": "cumulative",
        },
        {"code": "A2", "programme": "A", "task": "A-1", "frequency": "quarter", "value_kind": "stock"},
        {"code": "B2", "programme": "B", "task": "B-1", "unit": "%", "base_value": 50, "target_value": 90},
    ]
)
# 2023's targets on the straight lines from 2020 to 2025: A1 and A2 160, B2 74.
LAST_YEAR = pd.DataFrame({"indicator": "A1", "year": 2022, "month": [2, 3], "value": [10.0, 25.0]})
MONTHS = pd.concat(
    [
        make_observations([("A1", 2022, 120.0), ("A2", 2022, 130.0), ("B2", 2022, 66.0)]),
        LAST_YEAR,
        pd.DataFrame({"indicator": "A1", "year": 2023, "month": [2, 3], "value": [14.0, 30.0]}),
        pd.DataFrame({"indicator": "A2", "year": 2023, "month": [3], "value": [131.0]}),
    ],
    ignore_index=True,
)


@pytest.mark.parametrize(
    ("observations", "year", "month"),
    [
        (MONTHS, 2023, 3),  # figures to March, none for December: under way to March
        (MONTHS, 2022, None),  # December figures: a whole year
        (MONTHS, 2024, None),  # no figures at all
        # A yearly figure in a year under way is not a December of the year's monthly indicators.
        (pd.concat([MONTHS, make_observations([("B2", 2023, 70.0)])]), 2023, 3),
        # One early December figure of two does not close the year; both do.
        (pd.concat([MONTHS, make_observations([("A1", 2023, 150.0)])]), 2023, 3),
        (pd.concat([MONTHS, make_observations([("A1", 2023, 150.0), ("A2", 2023, 150.0)])]), 2023, None),
    ],
)
def test_month_in_progress(observations, year, month):
    assert month_in_progress(CATALOG, observations, "P14", year) == month


def test_yearly_indicators_wait_for_the_years_end():
    march = report_in_year(CATALOG, MONTHS, "P14", 2023, 3).indicators
    assert list(march["code"]) == ["A1", "A2"]
    december = report_in_year(CATALOG, MONTHS, "P14", 2023, 12).indicators
    assert list(december["code"]) == ["A1", "A2", "B2"]


@pytest.mark.parametrize(
    ("lang", "sentences"),
    [
        (
            "zh",
            [
                "截至2023年3月，纳入序时进度监测的2项月度、季度指标中，略低于序时进度1项，明显滞后1项；"
                "总体完成11.0%，序时进度25.0%，低于序时进度14.0个百分点。",
                "工程A明显滞后于序时进度。",
                "1—3月，指标A1累计30亿元，同比增长20.0%，完成年度目标的19%。",
            ],
        ),
        (
            "en",
            [
                "To the end of March 2023, of the 2 indicators reported monthly or quarterly, 1 slightly behind "
                "schedule and 1 well behind schedule; overall 11.0% done against 25.0% due by now, 14.0 points behind.",
                "Well behind schedule: Programme A.",
                "Indicator A1, January–March: CNY 3 bn, up 20.0% on the same months last year, 19% of the annual "
                "target.",
            ],
        ),
    ],
)
def test_the_summary_of_a_year_under_way(lang, sentences):
    report = report_in_year(CATALOG, MONTHS, "P14", 2023, range(1, 4))
    assert summarise_in_year(report, CATALOG, 2023, 3, lang) == sentences


def test_the_behind_schedule_table_says_how_far_and_to_when():
    rows = report_in_year(CATALOG, MONTHS, "P14", 2023, 3).indicators
    table = in_year_table(rows, CATALOG, "zh")
    assert list(table.columns) == [
        "指标",
        "状态",
        "差距（百分点）",
        "目标完成进度",
        "序时进度",
        "截至",
        "本年实际值",
        "年度目标",
        "同比",
        "责任单位",
        "工程",
    ]
    # A1: 30 of 160 by March against 3/12 due; A2: 1 of the 30 it is to gain this year, from December's 130.
    assert table.iloc[:, [0, 2, 3, 4, 5, 6, 7, 8]].values.tolist() == [
        ["指标A1", "−6.2", "19%", "25%", "2023年1—3月", "30亿元", "160亿元", "+20.0%"],
        ["指标A2", "−21.7", "3%", "25%", "2023年一季度", "131个", "160个", "—"],
    ]


def test_the_monthly_chart_draws_each_monthly_indicator_against_the_due_line():
    report = report_in_year(CATALOG, MONTHS, "P14", 2023, range(1, 4))
    monthly = report.indicators.loc[report.indicators["frequency"] == "month", MONTHS_COLUMNS]
    chart = months_chart(monthly, pd.Series({"A1": "指标A1"}), "标题", "zh")
    (line,) = chart.findall(".//g[@class='series']")
    points = [
        (point.find("title").text.split("\n")[1], point.find("path").get("data-value"))
        for point in line.findall("g[@class='point']")
    ]
    assert (line.get("data-name"), points) == ("指标A1", [("月份：2月", "0.0875"), ("月份：3月", "0.1875")])
    due = [point.find("title").text.split("\n") for point in chart.findall(".//g[@class='due']/g")]
    assert due == [["1月", "序时进度：8%"], ["2月", "序时进度：17%"], ["3月", "序时进度：25%"]]


def test_a_programme_without_indicators_reported_within_the_year_has_no_in_year_view():
    report = report_in_year(CATALOG, MONTHS, "P14", 2023, range(1, 4))
    assert programme_in_year_view(report, CATALOG, "B", 2023, 3, "zh") is None
    view = programme_in_year_view(report, CATALOG, "A", 2023, 3, "en")
    assert view.heading == "2023, progress to the end of March" and list(view.names.index) == ["A1", "A2"]


def test_an_indicators_months_against_its_due_line_last_year_and_annual_target():
    detail = in_year_detail(CATALOG, MONTHS, "P14", "A1", 2023, 3, "zh")
    due, target, last, this = detail.figure.data
    # The due line runs the whole year (160 × m/12), not only to the latest figure.
    assert list(due.x) == list(range(1, 13)) and due.y[-1] == pytest.approx(160) and due.y[2] == pytest.approx(40)
    assert (target.name, list(target.y)) == ("年度目标160亿元", [160.0, 160.0])
    assert (last.name, list(last.x), list(last.y)) == ("2022年同期", [2, 3, 12], [10.0, 25.0, 120.0])
    assert (this.name, list(this.x), list(this.y)) == ("2023年", [2, 3], [14.0, 30.0])
    assert detail.standing == (
        "2023年1—3月：30亿元，同比增长20.0%；年度目标160亿元，完成19%，序时进度25%，低于序时进度6.2个百分点。"
    )


@pytest.mark.parametrize(
    ("lang", "column", "periods"),
    [("zh", "报告期", ["2023年1—3月", "2023年一季度"]), ("en", "Period", ["Jan–Mar 2023", "Q1 2023"])],
)
def test_an_uploads_figures_within_a_year_are_named_by_their_period(lang, column, periods):
    incoming = MONTHS[MONTHS["year"] == 2023].reset_index(drop=True).assign(note=None)
    compared = compare_observations(MONTHS.iloc[:0], incoming[incoming["month"] == 3])
    assert list(changes_table(compared, CATALOG, lang)[column]) == periods


@pytest.mark.parametrize(
    ("today", "first", "last"),
    [(date(2026, 11, 27), (2026, 10), (2025, 11)), (date(2027, 1, 5), (2026, 12), (2026, 1))],
)
def test_a_months_template_is_offered_for_the_months_just_past(today, first, last):
    months = list_report_months(today)
    assert (months[0], months[-1], len(months)) == (first, last, 12)


def test_a_months_template_is_named_by_its_month():
    assert name_template("科技创新局", (2026, 10)) == "六大工程指标填报模板_2026年10月_科技创新局.xlsx"
    assert name_template(None) == "六大工程指标填报模板_全部.xlsx"


def test_each_months_figure_keeps_its_own_lineage():
    """September from one upload and October from the next are both in effect; a revised October replaces only it."""
    at = pd.Timestamp("2026-11-01")
    history = pd.DataFrame(
        {
            "year": [2026, 2026, 2026],
            "month": [9, 10, 10],
            "value": [90.0, 100.0, 101.0],
            "note": [None, None, "修订"],
            "upload_id": [1, 2, 3],
            "file_name": ["9月.xlsx", "10月.xlsx", "10月修订.xlsx"],
            "user_name": ["张三"] * 3,
            "created_at": [at, at + pd.Timedelta(days=1), at + pd.Timedelta(days=2)],
            "rolled_back_at": [pd.NaT] * 3,
            "rolled_back_by": [None] * 3,
            "is_sample": [False] * 3,
        }
    )
    traced = trace_lineage(history)
    assert traced["in_effect"].tolist() == [True, False, True]
    assert traced["previous"].isna().tolist()[:2] == [True, True]
    assert traced["previous"].iloc[2] == 100.0
    table = lineage_table(traced, "亿元", "zh")
    assert list(table["报告期"]) == ["2026年10月", "2026年10月", "2026年9月"]


def test_a_months_sheet_is_asked_only_for_the_indicators_that_month_reports():
    from hqd.intake import check_coverage

    # March: A1 (monthly) and A2 (quarterly) are due; B2 is yearly. The sheet has A1 only.
    incoming = pd.DataFrame({"indicator": ["A1"], "year": [2023], "month": [3], "value": [30.0]})
    (warning,) = check_coverage(incoming, CATALOG.targets()).itertuples(index=False)
    assert (warning.code, warning.params["codes"]) == ("problem.coverage", ["A2"])
    # A February sheet: only the monthly A1 is due, and it is there.
    assert check_coverage(incoming.assign(month=2), CATALOG.targets()).empty


def test_the_overviews_monthly_chart_draws_at_most_chart_rows_lines_those_furthest_behind():
    from hqd.explore import CHART_ROWS
    from hqd.views.overview import in_year_view

    count = CHART_ROWS + 5
    monthly = {"programme": "A", "task": "A-1", "frequency": "month", "value_kind": "cumulative"}
    catalog = make_catalog([{"code": f"M{i:02d}", **monthly} for i in range(count)])
    # M00 is furthest behind (30 by March), M64 furthest ahead: the chart's lines are M00..M59.
    figures = [
        pd.DataFrame({"indicator": f"M{i:02d}", "year": [2022, 2023], "month": [12, 3], "value": [100.0, 30.0 + i]})
        for i in range(count)
    ]
    report = report_in_year(catalog, pd.concat(figures, ignore_index=True), "P14", 2023, range(1, 4))
    uploads = pd.DataFrame({"id": [], "kind": [], "in_effect": []})
    view = in_year_view(report, catalog, uploads, "P14", 2023, 3, "zh")
    lines = [line.get("data-name") for line in view.months.findall(".//g[@class='series']")]
    assert lines == [f"指标M{i:02d}" for i in range(CHART_ROWS)]
    assert f"滞后最多的{CHART_ROWS}项" in view.months.find("text[@class='title']").text
    # The due line is every monthly indicator's: m/12 with no seasonal shape.
    due = [point.find("title").text for point in view.months.findall(".//g[@class='due']/g")]
    assert due == ["1月\n序时进度：8%", "2月\n序时进度：17%", "3月\n序时进度：25%"]


def test_a_reviewed_light_that_counts_settles_the_explanation_owed_while_the_computed_light_is_shown():
    import dataclasses
    from datetime import date

    from hqd.i18n import translator

    report = report_in_year(CATALOG, MONTHS, "P14", 2023, range(1, 4))
    columns = ["indicator", "year", "month", "cause", "measures", "expected_by", "upload_id", "user_name", "created_at"]
    none = pd.DataFrame(columns=columns)
    t = translator("zh")
    view = programme_in_year_view(report, CATALOG, "A", 2023, 3, "zh", none, date(2023, 5, 1))
    owed = view.table.set_index(view.rows["code"])[t("col.explanation")]
    computed = view.rows.set_index("code").loc["A1", "status"]
    assert computed in ("at_risk", "lagging") and owed["A1"]
    # A leader's review counted (HQD_REVIEWS_COUNT=1): A1's light is on track, its computed one kept beside it.
    indicators = report.indicators.assign(
        computed_status=report.indicators["status"],
        status=report.indicators["status"].mask(report.indicators["code"] == "A1", "on_track"),
    )
    reviewed = programme_in_year_view(
        dataclasses.replace(report, indicators=indicators), CATALOG, "A", 2023, 3, "zh", none, date(2023, 5, 1)
    )
    assert reviewed.rows.set_index("code").loc["A1", "status"] == computed
    assert not reviewed.table.set_index(reviewed.rows["code"])[t("col.explanation")]["A1"]


@pytest.mark.parametrize(
    "filters",
    [
        Filters(2020, 2023),
        Filters(2020, 2023, programmes=["A"]),
        Filters(2020, 2023, text="a2"),
        Filters(2020, 2023, programmes=["B"]),
        Filters(2020, 2023, statuses=["lagging"]),
    ],
)
@pytest.mark.parametrize(("month", "lang"), [(2, "zh"), (3, "en")])
def test_explorer_in_year_picks_its_rows_of_every_indicators_table(filters, month, lang):
    # A filter change picks rows of every indicator's in-year table, formatted once: what the filter alone makes.
    report = report_in_year(CATALOG, MONTHS, "P14", 2023, range(1, 4))
    everything = in_year_every_indicator(report, CATALOG, month, lang)
    picked = explore_in_year(report, CATALOG, filters, month, lang, everything)
    alone = explore_in_year(report, CATALOG, filters, month, lang)
    pd.testing.assert_frame_equal(picked.table, alone.table)
    pd.testing.assert_frame_equal(picked.rows, alone.rows)
    assert (picked.heading, picked.columns) == (alone.heading, alone.columns)
    assert len(everything) == (report.indicators["month"] == month).sum()
