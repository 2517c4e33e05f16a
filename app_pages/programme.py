"""One programme: the plan's goal, its tasks, its indicators and each indicator's detail."""

import streamlit as st

from hqd.formatting import escape_markdown
from hqd.i18n import name_column
from hqd.policy import VIEW
from hqd.ui import shell, widgets
from hqd.ui.context import page_context
from hqd.ui.data import lineage_of
from hqd.views.programme import find_programme, find_programme_standing, programme_view

page = page_context(VIEW)
data, lang, t, year = page.data, page.lang, page.t, page.year
programme = find_programme(data.catalog, shell.current_programme())
code = programme.name

st.title(escape_markdown(programme[name_column(lang)]))
if programme["goal_zh"]:
    st.markdown(f"**{t('programme.goal')}:** {escape_markdown(programme['goal_zh'])}")
if programme["description_zh"]:
    st.caption(escape_markdown(programme["description_zh"]))

standing = find_programme_standing(data.report, code, year)
if standing is None:
    st.info(t("empty.programme", year=year), icon=":material/event_busy:")
    st.stop()
widgets.score_metrics(standing, lang, t("overview.score"))
view = programme_view(data.report, data.catalog, code, year, lang)
st.plotly_chart(view.tasks, config={"displaylogo": False})

st.subheader(t("programme.indicators"))
event = widgets.show_table(
    widgets.tint_status(view.table, t("col.status"), view.rows["status"]),
    view.columns,
    on_select="rerun",
    selection_mode="single-row",
    key="indicator_table",
)
widgets.follow_selection(event, view.rows["code"])
chosen = shell.indicator_picker(
    t("programme.pick"), view.names, lang, help=t("programme.pick_help"), placeholder=t("programme.pick_placeholder")
)
if chosen:
    widgets.indicator_detail(view.history_of(chosen), year, lang, lineage_of(data.version, chosen))
