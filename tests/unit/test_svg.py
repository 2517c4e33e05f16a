"""The overview's SVG charts as data: each chart's bars, segments, lines and points, their colours by status, order,
labels and hovers in zh and en, the due line, the legends, and markup that keeps an uploaded name as text, from
frames built by hand."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from hqd.labels import STATUSES
from hqd.svg import (
    FONT,
    HALF,
    SHAPES,
    WHOLE,
    months_chart,
    score_chart,
    sparkline,
    status_split_chart,
    to_markup,
)

NAN = math.nan
# The status colours (hqd.labels.STATUSES), written out so that a changed colour is noticed.
GREEN, LIGHT_GREEN, YELLOW, ORANGE, GREY, LIGHT_GREY = "#1b5e20", "#43a047", "#f9a825", "#ef6c00", "#9e9e9e", "#bdbdbd"
INK = "#1a1a1a"


def groups(chart: ET.Element, role: str) -> list[ET.Element]:
    return chart.findall(f".//g[@class='{role}']")


def hover(group: ET.Element) -> list[str]:
    """Return the lines a mark's hover shows (its <title>)."""
    return group.find("title").text.split("\n")


def texts(element: ET.Element, role: str | None = None) -> list[str]:
    return [text.text for text in element.iter("text") if role is None or text.get("class") == role]


def legend(chart: ET.Element) -> list[tuple[str, str]]:
    """Return the legend's entries: each one's colour (of its swatch, stroke or symbol) and text."""
    (box,) = groups(chart, "legend")
    marks = [child for child in box if child.tag != "text"]
    return [(mark.get("fill") or mark.get("stroke"), text) for mark, text in zip(marks, texts(box), strict=True)]


# --- score_chart --------------------------------------------------------------------------------

SCORES = pd.DataFrame(
    {
        "label": ["工程A", "工程B", "工程C", "工程D"],
        "score": [80.0, 45.25, NAN, 8.0],
        "expected_score": [70.0, 60.0, NAN, 50.0],
        "status": ["lagging", "on_track", "no_data", "lagging"],
    }
)


def bar_rows(chart: ET.Element) -> list[tuple]:
    """Return each bar's colour, its value, its label (text and whether inside, in white) and its expected stroke."""
    rows = []
    for bar in groups(chart, "bar"):
        rect, (label,) = bar.find("rect"), bar.findall("text")
        stroke = bar.find("line[@class='expected']")
        inside = label.get("fill") == "white" and label.get("text-anchor") == "end"
        rows.append(
            (
                rect.get("fill"),
                rect.get("data-value"),
                label.text,
                inside,
                stroke is not None and stroke.get("data-value"),
            )
        )
    return rows


def test_score_chart_has_a_bar_per_row_with_its_label_inside_or_beside_it():
    chart = score_chart(SCORES, "label", "各工程得分与序时进度")
    assert bar_rows(chart) == [
        (ORANGE, "80.0", "▼ 80.0", True, "70.0"),
        (LIGHT_GREEN, "45.2", "● 45.2", True, "60.0"),
        # No score: a bar of nothing, its label beside it; no expected score, no stroke.
        (LIGHT_GREY, "—", "○ —", False, False),
        # Too short to hold its label: beside it.
        (ORANGE, "8.0", "▼ 8.0", False, "50.0"),
    ]
    assert texts(chart, "label") == ["工程A", "工程B", "工程C", "工程D"]
    assert texts(chart, "title") == ["各工程得分与序时进度"]


def test_score_chart_draws_bars_to_scale_and_each_stroke_at_its_expected_score():
    chart = score_chart(SCORES, "label", "")
    bars = groups(chart, "bar")
    widths = [float(bar.find("rect").get("width")) for bar in bars]
    assert widths[2] == 0 and widths[0] == pytest.approx(widths[3] * 10, rel=0.01)
    start = float(bars[0].find("rect").get("x"))
    stroke = float(bars[0].find("line").get("x1"))
    # 70 on the 0–104 axis of which 80 is the bar's end.
    assert (stroke - start) / widths[0] == pytest.approx(70 / 80, rel=0.01)
    assert bars[0].find("line").get("stroke") == INK


