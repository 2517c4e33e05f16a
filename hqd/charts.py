"""Plotly figures of progress, readable from the back of a room, labelled in the UI language."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from hqd.formatting import (
    COUNT_UNITS,
    clip_text,
    drop_negative_zero,
    format_score,
    format_unit,
    share_text,
    value_text,
)
from hqd.i18n import name_column, status_name, status_text, translator
from hqd.labels import KEY_TASK_STATUSES, STATUSES
from hqd.settings import THRESHOLDS

# The font, ink and grid of the overview's SVG charts: one look.
from hqd.svg import FONT, GRID, INK

ACCENT = "#1f4e79"

# Each status's marker shape, so that a dot tells its status printed in black and white too.
MARKERS = {
    "achieved": "star",
    "on_track": "circle",
    "at_risk": "triangle-up",
    "lagging": "triangle-down",
    "missed": "diamond-x",
    "regressing": "x",
    "insufficient_data": "circle-dot",
    "no_data": "circle-open",
}
# Whole numbers with separators (30,000), never SI prefixes (30k), which Chinese readers do not use.
NUMBER_TICKS = ",~f"
# Columns of an indicator's label beside the heatmap (a Chinese character takes two).
HEATMAP_LABEL_COLUMNS = 40


def _merged(base: dict, own: dict) -> dict:
    """Return `base` with `own`'s keys over it; a dict in both is merged the same way, own's keys winning."""
    merged = dict(base)
    for key, value in own.items():
        shared = merged.get(key)
        merged[key] = _merged(shared, value) if isinstance(shared, dict) and isinstance(value, dict) else value
    return merged


def _figure(traces: list[dict], layout: dict, title: str, height: int) -> go.Figure:
    """Return the figure of `traces` (plain dicts) with `layout` over the shared look.

    The shared look: title, large fonts, horizontal legend, light grid on both axes. `layout`'s keys win,
    its dicts merged into the look's (legend, axes). Built in one construction: each add_bar, update_layout
    or update_xaxes on a built figure runs plotly's whole update machinery, several times the cost of this.
    """
    axis = {"gridcolor": GRID, "zeroline": False, "automargin": True, "tickfont": {"size": 14, "color": INK}}
    look = {
        "title": {"text": title, "font": {"size": 20, "color": INK}, "x": 0, "xanchor": "left"},
        "font": {"family": FONT, "size": 14, "color": INK},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.18, "x": 0, "font": {"size": 14}},
        "margin": {"l": 10, "r": 30, "t": 60, "b": 10},
        "height": height,
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "hoverlabel": {"font": {"family": FONT, "size": 14}},
        "xaxis": axis,
        "yaxis": axis,
    }
    return go.Figure(data=traces, layout=_merged(look, layout))


def score_figure(frame: pd.DataFrame, label: str, title: str, lang: str = "zh") -> go.Figure:
    """Return bars of score coloured by status, each with a marker at its expected score.

    `frame` has the label column, score, expected_score and status; rows top to bottom.
    """
    t = translator(lang)
    order = frame[label].tolist()
    traces = [
        {
            "type": "bar",
            "x": rows["score"].fillna(0),
            "y": rows[label],
            "orientation": "h",
            "name": status_text(status, lang),
            "marker": {"color": STATUSES.loc[status, "colour"]},
            "text": [f"{STATUSES.loc[status, 'symbol']} {drop_negative_zero(format_score(s))}" for s in rows["score"]],
            "textposition": "inside",
            "insidetextanchor": "end",
            "textfont": {"color": "white", "size": 15},
            "cliponaxis": False,
            "customdata": rows[["expected_score"]].assign(status=status_text(status, lang)),
            "hovertemplate": f"%{{y}}<br>{t('chart.score')}: %{{x:.1f}}<br>{t('chart.expected')}: "
            f"%{{customdata[0]:.1f}}<br>%{{customdata[1]}}<extra></extra>",
        }
        for status, rows in frame.groupby("status", sort=False)
    ]
    traces.append(
        {
            "type": "scatter",
            "x": frame["expected_score"],
            "y": frame[label],
            "mode": "markers",
            "name": t("chart.expected"),
            "marker": {"symbol": "line-ns", "size": 34, "line": {"width": 4, "color": INK}},
            "hovertemplate": f"%{{y}}<br>{t('chart.expected')}: %{{x:.1f}}<extra></extra>",
        }
    )
    layout = {
        "xaxis": {"range": [0, 104], "title": {"text": t("chart.score_axis")}, "tickvals": [0, 20, 40, 60, 80, 100]},
        "yaxis": {"categoryorder": "array", "categoryarray": order, "autorange": "reversed"},
        "barmode": "overlay",
        "bargap": 0.35,
    }
    return _figure(traces, layout, title, height=max(260, 62 * len(frame) + 150))


def status_split_figure(frame: pd.DataFrame, label: str, title: str, lang: str = "zh") -> go.Figure:
    """Return stacked bars: how many indicators of each group are in each status."""
    t = translator(lang)
    order = list(dict.fromkeys(frame[label]))
    counts = frame.groupby([label, "status"], sort=False).size().unstack(fill_value=0)
    traces = []
    for status in [s for s in STATUSES.index if s in counts.columns]:
        column = counts[status].reindex(order, fill_value=0)
        traces.append(
            {
                "type": "bar",
                "x": column.to_numpy(),
                "y": order,
                "orientation": "h",
                "name": status_text(status, lang),
                "marker": {"color": STATUSES.loc[status, "colour"]},
                "text": [f"{STATUSES.loc[status, 'symbol']} {v}" if v else "" for v in column],
                "textposition": "inside",
                "insidetextanchor": "middle",
                # Never turned on its side to fit a narrow segment: a turned ▲ reads as another status's symbol.
                "textangle": 0,
                "textfont": {"color": "white", "size": 14},
                "hovertemplate": f"%{{y}}<br>{status_text(status, lang)}: %{{x}}<extra></extra>",
            }
        )
    layout = {
        "barmode": "stack",
        "bargap": 0.35,
        # Stacked bars list their legend backwards by default; keep the severity order.
        "legend": {"traceorder": "normal"},
        "xaxis": {
            "title": {"text": t("chart.count_axis")},
            "dtick": 1 if counts.to_numpy().sum(axis=1).max() <= 12 else None,
        },
        "yaxis": {"categoryorder": "array", "categoryarray": order, "autorange": "reversed"},
    }
    return _figure(traces, layout, title, height=max(260, 62 * len(order) + 150))


def supervision_figure(
    names: list[str], counts: dict[str, pd.Series], title: str, axis: str, lang: str = "zh"
) -> go.Figure:
    """Return stacked bars of the items open per department (`names`, top to bottom), one colour per kind of item.

    `counts` maps each kind's label to its count per department, in the order of `names`.
    """
    colours = [STATUSES.loc[s, "colour"] for s in ("lagging", "regressing", "at_risk")]
    traces = [
        {
            "type": "bar",
            "x": list(values),
            "y": names,
            "orientation": "h",
            "name": label,
            "marker": {"color": colour},
            "text": [str(v) if v else "" for v in values],
            "textposition": "inside",
            "insidetextanchor": "middle",
            "textangle": 0,
            "textfont": {"color": "white", "size": 14},
            "hovertemplate": f"%{{y}}<br>{label}: %{{x}}<extra></extra>",
        }
        for (label, values), colour in zip(counts.items(), colours, strict=False)
    ]
    layout = {
        "barmode": "stack",
        "bargap": 0.35,
        "legend": {"traceorder": "normal"},
        "xaxis": {"title": {"text": axis}},
        "yaxis": {"categoryorder": "array", "categoryarray": names, "autorange": "reversed"},
    }
    return _figure(traces, layout, title, height=max(260, 40 * len(names) + 150))


def indicator_figure(history: pd.DataFrame, year: int, name: str, lang: str = "zh") -> go.Figure:
    """Return one indicator's actuals, planned trajectory, target and projection (dashed), as seen in `year`.

    `history` holds the indicator's progress rows for every year of the period. Actuals after `year`
    are not shown: past it the chart shows the projection made in `year`, as it was then.
    """
    t = translator(lang)
    rows = history.sort_values("year")
    first = rows.iloc[0]
    unit, target_year, target = first["unit"], first["target_year"], first["target_value"]
    shown = format_unit(unit, lang)
    trajectory = {
        "type": "scatter",
        "x": rows["year"],
        "y": rows["expected_value"],
        "mode": "lines",
        "name": t("chart.trajectory"),
        # A milestone's stages are due as steps: the line holds each stage until the next is due.
        "line": {
            "color": "#8a94a6",
            "width": 2,
            "dash": "dot",
            "shape": "hv" if first["direction"] == "milestone" else "linear",
        },
        "text": [value_text(v, unit, lang) for v in rows["expected_value"]],
        "hovertemplate": f"%{{x}}<br>{t('chart.trajectory')}: %{{text}}<extra></extra>",
    }
    actual = rows[rows["value"].notna() & (rows["year"] <= year)]
    now = rows[rows["year"] == year]
    point = now.iloc[0] if len(now) and pd.notna(now["projected_value"].iloc[0]) else None
    plotted = [rows["expected_value"], actual["value"], pd.Series([target])]
    if point is not None:
        plotted.append(pd.Series([point["latest_value"], point["projected_value"]]))
    low, high = value_range(pd.concat(plotted), first["base_value"])
    # The target's value is in the legend, not beside its star, where it ran into the last actual's label.
    target_text = value_text(target, unit, lang)
    traces = [
        trajectory,
        {
            "type": "scatter",
            "x": actual["year"],
            "y": actual["value"],
            "mode": "lines+markers+text",
            "name": t("chart.actual"),
            "line": {"color": ACCENT, "width": 3},
            "marker": {"size": 10},
            "text": [value_text(v, unit, lang) for v in actual["value"]],
            # Each label above its point, but below one just under the target's star, which it would run into.
            "textposition": [
                "bottom center" if y == target_year and 0 < target - v < 0.15 * (high - low) else "top center"
                for y, v in zip(actual["year"], actual["value"], strict=True)
            ],
            "cliponaxis": False,
            "hovertemplate": f"%{{x}}<br>{t('chart.actual')}: %{{text}}<extra></extra>",
        },
        {
            "type": "scatter",
            "x": [target_year],
            "y": [target],
            "mode": "markers",
            "name": t("chart.target_legend", year=target_year, value=target_text),
            "marker": {"symbol": "star", "size": 20, "color": STATUSES.loc["achieved", "colour"]},
            "text": [target_text],
            "cliponaxis": False,
            "hovertemplate": f"%{{x}}<br>{t('chart.target')}: %{{text}}<extra></extra>",
        },
    ]
    if point is not None:
        status = point["status"]
        # The projection takes the indicator's status colour, so its status is named and shaped too.
        known = status != "no_data"
        traces.append(
            {
                "type": "scatter",
                "x": [point["latest_year"], point["target_year"]],
                "y": [point["latest_value"], point["projected_value"]],
                "mode": "lines+markers",
                "name": t("chart.projection_of", status=status_text(status, lang)) if known else t("chart.projection"),
                "line": {"color": STATUSES.loc[status, "colour"] if known else INK, "width": 2, "dash": "dash"},
                "marker": {"size": [0, 12], "symbol": MARKERS[status]},
                "text": ["", value_text(point["projected_value"], unit, lang)],
                "cliponaxis": False,
                "hovertemplate": f"%{{x}}<br>{t('chart.projection')}: %{{text}}<extra></extra>",
            }
        )
    years = rows["year"]
    # The unit is in the title, not in a rotated axis title; the ticks are full numbers (30,000, not 30k).
    values_axis = {"range": [low, high], "tickformat": NUMBER_TICKS}
    if unit == "%":
        values_axis["ticksuffix"] = "%"
    if unit in COUNT_UNITS:
        values_axis.update(tick0=0, dtick=_count_step(pd.concat(plotted)))
    layout = {
        "xaxis": {
            "title": {"text": t("chart.year_axis")},
            "dtick": 1,
            "tickformat": "d",
            # Half a year of room at each end, so the first and last value labels are not cut off.
            "range": [years.min() - 0.6, max(years.max(), target_year) + 0.6],
        },
        "yaxis": values_axis,
    }
    title = t("text.with_note", text=name, note=shown)
    return _figure(traces, layout, title if shown else name, height=420)


def value_range(values: pd.Series, base_value: float) -> list[float]:
    """Return the value axis's range: from zero (unless something is negative) to room above the highest label.

    An indicator whose baseline is negative (a rate of change) is not pinned to zero.
    """
    values = values.dropna().astype("float64")
    if values.empty:
        return [0.0, 1.0]
    low, high = float(values.min()), float(values.max())
    if low >= 0 and base_value >= 0:
        low = 0.0
    span = high - low or abs(high) or 1.0
    # A value label is drawn above its point: the top needs room for it, the bottom for one drawn below.
    return [low if low == 0 else low - 0.1 * span, high + 0.18 * span]


def _count_step(values: pd.Series) -> float | None:
    """Return a tick step of 1 where plotly would tick a small count in halves; None leaves it to plotly."""
    values = values.dropna()
    return 1 if len(values) and values.max() - min(values.min(), 0) <= 6 else None


def heatmap_figure(completion: pd.DataFrame, status: pd.DataFrame, names: pd.Series, lang: str = "zh") -> go.Figure:
    """Return indicators × years coloured by status, each cell labelled with its completion."""
    t = translator(lang)
    order = list(STATUSES.index)
    full = [f"{code} {names.get(code, '')}" for code in completion.index]
    # Long names (English ones above all) would leave the cells a sliver: clipped here, whole in the hover.
    labels = [clip_text(label, HEATMAP_LABEL_COLUMNS) for label in full]
    rank = {name: float(i) for i, name in enumerate(order)}
    codes = status.apply(lambda column: column.map(rank)).to_numpy(dtype="float64")
    # One band of the colour scale per status, so each cell takes exactly its status colour.
    steps = len(order)
    scale = []
    for i, name in enumerate(order):
        scale += [[i / steps, STATUSES.loc[name, "colour"]], [(i + 1) / steps, STATUSES.loc[name, "colour"]]]
    # Each cell says its status by symbol too (★ 100%), for a page printed in black and white.
    symbols = status.apply(lambda column: column.map(STATUSES["symbol"])).astype(object).fillna("")
    percent = completion.apply(lambda column: column.map(share_text, na_action="ignore")).astype(object).fillna("")
    text = (symbols + " " + percent).map(str.strip).to_numpy()
    labels_of = {name: status_text(name, lang) for name in order}
    states = status.apply(lambda column: column.map(labels_of)).fillna("").to_numpy()
    years = [str(y) for y in completion.columns]
    shares = percent.to_numpy()
    # The hover names the indicator in full, and the completion without the status symbol it names in words.
    hover = [
        [
            "<br>".join([label, year, state, t("chart.completion_hover", share=share or "—")])
            for year, state, share in zip(years, row_states, row_shares, strict=True)
        ]
        for label, row_states, row_shares in zip(full, states, shares, strict=True)
    ]
    cells = {
        "type": "heatmap",
        "z": codes,
        "x": years,
        "y": labels,
        "zmin": -0.5,
        "zmax": steps - 0.5,
        "colorscale": scale,
        "text": text,
        "customdata": hover,
        "texttemplate": "%{text}",
        "textfont": {"size": 12, "color": "white"},
        "xgap": 2,
        "ygap": 2,
        # A key of fixed size at the top, not the chart's height: with fifty indicators it was a wall of colour.
        "colorbar": {
            "tickvals": list(range(steps)),
            "ticktext": [status_text(s, lang) for s in order],
            "lenmode": "pixels",
            "len": 30 * steps,
            "y": 1,
            "yanchor": "top",
        },
        "hovertemplate": "%{customdata}<extra></extra>",
    }
    layout = {
        "xaxis": {"type": "category", "side": "top"},
        "yaxis": {"autorange": "reversed", "type": "category"},
        # Room for the years on top, under the title, which they otherwise touch.
        "margin": {"t": 90},
    }
    return _figure([cells], layout, t("chart.heatmap"), height=max(320, 26 * len(completion) + 140))


def compare_figure(moves: pd.DataFrame, names: pd.Series, first: int, second: int, lang: str = "zh") -> go.Figure:
    """Return each indicator's completion in two years as a dumbbell, rising in green, falling in red."""
    t = translator(lang)
    labels = [f"{code} {names.get(code, '')}" for code in moves["code"]]
    traces = []
    for rising, colour, name in (
        (True, STATUSES.loc["on_track", "colour"], t("chart.up")),
        (False, STATUSES.loc["regressing", "colour"], t("chart.down")),
    ):
        part = moves[(moves["change"] >= 0) == rising]
        xs, ys = [], []
        for (_, row), label in zip(part.iterrows(), [labels[i] for i in part.index], strict=True):
            xs += [row["before"] * 100, row["after"] * 100, None]
            ys += [label, label, None]
        traces.append(
            {
                "type": "scatter",
                "x": xs,
                "y": ys,
                "mode": "lines",
                "line": {"color": colour, "width": 4},
                "name": name,
                "hoverinfo": "skip",
            }
        )
    traces += [
        {
            "type": "scatter",
            "x": moves["before"] * 100,
            "y": labels,
            "mode": "markers",
            "name": str(first),
            "marker": {"size": 11, "color": "#8a94a6"},
            "hovertemplate": f"%{{y}}<br>{first}: %{{x:.0f}}%<extra></extra>",
        },
        {
            "type": "scatter",
            "x": moves["after"] * 100,
            "y": labels,
            "mode": "markers",
            "name": str(second),
            "marker": {"size": 13, "color": ACCENT, "symbol": "diamond"},
            "hovertemplate": f"%{{y}}<br>{second}: %{{x:.0f}}%<extra></extra>",
        },
    ]
    layout = {
        "xaxis": {"title": {"text": t("chart.completion_axis")}, "ticksuffix": "%"},
        "yaxis": {"autorange": "reversed", "type": "category"},
    }
    return _figure(traces, layout, t("chart.compare", a=first, b=second), height=max(320, 30 * len(moves) + 160))


