"""The figures as data: each trace's values, names and labels, the shapes and the axes, from frames built by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from hqd.charts import (
    compare_figure,
    heatmap_figure,
    indicator_figure,
    pace_figure,
    score_figure,
    status_split_figure,
)
from hqd.formatting import COUNT_UNITS, drop_negative_zero, share_text, value_text

NAN = math.nan
# The status colours (hqd.labels.STATUSES), written out so that a changed colour is noticed.
GREEN, LIGHT_GREEN, YELLOW, ORANGE, DEEP_ORANGE, RED, GREY, LIGHT_GREY = (
    "#1b5e20",
    "#43a047",
    "#f9a825",
    "#ef6c00",
    "#d84315",
    "#c62828",
    "#9e9e9e",
    "#bdbdbd",
)
INK = "#1a1a1a"


def values(sequence) -> list:
    """Return a trace's values (a tuple or an array in plotly) as a list."""
    return list(sequence)


# --- score_figure ---------------------------------------------------------------------------

SCORES = pd.DataFrame(
    {
        "label": ["工程A", "工程B", "工程C"],
        "score": [80.0, 45.25, NAN],
        "expected_score": [70.0, 60.0, 50.0],
        "status": ["on_track", "lagging", "no_data"],
    }
)


def test_score_figure_has_a_bar_per_status_and_a_marker_at_each_expected_score():
    figure = score_figure(SCORES, "label", "各工程得分与序时进度")
    bars, expected = figure.data[:-1], figure.data[-1]
    assert [(b.name, values(b.x), values(b.y), values(b.text), b.marker.color) for b in bars] == [
        ("● 达到序时进度", [80.0], ["工程A"], ["● 80.0"], LIGHT_GREEN),
        ("▼ 明显滞后", [45.25], ["工程B"], ["▼ 45.2"], ORANGE),
        ("○ 无数据", [0.0], ["工程C"], ["○ —"], LIGHT_GREY),
    ]
    assert all(b.type == "bar" and b.orientation == "h" for b in bars)
    assert [list(row) for row in bars[1].customdata] == [[60.0, "▼ 明显滞后"]]
    assert (expected.type, expected.name, expected.mode) == ("scatter", "序时进度", "markers")
    assert (values(expected.x), values(expected.y)) == ([70.0, 60.0, 50.0], ["工程A", "工程B", "工程C"])


def test_score_figure_never_shows_a_negative_zero():
    # A lower-is-better indicator at its baseline closes -0.0 of its gap: its score is -0.0, shown as 0.0.
    (bar, _) = score_figure(SCORES.head(1).assign(score=-0.0), "label", "").data
    assert values(bar.text) == ["● 0.0"]


def test_score_figure_layout():
    figure = score_figure(SCORES, "label", "各工程得分与序时进度")
    layout = figure.layout
    assert layout.title.text == "各工程得分与序时进度"
    assert (layout.xaxis.title.text, layout.xaxis.range, layout.xaxis.tickvals) == (
        "得分（0–100）",
        (0, 104),
        (0, 20, 40, 60, 80, 100),
    )
    # The rows keep the frame's order, top to bottom.
    assert (layout.yaxis.categoryarray, layout.yaxis.autorange) == (("工程A", "工程B", "工程C"), "reversed")
    assert (layout.barmode, layout.height) == ("overlay", 62 * 3 + 150)
    assert score_figure(SCORES.head(1), "label", "").layout.height == 260


def test_score_figure_in_english():
    figure = score_figure(SCORES, "label", "Scores", "en")
    assert [trace.name for trace in figure.data] == [
        "● On schedule",
        "▼ Well behind schedule",
        "○ No data",
        "Expected progress to date",
    ]
    assert figure.layout.xaxis.title.text == "Score (0–100)"


# --- status_split_figure --------------------------------------------------------------------


