"""Test data built in code: catalogs, observations, workbooks."""

from __future__ import annotations

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


def make_catalog(indicators: list[dict], tasks_weights: dict | None = None) -> Catalog:
    """Return a catalog of one period P14 (2020 -> 2025) holding the given indicators.

    Each indicator dict needs code, programme, task; the rest defaults to an `up`, linear
    indicator from 100 to 200 with weight 1.
    """
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


def make_observations(rows: list[tuple]) -> pd.DataFrame:
    """Return observations from (indicator, year, value[, note]) tuples."""
    frame = pd.DataFrame(
        [r if len(r) == 4 else (*r, None) for r in rows], columns=["indicator", "year", "value", "note"]
    )
    return frame.astype({"indicator": "str", "year": "int64", "value": "float64"})


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