def pace_points(rows: pd.DataFrame) -> pd.DataFrame:
    """Return the indicators the pace chart can place: pace and completion in the target year, as a percentage.

    Before the target year the completion is the projected one; in the target year (and after) it is
    the completion actually reached, which is what a projection would have foretold. `outcome` tells which.
    """
    outcome = rows["year"] >= rows["target_year"]
    points = rows.assign(
        outcome=outcome,
        final=rows["projected_completion"].where(~outcome, rows["completion"]) * 100,
    )
    return points.dropna(subset=["pace", "final"])


def _pace_gap(rows: pd.DataFrame, lang: str) -> str:
    """Return why no indicator could be placed: no values that year, the base year, or no projection yet."""
    t = translator(lang)
    if rows.empty:
        return t("chart.no_data")
    year = int(rows["year"].max())
    if rows["value"].isna().all():
        return t("chart.pace_no_values", year=year)
    if (rows["expected"].fillna(0) <= 0).all():
        return t("chart.pace_base_year", year=year)
    return t("chart.pace_no_projection", year=year)


def pace_figure(rows: pd.DataFrame, lang: str = "zh") -> go.Figure:
    """Return pace against completion in the target year, one marker per indicator, over shaded status regions.

    `rows` are one year's progress rows. In the target year the completion reached stands in for the
    projection; a figure with nothing to place says why in its middle, in the reader's language.
    """
    t = translator(lang)
    data = pace_points(rows)
    top = max(1.6, float(data["pace"].max()) + 0.1) if len(data) else 1.6
    # A regressing indicator's pace is below zero: its region appears only when one is there.
    bottom = min(0.0, float(data["pace"].min()) - 0.1) if len(data) else 0.0
    regions = [
        (bottom, 0, "regressing"),
        (0, THRESHOLDS.at_risk, "lagging"),
        (THRESHOLDS.at_risk, THRESHOLDS.on_track, "at_risk"),
        (THRESHOLDS.on_track, top, "on_track"),
    ]
    regions = [r for r in regions if r[1] > r[0]]
    # The shapes add_vrect and add_hline would make, written out: laid out at once with the rest.
    shade = {"type": "rect", "xref": "x", "yref": "y domain", "y0": 0, "y1": 1, "opacity": 0.10, "line": {"width": 0}}
    # The y axis is in percent: the dotted line marks a completion of 100%, the target reached.
    target = {"type": "line", "xref": "x domain", "x0": 0, "x1": 1, "yref": "y", "y0": 100, "y1": 100}
    annotations = [
        {
            "text": status_text(status, lang),
            "x": start,
            "xref": "x",
            "xanchor": "left",
            "y": 1,
            "yref": "y domain",
            "yanchor": "top",
            "showarrow": False,
        }
        for start, _, status in regions
    ]
    outcome = bool(len(data)) and bool(data["outcome"].all())
    axis = t("chart.outcome_axis") if outcome else t("chart.projected_axis")
    traces = []
    for status in [s for s in STATUSES.index if s in set(data["status"])]:
        part = data[data["status"] == status]
        traces.append(
            {
                "type": "scatter",
                "x": part["pace"],
                "y": part["final"],
                "mode": "markers",
                # The legend shows the marker's shape beside the name: a symbol in the name would say it twice.
                "name": status_name(status, lang),
                "marker": {
                    "size": 13,
                    "color": STATUSES.loc[status, "colour"],
                    "symbol": MARKERS[status],
                    "line": {"width": 1, "color": "white"},
                },
                "text": part[name_column(lang)],
                "customdata": [t("chart.outcome_axis") if o else t("chart.projected_axis") for o in part["outcome"]],
                "hovertemplate": f"%{{text}}<br>{t('col.pace')}: %{{x:.2f}}<br>%{{customdata}}: %{{y:.0f}}%"
                "<extra></extra>",
            }
        )
    low = min(0.0, float(data["final"].min()) - 10) if len(data) else 0.0
    high = max(120.0, float(data["final"].max()) + 10) if len(data) else 120.0
    if data.empty:
        annotations.append(
            {
                "text": _pace_gap(rows, lang),
                "x": 0.5,
                "y": 0.5,
                "xref": "paper",
                "yref": "paper",
                "showarrow": False,
                "font": {"size": 16, "color": INK},
                "bgcolor": "white",
            }
        )
    elif len(data) < len(rows):
        annotations.append(
            {
                "text": t("chart.pace_omitted", count=len(rows) - len(data)),
                "x": 1,
                "y": 1.02,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "right",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 13, "color": "#5f6b7a"},
            }
        )
    layout = {
        "shapes": [
            *(
                {**shade, "x0": start, "x1": end, "fillcolor": STATUSES.loc[status, "colour"]}
                for start, end, status in regions
            ),
            {**target, "line": {"dash": "dot", "color": INK}},
        ],
        "annotations": annotations,
        "xaxis": {"title": {"text": t("chart.pace_axis")}, "range": [bottom, top]},
        "yaxis": {"title": {"text": axis}, "ticksuffix": "%", "range": [low, high]},
    }
    return _figure(traces, layout, t("chart.scatter_outcome") if outcome else t("chart.scatter"), height=480)


