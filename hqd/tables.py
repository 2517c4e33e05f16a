"""Frames ready to show: the pages' tables with values formatted and columns named in the language."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from hqd.assessment import Assessment
from hqd.catalog import Catalog
from hqd.formatting import (
    COUNT_UNITS,
    format_change,
    format_period,
    format_time,
    format_unit,
    format_value,
    period_kind,
    share_texts,
)
from hqd.i18n import (
    MESSAGES,
    department_name,
    describe_problem,
    file_label,
    name_column,
    outcome_text,
    person_name,
    projection_text,
    status_labels,
    status_text,
    translator,
)
from hqd.revisions import ANNUAL_FIELD
from hqd.workbook import CATALOG_HEADERS

# Pixels per character of the grid's 14 px font: a Chinese character is square, a Latin one about half as wide
# (measured in Chromium: "目标年预测" 70 px, "Projection for target year" 145 px); rounded up so text never clips.
WIDE_PIXELS, NARROW_PIXELS = 14.5, 7.6
# The grid's cell padding (8 px each side) and room for the sort arrow a header may show.
CELL_PADDING = 24
# Rows a table shows at full height; a longer one scrolls inside a box of this many rows.
FULL_ROWS = 30
# Room for a formatted number of up to eight digits with separators (12,345,678.9).
NUMBER_WIDTH = 110
# The height a longer table scrolls in: FULL_ROWS rows and the header, 35 px each as the grid draws them, and 3 px
# of border.
SCROLL_HEIGHT = 35 * (FULL_ROWS + 1) + 3


@dataclass(frozen=True)
class Column:
    """How one column of a table is shown: its kind, width in pixels, number format, kept in view when scrolling."""

    kind: str = "text"  # text, number, progress, chart or link
    width: int | None = None
    format: str | None = None
    pinned: bool = False
    link_text: str | None = None  # what a link column shows instead of the address


def text_width(text) -> float:
    """Return the pixels a piece of text takes in the grid's font (Chinese characters count double)."""
    return sum(WIDE_PIXELS if unicodedata.east_asian_width(c) in "WF" else NARROW_PIXELS for c in str(text))


def fit_width(header: str, values: Iterable = (), most: int = 240, least: int = 0) -> int:
    """Return a column width that shows its header whole and its values up to `most` pixels."""
    # One conversion to a list: iterating an Arrow-backed column value by value is slow at 50,000 rows.
    texts = {v for v in (values.tolist() if hasattr(values, "tolist") else values) if isinstance(v, str)}
    longest = max(map(len, texts), default=0)
    # Only a text at least NARROW/WIDE as long as the longest can be the widest: the rest need no measuring; and
    # none at all once the longest passes `most` even in narrow characters.
    shortest = longest * NARROW_PIXELS / WIDE_PIXELS
    if longest * NARROW_PIXELS >= most:
        content = most
    else:
        content = max((text_width(v) for v in texts if len(v) >= shortest), default=0)
    return int(max(text_width(header) + CELL_PADDING, min(content + CELL_PADDING, most), least))


def fit_columns(table: pd.DataFrame, columns: dict[str, Column] | None = None) -> dict[str, Column]:
    """Return every column's display: the ones given as they are (width fitted when missing), the rest fitted."""
    given = columns or {}
    fitted = {}
    for name in table.columns:
        numeric = pd.api.types.is_numeric_dtype(table[name]) and not pd.api.types.is_bool_dtype(table[name])
        column = given.get(name, Column("number" if numeric else "text"))
        if column.width is None:
            if column.kind in ("number", "progress"):
                # Formatted by the grid ("%.0f%%", thousands): short, whatever digits the value holds.
                width = fit_width(str(name), least=NUMBER_WIDTH)
            else:
                shown = [column.link_text or ""] if column.kind == "link" else table[name].head(200).astype("str")
                width = fit_width(str(name), shown, least=60)
            column = Column(column.kind, width, column.format, column.pinned, column.link_text)
        fitted[name] = column
    return fitted


def with_programme_names(frame: pd.DataFrame, catalog: Catalog, lang: str) -> pd.DataFrame:
    """Return the rows with a `programme_name` column in the language."""
    names = catalog.programmes.set_index("code")[name_column(lang)]
    return frame.assign(programme_name=frame["programme"].map(names))


