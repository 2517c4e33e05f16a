"""The reports and the explorer's tables of the figures now, made again only where the figures changed.

A commit changes the figures of a few indicators: hqd/store/figures.py lays them over the figures it read before and
notes which indicators it laid over (hqd.memo.CHANGES). Each indicator's rows of a report (its progress each
year: hqd.rollup.progress_rows; its months against 序时进度: hqd.inyear.judge_in_year) and of the explorer's tables
are made from that indicator alone, so the other indicators' rows are those this process made before: only the
changed indicators' rows are made again and put in their places (splice_rows), and what is made over every indicator
(reviewed lights, roll-ups, key tasks) is made again whole from them. Anything else changed (another catalog, period,
settings or language; figures read whole again after a rollback; a moment in the past) makes everything again.

What was made last is kept per catalog and what it was made for (hqd.memo.Memo). The catalog it was made from is held
weakly and compared by identity, the figures and reports by the names hqd.memo.CHANGES gives them: two databases
(each has its own catalog object) never mix, and nothing kept keeps an old frame alive.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from hqd.catalog import Catalog
from hqd.directives import Counting, supervised_in_year, supervised_report
from hqd.explore import is_in
from hqd.inyear import judge_in_year
from hqd.memo import CHANGES, Memo
from hqd.rollup import Report, progress_rows
from hqd.settings import seasonal_pace
from hqd.views.explorer import ExplorerRows, explore_every_indicator, in_year_every_indicator


@dataclass(frozen=True)
class _Kept:
    """What was made last for a key, and from what: the catalog by weak reference, the rest by their names (keeping
    what was made keeps none of them alive)."""

    fixed: tuple[weakref.ref, ...]  # made from exactly these (the catalog): with another, everything is made again
    sources: tuple[int, ...]  # and from these (by their names, hqd.memo.CHANGES), whose changes are known by indicator
    made: object  # the indicators' rows, or the explorer's rows
    codes: pd.Series  # the indicator of each row made, in order
    report: int | None = None  # the name of the report made of the rows
    reviews: pd.DataFrame | None = None  # the reviewed lights the report took


# A few of each: a report, a year under way, the explorer's years and languages (each kept set of rows is tens of MiB
# at 50,000 indicators, and shares most of its columns with the report made of it).
_kept: Memo[_Kept] = Memo(8)


def recompute_report(
    catalog: Catalog, observations: pd.DataFrame, supervision, period: str, counting: Counting
) -> Report:
    """Return directives.supervised_report of the arguments, its indicators' rows made again only for the
    indicators whose figures changed since this process made the report of the same catalog, period and counting."""
    years = catalog.years(period)
    targets = catalog.targets(period)

    def make(codes: frozenset[str] | None) -> pd.DataFrame:
        if codes is None:
            return progress_rows(targets, observations, years)
        return progress_rows(targets[is_in(targets["code"], codes)], figures_of(observations, codes), years)

    def roll(rows: pd.DataFrame) -> Report:
        return supervised_report(catalog, observations, supervision, period, counting, rows=rows)

    return _recompute(("report", id(catalog), period, counting), catalog, observations, supervision, make, roll)


def recompute_in_year(
    catalog: Catalog,
    observations: pd.DataFrame,
    supervision,
    period: str,
    year: int,
    months: Iterable[int],
    counting: Counting,
) -> Report:
    """Return directives.supervised_in_year of the arguments, its indicators' rows made again only for the indicators
    whose figures changed since this process made the same year's months of the same catalog, period and counting."""
    months = sorted({int(m) for m in months})
    seasonal = seasonal_pace()

    def make(codes: frozenset[str] | None) -> pd.DataFrame:
        if codes is None:
            return judge_in_year(catalog, observations, period, year, months, seasonal)
        return judge_in_year(catalog, figures_of(observations, codes), period, year, months, seasonal, codes=codes)

    def roll(rows: pd.DataFrame) -> Report:
        return supervised_in_year(catalog, observations, supervision, period, year, months, counting, rows=rows)

    key = ("in_year", id(catalog), period, year, tuple(months), seasonal, counting)
    return _recompute(key, catalog, observations, supervision, make, roll)


