"""Vega-Lite specs of the overview's charts, as plain dicts: readable from the back of a room, in the UI language.

Streamlit draws them with the Vega-Lite it already loads for the programme cards' sparklines; a Plotly chart
would make a new visitor's browser load and run Plotly's 4.7 MB script first (about 2 s). No altair: its import
alone is slow, and a dict is all st.vega_lite_chart needs. Each chart's rows are worked out here, with their texts
(score, share, status with its symbol), so the browser computes nothing and the specs can be tested as data.
"""

from __future__ import annotations

import math

import pandas as pd

from hqd.formatting import clip_text, display_width, drop_negative_zero, format_score, share_text
from hqd.i18n import status_text, translator
from hqd.labels import STATUSES

# Chinese first: a machine with only Noto CJK renders it, Windows and macOS fall back to their own.
FONT = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif"
INK, GRID = "#1a1a1a", "#e6e9ef"
# A five-pointed star within Vega's symbol square (-1..1), as Vega has no star of its own.
STAR = (
    "M"
    + "L".join(
        f"{r * math.sin(math.pi * k / 5):.3f},{-r * math.cos(math.pi * k / 5):.3f}"
        for k, r in zip(range(10), [1, 0.42] * 5, strict=True)
    )
    + "Z"
)
# Each status's symbol shape (the shapes hqd.charts.MARKERS gives Plotly's markers), so that a point tells its
# status printed in black and white too. An ✖ filled: Vega's "cross" is a plus.
SHAPES = {
    "achieved": STAR,
    "on_track": "circle",
    "at_risk": "triangle-up",
    "lagging": "triangle-down",
    "missed": "diamond",
    "regressing": "M-1,-0.6L-0.6,-1L0,-0.4L0.6,-1L1,-0.6L0.4,0L1,0.6L0.6,1L0,0.4L-0.6,1L-1,0.6L-0.4,0Z",
    "insufficient_data": "square",
    "no_data": "cross",
}
# The expected score's mark: an upright stroke across its bar.
STROKE = "M0,-1L0,1"
# A bar shorter than this (on the 0–100 score axis) has its label beside it, where there is room to read it.
INSIDE_FROM = 15
# The months' due line, dashed.
DASH = [8, 5]
# The width of a chart, in pixels, across the page's main column and across half of it (two charts side by side),
# on a 1280-pixel screen with the sidebar open: a legend below a chart lists its entries in one row while they fit
# beside the chart's labels, else in a column, as Plotly's did.
WHOLE, HALF = 800, 400
# The pixels an axis's label may take before it is cut (with …).
LABEL_LIMIT = 260
# A segment of the status split narrower than this share of the longest bar shows its count without its symbol,
# which would run out of it.
NARROW = 0.12
# The tooltip's heading: vega-tooltip shows a field titled "title" above the others.
HEADING = "title"


def _look(title: str, height: int, spec: dict, legend: dict | None = None) -> dict:
    """Return `spec` with the shared look: its title, large fonts, legend below (`legend`'s keys win), a light grid,
    white background."""
    # Each text's font named where Streamlit names its own (Source Sans, without Chinese), which config.font loses to.
    axis = {
        "labelFont": FONT,
        "titleFont": FONT,
        "labelFontSize": 14,
        "titleFontSize": 14,
        "labelColor": INK,
        "titleColor": INK,
        "titleFontWeight": "normal",
        "gridColor": GRID,
        "domainColor": "#8a94a6",
        "tickColor": "#8a94a6",
        # Long names (English above all) are cut only past this many pixels.
        "labelLimit": LABEL_LIMIT,
    }
    legend = {
        "orient": "bottom",
        "direction": "horizontal",
        "title": None,
        "labelFont": FONT,
        "labelFontSize": 14,
        "labelColor": INK,
        "labelLimit": 320,
        "symbolSize": 160,
        "columnPadding": 14,
        **(legend or {}),
    }
    return {
        "title": {
            "text": title,
            "anchor": "start",
            "font": FONT,
            "fontSize": 20,
            "fontWeight": "bold",
            "color": INK,
            "offset": 12,
        },
        "height": height,
        "background": "white",
        "padding": {"left": 4, "right": 24, "top": 4, "bottom": 4},
        "config": {
            "font": FONT,
            "view": {"stroke": None},
            "axis": axis,
            "legend": legend,
            "text": {"font": FONT, "fontSize": 14},
        },
        **spec,
    }


