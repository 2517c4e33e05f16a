"""单位考评: per 责任单位, its indicators' mean score and statuses, explanations and milestones on time, open
instructions; ranked. An editor sees their own departments, everyone else all."""

import streamlit as st

from hqd.policy import VIEW
from hqd.ui import widgets
from hqd.ui.context import page_context
from hqd.views.departments import scorecard_view
from hqd.views.supervision import collect_supervision

page = page_context(VIEW)
data, lang, t, year = page.data, page.lang, page.t, page.year
under_way = data.in_year(year)
month, report = under_way if under_way is not None else (12, data.report)
found = collect_supervision(report, data.catalog, data.supervision, year, month, page.identity)
view = scorecard_view(found, data.catalog, lang)

st.title(t("departments.title"))
st.subheader(view.heading)
st.caption(view.intro)
if view.table.empty:
    st.info(t("departments.none"), icon=":material/domain_disabled:")
    st.stop()
widgets.show_table(view.table, view.columns, key="scorecard_table")
if view.figure is not None:
    st.plotly_chart(view.figure, config={"displaylogo": False}, key="scorecard_chart")
