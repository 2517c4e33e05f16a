"""Test data built in code: catalogs, observations, workbooks."""

from __future__ import annotations

import copy

import pandas as pd

from hqd.catalog import Catalog, build_catalog

# The password of every account the tests create.
TEST_PASSWORD = "Hqd-2026-pass"

# Two programmes, three tasks, five indicators of every direction and shape.
SMALL_INDICATORS = [
    {"code": "A1", "programme": "A", "task": "A-1"},
    {"code": "A2", "programme": "A", "task": "A-1", "trajectory": "compound", "weight": 2},
    {
        "code": "A3",
        "programme": "A",
        "task": "A-2",
        "direction": "down",
        "base_value": 60,
        "target_value": 30,
        "unit": "工作日",
    },
    {
        "code": "B1",
        "programme": "B",
        "task": "B-1",
        "direction": "milestone",
        "base_value": 0,
        "target_value": 4,
        "unit": "阶段",
    },
    {"code": "B2", "programme": "B", "task": "B-1", "unit": "%", "base_value": 50, "target_value": 90},
]


# One indicator of each reporting rhythm (frequency, kind of value), for figures within a year.
REPORTING_INDICATORS = [
    {"code": "M1", "programme": "A", "task": "A-1", "unit": "亿元", "frequency": "month", "value_kind": "cumulative"},
    {"code": "M2", "programme": "A", "task": "A-1", "unit": "家", "frequency": "month", "value_kind": "stock"},
    {"code": "Q1", "programme": "A", "task": "A-2", "frequency": "quarter", "value_kind": "stock"},
    {"code": "Q2", "programme": "B", "task": "B-1", "unit": "人", "frequency": "quarter", "value_kind": "cumulative"},
    {"code": "Y1", "programme": "B", "task": "B-1", "unit": "%", "frequency": "year", "value_kind": "rate"},
]


# The browser tests' data: two programmes, an indicator of each direction and shape, four years of figures.
FOUR_INDICATORS = [
    {"code": "A1", "programme": "A", "task": "A-1"},
    {"code": "A2", "programme": "A", "task": "A-2", "direction": "down", "base_value": 60, "target_value": 30},
    {"code": "B1", "programme": "B", "task": "B-1", "unit": "%", "base_value": 50, "target_value": 90},
    {"code": "B2", "programme": "B", "task": "B-1", "trajectory": "compound"},
]
_SERIES = {"A1": (100, 118, 140, 150), "A2": (60, 56, 52, 50), "B1": (50, 56, 60, 61), "B2": (100, 112, 118, 121)}
FOUR_YEARS = [(code, 2020 + i, value) for code, values in _SERIES.items() for i, value in enumerate(values)]


# The catalogs built by make_catalog(), by the repr of its arguments: building one (checked as a file's would be)
# takes about 0.15 s of pandas, and the tests ask for the same few hundreds of times, many at import, on each worker.
_BUILT: dict[str, Catalog] = {}


def make_catalog(indicators: list[dict], tasks_weights: dict | None = None) -> Catalog:
    """Return a catalog of one period P14 (2020 -> 2025) holding the given indicators.

    Each indicator dict needs code, programme, task; the rest defaults to an `up`, linear
    indicator from 100 to 200 with weight 1. Each call returns a catalog of its own (a copy of one built once).
    """
    key = repr((indicators, tasks_weights))
    if key not in _BUILT:
        _BUILT[key] = _build_catalog(indicators, tasks_weights)
    return copy.deepcopy(_BUILT[key])


def _build_catalog(indicators: list[dict], tasks_weights: dict | None) -> Catalog:
    defaults = {
        "period": "P14",
        "name_zh": "",
        "name_en": "",
        "unit": "个",
        "direction": "up",
        "trajectory": "linear",
        "base_year": 2020,
        "base_value": 100,
        "target_year": 2025,
        "target_value": 200,
        "weight": 1,
        "department": "测试局",
        # Blank: yearly, of the kind its direction and unit say (catalog._default_reporting).
        "frequency": "",
        "value_kind": "",
        "aliases": "",
    }
    rows = [{**defaults, "name_zh": f"指标{d['code']}", "name_en": f"Indicator {d['code']}", **d} for d in indicators]
    ind = pd.DataFrame(rows).astype("str")
    tasks = ind[["task", "programme"]].drop_duplicates().rename(columns={"task": "code"})
    tasks = tasks.assign(
        name_zh="任务" + tasks["code"],
        name_en="Task " + tasks["code"],
        description_zh="",
        weight=[str((tasks_weights or {}).get(c, 1)) for c in tasks["code"]],
    )
    programmes = tasks[["programme"]].drop_duplicates().rename(columns={"programme": "code"})
    programmes = programmes.assign(
        name_zh="工程" + programmes["code"],
        name_en="Programme " + programmes["code"],
        short_zh="",
        goal_zh="",
        description_zh="",
        weight="1",
    )
    periods = pd.DataFrame(
        [{"code": "P14", "name_zh": "十四五", "name_en": "14th FYP", "base_year": "2020", "target_year": "2025"}]
    )
    return build_catalog({"periods": periods, "programmes": programmes, "tasks": tasks, "indicators": ind})


