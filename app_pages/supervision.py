"""督办: per department, what needs an answer at the reporting period — indicators behind without explanation,
milestones past their date, open instructions — each linked to its page; the 督办单 to download."""

import streamlit as st

from hqd.formatting import escape_markdown
from hqd.policy import VIEW
from hqd.ui import supervision
from hqd.ui.context import page_context
from hqd.views.supervision import collect_supervision, supervision_view

page = page_context(VIEW)
data, lang, t, year = page.data, page.lang, page.t, page.year
under_way = data.in_year(year)
month, report = under_way if under_way is not None else (12, data.report)
found = collect_supervision(report, data.catalog, data.supervision, year, month, page.identity)

st.title(t("supervise.title"))
if not found.departments:
    st.info(t("supervise.no_departments"), icon=":material/domain_disabled:")
    st.stop()
departments, kinds = supervision.supervision_filters(found.departments, lang)
view = supervision_view(found, data.catalog, lang, departments, kinds, sample=data.has_sample)
st.subheader(view.heading)
st.caption(escape_markdown(view.rules))
if data.has_sample:
    st.caption(t("supervise.sample"))
supervision.supervision_overview(view, lang)
supervision.supervision_sections(view)
