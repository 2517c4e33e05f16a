"""Problems found in input, kept as data: one row each, located as the user sees the file.

A problem names what is wrong by a `code` (a key of hqd.i18n.MESSAGES) and the values its
sentence needs (`params`); hqd.i18n.describe_problem makes the sentence, in the reader's language.
"""

from __future__ import annotations

from functools import cache

import numpy as np
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
    # Column by column from plain lists: a frame of the records, then astype and fillna on it, cost ten times more,
    # and most problem tables hold a handful of rows.
    if isinstance(rows, pd.DataFrame):
        given = {name: rows[name].tolist() if name in rows else [None] * len(rows) for name in COLUMNS}
    else:
        given = {name: [row.get(name) for row in rows] for name in COLUMNS}
    return _typed_problems(given)


def _typed_problems(given: dict[str, list]) -> pd.DataFrame:
    """Return the problems frame of its columns' values, each typed and its blanks filled."""
    return pd.DataFrame(
        {
            "sheet": pd.array(_texts(given["sheet"], ""), dtype="str"),
            "row": pd.array(
                [v if type(v) is int else None if _blank(v) else int(v) for v in given["row"]], dtype="Int64"
            ),
            "column": pd.array(_texts(given["column"], ""), dtype="str"),
            "code": pd.array(_texts(given["code"], None), dtype="str"),
            "params": pd.Series([v if isinstance(v, dict) else {} for v in given["params"]], dtype="object"),
            "severity": pd.array(_texts(given["severity"], ERROR), dtype="str"),
        }
    )


def _texts(values: list, blank: str | None) -> list:
    """Return the values as text, `blank` for a missing one."""
    return [v if type(v) is str else blank if _blank(v) else str(v) for v in values]


def _blank(value) -> bool:
    """Return whether a record's field is missing (None, NA or NaN)."""
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def problem(code: str, severity: str = ERROR, /, sheet: str = "", row=None, column: str = "", **params) -> dict:
    """Return one problem record: where it is, its code and the values its sentence needs."""
    return {"sheet": sheet, "row": row, "column": column, "code": code, "params": params, "severity": severity}


def concat_problems(*frames: pd.DataFrame) -> pd.DataFrame:
    """Return the problems of all frames: errors first, then in reading order (sheet, row, column)."""
    frames = [f for f in frames if len(f)]
    if not frames:
        return make_problems()
    given = {name: [value for frame in frames for value in frame[name].tolist()] for name in COLUMNS}
    given.update(
        sheet=_texts(given["sheet"], ""), column=_texts(given["column"], ""), severity=_texts(given["severity"], ERROR)
    )
    sheet_rank = {sheet: rank for rank, sheet in enumerate(dict.fromkeys(given["sheet"]))}
    letters = {column: rank for rank, column in enumerate(sorted(set(given["column"])))}
    # Columns of numbers made from the lists: a frame's sort by five keys costs milliseconds, and these tables are
    # mostly short. lexsort is stable and sorts by its last key first.
    order = np.lexsort(
        (
            [letters[column] for column in given["column"]],
            # AA comes after Z: columns by length, then letters.
            [len(column) for column in given["column"]],
            [row if type(row) is int else 0 if _blank(row) else row for row in given["row"]],
            [sheet_rank[sheet] for sheet in given["sheet"]],
            [severity != ERROR for severity in given["severity"]],
        )
    )
    order = order.tolist()
    return _typed_problems({name: [values[i] for i in order] for name, values in given.items()})


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