def with_key_tasks(catalog: Catalog, key_tasks: list[tuple], milestones: list[tuple]) -> Catalog:
    """Return the catalog with key tasks (code, task, name_zh, department, start, due) and milestones
    (key_task, step, due, description_zh), checked as a catalog file's would be."""
    tables = {name: frame.astype("str") for name, frame in catalog.tables().items()}
    tables["key_tasks"] = pd.DataFrame(
        key_tasks, columns=["code", "task", "name_zh", "department", "start", "due"], dtype="str"
    ).assign(name_en="")
    tables["milestones"] = pd.DataFrame(milestones, columns=["key_task", "step", "due", "description_zh"]).astype("str")
    return build_catalog(tables)


def make_observations(rows: list[tuple]) -> pd.DataFrame:
    """Return yearly observations (month 12) from (indicator, year, value[, note]) tuples."""
    frame = pd.DataFrame(
        [r if len(r) == 4 else (*r, None) for r in rows], columns=["indicator", "year", "value", "note"]
    )
    frame.insert(2, "month", 12)
    return frame.astype({"indicator": "str", "year": "int64", "month": "int64", "value": "float64"})


def make_workbook(sheets: dict[str, list[list]]) -> bytes:
    """Return xlsx bytes with the given sheets, each a list of rows from A1."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def make_merged_workbook(rows: list[list], merged: list[str], sheet: str = "数据") -> bytes:
    """Return xlsx bytes of one sheet from A1 with the given ranges (e.g. "A2:A3") merged."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    grid = book.active
    grid.title = sheet
    for row in rows:
        grid.append(row)
    for cells in merged:
        grid.merge_cells(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def make_xls(sheets: dict[str, list[list]]) -> bytes:
    """Return old-Excel .xls bytes (BIFF8, as WPS still saves) with the given sheets."""
    import io

    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    for name, rows in sheets.items():
        sheet = book.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def make_ods(sheets: dict[str, list[list]]) -> bytes:
    """Return OpenDocument .ods bytes with the given sheets, each a list of rows from A1."""
    import io

    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="odf") as writer:
        for name, rows in sheets.items():
            pd.DataFrame(rows).to_excel(writer, sheet_name=name, header=False, index=False)
    return out.getvalue()


def make_formatted_workbook(rows: list[list], formats: dict[str, str], sheet: str = "数据") -> bytes:
    """Return xlsx bytes of one sheet from A1 whose given cells (e.g. {"C2": "0%"}) carry a number format."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    grid = book.active
    grid.title = sheet
    for row in rows:
        grid.append(row)
    for cell, number_format in formats.items():
        grid[cell].number_format = number_format
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def make_percent_ods(rows: list[list], sheet: str = "数据") -> bytes:
    """Return .ods bytes of one sheet from A1: text cells as strings, numbers as LibreOffice saves a 6% cell.

    A number stays a plain float when given as ("float", value).
    """
    import io

    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    table = Table(name=sheet)
    for row in rows:
        line = TableRow()
        for value in row:
            if isinstance(value, tuple):
                cell = TableCell(valuetype="float", value=value[1])
                cell.addElement(P(text=str(value[1])))
            elif isinstance(value, int | float):
                cell = TableCell(valuetype="percentage", value=value)
                cell.addElement(P(text=f"{value:.0%}"))
            else:
                cell = TableCell(valuetype="string", stringvalue=value)
                cell.addElement(P(text=value))
            line.addElement(cell)
        table.addElement(line)
    document.spreadsheet.addElement(table)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_csv(rows: list[list], encoding: str = "utf-8") -> bytes:
    """Return CSV bytes of the rows in the given encoding ("utf-8-sig" writes a BOM)."""
    import csv
    import io

    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows([["" if v is None else v for v in row] for row in rows])
    return text.getvalue().encode(encoding)


def rewrite_zip(content: bytes, members: dict) -> bytes:
    """Return the zip with members replaced or added: name -> bytes, or a function of the old bytes."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            change = members.get(item.filename)
            target.writestr(item.filename, change(data) if callable(change) else data if change is None else change)
        for name, data in members.items():
            if name not in source.namelist():
                target.writestr(name, data)
    return out.getvalue()


