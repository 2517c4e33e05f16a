"""One path from an uploaded file to stored observations, shared by the CLI and the pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from hqd import store
from hqd.changes import compare_observations, count_changes
from hqd.intake import read_observations_from_sheets
from hqd.problems import ERROR, WARNING, concat_problems, make_problems
from hqd.store import Engine
from hqd.workbook import CATALOG_SHEET, GUIDE_SHEET, read_sheets


@dataclass(frozen=True)
class ImportResult:
    """A checked file: its observations compared with the database, and its problems."""

    file_name: str
    content: bytes
    observations: pd.DataFrame
    problems: pd.DataFrame

    @property
    def errors(self) -> pd.DataFrame:
        """Return the problems that block a commit."""
        return self.problems[self.problems["severity"] == ERROR].reset_index(drop=True)

    @property
    def warnings(self) -> pd.DataFrame:
        """Return the problems that do not block a commit."""
        return self.problems[self.problems["severity"] == WARNING].reset_index(drop=True)

    @property
    def ok(self) -> bool:
        """Tell whether the file may be committed."""
        return not len(self.errors)

    def summary(self) -> dict[str, int]:
        """Return the counts shown before a commit."""
        return {
            "rows": len(self.observations),
            **count_changes(self.observations),
            "errors": len(self.errors),
            "warnings": len(self.warnings),
        }


def prepare_import(engine: Engine, content: bytes, file_name: str, today: date | None = None) -> ImportResult:
    """Read, check and compare a file with the database, committing nothing.

    Raises WorkbookError when the file cannot be read at all.
    """
    catalog = store.load_catalog(engine)
    targets = catalog.targets()
    sheets = read_sheets(content)
    observations, problems = read_observations_from_sheets(sheets, targets, today, skip=(GUIDE_SHEET, CATALOG_SHEET))
    same = store.find_copy(engine, content)
    if same is not None:
        problems = concat_problems(problems, make_problems([{"message": str(same)}]))
    compared = compare_observations(store.read_observations(engine), observations)
    return ImportResult(file_name, content, compared, problems)


def commit_import(engine: Engine, result: ImportResult, user: str, is_sample: bool = False) -> int:
    """Store a checked file without errors; return the upload id."""
    if not result.ok:
        raise store.StoreError(f"文件有 {len(result.errors)} 处错误,未导入。")
    counts = {k: v for k, v in result.summary().items() if k in ("new", "changed", "unchanged", "warnings")}
    return store.commit_observations(
        engine, result.observations, result.file_name, result.content, user, is_sample=is_sample, counts=counts
    )
