"""A programme page's content: the programme, its standing and tasks in a year, its indicators."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from hqd.briefing import gap_text, growth_text
from hqd.catalog import Catalog
from hqd.charts import in_year_indicator_figure, score_figure
from hqd.formatting import month_params
from hqd.i18n import name_column, translator
from hqd.inyear import DUE_MONTHS, judge_in_year
from hqd.rollup import Report
from hqd.tables import (
    Column,
    attention_columns,
    in_year_table,
    indicator_columns,
    indicator_table,
    with_task_names,
)


def find_programme(catalog: Catalog, code: str | None) -> pd.Series:
    """Return a programme's catalog row (its code as the name); the first programme when none is named."""
    code = code or catalog.programmes["code"].iloc[0]
    return catalog.programmes.set_index("code").loc[code]


def find_programme_standing(report: Report, code: str, year: int) -> pd.Series | None:
    """Return a programme's row of the year, or None when it has no data that year."""
    frame = report.programmes
    this_year = frame[(frame["programme"] == code) & (frame["year"] == year)]
    if this_year.empty or this_year["status"].iloc[0] == "no_data":
        return None
    return this_year.iloc[0]


@dataclass(frozen=True)
class ProgrammeView:
    """What a programme's page shows of a year with data."""

    tasks: go.Figure  # the tasks' scores
    rows: pd.DataFrame  # its indicators in the year, in table order
    table: pd.DataFrame  # the same as shown, with each one's actuals so far
    columns: dict[str, Column]  # how the table's columns are shown
    history: pd.DataFrame  # its indicators' rows of every year, for their detail
    names: pd.Series  # indicator code -> name in the language

    def history_of(self, code: str) -> pd.DataFrame:
        """Return one of its indicators' rows of every year: what the indicator's detail shows."""
        return self.history[self.history["code"] == code]


def programme_view(report: Report, catalog: Catalog, code: str, year: int, lang: str) -> ProgrammeView:
    """Return what a programme's page shows for a year."""
    t = translator(lang)
    tasks = report.tasks[(report.tasks["programme"] == code) & (report.tasks["year"] == year)]
    history = report.indicators[report.indicators["programme"] == code]
    rows = history[history["year"] == year].reset_index(drop=True)
    table = indicator_table(rows, history[history["year"] <= year], lang)
    return ProgrammeView(
        tasks=score_figure(with_task_names(tasks, catalog, lang), "task_name", t("chart.tasks"), lang),
        rows=rows,
        table=table,
        columns=indicator_columns(table, lang),
        history=history,
        names=rows.set_index("code")[name_column(lang)],
    )


@dataclass(frozen=True)
class ProgrammeInYearView:
    """What a programme's page shows of a year under way, at the end of its latest month reported."""

    heading: str  # the year and the month it runs to
    standing: pd.Series  # the programme's row at that month
    tasks: go.Figure  # its tasks against 序时进度
    rows: pd.DataFrame  # its indicators judged within the year, in table order
    table: pd.DataFrame
    columns: dict[str, Column]
    names: pd.Series  # indicator code -> name in the language


def programme_in_year_view(
    report: Report, catalog: Catalog, code: str, year: int, month: int, lang: str
) -> ProgrammeInYearView | None:
    """Return what a programme's page shows of a year under way, or None when none of its indicators is judged then."""
    t = translator(lang)
    rows = report.indicators[(report.indicators["programme"] == code) & (report.indicators["month"] == month)]
    if rows.empty:
        return None
    rows = rows.reset_index(drop=True)
    tasks = report.tasks[(report.tasks["programme"] == code) & (report.tasks["month"] == month)]
    standing = report.programmes[(report.programmes["programme"] == code) & (report.programmes["month"] == month)]
    table = in_year_table(rows, catalog, lang).drop(columns=t("col.programme"))
    return ProgrammeInYearView(
        heading=t("inyear.programme_heading", year=year, **month_params(month)),
        standing=standing.iloc[0],
        tasks=score_figure(with_task_names(tasks, catalog, lang), "task_name", t("chart.tasks"), lang),
        rows=rows,
        table=table,
        columns=attention_columns(table, lang),
        names=rows.set_index("code")[name_column(lang)],
    )


@dataclass(frozen=True)
class InYearDetail:
    """One indicator's year under way: its months against 序时进度 and last year, and where it stands."""

    figure: go.Figure
    standing: str  # one sentence: the figure to date, the annual target, done against due, 同比


def in_year_detail(
    catalog: Catalog, observations: pd.DataFrame, period: str, code: str, year: int, month: int, lang: str
) -> InYearDetail:
    """Return one indicator's months of a year under way, judged at the end of `month`."""
    t = translator(lang)
    rows = judge_in_year(catalog, observations, period, year, month)
    rows = rows[rows["code"] == code].reset_index(drop=True)
    # The plan's line over the whole year: each month judged as if nothing of the year were reported yet,
    # so that a month after the latest figure is due its own share, not the latest figure's.
    plan = judge_in_year(catalog, observations[observations["year"] < year], period, year, range(1, 13))
    plan = plan[(plan["code"] == code) & plan["month"].isin(DUE_MONTHS[plan["frequency"].iloc[0]])]
    plan = plan.reset_index(drop=True)
    own = observations[(observations["indicator"] == code) & (observations["month"] < 12)]
    actual = own[(own["year"] == year) & (own["month"] <= month)].sort_values("month")
    last = observations[(observations["indicator"] == code) & (observations["year"] == year - 1)].sort_values("month")
    now = rows.iloc[0]
    name = now[name_column(lang)]
    table = in_year_table(rows, catalog, lang).iloc[0]
    growth = "" if pd.isna(now["yoy"]) else growth_text(now["yoy"], t)
    standing = t(
        "inyear.detail",
        period=table[t("col.as_of")],
        value=table[t("col.value")],
        target=table[t("col.annual_target")],
        completion=table[t("col.completion")],
        due=table[t("col.due")],
        gap=gap_text(now["gap_points"], t),
        growth=growth,
    )
    return InYearDetail(in_year_indicator_figure(plan, actual, last, name, year, lang), standing)
