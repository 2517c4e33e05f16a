"""The pages' tables as data: every column's name and every value as shown, against frames built by hand."""

from __future__ import annotations

import math
from datetime import datetime

import pandas as pd
import pytest
from factories import SMALL_INDICATORS, make_catalog

from hqd.settings import DEFAULT_CATALOG, SAMPLE_USER
from hqd.tables import (
    CELL_PADDING,
    NARROW_PIXELS,
    WIDE_PIXELS,
    assessment_columns,
    attention_columns,
    attention_table,
    catalog_changes_table,
    changes_table,
    explorer_columns,
    explorer_table,
    export_formats,
    fit_width,
    indicator_columns,
    indicator_links,
    indicator_table,
    lineage_table,
    problems_table,
    progress_columns,
    progress_table,
    quality_columns,
    quality_table,
    text_width,
    uploads_table,
    value_format,
    with_programme_names,
    with_task_names,
)

NAN = math.nan
# Programmes A and B; A3 is in 工作日 (lower is better), B1 in 阶段, B2 in %, the others in 个.
CATALOG = make_catalog([*SMALL_INDICATORS, {"code": "B3", "programme": "B", "task": "B-2", "unit": "亿元"}])


def test_programme_and_task_names_are_added_in_the_language():
    rows = pd.DataFrame({"programme": ["B", "A"], "task": ["B-2", "A-1"]})
    named = with_task_names(with_programme_names(rows, CATALOG, "en"), CATALOG, "zh")
    assert list(named["programme_name"]) == ["Programme B", "Programme A"]
    assert list(named["task_name"]) == ["任务B-2", "任务A-1"]
    assert list(rows.columns) == ["programme", "task"]  # the input is left as it was


# Two indicators behind: A3 (down, 工作日) heading off track, B2 (%) without a projection.
ATTENTION = pd.DataFrame(
    {
        "name_zh": ["指标A3", "指标B2"],
        "name_en": ["Indicator A3", "Indicator B2"],
        "programme": ["A", "B"],
        "department": ["测试局", "统计局"],
        "status": ["regressing", "lagging"],
        "unit": ["工作日", "%"],
        "value": [52.0, 55.5],
        "target_value": [30.0, 90.0],
        "gap": [-22.0, 34.5],
        "completion": [-0.2667, 0.1375],
        "attainment": [30 / 52, 55.5 / 90],
        "expected": [0.5, 0.6],
        "projection": ["off_track", ""],
        "projected_value": [45.5, NAN],
    }
)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "zh",
            {
                "指标": ["指标A3", "指标B2"],
                "状态": ["✖ 低于基期", "▼ 明显滞后"],
                "完成率": ["58%", "62%"],
                "目标完成进度": ["−27%", "14%"],
                "序时进度": ["50%", "60%"],
                "本年实际值": ["52工作日", "55.5%"],
                "目标值": ["30工作日", "90%"],
                "与目标差距": ["-22工作日", "34.5%"],
                "目标年预计": ["难以完成 · 45.5工作日", "—"],
                "责任单位": ["测试局", "统计局"],
                "工程": ["工程A", "工程B"],
            },
        ),
        (
            "en",
            {
                "Indicator": ["Indicator A3", "Indicator B2"],
                "Status": ["✖ Below baseline", "▼ Well behind schedule"],
                "Completion rate": ["58%", "62%"],
                "Progress to target": ["−27%", "14%"],
                "Expected progress to date": ["50%", "60%"],
                "Actual this year": ["52 working days", "55.5%"],
                "Target": ["30 working days", "90%"],
                "Gap to target": ["-22 working days", "34.5%"],
                "Projected for the target year": ["Off track · 45.5 working days", "—"],
                "Responsible department": ["测试局", "统计局"],
                "Programme": ["Programme A", "Programme B"],
            },
        ),
    ],
)
def test_attention_table(lang, expected):
    pd.testing.assert_frame_equal(attention_table(ATTENTION, CATALOG, lang), pd.DataFrame(expected))


