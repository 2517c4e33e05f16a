"""The overview's tables drawn as HTML (hqd.tables.render_html_table), read back as a browser's parser reads them."""

from __future__ import annotations

import pandas as pd
import pytest
from support import read_html_table

from hqd.labels import STATUSES
from hqd.tables import FULL_ROWS, SCROLL_HEIGHT, render_html_table

LAGGING, AT_RISK = STATUSES.loc["lagging", "colour"], STATUSES.loc["at_risk", "colour"]

# An in-year attention table in Chinese and a year's in English, as hqd.tables words them.
IN_YEAR = pd.DataFrame(
    {
        "指标": ["产业投资基金规模", "当年技能培训人次"],
        "状态": ["▼ 明显滞后", "▲ 略低于序时进度"],
        "差距（百分点）": ["−72.2", "−0.3"],
        "目标完成进度": ["3%", "83%"],
        "截至": ["2026年1—10月", "2026年三季度"],
        "本年实际值": ["6.2亿元", "13,941人次"],
        "同比": ["+31.6%", "—"],
        "责任单位": ["科技创新局", "—"],
    }
)
YEAR = pd.DataFrame(
    {
        "Indicator": ["Industrial investment fund size", "Skills-training sessions", "Incubators"],
        "Status": ["✖ Below baseline", "▼ Well behind", "▼ Well behind"],
        "Progress to target": ["−180%", "1,234%", "—"],
        "Actual this year": ["CNY 6.24 bn", "16,478 visits", "—"],
        "Target": ["CNY 100 bn", "60,000 visits", "200 firms"],
    }
)


@pytest.mark.parametrize("frame", [IN_YEAR, YEAR], ids=["in-year-zh", "year-en"])
def test_the_table_shows_every_header_and_cell_as_given(frame):
    table = read_html_table(render_html_table(frame))
    assert table.headers == list(frame.columns)
    assert len(table.rows) == len(frame)
    assert table.frame().equals(frame.astype(object))
    assert set(table.tags) == {"div", "table", "thead", "tbody", "tr", "th", "td"}


def test_the_input_is_left_as_it_was():
    before = IN_YEAR.copy()
    render_html_table(IN_YEAR, [LAGGING, AT_RISK], "状态")
    pd.testing.assert_frame_equal(IN_YEAR, before)


HOSTILE = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "R&D 投入 &amp; 强度",
    "</td></tr></tbody></table><b>out</b>",
    "'single' and \"double\" quotes",
]


def test_hostile_names_from_uploaded_files_come_out_as_text():
    frame = pd.DataFrame({"<th>指标</th>": HOSTILE, "状态": ["▼ 明显滞后"] * len(HOSTILE)})
    body = render_html_table(frame, ['#fff" onmouseover="alert(1)'] * len(HOSTILE), "状态")
    table = read_html_table(body)
    assert table.headers == ["<th>指标</th>", "状态"]
    assert [row[0] for row in table.rows] == HOSTILE
    # No tag but the table's own, no attribute but its styles: nothing a name (or a colour) says becomes markup.
    assert set(table.tags) == {"div", "table", "thead", "tbody", "tr", "th", "td"}
    assert table.attributes == {"style"}
    assert "<script" not in body and "<img" not in body
    assert table.styles[0][1]["background-color"] == '#fff" onmouseover="alert(1)22'


@pytest.mark.parametrize(
    ("frame", "column", "colours"),
    [
        (IN_YEAR, "状态", [LAGGING, AT_RISK]),
        (YEAR, "Status", [STATUSES.loc["regressing", "colour"], LAGGING, LAGGING]),
        # A row without a colour is not tinted.
        (YEAR, "Status", [None, LAGGING, float("nan")]),
    ],
)
def test_the_tinted_column_carries_its_rows_colour_as_the_grid_did(frame, column, colours):
    table = read_html_table(render_html_table(frame, colours, column))
    tinted = list(frame.columns).index(column)
    for styles, colour in zip(table.styles, colours, strict=True):
        for i, style in enumerate(styles):
            if i == tinted and isinstance(colour, str):
                assert style["background-color"] == f"{colour}22"
                assert style["border-left"] == f"4px solid {colour}"
            else:
                assert "border-left" not in style
                assert style.get("background-color") in (None, "#ffffff")


def test_without_a_column_the_whole_row_is_tinted_at_its_alpha():
    table = read_html_table(render_html_table(YEAR, ["#c62828", None, "#f9a825"], None, "18"))
    backgrounds = [[style.get("background-color") for style in row] for row in table.styles]
    assert backgrounds == [["#c6282818"] * 5, ["#ffffff", *[None] * 4], ["#f9a82518"] * 5]
    assert not any("border-left" in style for row in table.styles for style in row)


def test_the_name_stays_in_view_and_the_header_on_top():
    table = read_html_table(render_html_table(IN_YEAR, [LAGGING, AT_RISK], "状态"))
    for style in [table.header_styles[0], *(row[0] for row in table.styles)]:
        assert (style["position"], style["left"]) == ("sticky", "0")
    # Opaque, so that the columns scrolled under it do not show through.
    assert {row[0]["background-color"] for row in table.styles} == {"#ffffff"}
    assert all((style["position"], style["top"]) == ("sticky", "0") for style in table.header_styles)
    assert all("left" not in style for row in table.styles for style in row[1:])
    # The corner above the names stays over both the header and the names scrolling under it.
    assert int(table.header_styles[0]["z-index"]) > max(int(s["z-index"]) for s in table.header_styles[1:])
    assert table.box["overflow"] == "auto"


@pytest.mark.parametrize(
    ("texts", "right"),
    [
        (["63.2%", "−4.1", "1,234", "—"], True),
        (["+31.6%", "−0.3", "0", "12,345,678.9"], True),
        (["−180%", "—"], True),
        # A column of nothing but dashes, of values with their units, or of names: text, left.
        (["—", "—"], False),
        (["6.2亿元", "83%"], False),
        (["CNY 6.24 bn", "—"], False),
        (["科技创新局", "—"], False),
        (["2026年三季度", "2026年1—10月"], False),
    ],
)
def test_a_column_of_figures_is_right_aligned_and_text_left(texts, right):
    frame = pd.DataFrame({"指标": [f"指标{i}" for i in range(len(texts))], "列": texts})
    table = read_html_table(render_html_table(frame))
    expected = "right" if right else "left"
    assert table.header_styles[1]["text-align"] == expected
    # A cell is left-aligned unless told otherwise (a header is centred).
    assert [row[1].get("text-align", "left") for row in table.styles] == [expected] * len(texts)
    assert {row[0].get("text-align", "left") for row in table.styles} == {"left"}


@pytest.mark.parametrize(("rows", "scrolls"), [(0, False), (FULL_ROWS, False), (FULL_ROWS + 1, True)])
def test_a_long_table_scrolls_in_the_grids_height_and_a_short_one_shows_every_row(rows, scrolls):
    frame = pd.DataFrame({"指标": [f"指标{i}" for i in range(rows)], "完成率": ["50%"] * rows})
    table = read_html_table(render_html_table(frame))
    assert len(table.rows) == rows and table.headers == ["指标", "完成率"]
    assert table.box.get("max-height") == (f"{SCROLL_HEIGHT}px" if scrolls else None)
