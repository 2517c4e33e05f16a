"""Small pieces of UI shared by the pages: status badges, programme cards, indicator detail."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from hqd import store
from hqd.charts import indicator_figure
from hqd.formatting import escape_markdown, format_change, format_score, format_share, format_unit, format_value
from hqd.i18n import name_column, projection_text, status_text, translator
from hqd.labels import DIRECTIONS, STATUSES
from hqd.tables import lineage_table
from hqd.ui.data import get_engine
from hqd.ui.shell import INDICATOR_KEY

# st.badge has a fixed palette; the symbol in the label tells dark green from green.
BADGE_COLOURS = {
    "achieved": "green",
    "on_track": "green",
    "at_risk": "yellow",
    "lagging": "orange",
    "regressing": "red",
    "insufficient_data": "gray",
    "no_data": "gray",
}


def status_badge(status: str, lang: str) -> None:
    """Render a status as a coloured badge with its symbol and name."""
    st.badge(status_text(status, lang), color=BADGE_COLOURS[status])


def tint_status(frame: pd.DataFrame, column: str, statuses: pd.Series):
    """Return a Styler that tints a column with each row's status colour."""
    colours = statuses.map(STATUSES["colour"]).to_numpy()

    def paint(_):
        return [f"background-color: {c}22; border-left: 4px solid {c}" for c in colours]

    return frame.style.apply(paint, subset=[column])


def score_metrics(row: pd.Series, lang: str, label: str) -> None:
    """Render score, expected score, status and change since last year side by side."""
    t = translator(lang)
    score, expected, status, coverage = st.columns([1.2, 1, 1, 1])
    score.metric(
        label,
        format_score(row["score"]),
        delta=format_change(row["score_change"]) if pd.notna(row["score_change"]) else None,
        help=t("overview.score_help"),
        delta_description=t("overview.change"),
    )
    expected.metric(t("overview.expected"), format_score(row["expected_score"]))
    with status:
        st.caption(t("overview.status"))
        status_badge(row["status"], lang)
    coverage.metric(t("overview.coverage"), format_share(row["coverage"]))


def programme_card(card: pd.Series, page: st.Page, lang: str) -> None:
    """Render one programme's card: score with sparkline, expected, status, link to its page."""
    t = translator(lang)
    with st.container(border=True):
        st.markdown(f"**{escape_markdown(card[name_column(lang)])}**")
        history = (
            [0 if pd.isna(s) else round(s, 1) for s in card["history"]] if isinstance(card["history"], list) else None
        )
        st.metric(
            t("chart.score"),
            format_score(card["score"]),
            delta=format_change(card["score_change"]) if pd.notna(card["score_change"]) else None,
            delta_description=t("overview.change"),
            chart_data=history,
            chart_type="area",
        )
        st.caption(f"{t('overview.expected')} {format_score(card['expected_score'])}")
        status_badge(card["status"] if pd.notna(card["status"]) else "no_data", lang)
        st.page_link(page, label=t("overview.open"), icon=":material/arrow_forward:")


def indicator_detail(history: pd.DataFrame, year: int, lang: str, lineage: pd.DataFrame | None = None) -> None:
    """Render one indicator's chart, definition, needed change, projection and the lineage of its values."""
    t = translator(lang)
    row = history[history["year"] == year].iloc[0]
    name = row[name_column(lang)] or row["name_zh"]
    st.plotly_chart(indicator_figure(history, year, name, lang), config={"displaylogo": False})
    unit = row["unit"]
    st.caption(
        escape_markdown(
            t("detail.weight", weight=f"{row['weight']:g}")
            + " · "
            + t(
                "detail.definition",
                unit=format_unit(unit, lang) or "—",
                direction=DIRECTIONS.loc[row["direction"], "zh" if lang == "zh" else "en"],
                department=row["department"] or "—",
                base_year=row["base_year"],
                base=format_value(row["base_value"], unit, lang),
                target_year=row["target_year"],
                target=format_value(row["target_value"], unit, lang),
            )
        )
    )
    if pd.notna(row["needed_change"]):
        change = format_value(row["needed_change"], unit, lang)
        st.markdown(escape_markdown(t("detail.needed", change=change if row["needed_change"] < 0 else f"+{change}")))
    if row["projection"]:
        st.markdown(
            escape_markdown(
                t(
                    "detail.projected",
                    year=row["target_year"],
                    value=format_value(row["projected_value"], unit, lang),
                    outcome=projection_text(row["projection"], lang),
                    confidence=t("detail.low_confidence") if row["confidence"] == "low" else "",
                )
            )
        )

    if lineage is not None:
        st.markdown(f"**{t('lineage.title')}**")
        if lineage.empty:
            st.caption(t("lineage.empty"))
        else:
            st.dataframe(lineage_table(lineage, unit, lang), hide_index=True, placeholder="—")


def follow_selection(event, codes: pd.Series) -> None:
    """Point the indicator picker at the row just selected in the table (once per new selection)."""
    rows = event.selection.rows if event is not None else []
    picked = codes.iloc[rows[0]] if rows else None
    if picked is not None and st.session_state.get("_picked_row") != picked:
        st.session_state[INDICATOR_KEY] = picked
    st.session_state["_picked_row"] = picked


def tint_rows(frame: pd.DataFrame, colour: str):
    """Return a Styler that tints every row (errors red, warnings amber)."""
    return frame.style.apply(lambda row: [f"background-color: {colour}18"] * len(row), axis=1)


def audit_once(key: str, identity, action: str, summary: dict, file_name: str) -> None:
    """Record an action in the audit log once per session and key (a preview reruns many times)."""
    done = st.session_state.setdefault("_audited", set())
    if key in done or identity is None:
        return
    done.add(key)
    detail = ", ".join(f"{k} {v}" for k, v in summary.items())
    store.append_audit(
        get_engine(), identity.username or identity.name, identity.role, action, detail, file_name=file_name
    )