def test_status_split_counts_each_groups_indicators_by_status_in_order_of_severity():
    frame = pd.DataFrame(
        {
            "group": ["工程A", "工程A", "工程B", "工程A", "工程B"],
            "status": ["on_track", "lagging", "lagging", "on_track", "achieved"],
        }
    )
    figure = status_split_figure(frame, "group", "各工程指标状态分布")
    assert [(t.name, values(t.x), values(t.y), values(t.text), t.marker.color) for t in figure.data] == [
        # Each segment says its status by symbol too, for a page printed in black and white.
        ("★ 已完成", [0, 1], ["工程A", "工程B"], ["", "★ 1"], GREEN),
        ("● 达到序时进度", [2, 0], ["工程A", "工程B"], ["● 2", ""], LIGHT_GREEN),
        ("▼ 明显滞后", [1, 1], ["工程A", "工程B"], ["▼ 1", "▼ 1"], ORANGE),
    ]
    # A symbol turned on its side would read as another (▲ as ▶): the labels stay upright.
    assert all(t.textangle == 0 for t in figure.data)
    layout = figure.layout
    assert (layout.barmode, layout.legend.traceorder) == ("stack", "normal")
    assert (layout.xaxis.title.text, layout.xaxis.dtick) == ("指标数（项）", 1)
    assert (layout.yaxis.categoryarray, layout.yaxis.autorange) == (("工程A", "工程B"), "reversed")
    assert (layout.title.text, layout.height) == ("各工程指标状态分布", 62 * 2 + 150)


@pytest.mark.parametrize(("count", "dtick"), [(12, 1), (13, None)])
def test_status_split_ticks_every_indicator_only_while_a_bar_holds_at_most_twelve(count, dtick):
    frame = pd.DataFrame({"group": ["工程A"] * count, "status": ["on_track"] * count})
    assert status_split_figure(frame, "group", "", "en").layout.xaxis.dtick == dtick


# --- indicator_figure -----------------------------------------------------------------------


def history(
    unit: str = "亿元",
    base_value: float = 100.0,
    projected: float = 190.0,
    values: tuple = (100.0, 118.0, NAN, 150.5, 170.0, NAN),
    status: str = "at_risk",
    direction: str = "up",
) -> pd.DataFrame:
    """Return an indicator's progress rows 2020 -> 2025: values to 2024, a projection made in 2023."""
    years = [2020, 2021, 2022, 2023, 2024, 2025]
    return pd.DataFrame(
        {
            "year": years,
            "unit": unit,
            "direction": direction,
            "base_value": base_value,
            "target_year": 2025,
            "target_value": 200.0,
            "expected_value": [100.0, 120.0, 140.0, 160.0, 180.0, 200.0],
            "value": list(values),
            "latest_year": [2020, 2021, 2021, 2023, 2024, 2024],
            "latest_value": [100.0, 118.0, 118.0, 150.5, 170.0, 170.0],
            "projected_value": [NAN, NAN, NAN, projected, NAN, NAN],
            "status": ["no_data", "on_track", "no_data", status, "on_track", "no_data"],
        }
    )


def test_indicator_figure_draws_trajectory_actuals_target_and_projection():
    figure = indicator_figure(history(), 2023, "高新技术企业营业收入")
    trajectory, actual, target, projection = figure.data
    assert (trajectory.name, trajectory.mode, trajectory.line.dash) == ("规划轨迹", "lines", "dot")
    assert values(trajectory.x) == [2020, 2021, 2022, 2023, 2024, 2025]
    assert values(trajectory.y) == [100.0, 120.0, 140.0, 160.0, 180.0, 200.0]
    assert values(trajectory.text) == ["100亿元", "120亿元", "140亿元", "160亿元", "180亿元", "200亿元"]
    # Actuals up to the year viewed only: the value of 2024 is not shown in 2023, a gap stays a gap.
    assert (actual.name, values(actual.x), values(actual.y)) == ("实际值", [2020, 2021, 2023], [100.0, 118.0, 150.5])
    assert values(actual.text) == ["100亿元", "118亿元", "150.5亿元"]
    # The target's value is named in the legend, not written beside its star (where it ran into a value label).
    assert (target.name, target.mode, values(target.x), values(target.y), values(target.text)) == (
        "2025年目标值：200亿元",
        "markers",
        [2025],
        [200.0],
        ["200亿元"],
    )
    assert (projection.name, values(projection.x), values(projection.y)) == (
        "趋势预测（▲ 略低于序时进度）",
        [2023, 2025],
        [150.5, 190.0],
    )
    assert (projection.line.dash, projection.line.color) == ("dash", YELLOW)  # at risk
    assert values(projection.text) == ["", "190亿元"]


