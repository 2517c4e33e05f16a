"""The overview page's content: the plan's standing in a year, the programmes' cards, charts, what is behind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from xml.etree.ElementTree import Element

import pandas as pd

from hqd.briefing import latest_upload, list_attention, programme_cards, summarise_in_year, summarise_year
from hqd.catalog import Catalog
from hqd.explore import CHART_ROWS
from hqd.formatting import format_time, month_params
from hqd.i18n import file_label, name_column, person_name, translator
from hqd.rollup import Report
from hqd.svg import HALF, MONTHS_COLUMNS, months_chart, score_chart, status_split_chart
from hqd.tables import attention_table, in_year_table, insert_explanations, with_programme_names
from hqd.views.supervision import explanation_texts


def find_standing(report: Report, year: int) -> pd.Series | None:
    """Return the whole plan's row of the year, or None when the year has no data."""
    overall = report.overall[report.overall["year"] == year]
    if overall.empty or overall["status"].iloc[0] == "no_data":
        return None
    return overall.iloc[0]


@dataclass(frozen=True)
class OverviewView:
    """What the overview shows of a year with data."""

    sentences: list[str]  # the written summary
    cards: pd.DataFrame  # one per programme
    scores: Element  # the programmes' scores (an SVG chart, as the overview's other charts: hqd.svg)
    status_split: Element  # the indicators' statuses per programme
    attention: pd.DataFrame  # the indicators behind, worst first (with their status)
    attention_table: pd.DataFrame  # the same as shown
    updated: str  # the latest upload in effect, or that there is none


def overview_view(
    report: Report,
    catalog: Catalog,
    uploads: pd.DataFrame,
    year: int,
    lang: str,
    explanations: pd.DataFrame | None = None,
    today: date | None = None,
) -> OverviewView:
    """Return what the overview shows for a year (find_standing says whether it has data).

    With the explanations in effect (store.read_explanations), the attention table shows each one's 说明状态.
    """
    t = translator(lang)
    cards = programme_cards(report, catalog, year)
    indicators = with_programme_names(report.indicators[report.indicators["year"] == year], catalog, lang)
    attention = list_attention(report, catalog, year)
    shown = attention_table(attention, catalog, lang)
    if explanations is not None:
        shown = insert_explanations(shown, explanation_texts(attention, explanations, year, 12, lang, today), lang)
    return OverviewView(
        sentences=summarise_year(report, catalog, year, lang),
        cards=cards,
        # The two side by side, each half the page wide.
        scores=score_chart(cards, name_column(lang), t("chart.scores"), lang, HALF),
        status_split=status_split_chart(indicators, "programme_name", t("chart.status_split"), lang, HALF),
        attention=attention,
        attention_table=shown,
        updated=describe_update(uploads, lang),
    )


def describe_update(uploads: pd.DataFrame, lang: str) -> str:
    """Return the line saying when the data were last updated, by which upload."""
    t = translator(lang)
    upload = latest_upload(uploads)
    if upload is None:
        return t("overview.no_upload")
    return t(
        "overview.updated",
        time=format_time(upload["created_at"]),
        id=upload["id"],
        file=file_label(upload["file_name"], lang),
        user=person_name(upload["user_name"], lang),
    )


@dataclass(frozen=True)
class InYearView:
    """What the overview shows of a year under way, at the end of its latest month reported."""

    heading: str  # the period, the year and the month it runs to
    standing: pd.Series  # the plan's row at that month
    sentences: list[str]  # the written summary
    cards: pd.DataFrame  # one per programme: done so far, due by now, the gap, its months so far
    scores: Element  # the programmes against 序时进度
    months: Element | None  # the monthly indicators month by month (None without any)
    attention: pd.DataFrame  # the indicators behind schedule, furthest first
    attention_table: pd.DataFrame  # the same as shown
    yearly: int  # how many yearly indicators wait for the year's end
    updated: str


def in_year_view(
    report: Report,
    catalog: Catalog,
    uploads: pd.DataFrame,
    period: str,
    year: int,
    month: int,
    lang: str,
    explanations: pd.DataFrame | None = None,
    today: date | None = None,
) -> InYearView:
    """Return what the overview shows of a year under way (`report`: months 1..month from inyear.report_in_year).

    With the explanations in effect, the attention table shows each one's 说明状态 for the month.
    """
    t = translator(lang)
    now = report.programmes[report.programmes["month"] == month].set_index("programme")
    history = (
        report.programmes.sort_values("month")
        .groupby("programme", sort=False)["score"]
        .agg(lambda s: [round(v, 1) for v in s if pd.notna(v)])
    )
    cards = catalog.programmes[["code", "name_zh", "name_en", "short_zh"]].rename(columns={"code": "programme"})
    cards = cards.assign(
        score=cards["programme"].map(now["score"]),
        expected_score=cards["programme"].map(now["expected_score"]),
        status=cards["programme"].map(now["status"]).fillna("no_data"),
        score_change=cards["programme"].map(now["gap_points"]),
        coverage=float("nan"),
        history=cards["programme"].map(history),
    ).reset_index(drop=True)
    rows = report.indicators[report.indicators["month"] == month]
    attention = rows[rows["status"].isin(["at_risk", "lagging"])].sort_values("gap_points", kind="stable")
    shown = in_year_table(attention, catalog, lang)
    if explanations is not None:
        shown = insert_explanations(shown, explanation_texts(attention, explanations, year, month, lang, today), lang)
    names = rows.set_index("code")[name_column(lang)]
    # Only the chart's columns: every column of 300,000 rows (a year's months at 1000×) took half a second to filter.
    monthly = report.indicators.loc[report.indicators["frequency"] == "month", MONTHS_COLUMNS]
    # A line per monthly indicator, at most CHART_ROWS of them, those furthest behind: thousands of lines are
    # unreadable and take seconds to draw; the 序时进度 line stays the mean of them all.
    behind = rows.loc[rows["frequency"] == "month", ["code", "gap_points"]]
    behind = behind.sort_values("gap_points", kind="stable", na_position="last")
    drawn = list(behind["code"].head(CHART_ROWS))
    months_title = (
        t("inyear.months_chart_cut", count=CHART_ROWS) if len(behind) > CHART_ROWS else t("inyear.months_chart")
    )
    period_name = catalog.periods.set_index("code").loc[period, name_column(lang)]
    yearly = int((catalog.targets(period)["frequency"] == "year").sum())
    return InYearView(
        heading=t("inyear.heading", period=period_name, year=year, **month_params(month)),
        standing=report.overall[report.overall["month"] == month].iloc[0],
        sentences=summarise_in_year(report, catalog, year, month, lang),
        cards=cards,
        scores=score_chart(cards, name_column(lang), t("inyear.programmes_chart"), lang),
        months=months_chart(monthly, names, months_title, lang, drawn) if len(monthly) else None,
        attention=attention.reset_index(drop=True),
        attention_table=shown,
        yearly=yearly,
        updated=describe_update(uploads, lang),
    )