@pytest.mark.parametrize(
    ("lang", "axis", "entries", "hover_lines"),
    [
        (
            "zh",
            "得分（0–100）",
            [(LIGHT_GREEN, "● 达到序时进度"), (ORANGE, "▼ 明显滞后"), (LIGHT_GREY, "○ 无数据"), (INK, "序时进度")],
            ["工程A", "得分：80.0", "序时进度：70.0", "状态：▼ 明显滞后"],
        ),
        (
            "en",
            "Score (0–100)",
            [
                (LIGHT_GREEN, "● On schedule"),
                (ORANGE, "▼ Well behind schedule"),
                (LIGHT_GREY, "○ No data"),
                (INK, "Expected progress to date"),
            ],
            ["工程A", "Score: 80.0", "Expected progress to date: 70.0", "Status: ▼ Well behind schedule"],
        ),
    ],
)
def test_score_chart_speaks_the_readers_language(lang, axis, entries, hover_lines):
    chart = score_chart(SCORES, "label", "", lang)
    assert texts(chart, "axis-title") == [axis]
    assert texts(groups(chart, "axis")[0])[:6] == ["0", "20", "40", "60", "80", "100"]
    # The statuses in order of severity, then what the stroke is.
    assert legend(chart) == entries
    assert hover(groups(chart, "bar")[0]) == hover_lines


def test_score_chart_never_shows_a_negative_zero():
    # A lower-is-better indicator at its baseline closes -0.0 of its gap: its score is -0.0, shown as 0.0.
    (row,) = bar_rows(score_chart(SCORES.head(1).assign(score=-0.0), "label", ""))
    assert row[1:3] == ("0.0", "▼ 0.0")


def test_score_chart_grows_with_its_rows():
    def height(frame):
        return float(score_chart(frame, "label", "").get("viewBox").split()[3])

    assert height(SCORES) - height(SCORES.head(1)) == pytest.approx(3 * 50, abs=1)


# --- status_split_chart -------------------------------------------------------------------------


def segment_rows(chart: ET.Element) -> list[tuple]:
    return [
        (hover(segment)[0], segment.find("rect").get("fill"), segment.find("rect").get("data-value"), texts(segment)[0])
        for segment in groups(chart, "segment")
    ]


def test_status_split_counts_each_groups_indicators_by_status_in_order_of_severity():
    frame = pd.DataFrame(
        {
            "group": ["工程A", "工程A", "工程B", "工程A", "工程B"],
            "status": ["on_track", "lagging", "lagging", "on_track", "achieved"],
        }
    )
    chart = status_split_chart(frame, "group", "各工程指标状态分布")
    # Each segment says its status by symbol too, for a page printed in black and white.
    assert segment_rows(chart) == [
        ("工程A", LIGHT_GREEN, "2", "● 2"),
        ("工程A", ORANGE, "1", "▼ 1"),
        ("工程B", GREEN, "1", "★ 1"),
        ("工程B", ORANGE, "1", "▼ 1"),
    ]
    assert legend(chart) == [(GREEN, "★ 已完成"), (LIGHT_GREEN, "● 达到序时进度"), (ORANGE, "▼ 明显滞后")]
    assert texts(chart, "label") == ["工程A", "工程B"] and texts(chart, "axis-title") == ["指标数（项）"]
    # Segments follow one another: 工程A's second starts where its first ends.
    first, second = (segment.find("rect") for segment in groups(chart, "segment")[:2])
    assert float(second.get("x")) == pytest.approx(float(first.get("x")) + float(first.get("width")), abs=0.1)
    assert hover(groups(chart, "segment")[1]) == ["工程A", "状态：▼ 明显滞后", "指标数（项）：1"]


def test_status_split_names_a_narrow_segment_by_its_count_alone():
    frame = pd.DataFrame({"group": ["工程A"] * 10, "status": ["no_data"] + ["lagging"] * 9})
    assert [row[3] for row in segment_rows(status_split_chart(frame, "group", "", "en"))] == ["▼ 9", "1"]


@pytest.mark.parametrize(("count", "ticks"), [(12, [str(n) for n in range(13)]), (13, ["0", "5", "10", "15"])])
def test_status_split_ticks_every_indicator_only_while_a_bar_holds_at_most_twelve(count, ticks):
    frame = pd.DataFrame({"group": ["工程A"] * count, "status": ["on_track"] * count})
    axis = groups(status_split_chart(frame, "group", "", "en"), "axis")[0]
    assert texts(axis)[:-1] == ticks


# --- months_chart -------------------------------------------------------------------------------

