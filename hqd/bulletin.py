"""The monthly bulletin (推进情况通报) as data: its title, sections, paragraphs, tables and charts.

Built from the same in-year report the overview shows, in the office's order: 一、总体情况, 二、分工程
推进情况, 三、需关注的问题, 四、重点任务进展 (when there are key tasks), 五、下步工作建议, and the full
indicator table as its annex. The writers (hqd.bulletin_docx, hqd.bulletin_html) only lay it out, so the
Word, the PDF and the HTML say the same thing; the tests read the document here, as data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from hqd.briefing import (
    compare_programmes_in_year,
    count_statuses,
    describe_headlines_in_year,
    gap_text,
    growth_text,
    summarise_in_year,
)
from hqd.catalog import Catalog
from hqd.charts import score_figure
from hqd.formatting import clip_text, format_period, format_score, month_params, period_kind, share_text, value_text
from hqd.i18n import department_name, key_task_status_text, name_column, status_name, translator
from hqd.labels import numeral
from hqd.rollup import Report
from hqd.settings import bulletin_names
from hqd.supervision import find_explanation
from hqd.tables import in_year_table

BEHIND = ("lagging", "at_risk")
# Columns of an indicator's label beside its bar in a programme's chart (a Chinese character takes two).
LABEL_COLUMNS = 28
# The most indicators a programme's chart shows: past it, those furthest behind 序时进度 (the table lists all).
CHART_MOST = 15
# How many indicators a suggestion names before "等".
NAMED = 3
# The fonts of an official document (GB/T 9704), each falling back to Noto CJK where the office's are missing:
# the title in 小标宋, headings in 黑体, second-level headings in 楷体, the body in 仿宋.
FONTS = {
    "title": ("方正小标宋简体", "华文中宋", "Noto Serif CJK SC"),
    "heading": ("黑体", "SimHei", "Noto Sans CJK SC"),
    "subheading": ("楷体_GB2312", "楷体", "KaiTi", "Noto Serif CJK SC"),
    "body": ("仿宋_GB2312", "仿宋", "FangSong", "Noto Serif CJK SC"),
}


@dataclass(frozen=True)
class Paragraph:
    """Body text; `lead` is a numbered item's first sentence, set in bold before the rest."""

    text: str
    lead: str = ""
    kind: str = "body"  # body, subheading (（一）…), note (smaller, after a table or chart)


@dataclass(frozen=True)
class Table:
    """A table as shown: its header and rows of text, each column's share of the width, the numbers' columns."""

    key: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    numeric: tuple[bool, ...]


@dataclass(frozen=True)
class Chart:
    """A Plotly figure of the document, named by key (its image in Word, its drawing in HTML and PDF)."""

    key: str
    figure: go.Figure


@dataclass(frozen=True)
class Section:
    heading: str
    blocks: tuple[Paragraph | Table | Chart, ...]
    landscape: bool = False  # the annex's wide table is set across the page


@dataclass(frozen=True)
class Bulletin:
    """The document: what each writer lays out the same way."""

    title: str
    period: str  # 2026年1—10月, under the title
    issuer: str
    issued: str  # the date line
    mark: str  # the sample-data mark on every page ('' for real data)
    sections: tuple[Section, ...]
    file_stem: str  # the file's name without its suffix
    lang: str = "zh"

    @property
    def charts(self) -> tuple[Chart, ...]:
        """Return the document's charts, in the order they stand."""
        return tuple(b for s in self.sections for b in s.blocks if isinstance(b, Chart))


def file_stem(year: int, month: int, lang: str) -> str:
    """Return the name of a bulletin's file without its suffix: 六大工程推进情况通报（2026年1—10月）."""
    return translator(lang)("bulletin.file_stem", period=format_period(year, month, lang, "ytd"))


