"""The overview's charts drawn as SVG on the server: readable from the back of a room, in the UI language.

A new visitor's browser draws them with nothing to fetch or run: a Vega-Lite or Plotly chart makes it load and run
a charting library's script first (about 0.5 s for Vega, 2 s for Plotly), longer than the rest of the overview.
Each chart is an ElementTree element, built here with every position, colour and text worked out, so that tests
read a chart as data (bars, labels, hovers) and `to_markup` escapes what an uploaded name may hold. A hover is the
browser's own: each mark's <title>.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pandas as pd

from hqd.formatting import clip_text, display_width, drop_negative_zero, format_score, share_text
from hqd.i18n import status_text, translator
from hqd.labels import STATUSES

# Chinese first: a machine with only Noto CJK renders it, Windows and macOS fall back to their own.
FONT = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif"
INK, GRID, AXIS = "#1a1a1a", "#e6e9ef", "#8a94a6"
# Each status's symbol as a path within the square -1..1 (the shapes hqd.charts.MARKERS gives Plotly's markers), so
# that a mark tells its status printed in black and white too.
SHAPES = {
    "achieved": "M"
    + "L".join(
        f"{r * math.sin(math.pi * k / 5):.3f},{-r * math.cos(math.pi * k / 5):.3f}"
        for k, r in zip(range(10), [1, 0.42] * 5, strict=True)
    )
    + "Z",
    "on_track": "M1,0A1,1 0 1,1 -1,0A1,1 0 1,1 1,0Z",
    "at_risk": "M0,-1L1,0.8L-1,0.8Z",
    "lagging": "M0,1L1,-0.8L-1,-0.8Z",
    "missed": "M0,-1L1,0L0,1L-1,0Z",
    "regressing": "M-1,-0.6L-0.6,-1L0,-0.4L0.6,-1L1,-0.6L0.4,0L1,0.6L0.6,1L0,0.4L-0.6,1L-1,0.6L-0.4,0Z",
    "insufficient_data": "M-0.85,-0.85H0.85V0.85H-0.85Z",
    "no_data": "M-0.3,-1H0.3V-0.3H1V0.3H0.3V1H-0.3V0.3H-1V-0.3H-0.3Z",
}
# The width of a chart across the page's main column and across half of it (two side by side), on a 1280-pixel
# screen with the sidebar open; the chart scales to its column, its texts with it.
WHOLE, HALF = 800, 420
# The pixels an axis's label may take before it is cut (with …, whole in its hover).
LABEL_LIMIT = 260
# A bar shorter than this (on the 0–100 score axis) has its label beside it, where there is room to read it.
INSIDE_FROM = 15
# A segment of the status split narrower than this share of the longest bar shows its count without its symbol.
NARROW = 0.12
# The months' due line, dashed.
DASH = "8 5"
TITLE_SIZE, TEXT_SIZE = 20, 14
# Vertical room: the title's band, one bar's band, the axis below the bars, a legend's row.
TITLE_BAND, BAR_BAND, AXIS_BAND, LEGEND_ROW = 44, 50, 56, 26
BAR_THICKNESS = 30


def to_markup(chart: ET.Element) -> str:
    """Return a chart as markup for st.markdown: one HTML block (a <div> with no blank line), so that Markdown
    leaves every text in it alone, escaped by ElementTree.

    Colons as character references: Streamlit rewrites icon codes (":material/home:") in the text it is given, HTML
    blocks too, and a name may hold one. The browser reads the references back as colons, in text and attributes.
    """
    return f'<div class="hqd-chart">{ET.tostring(chart, encoding="unicode")}</div>'.replace(":", "&#58;")


def _text_width(text: str, size: int = TEXT_SIZE) -> float:
    """Return a text's width in pixels, estimated: 0.54 of the size a column, a Chinese character two columns."""
    return 0.54 * size * display_width(text)


def _clip_to(text: str, pixels: float, size: int = TEXT_SIZE) -> str:
    """Return the text cut (with …) to fit in `pixels` at `size`."""
    # A hair over: a text measured to fit exactly must not lose its last character to rounding.
    return clip_text(text, max(2, int(pixels / (0.54 * size) + 1e-6)))


def _plain(text) -> str:
    """Return a text on one line: a name from a file may hold line breaks, which would end the HTML block."""
    return " ".join(str(text).split())


