"""A programme page's content: the programme, its standing and tasks in a year, its indicators."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from hqd.catalog import Catalog
from hqd.charts import score_figure
from hqd.i18n import name_column, translator
from hqd.rollup import Report
from hqd.tables import Column, indicator_columns, indicator_table, with_task_names


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
