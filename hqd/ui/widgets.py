"""Pieces of UI the pages render: status badges, programme cards, indicator detail, filters, downloads."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import date
from functools import partial
from xml.etree.ElementTree import Element

import pandas as pd
import streamlit as st

from hqd import store
from hqd.briefing import describe_indicator
from hqd.catalog import Catalog
from hqd.charts import indicator_figure
from hqd.explore import Filters
from hqd.formatting import (
    escape_markdown,
    format_change,
    format_score,
    format_share,
    format_unit,
    format_value,
    month_params,
    share_text,
    value_text,
)
from hqd.i18n import department_name, describe_error, name_column, projection_text, status_name, status_text, translator
from hqd.imports import rollback
from hqd.labels import DIRECTIONS, KEY_TASK_STATUSES, OUTCOMES, STATUSES
from hqd.policy import EXPORT_BULLETIN, authorize
from hqd.refusal import Refusal
from hqd.svg import sparkline, to_markup
from hqd.tables import (
    FULL_ROWS,
    SCROLL_HEIGHT,
    Column,
    fit_columns,
    lineage_table,
    problems_table,
    render_html_table,
    tint_style,
)
from hqd.ui import shell, state
from hqd.ui.data import SnapshotKey, annual_targets_bytes, data_of, get_engine, reopen, supervision_of, template_bytes
from hqd.ui.shell import programme_page, user_name
from hqd.views.bulletin import FORMATS as BULLETIN_FORMATS
from hqd.views.bulletin import bulletin_file_name, bulletin_label, export_bulletin, missing_for
from hqd.views.explorer import FilterChoices, explore_view, read_filter_link
from hqd.views.upload import (
    choose_template_department,
    list_departments,
    list_report_months,
    name_annual_targets,
    name_template,
)
from hqd.workbook import export_csv, export_xlsx

# st.badge has a fixed palette; the symbol in the label tells dark green from green.
BADGE_COLOURS = {
    "achieved": "green",
    "on_track": "green",
    "at_risk": "yellow",
    "lagging": "orange",
    "missed": "red",
    "regressing": "red",
    "insufficient_data": "gray",
    "no_data": "gray",
}


def status_badge(status: str, lang: str) -> None:
    """Render a status as a coloured badge with its symbol and name."""
    st.badge(status_text(status, lang), color=BADGE_COLOURS[status])


@dataclass(frozen=True)
class Tinted:
    """A table with a colour per row, painted only on the rows shown (by pandas' Styler for the grid, in the HTML of
    html_table): Streamlit refuses a Styler of more than 262,144 cells, and styling costs time per cell. The colour
    repeats what the row's text says (a status column carries its symbol), so a table is whole without it."""

    frame: pd.DataFrame
    colours: pd.Series  # per row, aligned with the frame by position
    column: str | None  # the column tinted, or None for whole rows
    alpha: str = "22"

    def style(self, start: int, stop: int):
        """Return the Styler of rows start:stop, tinted."""
        page = self.frame.iloc[start:stop]
        colours = self.colours.iloc[start:stop].to_numpy()
        cells = [tint_style(c, self.alpha, self.column is not None) for c in colours]
        if self.column is None:
            return page.style.apply(lambda _: cells)
        return page.style.apply(lambda _: cells, subset=[self.column])


def tint_status(frame: pd.DataFrame, column: str, statuses: pd.Series) -> Tinted:
    """Return a table that tints a column with each row's status colour."""
    return tint_column(frame, column, statuses.map(STATUSES["colour"]))


def tint_key_task_status(frame: pd.DataFrame, column: str, statuses: pd.Series):
    """Return a table that tints a column with each key task's status colour (done, on schedule, late, not started)."""
    return tint_column(frame, column, statuses.map(KEY_TASK_STATUSES["colour"]))


def key_task_metrics(view, lang: str, weight: float = 0.0) -> None:
    """Render a programme's key tasks done and late, beside its indicator score; inside it only with a weight (the
    setting key_tasks_in_score), which the help then names."""
    t = translator(lang)
    done, late, _ = st.columns([1.2, 1, 2])
    done.metric(
        t("keytask.completion"),
        t("keytask.completion_value", done=view.done, total=view.total),
        help=t("keytask.in_score_help", weight=format_share(weight)) if weight else t("keytask.completion_help"),
    )
    late.metric(t("keytask.late"), t("keytask.late_value", late=view.late))