@pytest.mark.parametrize(("direction", "shape"), [("up", "linear"), ("down", "linear"), ("milestone", "hv")])
def test_a_milestones_trajectory_is_drawn_as_steps(direction, shape):
    trajectory = indicator_figure(history(direction=direction), 2023, "改革进度").data[0]
    assert trajectory.line.shape == shape


def test_indicator_figure_axes_and_title():
    layout = indicator_figure(history(), 2023, "高新技术企业营业收入").layout
    # The unit in the title, in full-width brackets; no rotated one-character axis title.
    assert layout.title.text == "高新技术企业营业收入（亿元）"
    assert (layout.xaxis.title.text, layout.xaxis.dtick, layout.xaxis.range) == ("年份", 1, (2019.4, 2025.6))
    assert layout.yaxis.title.text is None
    # Full numbers with separators (30,000), never SI prefixes (30k).
    assert (layout.yaxis.tickformat, layout.yaxis.ticksuffix) == (",~f", None)
    # From zero to 18% above the highest value shown (the target, 200), so its label is not cut off.
    assert layout.yaxis.range == pytest.approx((0, 236))


@pytest.mark.parametrize(
    ("unit", "base_value", "lang", "title", "suffix", "bottom"),
    [
        ("亿元", 100.0, "en", "Revenue (CNY 100 million)", None, 0),
        ("个", 100.0, "en", "Revenue", None, 0),
        ("个", 100.0, "zh", "Revenue（个）", None, 0),
        ("人", 100.0, "en", "Revenue (people)", None, 0),
        # A negative baseline (a rate of change) is not pinned to zero; a percentage is ticked in percent.
        ("%", -5.0, "zh", "Revenue（%）", "%", 100 - 0.1 * 100),
    ],
)
def test_indicator_figure_names_the_unit_in_the_title_not_on_the_axis(unit, base_value, lang, title, suffix, bottom):
    layout = indicator_figure(history(unit, base_value), 2023, "Revenue", lang).layout
    assert (layout.title.text, layout.yaxis.title.text, layout.yaxis.ticksuffix) == (title, None, suffix)
    assert layout.yaxis.range[0] == pytest.approx(bottom)


def test_indicator_figure_without_a_projection_has_three_traces():
    figure = indicator_figure(history(projected=NAN), 2023, "指标", "en")
    assert [trace.name for trace in figure.data] == ["Planned trajectory", "Actual", "Target for 2025: CNY 20 bn"]


@pytest.mark.parametrize(
    ("status", "symbol"), [("on_track", "circle"), ("lagging", "triangle-down"), ("at_risk", "triangle-up")]
)
def test_indicator_figure_shapes_the_projection_by_its_status(status, symbol):
    (*_, projection) = indicator_figure(history(status=status), 2023, "指标", "en").data
    assert projection.marker.symbol == symbol


@pytest.mark.parametrize(
    ("viewed", "shown", "top"), [(2023, [2020, 2021, 2023], 236), (2024, [2020, 2021, 2023, 2024], 1062)]
)
def test_indicator_figure_as_of_a_year_shows_no_later_actual_not_even_in_its_scale(viewed, shown, top):
    # 2024's value is far above everything else: seen from 2023 it must not stretch the axis either.
    figure = indicator_figure(history(values=(100.0, 118.0, NAN, 150.5, 900.0, NAN)), viewed, "指标")
    actual = figure.data[1]
    assert values(actual.x) == shown
    assert max(max(values(trace.x)) for trace in figure.data if trace.name == "实际值") <= viewed
    assert figure.layout.yaxis.range[1] == pytest.approx(top)