def test_attention_table_in_the_target_year_has_no_projection_column():
    table = attention_table(ATTENTION.assign(projection=""), CATALOG, "zh")
    assert list(table.columns) == [
        "指标",
        "状态",
        "完成率",
        "目标完成进度",
        "序时进度",
        "本年实际值",
        "目标值",
        "与目标差距",
        "责任单位",
        "工程",
    ]


def test_indicator_table_shows_the_latest_value_with_its_year_when_this_year_has_none():
    rows = pd.DataFrame(
        {
            "code": ["A1", "B3"],
            "name_zh": ["指标A1", "指标B3"],
            "name_en": ["Indicator A1", "Indicator B3"],
            "unit": ["个", "亿元"],
            "department": ["测试局", "测试局"],
            "value": [150.0, NAN],
            "latest_value": [150.0, 120.0],
            "latest_year": [2022.0, 2021.0],
            "target_value": [200.0, 1234.5],
            "score": [50.04, NAN],
            "completion": [0.5004, NAN],
            "attainment": [0.75, NAN],
            "status": ["at_risk", "no_data"],
            "projection": ["likely", ""],
            "projected_value": [204.0, NAN],
        }
    )
    history = pd.DataFrame(
        {
            "code": ["A1", "B3", "A1", "B3", "A1"],
            "year": [2022, 2022, 2021, 2021, 2020],
            "value": [150.0, NAN, 125.0, 120.0, NAN],
        }
    )
    expected = pd.DataFrame(
        {
            "Code": ["A1", "B3"],
            "Indicator": ["Indicator A1", "Indicator B3"],
            "Status": ["▲ Slightly behind schedule", "○ No data"],
            "Completion rate": [75.0, NAN],
            "Progress to target": [50.04, NAN],
            "Latest value": ["150", "CNY 12 bn(2021)"],
            "Target": ["200", "CNY 123.45 bn"],
            "Trend": [[125.0, 150.0], [120.0]],
            "Projected for the target year": ["Likely · 204", "—"],
            "Responsible department": ["测试局", "测试局"],
        }
    )
    pd.testing.assert_frame_equal(indicator_table(rows, history, "en"), expected)


PROBLEMS = pd.DataFrame(
    {
        "sheet": ["填报", "填报"],
        "row": pd.array([4, None], dtype="Int64"),
        "column": ["C", ""],
        "code": ["problem.not_a_number", "problem.no_year_column"],
        "params": [{"value": "abc"}, {"year_header": "年份", "value_header": "数值"}],
        "severity": ["error", "error"],
    }
)


@pytest.mark.parametrize(
    ("lang", "header", "messages"),
    [
        (
            "zh",
            ["工作表", "行", "列", "问题"],
            ["「abc」不是数字。", "缺少「年份」列：长表须有「年份」和「数值」两列。"],
        ),
        (
            "en",
            ["Sheet", "Row", "Column", "Problem"],
            [
                "“abc” is not a number.",
                "The column “年份” (year) is missing: a long table needs the columns “年份” (year) and “数值” (value).",
            ],
        ),
    ],
)
def test_problems_table_puts_each_problem_at_its_cell_in_the_readers_language(lang, header, messages):
    expected = pd.DataFrame(
        dict(
            zip(
                header,
                [["填报", "填报"], pd.array([4, ""], dtype="object"), ["C", ""], messages],
                strict=True,
            )
        )
    )
    pd.testing.assert_frame_equal(problems_table(PROBLEMS, lang), expected)


COMPARED = pd.DataFrame(
    {
        "indicator": ["A1", "B2", "A2"],
        "year": [2023, 2022, 2021],
        "old_value": [NAN, 70.0, 110.0],
        "value": [160.0, 72.5, 110.0],
        "change": ["new", "changed", "unchanged"],
        "note": ["新数据", None, None],
    }
)