def _text_width(text: str) -> float:
    """Return a text's width in pixels at 14 px, estimated: 7.5 px a column, a Chinese character two columns."""
    return 7.5 * display_width(text)


def _legend_layout(entries: list[str], labels: list[str], room: int) -> tuple[dict, int]:
    """Return how the legends below a chart `room` pixels wide lay out, and the pixels its axis's `labels` may take.

    The legends start where the bars do, beside the labels: their `entries` in one row while it fits there, else
    one legend under another, each a column, the labels cut (with …, whole in the tooltip) where the widest entry
    would not fit beside them. The chart's width is known only in the browser, and Vega cuts a legend too wide.
    """
    widths = [_text_width(entry) + 36 for entry in entries]
    beside = min(LABEL_LIMIT, max((_text_width(label) for label in labels), default=0)) + 10
    if beside + sum(widths) <= room:
        return {"direction": "horizontal"}, LABEL_LIMIT
    limit = int(max(120, min(LABEL_LIMIT, room - max(widths) - 20)))
    return {"direction": "vertical", "layout": {"direction": "vertical"}}, limit


def _number(value) -> float | None:
    """Return a float, or None for a missing one (JSON has no NaN; Vega-Lite leaves a null out)."""
    return None if value is None or pd.isna(value) else float(value)


def _status_colours(statuses, lang: str) -> dict:
    """Return the colour scale of the statuses present, in order of severity (hqd.labels.STATUSES), by their text."""
    present = [status for status in STATUSES.index if status in set(statuses)]
    return {
        "domain": [status_text(status, lang) for status in present],
        "range": [STATUSES.loc[status, "colour"] for status in present],
    }


def _bars_axis(field: str, order: list[str], limit: int) -> dict:
    """Return the bars' axis: one band per row of `field`, in `order` top to bottom, its labels cut past `limit`."""
    return {
        "field": field,
        "type": "nominal",
        "sort": order,
        "scale": {"paddingInner": 0.35, "paddingOuter": 0.2},
        "axis": {"title": None, "ticks": False, "domain": False, "labelLimit": limit},
    }


def score_spec(frame: pd.DataFrame, label: str, title: str, lang: str = "zh", room: int = WHOLE) -> dict:
    """Return bars of score coloured by status, each with an upright stroke at its expected score, for a chart
    `room` pixels wide (WHOLE or HALF).

    `frame` has the label column, score, expected_score and status; rows top to bottom. A bar's label (status
    symbol and score) is inside its end, or beside it when the bar is too short to hold it.
    """
    t = translator(lang)
    rows = [
        {
            "label": row[label],
            "score": _number(row["score"]) or 0.0,
            "score_text": (score := drop_negative_zero(format_score(row["score"]))),
            "bar_text": f"{STATUSES.loc[row['status'], 'symbol']} {score}",
            "inside": bool(pd.notna(row["score"]) and row["score"] >= INSIDE_FROM),
            "expected": _number(row["expected_score"]),
            "expected_text": format_score(row["expected_score"]),
            "status": status_text(row["status"], lang),
            "stroke": t("chart.expected"),
        }
        for _, row in frame.iterrows()
    ]
    order = [row["label"] for row in rows]
    colours = _status_colours(frame["status"], lang)
    legend, limit = _legend_layout([*colours["domain"], t("chart.expected")], order, room)
    y = _bars_axis("label", order, limit)
    x = {
        "field": "score",
        "type": "quantitative",
        "scale": {"domain": [0, 104], "nice": False},
        "axis": {"title": t("chart.score_axis"), "values": [0, 20, 40, 60, 80, 100]},
    }
    tooltip = [
        {"field": "label", "title": HEADING},
        {"field": "score_text", "title": t("chart.score")},
        {"field": "expected_text", "title": t("chart.expected")},
        {"field": "status", "title": t("col.status")},
    ]
    text = {"type": "text", "baseline": "middle", "fontSize": 15, "fontWeight": "bold"}
    layers = [
        {
            "mark": {"type": "bar", "cornerRadiusEnd": 2},
            "encoding": {
                "x": x,
                "y": y,
                "color": {"field": "status", "type": "nominal", "scale": colours},
                "tooltip": tooltip,
            },
        },
        # The bar's label: inside its end, in white, or beside a short bar, in ink.
        *(
            {
                "transform": [{"filter": {"field": "inside", "equal": inside}}],
                "mark": {**text, "align": align, "dx": dx, "color": colour},
                "encoding": {
                    "x": {"field": "score", "type": "quantitative"},
                    "y": y,
                    "text": {"field": "bar_text"},
                    "tooltip": tooltip,
                },
            }
            for inside, align, dx, colour in ((True, "right", -6, "white"), (False, "left", 6, INK))
        ),
        {
            "mark": {"type": "point", "filled": False, "size": 900, "strokeWidth": 4, "color": INK, "opacity": 1},
            "encoding": {
                "x": {"field": "expected", "type": "quantitative"},
                "y": y,
                # A legend of its own, saying what the stroke is.
                "shape": {
                    "field": "stroke",
                    "type": "nominal",
                    "scale": {"range": [STROKE]},
                    "legend": {"symbolSize": 250},
                },
                "tooltip": tooltip,
            },
        },
    ]
    spec = {"data": {"values": rows}, "layer": layers}
    return _look(title, max(260, 62 * len(rows) + 150), spec, legend)


