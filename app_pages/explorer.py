"""Explorer: filter indicators (kept in the URL), read their standing, chart them, export them."""

import streamlit as st

from hqd.explore import CHART_ROWS
from hqd.policy import EXPLORE, EXPORT, authorize
from hqd.ui import shell, widgets
from hqd.ui.context import page_context
from hqd.ui.data import explorer_in_year_of, explorer_moves, explorer_view, lineage_of
from hqd.views.explorer import list_filter_choices, select_history

page = page_context(EXPLORE)
data, lang, t = page.data, page.lang, page.t
choices = list_filter_choices(data.catalog, data.default_year, lang, data.period)

st.title(t("explorer.title"))
st.caption(t("explorer.intro"))
filters = widgets.explorer_filters(choices, lang)
under_way = data.in_year(filters.year_to)
if under_way is not None:
    # A year under way first, judged at a month of it (kept in the URL as ?month=10).
    latest, _ = under_way
    month = shell.month_picker(filters.year_to, latest, lang)
    in_year = explorer_in_year_of(data.key, filters, latest, month, lang)
    st.subheader(t("explorer.in_year", heading=in_year.heading))
    if in_year.rows.empty:
        st.info(t("explorer.none"), icon=":material/filter_alt:")
    else:
        widgets.show_table(
            widgets.tint_status(in_year.table, t("col.status"), in_year.rows["status"]),
            in_year.columns,
            key="explorer_in_year_table",
        )
    st.subheader(t("explorer.by_year"))
view = explorer_view(data.key, filters, lang)
st.markdown(view.headline)
if view.frame.empty:
    st.info(t("explorer.none"), icon=":material/filter_alt:")
    st.stop()

widgets.show_table(
    widgets.tint_status(view.table, view.status_column, view.frame["status"]), view.columns, key="explorer_table"
)
# Exporting is an action of its own in the policy, though today every role reaching this page has it.
if authorize(page.identity, EXPORT):
    widgets.export_buttons(data.key, filters, view.title, lang)

st.subheader(t("explorer.charts"))
if view.charts_cut:
    st.caption(t("explorer.chart_limit", rows=CHART_ROWS))
heat, compare, scatter = st.tabs([t("explorer.heatmap"), t("explorer.compare"), t("explorer.scatter")])
heat.plotly_chart(view.heatmap, config={"displaylogo": False})
with compare:
    a, b = st.columns(2)
    years = choices.years
    first_year = a.selectbox(t("explorer.first_year"), years, index=years.index(filters.year_from), key="compare_a")
    second_year = b.selectbox(t("explorer.second_year"), years, index=years.index(filters.year_to), key="compare_b")
    moves = explorer_moves(data.key, filters, first_year, second_year, lang)
    if moves is None:
        st.caption(t("chart.no_data"))
    else:
        st.plotly_chart(moves, config={"displaylogo": False})
scatter.plotly_chart(view.pace, config={"displaylogo": False})

chosen = shell.indicator_picker(t("explorer.pick"), view.names, lang, placeholder=t("programme.pick_placeholder"))
if chosen:
    lineage = lineage_of(data.version, chosen)
    widgets.indicator_detail(select_history(data.report, chosen), filters.year_to, lang, lineage)