def save_formula_results(content: bytes, results: dict[str, object], sheet: int = 1) -> bytes:
    """Return the xlsx with saved results for formula cells, as Excel leaves them after a save.

    openpyxl writes formulas without results (`<f>..</f><v />`); this fills in the <v>, marking
    text results t="str" as Excel does (so "" is a saved empty text, not a missing result).
    """
    import re
    from xml.sax.saxutils import escape

    def patch(xml: bytes) -> bytes:
        text = xml.decode("utf-8")
        for cell, value in results.items():
            kind = ' t="str"' if isinstance(value, str) else ""
            saved = escape(str(value))
            pattern = rf'(<c r="{cell}"[^>]*)><f>([^<]*)</f><v ?/>'
            text, count = re.subn(pattern, lambda m, k=kind, v=saved: f"{m[1]}{k}><f>{m[2]}</f><v>{v}</v>", text)
            assert count == 1, f"no formula at {cell}"
        return text.encode("utf-8")

    return rewrite_zip(content, {f"xl/worksheets/sheet{sheet}.xml": patch})


# --- Hostile files (issue 9): each small, each built to hurt a reader that trusts it ------------

HOSTILE_ROWS = [["指标编码", "年份", "数值", "备注"], ["A1", 2021, 110, "快报"], ["A3", 2021, 55, None]]


def _add_to_sheet_data(content: bytes, xml: str, sheet: int = 1) -> bytes:
    """Return the xlsx with `xml` appended inside the sheet's <sheetData>."""
    return rewrite_zip(
        content,
        {f"xl/worksheets/sheet{sheet}.xml": lambda old: old.replace(b"</sheetData>", xml.encode() + b"</sheetData>")},
    )


def make_sparse_corner_xlsx(far: str = "XFD1048576") -> bytes:
    """Return a 5 KB .xlsx whose sheet holds a small table and one more cell at `far`.

    A reader building the dense grid from A1 to that cell asks for rows × columns cells: 17 billion
    for XFD1048576 (550 GB), 491 million for XFD30000.
    """
    row = "".join(ch for ch in far if ch.isdigit())
    return _add_to_sheet_data(make_workbook({"数据": HOSTILE_ROWS}), f'<row r="{row}"><c r="{far}"><v>1</v></c></row>')


def make_one_string_xlsx(rows: int = 250_000, columns: int = 10) -> bytes:
    """Return an .xlsx whose rows × columns cells below the table all hold the same text.

    A few MB on disk (the repeated XML compresses well) and within the grid budget: a reader
    that keeps a string per cell turns it into millions of objects in the server.
    """
    cells = "".join(f'<c r="{chr(65 + c)}{{r}}" t="inlineStr"><is><t>同一文字</t></is></c>' for c in range(columns))
    body = "".join(f'<row r="{r}">' + cells.replace("{r}", str(r)) + "</row>" for r in range(10, rows + 10))
    return _add_to_sheet_data(make_workbook({"数据": [["同一文字"], *HOSTILE_ROWS]}), body)


def make_repeated_ods(rows: int = 20_000, columns: int = 3_000) -> bytes:
    """Return a 2 KB .ods whose last row, repeated `rows` times, holds a number repeated `columns` times."""
    repeated = (
        f'<table:table-row table:number-rows-repeated="{rows}">'
        f'<table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="{columns}">'
        "<text:p>1</text:p></table:table-cell></table:table-row>"
    )
    return rewrite_zip(
        make_ods({"数据": HOSTILE_ROWS}),
        {"content.xml": lambda xml: xml.replace(b"</table:table>", repeated.encode() + b"</table:table>", 1)},
    )


