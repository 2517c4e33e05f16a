"""Benchmark: checking a 200,000-row long-form upload, against reading the same file raw.

Run: python bench/import.py [--rows 200000] [--runs 3]
Writes a long-form workbook (指标编码, 年份, 数值, 备注) of valid, realistic rows, each a distinct (indicator,
year), for a catalog of the default's indicators copied until there are enough of them (33,000 at 200,000 rows),
into a database that already holds a third of those figures as they are and a third with other values: the
checks and the comparison with what is stored see every row. Then, each run a pair measured back to back:
  calamine      the raw python-calamine read of the sheet into Python lists, the floor any
                reader built on it pays;
  HQD           hqd.imports.prepare_import: parse, validate and compare with the database;
and after each pair the isolated reading alone (hqd.workbook.read_sheets: a capped reading process forked for the
file, its scan of the zip, its calamine read and the grid sent back), the part of HQD's time no parsing or checking
can remove;
and once, openpyxl: pandas.read_excel(engine="openpyxl"), the plain way to read the file.
Prints each pair, and the median of the pairs' ratios.
Goals (issue 4): HQD at most 1.5× calamine, and openpyxl at least 4× HQD.
"""

from __future__ import annotations

import argparse
import io
import math
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import python_calamine
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pages import scaled_catalog  # noqa: E402  the default's indicators copied, as every scale bench makes them

from hqd import store  # noqa: E402
from hqd.catalog import Catalog, read_catalog  # noqa: E402
from hqd.imports import prepare_import  # noqa: E402
from hqd.workbook import read_sheets  # noqa: E402

SHEET = "指标数据"
HEADER = ["指标编码", "年份", "数值", "备注"]
# 十四五's indicators, each reported for every year of the period.
PERIOD, YEARS = "P14", np.arange(2020, 2026)
NOTES = ["统计快报数", "初步统计", "数据来源:区统计局", "口径调整,含新并入园区", "年报数", "按新标准核算"]
BLANKS = ["—", "—", "——", "无"]
FULL_WIDTH = str.maketrans("0123456789.,", "０１２３４５６７８９．，")


def canonical_values(targets: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Return one valid value per (indicator, year), near the path from baseline to target.

    Percentages stay within 0–100, milestones are whole stages 0–4, nothing is negative.
    """
    base = targets["base_value"].to_numpy()[:, None]
    target = targets["target_value"].to_numpy()[:, None]
    f = (YEARS - YEARS[0]) / (YEARS[-1] - YEARS[0])
    values = (base + (target - base) * f) * rng.uniform(0.95, 1.05, (len(targets), len(YEARS)))
    unit = np.repeat(targets["unit"].to_numpy(), len(YEARS))
    milestone = np.repeat(targets["direction"].eq("milestone").to_numpy(), len(YEARS))
    values = np.maximum(values.ravel(), 0).round(2)
    values = np.where(unit == "%", np.minimum(values, 100), values)
    values = np.where(milestone, np.clip(values.round(), 0, 4), values)
    return pd.DataFrame(
        {
            "indicator": np.repeat(targets["code"].to_numpy(), len(YEARS)),
            "year": np.tile(YEARS, len(targets)),
            "value": values,
            "percent": unit == "%",
            "milestone": milestone,
        }
    )


def distinct_figures(rows: int, seed: int = 4) -> tuple[Catalog, pd.DataFrame]:
    """Return a catalog with enough indicators, and `rows` valid figures of it, each of a different (indicator,
    year), in a random order."""
    rng = np.random.default_rng(seed)
    default = read_catalog()
    per_copy = len(default.targets(PERIOD)) * len(YEARS)
    catalog = scaled_catalog(default, math.ceil(rows / per_copy))
    pairs = canonical_values(catalog.targets(PERIOD), rng)
    return catalog, pairs.iloc[rng.permutation(len(pairs))[:rows]].reset_index(drop=True)


def long_form_rows(figures: pd.DataFrame, seed: int = 4) -> list[list]:
    """Return the figures as long-form rows, header first, as people send them: mostly numbers, some as text
    with thousands separators or full-width digits, a few percentages typed with %, a few blank markers, and
    notes on some rows."""
    rng = np.random.default_rng(seed)
    rows = len(figures)
    form = rng.random(rows)
    notes = np.where(rng.random(rows) < 0.08, rng.choice(NOTES, rows), None)
    blanks = rng.choice(BLANKS, rows)
    out = [HEADER]
    for i, (code, year, value, percent, milestone) in enumerate(figures.itertuples(index=False)):
        number = int(value) if milestone else float(value)
        kind = form[i]
        if kind < 0.01:
            cell = blanks[i]
        elif kind < 0.03:
            cell = f"{number:,}"
        elif kind < 0.04:
            cell = f"{number:,}".translate(FULL_WIDTH)
        elif kind < 0.045 and percent:
            cell = f"{number}%"
        else:
            cell = number
        out.append([code, int(year), cell, notes[i]])
    return out


def stored_before(figures: pd.DataFrame) -> pd.DataFrame:
    """Return what the database holds before the upload: a third of the figures as they are, a third otherwise."""
    third = len(figures) // 3
    kept, changed = figures.iloc[:third], figures.iloc[third : 2 * third]
    frame = pd.concat([kept, changed.assign(value=changed["value"] + 1)], ignore_index=True)
    return pd.DataFrame(
        {"indicator": frame["indicator"], "year": frame["year"].astype("int64"), "month": 12, "value": frame["value"]}
    ).assign(note=None)


def write_workbook(path: Path, rows: list[list]) -> None:
    """Write the rows to one sheet of an .xlsx, streaming (openpyxl write-only mode)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET)
    for row in rows:
        sheet.append(row)
    book.save(path)


