"""Problems found in input, kept as data: one row each, located as the user sees the file."""

from __future__ import annotations

import pandas as pd

COLUMNS = ["sheet", "row", "column", "message", "severity"]
ERROR, WARNING = "error", "warning"


def make_problems(rows: list[dict] | pd.DataFrame | None = None) -> pd.DataFrame:
    """Return a problems frame from records (missing location fields stay empty)."""
    frame = pd.DataFrame(rows if rows is not None else [], columns=COLUMNS).astype({"severity": "object"})
    frame["severity"] = frame["severity"].fillna(ERROR)
    frame["row"] = frame["row"].astype("Int64")
    return (
        frame.astype({"sheet": "str", "column": "str", "message": "str", "severity": "str"})
        .fillna({"sheet": "", "column": ""})
        .reset_index(drop=True)
    )


def concat_problems(*frames: pd.DataFrame) -> pd.DataFrame:
    """Return the problems of all frames: errors first, then in reading order (sheet, row, column)."""
    frames = [f for f in frames if len(f)]
    if not frames:
        return make_problems()
    out = pd.concat(frames, ignore_index=True)
    sheet_rank = {sheet: i for i, sheet in enumerate(pd.unique(out["sheet"]))}
    keys = out.assign(
        _severity=out["severity"].ne(ERROR),
        _sheet=out["sheet"].map(sheet_rank),
        _row=out["row"].fillna(0),
        # AA comes after Z: order columns by length, then letters.
        _width=out["column"].str.len(),
    )
    ordered = keys.sort_values(["_severity", "_sheet", "_row", "_width", "column"], kind="stable")
    return make_problems(ordered[COLUMNS])


def excel_column(index: int) -> str:
    """Return the Excel letters of a zero-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def format_problem(row: pd.Series) -> str:
    """Return one problem as a line: where, then what."""
    where = "".join(
        part
        for part in (
            f"工作表「{row['sheet']}」" if row["sheet"] else "",
            f"第 {row['row']} 行" if pd.notna(row["row"]) else "",
            f" {row['column']} 列" if row["column"] else "",
        )
    )
    return f"{where}:{row['message']}" if where else row["message"]


class ProblemsError(Exception):
    """Input that cannot be used; carries every problem found."""

    def __init__(self, problems: pd.DataFrame):
        self.problems = problems
        super().__init__("\n".join(problems.apply(format_problem, axis=1)))