MONTHS = pd.DataFrame(
    {
        "code": ["B1", "B1", "A1", "A1", "A1", "C1"],
        "month": [2, 1, 1, 2, 3, 1],
        "completion": [0.2, 0.1, 0.05, NAN, 0.2, NAN],
        "expected_completion": [2 / 12, 1 / 12, 1 / 12, 2 / 12, 3 / 12, 1 / 12],
        "status": ["on_track", "on_track", "lagging", "lagging", "at_risk", "no_data"],
    }
)
NAMES = pd.Series({"A1": "指标A1", "B1": "指标B1", "C1": "指标C1"})


def series_rows(chart: ET.Element) -> list[tuple]:
    """Return each line's name, colour, symbol, and its points' hovers."""
    return [
        (
            line.get("data-name"),
            line.find("polyline").get("stroke"),
            line.find("g/path").get("d"),
            [hover(point)[1:] for point in line.findall("g[@class='point']")],
        )
        for line in groups(chart, "series")
    ]


def test_months_chart_draws_each_indicators_months_in_its_latest_status_colour_and_shape():
    chart = months_chart(MONTHS, NAMES, "月度指标")
    # C1 has no figure: no line, nor a legend entry; A1 has none in February: its line goes from January to March.
    assert series_rows(chart) == [
        ("指标A1", YELLOW, SHAPES["at_risk"], [["月份：1月", "目标完成进度：5%"], ["月份：3月", "目标完成进度：20%"]]),
        (
            "指标B1",
            LIGHT_GREEN,
            SHAPES["on_track"],
            [["月份：1月", "目标完成进度：10%"], ["月份：2月", "目标完成进度：20%"]],
        ),
    ]
    assert legend(chart) == [(YELLOW, "指标A1"), (LIGHT_GREEN, "指标B1"), (INK, "序时进度")]
    a1 = groups(chart, "series")[0].find("polyline").get("points").split()
    assert len(a1) == 2


def test_months_chart_draws_the_due_line_once_dashed_from_every_indicators_expected_share():
    chart = months_chart(MONTHS, NAMES, "月度指标", drawn=["B1"])
    (due,) = groups(chart, "due")
    line = due.find("polyline")
    assert (line.get("stroke"), line.get("stroke-dasharray")) == (INK, "8 5")
    # The due line is the mean of all rows, drawn ones or not.
    assert [hover(point) for point in due.findall("g")] == [
        ["1月", "序时进度：8%"],
        ["2月", "序时进度：17%"],
        ["3月", "序时进度：25%"],
    ]
    # Only the drawn indicator has a line.
    assert [row[0] for row in series_rows(chart)] == ["指标B1"]


@pytest.mark.parametrize(
    ("lang", "months", "axis", "due"),
    [("zh", ["1月", "2月", "12月"], "月份", "序时进度"), ("en", ["1", "2", "12"], "Month", "Due by now")],
)
def test_months_chart_runs_the_whole_year_in_the_readers_language(lang, months, axis, due):
    chart = months_chart(MONTHS, NAMES, "", lang)
    (grid,) = groups(chart, "axis")
    labels = texts(grid)
    assert [labels[i] for i in (-13, -12, -2)] == months and texts(chart, "axis-title") == [axis]
    assert labels[0] == "0%" and all(label.endswith("%") for label in labels[:-13])
    assert legend(chart)[-1] == (INK, due)


def test_months_chart_shows_a_share_past_the_target_and_keeps_two_names_cut_alike_apart():
    long = "很长的指标名称" * 3
    rows = MONTHS.assign(completion=MONTHS["completion"].where(MONTHS["code"] != "B1", 1.3))
    chart = months_chart(rows, pd.Series({"A1": long + "甲", "B1": long + "乙"}), "")
    ticks = texts(groups(chart, "axis")[0])[:-13]
    assert ticks[0] == "0%" and ticks[-1] in ("140%", "150%")
    assert [row[0] for row in series_rows(chart)] == ["很长的指标名称很长的指…", "很长的指标名称很长的指… B1"]
    # The hover names the indicator in full.
    assert hover(groups(chart, "point")[0])[0] == long + "甲"


def test_months_chart_grows_to_hold_its_legend():
    many = pd.DataFrame(
        {"code": [f"X{i}" for i in range(40)], "month": 1, "completion": 0.1, "expected_completion": 0.08}
    ).assign(status="on_track")
    chart = months_chart(many, pd.Series(dtype=str), "")
    legend_bottom = max(float(text.get("y")) for text in groups(chart, "legend")[0].iter("text"))
    assert legend_bottom < float(chart.get("viewBox").split()[3])


