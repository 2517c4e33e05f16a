"""The overview's Vega-Lite specs as data: each chart's rows, colours by status, order of bars, labels in zh and en,
the due line, the legends; and each spec valid against Vega-Lite's own schema, from frames built by hand."""

from __future__ import annotations

import importlib.util
import json
import math
from functools import cache
from pathlib import Path

import jsonschema
import pandas as pd
import pytest

from hqd.labels import STATUSES
from hqd.vega import FONT, HALF, LABEL_LIMIT, SHAPES, STROKE, WHOLE, months_spec, score_spec, status_split_spec

NAN = math.nan
# The status colours (hqd.labels.STATUSES), written out so that a changed colour is noticed.
GREEN, LIGHT_GREEN, YELLOW, ORANGE, GREY, LIGHT_GREY = "#1b5e20", "#43a047", "#f9a825", "#ef6c00", "#9e9e9e", "#bdbdbd"
INK = "#1a1a1a"


def layer(spec: dict, mark: str, number: int = 0) -> dict:
    """Return the spec's `number`th layer drawing `mark`."""
    return [part for part in spec["layer"] if part["mark"]["type"] == mark][number]


@cache
def vega_lite_schema() -> dict:
    """Return the Vega-Lite JSON schema that altair (installed with Streamlit) ships, read without importing altair."""
    folder = Path(importlib.util.find_spec("altair").origin).parent / "vegalite"
    (path,) = folder.glob("v*/schema/vega-lite-schema.json")
    return json.loads(path.read_text())


# --- score_spec ---------------------------------------------------------------------------------

SCORES = pd.DataFrame(
    {
        "label": ["工程A", "工程B", "工程C", "工程D"],
        "score": [80.0, 45.25, NAN, 8.0],
        "expected_score": [70.0, 60.0, NAN, 50.0],
        "status": ["lagging", "on_track", "no_data", "lagging"],
    }
)


def test_score_spec_has_a_row_per_bar_with_its_label_inside_or_beside_it():
    spec = score_spec(SCORES, "label", "各工程得分与序时进度")
    assert [
        (r["label"], r["score"], r["bar_text"], r["inside"], r["expected"], r["expected_text"], r["status"])
        for r in spec["data"]["values"]
    ] == [
        ("工程A", 80.0, "▼ 80.0", True, 70.0, "70.0", "▼ 明显滞后"),
        ("工程B", 45.25, "● 45.2", True, 60.0, "60.0", "● 达到序时进度"),
        # No score: a bar of nothing, its label beside it; no expected score, no stroke (null, never NaN).
        ("工程C", 0.0, "○ —", False, None, "—", "○ 无数据"),
        # Too short to hold its label: beside it.
        ("工程D", 8.0, "▼ 8.0", False, 50.0, "50.0", "▼ 明显滞后"),
    ]
    inside, beside = layer(spec, "text", 0), layer(spec, "text", 1)
    assert inside["transform"] == [{"filter": {"field": "inside", "equal": True}}]
    assert (inside["mark"]["align"], inside["mark"]["color"]) == ("right", "white")
    assert beside["transform"] == [{"filter": {"field": "inside", "equal": False}}]
    assert (beside["mark"]["align"], beside["mark"]["color"]) == ("left", INK)


def test_score_spec_colours_each_bar_by_its_status_in_order_of_severity_and_keeps_the_rows_order():
    spec = score_spec(SCORES, "label", "")
    bars = layer(spec, "bar")["encoding"]
    assert bars["color"]["scale"] == {
        "domain": ["● 达到序时进度", "▼ 明显滞后", "○ 无数据"],
        "range": [LIGHT_GREEN, ORANGE, LIGHT_GREY],
    }
    assert bars["y"]["sort"] == ["工程A", "工程B", "工程C", "工程D"]
    assert bars["x"]["scale"]["domain"] == [0, 104]
    assert (bars["x"]["axis"]["title"], bars["x"]["axis"]["values"]) == ("得分（0–100）", [0, 20, 40, 60, 80, 100])


