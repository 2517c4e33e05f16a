"""Data quality: who still owes figures for the year, and which figures deserve a second look."""

import streamlit as st

from hqd.policy import EXPLORE
from hqd.settings import STALE_YEARS
from hqd.ui import widgets
from hqd.ui.context import page_context
from hqd.views.quality import check_quality

page = page_context(EXPLORE)
data, lang, t, year = page.data, page.lang, page.t, page.year
quality = check_quality(data.report, data.catalog, data.observations, year, lang)
LINKS = {t("col.open"): st.column_config.LinkColumn(t("col.open"), display_text=t("col.open"))}

st.title(t("quality.title"))
st.caption(t("quality.intro", year=year))

st.subheader(t("quality.progress"))
st.dataframe(
    quality.progress,
    hide_index=True,
    placeholder="—",
    column_config={t("col.share"): st.column_config.ProgressColumn(min_value=0, max_value=100, format="%.0f%%")},
)

st.subheader(t("quality.missing", year=year))
if quality.missing.empty:
    st.success(t("quality.all_reported", year=year), icon=":material/check_circle:")
else:
    st.dataframe(quality.missing, hide_index=True, placeholder="—", column_config=LINKS)

for title, table in (
    (t("quality.stale", years=STALE_YEARS), quality.stale),
    (t("quality.jumps"), quality.jumps),
    (t("quality.targets"), quality.targets),
):
    st.subheader(title)
    widgets.table_or_note(table, t("quality.none"), column_config=LINKS)