@pytest.mark.parametrize(
    ("unchanged", "rows"),
    [
        (
            False,
            [
                ["A1", "指标A1", 2023, "—", "160个", "新增", "新数据"],
                ["B2", "指标B2", 2022, "70%", "72.5%", "修改", ""],
            ],
        ),
        (
            True,
            [
                ["A1", "指标A1", 2023, "—", "160个", "新增", "新数据"],
                ["B2", "指标B2", 2022, "70%", "72.5%", "修改", ""],
                ["A2", "指标A2", 2021, "110个", "110个", "未变", ""],
            ],
        ),
    ],
    ids=["changes", "with-unchanged"],
)
def test_changes_table(unchanged, rows):
    expected = pd.DataFrame(rows, columns=["编码", "指标", "年份", "原值", "新值", "变化", "备注"])
    table = changes_table(COMPARED, CATALOG, "zh", unchanged=unchanged)
    pd.testing.assert_frame_equal(table, expected)


def test_changes_table_without_notes_and_of_an_unknown_indicator():
    compared = pd.DataFrame(
        {"indicator": ["ZZ"], "year": [2023], "old_value": [NAN], "value": [5.0], "change": ["new"]}
    )
    expected = pd.DataFrame(
        [["ZZ", NAN, 2023, "—", "5", "new", ""]],
        columns=["Code", "Indicator", "Year", "Old value", "New value", "Change", "Note"],
    )
    pd.testing.assert_frame_equal(changes_table(compared, CATALOG, "en"), expected, check_dtype=False)


def test_catalog_changes_table_names_each_field_and_department_in_the_language():
    changes = pd.DataFrame(
        {
            "code": ["B2", "A1"],
            "field": ["target_value", "department"],
            "old": [90.0, "测试局"],
            "new": [95.0, "财政局"],
        }
    )
    expected = pd.DataFrame(
        {
            "Code": ["B2", "A1"],
            "Indicator": ["Indicator B2", "Indicator A1"],
            "Field": ["Target", "Responsible department"],
            "Old value": ["90.0", "测试局"],  # no English name: as the catalog has it
            "New value": ["95.0", "Finance Bureau"],
        }
    )
    pd.testing.assert_frame_equal(catalog_changes_table(changes, CATALOG, "en"), expected)


# Times are stored as naive UTC and shown in Beijing time (UTC+8).
UPLOADS = pd.DataFrame(
    {
        "id": [3, 2, 1],
        "kind": ["data", "data", "catalog"],
        "is_sample": [False, True, False],
        "file_name": ["一月.xlsx", "示例.xlsx", DEFAULT_CATALOG],
        "user_name": ["王五", SAMPLE_USER, "t"],
        "created_at": [datetime(2026, 3, 1, 2, 30), datetime(2026, 2, 28, 16, 5), datetime(2026, 2, 28, 16, 0)],
        "rows": [12, 300, 0],
        "new": [2, 300, 0],
        "changed": [1, 0, 4],
        "unchanged": [9, 0, 0],
        "rolled_back_at": [pd.NaT, datetime(2026, 3, 2, 1, 0), pd.NaT],
        "rolled_back_by": [None, "李四", None],
    }
)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "zh",
            {
                "编号": [3, 2, 1],
                "类型": ["数据", "数据（示例）", "指标目录"],
                "文件": ["一月.xlsx", "示例.xlsx", "默认指标目录（示例数据）"],
                "提交人": ["王五", "示例数据", "t"],
                "时间": ["2026-03-01 10:30", "2026-03-01 00:05", "2026-03-01 00:00"],
                "数值": ["12（新增2 · 修改1 · 未变9）", "300（新增300 · 修改0 · 未变0）", "目录修改4项"],
                "状态": ["有效", "已撤销（李四，2026-03-02 09:00）", "有效"],
            },
        ),
        (
            "en",
            {
                "No.": [3, 2, 1],
                "Kind": ["Data", "Data (sample)", "Catalog"],
                "File": ["一月.xlsx", "示例.xlsx", "Default catalog (sample data)"],
                "By": ["王五", "Sample data", "t"],
                "Time": ["2026-03-01 10:30", "2026-03-01 00:05", "2026-03-01 00:00"],
                "Values": [
                    "12 (new 2 · changed 1 · unchanged 9)",
                    "300 (new 300 · changed 0 · unchanged 0)",
                    "Catalog changes: 4",
                ],
                "State": ["In effect", "Rolled back (李四, 2026-03-02 09:00)", "In effect"],
            },
        ),
    ],
)
def test_uploads_table(lang, expected):
    pd.testing.assert_frame_equal(uploads_table(UPLOADS, lang), pd.DataFrame(expected))