def test_score_spec_marks_each_expected_score_with_a_stroke_named_in_the_legend():
    spec = score_spec(SCORES, "label", "")
    stroke = layer(spec, "point")
    assert (stroke["encoding"]["x"]["field"], stroke["mark"]["color"], stroke["mark"]["filled"]) == (
        "expected",
        INK,
        False,
    )
    assert stroke["encoding"]["shape"]["scale"] == {"range": [STROKE]}
    assert {r["stroke"] for r in spec["data"]["values"]} == {"序时进度"}


@pytest.mark.parametrize(
    ("lang", "title", "axis", "statuses", "tooltip"),
    [
        (
            "zh",
            "各工程得分",
            "得分（0–100）",
            ["● 达到序时进度", "▼ 明显滞后", "○ 无数据"],
            ["title", "得分", "序时进度", "状态"],
        ),
        (
            "en",
            "Scores",
            "Score (0–100)",
            ["● On schedule", "▼ Well behind schedule", "○ No data"],
            ["title", "Score", "Expected progress to date", "Status"],
        ),
    ],
)
def test_score_spec_speaks_the_readers_language(lang, title, axis, statuses, tooltip):
    spec = score_spec(SCORES, "label", title, lang)
    bars = layer(spec, "bar")["encoding"]
    assert spec["title"]["text"] == title
    assert (bars["x"]["axis"]["title"], bars["color"]["scale"]["domain"]) == (axis, statuses)
    # The hover names the bar (vega-tooltip's heading: the field titled "title"), then its figures.
    assert [t["title"] for t in bars["tooltip"]] == tooltip
    assert [t["field"] for t in bars["tooltip"]] == ["label", "score_text", "expected_text", "status"]


def test_score_spec_never_shows_a_negative_zero():
    # A lower-is-better indicator at its baseline closes -0.0 of its gap: its score is -0.0, shown as 0.0.
    (row,) = score_spec(SCORES.head(1).assign(score=-0.0), "label", "")["data"]["values"]
    assert (row["bar_text"], row["score_text"]) == ("▼ 0.0", "0.0")


def test_score_spec_grows_with_its_rows():
    assert score_spec(SCORES, "label", "")["height"] == 62 * 4 + 150
    assert score_spec(SCORES.head(1), "label", "")["height"] == 260


# --- status_split_spec --------------------------------------------------------------------------


def test_status_split_counts_each_groups_indicators_by_status_in_order_of_severity():
    frame = pd.DataFrame(
        {
            "group": ["工程A", "工程A", "工程B", "工程A", "工程B"],
            "status": ["on_track", "lagging", "lagging", "on_track", "achieved"],
        }
    )
    spec = status_split_spec(frame, "group", "各工程指标状态分布")
    assert [(r["group"], r["status"], r["count"], r["start"], r["end"], r["text"]) for r in spec["data"]["values"]] == [
        # Each segment says its status by symbol too, for a page printed in black and white.
        ("工程A", "● 达到序时进度", 2, 0, 2, "● 2"),
        ("工程A", "▼ 明显滞后", 1, 2, 3, "▼ 1"),
        ("工程B", "★ 已完成", 1, 0, 1, "★ 1"),
        ("工程B", "▼ 明显滞后", 1, 1, 2, "▼ 1"),
    ]
    bars = layer(spec, "bar")["encoding"]
    assert bars["color"]["scale"] == {
        "domain": ["★ 已完成", "● 达到序时进度", "▼ 明显滞后"],
        "range": [GREEN, LIGHT_GREEN, ORANGE],
    }
    assert (bars["y"]["sort"], bars["x"]["axis"]["title"]) == (["工程A", "工程B"], "指标数（项）")
    assert [r["middle"] for r in spec["data"]["values"]] == [1.0, 2.5, 0.5, 1.5]
    # A symbol turned on its side would read as another (▲ as ▶): the labels stay upright.
    assert "angle" not in layer(spec, "text")["mark"]
    assert (spec["title"]["text"], spec["height"]) == ("各工程指标状态分布", 62 * 2 + 150)


def test_status_split_names_a_narrow_segment_by_its_count_alone():
    frame = pd.DataFrame({"group": ["工程A"] * 10, "status": ["no_data"] + ["lagging"] * 9})
    texts = [r["text"] for r in status_split_spec(frame, "group", "", "en")["data"]["values"]]
    assert texts == ["▼ 9", "1"]


