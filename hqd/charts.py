"""Plotly figures of progress, readable from the back of a room, labelled in the UI language."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from hqd.formatting import format_score, format_unit, format_value
from hqd.i18n import name_column, status_text, translator
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
    # Half a year of room at each end, so the first and last value labels are not cut off.
    years = rows["year"]
    figure.update_xaxes(
        title=t("chart.year_axis"),
        dtick=1,
        tickformat="d",
        range=[years.min() - 0.6, max(years.max(), first["target_year"]) + 0.6],
    )
    figure.update_yaxes(title=shown or None, rangemode="tozero" if rows["base_value"].iloc[0] >= 0 else "normal")
    title = f"{name}({shown})" if lang == "zh" and shown else f"{name} ({shown})" if shown else name
    return _style(figure, title, height=420)


def heatmap_figure(completion: pd.DataFrame, status: pd.DataFrame, names: pd.Series, lang: str = "zh") -> go.Figure:
    """Return indicators × years coloured by status, each cell labelled with its completion."""
    t = translator(lang)
    order = list(STATUSES.index)
    labels = [f"{code} {names.get(code, '')}" for code in completion.index]
    rank = {name: float(i) for i, name in enumerate(order)}
    codes = status.apply(lambda column: column.map(rank)).to_numpy(dtype="float64")
    # One band of the colour scale per status, so each cell takes exactly its status colour.
    steps = len(order)
    scale = []
    for i, name in enumerate(order):
        scale += [[i / steps, STATUSES.loc[name, "colour"]], [(i + 1) / steps, STATUSES.loc[name, "colour"]]]
    percent = (completion * 100).round(0)
    text = percent.apply(lambda column: column.map("{:.0f}%".format, na_action="ignore")).astype(object)
    text = text.where(text.notna(), "").to_numpy()
    labels_of = {name: status_text(name, lang) for name in order}
    hover = status.apply(lambda column: column.map(labels_of)).fillna("").to_numpy()
    figure = go.Figure(
        go.Heatmap(
            z=codes,
            x=[str(y) for y in completion.columns],
            y=labels,
            zmin=-0.5,
            zmax=steps - 0.5,
            colorscale=scale,
            text=text,
            customdata=hover,
            texttemplate="%{text}",
            textfont={"size": 12, "color": "white"},
            xgap=2,
            ygap=2,
            colorbar={"tickvals": list(range(steps)), "ticktext": [status_text(s, lang) for s in order], "len": 0.9},
            hovertemplate="%{y}<br>%{x}<br>%{customdata}<br>"
            + f"{t('chart.completion_axis')}: %{{text}}<extra></extra>",
        )
    )
    figure.update_yaxes(autorange="reversed", type="category")
    figure.update_xaxes(type="category", side="top")
    return _style(figure, t("chart.heatmap"), height=max(320, 26 * len(completion) + 140))


def compare_figure(moves: pd.DataFrame, names: pd.Series, first: int, second: int, lang: str = "zh") -> go.Figure:
    """Return each indicator's completion in two years as a dumbbell, rising in green, falling in red."""
    t = translator(lang)
    labels = [f"{code} {names.get(code, '')}" for code in moves["code"]]
    figure = go.Figure()
    for rising, colour, name in (
        (True, STATUSES.loc["on_track", "colour"], t("chart.up")),
        (False, STATUSES.loc["regressing", "colour"], t("chart.down")),
    ):
        part = moves[(moves["change"] >= 0) == rising]
        xs, ys = [], []
        for (_, row), label in zip(part.iterrows(), [labels[i] for i in part.index], strict=True):
            xs += [row["before"] * 100, row["after"] * 100, None]
            ys += [label, label, None]
        figure.add_scatter(x=xs, y=ys, mode="lines", line={"color": colour, "width": 4}, name=name, hoverinfo="skip")
    figure.add_scatter(
        x=moves["before"] * 100,
        y=labels,
        mode="markers",
        name=str(first),
        marker={"size": 11, "color": "#8a94a6"},
        hovertemplate=f"%{{y}}<br>{first}: %{{x:.0f}}%<extra></extra>",
    )
    figure.add_scatter(
        x=moves["after"] * 100,
        y=labels,
        mode="markers",
        name=str(second),
        marker={"size": 13, "color": ACCENT, "symbol": "diamond"},
        hovertemplate=f"%{{y}}<br>{second}: %{{x:.0f}}%<extra></extra>",
    )
    figure.update_xaxes(title=t("chart.completion_axis"), ticksuffix="%")
    figure.update_yaxes(autorange="reversed", type="category")
    return _style(figure, t("chart.compare", a=first, b=second), height=max(320, 30 * len(moves) + 160))


def pace_figure(rows: pd.DataFrame, lang: str = "zh") -> go.Figure:
    """Return pace against projected completion, one dot per indicator, over shaded status regions."""
    t = translator(lang)
    data = rows.dropna(subset=["pace", "projected_completion"])
    top = max(1.6, float(data["pace"].max()) + 0.1) if len(data) else 1.6
    figure = go.Figure()
    for start, end, status in ((0, 0.6, "lagging"), (0.6, 0.95, "at_risk"), (0.95, top, "on_track")):
        figure.add_vrect(
            x0=start,
            x1=end,
            fillcolor=STATUSES.loc[status, "colour"],
            opacity=0.10,
            line_width=0,
            annotation_text=status_text(status, lang),
            annotation_position="top left",
        )
    # The y axis is in percent: the line marks a projected completion of 100%, the target reached.
    figure.add_hline(y=100, line_dash="dot", line_color=INK)
    for status, part in data.groupby("status", sort=False):
        figure.add_scatter(
            x=part["pace"],
            y=part["projected_completion"] * 100,
            mode="markers",
            name=status_text(status, lang),
            marker={"size": 12, "color": STATUSES.loc[status, "colour"], "line": {"width": 1, "color": "white"}},
            text=part[name_column(lang)],
            hovertemplate=f"%{{text}}<br>{t('col.pace')}: %{{x:.2f}}<br>{t('chart.projected_axis')}: "
            "%{y:.0f}%<extra></extra>",
        )
    figure.update_xaxes(title=t("chart.pace_axis"), range=[0, top])
    figure.update_yaxes(title=t("chart.projected_axis"), ticksuffix="%")
    return _style(figure, t("chart.scatter"), height=480)