def with_task_names(frame: pd.DataFrame, catalog: Catalog, lang: str) -> pd.DataFrame:
    """Return the rows with a `task_name` column in the language."""
    names = catalog.tasks.set_index("code")[name_column(lang)]
    return frame.assign(task_name=frame["task"].map(names))


def _statuses(statuses: pd.Series, lang: str) -> list[str]:
    """Return each status as shown (symbol and name), worded once per distinct status: thousands of rows are quick."""
    words = {s: status_text(s, lang) for s in statuses.unique()}
    return [words[s] for s in statuses.tolist()]


def _values(rows: pd.DataFrame, column: str, lang: str) -> list[str]:
    # Lists, not the columns: stepping through a text column one cell at a time costs pyarrow a scalar each.
    return [format_value(v, u, lang) for v, u in zip(rows[column].tolist(), rows["unit"].tolist(), strict=True)]


def _projection(rows: pd.DataFrame, lang: str) -> list[str]:
    return [
        f"{projection_text(p, lang)} · {format_value(v, u, lang)}" if p else "—"
        for p, v, u in zip(
            rows["projection"].tolist(), rows["projected_value"].tolist(), rows["unit"].tolist(), strict=True
        )
    ]


def _departments(departments: pd.Series, lang: str) -> list:
    """Return responsible departments named in the language."""
    names = {d: department_name(d, lang) for d in departments.dropna().unique()}
    return [names.get(d, d) if isinstance(d, str) else d for d in departments.tolist()]


def attention_table(rows: pd.DataFrame, catalog: Catalog, lang: str) -> pd.DataFrame:
    """Return the indicators needing attention as shown: who, how far behind, where heading."""
    t = translator(lang)
    rows = with_programme_names(rows, catalog, lang)
    # The figures that say how far behind come first; who is responsible and where it belongs last.
    table = pd.DataFrame(
        {
            t("col.indicator"): rows[name_column(lang)].to_numpy(),
            t("col.status"): _statuses(rows["status"], lang),
            t("col.attainment"): share_texts(rows["attainment"]),
            t("col.completion"): share_texts(rows["completion"]),
            t("col.expected"): share_texts(rows["expected"]),
            t("col.value"): _values(rows, "value", lang),
            t("col.target"): _values(rows, "target_value", lang),
            t("col.gap"): _values(rows, "gap", lang),
            t("col.projection"): _projection(rows, lang),
            t("col.department"): _departments(rows["department"], lang),
            t("col.programme"): rows["programme_name"].to_numpy(),
        }
    )
    # In and after the target year there is nothing left to project.
    return table if rows["projection"].ne("").any() else table.drop(columns=t("col.projection"))


def insert_explanations(table: pd.DataFrame, texts: list[str], lang: str) -> pd.DataFrame:
    """Return a table of indicators with their 说明状态 (texts per row) just after the status column."""
    t = translator(lang)
    at = list(table.columns).index(t("col.status")) + 1 if t("col.status") in table else len(table.columns)
    out = table.copy()
    out.insert(at, t("col.explanation"), texts)
    return out


def attention_columns(table: pd.DataFrame, lang: str) -> dict[str, Column]:
    """Return how the attention table is shown: the indicator's name kept in view, every header whole."""
    t = translator(lang)
    return fit_columns(table, {t("col.indicator"): Column(pinned=True)})


