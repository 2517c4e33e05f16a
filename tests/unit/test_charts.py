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

NAN = math.nan
# The status colours (hqd.labels.STATUSES), written out so that a changed colour is noticed.
GREEN, LIGHT_GREEN, YELLOW, ORANGE, RED, GREY, LIGHT_GREY = (
    "#1b5e20",
    "#43a047",
    "#f9a825",
    "#ef6c00",
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
    figure = score_figure(SCORES, "label", "各工程得分与应达得分")
    bars, expected = figure.data[:-1], figure.data[-1]
    assert [(b.name, values(b.x), values(b.y), values(b.text), b.marker.color) for b in bars] == [
        ("● 正常", [80.0], ["工程A"], ["● 80.0"], LIGHT_GREEN),
        ("▼ 滞后", [45.25], ["工程B"], ["▼ 45.2"], ORANGE),
        ("○ 无数据", [0.0], ["工程C"], ["○ —"], LIGHT_GREY),
    ]
    assert all(b.type == "bar" and b.orientation == "h" for b in bars)
    assert [list(row) for row in bars[1].customdata] == [[60.0, "▼ 滞后"]]
    assert (expected.type, expected.name, expected.mode) == ("scatter", "应达得分", "markers")
    assert (values(expected.x), values(expected.y)) == ([70.0, 60.0, 50.0], ["工程A", "工程B", "工程C"])


def test_score_figure_layout():
    figure = score_figure(SCORES, "label", "各工程得分与应达得分")
    layout = figure.layout
    assert layout.title.text == "各工程得分与应达得分"
    assert (layout.xaxis.title.text, layout.xaxis.range, layout.xaxis.tickvals) == (
        "得分(0–100)",
        (0, 104),
        (0, 20, 40, 60, 80, 100),
    )
    # The rows keep the frame's order, top to bottom.
    assert (layout.yaxis.categoryarray, layout.yaxis.autorange) == (("工程A", "工程B", "工程C"), "reversed")
    assert (layout.barmode, layout.height) == ("overlay", 62 * 3 + 150)
    assert score_figure(SCORES.head(1), "label", "").layout.height == 260


def test_score_figure_in_english():
    figure = score_figure(SCORES, "label", "Scores", "en")
    assert [trace.name for trace in figure.data] == ["● On track", "▼ Lagging", "○ No data", "Expected score"]
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
        ("★ 已完成", [0, 1], ["工程A", "工程B"], ["", "1"], GREEN),
        ("● 正常", [2, 0], ["工程A", "工程B"], ["2", ""], LIGHT_GREEN),
        ("▼ 滞后", [1, 1], ["工程A", "工程B"], ["1", "1"], ORANGE),
    ]
    layout = figure.layout
    assert (layout.barmode, layout.legend.traceorder) == ("stack", "normal")
    assert (layout.xaxis.title.text, layout.xaxis.dtick) == ("指标数(项)", 1)
    assert (layout.yaxis.categoryarray, layout.yaxis.autorange) == (("工程A", "工程B"), "reversed")
    assert (layout.title.text, layout.height) == ("各工程指标状态分布", 62 * 2 + 150)


@pytest.mark.parametrize(("count", "dtick"), [(12, 1), (13, None)])
def test_status_split_ticks_every_indicator_only_while_a_bar_holds_at_most_twelve(count, dtick):
    frame = pd.DataFrame({"group": ["工程A"] * count, "status": ["on_track"] * count})
    assert status_split_figure(frame, "group", "", "en").layout.xaxis.dtick == dtick


# --- indicator_figure -----------------------------------------------------------------------


def history(unit: str = "亿元", base_value: float = 100.0, projected: float = 190.0) -> pd.DataFrame:
    """Return an indicator's progress rows 2020 -> 2025: values to 2023, viewed in 2023."""
    years = [2020, 2021, 2022, 2023, 2024, 2025]
    return pd.DataFrame(
        {
            "year": years,
            "unit": unit,
            "base_value": base_value,
            "target_year": 2025,
            "target_value": 200.0,
            "expected_value": [100.0, 120.0, 140.0, 160.0, 180.0, 200.0],
            "value": [100.0, 118.0, NAN, 150.5, 170.0, NAN],
            "latest_year": [2020, 2021, 2021, 2023, 2024, 2024],
            "latest_value": [100.0, 118.0, 118.0, 150.5, 170.0, 170.0],
            "projected_value": [NAN, NAN, NAN, projected, NAN, NAN],
            "status": ["no_data", "on_track", "no_data", "at_risk", "on_track", "no_data"],
        }
    )