def _recompute(
    key: tuple,
    catalog: Catalog,
    observations: pd.DataFrame,
    supervision,
    make: Callable[[frozenset[str] | None], pd.DataFrame],
    roll: Callable[[pd.DataFrame], Report],
) -> Report:
    """Return the report `roll` makes of the indicators' rows `make` makes (of the indicators named, or of all with
    None), keeping the rows for the next time and noting how the report differs from the one made before."""
    kept = _kept.get(key)
    changed = _changes_since(kept, (catalog,), (observations,))
    rows = None if changed is None else _remade(kept, changed, make, lambda rows: rows["code"], splice_rows)
    if rows is None:
        changed, rows = None, make(None)
    reviews = None if supervision is None else supervision.reviews
    report = roll(rows)
    if changed is not None:
        # Of the report made from another, the indicators whose rows (Report.indicators) differ: a review changes
        # rows too, those of every indicator reviewed before or now.
        _note(kept.report, report, changed | _reviewed_since(kept.reviews, reviews))
    codes = rows["code"] if changed is None else kept.codes
    made_from = (weakref.ref(catalog),), (CHANGES.name(observations),)
    _kept.put(key, _Kept(*made_from, rows, codes, CHANGES.name(report), reviews))
    return report


def recompute_explorer_rows(
    report: Report, catalog: Catalog, observations: pd.DataFrame, year_from: int, year_to: int, lang: str
) -> ExplorerRows:
    """Return views.explorer.explore_every_indicator of the arguments, made again only for the indicators whose
    report rows or figures changed since this process made it for the same catalog, years and language."""

    def make(codes: frozenset[str] | None) -> ExplorerRows:
        if codes is None:
            return explore_every_indicator(report, catalog, observations, year_from, year_to, lang)
        return explore_every_indicator(
            _rows_of(report, codes), catalog, figures_of(observations, codes), year_from, year_to, lang
        )

    key = ("explorer", id(catalog), year_from, year_to, lang)
    kept = _kept.get(key)
    changed = _changes_since(kept, (catalog,), (report, observations))
    made = None if changed is None else _remade(kept, changed, make, lambda rows: rows.frame["code"], _splice_explorer)
    if made is None:
        made = make(None)
    sources = (CHANGES.name(report), CHANGES.name(observations))
    _kept.put(key, _Kept((weakref.ref(catalog),), sources, made, made.frame["code"]))
    return made


def recompute_in_year_table(report: Report, catalog: Catalog, month: int, lang: str) -> pd.DataFrame:
    """Return views.explorer.in_year_every_indicator of the arguments, made again only for the indicators whose rows
    of the in-year report changed since this process made it for the same catalog, month and language."""

    def make(codes: frozenset[str] | None) -> tuple[pd.DataFrame, pd.Series]:
        """Return the table and the indicator of each of its rows."""
        made = report if codes is None else _rows_of(report, codes)
        rows = made.indicators
        return in_year_every_indicator(made, catalog, month, lang), rows.loc[rows["month"] == month, "code"]

    def splice(table: pd.DataFrame, fresh: tuple[pd.DataFrame, pd.Series], at: np.ndarray) -> pd.DataFrame | None:
        return splice_rows(table, fresh[0], at)

    key = ("in_year_table", id(catalog), month, lang)
    kept = _kept.get(key)
    changed = _changes_since(kept, (catalog,), (report,))
    table = None if changed is None else _remade(kept, changed, make, lambda made: made[1], splice)
    codes = None if table is None else kept.codes
    if table is None:
        table, codes = make(None)
        codes = codes.reset_index(drop=True)
    _kept.put(key, _Kept((weakref.ref(catalog),), (CHANGES.name(report),), table, codes))
    return table


def figures_of(observations: pd.DataFrame, codes: Iterable[str]) -> pd.DataFrame:
    """Return the observations of some indicators."""
    return observations[is_in(observations["indicator"], codes)]


