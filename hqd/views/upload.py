"""The upload page's content: the template offered, the preview of a checked file, what a commit stored."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from hqd.catalog import Catalog
from hqd.i18n import translator
from hqd.imports import ImportResult
from hqd.settings import MAX_UPLOAD_BYTES
from hqd.tables import catalog_changes_table, changes_table

# The kinds of file the drop zone takes, and its size limit in MB as the page states it.
FILE_TYPES = ["xlsx", "xlsm", "xls", "ods", "csv"]
MAX_UPLOAD_MB = MAX_UPLOAD_BYTES // 2**20
# The counts shown above a preview, in order (keys of ImportResult.summary and of upload.* messages).
PREVIEW_COUNTS = ("new", "changed", "unchanged", "catalog_changes", "errors", "warnings")


def list_departments(catalog: Catalog) -> list[str]:
    """Return the departments named in the catalog, sorted: the templates one may ask for."""
    return sorted(d for d in catalog.indicators["department"].unique() if d)


def choose_template_department(choices: list[str | None], departments: tuple[str, ...]) -> int:
    """Return the position of the department a template starts at: the editor's first one offered, else everyone's."""
    offered = [d for d in departments if d in choices]
    return choices.index(offered[0]) if offered else 0


def name_template(department: str | None, month: tuple[int, int] | None = None) -> str:
    """Return the file name of the fill-in template (one department's, or everyone's; a month's, or the years')."""
    when = f"_{month[0]}年{month[1]}月" if month else ""
    return f"六大工程指标填报模板{when}_{department or '全部'}.xlsx"


def list_report_months(today: date, count: int = 12) -> list[tuple[int, int]]:
    """Return the months a template may be asked for, newest first: figures of a month are filed the month after."""
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    months = []
    for _ in range(count):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


def name_annual_targets(catalog: Catalog) -> str:
    """Return the file name of the admin's annual-targets workbook, named by the current period."""
    period = catalog.period_for_year()
    return f"年度目标_{catalog.periods.set_index('code').loc[period, 'name_zh']}.xlsx"


def count_preview(result: ImportResult, lang: str) -> list[tuple[str, str]]:
    """Return the counts shown above a preview: (label, number as shown) for each of PREVIEW_COUNTS."""
    t = translator(lang)
    summary = result.summary()
    return [(t(f"upload.{key}"), f"{summary[key]:,}") for key in PREVIEW_COUNTS]


def preview_changes(
    result: ImportResult, catalog: Catalog, lang: str, show_unchanged: bool = False
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Return what a checked file would change: its values (new and changed, or all) and its catalog rows.

    The catalog's changes are None when the file revises no catalog row.
    """
    values = changes_table(result.observations, catalog, lang, unchanged=show_unchanged)
    if result.catalog_changes.empty:
        return values, None
    return values, catalog_changes_table(result.catalog_changes, catalog, lang)


def explain_commit(result: ImportResult, user: str, as_of: datetime | None, lang: str) -> str:
    """Return why the commit button is disabled, to be shown beside it ("" when it is enabled).

    It waits for a file without errors, a name to record, and today's data viewed.
    """
    t = translator(lang)
    if not result.ok:
        return t("upload.why_errors", count=len(result.errors))
    if as_of is not None:
        return t("upload.why_as_of")
    if not user:
        return t("upload.why_name")
    return ""


def describe_commit(ids: dict, result: ImportResult) -> dict[str, object]:
    """Return what the success message after a commit says: the uploads stored and how many values they set."""
    summary = result.summary()
    return {"ids": "、".join(str(i) for i in ids.values()), "count": summary["new"] + summary["changed"]}
