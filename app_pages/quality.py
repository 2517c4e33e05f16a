"""Data quality: who still owes figures for the year, and which figures deserve a second look."""

import streamlit as st

from hqd.i18n import translator
from hqd.policy import EXPLORE
from hqd.quality import find_jumps, missing_targets, missing_values, reporting_progress, stale_values
from hqd.settings import STALE_YEARS
from hqd.tables import progress_table, quality_table
from hqd.ui import auth, shell
from hqd.ui.data import Snapshot

data = Snapshot()
lang, year = shell.language(), shell.selected_year(data)
t = translator(lang)
current = shell.identity()
auth.require(current, EXPLORE, lang)
report, catalog = data.report, data.catalog
rows = report.indicators[report.indicators["year"] == year]
LINK = st.column_config.LinkColumn(t("col.open"), display_text=t("col.open"))

st.title(t("quality.title"))
st.caption(t("quality.intro", year=year))

st.subheader(t("quality.progress"))
st.dataframe(
    progress_table(reporting_progress(rows), lang),
    hide_index=True,
    placeholder="—",
    column_config={t("col.share"): st.column_config.ProgressColumn(min_value=0, max_value=100, format="%.0f%%")},
)

st.subheader(t("quality.missing", year=year))
missing = missing_values(rows)
if missing.empty:
    st.success(t("quality.all_reported", year=year), icon=":material/check_circle:")
else:
    st.dataframe(
        quality_table(missing, catalog, lang), hide_index=True, placeholder="—", column_config={t("col.open"): LINK}
    )


def flagged(title: str, table) -> None:
    """Render one list of flagged indicators, or say there is none."""
    st.subheader(title)
    if table.empty:
        st.caption(t("quality.none"))
    else:
        st.dataframe(table, hide_index=True, placeholder="—", column_config={t("col.open"): LINK})


stale = stale_values(data.observations)
flagged(
    t("quality.stale", years=STALE_YEARS),
    quality_table(
        stale,
        catalog,
        lang,
        code="indicator",
        columns={
            "col.value": stale["value"],
            "col.from": stale["first"],
            "col.to": stale["last"],
            "col.years": stale["years"],
        },
    ),
)
jumps = find_jumps(data.observations)
flagged(
    t("quality.jumps"),
    quality_table(
        jumps,
        catalog,
        lang,
        code="indicator",
        columns={
            "col.year": jumps["year"],
            "col.previous": jumps["previous"],
            "col.value": jumps["value"],
            "col.ratio": jumps["ratio"].round(2),
        },
    ),
)
flagged(t("quality.targets"), quality_table(missing_targets(catalog, catalog.period_for_year(year)), catalog, lang))