def _rows_of(report: Report, codes: Iterable[str]) -> Report:
    """Return a report whose indicators' rows are those of some indicators (the roll-ups left as they are)."""
    return replace(report, indicators=report.indicators[is_in(report.indicators["code"], codes)])


def _changes_since(kept: _Kept | None, fixed: tuple, sources: tuple) -> frozenset[str] | None:
    """Return the indicators whose `sources` changed since `kept` was made from them and from the same `fixed`
    values (the figures' changes noted by hqd/store/figures.py, the reports' by _recompute); None when any is
    unknown."""
    if kept is None or any(ref() is not value for ref, value in zip(kept.fixed, fixed, strict=True)):
        return None
    changed: set[str] = set()
    for before, now in zip(kept.sources, sources, strict=True):
        found = CHANGES.since(before, now)
        if found is None:
            return None
        changed |= found
    return frozenset(changed)


def _note(before: int | None, report: Report, changed: Iterable[str]) -> None:
    """Note that a report was made from the one named `before` and differs from it in the rows of `changed`."""
    if before is not None:
        CHANGES.note(before, report, changed)


def _reviewed_since(before: pd.DataFrame | None, now: pd.DataFrame | None) -> set[str]:
    """Return the indicators whose reviewed lights may differ between two readings of the reviews (all reviewed in
    either, unless they are the same)."""
    if before is now or (before is not None and now is not None and before.equals(now)):
        return set()
    return {code for frame in (before, now) if frame is not None for code in frame["indicator"].astype("str")}


def _positions(codes: pd.Series, changed: Iterable[str]) -> np.ndarray:
    """Return the positions of the rows of the changed indicators."""
    return np.flatnonzero(is_in(codes, changed))


def _remade(kept: _Kept, changed: frozenset[str], make, codes_of, splice):
    """Return what was kept with the rows of the changed indicators made again by `make` (their indicators read by
    `codes_of`) and put in their places by `splice`; None when they do not fit (then everything is made again)."""
    at = _positions(kept.codes, changed) if changed else np.empty(0, dtype="int64")
    if not len(at):
        return kept.made
    fresh = make(changed)
    if not _same_codes(kept.codes, at, codes_of(fresh)):
        return None
    return splice(kept.made, fresh, at)


def _splice_explorer(old: ExplorerRows, fresh: ExplorerRows, at: np.ndarray) -> ExplorerRows | None:
    """Return the explorer's rows with those at `at` replaced by `fresh`'s, or None when they do not fit."""
    frame, table = splice_rows(old.frame, fresh.frame, at), splice_rows(old.table, fresh.table, at)
    return None if frame is None or table is None else ExplorerRows(frame, table)


def _same_codes(codes: pd.Series, at: np.ndarray, fresh: pd.Series) -> bool:
    """Tell whether the rows made again are those of the rows at `at`, indicator by indicator."""
    # Only the few rows taken to plain values: the whole column would be every code made a Python text.
    return len(at) == len(fresh) and np.array_equal(codes.iloc[at].to_numpy(dtype=object), fresh.to_numpy(dtype=object))


def splice_rows(old: pd.DataFrame, fresh: pd.DataFrame, at: np.ndarray) -> pd.DataFrame | None:
    """Return `old` with its rows at the positions `at` (ascending) replaced by the rows of `fresh`, in order: the
    same columns of the same types, the same index. None when they do not fit (not as many rows, other columns or
    types): the caller then makes everything again."""
    if len(at) != len(fresh) or not old.columns.equals(fresh.columns) or old.columns.has_duplicates:
        return None
    if not len(at):
        return old
    columns = {}
    for name in old.columns:
        before, after = old[name], fresh[name]
        if before.dtype != after.dtype:
            return None
        values = before.array
        # A text column the rows made again leave as it was (names, units, departments) is kept, not copied: each
        # Arrow text column set again costs a copy of all of it.
        if isinstance(before.dtype, np.dtype) or not values.take(at).equals(after.array):
            values = values.copy()
            values[at] = after.array
        columns[name] = values
    return pd.DataFrame(columns, index=old.index, copy=False)
