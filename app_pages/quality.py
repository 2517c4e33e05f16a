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

st.title(t("quality.title"))
st.caption(t("quality.intro", year=year))

st.subheader(t("quality.progress"))
widgets.show_table(quality.progress, quality.columns["progress"])

st.subheader(t("quality.missing", year=year))
if quality.missing.empty:
    st.success(t("quality.all_reported", year=year), icon=":material/check_circle:")
else:
    widgets.show_table(quality.missing, quality.columns["missing"])

for title, name in (
    (t("quality.stale", years=STALE_YEARS), "stale"),
    (t("quality.jumps"), "jumps"),
    (t("quality.targets"), "targets"),
):
    st.subheader(title)
    widgets.table_or_note(getattr(quality, name), t("quality.none"), quality.columns[name])