def test_explorer_table_keeps_numbers_as_numbers_with_a_column_per_year():
    frame = pd.DataFrame(
        {
            "code": ["A1", "B2"],
            "name_zh": ["指标A1", "指标B2"],
            "name_en": ["Indicator A1", "Indicator B2"],
            "programme": ["A", "B"],
            "department": ["测试局", ""],
            2021: [125.0, NAN],
            2022: [150.0, 70.0],
            "unit": ["个", "%"],
            "base_value": [100.0, 50.0],
            "target_value": [200.0, 90.0],
            "completion": [0.5, -0.2504],
            "attainment": [0.75, 1.4],
            "pace": [1.2345, NAN],
            "status": ["on_track", "no_data"],
            "projected_value": [205.0, NAN],
            "projection": ["likely", ""],
            "note": ["快报", None],
        }
    )
    expected = pd.DataFrame(
        {
            "编码": ["A1", "B2"],
            "指标": ["指标A1", "指标B2"],
            "状态": ["● 达到序时进度", "○ 无数据"],
            "完成率": [75.0, 140.0],
            "目标完成进度": [50.0, -25.04],
            "进度比": [1.2345, NAN],
            "预测结论": ["有望完成", "—"],
            "单位": ["个", "%"],
            "2021": [125.0, NAN],
            "2022": [150.0, 70.0],
            "基期值": [100.0, 50.0],
            "目标值": [200.0, 90.0],
            "预测值": [205.0, NAN],
            "工程": ["工程A", "工程B"],
            "责任单位": ["测试局", ""],
            "备注": ["快报", ""],
        }
    )
    pd.testing.assert_frame_equal(explorer_table(frame, CATALOG, [2021, 2022], "zh"), expected)


def test_lineage_table_lists_the_newest_first_with_each_value_state():
    lineage = pd.DataFrame(
        {
            "year": [2021, 2022, 2022, 2022],
            "upload_id": [2, 2, 3, 4],
            "value": [125.0, 150.0, 160.0, 170.0],
            "previous": [NAN, NAN, 150.0, 160.0],
            "file_name": ["values.xlsx", "values.xlsx", "fix.xlsx", "again.xlsx"],
            "user_name": ["张三", "张三", "王五", "赵六"],
            "created_at": [datetime(2026, 1, 5, 1, 0)] * 2 + [datetime(2026, 1, 6, 1, 0), datetime(2026, 1, 7, 1, 0)],
            "in_effect": [True, False, True, False],
            "rolled_back_at": [pd.NaT, pd.NaT, pd.NaT, datetime(2026, 1, 8, 1, 0)],
            "note": [None, None, "更正", None],
        }
    )
    expected = pd.DataFrame(
        {
            "年份": [2022, 2022, 2022, 2021],
            "实际值": ["170亿元", "160亿元", "150亿元", "125亿元"],
            "替换的原值": ["160亿元", "150亿元", "—", "—"],
            "编号": ["#4", "#3", "#2", "#2"],
            "文件": ["again.xlsx", "fix.xlsx", "values.xlsx", "values.xlsx"],
            "提交人": ["赵六", "王五", "张三", "张三"],
            "时间": ["2026-01-07 09:00", "2026-01-06 09:00", "2026-01-05 09:00", "2026-01-05 09:00"],
            "状态": ["已撤销", "现行", "已被替换", "现行"],
            "备注": ["", "更正", "", ""],
        }
    )
    pd.testing.assert_frame_equal(lineage_table(lineage, "亿元", "zh"), expected)


