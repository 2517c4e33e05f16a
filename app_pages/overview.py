"""Overview: where the plan and each programme stand in a year (or, in a year under way, against 序时进度)."""

import streamlit as st

from hqd.formatting import escape_markdown
from hqd.policy import VIEW
from hqd.ui import widgets
from hqd.ui.context import page_context
from hqd.ui.data import in_year_overview_of, overview_of
from hqd.views.assessment import assessment_link
from hqd.views.overview import find_standing
from hqd.views.supervision import local_today

page = page_context(VIEW)
data, lang, t, year = page.data, page.lang, page.t, page.year

st.title(t("app.title"))
# A finished period's final assessment, one click away.
final = assessment_link(data.catalog, data.observations, lang)
under_way = data.in_year(year)
if under_way is not None:
    month, _ = under_way
    view = in_year_overview_of(data.key, year, month, lang, local_today())
    st.subheader(view.heading)
    widgets.programme_grid(view.cards, data.catalog, lang, in_year=True)
    widgets.in_year_metrics(view.standing, lang)
    widgets.summary_box(view.sentences, final, lang)
    st.subheader(t("overview.charts"))
    widgets.svg_chart(view.scores, "overview_scores")
    if view.months is not None:
        widgets.svg_chart(view.months, "overview_months")
    st.subheader(t("inyear.attention"))
    if view.attention.empty:
        st.success(t("inyear.attention_none"))
    else:
        table = widgets.tint_status(view.attention_table, t("col.status"), view.attention["status"])
        widgets.html_table(table, "overview_attention")
    st.caption(escape_markdown(t("inyear.yearly_note", count=view.yearly) + " · " + view.updated))
    widgets.bulletin_buttons(data, page.identity, year, month, lang)
    st.stop()

standing = find_standing(data.report, year)
if standing is None:
    st.info(t("empty.year", year=year), icon=":material/event_busy:")
    st.stop()
view = overview_of(data.key, year, lang, local_today())

# The six programmes' standing first: a leader sees it without scrolling, the plan's figures and summary after.
widgets.programme_grid(view.cards, data.catalog, lang)
st.subheader(t("overview.heading", year=year))
widgets.score_metrics(standing, lang, t("overview.score"))
widgets.summary_box(view.sentences, final, lang)

st.subheader(t("overview.charts"))
left, right = st.columns(2)
with left:
    widgets.svg_chart(view.scores, "overview_scores")
with right:
    widgets.svg_chart(view.status_split, "overview_status_split")

st.subheader(t("overview.attention"))
if view.attention.empty:
    st.success(t("overview.attention_none"))
else:
    table = widgets.tint_status(view.attention_table, t("col.status"), view.attention["status"])
    widgets.html_table(table, "overview_attention")
st.caption(escape_markdown(view.updated))
widgets.bulletin_buttons(data, page.identity, year, 12, lang)
