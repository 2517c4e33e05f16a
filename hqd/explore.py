"""The analysts' view: indicators filtered by programme, task, department, status, text and years."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from hqd.labels import STATUSES
from hqd.text import fold_text

# Charts show at most this many indicators: more would be unreadable (and slow to draw).
CHART_ROWS = 60


@dataclass(frozen=True)
class Filters:
    """What an analyst asked for; empty lists mean 'all'."""

    year_from: int
    year_to: int
    programmes: list[str] = field(default_factory=list)
    tasks: list[str] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    text: str = ""


def is_in(column: pd.Series, values) -> pd.Series:
    """Return which of a column's values are among `values` (Series.isin), as a boolean array: by Arrow, because
    pandas' isin on an Arrow-backed string column converts the values one by one (seconds for 50,000 codes)."""
    column = pa.array(column)
    wanted = pd.Series(values) if isinstance(values, pd.Series | pd.Index) else pd.Series(list(values), dtype=object)
    wanted = pa.array(wanted).cast(column.type)
    return pc.fill_null(pc.is_in(column, value_set=wanted), False).to_numpy(zero_copy_only=False)


def filter_indicators(indicators: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """Return the progress rows (all years) of the indicators the filters select.

    The status filter applies to the status in the last year of the range; the text filter
    matches codes and Chinese or English names, ignoring case, spaces and full-width forms.
    """
    return indicators[is_in(indicators["code"], select_codes(indicators, filters))].reset_index(drop=True)


def select_codes(indicators: pd.DataFrame, filters: Filters) -> pd.Series:
    """Return the codes of the indicators the filters select (filter_indicators' choice), in the rows' order."""
    # Only the columns the filters read: at 50,000 indicators taking every column is most of the time.
    columns = ["code", "programme", "task", "department", "status", "name_zh", "name_en"]
    last = indicators.loc[indicators["year"] == filters.year_to, columns]
    keep = pd.Series(True, index=last.index)
    for column, wanted in (
        ("programme", filters.programmes),
        ("task", filters.tasks),
        ("department", filters.departments),
        ("status", filters.statuses),
    ):
        if wanted:
            keep &= last[column].isin(wanted)
    text = fold_text(filters.text)
    if text:
        haystack = (last["code"] + " " + last["name_zh"] + " " + last["name_en"]).map(fold_text)
        keep &= haystack.str.contains(text, regex=False)
    return last.loc[keep, "code"]


def status_counts(rows: pd.DataFrame, year: int) -> pd.Series:
    """Return how many selected indicators are in each status in a year, in severity order."""
    counts = rows.loc[rows["year"] == year, "status"].value_counts()
    return counts.reindex([s for s in STATUSES.index if s in counts.index])


def explorer_frame(rows: pd.DataFrame, filters: Filters, notes: pd.DataFrame) -> pd.DataFrame:
    """Return one row per selected indicator: its values over the year range and its standing at the end.

    `notes` holds the current observations (indicator, year, note); the latest note in the
    range is shown, since analysts carry it into their exports.
    """
    years = list(range(filters.year_from, filters.year_to + 1))
    in_range = rows[rows["year"].isin(years)]
    values = in_range.pivot_table(index="code", columns="year", values="value", aggfunc="first", dropna=False)
    values = values.reindex(columns=years)
    end = rows[rows["year"] == filters.year_to].set_index("code")
    picked = notes[is_in(notes["indicator"], end.index) & notes["year"].between(filters.year_from, filters.year_to)]
    order = ["year", "month"] if "month" in picked else ["year"]
    latest_note = picked.dropna(subset=["note"]).sort_values(order).groupby("indicator")["note"].last()
    out = end[
        [
            "programme",
            "task",
            "name_zh",
            "name_en",
            "unit",
            "department",
            "base_year",
            "base_value",
            "target_year",
            "target_value",
            "value",
            "completion",
            "attainment",
            "expected",
            "pace",
            "score",
            "status",
            "projected_value",
            "projected_completion",
            "projection",
            "confidence",
        ]
    ].copy()
    for year in years:
        out[year] = values[year].reindex(out.index).to_numpy() if year in values else np.nan
    # In the notes' own type even when none is picked: a filter's rows are the same rows of every indicator's frame.
    out["note"] = latest_note.reindex(out.index).astype(notes["note"].dtype)
    return out.reset_index()


def heatmap_frames(rows: pd.DataFrame, years: list[int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return completion and status of each selected indicator (rows) in each year (columns)."""
    order = rows["code"].drop_duplicates().head(CHART_ROWS)
    in_range = rows[rows["year"].isin(years) & is_in(rows["code"], order)]

    def grid(column: str) -> pd.DataFrame:
        wide = in_range.pivot(index="code", columns="year", values=column)
        return wide.reindex(index=order, columns=years)

    return grid("completion"), grid("status")


def compare_years(rows: pd.DataFrame, first: int, second: int) -> pd.DataFrame:
    """Return the selected indicators' completion in two years and the change, the biggest movers first.

    At most CHART_ROWS indicators, the ones that moved most.
    """
    a = rows[rows["year"] == first].set_index("code")["completion"]
    b = rows[rows["year"] == second].set_index("code")["completion"]
    names = rows[["code", "name_zh", "name_en", "unit"]].drop_duplicates("code").set_index("code")
    out = names.assign(before=a, after=b, change=b - a).dropna(subset=["before", "after"])
    movers = out["change"].abs().sort_values(ascending=False, kind="stable").index[:CHART_ROWS]
    return out.reindex(movers).reset_index()