def key_task_section(view, lang: str, sample: bool) -> None:
    """Render a programme's key tasks (a views.programme.KeyTaskView): the date judged at, the table tinted by
    status and the milestone timeline; or say it has none."""
    t = translator(lang)
    st.subheader(t("keytask.heading"))
    if not view.total:
        st.info(t("keytask.none"), icon=":material/checklist:")
        return
    st.caption(t("keytask.as_of", date=view.as_of.isoformat()))
    if sample:
        st.caption(t("keytask.sample"))
    show_table(
        tint_key_task_status(view.table, t("keytask.col_status"), view.statuses), view.columns, key="key_task_table"
    )
    st.plotly_chart(view.figure, config={"displaylogo": False}, key="key_task_timeline")


def tint_outcome(frame: pd.DataFrame, column: str, outcomes: pd.Series):
    """Return a table that tints a column with each row's final assessment outcome colour (met, not met, no data)."""
    return tint_column(frame, column, outcomes.map(OUTCOMES["colour"]))


def tint_column(frame: pd.DataFrame, column: str, colours: pd.Series) -> Tinted:
    """Return a table that tints a column with a colour per row."""
    return Tinted(frame, pd.Series(colours).reset_index(drop=True), column)


def arrow(change) -> str:
    """Return a metric's arrow for a change: Streamlit reads the sign of its text, and ours is a true minus (−)."""
    if pd.isna(change) or round(change, 1) == 0:
        return "off"
    return "up" if change > 0 else "down"


def score_metrics(row: pd.Series, lang: str, label: str) -> None:
    """Render score, expected score, status and change since last year side by side."""
    t = translator(lang)
    score, expected, status, coverage = st.columns([1.2, 1, 1, 1])
    score.metric(
        label,
        format_score(row["score"]),
        delta=format_change(row["score_change"]) if pd.notna(row["score_change"]) else None,
        delta_arrow=arrow(row["score_change"]),
        help=t("overview.score_help"),
        delta_description=t("overview.change"),
    )
    expected.metric(t("overview.expected"), format_score(row["expected_score"]))
    with status:
        st.caption(t("overview.status"))
        status_badge(row["status"], lang)
    coverage.metric(t("overview.coverage"), format_share(row["coverage"]))


def programme_card(card: pd.Series, page: st.Page, lang: str, in_year: bool = False) -> None:
    """Render one programme's card: its name as the link to its page, the score in its status colour and symbol,
    the change since last year (within a year: the gap to 序时进度), and the scores so far as a sparkline."""
    t = translator(lang)
    change, expected = (
        ("inyear.gap_label", "inyear.card_expected") if in_year else ("overview.change", "overview.card_expected")
    )
    status = card["status"] if pd.notna(card["status"]) else "no_data"
    colour = BADGE_COLOURS[status]
    symbol = STATUSES.loc[status, "symbol"]
    history = [0 if pd.isna(s) else round(s, 1) for s in card["history"]] if isinstance(card["history"], list) else None
    with st.container(border=True, gap="small"):
        st.page_link(page, label=f"**{escape_markdown(card[name_column(lang)])}**", icon=":material/arrow_forward:")
        st.metric(
            f":{colour}[{escape_markdown(status_name(status, lang))}]",
            f":{colour}[{symbol} {format_score(card['score'])}]",
            delta=format_change(card["score_change"]) if pd.notna(card["score_change"]) else None,
            delta_arrow=arrow(card["score_change"]),
            delta_color=colour,
            delta_description=t(change) + " · " + t(expected, score=format_score(card["expected_score"])),
        )
        if history:
            # Drawn here, not by st.metric's chart_data: that sparkline makes a new visitor's browser load Vega.
            scores = " → ".join(format_score(score) for score in history)
            hover = t("card.history_month" if in_year else "card.history_year", scores=scores)
            st.markdown(to_markup(sparkline(history, STATUSES.loc[status, "colour"], hover)), unsafe_allow_html=True)


