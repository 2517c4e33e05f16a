"""Excel I/O: read any workbook's sheets as grids of cells, write the fill-in template."""

from __future__ import annotations

import io
import os
import pickle
import re
import threading
import zlib
from copy import copy
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import numpy as np
import pandas as pd

from hqd.catalog import Catalog
from hqd.inyear import DUE_MONTHS, annual_target_table
from hqd.labels import ANNUAL_TARGET_SOURCES, DIRECTIONS, STATUSES, format_period, period_kind
from hqd.progress import annual_figures
from hqd.reading import TIMED_OUT, Limits, WorkbookError, memory_refusal, run_reader
from hqd.reading import UNCALCULATED as UNCALCULATED  # defined where the child reads; callers import it here
from hqd.reading import PercentNumber as PercentNumber
from hqd.settings import (
    MAX_GRID_CELLS,
    MAX_ROWS,
    MAX_UNPACK_RATIO,
    MAX_UNPACKED_BYTES,
    MAX_UPLOAD_BYTES,
    READ_MEMORY_BYTES,
    READ_SECONDS,
)
from hqd.supervision import NEEDS_EXPLANATION

DATA_SHEET, GUIDE_SHEET, CATALOG_SHEET = "指标数据", "填报说明", "指标目录"
# Header of the data sheet before and after the year columns.
LEADING = ["指标编码", "工程", "任务", "指标名称", "单位", "方向", "基期年", "基期值", "目标年", "目标值"]
# A department's explanation of an indicator behind (情况说明), beside its figures in both templates, between
# 责任单位 (or 数值) and 备注: the status computed for the reporting month, shown so the department sees which rows
# need one, and the three cells it fills. Read back by hqd.reports; the status is for reading only.
STATUS_HEADER = "当前状态"
EXPLANATION_HEADERS = {"cause": "原因分析", "measures": "整改措施", "expected_by": "预计完成时间"}
# In the years' template, the month the status and explanation are for (the month template's 报告期 says it).
EXPLAIN_PERIOD_HEADER = "说明报告期"
EXPLAINING = [STATUS_HEADER, EXPLAIN_PERIOD_HEADER, *EXPLANATION_HEADERS.values()]
TRAILING = ["责任单位", *EXPLAINING, "备注"]
# The 重点任务 sheet: one row per milestone of each key task listed; 完成日期 and 进展情况 (one cell per key task,
# merged over its rows) are filled in, 报告期 says which month the progress is of. Read back by hqd.reports.
KEY_TASK_SHEET = "重点任务"
KEY_TASK_HEADERS = {
    "key_task": "重点任务编号",
    "name": "重点任务",
    "step": "节点序号",
    "description": "节点内容",
    "due": "计划完成（月）",
    "completed_on": "完成日期",
    "progress": "进展情况",
    "period": "报告期",
}
DATE_FORMAT = "yyyy-mm-dd"
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
    "frequency": "报送频率",
    "value_kind": "数值类型",
}

# An admin's annual targets (年度目标): read by hqd.revisions.read_annual_targets_sheet, written by
# write_annual_targets_template. 来源 (where the value in effect comes from) is for reading only.
ANNUAL_SHEET = "年度目标"
ANNUAL_HEADERS = {
    "code": "指标编码",
    "name": "指标名称",
    "period": "规划期",
    "year": "年份",
    "target_value": "年度目标值",
    "unit": "单位",
    "source": "来源",
}
# What an admin writes in place of a number to remove an annual target: the year then follows the trajectory.
# ("-" will not do: it is one of the blanks people leave, and a blank changes nothing.)
ANNUAL_TRAJECTORY_WORDS = ("按规划轨迹", "规划轨迹")

# Types the child's answer may hold besides lists, text and numbers (calamine's dates and times).
ANSWER_TYPES = {
    ("datetime", "date"),
    ("datetime", "datetime"),
    ("datetime", "time"),
    ("datetime", "timedelta"),
    ("hqd.reading", "UNCALCULATED"),
    ("hqd.reading", "PercentNumber"),
}