def test_indicator_figure_draws_trajectory_actuals_target_and_projection():
    figure = indicator_figure(history(), 2023, "高新技术企业营业收入")
    trajectory, actual, target, projection = figure.data
    assert (trajectory.name, trajectory.mode, trajectory.line.dash) == ("规划轨迹", "lines", "dot")
    assert values(trajectory.x) == [2020, 2021, 2022, 2023, 2024, 2025]
    assert values(trajectory.y) == [100.0, 120.0, 140.0, 160.0, 180.0, 200.0]
    assert values(trajectory.text) == ["100 亿元", "120 亿元", "140 亿元", "160 亿元", "180 亿元", "200 亿元"]
    # Actuals up to the year viewed only: the value of 2024 is not shown in 2023, a gap stays a gap.
    assert (actual.name, values(actual.x), values(actual.y)) == ("实际值", [2020, 2021, 2023], [100.0, 118.0, 150.5])
    assert values(actual.text) == ["100 亿元", "118 亿元", "150.5 亿元"]
    assert (target.name, values(target.x), values(target.y), values(target.text)) == (
        "目标值",
        [2025],
        [200.0],
        ["200 亿元"],
    )
    assert (projection.name, values(projection.x), values(projection.y)) == ("趋势预测", [2023, 2025], [150.5, 190.0])
    assert (projection.line.dash, projection.line.color) == ("dash", YELLOW)  # at risk
    assert values(projection.text) == ["", "190 亿元"]


def test_indicator_figure_axes_and_title():
    layout = indicator_figure(history(), 2023, "高新技术企业营业收入").layout
    assert layout.title.text == "高新技术企业营业收入(亿元)"
    assert (layout.xaxis.title.text, layout.xaxis.dtick, layout.xaxis.range) == ("年份", 1, (2019.4, 2025.6))
    assert (layout.yaxis.title.text, layout.yaxis.rangemode) == ("亿元", "tozero")


@pytest.mark.parametrize(
    ("unit", "base_value", "lang", "title", "axis", "rangemode"),
    [
        ("亿元", 100.0, "en", "Revenue (100M CNY)", "100M CNY", "tozero"),
        ("个", 100.0, "en", "Revenue", None, "tozero"),
        ("个", 100.0, "zh", "Revenue(个)", "个", "tozero"),
        ("%", -5.0, "zh", "Revenue(%)", "%", "normal"),
    ],
)
def test_indicator_figure_names_the_unit_in_the_language(unit, base_value, lang, title, axis, rangemode):
    layout = indicator_figure(history(unit, base_value), 2023, "Revenue", lang).layout
    assert (layout.title.text, layout.yaxis.title.text, layout.yaxis.rangemode) == (title, axis, rangemode)


def test_indicator_figure_without_a_projection_has_three_traces():
    figure = indicator_figure(history(projected=NAN), 2023, "指标", "en")
    assert [trace.name for trace in figure.data] == ["Planned trajectory", "Actual", "Target"]


# --- heatmap_figure -------------------------------------------------------------------------