def status_split_spec(frame: pd.DataFrame, label: str, title: str, lang: str = "zh", room: int = WHOLE) -> dict:
    """Return stacked bars: how many indicators of each group are in each status, in order of severity, for a
    chart `room` pixels wide (WHOLE or HALF).

    Each segment is a row with its start and end (worked out here, not stacked by Vega-Lite) and its label
    (the status's symbol and the count) in its middle, upright.
    """
    t = translator(lang)
    order = list(dict.fromkeys(frame[label]))
    counts = frame.groupby([label, "status"], sort=False).size().unstack(fill_value=0)
    statuses = [status for status in STATUSES.index if status in counts.columns]
    most = int(counts.to_numpy().sum(axis=1).max()) if len(counts) else 0
    rows = []
    for group in order:
        start = 0
        for status in statuses:
            count = int(counts.loc[group, status])
            if count:
                rows.append(
                    {
                        "group": group,
                        "status": status_text(status, lang),
                        "count": count,
                        "start": start,
                        "end": start + count,
                        "middle": start + count / 2,
                        "text": str(count) if count < NARROW * most else f"{STATUSES.loc[status, 'symbol']} {count}",
                    }
                )
            start += count
    colours = _status_colours(counts.columns, lang)
    legend, limit = _legend_layout(colours["domain"], order, room)
    y = _bars_axis("group", order, limit)
    axis = {"title": t("chart.count_axis"), "tickMinStep": 1, "format": "d"}
    if most <= 12:
        # Every indicator ticked while a bar holds a few.
        axis["values"] = list(range(most + 1))
    tooltip = [
        {"field": "group", "title": HEADING},
        {"field": "status", "title": t("col.status")},
        {"field": "count", "title": t("chart.count_axis")},
    ]
    layers = [
        {
            "mark": {"type": "bar"},
            "encoding": {
                "x": {"field": "start", "type": "quantitative", "scale": {"domain": [0, max(most, 1)]}, "axis": axis},
                "x2": {"field": "end"},
                "y": y,
                "color": {"field": "status", "type": "nominal", "scale": colours},
                "tooltip": tooltip,
            },
        },
        {
            # Never turned on its side to fit a narrow segment: a turned ▲ reads as another status's symbol.
            "mark": {"type": "text", "baseline": "middle", "align": "center", "color": "white", "fontWeight": "bold"},
            "encoding": {
                "x": {"field": "middle", "type": "quantitative"},
                "y": y,
                "text": {"field": "text"},
                "tooltip": tooltip,
            },
        },
    ]
    return _look(title, max(260, 62 * len(order) + 150), {"data": {"values": rows}, "layer": layers}, legend)


# The columns of the in-year rows months_spec reads.
MONTHS_COLUMNS = ["code", "month", "completion", "expected_completion", "status"]