def in_year_indicator_figure(
    year_rows: pd.DataFrame, actual: pd.DataFrame, last_year: pd.DataFrame, name: str, year: int, lang: str = "zh"
) -> go.Figure:
    """Return one indicator's figures of a year month by month, against its 序时进度 and last year's same months.

    `year_rows` are its in-year rows for months 1–12 (expected_value, annual_target, unit); `actual` and
    `last_year` its reported figures (month, value) of the year and of the year before.
    """
    t = translator(lang)
    first = year_rows.iloc[0]
    unit = first["unit"]
    traces = [
        {
            "type": "scatter",
            "x": year_rows["month"],
            "y": year_rows["expected_value"],
            "mode": "lines",
            "name": t("chart.due_line"),
            "line": {
                "color": "#8a94a6",
                "width": 2,
                "dash": "dot",
                "shape": "hv" if first["value_kind"] == "milestone" else "linear",
            },
            "text": [value_text(v, unit, lang) for v in year_rows["expected_value"]],
            "hovertemplate": f"%{{x}}{t('chart.month_suffix')}<br>{t('chart.due_line')}: %{{text}}<extra></extra>",
        },
        {
            "type": "scatter",
            "x": [1, 12],
            "y": [first["annual_target"]] * 2,
            "mode": "lines",
            "name": t("chart.annual_target", value=value_text(first["annual_target"], unit, lang)),
            "line": {"color": STATUSES.loc["achieved", "colour"], "width": 2, "dash": "dash"},
            "hoverinfo": "skip",
        },
    ]
    if len(last_year):
        traces.append(
            {
                "type": "scatter",
                "x": last_year["month"],
                "y": last_year["value"],
                "mode": "lines+markers",
                "name": t("chart.last_year", year=year - 1),
                "line": {"color": "#b0b7c3", "width": 2},
                "marker": {"size": 6},
                "text": [value_text(v, unit, lang) for v in last_year["value"]],
                "hovertemplate": f"%{{x}}{t('chart.month_suffix')}<br>{year - 1}: %{{text}}<extra></extra>",
            }
        )
    traces.append(
        {
            "type": "scatter",
            "x": actual["month"],
            "y": actual["value"],
            "mode": "lines+markers+text",
            "name": t("chart.this_year", year=year),
            "line": {"color": ACCENT, "width": 3},
            "marker": {"size": 9},
            "text": [value_text(v, unit, lang) for v in actual["value"]],
            "textposition": "top center",
            "cliponaxis": False,
            "hovertemplate": f"%{{x}}{t('chart.month_suffix')}<br>{year}: %{{text}}<extra></extra>",
        }
    )
    shown_values = pd.concat(
        [year_rows["expected_value"], actual["value"], last_year["value"], year_rows["annual_target"]]
    )
    # A year-to-date total from zero; a level around its values, where its month-to-month moves show.
    low, high = float(shown_values.min()), float(shown_values.max())
    span = high - low or abs(high) or 1.0
    low = 0.0 if first["value_kind"] == "cumulative" else low - 0.1 * span
    values_axis = {"range": [low, high + 0.18 * span], "tickformat": NUMBER_TICKS}
    if unit == "%":
        values_axis["ticksuffix"] = "%"
    layout = {
        "xaxis": {"title": {"text": t("chart.month_axis")}, "dtick": 1, "range": [0.5, 12.5]},
        "yaxis": values_axis,
    }
    shown = format_unit(unit, lang)
    return _figure(traces, layout, t("text.with_note", text=name, note=shown) if shown else name, height=420)


