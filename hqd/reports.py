"""What a department reports beside its figures, read from a file or a form, every problem a coded row.

Explanations (原因分析, 整改措施, 预计完成时间) are read from the data sheets' columns of those names, each for the
month its row names (说明报告期, or the row's 报告期 in a month's template); key-task progress and completed
milestones from the 重点任务 sheet; an evidence file is recognised by its content (magic bytes), never by its name.
The frames are as hqd.store.commit_upload(reports=...) takes them, with the cell each came from.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from datetime import date, datetime, timedelta

import pandas as pd

from hqd.intake import (
    CODE_HEADERS,
    NAME_HEADERS,
    PERIOD_HEADERS,
    YEAR_HEADERS,
    find_header,
    header_key,
    normalise_text,
    parse_period,
    resolve_indicators,
    sheet_year,
)
from hqd.problems import ERROR, concat_problems, excel_column, make_problems, problem
from hqd.settings import MAX_EVIDENCE_BYTES, MAX_EXPLANATION_CHARS, MAX_PROGRESS_CHARS
from hqd.store.supervision import EXPLANATION_COLUMNS, KEY_TASK_REPORT_COLUMNS, MILESTONE_REPORT_COLUMNS
from hqd.workbook import (
    EXPLAIN_PERIOD_HEADER,
    EXPLANATION_HEADERS,
    KEY_TASK_HEADERS,
    KEY_TASK_SHEET,
    UNCALCULATED,
)

# As the store keeps them (hqd.store.supervision), evidence with its bytes.
EVIDENCE_COLUMNS = ["key_task", "step", "file_name", "media_type", "sha256", "size", "content"]
# Where in the file a row was read: its department's refusal and its other problems point there.
WHERE = ["sheet", "row", "column"]
# The frames of one file's reports, by the name of their store table (hqd.store.schema.REPORT_TABLES).
REPORT_NAMES = ("explanations", "key_task_reports", "milestone_reports", "evidence")
# What stays the same when a report is sent again unchanged: the key and the content.
REPORT_KEYS = {
    "explanations": (["indicator", "year", "month"], ["cause", "measures", "expected_by"]),
    "key_task_reports": (["key_task", "year", "month"], ["progress"]),
    "milestone_reports": (["key_task", "step"], ["completed_on"]),
}

_BLANK_TEXT = {"", "nan", "none"}
_FULL_DATE = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?$")
_MONTH_DATE = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*月?(?:底|末)?$")
# Excel counts days from 1899-12-30; a date typed into a cell without a date format is such a number.
_EXCEL_EPOCH = date(1899, 12, 30)


def empty_reports() -> dict[str, pd.DataFrame]:
    """Return a file's reports when it holds none: each frame with its columns and no rows."""
    return {
        "explanations": pd.DataFrame(columns=[*EXPLANATION_COLUMNS, *WHERE]),
        "key_task_reports": pd.DataFrame(columns=[*KEY_TASK_REPORT_COLUMNS, *WHERE]),
        "milestone_reports": pd.DataFrame(columns=[*MILESTONE_REPORT_COLUMNS, *WHERE]),
        "evidence": pd.DataFrame(columns=EVIDENCE_COLUMNS),
    }


def cell_text(value) -> str:
    """Return a cell as the text a person typed (stripped; '' for an empty cell)."""
    if value is None or value is UNCALCULATED or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return "" if text.lower() in _BLANK_TEXT else text


