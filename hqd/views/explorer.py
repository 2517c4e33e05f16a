"""The explorer page's content: its filter choices, the selected indicators as table and charts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from hqd.catalog import Catalog
from hqd.charts import compare_figure, heatmap_figure, pace_figure
from hqd.explore import (
    CHART_ROWS,
    Filters,
    compare_years,
    explorer_frame,
    filter_indicators,
    heatmap_frames,
    is_in,
    select_codes,
    status_counts,
)
from hqd.formatting import month_params
from hqd.i18n import name_column, status_name, status_text, translate, translator
from hqd.labels import STATUSES
from hqd.rollup import Report
from hqd.tables import Column, attention_columns, explorer_columns, explorer_table, export_formats, in_year_table


@dataclass(frozen=True)
class FilterChoices:
    """What each filter offers, and the year range chosen when nothing is."""

    programmes: pd.Series  # programme code -> name in the language
    tasks: pd.DataFrame  # the catalog's tasks by code: their programme and names
    task_names: pd.Series  # task code -> name in the language
    departments: list[str]
    statuses: list[str]
    years: list[int]
    default_years: tuple[int, int]
    # Per filter (programmes, tasks, departments, statuses): every text a link may hold -> the code it names.
    link_words: Mapping[str, Mapping[str, str]]

    def task_options(self, programmes: list[str]) -> list[str]:
        """Return the tasks a task filter offers: those of the chosen programmes, or all."""
        tasks = self.tasks[self.tasks["programme"].isin(programmes)] if programmes else self.tasks
        return list(tasks.index)


# The words explorer links held before they held codes (issue 11): each status's name in both
# languages as it was then. Links shared then still open, whatever the statuses are called now.
OLD_STATUS_WORDS = {
    "已完成": "achieved",
    "Achieved": "achieved",
    "正常": "on_track",
    "On track": "on_track",
    "需加快": "at_risk",
    "At risk": "at_risk",
    "滞后": "lagging",
    "Lagging": "lagging",
    "倒退": "regressing",
    "Regressing": "regressing",
    "无数据": "no_data",
    "No data": "no_data",
}


def _words_of(table: pd.DataFrame) -> dict[str, str]:
    """Return a catalog table's names in both languages -> code; the code itself last, so that it wins."""
    words: dict[str, str] = {}
    for column in ("name_zh", "name_en"):
        words |= {name: code for name, code in zip(table[column], table["code"], strict=True) if name}
    return words | {code: code for code in table["code"]}


def list_link_words(catalog: Catalog, statuses: list[str]) -> dict[str, dict[str, str]]:
    """Return, per filter, every text an explorer link may hold for a choice -> that choice's code.

    Links hold codes; links made before held the names shown (in Chinese or English), which map too.
    """
    status_words = {w: s for w, s in OLD_STATUS_WORDS.items() if s in statuses}
    for lang in ("zh", "en"):
        status_words |= {status_name(s, lang): s for s in statuses}
    departments = sorted(d for d in catalog.indicators["department"].unique() if d)
    return {
        "programmes": _words_of(catalog.programmes),
        "tasks": _words_of(catalog.tasks),
        "departments": {d: d for d in departments},
        "statuses": status_words | {s: s for s in statuses},
    }


def read_filter_link(choices: FilterChoices, name: str, values: Iterable[str]) -> list[str]:
    """Return the codes one filter's values in a link name (name: programmes, tasks, departments or statuses).

    A code stays, a name of either language maps to its code (exactly, else ignoring case and
    surrounding space); a value naming nothing is dropped. Order kept, each code once.
    """
    words = choices.link_words[name]
    folded = {word.strip().casefold(): code for word, code in words.items()}
    codes: list[str] = []
    for value in values:
        code = words.get(value) or folded.get(str(value).strip().casefold())
        if code is not None and code not in codes:
            codes.append(code)
    return codes


def list_filter_choices(catalog: Catalog, default_year: int, lang: str, period: str | None = None) -> FilterChoices:
    """Return what the explorer's filters offer for a period; the year range runs from its first year to the default."""
    years = catalog.years(period)
    tasks = catalog.tasks.set_index("code")
    # Too few values to judge is no status an analyst looks for.
    statuses = [s for s in STATUSES.index if s != "insufficient_data"]
    return FilterChoices(
        programmes=catalog.programmes.set_index("code")[name_column(lang)],
        tasks=tasks,
        task_names=tasks[name_column(lang)],
        departments=sorted(d for d in catalog.indicators["department"].unique() if d),
        statuses=statuses,
        years=years,
        default_years=(years[0], default_year if default_year in years else years[-1]),
        link_words=list_link_words(catalog, statuses),
    )


@dataclass(frozen=True)
class ExplorerView:
    """The selected indicators as the explorer shows them: table, headline, chart figures, export title."""

    rows: pd.DataFrame  # progress rows (every year) of the selected indicators
    frame: pd.DataFrame  # one row per indicator: values over the range, standing at its end
    table: pd.DataFrame  # the frame as shown and exported
    headline: str  # markdown: how many indicators, how many in each status
    years: list[int]  # the years of the range
    names: pd.Series  # indicator code -> name in the language
    columns: dict[str, Column]  # how each column of the table is shown: width, number format, pinned
    export_formats: dict[str, list[str]]  # the exported workbook's number format of each numeric cell
    status_column: str
    title: str  # of the exported files
    export_note: str  # written into the exported workbook: sample data
    charts_cut: bool  # more indicators than the charts show
    heatmap: go.Figure | None  # None when nothing is selected
    pace: go.Figure | None