def _canvas(title: str, width: int, height: float) -> ET.Element:
    chart = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {width} {math.ceil(height)}",
            "width": "100%",
            "role": "img",
            "aria-label": _plain(title),
            "font-family": FONT,
            "font-size": str(TEXT_SIZE),
            "fill": INK,
        },
    )
    ET.SubElement(chart, "rect", {"width": "100%", "height": "100%", "fill": "white"})
    _text(chart, 4, 26, title, size=TITLE_SIZE, weight="bold", role="title")
    return chart


def _text(parent: ET.Element, x: float, y: float, text, size: int = TEXT_SIZE, anchor: str = "start", **style):
    """Add a text at (x, y), its middle on y; `style` as attributes (fill, weight, role)."""
    attributes = {"x": f"{x:.1f}", "y": f"{y:.1f}", "dominant-baseline": "central"}
    if anchor != "start":
        attributes["text-anchor"] = anchor
    if size != TEXT_SIZE:
        attributes["font-size"] = str(size)
    if "weight" in style:
        attributes["font-weight"] = style.pop("weight")
    if "role" in style:
        attributes["class"] = style.pop("role")
    attributes.update(style)
    element = ET.SubElement(parent, "text", attributes)
    element.text = _plain(text)
    return element


def _hover(parent: ET.Element, lines: list[str], role: str) -> ET.Element:
    """Add a group whose marks show `lines` when hovered (the browser's own tooltip)."""
    group = ET.SubElement(parent, "g", {"class": role})
    ET.SubElement(group, "title").text = "\n".join(_plain(line) for line in lines)
    return group


def _symbol(parent: ET.Element, status: str, x: float, y: float, radius: float, colour: str) -> ET.Element:
    return ET.SubElement(
        parent,
        "path",
        {"d": SHAPES[status], "transform": f"translate({x:.1f},{y:.1f}) scale({radius})", "fill": colour},
    )


def _line(parent: ET.Element, x1: float, y1: float, x2: float, y2: float, stroke: str, **attributes) -> ET.Element:
    """Add a straight line; `attributes` by their SVG names with _ for - (stroke_width)."""
    ends = {"x1": f"{x1:.1f}", "x2": f"{x2:.1f}", "y1": f"{y1:.1f}", "y2": f"{y2:.1f}", "stroke": stroke}
    return ET.SubElement(parent, "line", ends | {name.replace("_", "-"): value for name, value in attributes.items()})


def _polyline(parent: ET.Element, points: list[tuple[float, float]], stroke: str, width: str, **attributes) -> None:
    """Add a line through points (x, y); `attributes` as _line's."""
    path = {"points": " ".join(f"{x:.1f},{y:.1f}" for x, y in points), "fill": "none", "stroke": stroke}
    extra = {name.replace("_", "-"): value for name, value in attributes.items()}
    ET.SubElement(parent, "polyline", path | {"stroke-width": width} | extra)


def _legend(parent: ET.Element, entries: list[tuple[str, str, str]], left: float, top: float, width: float) -> float:
    """Add legend entries (kind: swatch or stroke; colour; text) in rows from (left, top), wrapping within
    `width`; return the height taken."""
    group = ET.SubElement(parent, "g", {"class": "legend"})
    x, y = left, top + LEGEND_ROW / 2
    for kind, colour, text in entries:
        room = 26 + _text_width(text) + 18
        if x > left and x + room > left + width:
            x, y = left, y + LEGEND_ROW
        if kind == "swatch":
            ET.SubElement(
                group, "rect", {"x": f"{x:.1f}", "y": f"{y - 7:.1f}", "width": "14", "height": "14", "fill": colour}
            )
        else:
            _line(group, x + 7, y - 9, x + 7, y + 9, colour, stroke_width="4")
        _text(group, x + 24, y, text)
        x += room
    return y + LEGEND_ROW / 2 - top


def _status_entries(statuses, lang: str) -> list[tuple[str, str, str]]:
    """Return the legend's entries of the statuses present, in order of severity (hqd.labels.STATUSES)."""
    present = set(statuses)
    return [
        ("swatch", STATUSES.loc[status, "colour"], status_text(status, lang))
        for status in STATUSES.index
        if status in present
    ]


