"""Plotly figures of progress, readable from the back of a room, labelled in the UI language."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from hqd.formatting import format_score, format_unit, format_value
from hqd.i18n import status_text, translator
from hqd.labels import STATUSES

# Chinese first: a machine with only Noto CJK renders it, Windows and macOS fall back to their own.
FONT = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif"
INK, GRID, ACCENT = "#1a1a1a", "#e6e9ef", "#1f4e79"


def _style(figure: go.Figure, title: str, height: int) -> go.Figure:
    """Apply the shared look: title, large fonts, horizontal legend, light grid."""
    figure.update_layout(
        title={"text": title, "font": {"size": 20, "color": INK}, "x": 0, "xanchor": "left"},
        font={"family": FONT, "size": 14, "color": INK},
        legend={"orientation": "h", "yanchor": "top", "y": -0.18, "x": 0, "font": {"size": 14}},
        margin={"l": 10, "r": 30, "t": 60, "b": 10},
        height=height,
        plot_bgcolor="white",
        paper_bgcolor="white",
        hoverlabel={"font": {"family": FONT, "size": 14}},
    )
    ticks = {"size": 14, "color": INK}
    figure.update_xaxes(gridcolor=GRID, zeroline=False, automargin=True, tickfont=ticks)
    figure.update_yaxes(gridcolor=GRID, zeroline=False, automargin=True, tickfont=ticks)
    return figure


def score_figure(frame: pd.DataFrame, label: str, title: str, lang: str = "zh") -> go.Figure:
    """Return bars of score coloured by status, each with a marker at its expected score.

    `frame` has the label column, score, expected_score and status; rows top to bottom.
    """
    t = translator(lang)
    order = frame[label].tolist()
    figure = go.Figure()
    for status, rows in frame.groupby("status", sort=False):
        figure.add_bar(
            x=rows["score"].fillna(0),
            y=rows[label],
            orientation="h",
            name=status_text(status, lang),
            marker_color=STATUSES.loc[status, "colour"],
            text=[f"{STATUSES.loc[status, 'symbol']} {format_score(s)}" for s in rows["score"]],
            textposition="inside",
            insidetextanchor="end",
            textfont={"color": "white", "size": 15},
            cliponaxis=False,
            customdata=rows[["expected_score"]].assign(status=status_text(status, lang)),
            hovertemplate=f"%{{y}}<br>{t('chart.score')}: %{{x:.1f}}<br>{t('chart.expected')}: "
            f"%{{customdata[0]:.1f}}<br>%{{customdata[1]}}<extra></extra>",
        )
    figure.add_scatter(
        x=frame["expected_score"],
        y=frame[label],
        mode="markers",
        name=t("chart.expected"),
        marker={"symbol": "line-ns", "size": 34, "line": {"width": 4, "color": INK}},
        hovertemplate=f"%{{y}}<br>{t('chart.expected')}: %{{x:.1f}}<extra></extra>",
    )
    figure.update_xaxes(range=[0, 104], title=t("chart.score_axis"), tickvals=[0, 20, 40, 60, 80, 100])
    figure.update_yaxes(categoryorder="array", categoryarray=order, autorange="reversed")
    figure.update_layout(barmode="overlay", bargap=0.35)
    return _style(figure, title, height=max(260, 62 * len(frame) + 150))


def status_split_figure(frame: pd.DataFrame, label: str, title: str, lang: str = "zh") -> go.Figure:
    """Return stacked bars: how many indicators of each group are in each status."""
    t = translator(lang)
    order = list(dict.fromkeys(frame[label]))
    counts = frame.groupby([label, "status"], sort=False).size().unstack(fill_value=0)
    figure = go.Figure()
    for status in [s for s in STATUSES.index if s in counts.columns]:
        column = counts[status].reindex(order, fill_value=0)
        figure.add_bar(
            x=column.to_numpy(),
            y=order,
            orientation="h",
            name=status_text(status, lang),
            marker_color=STATUSES.loc[status, "colour"],
            text=[v if v else "" for v in column],
            textposition="inside",
            insidetextanchor="middle",
            textfont={"color": "white", "size": 14},
            hovertemplate=f"%{{y}}<br>{status_text(status, lang)}: %{{x}}<extra></extra>",
        )
    # Stacked bars list their legend backwards by default; keep the severity order.
    figure.update_layout(barmode="stack", bargap=0.35, legend_traceorder="normal")
    figure.update_xaxes(title=t("chart.count_axis"), dtick=1 if counts.to_numpy().sum(axis=1).max() <= 12 else None)
    figure.update_yaxes(categoryorder="array", categoryarray=order, autorange="reversed")
    return _style(figure, title, height=max(260, 62 * len(order) + 150))


def indicator_figure(history: pd.DataFrame, year: int, name: str, lang: str = "zh") -> go.Figure:
    """Return one indicator's actuals, planned trajectory, target and projection (dashed).

    `history` holds the indicator's progress rows for every year of the period.
    """
    t = translator(lang)
    rows = history.sort_values("year")
    first = rows.iloc[0]
    unit = first["unit"]
    shown = format_unit(unit, lang)
    figure = go.Figure()
    figure.add_scatter(
        x=rows["year"],
        y=rows["expected_value"],
        mode="lines",
        name=t("chart.trajectory"),
        line={"color": "#8a94a6", "width": 2, "dash": "dot"},
        text=[format_value(v, unit, lang) for v in rows["expected_value"]],
        hovertemplate=f"%{{x}}<br>{t('chart.trajectory')}: %{{text}}<extra></extra>",
    )
    actual = rows[rows["value"].notna() & (rows["year"] <= year)]
    figure.add_scatter(
        x=actual["year"],
        y=actual["value"],
        mode="lines+markers+text",
        name=t("chart.actual"),
        line={"color": ACCENT, "width": 3},
        marker={"size": 10},
        text=[format_value(v, unit, lang) for v in actual["value"]],
        textposition="top center",
        hovertemplate=f"%{{x}}<br>{t('chart.actual')}: %{{text}}<extra></extra>",
    )
    figure.add_scatter(
        x=[first["target_year"]],
        y=[first["target_value"]],
        mode="markers+text",
        name=t("chart.target"),
        marker={"symbol": "star", "size": 20, "color": STATUSES.loc["achieved", "colour"]},
        text=[format_value(first["target_value"], unit, lang)],
        textposition="middle left",
        hovertemplate=f"%{{x}}<br>{t('chart.target')}: %{{text}}<extra></extra>",
    )
    now = rows[rows["year"] == year]
    if len(now) and pd.notna(now["projected_value"].iloc[0]):
        point = now.iloc[0]
        figure.add_scatter(
            x=[point["latest_year"], point["target_year"]],
            y=[point["latest_value"], point["projected_value"]],
            mode="lines+markers",
            name=t("chart.projection"),
            line={
                "color": STATUSES.loc[point["status"], "colour"] if point["status"] != "no_data" else INK,
                "width": 2,
                "dash": "dash",
            },
            marker={"size": [0, 10], "symbol": "circle-open"},
            text=["", format_value(point["projected_value"], unit, lang)],
            hovertemplate=f"%{{x}}<br>{t('chart.projection')}: %{{text}}<extra></extra>",
        )
    figure.update_xaxes(title=t("chart.year_axis"), dtick=1, tickformat="d")
    figure.update_yaxes(title=shown or None, rangemode="tozero" if rows["base_value"].iloc[0] >= 0 else "normal")
    title = f"{name}({shown})" if lang == "zh" and shown else f"{name} ({shown})" if shown else name
    return _style(figure, title, height=420)