def test_indicator_links_open_each_indicator_on_its_programme_page():
    codes = pd.Series(["B2", "A1", "ZZ"])
    assert indicator_links(codes, CATALOG) == ["./b?indicator=B2", "./a?indicator=A1", ""]


def test_progress_table_rounds_the_share_and_names_a_missing_department():
    progress = pd.DataFrame(
        {
            "department": ["测试局", ""],
            "indicators": [3, 1],
            "reported": [2, 0],
            "share": [2 / 3, 0.0],
            "missing": ["B3", "C1"],
        }
    )
    expected = pd.DataFrame(
        {
            "Responsible department": ["测试局", "—"],
            "Indicators": [3, 1],
            "Reported": [2, 0],
            "Share reported": [67.0, 0.0],
            "Missing": ["B3", "C1"],
        }
    )
    pd.testing.assert_frame_equal(progress_table(progress, "en"), expected)


def test_quality_table_adds_columns_by_their_label_and_a_link_to_each_indicator():
    stale = pd.DataFrame({"indicator": ["A3", "B2"], "first": [2020, 2021], "last": [2022, 2023]})
    table = quality_table(
        stale, CATALOG, "zh", code="indicator", columns={"col.from": stale["first"], "col.to": stale["last"]}
    )
    expected = pd.DataFrame(
        {
            "编码": ["A3", "B2"],
            "指标": ["指标A3", "指标B2"],
            "责任单位": ["测试局", "测试局"],
            "起始年": [2020, 2021],
            "截止年": [2022, 2023],
            "详情": ["./a?indicator=A3", "./b?indicator=B2"],
        }
    )
    pd.testing.assert_frame_equal(table, expected)


# --- issue 11: one completion everywhere, 完成率, columns that fit ---

# One indicator a year behind its baseline (completion −28 %, score 0) and one past its target, as progress rows.
STANDING = pd.DataFrame(
    {
        "code": ["A3", "B2"],
        "name_zh": ["指标A3", "指标B2"],
        "name_en": ["Indicator A3", "Indicator B2"],
        "programme": ["A", "B"],
        "department": ["人力资源和社会保障局", "统计局"],
        "unit": ["工作日", "%"],
        "status": ["regressing", "achieved"],
        "value": [68.4, 95.0],
        "latest_value": [68.4, 95.0],
        "latest_year": [2023.0, 2023.0],
        "target_value": [30.0, 90.0],
        "base_value": [60.0, 50.0],
        "gap": [-38.4, -5.0],
        "completion": [-0.28, 1.125],
        "score": [0.0, 100.0],
        "attainment": [30 / 68.4, 95 / 90],
        "expected": [0.6, 0.6],
        "pace": [-0.4667, 1.875],
        "projection": ["", ""],
        "projected_value": [NAN, NAN],
        "note": [None, None],
        2023: [68.4, 95.0],
    }
)


def percent_text(value: float) -> str:
    """Return a number as the grid shows it with "%.0f%%" (JavaScript's toFixed: half away from zero)."""
    return f"{math.copysign(math.floor(abs(value) + 0.5), value):.0f}%".replace("-", "−")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_table_shows_the_same_unclipped_completion_and_attainment(lang):
    history = STANDING[["code"]].assign(year=2023, value=STANDING["value"])
    attention = attention_table(STANDING, CATALOG, lang)
    programme = indicator_table(STANDING, history, lang)
    explorer = explorer_table(STANDING, CATALOG, [2023], lang)
    completion, attainment = ("目标完成进度", "完成率") if lang == "zh" else ("Progress to target", "Completion rate")
    assert list(attention[completion]) == ["−28%", "113%"]
    assert [percent_text(v) for v in programme[completion]] == ["−28%", "113%"]
    assert [percent_text(v) for v in explorer[completion]] == ["−28%", "113%"]
    assert list(attention[attainment]) == ["44%", "106%"]
    assert [percent_text(v) for v in programme[attainment]] == ["44%", "106%"]
    assert [percent_text(v) for v in explorer[attainment]] == ["44%", "106%"]