# An HTML table in the grid's look, beside Streamlit's own text: the page's font at the grid's 14 px, rows 35 px
# high, the header on the theme's secondary background (.streamlit/config.toml). Inline styles only: st.html
# sanitizes its body and keeps them. The header and the indicator's name stay in view when the box scrolls; a
# separate border (not collapsed) moves with a sticky cell. What cells inherit is set once on the table, and no
# spaces: the rest repeats in every cell (a page of 500 rows is 6,000 of them).
_LINE = "1px solid #e6e9ef"
_BOX = f"overflow:auto;border:{_LINE};border-radius:0.5rem"
# Figures line up by their last digit: tabular digits are all as wide.
_TABLE = (
    "border-collapse:separate;border-spacing:0;width:100%;margin:0;font-family:inherit;font-size:14px;"
    "line-height:20px;color:inherit;white-space:nowrap;font-variant-numeric:tabular-nums"
)
# Top: a wrapped name's first line level with its figures.
_CELL = "padding:7px 12px;vertical-align:top"
# A line above each row but the first, under the header's: the box's own border closes the table.
_RULE = f";border-top:{_LINE}"
_HEAD = (
    f"{_CELL};text-align:left;border-bottom:{_LINE};position:sticky;top:0;z-index:2;background-color:#f3f6fa;"
    "font-weight:600"
)
# The first column as wide as the grid made it (fit_width): a longer name wraps rather than push the figures out of
# view, and no name is squeezed to a few characters a line when the table is wider than the page.
_FIRST = f"position:sticky;left:0;z-index:1;background-color:#ffffff;border-right:{_LINE};white-space:normal"
_FIRST_WIDTH = 240
_CORNER = f"{_HEAD};left:0;z-index:3;border-right:{_LINE}"
_RIGHT = "text-align:right"
# A figure as the tables write it: a number with separators, a sign (a true minus too), a percent; or a dash.
_FIGURE = re.compile(r"[+\-−±]?\d[\d,]*(?:\.\d+)?%?")


def _is_figure(text: str) -> bool:
    return text == "—" or _FIGURE.fullmatch(text) is not None


def tint_style(colour: str, alpha: str, edge: bool) -> str:
    """Return a tinted cell's style: its row's colour, light, and in a tinted column an edge of it in full."""
    fill = f"background-color: {colour}{alpha}"
    return f"{fill}; border-left: 4px solid {colour}" if edge else fill