@pytest.mark.parametrize(
    ("last", "position"),
    [
        # Just under the target's star: the label goes below the point, or the two run into each other.
        (195.0, "bottom center"),
        # Above the target, or far under it: the label stays above.
        (205.0, "top center"),
        (120.0, "top center"),
    ],
)
def test_indicator_figure_keeps_the_last_label_off_the_targets_star(last, position):
    figure = indicator_figure(history(values=(100.0, 118.0, NAN, 150.5, 170.0, last)), 2025, "指标")
    actual = figure.data[1]
    assert values(actual.textposition) == ["top center"] * 4 + [position]
    assert actual.cliponaxis is False
    # Room above the highest point for its label: 18% of the axis over it.
    assert figure.layout.yaxis.range[1] == pytest.approx(max(last, 200.0) * 1.18)


@pytest.mark.parametrize(
    ("unit", "lang", "expected", "labels"),
    [
        # Head counts and other counts are whole: never "2,106.6人".
        ("人", "zh", "2,107人", ["20,000人", "21,700人", "26,045人"]),
        ("家", "zh", "2,107家", ["20,000家", "21,700家", "26,045家"]),
        ("人次", "en", "2,107 visits", ["20,000 visits", "21,700 visits", "26,045 visits"]),
        ("个", "en", "2,107", ["20,000", "21,700", "26,045"]),
        # Amounts keep their decimals.
        ("亿元", "zh", "2,106.6亿元", ["20,000亿元", "21,699.6亿元", "26,044.5亿元"]),
    ],
)
def test_indicator_figure_shows_counts_as_whole_numbers(unit, lang, expected, labels):
    rows = history(unit, 20000.0, values=(20000.0, 21699.6, NAN, 26044.5, NAN, NAN)).assign(
        expected_value=[20000.0, 2106.6, 2106.6, 2106.6, 2106.6, 2106.6], target_value=30000.0
    )
    trajectory, actual, *_ = indicator_figure(rows, 2023, "指标", lang).data
    assert values(trajectory.text)[1] == expected
    assert values(actual.text) == labels


@pytest.mark.parametrize("unit", sorted(COUNT_UNITS))
def test_every_count_unit_is_whole(unit):
    assert value_text(2106.5001, unit) == f"2,107{unit}"


@pytest.mark.parametrize(("top", "dtick"), [(5.0, 1), (6.0, 1), (40.0, None)])
def test_indicator_figure_ticks_a_small_count_in_whole_steps(top, dtick):
    rows = history("项", 0.0, projected=NAN, values=(0.0, 1.0, NAN, 2.0, NAN, NAN)).assign(
        expected_value=[0.0, 1.0, 2.0, 3.0, 4.0, top], target_value=top
    )
    assert indicator_figure(rows, 2023, "指标").layout.yaxis.dtick == dtick


# --- heatmap_figure -------------------------------------------------------------------------