def read_sheets(content: bytes, file_name: str = "") -> dict[str, pd.DataFrame]:
    """Return every sheet as a grid of cell values from A1 ('' for an empty cell).

    Reads .xlsx/.xlsm, .xls, .ods and .csv (UTF-8, with or without BOM, GB18030/GBK, or UTF-16
    with a BOM). Merged cells carry their value in every cell they cover. Formulas come back as
    their saved values, and as UNCALCULATED where the file holds none. Raises WorkbookError (a
    code and its values) for what cannot be read: too large, a zip bomb, too many cells, encrypted, corrupt
    or not a table at all. The file is read in a child process (hqd.reading), so that no file,
    however built, can exhaust the server's memory or take it down.
    """
    if len(content) > MAX_UPLOAD_BYTES:
        raise WorkbookError("read.too_large", mb=round(len(content) / 2**20, 1), max_mb=MAX_UPLOAD_BYTES // 2**20)
    if not content:
        raise WorkbookError("read.empty")
    return {name: _grid(*grid) for name, *grid in _read_isolated(content, file_name)}


def _grid(height: int, width: int, typecode: str, values: list, columns: list) -> pd.DataFrame:
    """Return the grid of a sheet as hqd.reading.encode_grid() sends it, one array of its cells.

    Raises WorkbookError when the answer does not describe a grid (a place outside the values, columns of other
    lengths).
    """
    # The answer is checked as the file was: a reading process gone wrong must not make the server build more.
    if typecode not in ("B", "H", "I") or len(columns) != width or height * width > read_limits().max_cells:
        raise WorkbookError("read.bad_answer")
    table = np.fromiter(values, dtype=object, count=len(values))
    # Column by column into the one array (each column contiguous), with no column-sized array beside it: a sparse
    # sheet of 2.5 million cells must cost the server that array and little more.
    cells = np.empty((height, width), dtype=object, order="F")
    try:
        for position, (mask, floats, places) in enumerate(columns):
            is_float = np.frombuffer(_inflate(mask, height), dtype=np.uint8).astype(bool)
            others = height - int(is_float.sum())
            places = np.frombuffer(_inflate(places, others * np.dtype(typecode).itemsize), dtype=typecode)
            if others == height:
                np.take(table, places, out=cells[:, position])
                continue
            cells[is_float, position] = np.frombuffer(floats, dtype=np.float64).astype(object)
            cells[~is_float, position] = table[places]
    except (IndexError, ValueError, TypeError, zlib.error) as error:
        raise WorkbookError("read.bad_answer") from error
    return pd.DataFrame(cells, dtype="object", copy=False)


def _inflate(data: bytes, size: int) -> bytes:
    """Return a compressed part of a reading process's answer, refused (ValueError) unless it holds `size` bytes."""
    inflater = zlib.decompressobj()
    out = inflater.decompress(data, size + 1)
    if len(out) != size or inflater.unconsumed_tail or not inflater.eof:
        raise ValueError("a column of another size than its grid's")
    return out


def read_limits() -> Limits:
    """Return what reading one file may take, from this module's names at each call (tests lower them)."""
    return Limits(MAX_ROWS, MAX_GRID_CELLS, MAX_UNPACKED_BYTES, MAX_UNPACK_RATIO, READ_MEMORY_BYTES)


# At most this many reading processes at once: each may take READ_MEMORY_BYTES.
READERS = threading.BoundedSemaphore(2)


def _read_isolated(content: bytes, file_name: str) -> list[tuple[str, int, int, str, list, list]]:
    """Return hqd.reading.read_cells() of the content, run in a capped child process that may die without harm."""
    limits = read_limits()
    # The name tells a CSV by its extension and labels its sheet: no NUL (no part of a name a person gave), no longer
    # than a file system's names, its extension kept.
    file_name = file_name.replace("\x00", "")
    if len(file_name) > 255:
        stem, extension = os.path.splitext(file_name)
        file_name = stem[: 255 - len(extension[:16])] + extension[:16]
    try:
        with READERS:
            code, answer, errors = run_reader(content, file_name, limits, READ_SECONDS)
    except OSError as error:
        # No reading process could be had (no memory, too many processes): the file is not to blame.
        raise WorkbookError("read.no_reader") from error
    if code == TIMED_OUT:
        raise WorkbookError("read.timeout", seconds=READ_SECONDS)
    if code != 0:
        # Rust aborts when an allocation fails under the cap; Python raises MemoryError.
        if b"memory allocation" in errors or b"MemoryError" in errors:
            raise memory_refusal(limits)
        raise WorkbookError("read.crashed")
    try:
        kind, payload = _AnswerUnpickler(io.BytesIO(answer)).load()
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError) as error:
        raise WorkbookError("read.bad_answer") from error
    if kind == "error":
        code, params = payload
        raise WorkbookError(code, **params)
    return payload


class _AnswerUnpickler(pickle.Unpickler):
    """Unpickles the child's answer, refusing any type a sheet's cells cannot hold."""

    def find_class(self, module: str, name: str):
        if (module, name) not in ANSWER_TYPES:
            raise pickle.UnpicklingError(f"{module}.{name}")
        return super().find_class(module, name)