def build_bulletin(
    report: Report,
    catalog: Catalog,
    period: str,
    year: int,
    month: int,
    *,
    key_tasks: pd.DataFrame,
    milestones: pd.DataFrame,
    as_of: date,
    issued: date,
    sample: bool,
    explanations: pd.DataFrame | None = None,
    lang: str = "zh",
) -> Bulletin:
    """Return the bulletin of a year to the end of `month`.

    `report` is hqd.inyear.report_in_year for that month (others may be in it); `key_tasks` and
    `milestones` their status at `as_of` (hqd.keytasks.key_task_status; empty frames without key tasks);
    `explanations` the causes and measures recorded for indicators behind (EXPLANATION_COLUMNS), shown
    under each when given; `sample` puts the sample-data mark on every page.
    """
    t = translator(lang)
    names = {"zone": t("bulletin.zone"), **bulletin_names()}
    shown_period = format_period(year, month, lang, "ytd")
    rows = report.indicators[report.indicators["month"] == month]
    heading = _Numbering(lang)
    common = {
        "title": t("bulletin.title", zone=names["zone"]),
        "period": t("bulletin.period", period=shown_period),
        "issuer": names.get("issuer") or t("bulletin.issuer", zone=names["zone"]),
        "issued": t("bulletin.date", year=issued.year, day=issued.day, **month_params(issued.month)),
        "mark": t("bulletin.sample_mark") if sample else "",
        "file_stem": file_stem(year, month, lang),
        "lang": lang,
    }
    if rows.empty or rows["status"].eq("no_data").all():
        # A month with no figure judged: a short bulletin that says so, not empty tables.
        only = Section(heading(t("bulletin.overall")), (Paragraph(t("bulletin.no_data", period=shown_period)),))
        return Bulletin(sections=(only,), **common)
    sections = [
        Section(heading(t("bulletin.overall")), _overall(report, catalog, period, year, month, lang)),
        Section(heading(t("bulletin.programmes")), _programmes(report, catalog, year, month, lang)),
        Section(heading(t("bulletin.attention")), _attention(rows, year, month, explanations, lang)),
    ]
    if len(key_tasks):
        sections.append(Section(heading(t("bulletin.key_tasks")), _key_tasks(key_tasks, milestones, as_of, lang)))
    sections.append(Section(heading(t("bulletin.suggestions")), _suggestions(report, catalog, month, key_tasks, lang)))
    sections.append(
        Section(
            t("bulletin.annex", title=t("bulletin.annex_title", period=shown_period)),
            (_annex(rows, catalog, lang),),
            landscape=True,
        )
    )
    return Bulletin(sections=tuple(sections), **common)


class _Numbering:
    """Numbers the sections as they come (一、 二、 …): a section left out leaves no gap."""

    def __init__(self, lang: str) -> None:
        self.lang, self.count = lang, 0

    def __call__(self, text: str) -> str:
        self.count += 1
        return translator(self.lang)("bulletin.heading", number=numeral(self.count, self.lang), text=text)


def _subheading(number: int, text: str, lang: str) -> Paragraph:
    return Paragraph(
        translator(lang)("bulletin.subheading", number=numeral(number, lang), text=text), kind="subheading"
    )


def _overall(report: Report, catalog: Catalog, period: str, year: int, month: int, lang: str) -> tuple:
    """Return 一、总体情况: one paragraph from the numbers, then the programmes against 序时进度."""
    t = translator(lang)
    sentences = summarise_in_year(report, catalog, year, month, lang)
    sentences += compare_programmes_in_year(report, catalog, month, lang)
    sentences += describe_headlines_in_year(report, month, lang)
    blocks: list = [Paragraph(("" if lang == "zh" else " ").join(sentences))]
    if month < 12:
        yearly = int((catalog.targets(period)["frequency"] == "year").sum())
        if yearly:
            blocks.append(Paragraph(t("inyear.yearly_note", count=yearly), kind="note"))
    programmes = report.programmes[report.programmes["month"] == month]
    cards = catalog.programmes[["code", "name_zh", "name_en"]].merge(
        programmes.rename(columns={"programme": "code"}), on="code", how="left"
    )
    cards = cards.assign(status=cards["status"].fillna("no_data"))
    blocks.append(Chart("overall", score_figure(cards, name_column(lang), t("inyear.programmes_chart"), lang)))
    return tuple(blocks)


def _counts(rows: pd.DataFrame, lang: str) -> str:
    return ("，" if lang == "zh" else ", ").join(count_statuses(rows, lang))


