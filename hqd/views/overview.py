"""The overview page's content: the plan's standing in a year, the programmes' cards, charts, what is behind."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from hqd.briefing import latest_upload, list_attention, programme_cards, summarise_year
from hqd.catalog import Catalog
from hqd.charts import score_figure, status_split_figure
from hqd.formatting import format_time
from hqd.i18n import file_label, name_column, person_name, translator
from hqd.rollup import Report
from hqd.tables import Column, attention_columns, attention_table, with_programme_names


def find_standing(report: Report, year: int) -> pd.Series | None:
    """Return the whole plan's row of the year, or None when the year has no data."""
    overall = report.overall[report.overall["year"] == year]
    if overall.empty or overall["status"].iloc[0] == "no_data":
        return None
    return overall.iloc[0]


@dataclass(frozen=True)
class OverviewView:
    """What the overview shows of a year with data."""

    sentences: list[str]  # the written summary
    cards: pd.DataFrame  # one per programme
    scores: go.Figure  # the programmes' scores
    status_split: go.Figure  # the indicators' statuses per programme
    attention: pd.DataFrame  # the indicators behind, worst first (with their status)
    attention_table: pd.DataFrame  # the same as shown
    attention_columns: dict[str, Column]  # how its columns are shown
    updated: str  # the latest upload in effect, or that there is none


def overview_view(report: Report, catalog: Catalog, uploads: pd.DataFrame, year: int, lang: str) -> OverviewView:
    """Return what the overview shows for a year (find_standing says whether it has data)."""
    t = translator(lang)
    cards = programme_cards(report, catalog, year)
    indicators = with_programme_names(report.indicators[report.indicators["year"] == year], catalog, lang)
    attention = list_attention(report, catalog, year)
    upload = latest_upload(uploads)
    shown = attention_table(attention, catalog, lang)
    return OverviewView(
        sentences=summarise_year(report, catalog, year, lang),
        cards=cards,
        scores=score_figure(cards, name_column(lang), t("chart.scores"), lang),
        status_split=status_split_figure(indicators, "programme_name", t("chart.status_split"), lang),
        attention=attention,
        attention_table=shown,
        attention_columns=attention_columns(shown, lang),
        updated=t(
            "overview.updated",
            time=format_time(upload["created_at"]),
            id=upload["id"],
            file=file_label(upload["file_name"], lang),
            user=person_name(upload["user_name"], lang),
        )
        if upload is not None
        else t("overview.no_upload"),
    )
