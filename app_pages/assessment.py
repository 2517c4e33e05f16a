"""Final assessment: a finished plan period's indicators met or not, per programme and task."""

import streamlit as st

from hqd.formatting import escape_markdown
from hqd.policy import VIEW
from hqd.ui import widgets
from hqd.ui.context import page_context
from hqd.views.assessment import assessment_view

page = page_context(VIEW)
data, lang, t = page.data, page.lang, page.t

view = assessment_view(data.report, data.catalog, data.observations, lang)
if view is None:
    st.title(t("nav.assessment"))
    st.info(t("assessment.none"), icon=":material/event_busy:")
    st.stop()

st.title(escape_markdown(view.title))
st.caption(escape_markdown(view.scope))
for column, (label, value) in zip(st.columns(len(view.metrics)), view.metrics, strict=True):
    column.metric(label, value, help=t("assessment.share_help") if label == t("assessment.share_met") else None)
with st.container(border=True):
    st.markdown(f"**{t('assessment.summary')}**")
    st.markdown("\n".join(f"- {escape_markdown(sentence)}" for sentence in view.sentences))

st.subheader(t("assessment.programmes"))
widgets.show_table(view.programmes, view.programme_columns, key="assessment_programmes")
st.subheader(t("assessment.indicators"))
widgets.show_table(
    widgets.tint_outcome(view.indicators, t("col.outcome_final"), view.assessment.indicators["outcome"]),
    view.indicator_columns,
    key="assessment_indicators",
)
st.subheader(t("assessment.tasks"))
widgets.show_table(view.tasks, view.task_columns, key="assessment_tasks")
