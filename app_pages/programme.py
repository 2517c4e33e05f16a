"""One programme: the plan's goal, its tasks, its indicators and each indicator's detail (in a year under way,
against 序时进度)."""

import streamlit as st

from hqd.formatting import escape_markdown
from hqd.i18n import name_column
from hqd.policy import VIEW
from hqd.ui import leadership, reporting, shell, widgets
from hqd.ui.context import page_context
from hqd.ui.data import key_tasks_of, lineage_of, programme_in_year_of, programme_of
from hqd.views.programme import find_programme, find_programme_standing, in_year_detail, reporting_date
from hqd.views.supervision import local_today

page = page_context(VIEW)
data, lang, t, year = page.data, page.lang, page.t, page.year
programme = find_programme(data.catalog, shell.current_programme())
code = programme.name

st.title(escape_markdown(programme[name_column(lang)]))
if programme["goal_zh"]:
    st.markdown(f"**{t('programme.goal')}:** {escape_markdown(programme['goal_zh'])}")
if programme["description_zh"]:
    st.caption(escape_markdown(programme["description_zh"]))

under_way = data.in_year(year)
if under_way is not None:
    month, _ = under_way
    view = programme_in_year_of(data.key, code, year, month, lang, local_today())
    if view is None:
        st.info(t("inyear.programme_none", year=year), icon=":material/event_upcoming:")
        st.stop()
    st.subheader(view.heading)
    widgets.in_year_metrics(view.standing, lang)
else:
    standing = find_programme_standing(data.report, code, year)
    if standing is None:
        st.info(t("empty.programme", year=year), icon=":material/event_busy:")
        st.stop()
    widgets.score_metrics(standing, lang, t("overview.score"))
    view = programme_of(data.key, code, year, lang, local_today())
reported = month if under_way is not None else 12
as_of = reporting_date(year, month if under_way is not None else None)
key_tasks = key_tasks_of(data.key, code, as_of, lang)
if key_tasks.total:
    widgets.key_task_metrics(key_tasks, lang, data.counting.key_task_weight)
st.plotly_chart(view.tasks, config={"displaylogo": False})

st.subheader(t("programme.indicators"))
event = widgets.show_table(
    widgets.tint_status(view.table, t("col.status"), view.rows["status"]),
    view.columns,
    on_select="rerun",
    selection_mode="single-row",
    key="indicator_table",
)
widgets.follow_selection(event, view.rows["code"], widgets.page_start("indicator_table"))
chosen = shell.indicator_picker(
    t("programme.pick"), view.names, lang, help=t("programme.pick_help"), placeholder=t("programme.pick_placeholder")
)
by_code = view.rows.set_index("code")
if chosen and under_way is not None:
    detail = in_year_detail(data.catalog, data.observations, data.period, chosen, year, month, lang)
    st.plotly_chart(detail.figure, config={"displaylogo": False})
    st.markdown(escape_markdown(detail.standing))
    widgets.describe(by_code.loc[chosen].to_dict() | {"code": chosen}, lang)
elif chosen:
    widgets.indicator_detail(view.history_of(chosen), year, lang, lineage_of(data.version, chosen))
if chosen:
    reporting.explanation_panel(page, chosen, year, reported, by_code.at[chosen, "status"])
    leadership.indicator_directives(page, chosen, year, reported, view.rows)

widgets.key_task_section(key_tasks, lang, data.has_sample)
reporting.key_task_reports(page, code, year, reported)
leadership.programme_instructions(page, code)
