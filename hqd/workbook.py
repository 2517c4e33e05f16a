"""Excel I/O: read any workbook's sheets as grids of cells, write the fill-in template."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from python_calamine import CalamineError, load_workbook

from hqd.catalog import Catalog
from hqd.labels import DIRECTIONS

DATA_SHEET, GUIDE_SHEET, CATALOG_SHEET = "指标数据", "填报说明", "指标目录"
# Header of the data sheet before and after the year columns.
LEADING = ["指标编码", "工程", "任务", "指标名称", "单位", "方向", "基期年", "基期值", "目标年", "目标值"]
TRAILING = ["责任单位", "备注"]
CATALOG_HEADERS = {
    "code": "指标编码",
    "period": "规划期",
    "programme": "工程编码",
    "task": "任务编码",
    "name_zh": "指标名称",
    "name_en": "英文名称",
    "unit": "单位",
    "direction": "方向",
    "trajectory": "轨迹",
    "base_year": "基期年",
    "base_value": "基期值",
    "target_year": "目标年",
    "target_value": "目标值",
    "weight": "权重",
    "department": "责任单位",
}


class WorkbookError(Exception):
    """A file that cannot be opened as a workbook; the message is for the user."""


def read_sheets(content: bytes) -> dict[str, pd.DataFrame]:
    """Return every sheet as a grid of cell values from A1 ('' for an empty cell).

    Formulas come back as their saved values; a formula never calculated comes back empty.
    """
    try:
        book = load_workbook(io.BytesIO(content))
        sheets = {}
        for name in book.sheet_names:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            sheets[name] = pd.DataFrame(rows, dtype="object")
        return sheets
    except CalamineError as error:
        raise WorkbookError(f"无法读取该文件(不是有效的 Excel/WPS 表格,或已损坏、加密):{error}") from error


THIN = Side(style="thin", color="BFBFBF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")
OPEN_FILL = PatternFill("solid", fgColor="FFF9E6")


def _style_header(sheet, widths: list[int]) -> None:
    """Make row 1 a frozen, bold header and set column widths."""
    for index, width in enumerate(widths, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "B2"
    sheet.row_dimensions[1].height = 30


def write_template(
    catalog: Catalog, observations: pd.DataFrame | None = None, period: str | None = None, title_note: str = ""
) -> bytes:
    """Return the fill-in workbook of a period, pre-filled with the observations given."""
    targets = catalog.targets(period)
    years = catalog.years(period)
    programmes = catalog.programmes.set_index("code")["name_zh"]
    tasks = catalog.tasks.set_index("code")["name_zh"]
    values = pd.DataFrame(columns=["indicator", "year", "value", "note"]) if observations is None else observations
    grid = values.pivot_table(index="indicator", columns="year", values="value", aggfunc="last")
    notes = (
        values.dropna(subset=["note"]).sort_values("year").groupby("indicator")["note"].last()
        if "note" in values
        else pd.Series(dtype="object")
    )

    book = Workbook()
    guide = book.active
    guide.title = GUIDE_SHEET
    _write_guide(guide, catalog, period, years, title_note)

    sheet = book.create_sheet(DATA_SHEET)
    header = LEADING + [str(y) for y in years] + TRAILING
    sheet.append(header)
    for _, row in targets.iterrows():
        cells = [
            row["code"],
            programmes.get(row["programme"], row["programme"]),
            tasks.get(row["task"], row["task"]),
            row["name_zh"],
            row["unit"],
            DIRECTIONS.loc[row["direction"], "zh"],
            int(row["base_year"]),
            row["base_value"],
            int(row["target_year"]),
            row["target_value"],
        ]
        for year in years:
            value = grid.at[row["code"], year] if row["code"] in grid.index and year in grid.columns else None
            cells.append(None if pd.isna(value) else float(value))
        note = notes.get(row["code"])
        cells += [row["department"], None if pd.isna(note) else note]
        sheet.append(cells)
    _style_header(sheet, [10, 14, 22, 34, 12, 10, 8, 10, 8, 10] + [11] * len(years) + [18, 30])
    first_open, last_open = len(LEADING) + 1, len(LEADING) + len(years)
    for r in range(2, len(targets) + 2):
        for c in range(1, len(header) + 1):
            cell = sheet.cell(row=r, column=c)
            cell.border = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
            editable = first_open <= c <= last_open or c == len(header)
            cell.protection = Protection(locked=not editable)
            cell.fill = OPEN_FILL if editable else LOCKED_FILL
            if first_open <= c <= last_open:
                cell.number_format = "#,##0.###"
    if len(targets):
        check = DataValidation(
            type="decimal",
            operator="between",
            formula1="-1E+15",
            formula2="1E+15",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="请输入数字",
            error="年份列只能填写数字(不带单位);没有数据请留空。",
        )
        check.add(f"{get_column_letter(first_open)}2:{get_column_letter(last_open)}{len(targets) + 1}")
        sheet.add_data_validation(check)
    # Locked cells guard codes and targets against slips; there is no password to forget.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.protection.autoFilter = False
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(targets) + 1}"

    listing = book.create_sheet(CATALOG_SHEET)
    listing.append(list(CATALOG_HEADERS.values()))
    for record in targets[list(CATALOG_HEADERS)].itertuples(index=False):
        listing.append(list(record))
    _style_header(listing, [10, 8, 10, 10, 34, 40, 12, 10, 10, 8, 10, 8, 10, 8, 18])
    book.active = 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _write_guide(sheet, catalog: Catalog, period: str | None, years: list[int], title_note: str) -> None:
    """Write the instructions sheet."""
    name = catalog.periods.set_index("code").loc[period or catalog.period_for_year(), "name_zh"]
    lines = [
        f"六大工程指标填报表({name},{years[0]}–{years[-1]})",
        title_note,
        "填报方法:",
        f"1. 在「{DATA_SHEET}」表中,按年份列({years[0]}–{years[-1]})填写各指标的实际值,只填数字,不带单位。",
        "2. 灰色单元格(编码、名称、单位、基期和目标)已锁定,请勿修改;黄色单元格可填写。",
        "3. 没有数据的年份请留空;百分比指标填写百分数本身,如 68.2 表示 68.2%。",
        "4. 「备注」可说明数据来源或口径变化。",
        "5. 填好后在系统「数据填报」页面上传本文件,系统会逐格检查并在提交前预览变化。",
        f"「{CATALOG_SHEET}」表列出目标值和权重,仅供参考;修改目标须由管理员提交。",
    ]
    for line in lines:
        sheet.append([line])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"].font = Font(bold=True, color="C00000")
    sheet.column_dimensions["A"].width = 100