def programme_grid(cards: pd.DataFrame, catalog: Catalog, lang: str, in_year: bool = False) -> None:
    """Render the programmes' cards three to a row, each linking to its programme's page."""
    programmes = catalog.programmes.set_index("code")
    for start in range(0, len(cards), 3):
        for column, (_, card) in zip(st.columns(3), cards.iloc[start : start + 3].iterrows(), strict=False):
            with column:
                programme_card(card, programme_page(programmes.loc[card["programme"]], lang), lang, in_year)


def svg_chart(chart: Element, key: str) -> None:
    """Render a chart drawn by hqd.svg as wide as its column, in a container keyed `key` (st-key-KEY in the browser,
    get_by_key in AppTest).

    Markdown, not st.html: st.html's sanitizer keeps HTML only, and drops SVG. to_markup has escaped every text.
    """
    with st.container(key=key):
        st.markdown(to_markup(chart), unsafe_allow_html=True)


def describe(indicator, lang: str) -> None:
    """Render what an indicator is (definition, formula, source, how reported) in a closed box."""
    about = describe_indicator(indicator, lang)
    if about:
        with st.expander(translator(lang)("meta.title")):
            for line in about:
                st.markdown(escape_markdown(line))


def summary_box(sentences: list[str], final: str | None, lang: str) -> None:
    """Render the written summary in a box, with the link to a finished period's final assessment when there is one."""
    with st.container(border=True):
        st.markdown(f"**{translator(lang)('overview.summary')}**")
        st.markdown("\n".join(f"- {escape_markdown(sentence)}" for sentence in sentences))
        if final:
            st.page_link(shell.page("assessment", lang), label=escape_markdown(final), icon=":material/task_alt:")


def in_year_metrics(row: pd.Series, lang: str) -> None:
    """Render done so far, due by now, the gap and the status of a year under way side by side."""
    t = translator(lang)
    score, due, gap, status = st.columns([1.2, 1, 1, 1])
    score.metric(t("inyear.score"), format_score(row["score"]))
    due.metric(t("inyear.expected"), format_score(row["expected_score"]))
    gap.metric(t("inyear.gap"), format_change(row["gap_points"]))
    with status:
        st.caption(t("overview.status"))
        status_badge(row["status"], lang)


def indicator_detail(history: pd.DataFrame, year: int, lang: str, lineage: pd.DataFrame | None = None) -> None:
    """Render one indicator's chart, definition, needed change, projection and the lineage of its values."""
    t = translator(lang)
    row = history[history["year"] == year].iloc[0]
    name = row[name_column(lang)] or row["name_zh"]
    st.plotly_chart(indicator_figure(history, year, name, lang), config={"displaylogo": False})
    unit = row["unit"]
    st.caption(
        escape_markdown(
            t("detail.weight", weight=f"{row['weight']:g}")
            + " · "
            + t(
                "detail.definition",
                unit=format_unit(unit, lang) or "—",
                direction=DIRECTIONS.loc[row["direction"], "zh" if lang == "zh" else "en"],
                department=department_name(row["department"], lang) or "—",
                base_year=row["base_year"],
                base=format_value(row["base_value"], unit, lang),
                target_year=row["target_year"],
                target=format_value(row["target_value"], unit, lang),
            )
        )
    )
    describe(row, lang)
    if pd.notna(row["attainment"]):
        standing = t(
            "detail.standing",
            year=year,
            attainment=share_text(row["attainment"]),
            completion=share_text(row["completion"]),
        )
        st.markdown(escape_markdown(standing))
    if pd.notna(row["needed_change"]):
        # 今后每年需增加（减少）: the word carries the sign, so the amount is shown without one.
        key = "detail.needed_down" if row["needed_change"] < 0 else "detail.needed"
        st.markdown(escape_markdown(t(key, change=value_text(abs(row["needed_change"]), unit, lang))))
    if row["projection"]:
        st.markdown(
            escape_markdown(
                t(
                    "detail.projected",
                    year=row["target_year"],
                    value=format_value(row["projected_value"], unit, lang),
                    outcome=projection_text(row["projection"], lang),
                    confidence=t("detail.low_confidence") if row["confidence"] == "low" else "",
                )
            )
        )

    if lineage is not None:
        st.markdown(f"**{t('lineage.title')}**")
        if lineage.empty:
            st.caption(t("lineage.empty"))
        else:
            show_table(lineage_table(lineage, unit, lang))