# The short table of each programme: the columns of hqd.tables.in_year_table it keeps.
PROGRAMME_COLUMNS = ("col.indicator", "col.as_of", "col.value", "col.annual_target", "col.completion", "col.due")
PROGRAMME_WIDTHS = (2.8, 1.5, 1.4, 1.4, 0.9, 0.9, 1.0, 2.6)


def _programmes(report: Report, catalog: Catalog, year: int, month: int, lang: str) -> tuple:
    """Return 二、分工程推进情况: per programme a sentence, a chart of its indicators against 序时进度, a table."""
    t = translator(lang)
    blocks: list = []
    rows = report.indicators[report.indicators["month"] == month]
    standing = report.programmes[report.programmes["month"] == month].set_index("programme")
    for number, programme in enumerate(catalog.programmes.itertuples(), start=1):
        name = getattr(programme, name_column(lang))
        blocks.append(_subheading(number, name, lang))
        mine = rows[rows["programme"] == programme.code]
        if mine.empty or programme.code not in standing.index:
            blocks.append(Paragraph(t("inyear.programme_none", year=year)))
            continue
        row = standing.loc[programme.code]
        if pd.isna(row["score"]):
            blocks.append(Paragraph(t("bulletin.programme_no_data", total=len(mine))))
            continue
        blocks.append(
            Paragraph(
                t(
                    "bulletin.programme_summary",
                    total=len(mine),
                    parts=_counts(mine, lang),
                    score=format_score(row["score"]),
                    expected=format_score(row["expected_score"]),
                    gap=gap_text(row["gap_points"], t),
                    status=status_name(row["status"], lang),
                )
            )
        )
        drawn = mine if len(mine) <= CHART_MOST else mine.nsmallest(CHART_MOST, "gap_points").sort_index()
        bars = pd.DataFrame(
            {
                "label": [clip_text(n, LABEL_COLUMNS) for n in drawn[name_column(lang)]],
                # The indicator's score as the roll-up counts it: its completion capped to 0–100.
                "score": (100 * drawn["completion"].clip(0, 1)).to_numpy(),
                "expected_score": (100 * drawn["expected_completion"].clip(0, 1)).to_numpy(),
                "status": drawn["status"].to_numpy(),
            }
        )
        title = t("bulletin.programme_chart", name=name)
        blocks.append(Chart(f"programme-{programme.code}", score_figure(bars, "label", title, lang)))
        if len(drawn) < len(mine):
            blocks.append(Paragraph(t("bulletin.chart_most", shown=len(drawn), total=len(mine)), kind="note"))
        table = in_year_table(mine, catalog, lang)
        keep = [t(c) for c in PROGRAMME_COLUMNS] + [t("col.yoy"), t("col.status")]
        blocks.append(_table(f"programme-{programme.code}", table[keep], PROGRAMME_WIDTHS, {2, 3, 4, 5, 6}))
    return tuple(blocks)


def _table(key: str, frame: pd.DataFrame, widths: tuple[float, ...], numeric: set[int]) -> Table:
    """Return a frame of shown text as a Table; the columns at `numeric` are set right-aligned, as numbers are."""
    rows = tuple(tuple("—" if pd.isna(v) else str(v) for v in r) for r in frame.itertuples(index=False))
    flags = tuple(i in numeric for i in range(len(frame.columns)))
    return Table(key, tuple(str(c) for c in frame.columns), rows, widths, flags)