def test_heatmap_colours_each_cell_by_its_status_and_labels_it_with_its_completion():
    completion = pd.DataFrame({2021: [0.5, NAN], 2022: [0.754, 0.2]}, index=["A1", "B2"])
    status = pd.DataFrame({2021: ["on_track", None], 2022: ["achieved", "lagging"]}, index=["A1", "B2"])
    figure = heatmap_figure(completion, status, pd.Series({"A1": "指标A1"}))
    (cells,) = figure.data
    assert (values(cells.x), values(cells.y)) == (["2021", "2022"], ["A1 指标A1", "B2 "])
    # The rank of each status in STATUSES' order: achieved 0, on_track 1, lagging 3; none is empty.
    assert [[None if math.isnan(v) else v for v in row] for row in cells.z] == [[1.0, 0.0], [None, 3.0]]
    # Each cell says its status by symbol too, for a page printed in black and white.
    assert [list(row) for row in cells.text] == [["● 50%", "★ 75%"], ["", "▼ 20%"]]
    # The hover names the indicator in full and its completion without the symbol its status is named with.
    assert [list(row) for row in cells.customdata] == [
        [
            "A1 指标A1<br>2021<br>● 达到序时进度<br>目标完成进度：50%",
            "A1 指标A1<br>2022<br>★ 已完成<br>目标完成进度：75%",
        ],
        ["B2 <br>2021<br><br>目标完成进度：—", "B2 <br>2022<br>▼ 明显滞后<br>目标完成进度：20%"],
    ]
    # One band of the scale per status (eight), so that a cell takes exactly its status's colour.
    assert (cells.zmin, cells.zmax) == (-0.5, 7.5)
    colours = [colour for _, colour in cells.colorscale]
    bands = (GREEN, LIGHT_GREEN, YELLOW, ORANGE, DEEP_ORANGE, RED, GREY, LIGHT_GREY)
    assert colours == [c for c in bands for _ in range(2)]
    assert values(cells.colorbar.ticktext) == [
        "★ 已完成",
        "● 达到序时进度",
        "▲ 略低于序时进度",
        "▼ 明显滞后",
        "✗ 未完成",
        "✖ 低于基期",
        "◌ 数据不足",
        "○ 无数据",
    ]
    assert (figure.layout.title.text, figure.layout.xaxis.side, figure.layout.yaxis.autorange) == (
        "各指标历年目标完成进度",
        "top",
        "reversed",
    )


def test_heatmap_clips_long_names_beside_the_cells_and_keeps_its_key_small():
    long = "Local transfer projects from universities and institutes (cumulative)"
    codes = [f"A{i}" for i in range(50)]
    completion = pd.DataFrame({2025: [0.5] * 50}, index=codes)
    status = pd.DataFrame({2025: ["on_track"] * 50}, index=codes)
    figure = heatmap_figure(completion, status, pd.Series(dict.fromkeys(codes, long)), "en")
    (cells,) = figure.data
    assert cells.y[0] == "A0 Local transfer projects from univers…"
    assert cells.customdata[0][0].startswith(f"A0 {long}<br>2025<br>")
    # The key is as tall as its eight statuses need, whatever the number of indicators.
    assert (cells.colorbar.lenmode, cells.colorbar.len, cells.colorbar.yanchor) == ("pixels", 240, "top")


def test_heatmap_never_shows_a_negative_zero():
    completion = pd.DataFrame({2020: [-0.001, 0.0], 2021: [-0.284, NAN], 2022: [NAN, NAN]}, index=["A1", "B2"])
    status = pd.DataFrame(
        {2020: ["on_track", "on_track"], 2021: ["regressing", "no_data"], 2022: [None, None]}, index=["A1", "B2"]
    )
    (cells,) = heatmap_figure(completion, status, pd.Series(dtype="str")).data
    assert [list(row) for row in cells.text] == [["● 0%", "✖ −28%", ""], ["● 0%", "○", ""]]


@pytest.mark.parametrize(
    ("share", "text"),
    [(-0.001, "0%"), (-0.004, "0%"), (-0.0, "0%"), (0.0, "0%"), (-0.284, "−28%"), (-0.006, "−1%"), (1.0, "100%")],
)
def test_share_text_rounds_without_a_negative_zero(share, text):
    assert share_text(share) == text


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("-0%", "0%"),
        ("−0%", "0%"),
        ("-0.0亿元", "0.0亿元"),
        ("-0", "0"),
        ("-0.5", "-0.5"),
        ("-0.05%", "-0.05%"),
        ("-10%", "-10%"),
        ("+3.2", "+3.2"),
    ],
)
def test_drop_negative_zero_only_drops_the_sign_of_a_zero(before, after):
    assert drop_negative_zero(before) == after


