"""The 督办 page's content: per department, what needs an answer at a reporting period, and the 督办单 to export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from hqd.catalog import Catalog, list_departments
from hqd.charts import supervision_figure
from hqd.i18n import department_name, explanation_text, key_task_status_text, name_column, translator
from hqd.keytasks import milestone_status
from hqd.labels import KEY_TASK_STATUSES, STATUSES, format_period
from hqd.policy import visible_departments
from hqd.rollup import Report
from hqd.settings import EXPLANATION_OVERDUE_DAYS, timezone
from hqd.supervision import (
    EXPLAINED,
    EXPLANATION,
    MILESTONE,
    OVERDUE,
    UNEXPLAINED,
    count_supervision,
    explanation_deadline,
    judge_explanations,
    list_supervision,
)
from hqd.tables import Column, fit_columns, fit_width

# Each item state's colour, echoing the indicator statuses: answered green, waiting amber, overdue or late red.
STATE_COLOURS = {
    EXPLAINED: STATUSES.loc["on_track", "colour"],
    UNEXPLAINED: STATUSES.loc["at_risk", "colour"],
    OVERDUE: STATUSES.loc["regressing", "colour"],
    "open": STATUSES.loc["at_risk", "colour"],
    "answered": STATUSES.loc["on_track", "colour"],
    **KEY_TASK_STATUSES["colour"].to_dict(),
}


def local_today() -> date:
    """Return today's date where people read the pages (settings.timezone())."""
    return pd.Timestamp.now(tz=timezone()).date()


def explanation_texts(rows: pd.DataFrame, explanations: pd.DataFrame, year: int, month: int, lang: str, today=None):
    """Return each indicator row's 说明状态 as shown (empty where its status needs no explanation)."""
    judged = judge_explanations(rows, explanations, year, month, today or local_today())
    return [
        explanation_text(s, d, o, lang)
        for s, d, o in zip(judged["explanation"], judged["days_late"], judged["on_time"], strict=True)
    ]


def period_rows(report: Report, year: int, month: int) -> pd.DataFrame:
    """Return the indicators' rows of a reporting period: a month of a year under way, else the year's."""
    rows = report.indicators
    if "month" in rows:
        return rows[(rows["year"] == year) & (rows["month"] == month)].reset_index(drop=True)
    return rows[rows["year"] == year].reset_index(drop=True)


def period_text(year: int, month: int, lang: str) -> str:
    """Return a reporting period in words: 2026年1—10月, or the year when it has ended."""
    return format_period(year, month, lang, "ytd" if month < 12 else "year")


@dataclass(frozen=True)
class Supervised:
    """The 督办 list of a reporting period as someone may see it: their departments' items and indicators."""

    year: int
    month: int
    today: date  # the day explanations' deadlines and instructions' ages are judged on
    as_of: date  # the reporting date milestones are judged at
    rows: pd.DataFrame  # the indicators of the period (visible departments)
    all_rows: pd.DataFrame  # every department's, for the ranking
    items: pd.DataFrame  # hqd.supervision.list_supervision (visible departments)
    all_items: pd.DataFrame
    steps: pd.DataFrame  # every milestone's status at as_of (hqd.keytasks.milestone_status)
    departments: tuple[str, ...]  # the departments visible, that have indicators or items


def collect_supervision(
    report: Report, catalog: Catalog, supervision, year: int, month: int, who, today: date | None = None
) -> Supervised:
    """Return the 督办 list of a reporting period (`supervision`: a store.Supervision) for `who` to see.

    An editor sees their own departments; the other roles all (hqd.policy.visible_departments).
    """
    today = today or local_today()
    period_end = (pd.Timestamp(year=year, month=month, day=1) + pd.offsets.MonthEnd(0)).date()
    as_of = min(period_end, today)
    rows = period_rows(report, year, month)
    progress = supervision.milestone_reports
    items = list_supervision(
        rows,
        supervision.explanations,
        catalog.key_tasks,
        catalog.milestones,
        progress,
        supervision.instructions,
        year,
        month,
        today,
        as_of,
    )
    steps = milestone_status(catalog.key_tasks, catalog.milestones, progress, as_of)
    # In the zone's own order of its departments (data/departments.csv), then any others.
    named = set(rows["department"].dropna()) | set(items["department"].dropna())
    known = [d for d in list_departments(catalog)["zh"] if d in named] + sorted(
        named - set(list_departments(catalog)["zh"])
    )
    visible = visible_departments(who, known)
    return Supervised(
        year=year,
        month=month,
        today=today,
        as_of=as_of,
        rows=rows[rows["department"].isin(visible)].reset_index(drop=True),
        all_rows=rows,
        items=items[items["department"].isin(visible)].reset_index(drop=True),
        all_items=items,
        steps=steps,
        departments=visible,
    )


def state_text(kind: str, state: str, days: int, on_time, lang: str) -> str:
    """Return an item's state as symbol and words: 已说明, 未说明, 逾期N天; 滞后N天, 已完成; 未答复, 已答复."""
    t = translator(lang)
    if kind == MILESTONE:
        return key_task_status_text(state, int(days), lang)
    if kind == EXPLANATION:
        return explanation_text(state, days, on_time, lang)
    return t(f"supervise.state_{state}", days=int(days))