def _attention(rows: pd.DataFrame, year: int, month: int, explanations: pd.DataFrame | None, lang: str) -> tuple:
    """Return 三、需关注的问题: each indicator behind, furthest first, with its department and any explanation."""
    t = translator(lang)
    behind = rows[rows["status"].isin(BEHIND)].sort_values("gap_points", kind="stable")
    if behind.empty:
        return (Paragraph(t("inyear.attention_none")),)
    counts = behind["status"].value_counts()
    blocks: list = [
        Paragraph(
            t(
                "bulletin.attention_intro",
                count=len(behind),
                lagging=int(counts.get("lagging", 0)),
                at_risk=int(counts.get("at_risk", 0)),
                **month_params(month),
            )
        )
    ]
    for number, row in enumerate(behind.itertuples(), start=1):
        as_of = int(row.as_of_month)
        growth = "" if pd.isna(row.yoy) else growth_text(row.yoy, t)
        blocks.append(
            Paragraph(
                t(
                    "bulletin.attention_item",
                    period=format_period(year, as_of, lang, period_kind(row.frequency, row.value_kind, as_of)),
                    value=value_text(row.value, row.unit, lang),
                    completion=share_text(row.completion),
                    due=share_text(row.expected_completion),
                    gap=gap_text(row.gap_points, t),
                    growth=growth,
                ),
                lead=t(
                    "bulletin.attention_lead",
                    number=number,
                    name=getattr(row, name_column(lang)),
                    department=department_name(row.department, lang),
                    status=status_name(row.status, lang),
                ),
            )
        )
        said = find_explanation(explanations, row.code, year, month)
        if said is not None:
            if isinstance(said["cause"], str) and said["cause"].strip():
                blocks.append(Paragraph(t("bulletin.cause", text=said["cause"].strip())))
            if isinstance(said["measures"], str) and said["measures"].strip():
                by = said["expected_by"]
                if not isinstance(by, str):
                    by = "" if by is None or pd.isna(by) else pd.Timestamp(by).date().isoformat()
                when = t("bulletin.expected_by", date=by) if by.strip() else ""
                blocks.append(Paragraph(t("bulletin.measures", text=said["measures"].strip(), when=when)))
    return tuple(blocks)


KEY_TASK_WIDTHS = (0.5, 3.0, 1.4, 3.0, 1.4, 0.8, 1.7)


def _key_tasks(key_tasks: pd.DataFrame, milestones: pd.DataFrame, as_of: date, lang: str) -> tuple:
    """Return 四、重点任务进展: how many key tasks stand where, then each late one with its first overdue milestone."""
    t = translator(lang)
    counts = key_tasks["status"].value_counts()
    parts = [
        t(f"bulletin.key_count_{s}", count=int(counts[s]))
        for s in ("done", "on_schedule", "late", "not_started")
        if counts.get(s, 0)
    ]
    overdue = milestones[milestones["status"] == "late"].sort_values(["key_task", "due_date"], kind="stable")
    shown_date = t("bulletin.date", year=as_of.year, day=as_of.day, **month_params(as_of.month))
    intro = t(
        "bulletin.key_tasks_intro",
        date=shown_date,
        total=len(key_tasks),
        parts=("，" if lang == "zh" else ", ").join(parts),
        overdue=len(overdue),
    )
    late = key_tasks[key_tasks["status"] == "late"].sort_values("days_late", ascending=False, kind="stable")
    if late.empty:
        return (Paragraph(intro), Paragraph(t("bulletin.key_tasks_none_late")))
    first = overdue.drop_duplicates("key_task").set_index("key_task")
    many = overdue.groupby("key_task").size()
    frame = pd.DataFrame(
        {
            t("bulletin.col_number"): [str(i) for i in range(1, len(late) + 1)],
            t("keytask.col_name"): late["name_zh"].to_numpy(),
            t("keytask.col_department"): [department_name(d, lang) for d in late["department"]],
            t("bulletin.col_milestone"): [
                first["description_zh"].get(c, "—") if c in first.index else "—" for c in late["code"]
            ],
            t("bulletin.col_milestone_due"): [
                _month_text(first["due"].get(c) if c in first.index else d, lang)
                for c, d in zip(late["code"], late["due"], strict=True)
            ],
            t("bulletin.col_overdue"): [str(int(many.get(c, 0))) for c in late["code"]],
            t("keytask.col_status"): [
                key_task_status_text(s, d, lang) for s, d in zip(late["status"], late["days_late"], strict=True)
            ],
        }
    )
    return (Paragraph(intro), _table("key-tasks", frame, KEY_TASK_WIDTHS, {0, 5}))


def _month_text(month: str, lang: str) -> str:
    """Return a YYYY-MM month of the key tasks' tables as the office writes it: 2025年6月."""
    year, number = (int(part) for part in str(month).split("-")[:2])
    return format_period(year, number, lang, "month")


