"""Overview: where the plan and each programme stand in a year, what is behind, what changed."""

import streamlit as st

from hqd.briefing import latest_upload, list_attention, programme_cards, summarise_year
from hqd.charts import score_figure, status_split_figure
from hqd.formatting import escape_markdown, format_time
from hqd.i18n import name_column, translator
from hqd.tables import attention_table, with_programme_names
from hqd.ui import shell, widgets
from hqd.ui.data import Snapshot

data = Snapshot()
lang, year = shell.language(), shell.selected_year(data)
t = translator(lang)
report, catalog = data.report, data.catalog

st.title(t("app.title"))
st.subheader(t("overview.heading", year=year))
overall = report.overall[report.overall["year"] == year]
if overall.empty or overall["status"].iloc[0] == "no_data":
    st.info(t("empty.year", year=year), icon=":material/event_busy:")
    st.stop()
widgets.score_metrics(overall.iloc[0], lang, t("overview.score"))

with st.container(border=True):
    st.markdown(f"**{t('overview.summary')}**")
    sentences = summarise_year(report, catalog, year, lang)
    st.markdown("\n".join(f"- {escape_markdown(sentence)}" for sentence in sentences))

st.subheader(t("overview.programmes"))
cards = programme_cards(report, catalog, year)
programmes = catalog.programmes.set_index("code")
for start in range(0, len(cards), 3):
    for column, (_, card) in zip(st.columns(3), cards.iloc[start : start + 3].iterrows(), strict=False):
        with column:
            widgets.programme_card(card, shell.programme_page(programmes.loc[card["programme"]], lang), lang)

st.subheader(t("overview.charts"))
left, right = st.columns(2)
left.plotly_chart(score_figure(cards, name_column(lang), t("chart.scores"), lang), config={"displaylogo": False})
indicators = with_programme_names(report.indicators[report.indicators["year"] == year], catalog, lang)
right.plotly_chart(
    status_split_figure(indicators, "programme_name", t("chart.status_split"), lang), config={"displaylogo": False}
)

st.subheader(t("overview.attention"))
attention = list_attention(report, catalog, year)
if attention.empty:
    st.success(t("overview.attention_none"))
else:
    table = attention_table(attention, catalog, lang)
    st.dataframe(widgets.tint_status(table, t("col.status"), attention["status"]), hide_index=True, placeholder="—")

upload = latest_upload(data.uploads)
st.caption(
    escape_markdown(
        t(
            "overview.updated",
            time=format_time(upload["created_at"]),
            id=upload["id"],
            file=upload["file_name"],
            user=upload["user_name"],
        )
        if upload is not None
        else t("overview.no_upload")
    )
)