# openpyxl is imported by each function that writes a workbook: it is a tenth of a second of every server's first
# page, which reads no workbook here (uploads are read by hqd.reading's readers) and most often writes none.
THIN, HEADER, LOCKED, OPEN = "BFBFBF", "1F4E79", "F2F2F2", "FFF9E6"


def _style_header(sheet, widths: list[int]) -> None:
    """Make row 1 a frozen, bold header and set column widths."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=HEADER)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "B2"
    sheet.row_dimensions[1].height = 30


@dataclass(frozen=True)
class TemplateReports:
    """What a template carries beside the figures so that a department answers in the same file.

    The month reported (year, month) that the statuses are computed at and the explanations are for; the
    explanations, completed milestones and key-task progress in effect (hqd.store.read_supervision's frames).
    """

    year: int
    month: int
    statuses: pd.Series = field(default_factory=lambda: pd.Series(dtype="object"))  # indicator -> status code
    explanations: pd.DataFrame | None = None
    milestone_reports: pd.DataFrame | None = None
    key_task_reports: pd.DataFrame | None = None

    @cached_property
    def explained(self) -> dict[str, list]:
        """Return each indicator's explanation in effect for the month reported: cause, measures, expected by."""
        frame = self.explanations
        if frame is None or not len(frame):
            return {}
        mine = frame[(frame["year"] == self.year) & (frame["month"] == self.month)]
        # The last of an indicator's rows is the one in effect.
        return {
            code: [cause, measures, _as_date(by)]
            for code, cause, measures, by in zip(
                mine["indicator"], mine["cause"], mine["measures"], mine["expected_by"], strict=True
            )
        }


def _as_date(value) -> date | None:
    """Return a stored date (a date, a timestamp or text) as a date; None where there is none."""
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return None
    return pd.Timestamp(value).date()


def _explaining_cells(code: str, reports: TemplateReports | None) -> list:
    """Return an indicator's status, the month it is for and its explanation in effect, as the template shows."""
    if reports is None:
        return [None] * len(EXPLAINING)
    status = reports.statuses.get(code)
    shown = f"{STATUSES.loc[status, 'symbol']}{STATUSES.loc[status, 'zh']}" if status in STATUSES.index else None
    given = reports.explained.get(code, [None, None, None])
    kind = "month" if reports.month < 12 else "year"
    return [shown, format_period(reports.year, reports.month, "zh", kind), *given]


def _style_explaining(sheet, header: list[str], statuses: list) -> None:
    """Format the explanation cells: dates as dates, text wrapped; tint the rows whose status needs an explanation."""
    from openpyxl.styles import Alignment, PatternFill

    position = {name: header.index(name) + 1 for name in EXPLAINING}
    for offset, status in enumerate(statuses):
        r = offset + 2
        sheet.cell(row=r, column=position[EXPLANATION_HEADERS["expected_by"]]).number_format = DATE_FORMAT
        for name in ("cause", "measures"):
            sheet.cell(row=r, column=position[EXPLANATION_HEADERS[name]]).alignment = Alignment(wrap_text=True)
        if status in NEEDS_EXPLANATION:
            fill = PatternFill("solid", fgColor=_tint(STATUSES.loc[status, "colour"]))
            for name in (STATUS_HEADER, *EXPLANATION_HEADERS.values()):
                sheet.cell(row=r, column=position[name]).fill = fill


def _write_key_task_sheet(book, catalog: Catalog, department: str | None, reports: TemplateReports | None) -> None:
    """Add the 重点任务 sheet: each key task's milestones (one row each) with their completion date in effect, and
    one 进展情况 cell per key task (merged over its rows) with the progress in effect for the month reported."""
    from openpyxl.styles import Alignment

    key_tasks = catalog.key_tasks
    if department:
        key_tasks = key_tasks[key_tasks["department"] == department]
    if key_tasks.empty:
        return
    sheet = book.create_sheet(KEY_TASK_SHEET)
    header = list(KEY_TASK_HEADERS.values())
    _write_row(sheet, 1, header)
    done, progress = {}, {}
    if reports is not None and reports.milestone_reports is not None and len(reports.milestone_reports):
        frame = reports.milestone_reports
        done = {(k, int(s)): _as_date(d) for k, s, d in frame[["key_task", "step", "completed_on"]].itertuples(False)}
    if reports is not None and reports.key_task_reports is not None and len(reports.key_task_reports):
        frame = reports.key_task_reports
        mine = frame[(frame["year"] == reports.year) & (frame["month"] == reports.month)]
        progress = dict(zip(mine["key_task"], mine["progress"], strict=True))
    period = format_period(reports.year, reports.month, "zh", "month") if reports is not None else None
    milestones = catalog.milestones.sort_values(["key_task", "step"])
    column = {name: header.index(text) + 1 for name, text in KEY_TASK_HEADERS.items()}
    number = 2
    steps_of: dict[str, list] = {}
    for key_task, step, description, due in zip(
        milestones["key_task"], milestones["step"], milestones["description_zh"], milestones["due"], strict=True
    ):
        steps_of.setdefault(key_task, []).append((int(step), description, due))
    for task in key_tasks.sort_values("code").itertuples(index=False):
        lines = steps_of.get(task.code) or [(None, None, None)]
        first = number
        for step, description, due in lines:
            when = done.get((task.code, step)) if step is not None else None
            cells = [task.code, task.name_zh, step, description, due, when]
            _write_row(sheet, number, [*cells, progress.get(task.code) if number == first else None, period])
            number += 1
        if number - 1 > first:
            for c in (column["progress"], column["period"]):
                sheet.merge_cells(start_row=first, start_column=c, end_row=number - 1, end_column=c)
    _style_header(sheet, [12, 34, 8, 40, 12, 12, 40, 12])
    # Set on the first row only: _format_body gives each column's cells below a copy of its first cell's style.
    sheet.cell(row=2, column=column["completed_on"]).number_format = DATE_FORMAT
    for name in ("name", "description", "progress"):
        sheet.cell(row=2, column=column[name]).alignment = Alignment(wrap_text=True, vertical="top")
    _format_body(sheet, number - 2, len(header), {column["completed_on"], column["progress"]}, (), (), "")


def write_template(
    catalog: Catalog,
    observations: pd.DataFrame | None = None,
    period: str | None = None,
    title_note: str = "",
    department: str | None = None,
    reports: TemplateReports | None = None,
) -> bytes:
    """Return the fill-in workbook of a period, pre-filled with the observations given.

    With a department, only its indicators are listed, so each department fills its own part. With `reports`,
    each row shows its status at the month reported and the explanation in effect, and the 重点任务 sheet the
    key tasks' milestones completed and progress (the key tasks are listed either way).
    """
    from openpyxl import Workbook

    targets = catalog.targets(period)
    if department:
        targets = targets[targets["department"] == department].reset_index(drop=True)
    years = catalog.years(period)
    programmes = catalog.programmes.set_index("code")["name_zh"]
    tasks = catalog.tasks.set_index("code")["name_zh"]
    values = (
        pd.DataFrame(columns=["indicator", "year", "value", "note"])
        if observations is None
        else annual_figures(observations)
    )
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
    _write_row(sheet, 1, header)
    for number, (_, row) in enumerate(targets.iterrows(), start=2):
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
        cells += [row["department"], *_explaining_cells(row["code"], reports), None if pd.isna(note) else note]
        _write_row(sheet, number, cells)
    widths = [10, 14, 22, 34, 12, 10, 8, 10, 8, 10] + [11] * len(years) + [18, 14, 14, 30, 30, 12, 30]
    _style_header(sheet, widths)
    first_open, last_open = len(LEADING) + 1, len(LEADING) + len(years)
    figures = range(first_open, last_open + 1)
    explaining = {header.index(name) + 1 for name in EXPLANATION_HEADERS.values()}
    _format_body(
        sheet,
        len(targets),
        len(header),
        {*figures, *explaining, len(header)},
        figures,
        figures,
        "年份列只能填写数字（不带单位）；没有数据请留空。",
    )
    statuses = reports.statuses if reports is not None else pd.Series(dtype="object")
    _style_explaining(sheet, header, [statuses.get(code) for code in targets["code"]])
    _write_key_task_sheet(book, catalog, department, reports)

    listing = book.create_sheet(CATALOG_SHEET)
    _write_row(listing, 1, list(CATALOG_HEADERS.values()))
    for number, record in enumerate(targets[list(CATALOG_HEADERS)].itertuples(index=False), start=2):
        _write_row(listing, number, record)
    _style_header(listing, [10, 8, 10, 10, 34, 40, 12, 10, 10, 8, 10, 8, 10, 8, 18])
    book.active = 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _format_body(sheet, rows: int, width: int, open_columns, number_columns, checked_columns, error: str) -> None:
    """Border every body cell; lock all but the open columns (tinted so); format the numbers; let only numbers in.

    `checked_columns` are contiguous: one data validation covers them, with `error` as its message.
    """
    from openpyxl.styles import Border, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    # Each column's first cell is styled, the cells below take a copy of its style: setting a style hashes it
    # against the workbook's, which for thousands of cells cost most of writing a template.
    border = Border(**dict.fromkeys(("left", "right", "top", "bottom"), Side(style="thin", color=THIN)))
    for c in range(1, width + 1) if rows else ():
        first = sheet.cell(row=2, column=c)
        first.border = border
        editable = c in open_columns
        first.protection = Protection(locked=not editable)
        first.fill = PatternFill("solid", fgColor=OPEN if editable else LOCKED)
        if c in number_columns:
            first.number_format = "#,##0.###"
        for r in range(3, rows + 2):
            cell = sheet.cell(row=r, column=c)
            quoted = cell.quotePrefix  # the cell's own: its text is written as text (_write_row)
            cell._style = copy(first._style)
            cell.quotePrefix = quoted
    if rows and checked_columns:
        check = DataValidation(
            type="decimal",
            operator="between",
            formula1="-1E+15",
            formula2="1E+15",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="请输入数字",
            error=error,
        )
        first, last = get_column_letter(min(checked_columns)), get_column_letter(max(checked_columns))
        check.add(f"{first}2:{last}{rows + 1}")
        sheet.add_data_validation(check)
    # Locked cells guard codes and targets against slips; there is no password to forget.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.protection.autoFilter = False
    sheet.auto_filter.ref = f"A1:{get_column_letter(width)}{rows + 1}"


def add_sheet(content: bytes, title: str, rows: list[list]) -> bytes:
    """Return a workbook with one more sheet of plain rows, the first its header (styled as the template's)."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    sheet = book.create_sheet(title)
    for number, values in enumerate(rows, start=1):
        _write_row(sheet, number, values)
    _style_header(sheet, [max(8, min(40, 2 * len(str(v)) + 2)) for v in rows[0]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# Header of the data sheet of a month's template: one row per indicator due, its period in the office's words.
MONTH_HEADER = [
    "指标编码",
    "指标名称",
    "单位",
    "责任单位",
    "报告期",
    "去年同期",
    "数值",
    *EXPLAINING,
    "备注",
]
# How both templates' guides explain the explanation columns and the 重点任务 sheet.
EXPLAIN_GUIDE = [
    f"「{STATUS_HEADER}」为系统按报告期计算的状态；标色的行（略低于序时进度、明显滞后、未完成、低于基期）"
    f"须填写「{EXPLANATION_HEADERS['cause']}」「{EXPLANATION_HEADERS['measures']}」和"
    f"「{EXPLANATION_HEADERS['expected_by']}」（日期，如2026-12-31），两项文字须同时填写。",
    f"「{KEY_TASK_SHEET}」表每个节点一行：节点完成后填写「{KEY_TASK_HEADERS['completed_on']}」（不晚于今天），"
    f"每个重点任务填写一格「{KEY_TASK_HEADERS['progress']}」。只填说明或进展、不填数值的文件也可以上传。",
]


def month_rows(targets: pd.DataFrame, month: int, statuses: pd.Series) -> pd.DataFrame:
    """Return a month template's indicators, each with the month of the figure it asks for (`due_month`).

    Those due for `month`, and those owed an explanation at `month` whose figure is not due then (a quarterly
    indicator behind in October): their row asks for the latest figure due (三季度), their explanation is October's.
    """
    due_months = [max((m for m in DUE_MONTHS.get(f, (12,)) if m <= month), default=None) for f in targets["frequency"]]
    rows = targets.assign(due_month=due_months)
    owed = rows["code"].map(statuses).isin(NEEDS_EXPLANATION)
    return rows[(rows["due_month"] == month) | (owed & rows["due_month"].notna())].reset_index(drop=True)


def write_month_template(
    catalog: Catalog,
    year: int,
    month: int,
    observations: pd.DataFrame | None = None,
    department: str | None = None,
    reports: TemplateReports | None = None,
) -> bytes:
    """Return the fill-in workbook of one month: the indicators due, each with its period and last year's figure.

    With `reports` (of this month), each row shows its status and the explanation in effect, and the 重点任务 sheet
    the milestones completed and the progress in effect.

    A long table the reader takes back as it is (hqd.intake, 报告期 and 数值): the period in the office's
    words (2026年1—10月 for a year-to-date total, 2026年10月 for a level, 2026年三季度, 2026年), the same
    period's figure of the year before for reference (去年同期, not read back) and an empty cell for this year's.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    statuses = reports.statuses if reports is not None else pd.Series(dtype="object")
    targets = month_rows(catalog.targets(catalog.period_for_year(year)), month, statuses)
    if department:
        targets = targets[targets["department"] == department].reset_index(drop=True)
    last_year = pd.Series(dtype="float64")
    if observations is not None and len(observations):
        same = observations[(observations["year"] == year - 1) & (observations["month"] <= month)]
        last_year = same.drop_duplicates(["indicator", "month"], keep="last").set_index(["indicator", "month"])["value"]

    book = Workbook()
    guide = book.active
    guide.title = GUIDE_SHEET
    when = format_period(year, month, "zh", "month")
    lines = [
        f"六大工程指标填报表（{when}应报指标）",
        "填报方法：",
        f"1. 在「{DATA_SHEET}」表的「数值」列填写各指标「报告期」的实际值，只填数字，不带单位。",
        "2. 报告期按指标的报送方式写明：1月起的累计数（如1—10月）、月末或季末数（如10月、三季度）、全年数。"
        "请勿修改报告期；累计指标请填1月起的累计数，不要填单月数。",
        "3. 「去年同期」为上年同一报告期的数值，仅供参考，不会导入。",
        "4. 灰色单元格已锁定；没有数据请留空；百分比指标填写百分数本身，如 68.2 表示 68.2%。",
        "5. 填好后在系统「数据填报」页面上传本文件，系统会逐格检查并在提交前预览变化。",
        f"按报送频率：月报指标每月报送，季报指标在3、6、9、12月报送，年报指标在12月报送；本表共{len(targets)}项。"
        "本月不报数、但须作情况说明的指标（如季报指标），按其最近一期报告期列出。",
        *EXPLAIN_GUIDE,
    ]
    for number, line in enumerate(lines, start=1):
        _write_row(guide, number, [line])
    guide["A1"].font = Font(bold=True, size=14)
    guide.column_dimensions["A"].width = 100

    sheet = book.create_sheet(DATA_SHEET)
    _write_row(sheet, 1, MONTH_HEADER)
    for number, row in enumerate(targets.itertuples(index=False), start=2):
        due = int(row.due_month)
        kind = period_kind(row.frequency, row.value_kind, due)
        previous = last_year.get((row.code, due))
        cells = [row.code, row.name_zh, row.unit, row.department, format_period(year, due, "zh", kind)]
        cells += [None if previous is None or pd.isna(previous) else float(previous), None]
        _write_row(sheet, number, [*cells, *_explaining_cells(row.code, reports)])
    _style_header(sheet, [10, 34, 12, 18, 16, 12, 12, 14, 14, 30, 30, 12, 30])
    value_column = MONTH_HEADER.index("数值") + 1
    open_columns = {MONTH_HEADER.index(name) + 1 for name in ("数值", *EXPLANATION_HEADERS.values(), "备注")}
    _format_body(
        sheet,
        len(targets),
        len(MONTH_HEADER),
        open_columns,
        (value_column - 1, value_column),
        (value_column,),
        "「数值」列只能填写数字（不带单位）；没有数据请留空。",
    )
    _style_explaining(sheet, MONTH_HEADER, [statuses.get(code) for code in targets["code"]])
    _write_key_task_sheet(book, catalog, department, reports or TemplateReports(year, month))

    book.active = 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _write_guide(sheet, catalog: Catalog, period: str | None, years: list[int], title_note: str) -> None:
    """Write the instructions sheet."""
    from openpyxl.styles import Font

    name = catalog.periods.set_index("code").loc[period or catalog.period_for_year(), "name_zh"]
    lines = [
        f"六大工程指标填报表（{name}，{years[0]}–{years[-1]}）",
        title_note,
        "填报方法：",
        f"1. 在「{DATA_SHEET}」表中，按年份列（{years[0]}–{years[-1]}）填写各指标的实际值，只填数字，不带单位。",
        "2. 灰色单元格（编码、名称、单位、基期和目标）已锁定，请勿修改；黄色单元格可填写。",
        "3. 没有数据的年份请留空；百分比指标填写百分数本身，如 68.2 表示 68.2%。",
        "4. 「备注」可说明数据来源或口径变化。",
        "5. 填好后在系统「数据填报」页面上传本文件，系统会逐格检查并在提交前预览变化。",
        f"「{CATALOG_SHEET}」表列出目标值和权重，仅供参考；修改目标须由管理员提交。",
        *EXPLAIN_GUIDE,
    ]
    for number, line in enumerate(lines, start=1):
        _write_row(sheet, number, [line])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"].font = Font(bold=True, color="C00000")
    sheet.column_dimensions["A"].width = 100


def write_annual_targets_template(catalog: Catalog, period: str | None = None) -> bytes:
    """Return the admin's annual-targets workbook of a period: every indicator and year, the target in effect.

    Each row says where its value comes from (来源: 年度目标 set by an admin, or 规划轨迹); uploaded back
    unchanged as a catalog revision it changes nothing (hqd.revisions.read_annual_targets_sheet).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    period = period or catalog.period_for_year()
    table = annual_target_table(catalog, period)
    info = catalog.targets(period).set_index("code")
    name = catalog.periods.set_index("code").loc[period, "name_zh"]
    years = catalog.years(period)

    book = Workbook()
    guide = book.active
    guide.title = GUIDE_SHEET
    lines = [
        f"年度目标表（{name}，{years[1]}–{years[-1]}）",
        f"「{ANNUAL_SHEET}」表列出每个指标每年现行的年度目标；「{ANNUAL_HEADERS['source']}」列说明其来源：",
        f"「{ANNUAL_TARGET_SOURCES.loc['annual_target', 'zh']}」为管理员设定的值，"
        f"「{ANNUAL_TARGET_SOURCES.loc['trajectory', 'zh']}」为按规划基期值到目标值的轨迹推算的值。",
        f"1. 修改「{ANNUAL_HEADERS['target_value']}」列的数字即设定该年度目标；留空或不改则不变。",
        f"2. 要取消已设定的年度目标、恢复按规划轨迹，在「{ANNUAL_HEADERS['target_value']}」列填写"
        f"「{ANNUAL_TRAJECTORY_WORDS[0]}」。",
        "3. 由管理员在「数据填报」页面打开「修改指标目录」后上传，或用命令 python -m hqd import 文件 --catalog；"
        "提交前预览每处变化，提交后可在上传历史中撤销。",
    ]
    for number, line in enumerate(lines, start=1):
        _write_row(guide, number, [line])
    guide["A1"].font = Font(bold=True, size=14)
    guide.column_dimensions["A"].width = 100

    sheet = book.create_sheet(ANNUAL_SHEET)
    _write_row(sheet, 1, list(ANNUAL_HEADERS.values()))
    sources = ANNUAL_TARGET_SOURCES["zh"]
    for number, row in enumerate(table.itertuples(index=False), start=2):
        cells = [
            row.code,
            info.at[row.code, "name_zh"],
            period,
            int(row.year),
            float(row.target_value),
            info.at[row.code, "unit"],
            sources[row.source],
        ]
        _write_row(sheet, number, cells)
        sheet.cell(row=number, column=5).number_format = "#,##0.###"
    _style_header(sheet, [10, 34, 8, 8, 12, 10, 10])
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(ANNUAL_HEADERS))}{len(table) + 1}"
    book.active = 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# Text starting with one of these is a formula to a spreadsheet (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Control characters XML cannot hold; openpyxl refuses them, so they are dropped from text written out.
ILLEGAL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# "-5" or "+12.5%" read as a number, not a formula: left alone so an exported note "-5" stays "-5".
PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?%?")


def _is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(value)


def _neutralise_csv(value):
    """Return a CSV field that no spreadsheet evaluates: formula-like text gets a leading apostrophe."""
    return "'" + value if _is_formula_like(value) else value


def _cell_value(value):
    """Return a value openpyxl can write: text without control characters, a missing value as None."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS.sub("", value)
    return None if pd.api.types.is_scalar(value) and pd.isna(value) else value


def _write_row(sheet, row: int, values) -> None:
    """Write a row of a sheet from column A; every piece of text is stored as text, never as a formula.

    openpyxl turns a string starting with "=" into a formula and "#N/A" into an error, and refuses
    control characters: text that came from an upload must do none of these.
    """
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column, value=_cell_value(value))
        if isinstance(cell.value, str):
            cell.data_type = "s"
            # Excel's "this is text" flag, so the cell stays text when someone edits it.
            cell.quotePrefix = _is_formula_like(cell.value)