def follow_selection(event, codes: pd.Series, start: int = 0) -> None:
    """Point the indicator picker at the row just selected in the table (once per new selection); `start` is the
    first row of the table's page shown (page_start)."""
    rows = event.selection.rows if event is not None else []
    picked = codes.iloc[start + rows[0]] if rows else None
    if picked is not None and st.session_state.get(state.PICKED_ROW) != picked:
        st.session_state[state.INDICATOR] = picked
    st.session_state[state.PICKED_ROW] = picked


def tint_rows(frame: pd.DataFrame, colour: str) -> Tinted:
    """Return a table that tints every row (errors red, warnings amber)."""
    return Tinted(frame, pd.Series([colour] * len(frame)), None, "18")


def audit_once(key: str, identity, action: str, summary: dict, file_name: str) -> None:
    """Record an action in the audit log once per session and key (a preview reruns many times)."""
    done = st.session_state.setdefault(state.AUDITED, set())
    if key in done or identity is None:
        return
    done.add(key)
    detail = {"code": "audit.previewed", **summary}
    store.append_audit(
        get_engine(), identity.username or identity.name, identity.role, action, detail, file_name=file_name
    )


def explorer_filters(choices: FilterChoices, lang: str) -> Filters:
    """Render the explorer's filters (each kept in the URL) with a reset button; return what they select."""
    t = translator(lang)
    # Every filter and its default, so that "reset" and the URL agree on what "nothing chosen" is.
    defaults = {
        state.FILTER_PROGRAMME: [],
        state.FILTER_TASK: [],
        state.FILTER_DEPARTMENT: [],
        state.FILTER_STATUS: [],
        state.FILTER_TEXT: "",
        state.FILTER_YEARS: choices.default_years,
    }
    # Kept in the URL by hand, as codes: a bound widget would keep the names shown, and a link
    # would then open in one language only. Links holding names (made before) still open.
    linked = {
        state.FILTER_PROGRAMME: "programmes",
        state.FILTER_TASK: "tasks",
        state.FILTER_DEPARTMENT: "departments",
        state.FILTER_STATUS: "statuses",
    }
    for key, name in linked.items():
        shell.seed_from_url(key, lambda values, name=name: read_filter_link(choices, name, values))
    shown = {"placeholder": t("explorer.all")}
    with st.container(border=True):
        first, second, third, fourth = st.columns(4)
        programmes = first.multiselect(
            t("explorer.programmes"),
            list(choices.programmes.index),
            format_func=choices.programmes.get,
            key=state.FILTER_PROGRAMME,
            **shown,
        )
        tasks = second.multiselect(
            t("explorer.tasks"),
            # A link may name tasks of programmes it does not choose: the widget drops those.
            choices.task_options(programmes),
            format_func=choices.task_names.get,
            key=state.FILTER_TASK,
            **shown,
        )
        departments = third.multiselect(
            t("explorer.departments"),
            choices.departments,
            format_func=lambda d: department_name(d, lang),
            key=state.FILTER_DEPARTMENT,
            **shown,
        )
        statuses = fourth.multiselect(
            t("explorer.statuses"),
            choices.statuses,
            format_func=lambda s: status_name(s, lang),
            key=state.FILTER_STATUS,
            **shown,
        )
        for key, chosen in zip(linked, (programmes, tasks, departments, statuses), strict=True):
            shell.keep_in_url(key, chosen)
        search, span, button = st.columns([2, 2, 1], vertical_alignment="bottom")
        text = search.text_input(t("explorer.search"), key=state.FILTER_TEXT, bind="query-params")
        year_from, year_to = span.select_slider(
            t("explorer.years"),
            options=choices.years,
            value=choices.default_years,
            key=state.FILTER_YEARS,
            bind="query-params",
        )
        # Put every filter back to its default (the URL follows).
        button.button(
            t("explorer.reset"), on_click=st.session_state.update, args=(defaults,), icon=":material/filter_alt_off:"
        )
    return Filters(year_from, year_to, programmes, tasks, departments, statuses, text)