def fitted(columns, table):
    """Return the columns whose width would cut their header (the grid's font, its padding)."""
    return [name for name in table.columns if columns[name].width < text_width(name) + 16]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_column_is_as_wide_as_its_header_and_the_name_stays_in_view(lang):
    history = STANDING[["code"]].assign(year=2023, value=STANDING["value"])
    tables = {
        "attention": (attention_table(STANDING, CATALOG, lang), attention_columns),
        "programme": (indicator_table(STANDING, history, lang), indicator_columns),
        "quality": (quality_table(STANDING, CATALOG, lang), quality_columns),
    }
    for table, columns_of in tables.values():
        columns = columns_of(table, lang)
        assert list(columns) == list(table.columns)
        assert fitted(columns, table) == []
        assert columns[table.columns[1] if "A3" in set(table.iloc[:, 0]) else table.columns[0]].pinned
    explorer = explorer_table(STANDING, CATALOG, [2023], lang)
    columns = explorer_columns(explorer, [2023], lang)
    assert fitted(columns, explorer) == []
    # The standing sits right after the name and unit, so it is on screen without scrolling sideways.
    assert list(explorer.columns).index("状态" if lang == "zh" else "Status") == 2


@pytest.mark.parametrize(
    ("header", "values", "most", "width"),
    [
        ("目标年预测", [], 240, int(5 * WIDE_PIXELS + CELL_PADDING)),
        ("Pace", ["1.23"], 240, int(4 * NARROW_PIXELS + CELL_PADDING)),
        ("指标", ["国家级和省级研发机构数"], 240, int(11 * WIDE_PIXELS + CELL_PADDING)),
        ("指标", ["国家级和省级研发机构数" * 3], 240, 240),  # a long name is cut, never its header
        ("Target-year outlook", ["x"], 60, int(19 * NARROW_PIXELS + CELL_PADDING)),
    ],
)
def test_fit_width(header, values, most, width):
    assert fit_width(header, values, most) == width


def test_progress_columns_draw_the_share_as_a_whole_percent_bar():
    table = progress_table(
        pd.DataFrame(
            {"department": ["测试局"], "indicators": [3], "reported": [2], "share": [2 / 3], "missing": ["B3"]}
        ),
        "zh",
    )
    share = progress_columns(table, "zh")["填报率"]
    assert (share.kind, share.format) == ("progress", "%.0f%%") and share.width >= text_width("填报率") + 16


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (2106.5, "人", "#,##0"),
        (96.2, "%", '0.0"%"'),
        (267.9780598931892, "亿元", "#,##0.0"),
        (0.35, "吨标准煤/万元", "0.0##"),
        (NAN, "亿元", "#,##0.0"),
    ],
)
def test_value_format_follows_the_unit(value, unit, expected):
    assert value_format(value, unit) == expected


def test_export_formats_give_each_row_its_unit_and_percent_columns_a_percent_sign():
    table = explorer_table(STANDING, CATALOG, [2023], "zh")
    formats = export_formats(table, STANDING["unit"], [2023], "zh")
    assert formats["2023"] == ["#,##0.0", '0.0"%"'] and formats["目标值"] == ["#,##0.0", '0.0"%"']
    assert formats["目标完成进度"] == formats["完成率"] == ['0"%"', '0"%"'] and formats["进度比"] == ["0.00", "0.00"]


def test_an_assessments_rates_are_shown_to_a_tenth_so_that_short_of_the_target_never_reads_100():
    table = pd.DataFrame({"编码": ["A1"], "指标": ["指标A1"], "完成率": [99.66], "目标完成进度": [99.1]})
    columns = assessment_columns(table, "zh")
    assert columns["完成率"].format == columns["目标完成进度"].format == "%.1f%%"
    assert columns["完成率"].format % 99.66 == "99.7%"