@pytest.mark.parametrize(
    ("value", "unit", "text"), [(-0.0001, "%", "0%"), (-0.4, "人", "0人"), (-0.00001, "亿元", "0亿元")]
)
def test_value_labels_never_show_a_negative_zero(value, unit, text):
    assert value_text(value, unit) == text


def test_heatmap_grows_with_the_indicators():
    completion = pd.DataFrame({2021: [0.5] * 20}, index=[f"X{n}" for n in range(20)])
    status = pd.DataFrame({2021: ["on_track"] * 20}, index=completion.index)
    figure = heatmap_figure(completion, status, pd.Series(dtype="str"), "en")
    assert (figure.layout.height, figure.layout.title.text) == (
        26 * 20 + 140,
        "Progress toward the target of each indicator by year",
    )


# --- compare_figure -------------------------------------------------------------------------


def test_compare_figure_joins_each_indicators_two_years_rising_in_green_falling_in_red():
    moves = pd.DataFrame(
        {"code": ["A1", "B2", "A3"], "before": [0.5, 0.6, 0.3], "after": [0.7, 0.4, 0.3], "change": [0.2, -0.2, 0.0]}
    )
    names = pd.Series({"A1": "指标A1", "B2": "指标B2", "A3": "指标A3"})
    rising, falling, first, second = compare_figure(moves, names, 2021, 2023).data
    # One segment per indicator, segments apart (None); no change counts as rising.
    assert (rising.name, rising.line.color) == ("上升", LIGHT_GREEN)
    assert values(rising.x) == [50.0, 70.0, None, 30.0, 30.0, None]
    assert values(rising.y) == ["A1 指标A1", "A1 指标A1", None, "A3 指标A3", "A3 指标A3", None]
    assert (falling.name, falling.line.color, values(falling.x)) == ("下降", RED, [60.0, 40.0, None])
    assert (first.name, values(first.x), first.mode) == ("2021", [50.0, 60.0, 30.0], "markers")
    assert (second.name, values(second.x), second.marker.symbol) == ("2023", [70.0, 40.0, 30.0], "diamond")
    assert values(second.y) == ["A1 指标A1", "B2 指标B2", "A3 指标A3"]


def test_compare_figure_layout_in_english():
    moves = pd.DataFrame({"code": ["A1"], "before": [0.5], "after": [0.7], "change": [0.2]})
    layout = compare_figure(moves, pd.Series({"A1": "Indicator A1"}), 2021, 2023, "en").layout
    assert layout.title.text == "Progress toward the target in 2021 and 2023"
    assert (layout.xaxis.title.text, layout.xaxis.ticksuffix, layout.height) == ("Progress toward the target", "%", 320)


# --- pace_figure ----------------------------------------------------------------------------


def paces(year: int = 2023, **columns) -> pd.DataFrame:
    """Return one year's progress rows of four indicators with a 2025 target, as the explorer passes them."""
    rows = pd.DataFrame(
        {
            "code": ["A", "B", "C", "D"],
            "year": year,
            "target_year": 2025,
            "value": [10.0, 20.0, NAN, 30.0],
            "expected": 0.5,
            "completion": [0.25, 1.0, NAN, 0.4],
            "pace": [0.5, 2.0, NAN, 0.8],
            "projected_completion": [0.4, 1.25, 0.5, 0.9],
            "status": ["lagging", "on_track", "at_risk", "at_risk"],
            "name_zh": ["甲", "乙", "丙", "丁"],
            "name_en": ["A", "B", "C", "D"],
        }
    )
    return rows.assign(**columns)