def explorer_file(key: SnapshotKey, filters: Filters, lang: str, fmt: str) -> bytes:
    """Return the explorer's table of `filters` as CSV or Excel, made again from the snapshot `key` names."""
    catalog, observations, report, has_sample = reopen(key)
    view = explore_view(report, catalog, observations, filters, lang, has_sample, charts=False)
    if fmt == "csv":
        return export_csv(view.table, note=view.export_note)
    return export_xlsx(
        view.table,
        view.title,
        view.frame["status"],
        view.status_column,
        note=view.export_note,
        formats=view.export_formats,
    )


def export_buttons(key: SnapshotKey, filters: Filters, title: str, lang: str) -> None:
    """Render the explorer's CSV and Excel downloads; the files are made when a button is pressed.

    Each button holds only the snapshot's key and the filters (Streamlit keeps a download's function per session
    until the session ends): never the table, which at 50,000 indicators would be a copy per session.
    """
    t = translator(lang)
    left, right, _ = st.columns([1, 1, 3])
    left.download_button(
        t("explorer.export_csv"),
        partial(explorer_file, key, filters, lang, "csv"),
        file_name=f"{title}.csv",
        mime="text/csv",
        icon=":material/download:",
        key="export_csv",
        # No rerun on the click: a rerun racing the browser's fetch of the file could lose the download.
        on_click="ignore",
    )
    right.download_button(
        t("explorer.export_xlsx"),
        partial(explorer_file, key, filters, lang, "xlsx"),
        file_name=f"{title}.xlsx",
        icon=":material/download:",
        key="export_xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
    )


def column_config(columns: dict[str, Column]) -> dict:
    """Return Streamlit's column configuration of a table's columns as hqd.tables describes them."""
    kinds = {
        "text": st.column_config.TextColumn,
        "number": st.column_config.NumberColumn,
        "progress": st.column_config.ProgressColumn,
        "chart": st.column_config.LineChartColumn,
        "link": st.column_config.LinkColumn,
    }
    config = {}
    for name, column in columns.items():
        options = {"width": column.width, "pinned": column.pinned or None}
        if column.format and column.kind in ("number", "progress"):
            options["format"] = column.format
        if column.kind == "progress":
            # Completion can fall below 0 or pass 100: the bar stops at its ends, the number says how far.
            options |= {"min_value": 0, "max_value": 100}
        if column.kind == "link":
            options["display_text"] = column.link_text
        config[name] = kinds[column.kind](name, **options)
    return config


def table_height(rows: int) -> int | str:
    """Return a table's height: every row of a short table; a long one scrolls inside FULL_ROWS rows."""
    return "content" if rows <= FULL_ROWS else SCROLL_HEIGHT


# The rows a table shows at once: more are paged, so that a table of any length is sent and styled a page at a
# time (50,000 indicators would be 20 MB of cells and over Streamlit's styling limit).
PAGE_ROWS = 500


def page_start(key: str) -> int:
    """Return the first row of a paged table's page shown (0 for a table that is not paged)."""
    return (st.session_state.get(f"{key}_page", 1) - 1) * PAGE_ROWS


def _table_key(frame: pd.DataFrame, options: dict) -> str:
    """Return the key naming a table's page picker: the table's own key, else one made from its columns."""
    return options.get("key") or f"table_{zlib.crc32('|'.join(map(str, frame.columns)).encode()):08x}"