def milestone_timeline_figure(
    key_tasks: pd.DataFrame, milestones: pd.DataFrame, as_of, title: str, lang: str = "zh"
) -> go.Figure:
    """Return each key task's time as a thin bar, its milestones as markers coloured by status, the reporting date
    as a vertical line; hovering a milestone gives its description, due date and status.

    `key_tasks` has label, start_date, due_date, top to bottom; `milestones` has label, due_date, description_zh,
    status and status_text.
    """
    t = translator(lang)
    order = key_tasks["label"].tolist()
    spans = {
        "type": "scatter",
        "x": [d for a, b in zip(key_tasks["start_date"], key_tasks["due_date"], strict=True) for d in (a, b, None)],
        "y": [label for label in order for _ in range(3)],
        "mode": "lines",
        "line": {"color": GRID, "width": 10},
        "hoverinfo": "skip",
        "showlegend": False,
    }
    traces = [spans] + [
        {
            "type": "scatter",
            "x": rows["due_date"],
            "y": rows["label"],
            "mode": "markers",
            "name": f"{KEY_TASK_STATUSES.loc[status, 'symbol']} {t(f'keytask.status_{status}', days='N')}",
            "marker": {
                "symbol": KEY_TASK_STATUSES.loc[status, "marker"],
                "size": 16,
                "color": KEY_TASK_STATUSES.loc[status, "colour"],
                "line": {"width": 2, "color": KEY_TASK_STATUSES.loc[status, "colour"]},
            },
            "customdata": rows[["description_zh", "status_text"]].assign(due=rows["due_date"].astype("str")),
            "hovertemplate": f"%{{y}}<br>%{{customdata[0]}}<br>{t('keytask.chart_due')}: %{{customdata[2]}}"
            "<br>%{customdata[1]}<extra></extra>",
        }
        for status, rows in milestones.groupby("status", sort=False)
    ]
    line = {"type": "line", "x0": as_of, "x1": as_of, "yref": "paper", "y0": 0, "y1": 1}
    layout = {
        "xaxis": {"type": "date"},
        "yaxis": {"categoryorder": "array", "categoryarray": order, "autorange": "reversed", "type": "category"},
        "shapes": [line | {"line": {"color": INK, "width": 2, "dash": "dash"}}],
        "annotations": [
            {
                "x": as_of,
                "y": 1,
                "yref": "paper",
                "text": t("keytask.chart_today"),
                "showarrow": False,
                "yanchor": "bottom",
            }
        ],
    }
    return _figure(traces, layout, title, height=max(260, 48 * len(order) + 160))