def test_heatmap_colours_each_cell_by_its_status_and_labels_it_with_its_completion():
    completion = pd.DataFrame({2021: [0.5, NAN], 2022: [0.754, 0.2]}, index=["A1", "B2"])
    status = pd.DataFrame({2021: ["on_track", None], 2022: ["achieved", "lagging"]}, index=["A1", "B2"])
    figure = heatmap_figure(completion, status, pd.Series({"A1": "指标A1"}))
    (cells,) = figure.data
    assert (values(cells.x), values(cells.y)) == (["2021", "2022"], ["A1 指标A1", "B2 "])
    # The rank of each status in STATUSES' order: achieved 0, on_track 1, lagging 3; none is empty.
    assert [[None if math.isnan(v) else v for v in row] for row in cells.z] == [[1.0, 0.0], [None, 3.0]]
    assert [list(row) for row in cells.text] == [["50%", "75%"], ["", "20%"]]
    assert [list(row) for row in cells.customdata] == [["● 正常", "★ 已完成"], ["", "▼ 滞后"]]
    # One band of the scale per status (seven), so that a cell takes exactly its status's colour.
    assert (cells.zmin, cells.zmax) == (-0.5, 6.5)
    colours = [colour for _, colour in cells.colorscale]
    assert colours == [c for c in (GREEN, LIGHT_GREEN, YELLOW, ORANGE, RED, GREY, LIGHT_GREY) for _ in range(2)]
    assert values(cells.colorbar.ticktext) == [
        "★ 已完成",
        "● 正常",
        "▲ 需加快",
        "▼ 滞后",
        "✖ 倒退",
        "◌ 数据不足",
        "○ 无数据",
    ]
    assert (figure.layout.title.text, figure.layout.xaxis.side, figure.layout.yaxis.autorange) == (
        "各指标历年完成度",
        "top",
        "reversed",
    )


def test_heatmap_grows_with_the_indicators():
    completion = pd.DataFrame({2021: [0.5] * 20}, index=[f"X{n}" for n in range(20)])
    status = pd.DataFrame({2021: ["on_track"] * 20}, index=completion.index)
    figure = heatmap_figure(completion, status, pd.Series(dtype="str"), "en")
    assert (figure.layout.height, figure.layout.title.text) == (26 * 20 + 140, "Completion of each indicator by year")


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
    assert layout.title.text == "Completion in 2021 and 2023"
    assert (layout.xaxis.title.text, layout.xaxis.ticksuffix, layout.height) == ("Completion", "%", 320)


# --- pace_figure ----------------------------------------------------------------------------

PACES = pd.DataFrame(
    {
        "pace": [0.5, 2.0, NAN, 0.8],
        "projected_completion": [0.4, 1.25, 0.5, 0.9],
        "status": ["lagging", "on_track", "at_risk", "at_risk"],
        "name_zh": ["甲", "乙", "丙", "丁"],
        "name_en": ["A", "B", "C", "D"],
    }
)


def test_pace_figure_shades_the_status_regions_and_marks_the_target():
    figure = pace_figure(PACES)
    regions, target = figure.layout.shapes[:3], figure.layout.shapes[3]
    # The regions run to 0.1 past the fastest pace (2.0), and at least to 1.6.
    assert [(r.x0, r.x1, r.fillcolor, r.opacity) for r in regions] == [
        (0, 0.6, ORANGE, 0.1),
        (0.6, 0.95, YELLOW, 0.1),
        (0.95, 2.1, LIGHT_GREEN, 0.1),
    ]
    assert [a.text for a in figure.layout.annotations] == ["▼ 滞后", "▲ 需加快", "● 正常"]
    # The dotted line is a projected completion of 100%: the target reached.
    assert (target.type, target.y0, target.y1, target.line.dash) == ("line", 100, 100, "dot")
    assert figure.layout.xaxis.range == (0, 2.1)


def test_pace_figure_has_a_dot_per_indicator_with_a_pace_by_status():
    figure = pace_figure(PACES, "en")
    assert [(t.name, values(t.x), values(t.y), values(t.text), t.marker.color) for t in figure.data] == [
        ("▼ Lagging", [0.5], [40.0], ["A"], ORANGE),
        ("● On track", [2.0], [125.0], ["B"], LIGHT_GREEN),
        ("▲ At risk", [0.8], [90.0], ["D"], YELLOW),
    ]
    layout = figure.layout
    assert layout.xaxis.title.text == "Pace (completion / expected completion)"
    assert (layout.yaxis.title.text, layout.yaxis.ticksuffix) == ("Projected completion in the target year", "%")
    assert (layout.title.text, layout.height) == ("Pace against projected completion", 480)


def test_pace_figure_without_any_pace_keeps_its_regions():
    figure = pace_figure(PACES.assign(pace=NAN))
    assert figure.data == () and figure.layout.xaxis.range == (0, 1.6)
    assert figure.layout.shapes[2].x1 == 1.6