def pick_page(key: str, rows: int) -> tuple[int, int]:
    """Render the page picker of a long table; return the rows (start, stop) of the page shown."""
    pages = -(-rows // PAGE_ROWS)
    picker = f"{key}_page"
    # Fewer pages than before (a narrower filter): back to the last one, before the widget reads its value.
    if st.session_state.get(picker, 1) > pages:
        st.session_state[picker] = pages
    t = translator(shell.language())
    left, right = st.columns([1, 4], vertical_alignment="bottom")
    page = left.number_input(t("table.page", pages=pages), min_value=1, max_value=pages, step=1, key=picker)
    start = (page - 1) * PAGE_ROWS
    stop = min(start + PAGE_ROWS, rows)
    right.caption(t("table.rows_shown", first=start + 1, last=stop, rows=rows))
    return start, stop


def show_table(table, columns: dict[str, Column] | None = None, rows: int | None = None, **options):
    """Render a table (a frame, or a Tinted one) with its columns fitted and its height sized to its rows.

    A table longer than PAGE_ROWS is shown a page at a time, with a page picker; only that page is tinted.
    """
    frame = table.frame if isinstance(table, Tinted) else table
    start, stop = 0, len(frame)
    if len(frame) > PAGE_ROWS:
        start, stop = pick_page(_table_key(frame, options), len(frame))
    shown = table.style(start, stop) if isinstance(table, Tinted) else frame.iloc[start:stop]
    return st.dataframe(
        shown,
        hide_index=True,
        placeholder="—",
        height=table_height(stop - start if rows is None else rows),
        column_config=column_config(columns if columns is not None else fit_columns(frame)),
        **options,
    )


def html_table(table: Tinted, key: str) -> None:
    """Render a tinted table of texts as HTML in a container keyed `key` (st-key-KEY in the browser, get_by_key in
    AppTest): no data grid, whose scripts (and Arrow's) a new visitor's browser would fetch and run first.

    A table longer than PAGE_ROWS is shown a page at a time, with a page picker; only that page is made into HTML.
    """
    start, stop = 0, len(table.frame)
    with st.container(key=key):
        if len(table.frame) > PAGE_ROWS:
            start, stop = pick_page(key, len(table.frame))
        colours = table.colours.iloc[start:stop].tolist()
        st.html(render_html_table(table.frame.iloc[start:stop], colours, table.column, table.alpha))


def table_or_note(table: pd.DataFrame, note: str, columns: dict[str, Column] | None = None) -> None:
    """Render a table, or a short note in its place when it has no rows."""
    if table.empty:
        st.caption(note)
    else:
        show_table(table, columns)


def committed_note(committed: dict | None, lang: str) -> None:
    """Render, once after a commit, what it stored and the ways on: the overview and the upload history."""
    if not committed:
        return
    t = translator(lang)
    st.success(t("upload.committed", **committed), icon=":material/task_alt:")
    left, right = st.columns(2)
    left.page_link(shell.page("overview", lang), label=t("upload.to_overview"), icon=":material/dashboard:")
    right.page_link(shell.page("history", lang), label=t("upload.to_history"), icon=":material/history:")


def upload_problems(result, catalog: Catalog, lang: str) -> None:
    """Render an upload's errors (red) and warnings (amber), each with its cell, indicator and year."""
    t = translator(lang)
    if len(result.errors):
        st.error(t("upload.has_errors", count=len(result.errors)), icon=":material/error:")
        errors = problems_table(result.errors, lang, catalog)
        show_table(tint_rows(errors, "#c62828"), key="upload_errors")
    else:
        st.success(t("upload.no_errors"), icon=":material/check_circle:")
    if len(result.warnings):
        st.warning(t("upload.has_warnings"), icon=":material/warning:")
        warnings = problems_table(result.warnings, lang, catalog)
        show_table(tint_rows(warnings, "#f9a825"), key="upload_warnings")


def metric_row(metrics: list[tuple[str, str]]) -> None:
    """Render (label, value) pairs side by side, one column each."""
    for column, (label, value) in zip(st.columns(len(metrics)), metrics, strict=True):
        column.metric(label, value)


def template_download(catalog: Catalog, version: tuple[int, ...], lang: str, departments: tuple[str, ...] = ()) -> None:
    """Render step one of the upload: pick a department, download its fill-in template with the current values.

    The department starts at the signed-in editor's (their first); everyone's for the other roles.
    """
    t = translator(lang)
    with st.container(border=True):
        st.subheader(t("upload.step_template"))
        left, right = st.columns(2)
        choices = [None, *list_departments(catalog)]
        department = left.selectbox(
            t("upload.department"),
            choices,
            index=choose_template_department(choices, departments),
            format_func=lambda d: department_name(d, lang) if d else t("upload.all_departments"),
            key="template_department",
        )
        # A month's template lists the indicators due that month; without one, every year's columns.
        month = right.selectbox(
            t("upload.template_period"),
            [None, *list_report_months(date.today())],
            format_func=lambda m: t("inyear.as_of", year=m[0], **month_params(m[1])) if m else t("upload.years"),
            key="template_month",
        )
        # Written when pressed (0.6 s for the sample), not on each first view of the page after a commit.
        st.download_button(
            t("upload.download"),
            partial(template_bytes, version, department, month),
            icon=":material/download:",
            file_name=name_template(department, month),
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            help=t("upload.template_help"),
        )


def annual_targets_download(catalog: Catalog, version: tuple[int, ...], lang: str) -> None:
    """Offer an admin the annual-targets workbook: filled in and uploaded as a catalog revision, it sets them."""
    t = translator(lang)
    st.download_button(
        t("upload.annual_targets_download"),
        partial(annual_targets_bytes, version),
        key="annual_targets_download",
        icon=":material/flag:",
        file_name=name_annual_targets(catalog),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        help=t("upload.annual_targets_help"),
    )


def forget_rollback() -> None:
    """Close the rollback question (answered, or the dialog dismissed)."""
    st.session_state.pop(state.CONFIRM_ROLLBACK, None)


def confirm_rollback(upload_id: int, question: str, identity, lang: str) -> None:
    """Ask in a dialog before rolling an upload back; the rollback itself is one transaction.

    Opened on every run while state.CONFIRM_ROLLBACK names the upload: the answer comes on a later run.
    """
    t = translator(lang)

    @st.dialog(t("history.confirm_title"), on_dismiss=forget_rollback)
    def ask() -> None:
        st.markdown(escape_markdown(question))
        # Recorded as the commit records it: the signed-in user, or in single-user mode a name typed here.
        user = user_name(lang)
        if not user:
            st.caption(t("history.why_name"))
        yes, no = st.columns(2)
        if yes.button(t("history.confirm_button"), type="primary", key="confirm_rollback", disabled=not user):
            forget_rollback()
            try:
                rollback(get_engine(), upload_id, user, identity)
            except Refusal as refusal:
                st.error(escape_markdown(describe_error(refusal, lang)), icon=":material/error:")
                return
            st.session_state[state.ROLLED_BACK] = upload_id
            st.rerun()
        if no.button(t("history.cancel"), key="cancel_rollback"):
            forget_rollback()
            st.rerun()

    ask()


def bulletin_file(identity, key: SnapshotKey, year: int, month: int, fmt: str, lang: str) -> bytes:
    """Return the bulletin's file in a format, made from the snapshot `key` names."""
    catalog, observations, has_sample = data_of(key)
    return export_bulletin(
        identity,
        catalog,
        observations,
        key.period,
        year,
        month,
        fmt,
        sample=has_sample,
        lang=lang,
        supervision=supervision_of(key),
    ).data


def bulletin_buttons(data, identity, year: int, month: int, lang: str) -> None:
    """Render the bulletin's downloads, Word, PDF and HTML, for editors and above; each file is made when its
    button is pressed. A format this machine cannot make says which package to install instead."""
    if not authorize(identity, EXPORT_BULLETIN):
        return
    t = translator(lang)
    st.subheader(t("bulletin.heading_app"))
    help_text = t("bulletin.download_help", period=bulletin_label(year, month, lang))
    for column, fmt in zip(st.columns(len(BULLETIN_FORMATS)), BULLETIN_FORMATS, strict=True):
        missing = missing_for(fmt)
        if missing is not None:
            column.info(describe_error(missing, lang), icon=":material/extension_off:")
            continue
        column.download_button(
            t(f"bulletin.download_{fmt}"),
            # The snapshot's key, not its data: Streamlit keeps this function per session until the session ends.
            partial(bulletin_file, identity, data.key, year, month, fmt, lang),
            file_name=bulletin_file_name(year, month, fmt, lang),
            mime=BULLETIN_FORMATS[fmt][1],
            icon=":material/description:",
            help=help_text,
            key=f"bulletin_{fmt}",
            # No rerun on the click: a rerun racing the browser's fetch of the file could lose the download.
            on_click="ignore",
        )


def department_picker(known: list[str], lang: str, key: str) -> list[str]:
    """Show a choice of the zone's departments (an account's or an identity's), named in the reader's language."""
    t = translator(lang)
    return st.multiselect(
        t("accounts.departments"),
        known,
        format_func=lambda d: department_name(d, lang),
        help=t("accounts.departments_help"),
        key=key,
    )