@pytest.mark.parametrize(("count", "values"), [(12, list(range(13))), (13, None)])
def test_status_split_ticks_every_indicator_only_while_a_bar_holds_at_most_twelve(count, values):
    frame = pd.DataFrame({"group": ["工程A"] * count, "status": ["on_track"] * count})
    axis = layer(status_split_spec(frame, "group", "", "en"), "bar")["encoding"]["x"]["axis"]
    assert axis.get("values") == values and axis["tickMinStep"] == 1


# --- months_spec --------------------------------------------------------------------------------

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


def test_months_spec_draws_each_indicators_months_in_its_latest_status_colour_and_shape():
    spec = months_spec(MONTHS, NAMES, "月度指标")
    assert [(p["series"], p["month"], p["completion"], p["text"]) for p in spec["datasets"]["lines"]] == [
        ("指标A1", "1月", 0.05, "5%"),
        ("指标A1", "3月", 0.2, "20%"),
        ("指标B1", "1月", 0.1, "10%"),
        ("指标B1", "2月", 0.2, "20%"),
    ]
    points = layer(spec, "point", 0)["encoding"]
    # C1 has no figure: no line, nor a legend entry.
    assert points["color"]["scale"] == {"domain": ["指标A1", "指标B1"], "range": [YELLOW, LIGHT_GREEN]}
    assert points["shape"]["scale"] == {"domain": ["指标A1", "指标B1"], "range": ["triangle-up", "circle"]}
    assert [t["field"] for t in points["tooltip"]] == ["name", "month", "text"]


def test_months_spec_draws_the_due_line_once_dashed_from_every_indicators_expected_share():
    spec = months_spec(MONTHS, NAMES, "月度指标", drawn=["B1"])
    # The due line is the mean of all rows, drawn ones or not.
    assert [(d["month"], round(d["due"], 4), d["text"]) for d in spec["datasets"]["due"]] == [
        ("1月", round(1 / 12, 4), "8%"),
        ("2月", round(2 / 12, 4), "17%"),
        ("3月", 0.25, "25%"),
    ]
    due = layer(spec, "line", 1)
    assert (due["data"], due["mark"]["color"], due["encoding"]["y"]["field"]) == ({"name": "due"}, INK, "due")
    assert due["encoding"]["strokeDash"]["field"] == "line"
    assert {d["line"] for d in spec["datasets"]["due"]} == {"序时进度"}
    # Only the drawn indicator has a line.
    assert {p["series"] for p in spec["datasets"]["lines"]} == {"指标B1"}


@pytest.mark.parametrize(
    ("lang", "months", "axis", "due"),
    [("zh", ["1月", "2月", "12月"], "月份", "序时进度"), ("en", ["1", "2", "12"], "Month", "Due by now")],
)
def test_months_spec_runs_the_whole_year_in_the_readers_language(lang, months, axis, due):
    spec = months_spec(MONTHS, NAMES, "", lang)
    x = layer(spec, "line")["encoding"]["x"]
    assert [x["scale"]["domain"][i] for i in (0, 1, 11)] == months and len(x["scale"]["domain"]) == 12
    assert x["axis"]["title"] == axis
    assert {d["line"] for d in spec["datasets"]["due"]} == {due}
    assert layer(spec, "line")["encoding"]["y"]["axis"]["format"] == ".0%"


def test_months_spec_shows_a_share_past_the_target_and_keeps_two_names_cut_alike_apart():
    long = "很长的指标名称" * 3
    rows = MONTHS.assign(completion=MONTHS["completion"].where(MONTHS["code"] != "B1", 1.3))
    spec = months_spec(rows, pd.Series({"A1": long + "甲", "B1": long + "乙"}), "")
    assert layer(spec, "line")["encoding"]["y"]["scale"]["domain"] == [0.0, 1.3]
    names = layer(spec, "point")["encoding"]["color"]["scale"]["domain"]
    assert names == ["很长的指标名称很长的指…", "很长的指标名称很长的指… B1"]


# --- the look, legends and validity ---------------------------------------------------------------