def _x_axis(parent, scale, ticks: list[float], labels: list[str], top: float, bottom: float, title: str) -> None:
    """Add upright grid lines at the ticks from `top` to `bottom`, their labels and the axis's title below."""
    group = ET.SubElement(parent, "g", {"class": "axis"})
    for tick, label in zip(ticks, labels, strict=True):
        x = scale(tick)
        _line(group, x, top, x, bottom, GRID)
        _text(group, x, bottom + 12, label, anchor="middle")
    middle = (scale(ticks[0]) + scale(ticks[-1])) / 2
    _text(group, middle, bottom + 36, title, anchor="middle", role="axis-title")


def _labels_room(labels: list[str], room: int) -> float:
    """Return the pixels the bars' labels take on their left: the longest, up to LABEL_LIMIT (a third of a half)."""
    most = min(LABEL_LIMIT, room / 3)
    return min(most, max((_text_width(label) for label in labels), default=0)) + 12


def _bar_frame(labels: list[str], room: int) -> tuple[float, float, float, float]:
    """Return where a bar chart's bars go: from left to right, and from top to bottom (one band per label)."""
    top = TITLE_BAND + 8
    return _labels_room(labels, room), room - 30, top, top + BAR_BAND * len(labels)


def _with_legend(title: str, room: int, body: ET.Element, entries, left: float, bottom: float) -> ET.Element:
    """Return a bar chart: its title, its bars (`body`) and their legend below the axis, as tall as they need."""
    legend = ET.Element("g")
    height = _legend(legend, entries, left, bottom + AXIS_BAND, room - left)
    chart = _canvas(title, room, bottom + AXIS_BAND + height + 8)
    chart.extend([body, legend])
    return chart


def _bar_labels(parent, labels: list[str], width: float, top: float) -> None:
    for i, label in enumerate(labels):
        _text(parent, width - 12, top + (i + 0.5) * BAR_BAND, _clip_to(label, width - 12), anchor="end", role="label")


def score_chart(frame: pd.DataFrame, label: str, title: str, lang: str = "zh", room: int = WHOLE) -> ET.Element:
    """Return bars of score coloured by status, each with an upright stroke at its expected score, `room` wide.

    `frame` has the label column, score, expected_score and status; rows top to bottom. A bar's label (status
    symbol and score) is inside its end, or beside it when the bar is too short to hold it.
    """
    t = translator(lang)
    labels = [_plain(name) for name in frame[label]]
    left, right, top, bottom = _bar_frame(labels, room)
    scale = lambda value: left + (right - left) * min(max(value, 0), 104) / 104
    entries = [*_status_entries(frame["status"], lang), ("stroke", INK, t("chart.expected"))]
    body = ET.Element("g")
    ticks = [0, 20, 40, 60, 80, 100]
    _x_axis(body, scale, ticks, [str(tick) for tick in ticks], top, bottom, t("chart.score_axis"))
    _bar_labels(body, labels, left, top)
    for i, row in enumerate(frame.itertuples(index=False)):
        score, expected, status = row.score, row.expected_score, row.status
        middle = top + (i + 0.5) * BAR_BAND
        score_text = drop_negative_zero(format_score(score))
        colour = STATUSES.loc[status, "colour"]
        bar = _hover(
            body,
            [
                labels[i],
                t("chart.hover_line", label=t("chart.score"), value=score_text),
                t("chart.hover_line", label=t("chart.expected"), value=format_score(expected)),
                t("chart.hover_line", label=t("col.status"), value=status_text(status, lang)),
            ],
            "bar",
        )
        end = scale(0 if pd.isna(score) else score)
        ET.SubElement(
            bar,
            "rect",
            {
                "x": f"{left:.1f}",
                "y": f"{middle - BAR_THICKNESS / 2:.1f}",
                "width": f"{end - left:.1f}",
                "height": str(BAR_THICKNESS),
                "rx": "2",
                "fill": colour,
                "data-value": score_text,
            },
        )
        text = f"{STATUSES.loc[status, 'symbol']} {score_text}"
        if pd.notna(score) and score >= INSIDE_FROM:
            _text(bar, end - 6, middle, text, size=15, anchor="end", fill="white", weight="bold", role="value")
        else:
            _text(bar, end + 6, middle, text, size=15, weight="bold", role="value")
        if pd.notna(expected):
            x = scale(expected)
            reach = BAR_THICKNESS / 2 + 5
            _line(bar, x, middle - reach, x, middle + reach, INK, stroke_width="4", **{"class": "expected"}).set(
                "data-value", format_score(expected)
            )
    return _with_legend(title, room, body, entries, left, bottom)