# --- sparkline ----------------------------------------------------------------------------------


def heights(line: ET.Element) -> list[float]:
    """Return how high each point of a sparkline's line stands above its bottom edge."""
    bottom = float(line.get("viewBox").split()[3])
    return [bottom - float(point.split(",")[1]) for point in line.find("polyline").get("points").split()]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # From the lowest to the highest value shown, as Streamlit's own sparkline scales.
        ([10.0, 30.0, 20.0], [4.0, 40.0, 22.0]),
        # One value, or equal ones: a flat line across the middle.
        ([50.0], [22.0, 22.0]),
        ([7.0, 7.0], [22.0, 22.0]),
    ],
)
def test_a_sparkline_scales_the_scores_so_far_to_its_height(values, expected):
    line = sparkline(values, ORANGE, "逐月得分：10.0 → 30.0 → 20.0")
    assert heights(line) == pytest.approx(expected)
    xs = [float(point.split(",")[0]) for point in line.find("polyline").get("points").split()]
    assert (xs[0], xs[-1]) == (0, 300)
    assert (line.find("polyline").get("stroke"), line.find("polygon").get("fill")) == (ORANGE, ORANGE)
    assert line.find("title").text == "逐月得分：10.0 → 30.0 → 20.0"


# --- the look, and the markup ------------------------------------------------------------------------

SPLIT = pd.DataFrame({"group": ["工程A", "工程B"], "status": ["on_track", "lagging"]})


def charts(lang: str, room: int = WHOLE) -> list[ET.Element]:
    return [
        score_chart(SCORES, "label", "标题", lang, room),
        status_split_chart(SPLIT, "group", "标题", lang, room),
        months_chart(MONTHS, NAMES, "标题", lang),
    ]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("room", [WHOLE, HALF])
def test_every_chart_is_as_wide_as_asked_in_a_chinese_font_on_white(lang, room):
    for chart in charts(lang, room):
        width = float(chart.get("viewBox").split()[2])
        assert width in (room, WHOLE) and chart.get("width") == "100%"
        assert chart.get("font-family") == FONT and FONT.startswith("Noto Sans CJK SC")
        assert chart.find("rect").get("fill") == "white"
        title = chart.find("text[@class='title']")
        assert (title.text, title.get("font-size"), title.get("font-weight")) == ("标题", "20", "bold")
        # Nothing drawn past its right edge: each text's start (or end, or middle) within the chart.
        for text in chart.iter("text"):
            assert 0 <= float(text.get("x")) <= width, text.text


@pytest.mark.parametrize("room", [WHOLE, HALF])
def test_a_long_label_is_cut_and_whole_in_its_hover(room):
    frame = SCORES.head(1).assign(label="Reform and business environment optimisation programme")
    chart = score_chart(frame, "label", "", "en", room)
    (label,) = texts(chart, "label")
    assert label.endswith("…") and len(label) < 40
    assert hover(groups(chart, "bar")[0])[0] == frame["label"].iloc[0]


def test_a_legend_wraps_below_a_half_width_chart():
    def rows(room):
        (box,) = groups(score_chart(SCORES, "label", "", "en", room), "legend")
        return len({text.get("y") for text in box.iter("text")})

    assert rows(WHOLE) == 1 and rows(HALF) > 1


def test_every_status_has_a_shape_and_the_colours_are_the_statuses_own():
    assert set(SHAPES) == set(STATUSES.index)
    frame = pd.DataFrame({"group": ["A"] * len(STATUSES), "status": list(STATUSES.index)})
    assert [colour for colour, _ in legend(status_split_chart(frame, "group", ""))] == list(STATUSES["colour"])


def test_markup_keeps_a_hostile_name_as_text_in_one_html_block():
    hostile = '<script>alert(1)</script> & "quoted" **bold** $x$ :red[red] :material/home:\n\nnext'
    frame = SCORES.head(1).assign(label=hostile)
    markup = to_markup(score_chart(frame, "label", hostile, "en", WHOLE))
    # One block: Markdown ends an HTML block at a blank line, and would then read what follows as Markdown.
    assert markup.startswith('<div class="hqd-chart"><svg') and markup.endswith("</svg></div>")
    assert "\n\n" not in markup and "<script>" not in markup and ":material/" not in markup
    parsed = ET.fromstring(markup)
    shown = {text.text for text in parsed.iter("{http://www.w3.org/2000/svg}text")}
    assert " ".join(hostile.split()) in shown