def parse_date(value, whole_month: bool = False) -> tuple[date | None, bool]:
    """Return (the date a cell holds, whether it is unreadable); a blank cell is (None, False).

    A date cell, 2026-12-31, 2026/12/31, 2026年12月31日 or an Excel day number; with `whole_month`, a month
    alone (2026年12月, 2026-12, 2026年12月底) is its last day.
    """
    if isinstance(value, datetime):
        return value.date(), False
    if isinstance(value, date):
        return value, False
    if isinstance(value, int | float) and not isinstance(value, bool):
        if pd.isna(value) or not float(value).is_integer() or not 1 <= value <= 2958465:
            return None, True
        return _EXCEL_EPOCH + timedelta(days=int(value)), False
    text = cell_text(value)
    if not text:
        return None, False
    text = normalise_text(pd.Series([text])).iat[0]
    found = _FULL_DATE.match(text)
    try:
        if found:
            return date(*(int(g) for g in found.groups())), False
        found = _MONTH_DATE.match(text) if whole_month else None
        if found:
            year, month = int(found.group(1)), int(found.group(2))
            return (pd.Timestamp(year=year, month=month, day=1) + pd.offsets.MonthEnd(0)).date(), False
    except ValueError:
        pass
    return None, True


def check_text(text: str, limit: int, header: str, **where) -> list[dict]:
    """Return the problem of a text longer than its limit (its header names the field), or none."""
    if len(text) <= limit:
        return []
    return [problem("problem.text_too_long", **where, field=header, limit=limit, length=len(text))]


def check_explanation(
    cause: str, measures: str, expected, year: int, month: int, where: dict | None = None, about: dict | None = None
) -> tuple[date | None, list[dict]]:
    """Return the expected completion date of an explanation and its problems (forms and sheets alike).

    Cause and measures go together; each has a length limit; 预计完成时间 is a date, not before the month reported.
    `where` maps each field (cause, measures, expected_by) to its cell (sheet, row, column), `about` adds the
    indicator and period the problem concerns.
    """
    where, about = where or {}, about or {}
    at = {name: where.get(name, {}) for name in EXPLANATION_HEADERS}
    problems: list[dict] = []
    if bool(cause) != bool(measures) or (not cause and not measures and expected not in (None, "")):
        missing = "measures" if cause else "cause"
        problems.append(
            problem("problem.explanation_incomplete", **at[missing], **about, field=EXPLANATION_HEADERS[missing])
        )
    problems += check_text(cause, MAX_EXPLANATION_CHARS, EXPLANATION_HEADERS["cause"], **at["cause"], **about)
    problems += check_text(measures, MAX_EXPLANATION_CHARS, EXPLANATION_HEADERS["measures"], **at["measures"], **about)
    expected_by, bad = parse_date(expected, whole_month=True)
    if bad:
        problems.append(problem("problem.bad_date", **at["expected_by"], **about, value=cell_text(expected)))
    elif expected_by is not None and expected_by < date(year, month, 1):
        problems.append(
            problem(
                "problem.expected_before_period",
                **at["expected_by"],
                **about,
                value=expected_by.isoformat(),
                period_year=year,
                period_month=month,
            )
        )
    return expected_by, problems


def _column_of(header: pd.Series, *names: str) -> int | None:
    """Return the position of the first header cell naming one of `names` (brackets and width folded), or None."""
    wanted = {header_key(name) for name in names}
    for position, cell in enumerate(header):
        if header_key(cell) in wanted:
            return position
    return None