def test_pace_figure_shades_the_status_regions_and_marks_the_target():
    figure = pace_figure(paces())
    regions, target = figure.layout.shapes[:3], figure.layout.shapes[3]
    # The regions run to 0.1 past the fastest pace (2.0), and at least to 1.6.
    assert [(r.x0, r.x1, r.fillcolor, r.opacity) for r in regions] == [
        (0, 0.6, ORANGE, 0.1),
        (0.6, 0.95, YELLOW, 0.1),
        (0.95, 2.1, LIGHT_GREEN, 0.1),
    ]
    assert [a.text for a in figure.layout.annotations] == [
        "▼ 明显滞后",
        "▲ 略低于序时进度",
        "● 达到序时进度",
        "另有1项指标因数据不足未画出。",
    ]
    # The dotted line is a projected completion of 100%: the target reached.
    assert (target.type, target.y0, target.y1, target.line.dash) == ("line", 100, 100, "dot")
    assert figure.layout.xaxis.range == (0, 2.1)
    # From zero to 10 points past the highest projection (125%), and always past 100% with room.
    assert figure.layout.yaxis.range == (0, 135)


def test_pace_figure_has_a_marker_per_indicator_shaped_and_coloured_by_status():
    figure = pace_figure(paces(), "en")
    # In order of severity; the marker's shape says the status printed in black and white too.
    assert [
        (t.name, values(t.x), values(t.y), values(t.text), t.marker.color, t.marker.symbol) for t in figure.data
    ] == [
        ("On schedule", [2.0], [125.0], ["B"], LIGHT_GREEN, "circle"),
        ("Slightly behind schedule", [0.8], [90.0], ["D"], YELLOW, "triangle-up"),
        ("Well behind schedule", [0.5], [40.0], ["A"], ORANGE, "triangle-down"),
    ]
    assert values(figure.data[0].customdata) == ["Projected progress toward the target in the target year"]
    layout = figure.layout
    assert layout.xaxis.title.text == "Pace (progress toward the target / expected progress to date)"
    assert (layout.yaxis.title.text, layout.yaxis.ticksuffix) == (
        "Projected progress toward the target in the target year",
        "%",
    )
    assert (layout.title.text, layout.height) == ("Pace against projected progress toward the target", 480)


@pytest.mark.parametrize(
    ("lang", "title", "axis"),
    [
        ("zh", "进度比与目标年实际目标完成进度", "目标年实际目标完成进度"),
        (
            "en",
            "Pace against progress toward the target reached in the target year",
            "Progress toward the target reached in the target year",
        ),
    ],
)
def test_pace_figure_in_the_target_year_places_the_completion_reached(lang, title, axis):
    # The explorer's default view ends in the target year, where nothing is projected any more.
    rows = paces(2025, expected=1.0, pace=[0.25, 1.0, NAN, 0.4], projected_completion=NAN)
    figure = pace_figure(rows.assign(status=["lagging", "achieved", "no_data", "lagging"]), lang)
    assert [(values(t.x), values(t.y), t.marker.symbol) for t in figure.data] == [
        ([1.0], [100.0], "star"),
        ([0.25, 0.4], [25.0, 40.0], "triangle-down"),
    ]
    assert (figure.layout.title.text, figure.layout.yaxis.title.text) == (title, axis)
    assert values(figure.data[1].customdata) == [axis, axis]


def test_pace_figure_opens_a_region_below_zero_for_a_regressing_indicator():
    rows = paces(pace=[-0.4, 2.0, NAN, 0.8], completion=[-0.2, 1.0, NAN, 0.4])
    figure = pace_figure(rows.assign(status=["regressing", "on_track", "at_risk", "at_risk"]))
    first = figure.layout.shapes[0]
    assert (first.x0, first.x1, first.fillcolor) == (pytest.approx(-0.5), 0, RED)
    assert figure.layout.xaxis.range == (pytest.approx(-0.5), 2.1)
    assert figure.layout.annotations[0].text == "✖ 低于基期"
    assert figure.data[-1].marker.symbol == "x"