def _tint(colour: str, strength: float = 0.3) -> str:
    """Return an opaque ARGB colour: `colour` (#RRGGBB) mixed with white, for a cell background."""
    rgb = [int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)]
    mixed = [round(255 - (255 - c) * strength) for c in rgb]
    return "FF" + "".join(f"{c:02X}" for c in mixed)


def export_csv(table: pd.DataFrame, note: str = "") -> bytes:
    """Return a table as CSV in UTF-8 with a BOM (so Excel reads the Chinese), text never a formula.

    A note (sample data) goes on a first line of its own, quoted, so that it travels with the figures.
    """
    # An apostrophe in front is how Excel is told "this is text" in a CSV; headers are cells too.
    safe = table.map(_neutralise_csv).set_axis([_neutralise_csv(str(c)) for c in table.columns], axis=1)
    # CRLF line ends, as RFC 4180 has them: a field holding a lone CR is then quoted, where with "\n" it
    # would be written bare and Excel would start a new row at it ("note\r=cmd|..." a formula again).
    body = safe.to_csv(index=False, lineterminator="\r\n")
    if note:
        body = '"' + _neutralise_csv(ILLEGAL_CHARACTERS.sub("", note)).replace('"', '""') + '"\r\n' + body
    return body.encode("utf-8-sig")