def read_explanations(
    sheets: dict[str, pd.DataFrame], targets: pd.DataFrame, skip=()
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the explanations of every data sheet with 原因分析/整改措施 columns, and their problems.

    A row counts when one of its three cells is filled. Its month is its 说明报告期 cell, else its 报告期 cell (with
    the row's 年份 or the sheet's year), else the whole year of its 年份.
    """
    rows, problems = [], []
    for sheet, grid in sheets.items():
        if sheet not in skip:
            found, found_problems = _sheet_explanations(sheet, grid, targets)
            rows += found
            problems += found_problems
    frame = pd.DataFrame(rows, columns=[*EXPLANATION_COLUMNS, *WHERE])
    duplicated = frame.duplicated(["indicator", "year", "month"], keep="first")
    problems += [
        problem("problem.duplicate_explanation", sheet=r.sheet, row=r.row, column=r.column, **_about(r))
        for r in frame[duplicated].itertuples(index=False)
    ]
    return frame[~duplicated].reset_index(drop=True), make_problems(problems)


def _sheet_explanations(sheet: str, grid: pd.DataFrame, targets: pd.DataFrame) -> tuple[list[dict], list[dict]]:
    """Return one sheet's explanation rows (with their cell) and problems."""
    index = find_header(grid)
    if index is None:
        return [], []
    header = grid.iloc[index]
    position = {name: _column_of(header, text) for name, text in EXPLANATION_HEADERS.items()}
    if position["cause"] is None and position["measures"] is None:
        return [], []
    code_at, name_at = _column_of(header, *CODE_HEADERS), _column_of(header, *NAME_HEADERS)
    period_at = _column_of(header, EXPLAIN_PERIOD_HEADER)
    long_period_at, year_at = _column_of(header, *PERIOD_HEADERS), _column_of(header, *YEAR_HEADERS)
    default_year = sheet_year(sheet, grid, index)
    rows, problems = [], []
    for row in range(index + 1, len(grid)):

        def cell(at, row=row):
            return grid.iat[row, at] if at is not None else ""

        values = {name: cell(at) for name, at in position.items()}
        cause, measures = cell_text(values["cause"]), cell_text(values["measures"])
        if not cause and not measures and not cell_text(values["expected_by"]):
            continue
        at = {
            name: {"sheet": sheet, "row": row + 1, "column": excel_column(p)}
            for name, p in position.items()
            if p is not None
        }
        key = {"sheet": sheet, "row": row + 1, "column": excel_column(code_at if code_at is not None else name_at)}
        codes, names = pd.Series([cell_text(cell(code_at))]), pd.Series([cell_text(cell(name_at))])
        indicator = resolve_indicators(normalise_text(codes), normalise_text(names), targets).iat[0]
        if not indicator:
            problems.append(problem("problem.unknown_indicator", **key, text=codes.iat[0] or names.iat[0]))
            continue
        spot = at.get("cause") or at.get("measures")
        period = _explained_period(cell(period_at), cell(long_period_at), cell(year_at), default_year)
        if period is None:
            problems.append(problem("problem.explanation_no_period", **spot, indicator=indicator))
            continue
        about = {"indicator": indicator, "year": period[0], "month": period[1]}
        expected_by, found = check_explanation(cause, measures, values["expected_by"], *period, at, about)
        problems += found
        if not any(p["severity"] == ERROR for p in found):
            rows.append({**about, "cause": cause, "measures": measures, "expected_by": expected_by, **spot})
    return rows, problems


def _about(row) -> dict:
    return {"indicator": row.indicator, "year": int(row.year), "month": int(row.month)}


def _explained_period(explained, reported, year_cell, default_year: int | None) -> tuple[int, int] | None:
    """Return the (year, month) a row's explanation is for, from its 说明报告期, 报告期 or 年份 cell."""
    year = None
    if cell_text(year_cell):
        found = parse_period(year_cell)
        year = found[0] if found and found[2] == "year" else None
    for value in (explained, reported):
        if cell_text(value) or isinstance(value, date | datetime):
            found = parse_period(value, year or default_year)
            return (int(found[0]), int(found[1])) if found and found[0] is not None else None
    return (year, 12) if year is not None else None


def read_key_task_sheet(
    grid: pd.DataFrame, key_tasks: pd.DataFrame, milestones: pd.DataFrame, today: date, sheet: str = KEY_TASK_SHEET
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Return the 重点任务 sheet's progress (one per key task and month) and completed milestones, and problems.

    Each row names a key task (重点任务编号) and one of its milestones (节点序号): 完成日期 is a date no later than
    today; 进展情况 is one text per key task (the same in each of its rows where a merged cell spans them), for
    the month its 报告期 names.
    """
    header_index = next(
        (i for i in range(min(30, len(grid))) if _column_of(grid.iloc[i], KEY_TASK_HEADERS["key_task"]) is not None),
        None,
    )
    progress_rows = pd.DataFrame(columns=[*KEY_TASK_REPORT_COLUMNS, *WHERE])
    done_rows = pd.DataFrame(columns=[*MILESTONE_REPORT_COLUMNS, *WHERE])
    if header_index is None:
        missing = problem("problem.no_key_task_header", sheet=sheet, header=KEY_TASK_HEADERS["key_task"])
        return progress_rows, done_rows, make_problems([missing])
    header = grid.iloc[header_index]
    at = {name: _column_of(header, text) for name, text in KEY_TASK_HEADERS.items()}
    known_tasks = set(key_tasks["code"])
    known_steps = set(zip(milestones["key_task"], milestones["step"].astype("int64"), strict=True))
    problems: list[dict] = []
    progress: dict[str, dict] = {}
    done: list[dict] = []
    for row in grid.index[header_index + 1 :]:

        def value(name: str, row=row):
            return grid.iat[row, at[name]] if at[name] is not None else ""

        code = cell_text(value("key_task"))
        spot = {"sheet": sheet, "row": row + 1}
        if not code:
            continue
        if code not in known_tasks:
            problems.append(problem("problem.unknown_key_task", **spot, column=excel_column(at["key_task"]), text=code))
            continue
        completed, bad = parse_date(value("completed_on"))
        step_text = cell_text(value("step"))
        completed_at = {**spot, "column": excel_column(at["completed_on"])} if at["completed_on"] is not None else spot
        if bad:
            text = cell_text(value("completed_on"))
            problems.append(problem("problem.bad_completion_date", **completed_at, key_task=code, value=text))
        elif completed is not None:
            step = int(float(step_text)) if re.fullmatch(r"\d+(?:\.0)?", step_text) else None
            if step is None or (code, step) not in known_steps:
                problems.append(
                    problem(
                        "problem.unknown_step",
                        **spot,
                        column=excel_column(at["step"]) if at["step"] is not None else "",
                        key_task=code,
                        step=step_text,
                    )
                )
            elif completed > today:
                problems.append(
                    problem("problem.completed_in_future", **completed_at, key_task=code, value=completed.isoformat())
                )
            else:
                done.append({"key_task": code, "step": step, "completed_on": completed, **completed_at})
        text = cell_text(value("progress"))
        if not text:
            continue
        progress_at = {**spot, "column": excel_column(at["progress"])}
        if code in progress:
            if progress[code]["progress"] != text:
                problems.append(problem("problem.progress_conflict", **progress_at, key_task=code))
            continue
        problems += check_text(text, MAX_PROGRESS_CHARS, KEY_TASK_HEADERS["progress"], **progress_at)
        period_cell = value("period")
        period = parse_period(period_cell) if cell_text(period_cell) or isinstance(period_cell, date) else None
        if period is None or period[0] is None:
            period_at = {**spot, "column": excel_column(at["period"]) if at["period"] is not None else ""}
            problems.append(
                problem("problem.progress_no_period", **period_at, key_task=code, value=cell_text(period_cell))
            )
            progress[code] = {"progress": text, "year": None}
            continue
        progress[code] = {"key_task": code, "year": int(period[0]), "month": int(period[1]), "progress": text}
        progress[code] |= progress_at
    steps = pd.DataFrame(done, columns=[*MILESTONE_REPORT_COLUMNS, *WHERE]).drop_duplicates(
        ["key_task", "step"], keep="first"
    )
    reported = [p for p in progress.values() if p["year"] is not None and len(p["progress"]) <= MAX_PROGRESS_CHARS]
    return (
        pd.DataFrame(reported, columns=[*KEY_TASK_REPORT_COLUMNS, *WHERE]),
        steps.reset_index(drop=True),
        make_problems(problems),
    )


def read_reports(
    sheets: dict[str, pd.DataFrame], catalog, today: date, skip=()
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """Return a file's reports (explanations, key-task progress, completed milestones) and their problems."""
    reports = empty_reports()
    explanations, problems = read_explanations(sheets, catalog.reporting_targets(), skip=(*skip, KEY_TASK_SHEET))
    reports["explanations"] = explanations
    found = [problems]
    if KEY_TASK_SHEET in sheets:
        progress, done, task_problems = read_key_task_sheet(
            sheets[KEY_TASK_SHEET], catalog.key_tasks, catalog.milestones, today
        )
        reports["key_task_reports"], reports["milestone_reports"] = progress, done
        found.append(task_problems)
    return reports, concat_problems(*found)


def drop_unchanged(reports: dict[str, pd.DataFrame], current: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Return the reports without the rows equal to those in effect: a template sent back as it came changes nothing.

    `current` holds the frames in effect (hqd.store.read_supervision's), by the same names.
    """
    out = dict(reports)
    for name, (keys, content) in REPORT_KEYS.items():
        incoming, now = reports.get(name), current.get(name)
        if incoming is None or incoming.empty or now is None or now.empty:
            continue
        stored = {tuple(_plain(v) for v in r): None for r in now[keys + content].itertuples(index=False)}
        same = [tuple(_plain(v) for v in r) in stored for r in incoming[keys + content].itertuples(index=False)]
        out[name] = incoming[[not s for s in same]].reset_index(drop=True)
    return out


def _plain(value):
    """Return a value as compared across a file and the store: dates as dates, numbers as ints, text as text."""
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        return int(value)
    return value


# Evidence files by their first bytes; Office documents are zip files told apart by their [Content_Types].xml.
MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
OFFICE_TYPES = (
    (b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", "docx"),
    (b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", "xlsx"),
)
OFFICE_MEDIA = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# [Content_Types].xml is a short list; a larger one is not read (nor inflated) at all.
MAX_CONTENT_TYPES_BYTES = 64 * 2**10
EVIDENCE_KINDS = "PDF, PNG, JPEG, DOCX, XLSX"


def sniff_media_type(content: bytes) -> str | None:
    """Return the media type an evidence file's bytes are (PDF, PNG, JPEG, DOCX, XLSX), or None.

    By content only: an Office file must be a zip whose [Content_Types].xml names a Word or Excel main part (a
    macro-enabled one names another and is refused). The zip is opened with zipfile and that one member read with a
    cap; nothing is parsed as a document.
    """
    for magic, media_type in MAGIC:
        if content.startswith(magic):
            return media_type
    if not content.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > MAX_CONTENT_TYPES_BYTES:
                return None
            with archive.open(info) as member:
                types = member.read(MAX_CONTENT_TYPES_BYTES + 1)
    except (zipfile.BadZipFile, KeyError, RuntimeError, OSError, NotImplementedError, EOFError, ValueError):
        return None
    if len(types) > MAX_CONTENT_TYPES_BYTES or b"macroEnabled" in types:
        return None
    for marker, kind in OFFICE_TYPES:
        if marker in types:
            return OFFICE_MEDIA[kind]
    return None


def check_evidence(key_task: str, step: int | None, file_name: str, content: bytes) -> tuple[pd.DataFrame, list[dict]]:
    """Return an evidence file as its report row (with its hash and the type its content shows) and its problems.

    Refused when empty, over the size cap, or not a PDF, PNG, JPEG, DOCX or XLSX by its bytes.
    """
    row = pd.DataFrame(columns=EVIDENCE_COLUMNS)
    name = re.sub(r"[\x00-\x1f\x7f/\\]", "_", file_name or "")[-200:] or "evidence"
    if not content:
        return row, [problem("problem.evidence_empty", file=name)]
    if len(content) > MAX_EVIDENCE_BYTES:
        mb, max_mb = round(len(content) / 2**20, 1), MAX_EVIDENCE_BYTES // 2**20
        return row, [problem("problem.evidence_too_large", file=name, mb=mb, max_mb=max_mb)]
    media_type = sniff_media_type(content)
    if media_type is None:
        return row, [problem("problem.evidence_type", file=name, kinds=EVIDENCE_KINDS)]
    found = {
        "key_task": key_task,
        "step": step,
        "file_name": name,
        "media_type": media_type,
        "sha256": hashlib.sha256(content).hexdigest(),
        "size": len(content),
        "content": content,
    }
    return pd.DataFrame([found], columns=EVIDENCE_COLUMNS), []
