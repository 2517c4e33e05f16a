"""A programme page's content: the programme, its standing and tasks in a year, its indicators."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from hqd.briefing import gap_text, growth_text
from hqd.catalog import Catalog
from hqd.charts import in_year_indicator_figure, milestone_timeline_figure, score_figure
from hqd.directives import review_marks
from hqd.formatting import clip_text, month_params
from hqd.i18n import department_name, key_task_status_text, name_column, translator
from hqd.inyear import DUE_MONTHS, judge_in_year
from hqd.keytasks import STATUS_ORDER, empty_progress, key_task_status, month_end, month_start

# Re-exported: the page asks its view for the date key tasks are judged at.
from hqd.keytasks import reporting_date as reporting_date
from hqd.rollup import Report
from hqd.tables import (
    Column,
    attention_columns,
    fit_columns,
    in_year_table,
    indicator_columns,
    indicator_table,
    insert_explanations,
    with_task_names,
)
from hqd.views.supervision import explanation_texts


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


def programme_view(
    report: Report,
    catalog: Catalog,
    code: str,
    year: int,
    lang: str,
    explanations: pd.DataFrame | None = None,
    today: date | None = None,
) -> ProgrammeView:
    """Return what a programme's page shows for a year; with the explanations in effect, each indicator's 说明状态."""
    t = translator(lang)
    tasks = report.tasks[(report.tasks["programme"] == code) & (report.tasks["year"] == year)]
    counted = report.indicators[report.indicators["programme"] == code]
    history = computed_lights(counted)
    rows = history[history["year"] == year].reset_index(drop=True)
    table = indicator_table(rows, history[history["year"] <= year], lang)
    if explanations is not None:
        # 说明状态 follows the light that counts (the 督办 list's), the status column the computed one.
        owing = counted[counted["year"] == year].reset_index(drop=True)
        table = insert_explanations(table, explanation_texts(owing, explanations, year, 12, lang, today), lang)
    table = with_review_marks(table, rows, lang)
    return ProgrammeView(
        tasks=score_figure(with_task_names(tasks, catalog, lang), "task_name", t("chart.tasks"), lang),
        rows=rows,
        table=table,
        columns=indicator_columns(table, lang),
        history=history,
        names=rows.set_index("code")[name_column(lang)],
    )


def computed_lights(rows: pd.DataFrame) -> pd.DataFrame:
    """Return indicator rows showing their computed light as status: a reviewed one is marked beside it (研判),
    never put in its place, whatever the roll-ups count."""
    return rows.assign(status=rows["computed_status"]) if "computed_status" in rows else rows


def with_review_marks(table: pd.DataFrame, rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return an indicator table with a 研判 column after the status where a light of the period was reviewed."""
    marks = review_marks(rows, lang)
    if not any(marks):
        return table
    t = translator(lang)
    at = list(table.columns).index(t("col.status")) + 1
    return pd.concat(
        [table.iloc[:, :at], pd.DataFrame({t("col.review"): marks}, index=table.index), table.iloc[:, at:]], axis=1
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
    report: Report,
    catalog: Catalog,
    code: str,
    year: int,
    month: int,
    lang: str,
    explanations: pd.DataFrame | None = None,
    today: date | None = None,
) -> ProgrammeInYearView | None:
    """Return what a programme's page shows of a year under way, or None when none of its indicators is judged then.

    With the explanations in effect, each indicator's 说明状态 for the month.
    """
    t = translator(lang)
    rows = report.indicators[(report.indicators["programme"] == code) & (report.indicators["month"] == month)]
    if rows.empty:
        return None
    counted = rows.reset_index(drop=True)
    rows = computed_lights(counted)
    tasks = report.tasks[(report.tasks["programme"] == code) & (report.tasks["month"] == month)]
    standing = report.programmes[(report.programmes["programme"] == code) & (report.programmes["month"] == month)]
    table = in_year_table(rows, catalog, lang).drop(columns=t("col.programme"))
    if explanations is not None:
        table = insert_explanations(table, explanation_texts(counted, explanations, year, month, lang, today), lang)
    table = with_review_marks(table, rows, lang)
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


@dataclass(frozen=True)
class KeyTaskView:
    """A programme's key tasks at a reporting date: the table, the milestone timeline, how many are done."""

    as_of: date
    table: pd.DataFrame  # one row per key task, by plan task, as shown
    columns: dict[str, Column]
    statuses: pd.Series  # each row's status (done, on_schedule, late, not_started), to tint the table
    figure: go.Figure | None  # None when the programme has no key task
    done: int
    late: int
    total: int


def key_task_view(
    catalog: Catalog, code: str, as_of: date, lang: str, progress: pd.DataFrame | None = None
) -> KeyTaskView:
    """Return a programme's key tasks, each with its status and milestones at `as_of`, in the language.

    Key tasks have no English names: the Chinese one is shown in both languages.
    """
    t = translator(lang)
    tasks = catalog.tasks[catalog.tasks["programme"] == code].reset_index(drop=True)
    order = pd.Series(range(len(tasks)), index=tasks["code"])
    mine = catalog.key_tasks[catalog.key_tasks["task"].isin(tasks["code"])]
    mine = mine.assign(_order=mine["task"].map(order)).sort_values(["_order", "code"], kind="stable")
    milestones = catalog.milestones[catalog.milestones["key_task"].isin(mine["code"])]
    rows, steps = key_task_status(
        mine.drop(columns="_order"), milestones, empty_progress() if progress is None else progress, as_of
    )
    task_names = tasks.set_index("code")[name_column(lang)]
    table = pd.DataFrame(
        {
            t("keytask.col_task"): rows["task"].map(task_names).to_numpy(),
            t("keytask.col_name"): rows["name_zh"].to_numpy(),
            t("keytask.col_department"): [department_name(d, lang) for d in rows["department"]],
            t("keytask.col_time"): [
                t("keytask.time_value", start=a, due=b) for a, b in zip(rows["start"], rows["due"], strict=True)
            ],
            t("keytask.col_milestones"): [
                t("keytask.milestones_value", done=d, total=n)
                for d, n in zip(rows["milestones_done"], rows["milestones"], strict=True)
            ],
            t("keytask.col_status"): [
                key_task_status_text(s, d, lang) for s, d in zip(rows["status"], rows["days_late"], strict=True)
            ],
        }
    )
    figure = None
    if len(rows):
        labels = rows["code"] + " " + rows["name_zh"].map(lambda n: clip_text(n, 28))
        timeline = rows.assign(label=labels, start_date=month_start(rows["start"]), due_date=month_end(rows["due"]))
        marks = steps.assign(
            label=steps["key_task"].map(labels.set_axis(rows["code"])),
            status_text=[
                key_task_status_text(s, d, lang) for s, d in zip(steps["status"], steps["days_late"], strict=True)
            ],
            _rank=steps["status"].map({s: i for i, s in enumerate(STATUS_ORDER)}),
        ).sort_values("_rank", kind="stable")
        figure = milestone_timeline_figure(timeline, marks, pd.Timestamp(as_of), t("keytask.chart_title"), lang)
    return KeyTaskView(
        as_of=as_of,
        table=table,
        columns=fit_columns(table, {t("keytask.col_name"): Column(pinned=True)}),
        statuses=rows["status"].reset_index(drop=True),
        figure=figure,
        done=int(rows["status"].eq("done").sum()),
        late=int(rows["status"].eq("late").sum()),
        total=len(rows),
    )