def status_split_chart(frame: pd.DataFrame, label: str, title: str, lang: str = "zh", room: int = WHOLE) -> ET.Element:
    """Return stacked bars: how many indicators of each group are in each status, in order of severity, `room` wide.

    Each segment carries its count (with the status's symbol where it is wide enough) in its middle.
    """
    t = translator(lang)
    groups = list(dict.fromkeys(frame[label]))
    counts = frame.groupby([label, "status"], sort=False).size().unstack(fill_value=0)
    statuses = [status for status in STATUSES.index if status in counts.columns]
    most = max(int(counts.to_numpy().sum(axis=1).max()) if len(counts) else 0, 1)
    labels = [_plain(group) for group in groups]
    left, right, top, bottom = _bar_frame(labels, room)
    scale = lambda value: left + (right - left) * value / most
    ticks = list(range(most + 1)) if most <= 12 else _nice_ticks(0, most, whole=True)
    body = ET.Element("g")
    _x_axis(body, scale, ticks, [str(int(tick)) for tick in ticks], top, bottom, t("chart.count_axis"))
    _bar_labels(body, labels, left, top)
    for i, group in enumerate(groups):
        middle, start = top + (i + 0.5) * BAR_BAND, 0
        for status in statuses:
            count = int(counts.loc[group, status])
            if not count:
                continue
            name = status_text(status, lang)
            segment = _hover(
                body,
                [
                    labels[i],
                    t("chart.hover_line", label=t("col.status"), value=name),
                    t("chart.hover_line", label=t("chart.count_axis"), value=count),
                ],
                "segment",
            )
            x0, x1 = scale(start), scale(start + count)
            ET.SubElement(
                segment,
                "rect",
                {
                    "x": f"{x0:.1f}",
                    "y": f"{middle - BAR_THICKNESS / 2:.1f}",
                    "width": f"{x1 - x0:.1f}",
                    "height": str(BAR_THICKNESS),
                    "fill": STATUSES.loc[status, "colour"],
                    "stroke": "white",
                    "data-value": str(count),
                },
            )
            text = str(count) if count < NARROW * most else f"{STATUSES.loc[status, 'symbol']} {count}"
            _text(segment, (x0 + x1) / 2, middle, text, anchor="middle", fill="white", weight="bold", role="value")
            start += count
    return _with_legend(title, room, body, _status_entries(counts.columns, lang), left, bottom)


def _nice_ticks(low: float, high: float, count: int = 6, whole: bool = False) -> list[float]:
    """Return round ticks from at or below `low` to at or above `high`, about `count` of them."""
    raw = (high - low) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    if whole:
        step = max(1, round(step))
    first = math.floor(low / step) * step
    ticks = [first + i * step for i in range(int(math.ceil((high - first) / step - 1e-9)) + 1)]
    return [round(tick, 10) for tick in ticks]


# The columns of the in-year rows months_chart reads.
MONTHS_COLUMNS = ["code", "month", "completion", "expected_completion", "status"]
MONTHS_HEIGHT = 420


