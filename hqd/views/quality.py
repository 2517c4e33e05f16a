"""The data-quality page's content: who still owes figures for a year, and which figures deserve a second look."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from hqd.catalog import Catalog
from hqd.quality import find_jumps, missing_targets, missing_values, reporting_progress, stale_values
from hqd.rollup import Report
from hqd.tables import Column, progress_columns, progress_table, quality_columns, quality_table


@dataclass(frozen=True)
class QualityView:
    """The page's tables, as shown: each flagged list has a column of links to the indicator's detail."""

    progress: pd.DataFrame  # reporting progress per department
    missing: pd.DataFrame  # indicators without a value in the year
    stale: pd.DataFrame  # the same value year after year
    jumps: pd.DataFrame  # values far from the year before
    targets: pd.DataFrame  # indicators without a target for the year's plan period
    columns: dict[str, dict[str, Column]]  # how each table's columns are shown, by the table's field name


def check_quality(report: Report, catalog: Catalog, observations: pd.DataFrame, year: int, lang: str) -> QualityView:
    """Return the data-quality tables of a year."""
    rows = report.indicators[report.indicators["year"] == year]
    stale = stale_values(observations)
    jumps = find_jumps(observations)
    stale_columns = {
        "col.actual": stale["value"],
        "col.from": stale["first"],
        "col.to": stale["last"],
        "col.years": stale["years"],
    }
    jump_columns = {
        "col.year": jumps["year"],
        "col.previous": jumps["previous"],
        "col.actual": jumps["value"],
        "col.ratio": jumps["ratio"].round(2),
    }
    lists = {
        "missing": quality_table(missing_values(rows), catalog, lang),
        "stale": quality_table(stale, catalog, lang, code="indicator", columns=stale_columns),
        "jumps": quality_table(jumps, catalog, lang, code="indicator", columns=jump_columns),
        "targets": quality_table(missing_targets(catalog, catalog.period_for_year(year)), catalog, lang),
    }
    progress = progress_table(reporting_progress(rows), lang)
    return QualityView(
        progress=progress,
        **lists,
        columns={"progress": progress_columns(progress, lang)}
        | {name: quality_columns(table, lang) for name, table in lists.items()},
    )
