"""Problems found in input, kept as data: one row each, located as the user sees the file.

A problem names what is wrong by a `code` (a key of hqd.i18n.MESSAGES) and the values its
sentence needs (`params`); hqd.i18n.describe_problem makes the sentence, in the reader's language.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from hqd.refusal import Refusal

COLUMNS = ["sheet", "row", "column", "code", "params", "severity"]
# Params that say which indicator and period (year; month and kind within a year) a problem concerns where
# known: the problems table shows them as columns (hqd.tables.problems_table), so a sentence need not repeat them.
CONTEXT_PARAMS = frozenset({"indicator", "year", "month", "kind"})
ERROR, WARNING = "error", "warning"


def make_problems(rows: list[dict] | pd.DataFrame | None = None) -> pd.DataFrame:
    """Return a problems frame from records (missing location fields stay empty, missing params are {})."""
    if rows is None or len(rows) == 0:
        # Most checks find nothing: a copy of one typed empty frame costs a hundredth of building it.
        return _no_problems().copy()
    return _build_problems(rows)


@cache
def _no_problems() -> pd.DataFrame:
    return _build_problems([])


def _build_problems(rows: list[dict] | pd.DataFrame) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=COLUMNS).astype({"severity": "object", "params": "object"})
    frame["severity"] = frame["severity"].fillna(ERROR)
    frame["params"] = [p if isinstance(p, dict) else {} for p in frame["params"]]
    frame["row"] = frame["row"].astype("Int64")
    return (
        frame.astype({"sheet": "str", "column": "str", "code": "str", "severity": "str"})
        .fillna({"sheet": "", "column": ""})
        .reset_index(drop=True)
    )


def problem(code: str, severity: str = ERROR, /, sheet: str = "", row=None, column: str = "", **params) -> dict:
    """Return one problem record: where it is, its code and the values its sentence needs."""
    return {"sheet": sheet, "row": row, "column": column, "code": code, "params": params, "severity": severity}


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


class ProblemsError(Refusal):
    """Input that cannot be used; carries every problem found (hqd.i18n.describe_error lists them)."""

    def __init__(self, problems: pd.DataFrame):
        self.problems = problems
        super().__init__("problems.found", count=len(problems))

    def __str__(self) -> str:
        # For logs and tracebacks: the codes, where they are.
        return "; ".join(
            f"{r.sheet}:{'' if pd.isna(r.row) else r.row}:{r.column} {r.code}({r.params})"
            for r in self.problems.itertuples(index=False)
        )