def _departments(rows: pd.DataFrame, lang: str) -> str:
    found = [department_name(d, lang) for d in dict.fromkeys(rows["department"].dropna())]
    return ("、" if lang == "zh" else ", ").join(found)


def _names(rows: pd.DataFrame, lang: str) -> str:
    t = translator(lang)
    listed = ("、" if lang == "zh" else ", ").join(rows[name_column(lang)].head(NAMED))
    return t("bulletin.and_more", names=listed) if len(rows) > NAMED else listed


def _suggestions(report: Report, catalog: Catalog, month: int, key_tasks: pd.DataFrame, lang: str) -> tuple:
    """Return 五、下步工作建议 by fixed rules over what is behind: the programmes well behind and their worst
    indicators, the indicators slightly behind, the key tasks late, the figures not reported; else to keep on."""
    t = translator(lang)
    rows = report.indicators[report.indicators["month"] == month].sort_values("gap_points", kind="stable")
    programmes = report.programmes[report.programmes["month"] == month]
    names = catalog.programmes.set_index("code")[name_column(lang)]
    said: list[tuple[str, str]] = []
    lagging = programmes[programmes["status"] == "lagging"]
    if len(lagging):
        theirs = rows[rows["programme"].isin(lagging["programme"]) & rows["status"].isin(BEHIND)]
        said.append(
            (
                t(
                    "bulletin.suggest_programmes_lead",
                    names=("、" if lang == "zh" else ", ").join(names[lagging["programme"]]),
                ),
                t(
                    "bulletin.suggest_programmes",
                    indicators=_names(theirs, lang),
                    departments=_departments(theirs, lang),
                ),
            )
        )
    others = rows[rows["status"].eq("lagging") & ~rows["programme"].isin(lagging["programme"])]
    if len(others):
        said.append(
            (
                t("bulletin.suggest_lagging_lead", count=len(others)),
                t("bulletin.suggest_lagging", indicators=_names(others, lang), departments=_departments(others, lang)),
            )
        )
    at_risk = rows[rows["status"] == "at_risk"]
    if len(at_risk):
        when = (
            t("bulletin.suggest_by_month", **month_params(month + 1)) if month < 12 else t("bulletin.suggest_by_year")
        )
        said.append(
            (
                t("bulletin.suggest_at_risk_lead", count=len(at_risk)),
                t("bulletin.suggest_at_risk", departments=_departments(at_risk, lang), when=when),
            )
        )
    late = key_tasks[key_tasks["status"] == "late"] if len(key_tasks) else key_tasks
    if len(late):
        said.append(
            (
                t("bulletin.suggest_key_tasks_lead", count=len(late)),
                t("bulletin.suggest_key_tasks"),
            )
        )
    missing = rows[rows["status"] == "no_data"]
    if len(missing):
        said.append(
            (
                t("bulletin.suggest_reporting_lead"),
                t(
                    "bulletin.suggest_reporting",
                    count=len(missing),
                    indicators=_names(missing, lang),
                    departments=_departments(missing, lang),
                ),
            )
        )
    if not said:
        said.append((t("bulletin.suggest_keep_lead"), t("bulletin.suggest_keep")))
    return tuple(
        Paragraph(text, lead=t("bulletin.subheading", number=numeral(i, lang), text=lead))
        for i, (lead, text) in enumerate(said, start=1)
    )


# 序号, 指标, 状态, 差距, 完成, 序时进度, 截至, 数值, 年度目标, 同比, 责任单位, 所属工程 (hqd.tables.in_year_table).
ANNEX_WIDTHS = (0.5, 3.0, 1.6, 0.9, 0.8, 0.9, 1.4, 1.4, 1.4, 0.9, 1.7, 1.4)


def _annex(rows: pd.DataFrame, catalog: Catalog, lang: str) -> Table:
    """Return the annex: every indicator judged, as the app's in-year table shows it, numbered."""
    t = translator(lang)
    table = in_year_table(rows, catalog, lang)
    table.insert(0, t("bulletin.col_number"), [str(i) for i in range(1, len(table) + 1)])
    return _table("annex", table, ANNEX_WIDTHS, {0, 3, 4, 5, 7, 8, 9})