def make_lying_zip(padding: int = 64 * 2**20) -> bytes:
    """Return an .xlsx whose sheet unpacks to `padding` bytes more than its zip directory says.

    The sheet XML carries that much whitespace (it compresses a thousandfold); the central
    directory and the local header both claim the sheet's size without it.
    """
    import io
    import struct
    import zipfile

    book = make_workbook({"数据": HOSTILE_ROWS})
    name = "xl/worksheets/sheet1.xml"
    small = len(zipfile.ZipFile(io.BytesIO(book)).read(name))
    padded = rewrite_zip(book, {name: lambda xml: xml.replace(b"<sheetData>", b"<sheetData>" + b" " * padding)})
    patched = bytearray(padded)
    encoded = name.encode()
    central = padded.index(b"PK\x01\x02", padded.index(b"PK\x01\x02"))
    while padded[central + 46 : central + 46 + len(encoded)] != encoded:
        central = padded.index(b"PK\x01\x02", central + 4)
    patched[central + 24 : central + 28] = struct.pack("<I", small)
    local = struct.unpack("<I", padded[central + 42 : central + 46])[0]
    patched[local + 22 : local + 26] = struct.pack("<I", small)
    return bytes(patched)


def make_xml_attack_xlsx(kind: str, member: str = "xl/worksheets/sheet1.xml") -> bytes:
    """Return an .xlsx with a DTD in one part: "xxe" reads a local file, "laughs" expands ten levels of entities."""
    if kind == "xxe":
        doctype = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        use = "&xxe;"
    else:
        levels = ['<!ENTITY l0 "lol">'] + [f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)]
        doctype = f"<!DOCTYPE x [{''.join(levels)}]>"
        use = "&l9;"

    def attack(xml: bytes) -> bytes:
        text = xml.decode()
        if text.startswith("<?xml"):
            declaration, rest = text.split("?>", 1)
            text = declaration + "?>" + doctype + rest
        else:
            text = doctype + text
        if member.endswith("sheet1.xml"):
            text = text.replace("<t>快报</t>", f"<t>{use}</t>")
        return text.encode()

    return rewrite_zip(make_workbook({"数据": HOSTILE_ROWS}), {member: attack})


def make_external_link_xlsx() -> bytes:
    """Return an .xlsx whose value cell is a formula on another workbook (on a web server), with its saved value."""
    link = (
        '<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<externalBook r:id="rId1"><sheetNames><sheetName val="Sheet1"/></sheetNames></externalBook></externalLink>'
    )
    link_rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" TargetMode="External" Target="http://198.51.100.7/secret.xlsx" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLinkPath"/></Relationships>'
    )
    content = make_workbook({"数据": [*HOSTILE_ROWS[:2], ["A3", 2021, "=[1]Sheet1!A1", None]]})
    content = save_formula_results(content, {"C3": 55})
    return rewrite_zip(
        content,
        {
            "xl/externalLinks/externalLink1.xml": link,
            "xl/externalLinks/_rels/externalLink1.xml.rels": link_rels,
            "xl/_rels/workbook.xml.rels": lambda xml: xml.replace(
                b"</Relationships>",
                b'<Relationship Id="rId9" Target="externalLinks/externalLink1.xml" '
                b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLink"/>'
                b"</Relationships>",
            ),
            "xl/workbook.xml": lambda xml: xml.replace(
                b"</workbook>", b'<externalReferences><externalReference r:id="rId9"/></externalReferences></workbook>'
            ),
        },
    )


def make_macro_xlsm() -> bytes:
    """Return an .xlsm holding vbaProject.bin with an auto-run macro next to an ordinary sheet."""
    macro = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 504
        + b'Attribute VB_Name = "M"\nSub AutoOpen()\nShell "calc"\nEnd Sub'
    )
    return rewrite_zip(
        make_workbook({"数据": HOSTILE_ROWS}),
        {
            "xl/vbaProject.bin": macro,
            "[Content_Types].xml": lambda xml: xml.replace(
                b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>'
            ),
        },
    )


def make_encrypted_ole() -> bytes:
    """Return the start of an OLE container as Excel writes a password-protected .xlsx."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    return header + b"\0" * 1024 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 2048


def make_encrypted_zip() -> bytes:
    """Return an .xlsx whose sheet member is flagged as zip-encrypted (traditional PKWARE encryption)."""
    content = bytearray(make_workbook({"数据": HOSTILE_ROWS}))
    at = 0
    while (at := content.find(b"PK\x01\x02", at)) >= 0:
        content[at + 8] |= 0x1
        local = int.from_bytes(content[at + 42 : at + 46], "little")
        content[local + 6] |= 0x1
        at += 4
    return bytes(content)