def timed(work) -> tuple[float, object]:
    """Return the seconds one run of `work` took, and what it returned."""
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def line(name: str, seconds: float, rows: int, calamine: float | None = None) -> None:
    ratio = f"{seconds / calamine:6.2f}× calamine" if calamine else ""
    print(f"{name:<44}{seconds:8.3f} s {rows / seconds:12,.0f} rows/s  {ratio}")


def goal(name: str, ratio: float, limit: float, at_most: bool) -> None:
    met = ratio <= limit if at_most else ratio >= limit
    print(f"{name:<44}{ratio:8.2f}×   goal {'≤' if at_most else '≥'} {limit:g}×: {'met' if met else 'MISSED'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        path = folder / "long_form.xlsx"
        start = time.perf_counter()
        catalog, figures = distinct_figures(args.rows)
        write_workbook(path, long_form_rows(figures))
        content = path.read_bytes()
        engine = store.connect(f"sqlite:///{folder}/bench.db")
        store.commit_upload(engine, "catalog", None, "bench", catalog=catalog)
        store.commit_upload(engine, "before.xlsx", b"before", "bench", frame=stored_before(figures))
        print(
            f"import: long-form workbook of {args.rows:,} rows, each a distinct (indicator, year), "
            f"{len(content) / 2**20:.1f} MB, for {catalog.indicators['code'].nunique():,} indicators "
            f"(made in {time.perf_counter() - start:.1f} s)"
        )

        def calamine_read():
            book = python_calamine.load_workbook(io.BytesIO(content))
            return book.get_sheet_by_name(SHEET).to_python()

        pairs, readings = [], []
        for run in range(args.runs):
            floor, grid = timed(calamine_read)
            assert len(grid) == args.rows + 1, len(grid)
            checked, result = timed(lambda: prepare_import(engine, content, path.name))
            if not result.ok:
                print(result.errors.head(10).to_string(), file=sys.stderr)
                raise SystemExit(f"the generated workbook has {len(result.errors):,} errors; the benchmark is void")
            reading, _ = timed(lambda: read_sheets(content, path.name))
            pairs.append((floor, checked))
            readings.append(reading / floor)
            print(
                f"pair {run + 1}: calamine {floor:.3f} s, HQD {checked:.3f} s ({checked / floor:.2f}×); "
                f"the isolated reading alone {reading:.3f} s"
            )
        summary = ", ".join(f"{k} {v:,}" for k, v in result.summary().items())
        print(f"checked: {summary}\n")
        plain, frame = timed(lambda: pd.read_excel(path, engine="openpyxl"))
        assert len(frame) == args.rows, len(frame)
        engine.dispose()

    floor, checked = (statistics.median(side) for side in zip(*pairs, strict=True))
    line("baseline: python-calamine to_python (median)", floor, args.rows)
    line("HQD prepare_import (parse+validate+diff)", checked, args.rows, floor)
    line("pandas.read_excel (openpyxl), one run", plain, args.rows, floor)
    print()
    goal("HQD / calamine (median of the pairs)", statistics.median(c / f for f, c in pairs), 1.5, at_most=True)
    goal("openpyxl / HQD", plain / checked, 4.0, at_most=False)
    floor_ratio = statistics.median(readings)
    print(f"{'the isolated reading alone / calamine':<44}{floor_ratio:8.2f}×   (HQD / calamine can go no lower)")


if __name__ == "__main__":
    main()