# A fraction written without a format of its own: rounded for the eye, never 6.999999999999999.
NUMBER_FORMAT = "#,##0.0##"


def export_xlsx(
    table: pd.DataFrame,
    title: str,
    statuses: pd.Series | None = None,
    status_column: str | None = None,
    note: str = "",
    formats: dict[str, list[str]] | None = None,
) -> bytes:
    """Return a table as a formatted .xlsx: a title, a bold frozen header, status cells in their colours.

    Text cells are written as text with Excel's quote prefix, so none is ever evaluated. `formats` gives
    columns a number format per row (a unit's decimals, a percent sign); the values are written unrounded.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    # Excel refuses these characters in sheet names, and names over 31 characters.
    sheet.title = re.sub(r"[\\/?*\[\]:]", " ", title)[:31]
    _write_row(sheet, 1, [title])
    sheet["A1"].font = Font(bold=True, size=14)
    if note:
        _write_row(sheet, 2, [note])
        sheet["A2"].font = Font(italic=True, color="C00000")
    first = 3 if note else 2
    _write_row(sheet, first, [str(c) for c in table.columns])
    for cell in sheet[first]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=HEADER)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for number, values in enumerate(table.itertuples(index=False), start=first + 1):
        _write_row(sheet, number, values)
    given = formats or {}
    for index, name in enumerate(table.columns, start=1):
        for offset, cell in enumerate(next(sheet.iter_cols(index, index, first + 1, first + len(table)), ())):
            if isinstance(cell.value, float):
                cell.number_format = given[name][offset] if name in given else NUMBER_FORMAT
    if statuses is not None and status_column in table.columns:
        column = list(table.columns).index(status_column) + 1
        for offset, status in enumerate(statuses):
            colour = STATUSES.loc[status, "colour"] if status in STATUSES.index else "#FFFFFF"
            sheet.cell(row=first + 1 + offset, column=column).fill = PatternFill("solid", fgColor=_tint(colour))
    for index, name in enumerate(table.columns, start=1):
        width = max([len(str(name))] + [len(str(v)) for v in table.iloc[:200, index - 1]]) + 2
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width * 1.3, 8), 50)
    sheet.freeze_panes = sheet.cell(row=first + 1, column=3)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_name(name: str, taken: set[str]) -> str:
    """Return a sheet name Excel accepts (no \\ / ? * [ ] :, at most 31 characters), unique among `taken`."""
    base = re.sub(r"[\\/?*\[\]:]", " ", str(name)).strip()[:31] or "-"
    candidate, number = base, 2
    while candidate.casefold() in taken:
        suffix = f" ({number})"
        candidate, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(candidate.casefold())
    return candidate


def write_supervision_workbook(sheets: dict[str, pd.DataFrame], title: str, lines: list[str], note: str = "") -> bytes:
    """Return the 督办单: one sheet per department (its name), each with the title, `lines` (the reporting period,
    the date), the sample mark `note` when there is one, then its items under a bold frozen header.

    Text (explanations and answers are typed by people) is written as text, never as a formula.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for department, table in (sheets or {title: pd.DataFrame()}).items():
        sheet = book.create_sheet(_sheet_name(department, taken))
        _write_row(sheet, 1, [title])
        sheet["A1"].font = Font(bold=True, size=14)
        _write_row(sheet, 2, [department])
        sheet["A2"].font = Font(bold=True)
        row = 3
        for line in lines:
            _write_row(sheet, row, [line])
            row += 1
        if note:
            _write_row(sheet, row, [note])
            sheet.cell(row=row, column=1).font = Font(italic=True, color="C00000")
            row += 1
        _write_row(sheet, row, [str(c) for c in table.columns])
        for cell in sheet[row]:
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor=HEADER)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for number, values in enumerate(table.astype(object).where(table.notna(), None).itertuples(index=False)):
            _write_row(sheet, row + 1 + number, values)
        for index, name in enumerate(table.columns, start=1):
            width = max([len(str(name))] + [len(str(v)) for v in table.iloc[:200, index - 1]]) + 2
            sheet.column_dimensions[get_column_letter(index)].width = min(max(width * 1.3, 8), 60)
        sheet.freeze_panes = sheet.cell(row=row + 1, column=1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