def months_spec(
    rows: pd.DataFrame, names: pd.Series, title: str, lang: str = "zh", drawn: list[str] | None = None
) -> dict:
    """Return each monthly indicator's completion month by month, against the dashed 序时进度 line.

    `rows` are in-year rows (code, month, completion, expected_completion, status) of the months so far; `names`
    each indicator's name by code; `drawn` the indicators given a line (default all). A line takes the colour and
    symbol of its indicator's latest status. The 序时进度 is drawn once, as the months' mean of the expected
    completions of all rows (m/12 for every indicator when no seasonal shape is set).
    """
    t = translator(lang)
    months = [f"{m}{t('chart.month_suffix')}" for m in range(1, 13)]
    rows = rows.sort_values(["code", "month"])
    lines = rows if drawn is None else rows[rows["code"].isin(drawn)]
    points, series, colours, shapes = [], [], [], []
    for code, own in lines.groupby("code", sort=False):
        known = own[own["completion"].notna()]
        if known.empty:
            continue
        status = known["status"].iloc[-1]
        name = names.get(code, code)
        # The legend's name, cut; two indicators cut to the same name keep their codes apart.
        shown = clip_text(name, 24)
        shown = f"{shown} {code}" if shown in series else shown
        series.append(shown)
        colours.append(STATUSES.loc[status, "colour"])
        shapes.append(SHAPES[status])
        points += [
            {"series": shown, "name": name, "month": months[int(m) - 1], "completion": float(c), "text": share_text(c)}
            for m, c in zip(known["month"], known["completion"], strict=True)
        ]
    due = rows.groupby("month")["expected_completion"].mean()
    due_rows = [
        {"month": months[int(m) - 1], "due": float(d), "text": share_text(d), "line": t("chart.due_line")}
        for m, d in due.items()
    ]
    shown_values = [p["completion"] for p in points] + [d["due"] for d in due_rows]
    low = min([0.0, *shown_values])
    high = max([1.05, *shown_values])
    x = {
        "field": "month",
        "type": "ordinal",
        "sort": months,
        "scale": {"domain": months, "type": "point", "padding": 0.5},
        "axis": {"title": t("chart.month_axis"), "labelAngle": 0, "grid": True},
    }
    y = {
        "field": "completion",
        "type": "quantitative",
        "scale": {"domain": [low, high], "nice": False},
        # No title turned on its side: the chart's title says what the shares are.
        "axis": {"title": None, "format": ".0%", "tickCount": 6},
    }
    by_line = {
        "color": {"field": "series", "type": "nominal", "scale": {"domain": series, "range": colours}},
        "shape": {"field": "series", "type": "nominal", "scale": {"domain": series, "range": shapes}},
    }
    due_y = {**y, "field": "due"}
    due_tooltip = [{"field": "month", "title": HEADING}, {"field": "text", "title": t("chart.due_line")}]
    layers = [
        {
            "data": {"name": "lines"},
            # Hovering is on the points: a line's own tooltip would be its first row, every field of it.
            "mark": {"type": "line", "strokeWidth": 2.5, "tooltip": None},
            "encoding": {"x": x, "y": y, "color": by_line["color"], "detail": {"field": "series"}},
        },
        {
            "data": {"name": "lines"},
            "mark": {"type": "point", "filled": True, "size": 70, "opacity": 1},
            "encoding": {
                "x": x,
                "y": y,
                **by_line,
                "tooltip": [
                    {"field": "name", "title": HEADING},
                    {"field": "month", "title": t("chart.month_axis")},
                    {"field": "text", "title": t("col.completion")},
                ],
            },
        },
        {
            "data": {"name": "due"},
            "mark": {"type": "line", "strokeWidth": 3, "color": INK, "tooltip": None},
            "encoding": {
                "x": x,
                "y": due_y,
                # A legend of its own, with the dashed stroke.
                "strokeDash": {
                    "field": "line",
                    "type": "nominal",
                    "scale": {"range": [DASH]},
                    "legend": {"symbolType": "stroke", "symbolSize": 600, "symbolStrokeWidth": 3},
                },
            },
        },
        {
            # Invisible points on the due line: hovering one says the share due by that month.
            "data": {"name": "due"},
            "mark": {"type": "point", "size": 200, "opacity": 0},
            "encoding": {"x": x, "y": due_y, "tooltip": due_tooltip},
        },
    ]
    spec = {"datasets": {"lines": points, "due": due_rows}, "layer": layers}
    # The legend lists the lines down the right, as many as are drawn.
    return _look(title, 480, spec, legend={"orient": "right", "direction": "vertical"})