@dataclass(frozen=True)
class ExplorerRows:
    """Every indicator as the explorer shows it over a year range, made once: a filter picks rows of it, which are
    what the filter alone would make (each row is made from its indicator alone), without formatting them again."""

    frame: pd.DataFrame  # as ExplorerView.frame
    table: pd.DataFrame  # as ExplorerView.table


def explore_every_indicator(
    report: Report, catalog: Catalog, observations: pd.DataFrame, year_from: int, year_to: int, lang: str
) -> ExplorerRows:
    """Return the explorer's frame and table of every indicator over a year range (no other filter)."""
    filters = Filters(year_from, year_to)
    frame = explorer_frame(filter_indicators(report.indicators, filters), filters, observations)
    return ExplorerRows(frame, explorer_table(frame, catalog, list(range(year_from, year_to + 1)), lang))


def pick_rows(table: pd.DataFrame, picked) -> pd.DataFrame:
    """Return the rows of a table a boolean array picks, numbered from 0."""
    # Every row (nothing filtered, as on a first view) without copying them: no one changes a frame in place.
    return table.reset_index(drop=True) if picked.all() else table[picked].reset_index(drop=True)


def explore_view(
    report: Report,
    catalog: Catalog,
    observations: pd.DataFrame,
    filters: Filters,
    lang: str,
    has_sample: bool = False,
    charts: bool = True,
    formats: bool = True,
    everything: ExplorerRows | None = None,
) -> ExplorerView:
    """Return what the explorer shows for the filters; no figures when nothing is selected, or without `charts`
    (an export needs only the table); the exported cells' number formats only with `formats` (the page needs none
    until a file is made). With `everything` (explore_every_indicator of the filters' years and the language), the
    frame and table are its rows the filters select, not made again."""
    t = translator(lang)
    codes = select_codes(report.indicators, filters)
    rows = report.indicators[is_in(report.indicators["code"], codes)].reset_index(drop=True)
    counts = status_counts(rows, filters.year_to)
    years = list(range(filters.year_from, filters.year_to + 1))
    if everything is None or codes.empty:
        frame = explorer_frame(rows, filters, observations)
        table = explorer_table(frame, catalog, years, lang)
    else:
        picked = is_in(everything.frame["code"], codes)
        frame, table = pick_rows(everything.frame, picked), pick_rows(everything.table, picked)
    selected = charts and not frame.empty
    charted = rows[is_in(rows["code"], frame["code"].head(CHART_ROWS))] if selected else rows
    return ExplorerView(
        rows=rows,
        frame=frame,
        table=table,
        headline=f"**{t('explorer.count', count=len(frame))}** · "
        + " · ".join(f"{status_text(s, lang)} {n}" for s, n in counts.items()),
        years=years,
        names=frame.set_index("code")[name_column(lang)],
        columns=explorer_columns(table, years, lang),
        export_formats=export_formats(table, frame["unit"], years, lang) if formats else {},
        status_column=t("col.status"),
        title=f"{t('explorer.title')} {filters.year_from}–{filters.year_to}",
        export_note=translate("export.sample", lang) if has_sample else "",
        charts_cut=len(frame) > CHART_ROWS,
        heatmap=heatmap_figure(*heatmap_frames(rows, years), frame.set_index("code")[name_column(lang)], lang)
        if selected
        else None,
        # Like the heatmap, at most CHART_ROWS indicators (charts_cut says so): 50,000 markers would take seconds.
        pace=pace_figure(charted[charted["year"] == filters.year_to], lang) if selected else None,
    )


@dataclass(frozen=True)
class InYearExplorerView:
    """The selected indicators of a year under way, judged at the end of a month."""

    heading: str
    rows: pd.DataFrame  # their in-year rows at the month
    table: pd.DataFrame
    columns: dict[str, Column]


def in_year_rows(report: Report, month: int) -> pd.DataFrame:
    """Return the in-year rows of every indicator at the end of `month`, numbered from 0."""
    return report.indicators[report.indicators["month"] == month].reset_index(drop=True)


def in_year_every_indicator(report: Report, catalog: Catalog, month: int, lang: str) -> pd.DataFrame:
    """Return the in-year table of every indicator at the end of `month`: what explore_in_year picks rows of."""
    return in_year_table(in_year_rows(report, month), catalog, lang)


def explore_in_year(
    report: Report, catalog: Catalog, filters: Filters, month: int, lang: str, everything: pd.DataFrame | None = None
) -> InYearExplorerView:
    """Return the indicators the filters select, judged at the end of `month` (`report` from inyear.report_in_year).

    The status filter reads the in-year status, the light against 序时进度. With `everything` (in_year_every_indicator
    at the month, in the language), the table is its rows the filters select, not formatted again.
    """
    t = translator(lang)
    month_rows = in_year_rows(report, month)
    picked = is_in(month_rows["code"], select_codes(month_rows, filters))
    rows = pick_rows(month_rows, picked)
    table = in_year_table(rows, catalog, lang) if everything is None or rows.empty else pick_rows(everything, picked)
    return InYearExplorerView(
        heading=t("inyear.as_of", year=filters.year_to, **month_params(month)),
        rows=rows,
        table=table,
        columns=attention_columns(table, lang),
    )


def compare_view(view: ExplorerView, first: int, second: int, lang: str) -> go.Figure | None:
    """Return the figure of how the selected indicators moved between two years, or None if none can be compared."""
    moves = compare_years(view.rows, first, second)
    return None if moves.empty else compare_figure(moves, view.names, first, second, lang)


def select_history(report: Report, code: str) -> pd.DataFrame:
    """Return one indicator's progress rows, every year: what its detail shows."""
    return report.indicators[report.indicators["code"] == code]
