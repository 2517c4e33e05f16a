"""Explorer: filter indicators (kept in the URL), read their standing, chart them, export them."""

import streamlit as st

from hqd.charts import compare_figure, heatmap_figure, pace_figure
from hqd.explore import (
    CHART_ROWS,
    Filters,
    compare_years,
    explorer_frame,
    filter_indicators,
    heatmap_frames,
    status_counts,
)
from hqd.i18n import name_column, status_name, status_text, translate, translator
from hqd.labels import STATUSES
from hqd.policy import EXPLORE, EXPORT, authorize
from hqd.tables import explorer_table
from hqd.ui import auth, shell, widgets
from hqd.ui.data import Snapshot, lineage_of
from hqd.workbook import export_csv, export_xlsx

data = Snapshot()
lang = shell.language()
t = translator(lang)
current = shell.identity()
auth.require(current, EXPLORE, lang)
report, catalog = data.report, data.catalog
years = catalog.years()
programmes = catalog.programmes.set_index("code")[name_column(lang)]
tasks = catalog.tasks.set_index("code")
statuses = [s for s in STATUSES.index if s != "insufficient_data"]
# Every filter and its default, so that "reset" and the URL agree on what "nothing chosen" is.
DEFAULTS = {
    "programme": [],
    "task": [],
    "department": [],
    "status": [],
    "q": "",
    "years": (years[0], data.default_year if data.default_year in years else years[-1]),
}


def reset() -> None:
    """Put every filter back to its default (the URL follows)."""
    for key, value in DEFAULTS.items():
        st.session_state[key] = value


st.title(t("explorer.title"))
st.caption(t("explorer.intro"))
with st.container(border=True):
    first, second, third, fourth = st.columns(4)
    chosen_programmes = first.multiselect(
        t("explorer.programmes"),
        list(programmes.index),
        format_func=programmes.get,
        key="programme",
        bind="query-params",
        placeholder=t("explorer.all"),
    )
    task_options = tasks[tasks["programme"].isin(chosen_programmes)] if chosen_programmes else tasks
    chosen_tasks = second.multiselect(
        t("explorer.tasks"),
        list(task_options.index),
        format_func=lambda c: tasks.at[c, name_column(lang)],
        key="task",
        bind="query-params",
        placeholder=t("explorer.all"),
    )
    departments = sorted(d for d in catalog.indicators["department"].unique() if d)
    chosen_departments = third.multiselect(
        t("explorer.departments"), departments, key="department", bind="query-params", placeholder=t("explorer.all")
    )
    chosen_statuses = fourth.multiselect(
        t("explorer.statuses"),
        statuses,
        format_func=lambda s: status_name(s, lang),
        key="status",
        bind="query-params",
        placeholder=t("explorer.all"),
    )
    search, span, button = st.columns([2, 2, 1], vertical_alignment="bottom")
    text = search.text_input(t("explorer.search"), key="q", bind="query-params")
    year_from, year_to = span.select_slider(
        t("explorer.years"), options=years, value=DEFAULTS["years"], key="years", bind="query-params"
    )
    button.button(t("explorer.reset"), on_click=reset, icon=":material/filter_alt_off:")

filters = Filters(year_from, year_to, chosen_programmes, chosen_tasks, chosen_departments, chosen_statuses, text)
rows = filter_indicators(report.indicators, filters)
frame = explorer_frame(rows, filters, data.observations)
counts = status_counts(rows, year_to)
st.markdown(
    f"**{t('explorer.count', count=len(frame))}** · "
    + " · ".join(f"{status_text(s, lang)} {n}" for s, n in counts.items())
)
if frame.empty:
    st.info(t("explorer.none"), icon=":material/filter_alt:")
    st.stop()

span_years = list(range(year_from, year_to + 1))
table = explorer_table(frame, catalog, span_years, lang)
status_column = t("col.status")
st.dataframe(
    widgets.tint_status(table, status_column, frame["status"]),
    hide_index=True,
    placeholder="—",
    column_config={
        **{str(y): st.column_config.NumberColumn(str(y), format="localized") for y in span_years},
        t("col.baseline"): st.column_config.NumberColumn(format="localized"),
        t("col.target"): st.column_config.NumberColumn(format="localized"),
        t("col.projected"): st.column_config.NumberColumn(format="localized"),
        t("col.completion"): st.column_config.NumberColumn(format="%.1f%%"),
    },
)
title = f"{t('explorer.title')} {year_from}–{year_to}"
sample_note = translate("export.sample", lang) if data.has_sample else ""
# Exporting is an action of its own in the policy, though today every role reaching this page has it.
if authorize(current, EXPORT):
    left, right, _ = st.columns([1, 1, 3])
    # The files are made when a button is pressed, not on every rerun of the page.
    left.download_button(
        t("explorer.export_csv"),
        lambda: export_csv(table),
        file_name=f"{title}.csv",
        mime="text/csv",
        icon=":material/download:",
        key="export_csv",
    )
    right.download_button(
        t("explorer.export_xlsx"),
        lambda: export_xlsx(table, title, frame["status"], status_column, note=sample_note),
        file_name=f"{title}.xlsx",
        icon=":material/download:",
        key="export_xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )

st.subheader(t("explorer.charts"))
names = frame.set_index("code")[name_column(lang)]
if len(frame) > CHART_ROWS:
    st.caption(t("explorer.chart_limit", rows=CHART_ROWS))
heat, compare, scatter = st.tabs([t("explorer.heatmap"), t("explorer.compare"), t("explorer.scatter")])
heat.plotly_chart(heatmap_figure(*heatmap_frames(rows, span_years), names, lang), config={"displaylogo": False})
with compare:
    a, b = st.columns(2)
    first_year = a.selectbox(t("explorer.first_year"), years, index=years.index(year_from), key="compare_a")
    second_year = b.selectbox(t("explorer.second_year"), years, index=years.index(year_to), key="compare_b")
    moves = compare_years(rows, first_year, second_year)
    if moves.empty:
        st.caption(t("chart.no_data"))
    else:
        st.plotly_chart(compare_figure(moves, names, first_year, second_year, lang), config={"displaylogo": False})
scatter.plotly_chart(pace_figure(rows[rows["year"] == year_to], lang), config={"displaylogo": False})

chosen = shell.indicator_picker(t("explorer.pick"), names, lang, placeholder=t("programme.pick_placeholder"))
if chosen:
    history = report.indicators[report.indicators["code"] == chosen]
    widgets.indicator_detail(history, year_to, lang, lineage_of(data.version, chosen))
