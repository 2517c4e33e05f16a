"""One programme: the plan's goal, its tasks, its indicators and each indicator's detail."""

import streamlit as st

from hqd.charts import score_figure
from hqd.formatting import escape_markdown
from hqd.i18n import name_column, translator
from hqd.tables import indicator_table, with_task_names
from hqd.ui import shell, widgets
from hqd.ui.data import Snapshot, lineage_of

data = Snapshot()
lang, year = shell.language(), shell.selected_year(data)
t = translator(lang)
report, catalog = data.report, data.catalog
code = shell.current_programme() or catalog.programmes["code"].iloc[0]
programme = catalog.programmes.set_index("code").loc[code]

st.title(escape_markdown(programme[name_column(lang)]))
if programme["goal_zh"]:
    st.markdown(f"**{t('programme.goal')}:** {escape_markdown(programme['goal_zh'])}")
if programme["description_zh"]:
    st.caption(escape_markdown(programme["description_zh"]))

this_year = report.programmes[(report.programmes["programme"] == code) & (report.programmes["year"] == year)]
if this_year.empty or this_year["status"].iloc[0] == "no_data":
    st.info(t("empty.programme", year=year), icon=":material/event_busy:")
    st.stop()
widgets.score_metrics(this_year.iloc[0], lang, t("overview.score"))

tasks = with_task_names(
    report.tasks[(report.tasks["programme"] == code) & (report.tasks["year"] == year)], catalog, lang
)
st.plotly_chart(score_figure(tasks, "task_name", t("chart.tasks"), lang), config={"displaylogo": False})

st.subheader(t("programme.indicators"))
history = report.indicators[report.indicators["programme"] == code]
rows = history[history["year"] == year].reset_index(drop=True)
table = indicator_table(rows, history[history["year"] <= year], lang)
event = st.dataframe(
    widgets.tint_status(table, t("col.status"), rows["status"]),
    hide_index=True,
    placeholder="—",
    on_select="rerun",
    selection_mode="single-row",
    key="indicator_table",
    column_config={
        t("col.completion"): st.column_config.ProgressColumn(
            t("col.completion"), min_value=0, max_value=100, format="%.0f%%"
        ),
        t("col.trend"): st.column_config.LineChartColumn(t("col.trend")),
    },
)
widgets.follow_selection(event, rows["code"])
names = rows.set_index("code")[name_column(lang)]
chosen = shell.indicator_picker(
    t("programme.pick"), names, lang, help=t("programme.pick_help"), placeholder=t("programme.pick_placeholder")
)
if chosen:
    widgets.indicator_detail(history[history["code"] == chosen], year, lang, lineage_of(data.version, chosen))