def render_html_table(
    frame: pd.DataFrame, colours: Sequence | None = None, column: str | None = None, alpha: str = "22"
) -> str:
    """Return a table of texts as HTML in the grid's look: the header and the first column kept in view, columns
    of figures right-aligned, every text escaped (names come from uploaded files).

    With `colours` (one per row, as hqd.ui.widgets.Tinted holds them), each row's cell of `column` is tinted as
    Tinted.style tints it, or without a column the whole row; a row without a colour (None, NaN) is not.
    """
    headers = [str(name) for name in frame.columns]
    columns = [[str(v) for v in frame[name].tolist()] for name in frame.columns]
    # A column is aligned one way: figures right, their dashes with them; a text column's dash stays left.
    figures = [all(map(_is_figure, texts)) and any(t != "—" for t in texts) for texts in columns]
    first = (
        f";{_FIRST};min-width:{fit_width(headers[0], columns[0], _FIRST_WIDTH)}px;max-width:{_FIRST_WIDTH}px"
        if headers
        else ""
    )
    styles = [_CELL + (first if i == 0 else "") + (";" + _RIGHT if figure else "") for i, figure in enumerate(figures)]
    head = "".join(
        f'<th style="{_CORNER if i == 0 else _HEAD}{";" + _RIGHT if figure else ""}">{html.escape(name)}</th>'
        for i, (name, figure) in enumerate(zip(headers, figures, strict=True))
    )
    tinted = list(frame.columns).index(column) if column is not None else None
    shades = [None] * len(frame) if colours is None else list(colours)
    ruled = [style + _RULE for style in styles]
    records = zip(*columns, strict=True) if columns else [()] * len(frame)
    rows = []
    for r, (cells, colour) in enumerate(zip(records, shades, strict=True)):
        tint = ";" + tint_style(html.escape(colour), alpha, tinted is not None) if isinstance(colour, str) else ""
        row = "".join(
            f'<td style="{style}{tint if tint and tinted in (None, i) else ""}">{html.escape(text)}</td>'
            for i, (style, text) in enumerate(zip(ruled if r else styles, cells, strict=True))
        )
        rows.append(f"<tr>{row}</tr>")
    # As the grid's height: every row of a short table (a wrapped name makes its row taller), a long one scrolls.
    box = _BOX + (f";max-height:{SCROLL_HEIGHT}px" if len(frame) > FULL_ROWS else "")
    return (
        f'<div style="{box}"><table style="{_TABLE}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _as_of_text(year: int, month, kind: str, frequency: str, lang: str) -> str:
    """Return the period a figure to date covers (1—10月, 三季度), or — without one."""
    return "—" if pd.isna(month) else format_period(year, int(month), lang, period_kind(frequency, kind, int(month)))


def in_year_table(rows: pd.DataFrame, catalog: Catalog, lang: str) -> pd.DataFrame:
    """Return in-year rows as shown: how far each is from 序时进度, its figure to date and 同比, who answers for it."""
    t = translator(lang)
    rows = with_programme_names(rows, catalog, lang)
    # Worded once per distinct period, as the statuses: a year under way has a few among thousands of rows.
    moments = list(
        zip(
            rows["year"].tolist(),
            rows["as_of_month"].tolist(),
            rows["value_kind"].tolist(),
            rows["frequency"].tolist(),
            strict=True,
        )
    )
    words = {moment: _as_of_text(*moment, lang) for moment in set(moments)}
    periods = [words[moment] for moment in moments]
    return pd.DataFrame(
        {
            t("col.indicator"): rows[name_column(lang)].to_numpy(),
            t("col.status"): _statuses(rows["status"], lang),
            t("col.gap_points"): [format_change(g) for g in rows["gap_points"].tolist()],
            t("col.completion"): share_texts(rows["completion"]),
            t("col.due"): share_texts(rows["expected_completion"]),
            t("col.as_of"): periods,
            t("col.value"): _values(rows, "value", lang),
            t("col.annual_target"): _values(rows, "annual_target", lang),
            t("col.yoy"): ["—" if pd.isna(y) else f"{format_change(100 * y)}%" for y in rows["yoy"].tolist()],
            t("col.department"): _departments(rows["department"], lang),
            t("col.programme"): rows["programme_name"].to_numpy(),
        }
    )


def indicator_table(rows: pd.DataFrame, history: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return a programme's indicators for one year as shown, with each one's actuals so far."""
    t = translator(lang)
    trend = history.sort_values("year").groupby("code")["value"].agg(lambda v: [x for x in v if pd.notna(x)])
    latest = [
        f"{format_value(v, u, lang)}({int(y)})" if pd.notna(y) and pd.isna(now) else format_value(v, u, lang)
        for v, u, y, now in zip(rows["latest_value"], rows["unit"], rows["latest_year"], rows["value"], strict=True)
    ]
    # Percentages as numbers (× 100) so the grid can draw a bar; the same unclipped completion as every table.
    return pd.DataFrame(
        {
            t("col.code"): rows["code"].to_numpy(),
            t("col.indicator"): rows[name_column(lang)].to_numpy(),
            t("col.status"): _statuses(rows["status"], lang),
            t("col.attainment"): (rows["attainment"] * 100).to_numpy(),
            t("col.completion"): (rows["completion"] * 100).to_numpy(),
            t("col.latest"): latest,
            t("col.target"): _values(rows, "target_value", lang),
            t("col.trend"): rows["code"].map(trend).to_numpy(),
            t("col.projection"): _projection(rows, lang),
            t("col.department"): _departments(rows["department"], lang),
        }
    )


def indicator_columns(table: pd.DataFrame, lang: str) -> dict[str, Column]:
    """Return how a programme's indicator table is shown: completion as a bar, percentages whole, names in view."""
    t = translator(lang)
    percent = Column("number", format="%.0f%%")
    return fit_columns(
        table,
        {
            t("col.code"): Column(pinned=True),
            t("col.indicator"): Column(
                pinned=True, width=fit_width(t("col.indicator"), table[t("col.indicator")], 220)
            ),
            t("col.attainment"): percent,
            t("col.completion"): Column("progress", width=fit_width(t("col.completion"), least=110), format="%.0f%%"),
            t("col.trend"): Column("chart", width=fit_width(t("col.trend"), least=110)),
        },
    )


def assessment_indicator_table(assessment: Assessment, catalog: Catalog, lang: str) -> pd.DataFrame:
    """Return a period's indicators in its target year as shown: met or not, completion rate, final actual, gap."""
    t = translator(lang)
    rows = with_programme_names(assessment.indicators, catalog, lang)
    # The outcome and how far from the target first, beside the name; who and where last.
    return pd.DataFrame(
        {
            t("col.code"): rows["code"].to_numpy(),
            t("col.indicator"): rows[name_column(lang)].to_numpy(),
            t("col.outcome_final"): [outcome_text(o, lang) for o in rows["outcome"]],
            t("col.attainment"): (rows["attainment"] * 100).to_numpy(),
            t("col.completion"): (rows["completion"] * 100).to_numpy(),
            t("col.final_value"): _values(rows, "value", lang),
            t("col.target"): _values(rows, "target_value", lang),
            t("col.gap"): _values(rows, "gap", lang),
            t("col.department"): _departments(rows["department"], lang),
            t("col.programme"): rows["programme_name"].to_numpy(),
        }
    )


def assessment_count_table(counts: pd.DataFrame, catalog: Catalog, lang: str) -> pd.DataFrame:
    """Return the tasks' or programmes' counts of a final assessment as shown (a task with its programme)."""
    t = translator(lang)
    named = with_programme_names(counts, catalog, lang)
    names = {}
    if "task" in counts:
        named = with_task_names(named, catalog, lang)
        names[t("col.task")] = named["task_name"].to_numpy()
    names[t("col.programme")] = named["programme_name"].to_numpy()
    return pd.DataFrame(
        {
            **names,
            t("col.indicators"): counts["indicators"].to_numpy(),
            t("col.met"): counts["met"].to_numpy(),
            t("col.not_met"): counts["not_met"].to_numpy(),
            t("col.no_data"): counts["no_data"].to_numpy(),
            t("col.share_met"): (counts["share_met"] * 100).to_numpy(),
        }
    )


def assessment_columns(table: pd.DataFrame, lang: str) -> dict[str, Column]:
    """Return how an assessment table is shown: rates to a tenth, the share met as a bar, the name in view."""
    t = translator(lang)
    # To a tenth: 99.7% beside 未完成, where a whole percentage would say 100%.
    percent = Column("number", format="%.1f%%")
    first = table.columns[0]
    given = {
        first: Column(pinned=True, width=fit_width(first, table[first], 220)),
        t("col.attainment"): percent,
        t("col.completion"): percent,
        t("col.share_met"): Column("progress", width=fit_width(t("col.share_met"), least=110), format="%.0f%%"),
    }
    # Counts of a few indicators: as wide as their headers, so that the share's bar stays in view.
    for key in ("col.indicators", "col.met", "col.not_met", "col.no_data"):
        given[t(key)] = Column("number", width=fit_width(t(key), least=70))
    if t("col.indicator") in table:
        given[t("col.code")] = Column(pinned=True)
        given[t("col.indicator")] = Column(
            pinned=True, width=fit_width(t("col.indicator"), table[t("col.indicator")], 220)
        )
    return fit_columns(table, {k: v for k, v in given.items() if k in table})


def problems_table(problems: pd.DataFrame, lang: str, catalog: Catalog | None = None) -> pd.DataFrame:
    """Return problems as shown: where in the file (sheet, row, column), the indicator and year they concern, then what.

    The indicator (code and name, from the catalog) and the year are columns only when some problem names them.
    """
    t = translator(lang)
    where = {
        t("col.sheet"): problems["sheet"].to_numpy(),
        t("col.row"): problems["row"].astype("object").where(problems["row"].notna(), "").to_numpy(),
        t("col.column"): problems["column"].to_numpy(),
    }
    codes = [p.get("indicator", "") if isinstance(p.get("indicator"), str) else "" for p in problems["params"]]
    years = [p["year"] if isinstance(p.get("year"), int) else None for p in problems["params"]]
    if any(codes) or any(y is not None for y in years):
        names = (
            {} if catalog is None else catalog.indicators.drop_duplicates("code").set_index("code")[name_column(lang)]
        )
        where[t("col.indicator")] = [_code_and_name(c, names.get(c)) for c in codes]
        # Whole numbers, empty (a dash on the page) where a problem concerns no one year; a period within
        # a year as the office writes it (2026年1—10月) where one is.
        where[t("col.year")] = (
            [
                None if y is None else format_period(y, p.get("month", 12), lang, p.get("kind", "year"))
                for y, p in zip(years, problems["params"], strict=True)
            ]
            if any("month" in p for p in problems["params"])
            else pd.array(years, dtype="Int64")
        )
    return pd.DataFrame(
        {
            **where,
            t("col.message"): [
                describe_problem(code, params, lang)
                for code, params in zip(problems["code"], problems["params"], strict=True)
            ],
        }
    )


def _code_and_name(code: str, name) -> str:
    """Return "B2 名称", the code alone when the catalog has no name for it, or "" without a code."""
    return f"{code} {name}" if code and isinstance(name, str) and name else code


def _periods(rows: pd.DataFrame, info: pd.DataFrame, lang: str) -> dict[str, object]:
    """Return the column saying what each figure is of: the year, or (with figures within a year) the period."""
    t = translator(lang)
    if "month" not in rows or (rows["month"] == 12).all():
        return {t("col.year"): rows["year"].to_numpy()}
    frequency, kind = rows["indicator"].map(info["frequency"]), rows["indicator"].map(info["value_kind"])
    return {
        t("col.period"): [
            format_period(y, m, lang, period_kind(f, k, m))
            for y, m, f, k in zip(rows["year"], rows["month"], frequency, kind, strict=True)
        ]
    }


def changes_table(compared: pd.DataFrame, catalog: Catalog, lang: str, unchanged: bool = False) -> pd.DataFrame:
    """Return incoming values against the values in effect: indicator, year, old, new, change."""
    t = translator(lang)
    rows = compared if unchanged else compared[compared["change"] != "unchanged"]
    info = catalog.indicators.drop_duplicates("code").set_index("code")
    units = rows["indicator"].map(info["unit"]).fillna("")
    shown = rows.assign(unit=units)
    return pd.DataFrame(
        {
            t("col.code"): rows["indicator"].to_numpy(),
            t("col.indicator"): rows["indicator"].map(info[name_column(lang)]).to_numpy(),
            **_periods(rows, info, lang),
            t("col.old"): _values(shown, "old_value", lang),
            t("col.new"): _values(shown, "value", lang),
            t("col.change"): [t(f"change.{c}") for c in rows["change"]],
            t("col.note"): rows["note"].fillna("").to_numpy() if "note" in rows else "",
        }
    )


def _catalog_values(values: pd.Series, fields: list[str], units: list[str], lang: str) -> list[str]:
    """Return a catalog revision's old or new values as text, a department named in the language.

    An annual target is a figure with its unit, or, where none is set, the trajectory the year follows.
    """
    t = translator(lang)
    out = []
    for value, field, unit in zip(values, fields, units, strict=True):
        if field.startswith(ANNUAL_FIELD):
            out.append(t("field.annual_target_trajectory") if pd.isna(value) else format_value(value, unit, lang))
        else:
            out.append(department_name(str(value), lang) if field == "department" else str(value))
    return out


def catalog_changes_table(changes: pd.DataFrame, catalog: Catalog, lang: str) -> pd.DataFrame:
    """Return catalog changes as shown: indicator, field, old value, new value.

    An annual target's field reads "2027年度目标", its values with the indicator's unit, and a side without
    one "按规划轨迹": e.g. 2027年度目标 按规划轨迹 → 660亿元.
    """
    t = translator(lang)
    info = catalog.indicators.drop_duplicates("code").set_index("code")
    names = info[name_column(lang)]
    fields = changes["field"].tolist()
    units = changes["code"].map(info["unit"]).fillna("").tolist()

    def field_name(field: str) -> str:
        if field.startswith(ANNUAL_FIELD):
            return t("field.annual_target", year=field.removeprefix(ANNUAL_FIELD))
        return t(f"field.{field}") if f"field.{field}" in MESSAGES else CATALOG_HEADERS.get(field, field)

    return pd.DataFrame(
        {
            t("col.code"): changes["code"].to_numpy(),
            t("col.indicator"): changes["code"].map(names).to_numpy(),
            t("col.field"): [field_name(f) for f in fields],
            t("col.old"): _catalog_values(changes["old"], fields, units, lang),
            t("col.new"): _catalog_values(changes["new"], fields, units, lang),
        }
    )


def uploads_table(uploads: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return the upload history as shown: number, kind, file, who, when, counts, state."""
    t = translator(lang)
    kinds = [t("history.kind_data" if k == "data" else "history.kind_catalog") for k in uploads["kind"]]
    kinds = [t("history.kind_sample", kind=k) if s else k for k, s in zip(kinds, uploads["is_sample"], strict=True)]
    counts = [
        t("history.values", rows=r, new=n, changed=c, unchanged=u)
        if k == "data"
        else t("history.catalog_values", count=c)
        for k, r, n, c, u in zip(
            uploads["kind"], uploads["rows"], uploads["new"], uploads["changed"], uploads["unchanged"], strict=True
        )
    ]
    states = [
        t("history.rolled_back", user=person_name(who or "—", lang), time=format_time(at))
        if pd.notna(at)
        else t("history.active")
        for at, who in zip(uploads["rolled_back_at"], uploads["rolled_back_by"], strict=True)
    ]
    return pd.DataFrame(
        {
            t("col.upload"): uploads["id"].to_numpy(),
            t("col.kind"): kinds,
            t("col.file"): [file_label(f, lang) for f in uploads["file_name"]],
            t("col.user"): [person_name(u, lang) for u in uploads["user_name"]],
            t("col.time"): [format_time(v) for v in uploads["created_at"]],
            t("col.rows"): counts,
            t("col.state"): states,
        }
    )


def explorer_table(frame: pd.DataFrame, catalog: Catalog, years: list[int], lang: str) -> pd.DataFrame:
    """Return the explorer's rows as shown and exported: numbers stay numbers, one column per year."""
    t = translator(lang)
    programmes = catalog.programmes.set_index("code")[name_column(lang)]
    # Mapped per distinct value: the explorer may list thousands of indicators.
    outlooks = {p: projection_text(p, lang) or "—" for p in frame["projection"].unique()}
    # Standing first (status, completion, outlook), so it is on screen beside the name; the years after.
    # Percentages are numbers × 100, kept unrounded: the grid and the workbook format them.
    table = pd.DataFrame(
        {
            t("col.code"): frame["code"].to_numpy(),
            t("col.indicator"): frame[name_column(lang)].to_numpy(),
            t("col.status"): frame["status"].map(status_labels(lang)).to_numpy(),
            t("col.attainment"): (frame["attainment"] * 100).to_numpy(),
            t("col.completion"): (frame["completion"] * 100).to_numpy(),
            t("col.pace"): frame["pace"].to_numpy(),
            t("col.outcome"): frame["projection"].map(outlooks).to_numpy(),
            # The unit just before the values it measures.
            t("col.unit"): frame["unit"].map({u: format_unit(u, lang) for u in frame["unit"].unique()}).to_numpy(),
        }
    )
    for year in years:
        table[str(year)] = frame[year].to_numpy()
    table[t("col.baseline")] = frame["base_value"].to_numpy()
    table[t("col.target")] = frame["target_value"].to_numpy()
    table[t("col.projected")] = frame["projected_value"].to_numpy()
    table[t("col.programme")] = frame["programme"].map(programmes).to_numpy()
    table[t("col.department")] = _departments(frame["department"], lang)
    table[t("col.note")] = frame["note"].fillna("").to_numpy()
    return table


def explorer_columns(table: pd.DataFrame, years: list[int], lang: str) -> dict[str, Column]:
    """Return how the explorer's table is shown: code and name kept in view, values as the locale writes them."""
    t = translator(lang)
    values = [str(y) for y in years] + [t("col.baseline"), t("col.target"), t("col.projected")]
    numbers = {name: Column("number", width=fit_width(name, least=80), format="localized") for name in values}
    return fit_columns(
        table,
        numbers
        | {
            t("col.code"): Column(pinned=True),
            t("col.indicator"): Column(
                pinned=True, width=fit_width(t("col.indicator"), table[t("col.indicator")], 220)
            ),
            t("col.attainment"): Column("number", format="%.0f%%"),
            t("col.completion"): Column("number", format="%.0f%%"),
            # A ratio near 1 ("0.83"): narrower than the default room for eight digits.
            t("col.pace"): Column("number", width=fit_width(t("col.pace"), least=70), format="%.2f"),
        },
    )


def value_format(value, unit: str) -> str:
    """Return the Excel number format of a value in its unit: counts whole, % with its sign, others to 0.1."""
    if unit in COUNT_UNITS:
        return "#,##0"
    if unit == "%":
        return '0.0"%"'
    return "0.0##" if pd.notna(value) and abs(value) < 1 else "#,##0.0"


def export_formats(table: pd.DataFrame, units: pd.Series, years: list[int], lang: str) -> dict[str, list[str]]:
    """Return the Excel number format of each numeric cell of the explorer's table, row by row, by the row's unit.

    The values stay as they are; the format rounds them for the eye. Completion and 完成率 are stored as
    percentages (× 100), so they take a percent sign, not Excel's ×100 percent format.
    """
    t = translator(lang)
    formats = {
        name: [value_format(v, u) for v, u in zip(table[name], units, strict=True)]
        for name in [str(y) for y in years] + [t("col.baseline"), t("col.target"), t("col.projected")]
    }
    return formats | {
        t("col.attainment"): ['0"%"'] * len(table),
        t("col.completion"): ['0"%"'] * len(table),
        t("col.pace"): ["0.00"] * len(table),
    }


def lineage_table(lineage: pd.DataFrame, unit: str, lang: str) -> pd.DataFrame:
    """Return where each value came from: year (or period), value, the value it replaced, upload, who, when."""
    t = translator(lang)
    months = "month" in lineage and (lineage["month"] != 12).any()
    order = ["year", "month", "upload_id"] if "month" in lineage else ["year", "upload_id"]
    rows = lineage.sort_values(order, ascending=False)
    when = (
        {t("col.period"): [format_period(y, m, lang) for y, m in zip(rows["year"], rows["month"], strict=True)]}
        if months
        else {t("col.year"): rows["year"].to_numpy()}
    )
    state = [
        t("lineage.rolled_back") if pd.notna(back) else t("lineage.in_effect") if live else t("lineage.replaced")
        for back, live in zip(rows["rolled_back_at"], rows["in_effect"], strict=True)
    ]
    return pd.DataFrame(
        {
            **when,
            t("col.actual"): [format_value(v, unit, lang) for v in rows["value"]],
            t("col.replaced"): [format_value(v, unit, lang) for v in rows["previous"]],
            t("col.upload"): [f"#{i}" for i in rows["upload_id"]],
            t("col.file"): [file_label(f, lang) for f in rows["file_name"]],
            t("col.user"): [person_name(u, lang) for u in rows["user_name"]],
            t("col.time"): [format_time(v) for v in rows["created_at"]],
            t("col.state"): state,
            t("col.note"): rows["note"].fillna("").to_numpy(),
        }
    )


def indicator_links(codes: pd.Series, catalog: Catalog) -> list[str]:
    """Return, for each indicator, the link that opens its detail on its programme's page."""
    slugs = catalog.programmes.set_index("code")["slug"]
    programme = catalog.indicators.drop_duplicates("code").set_index("code")["programme"]
    return [f"./{slugs[programme[c]]}?indicator={c}" if c in programme.index else "" for c in codes]


def progress_table(progress: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return reporting progress per department as shown."""
    t = translator(lang)
    return pd.DataFrame(
        {
            t("col.department"): _departments(progress["department"].replace("", "—"), lang),
            t("col.indicators"): progress["indicators"].to_numpy(),
            t("col.reported"): progress["reported"].to_numpy(),
            t("col.share"): (progress["share"] * 100).round(0).to_numpy(),
            t("col.missing"): progress["missing"].to_numpy(),
        }
    )


def progress_columns(table: pd.DataFrame, lang: str) -> dict[str, Column]:
    """Return how the reporting progress is shown: the share as a bar, every header whole."""
    t = translator(lang)
    share = t("col.share")
    return fit_columns(table, {share: Column("progress", width=fit_width(share, least=110), format="%.0f%%")})


def quality_columns(table: pd.DataFrame, lang: str) -> dict[str, Column]:
    """Return how a data-quality list is shown: the indicator kept in view, a link column reading 详情."""
    t = translator(lang)
    return fit_columns(
        table,
        {
            t("col.code"): Column(pinned=True),
            t("col.indicator"): Column(
                pinned=True, width=fit_width(t("col.indicator"), table[t("col.indicator")], 220)
            ),
            t("col.open"): Column("link", link_text=t("col.open")),
        },
    )


def quality_table(
    rows: pd.DataFrame, catalog: Catalog, lang: str, code: str = "code", columns: dict | None = None
) -> pd.DataFrame:
    """Return flagged indicators as shown: code, name, department, more columns (by label key), a detail link."""
    t = translator(lang)
    info = catalog.indicators.drop_duplicates("code").set_index("code")
    codes = rows[code]
    table = pd.DataFrame(
        {
            t("col.code"): codes.to_numpy(),
            t("col.indicator"): codes.map(info[name_column(lang)]).to_numpy(),
            t("col.department"): _departments(codes.map(info["department"]), lang),
        }
    )
    for label, values in (columns or {}).items():
        table[t(label)] = list(values)
    table[t("col.open")] = indicator_links(codes, catalog)
    return table