def months_chart(
    rows: pd.DataFrame, names: pd.Series, title: str, lang: str = "zh", drawn: list[str] | None = None
) -> ET.Element:
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
    series = []
    for code, own in lines.groupby("code", sort=False):
        known = own[own["completion"].notna()]
        if known.empty:
            continue
        name = _plain(names.get(code, code))
        # The legend's name, cut; two indicators cut to the same name keep their codes apart.
        shown = clip_text(name, 24)
        shown = f"{shown} {code}" if shown in [s[0] for s in series] else shown
        points = list(zip(known["month"].astype(int), known["completion"].astype(float), strict=True))
        series.append((shown, name, known["status"].iloc[-1], points))
    due = rows.groupby("month")["expected_completion"].mean()
    values = [c for *_, points in series for _, c in points] + list(due.astype(float))
    ticks = _nice_ticks(min([0.0, *values]), max([1.05, *values]))
    legend_width = min(LABEL_LIMIT, max([_text_width(s[0]) for s in series] + [_text_width(t("chart.due_line"))])) + 40
    left, right = 56, WHOLE - legend_width - 16
    # As tall as the legend down its right needs, one row per line drawn and the due line's.
    height = max(MONTHS_HEIGHT, TITLE_BAND + 22 + LEGEND_ROW * (len(series) + 1))
    top, bottom = TITLE_BAND + 12, height - AXIS_BAND
    step = (right - left) / 12
    x_of = lambda month: left + step * (month - 0.5)
    y_of = lambda share: bottom - (bottom - top) * (share - ticks[0]) / (ticks[-1] - ticks[0])
    chart = _canvas(title, WHOLE, height)
    grid = ET.SubElement(chart, "g", {"class": "axis"})
    for tick in ticks:
        y = y_of(tick)
        _line(grid, left, y, right, y, GRID)
        _text(grid, left - 8, y, f"{tick:.0%}", anchor="end")
    for month, text in enumerate(months, start=1):
        x = x_of(month)
        _line(grid, x, top, x, bottom, GRID)
        _text(grid, x, bottom + 12, text, anchor="middle")
    _text(grid, (left + right) / 2, bottom + 36, t("chart.month_axis"), anchor="middle", role="axis-title")
    for shown, name, status, points in series:
        colour = STATUSES.loc[status, "colour"]
        line = ET.SubElement(chart, "g", {"class": "series", "data-name": shown})
        _polyline(line, [(x_of(m), y_of(c)) for m, c in points], colour, "2.5")
        for month, completion in points:
            point = _hover(
                line,
                [
                    name,
                    t("chart.hover_line", label=t("chart.month_axis"), value=months[month - 1]),
                    t("chart.hover_line", label=t("col.completion"), value=share_text(completion)),
                ],
                "point",
            )
            _symbol(point, status, x_of(month), y_of(completion), 5, colour).set("data-value", f"{completion:.4f}")
    due_line = ET.SubElement(chart, "g", {"class": "due"})
    _polyline(due_line, [(x_of(int(m)), y_of(d)) for m, d in due.items()], INK, "3", stroke_dasharray=DASH)
    for month, share in due.items():
        # An unseen dot on the due line: hovering it says the share due by that month.
        point = _hover(
            due_line,
            [months[int(month) - 1], t("chart.hover_line", label=t("chart.due_line"), value=share_text(share))],
            "due-point",
        )
        ET.SubElement(
            point,
            "circle",
            {"cx": f"{x_of(int(month)):.1f}", "cy": f"{y_of(share):.1f}", "r": "7", "fill": "transparent"},
        )
    legend = ET.SubElement(chart, "g", {"class": "legend"})
    x, y = right + 24, top + 10
    for shown, _, status, _ in series:
        _symbol(legend, status, x + 7, y, 6, STATUSES.loc[status, "colour"])
        _text(legend, x + 22, y, _clip_to(shown, legend_width - 30))
        y += LEGEND_ROW
    _line(legend, x - 4, y, x + 18, y, INK, stroke_width="3", stroke_dasharray=DASH)
    _text(legend, x + 22, y, t("chart.due_line"))
    return chart


SPARK_WIDTH, SPARK_HEIGHT = 300, 44


def sparkline(values: list[float], colour: str, hover: str) -> ET.Element:
    """Return a programme card's scores so far as a small area, stretched to the card's width, 44 px high.

    Scaled from the lowest to the highest score shown (a flat line for one score, or for equal ones), as Streamlit's
    own sparkline is; `hover` says what the values are.
    """
    low, high = min(values), max(values)
    step = SPARK_WIDTH / max(len(values) - 1, 1)
    drawn = values if len(values) > 1 else values * 2
    points = [
        (i * step, 4 + (SPARK_HEIGHT - 8) * (1 - (v - low) / (high - low) if high > low else 0.5))
        for i, v in enumerate(drawn)
    ]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    chart = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {SPARK_WIDTH} {SPARK_HEIGHT}",
            "width": "100%",
            "height": str(SPARK_HEIGHT),
            "preserveAspectRatio": "none",
            "role": "img",
            "aria-label": _plain(hover),
            "class": "sparkline",
        },
    )
    ET.SubElement(chart, "title").text = _plain(hover)
    ET.SubElement(
        chart,
        "polygon",
        {"points": f"0,{SPARK_HEIGHT} {line} {SPARK_WIDTH},{SPARK_HEIGHT}", "fill": colour, "fill-opacity": "0.12"},
    )
    _polyline(chart, points, colour, "2", vector_effect="non-scaling-stroke")
    return chart