@pytest.mark.parametrize(
    ("columns", "lang", "message"),
    [
        (
            {"value": NAN, "completion": NAN, "pace": NAN},
            "zh",
            "2023年所选指标均无实际值，无法计算进度比。请选择有数据的截止年份。",
        ),
        (
            {"value": NAN, "completion": NAN, "pace": NAN},
            "en",
            "None of the selected indicators has a value for 2023, so there is no pace to plot. "
            "Choose an end year with data.",
        ),
        ({"expected": 0.0, "pace": NAN}, "zh", "2023年为基期，尚无进度可比。请选择更晚的截止年份。"),
        (
            {"projected_completion": NAN},
            "zh",
            "2023年所选指标均无法测算目标年目标完成进度（测算需至少两年实际值）。",
        ),
        (
            {"projected_completion": NAN},
            "en",
            "None of the selected indicators can be projected from 2023 (a projection needs two years of values).",
        ),
    ],
)
def test_pace_figure_with_nothing_to_place_says_why(columns, lang, message):
    figure = pace_figure(paces(**columns), lang)
    assert figure.data == ()
    assert figure.layout.annotations[-1].text == message
    assert (figure.layout.annotations[-1].x, figure.layout.annotations[-1].y) == (0.5, 0.5)
    # A plain scale, not the −1%…4% of an empty autorange.
    assert (figure.layout.xaxis.range, figure.layout.yaxis.range) == ((0, 1.6), (0, 120))
    assert figure.layout.shapes[2].x1 == 1.6


def test_pace_figure_of_no_indicator_says_there_is_no_data():
    figure = pace_figure(paces().head(0), "en")
    assert figure.layout.annotations[-1].text == "No data"


# --- the shared look ------------------------------------------------------------------------


MOVES = pd.DataFrame({"code": ["A1"], "before": [0.5], "after": [0.7], "change": [0.2]})
SPLIT = pd.DataFrame({"group": ["工程A", "工程B"], "status": ["on_track", "lagging"]})
CELLS = (pd.DataFrame({2021: [0.5]}, index=["A1"]), pd.DataFrame({2021: ["on_track"]}, index=["A1"]))


@pytest.mark.parametrize(
    ("build", "own"),
    [
        # Each with settings of its own in the dicts the shared look fills too (legend, axes).
        (
            lambda lang: score_figure(SCORES, "label", "", lang),
            {"xaxis.range": (0, 104), "yaxis.autorange": "reversed"},
        ),
        (lambda lang: status_split_figure(SPLIT, "group", "", lang), {"legend.traceorder": "normal", "xaxis.dtick": 1}),
        (lambda lang: indicator_figure(history(), 2023, "", lang), {"xaxis.dtick": 1, "yaxis.tickformat": ",~f"}),
        (
            lambda lang: heatmap_figure(*CELLS, pd.Series(dtype="str"), lang),
            {"xaxis.side": "top", "yaxis.type": "category", "margin.t": 90},
        ),
        (lambda lang: compare_figure(MOVES, pd.Series(dtype="str"), 2021, 2023, lang), {"xaxis.ticksuffix": "%"}),
        (lambda lang: pace_figure(paces(), lang), {"xaxis.range": (0, 2.1), "yaxis.ticksuffix": "%"}),
    ],
)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_figure_has_the_shared_look_on_both_axes_beside_its_own_settings(build, own, lang):
    layout = build(lang).layout
    assert (layout.title.font.size, layout.title.x, layout.title.xanchor) == (20, 0, "left")
    assert (layout.font.size, layout.font.color, layout.font.family.split(",")[0]) == (14, INK, "Noto Sans CJK SC")
    assert (layout.legend.orientation, layout.legend.y, layout.legend.font.size) == ("h", -0.18, 14)
    assert (layout.margin.l, layout.margin.r, layout.margin.b) == (10, 30, 10)
    assert layout.margin.t == own.get("margin.t", 60)
    assert (layout.plot_bgcolor, layout.paper_bgcolor, layout.hoverlabel.font.size) == ("white", "white", 14)
    for axis in (layout.xaxis, layout.yaxis):
        assert (axis.gridcolor, axis.zeroline, axis.automargin) == ("#e6e9ef", False, True)
        assert (axis.tickfont.size, axis.tickfont.color) == (14, INK)
    for path, value in own.items():
        part, name = path.split(".")
        assert layout[part][name] == value