SPLIT = pd.DataFrame({"group": ["工程A", "工程B"], "status": ["on_track", "lagging"]})


def specs(lang: str, room: int = WHOLE) -> list[dict]:
    return [
        score_spec(SCORES, "label", "标题", lang, room),
        status_split_spec(SPLIT, "group", "标题", lang, room),
        months_spec(MONTHS, NAMES, "标题", lang),
    ]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_spec_is_valid_vega_lite_and_plain_json(lang):
    validator = jsonschema.validators.validator_for(vega_lite_schema())(vega_lite_schema())
    for spec in specs(lang) + specs(lang, HALF):
        # Vega-Lite's schema types config.legend.layout as an expression only; Vega-Lite hands it to Vega as it is,
        # where an object lays the legends out (vega.github.io/vega/docs/config/#legends-layout), one under another.
        legend = {key: value for key, value in spec["config"]["legend"].items() if key != "layout"}
        assert spec["config"]["legend"].get("layout", {"direction": "vertical"}) == {"direction": "vertical"}
        checked = {**spec, "config": {**spec["config"], "legend": legend}}
        assert [error.message for error in validator.iter_errors(checked)] == []
        # No NaN (not JSON), no numpy number: what json.dumps writes is what the browser reads.
        json.dumps(spec, allow_nan=False)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_spec_has_the_shared_look_in_a_chinese_font(lang):
    for spec in specs(lang):
        config = spec["config"]
        assert (spec["title"]["fontSize"], spec["title"]["anchor"], spec["title"]["font"]) == (20, "start", FONT)
        assert FONT.startswith("Noto Sans CJK SC")
        # Streamlit names its own font (without Chinese) for axes and legends: each is named here.
        assert (config["axis"]["labelFont"], config["axis"]["titleFont"], config["legend"]["labelFont"]) == (FONT,) * 3
        assert (config["axis"]["labelFontSize"], config["legend"]["labelFontSize"], config["text"]["font"]) == (
            14,
            14,
            FONT,
        )
        assert spec["background"] == "white"


@pytest.mark.parametrize(
    ("lang", "room", "direction", "limit"),
    [
        # The legend fits in a row below a whole-width chart, not below half of one: there the bars' labels give way
        # to its widest entry ("● 达到序时进度", "Expected progress to date") and its symbol (36 px).
        ("zh", WHOLE, "horizontal", LABEL_LIMIT),
        ("en", WHOLE, "horizontal", LABEL_LIMIT),
        ("zh", HALF, "vertical", int(HALF - (7.5 * 14 + 36) - 20)),
        ("en", HALF, "vertical", int(HALF - (7.5 * 25 + 36) - 20)),
    ],
)
def test_a_legend_below_a_chart_lies_in_a_row_only_while_it_fits(lang, room, direction, limit):
    spec = score_spec(SCORES, "label", "", lang, room)
    assert spec["config"]["legend"]["direction"] == direction
    assert layer(spec, "bar")["encoding"]["y"]["axis"]["labelLimit"] == limit
    if direction == "vertical":
        assert spec["config"]["legend"]["layout"] == {"direction": "vertical"}


def test_every_status_has_a_shape_and_the_colours_are_the_statuses_own():
    assert set(SHAPES) == set(STATUSES.index)
    frame = pd.DataFrame({"group": ["A"] * len(STATUSES), "status": list(STATUSES.index)})
    scale = layer(status_split_spec(frame, "group", ""), "bar")["encoding"]["color"]["scale"]
    assert scale["range"] == list(STATUSES["colour"])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_mark_hovers_with_its_own_fields_or_not_at_all(lang):
    # Streamlit gives every mark a tooltip by default: the whole row, field names and all (middle, text, …).
    for spec in specs(lang):
        for part in spec["layer"]:
            assert "tooltip" in part["encoding"] or part["mark"].get("tooltip", "unset") is None, part["mark"]
            titles = [field["title"] for field in part["encoding"].get("tooltip", [])]
            # Each field named in the reader's language; vega-tooltip shows the one titled "title" as the heading.
            assert all(title == "title" or (not title.isascii()) == (lang == "zh") for title in titles)