def item_links(items: pd.DataFrame, catalog: Catalog) -> list[str]:
    """Return, for each item, the page it is answered on: its programme's page, an indicator's opened at it."""
    slugs = catalog.programmes.set_index("code")["slug"].to_dict()
    of_task = catalog.tasks.drop_duplicates("code").set_index("code")["programme"].to_dict()
    programme_of = {
        "indicator": catalog.indicators.drop_duplicates("code").set_index("code")["programme"].to_dict(),
        "key_task": {
            k: of_task.get(t) for k, t in zip(catalog.key_tasks["code"], catalog.key_tasks["task"], strict=True)
        },
        "task": of_task,
        "programme": {code: code for code in slugs},
    }
    links = []
    for kind, target in zip(items["target_kind"], items["target"], strict=True):
        slug = slugs.get(programme_of.get(kind, {}).get(target))
        if slug is None:
            links.append("")
        else:
            links.append(f"./{slug}?indicator={target}" if kind == "indicator" else f"./{slug}")
    return links


def _item_names(items: pd.DataFrame, catalog: Catalog, lang: str) -> list[str]:
    """Return each item as read: an indicator's code and name, a milestone with its key task, an instruction's text."""
    t = translator(lang)
    indicators = catalog.indicators.drop_duplicates("code").set_index("code")[name_column(lang)].to_dict()
    key_tasks = catalog.key_tasks.drop_duplicates("code").set_index("code")["name_zh"].to_dict()
    targets = {
        "indicator": indicators,
        "task": catalog.tasks.drop_duplicates("code").set_index("code")[name_column(lang)].to_dict(),
        "programme": catalog.programmes.set_index("code")[name_column(lang)].to_dict(),
        "key_task": key_tasks,
    }
    names = []
    for kind, target_kind, target, step, text in zip(
        items["kind"], items["target_kind"], items["target"], items["step"], items["text"], strict=True
    ):
        if kind == EXPLANATION:
            names.append(f"{target} {indicators.get(target, '')}".strip())
        elif kind == MILESTONE:
            names.append(
                t(
                    "supervise.item_milestone",
                    code=target,
                    name=key_tasks.get(target, ""),
                    step=step,
                    description=text or "",
                )
            )
        else:
            shown = targets.get(target_kind, {}).get(target, target)
            names.append(t("supervise.item_instruction", target=shown, text=text))
    return names


def _answers(items: pd.DataFrame, lang: str) -> list[str]:
    """Return each answered item's answer in words (explanations: cause, measures, expected date); else empty."""
    t = translator(lang)
    answers = []
    for row in items.itertuples(index=False):
        if not row.answered:
            answers.append("")
        elif row.kind == EXPLANATION:
            expected = row.expected_by.isoformat() if hasattr(row.expected_by, "isoformat") else "—"
            answers.append(
                t(
                    "supervise.answer_explanation",
                    cause=row.answer or "—",
                    measures=row.measures or "—",
                    expected=expected[:10],
                )
            )
        elif row.kind == MILESTONE:
            answers.append(t("supervise.answer_milestone", date=row.answer))
        else:
            answers.append(row.answer or "")
    return answers


def _dates(values: pd.Series) -> list[str]:
    return [v.isoformat()[:10] if hasattr(v, "isoformat") else "" for v in values]


def items_table(items: pd.DataFrame, catalog: Catalog, lang: str, links: bool = True) -> pd.DataFrame:
    """Return 督办 items as shown (and exported): kind, item, state, due date, days past it, answer, by whom, when."""
    t = translator(lang)
    # Worded once per distinct state: hundreds of milestones share a few.
    states = list(zip(items["kind"], items["state"], items["days"], items["on_time"], strict=True))
    words = {key: state_text(*key, lang) for key in set(states)}
    table = pd.DataFrame(
        {
            t("supervise.col_kind"): [t(f"supervise.kind_{k}") for k in items["kind"]],
            t("supervise.col_item"): _item_names(items, catalog, lang),
            t("supervise.col_state"): [words[key] for key in states],
            t("supervise.col_since"): _dates(items["since"]),
            t("supervise.col_days"): pd.array(items["days"].where(items["days"] > 0), dtype="Int64"),
            t("supervise.col_answer"): _answers(items, lang),
            t("supervise.col_by"): [b or "" for b in items["answered_by"]],
            t("supervise.col_on"): _dates(items["answered_on"]),
        }
    )
    if links:
        table[t("col.open")] = item_links(items, catalog)
    return table


def items_columns(table: pd.DataFrame, lang: str) -> dict[str, Column]:
    """Return how a department's items are shown: the item kept in view, the answer wide, a link reading 详情."""
    t = translator(lang)
    item = t("supervise.col_item")
    return fit_columns(
        table,
        {
            item: Column(pinned=True, width=fit_width(item, table[item], 320)),
            t("supervise.col_answer"): Column(
                width=fit_width(t("supervise.col_answer"), table[t("supervise.col_answer")], 360)
            ),
            t("col.open"): Column("link", link_text=t("col.open")),
        },
    )


