"""The analysts' core: filters, frames, comparisons, data quality, lineage and safe exports."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest
from factories import make_catalog, make_observations

from hqd import store
from hqd.changes import trace_lineage
from hqd.explore import Filters, compare_years, explorer_frame, filter_indicators, is_in, status_counts
from hqd.labels import STATUSES
from hqd.quality import find_jumps, missing_targets, reporting_progress, stale_values
from hqd.rollup import compute_report
from hqd.tables import explorer_table
from hqd.workbook import _tint, export_csv, export_xlsx

CATALOG = make_catalog(
    [
        {"code": "A1", "programme": "A", "task": "A-1", "department": "科技局"},
        {"code": "A2", "programme": "A", "task": "A-2", "department": "财政局", "name_zh": "税收", "name_en": "Tax"},
        {"code": "B1", "programme": "B", "task": "B-1", "department": "科技局"},
    ]
)
VALUES = make_observations(
    [
        ("A1", 2021, 120.0, '=HYPERLINK("http://x","y")'),
        ("A1", 2022, 140.0),
        ("A2", 2021, 101.0),
        ("A2", 2022, 102.0),
        ("B1", 2021, 130.0),
    ]
)


@pytest.fixture(scope="module")
def report():
    return compute_report(CATALOG, VALUES)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(2020, 2022), ["A1", "A2", "B1"]),
        (Filters(2020, 2022, programmes=["A"]), ["A1", "A2"]),
        (Filters(2020, 2022, tasks=["A-2"]), ["A2"]),
        (Filters(2020, 2022, departments=["科技局"]), ["A1", "B1"]),
        (Filters(2020, 2022, statuses=["no_data"]), ["B1"]),
        (Filters(2020, 2021, statuses=["no_data"]), []),
        (Filters(2020, 2022, text="税"), ["A2"]),
        (Filters(2020, 2022, text=" tax "), ["A2"]),
        (Filters(2020, 2022, text="ａ１"), ["A1"]),
        (Filters(2020, 2022, programmes=["A"], departments=["科技局"]), ["A1"]),
    ],
    ids=[
        "all",
        "programme",
        "task",
        "department",
        "status-in-last-year",
        "status-earlier-range",
        "name",
        "english-name",
        "full-width-code",
        "combined",
    ],
)
def test_filter_indicators(report, filters, expected):
    rows = filter_indicators(report.indicators, filters)
    assert list(rows.drop_duplicates("code")["code"]) == expected
    assert len(rows) == len(expected) * 6


def test_explorer_frame_has_the_range_values_and_the_end_standing(report):
    filters = Filters(2021, 2022, programmes=["A"])
    frame = explorer_frame(filter_indicators(report.indicators, filters), filters, VALUES)
    expected = pd.DataFrame(
        {"code": ["A1", "A2"], 2021: [120.0, 101.0], 2022: [140.0, 102.0], "note": ['=HYPERLINK("http://x","y")', None]}
    )
    pd.testing.assert_frame_equal(frame[["code", 2021, 2022, "note"]], expected, check_dtype=False)
    assert list(frame["status"]) == list(report.indicators.query("year == 2022 and programme == 'A'")["status"])
    counts = status_counts(filter_indicators(report.indicators, filters), 2022)
    assert counts.sum() == 2


def test_compare_years_sorts_the_biggest_movers_first(report):
    moves = compare_years(report.indicators, 2021, 2022)
    assert list(moves["code"]) == ["A1", "A2"]
    assert moves.loc[0, "change"] == pytest.approx(0.2)


def test_csv_export_has_a_bom_and_never_a_formula(report):
    filters = Filters(2021, 2022)
    frame = explorer_frame(filter_indicators(report.indicators, filters), filters, VALUES)
    content = export_csv(explorer_table(frame, CATALOG, [2021, 2022], "zh"))
    assert content.startswith(b"\xef\xbb\xbf")
    lines = content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("编码,指标,状态,完成率,目标完成进度,进度比,预测结论,单位,2021,2022")
    assert len(lines) == 4
    assert "'=HYPERLINK" in lines[1] and ",=HYPERLINK" not in lines[1]


def test_xlsx_export_keeps_hostile_text_as_text_and_colours_status(report):
    filters = Filters(2021, 2022)
    frame = explorer_frame(filter_indicators(report.indicators, filters), filters, VALUES)
    table = explorer_table(frame, CATALOG, [2021, 2022], "zh")
    sheet = openpyxl.load_workbook(io.BytesIO(export_xlsx(table, "导出", frame["status"], "状态", note="示例"))).active
    header = [c.value for c in sheet[3]]
    assert header[:10] == [
        "编码",
        "指标",
        "状态",
        "完成率",
        "目标完成进度",
        "进度比",
        "预测结论",
        "单位",
        "2021",
        "2022",
    ]
    note = sheet.cell(row=4, column=header.index("备注") + 1)
    assert (note.value, note.data_type, note.quotePrefix) == ('=HYPERLINK("http://x","y")', "s", True)
    assert sheet.cell(row=4, column=9).value == 120
    status = sheet.cell(row=4, column=header.index("状态") + 1)
    # An opaque, lightened colour of the status (Excel reads ARGB, alpha first).
    assert status.fill.fgColor.rgb == _tint(STATUSES.loc[frame["status"].iloc[0], "colour"])
    assert status.fill.fgColor.rgb.startswith("FF")


def test_reporting_progress_and_missing_targets(report):
    progress = reporting_progress(report.indicators.query("year == 2022"))
    assert list(progress["department"]) == ["科技局", "财政局"]
    assert list(progress["reported"]) == [1, 1] and progress.loc[0, "missing"] == "B1"
    assert missing_targets(CATALOG, "P14").empty
    assert list(missing_targets(CATALOG, "P15")["code"]) == ["A1", "A2", "B1"]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([100, 100, 100], [(2020, 2022)]),
        ([100, 100, 101], []),
        ([100, 100, 100, 100, 5, 5, 5], [(2020, 2023), (2024, 2026)]),
    ],
)
def test_stale_values(values, expected):
    frame = make_observations([("A1", 2020 + i, float(v)) for i, v in enumerate(values)])
    runs = stale_values(frame)
    assert list(zip(runs["first"], runs["last"], strict=True)) == expected


def test_stale_values_need_consecutive_years():
    frame = make_observations([("A1", 2020, 1.0), ("A1", 2022, 1.0), ("A1", 2023, 1.0)])
    assert stale_values(frame).empty


def test_find_jumps():
    # Exactly 3× or a third is not yet a jump; 31/10 and 2.9/9 are.
    frame = make_observations(
        [
            ("A1", 2020, 10.0),
            ("A1", 2021, 31.0),
            ("A1", 2022, 30.0),
            ("A2", 2020, 9.0),
            ("A2", 2021, 2.9),
            ("A2", 2022, 9.0),
            ("B1", 2020, 9.0),
            ("B1", 2021, 3.0),
        ]
    )
    jumps = find_jumps(frame)
    assert list(zip(jumps["indicator"], jumps["year"], strict=True)) == [("A1", 2021), ("A2", 2021), ("A2", 2022)]


def test_lineage_after_two_uploads_and_a_rollback(tmp_path):
    engine = store.connect(f"sqlite:///{tmp_path / 'lineage.db'}")
    store.commit_upload(engine, "c", None, "t", catalog=CATALOG)
    ids = [
        store.commit_upload(engine, f"{name}.xlsx", name.encode(), user, frame=make_observations([("A1", 2022, v)]))
        for name, user, v in (("a", "甲", 10.0), ("b", "乙", 12.0), ("c", "丙", 15.0))
    ]
    second, third = (ids[1][store.DATA], ids[2][store.DATA])
    store.rollback_upload(engine, third, "管理员")
    lineage = trace_lineage(store.read_lineage(engine, "A1"))
    expected = pd.DataFrame(
        {
            "value": [10.0, 12.0, 15.0],
            "previous": [None, 10.0, 12.0],
            "in_effect": [False, True, False],
            "user_name": ["甲", "乙", "丙"],
        }
    )
    pd.testing.assert_frame_equal(lineage[["value", "previous", "in_effect", "user_name"]], expected, check_dtype=False)
    assert lineage.loc[lineage["upload_id"] == third, "rolled_back_by"].iloc[0] == "管理员"
    assert second in set(lineage["upload_id"])


@pytest.mark.parametrize(
    ("column", "values"),
    [
        (pd.Series(["A1", "B2", None, "A1"]), ["A1"]),
        (pd.Series(["A1", "B2", None, "A1"]), pd.Series(["B2", "C3"])),
        (pd.Series(["A1", "B2"]), pd.Index(["B2"])),
        (pd.Series(["A1", "B2"], dtype=object), {"A1", "Z"}),
        (pd.Series(["A1", "B2"]), []),
        (pd.Series([], dtype="str"), ["A1"]),
    ],
)
def test_is_in_answers_as_isin_does(column, values):
    assert list(is_in(column, values)) == list(column.isin(list(values)))