@dataclass(frozen=True)
class Section:
    """One department's items on the page."""

    department: str
    title: str  # its name, with how many items are open and answered
    table: pd.DataFrame
    columns: dict[str, Column]
    colours: pd.Series  # each row's state colour, to tint the state column


@dataclass(frozen=True)
class SupervisionView:
    """What the 督办 page shows of a reporting period, filtered by department and kind."""

    heading: str
    rules: str  # the deadline and overdue rule, and the dates judged on
    metrics: list[tuple[str, str]]
    counts: pd.DataFrame  # per department, as shown
    counts_columns: dict[str, Column]
    figure: go.Figure | None  # open items per department, by kind (None: nothing open)
    sections: list[Section]
    state_column: str
    export_title: str
    export_lines: list[str]  # the reporting period and the date, under the title of each sheet
    export_sheets: dict[str, pd.DataFrame]  # department name -> its items as exported (no links)
    export_note: str  # the sample data's mark, on every sheet (empty for real data)
    file_name: str


def filter_items(items: pd.DataFrame, departments=(), kinds=()) -> pd.DataFrame:
    """Return the items of the departments and kinds chosen (none chosen: all)."""
    keep = items["department"].isin(departments) if departments else pd.Series(True, index=items.index)
    if kinds:
        keep &= items["kind"].isin(kinds)
    return items[keep].reset_index(drop=True)


def supervision_view(
    found: Supervised, catalog: Catalog, lang: str, departments=(), kinds=(), sample: bool = False
) -> SupervisionView:
    """Return what the 督办 page shows: totals, counts per department, then each department's items."""
    t = translator(lang)
    items = filter_items(found.items, departments, kinds)
    period = period_text(found.year, found.month, lang)
    counts = count_supervision(items)
    names = [department_name(d, lang) for d in counts["department"]]
    shown = pd.DataFrame(
        {
            t("col.department"): names,
            t("supervise.col_explanations"): counts["explanations"].to_numpy(),
            t("supervise.col_overdue"): counts["overdue"].to_numpy(),
            t("supervise.col_milestones"): counts["milestones"].to_numpy(),
            t("supervise.col_instructions"): counts["instructions"].to_numpy(),
            t("supervise.col_open"): counts["open"].to_numpy(),
            t("supervise.col_answered"): counts["answered"].to_numpy(),
        }
    )
    kinds_open = {
        t("supervise.kind_explanation"): counts["explanations"],
        t("supervise.kind_milestone"): counts["milestones"],
        t("supervise.kind_instruction"): counts["instructions"],
    }
    figure = (
        supervision_figure(names, kinds_open, t("supervise.chart"), t("supervise.chart_axis"), lang)
        if counts["open"].sum()
        else None
    )
    sections, sheets = [], {}
    # Worded once for all the items, then split by department.
    everything = items_table(items, catalog, lang)
    for department, row in zip(counts["department"], counts.itertuples(index=False), strict=True):
        own = (items["department"] == department).to_numpy()
        mine = items[own].reset_index(drop=True)
        table = everything[own].reset_index(drop=True)
        name = department_name(department, lang)
        sections.append(
            Section(
                department=department,
                title=t("supervise.department", department=name, open=row.open, answered=row.answered),
                table=table,
                columns=items_columns(table, lang),
                colours=mine["state"].map(STATE_COLOURS).fillna(STATUSES.loc["no_data", "colour"]),
            )
        )
        sheets[name] = table.drop(columns=t("col.open"))
    metrics = [
        (t("supervise.metric_open"), str(int(counts["open"].sum()))),
        (t("supervise.metric_overdue"), str(int(counts["overdue"].sum()))),
        (t("supervise.metric_milestones"), str(int(counts["milestones"].sum()))),
        (t("supervise.metric_instructions"), str(int(counts["instructions"].sum()))),
        (t("supervise.metric_answered"), str(int(counts["answered"].sum()))),
    ]
    return SupervisionView(
        heading=t("supervise.heading", period=period),
        rules=t(
            "supervise.rules",
            today=found.today.isoformat(),
            period=period,
            deadline=explanation_deadline(found.year, found.month).isoformat(),
            days=EXPLANATION_OVERDUE_DAYS,
            as_of=found.as_of.isoformat(),
        ),
        metrics=metrics,
        counts=shown,
        counts_columns=fit_columns(shown),
        figure=figure,
        sections=sections,
        state_column=t("supervise.col_state"),
        export_title=t("supervise.export_title"),
        export_lines=[
            t("supervise.export_period", period=period),
            t("supervise.export_date", date=found.today.isoformat()),
        ],
        export_sheets=sheets,
        export_note=t("supervise.sample") if sample else "",
        file_name=t("supervise.export_file", period=f"{found.year}-{found.month:02d}"),
    )
