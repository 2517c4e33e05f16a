"""Benchmark: checking a 200,000-row long-form upload, against reading the same file raw.

Run: python bench/import.py [--rows 200000] [--runs 3]
Writes a long-form workbook (指标编码, 年份, 数值, 备注) of valid, realistic rows for the default
catalog into a temporary folder, then measures in the same run:
  HQD           hqd.imports.prepare_import: parse, validate and compare with a database that
                already holds the sample data (best of --runs);
  calamine      the raw python-calamine read of the sheet into Python lists, the floor any
                reader built on it pays (best of --runs);
  openpyxl      pandas.read_excel(engine="openpyxl"), the plain way to read the file (one run).
Goals (issue 4): HQD at most 1.5× calamine, and openpyxl at least 4× HQD.
"""

from __future__ import annotations

import argparse
import io
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

from hqd.bootstrap import open_database  # noqa: E402
from hqd.catalog import read_catalog  # noqa: E402
from hqd.imports import prepare_import  # noqa: E402

SHEET = "指标数据"
HEADER = ["指标编码", "年份", "数值", "备注"]
YEARS = np.arange(2020, 2026)
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


def long_form_rows(rows: int, seed: int = 4) -> list[list]:
    """Return `rows` long-form rows, header first.

    Every (indicator, year) appears many times, always with the same value, as people send it:
    mostly numbers, some as text with thousands separators or full-width digits, a few
    percentages typed with %, a few blank markers, and notes on some rows.
    """
    rng = np.random.default_rng(seed)
    pairs = canonical_values(read_catalog().targets(), rng)
    pick = pairs.iloc[rng.integers(0, len(pairs), rows)].reset_index(drop=True)
    form = rng.random(rows)
    notes = np.where(rng.random(rows) < 0.08, rng.choice(NOTES, rows), None)
    blanks = rng.choice(BLANKS, rows)
    out = [HEADER]
    for i, (code, year, value, percent, milestone) in enumerate(pick.itertuples(index=False)):
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


def write_workbook(path: Path, rows: list[list]) -> None:
    """Write the rows to one sheet of an .xlsx, streaming (openpyxl write-only mode)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET)
    for row in rows:
        sheet.append(row)
    book.save(path)


def best_of(runs: int, work) -> tuple[float, object]:
    """Return the fastest of several timed runs, in seconds, and the last result."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), result


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

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        path = folder / "long_form.xlsx"
        start = time.perf_counter()
        write_workbook(path, long_form_rows(args.rows))
        content = path.read_bytes()
        print(
            f"import: long-form workbook of {args.rows:,} rows, {len(content) / 2**20:.1f} MB "
            f"(written in {time.perf_counter() - start:.1f} s)"
        )
        engine = open_database(f"sqlite:///{folder}/bench.db")

        def calamine_read():
            book = python_calamine.load_workbook(io.BytesIO(content))
            return book.get_sheet_by_name(SHEET).to_python()

        floor, grid = best_of(args.runs, calamine_read)
        assert len(grid) == args.rows + 1, len(grid)
        checked, result = best_of(args.runs, lambda: prepare_import(engine, content, path.name))
        if not result.ok:
            print(result.errors.head(10).to_string(), file=sys.stderr)
            raise SystemExit(f"the generated workbook has {len(result.errors):,} errors; the benchmark is void")
        summary = ", ".join(f"{k} {v:,}" for k, v in result.summary().items())
        print(f"checked: {summary}\n")
        start = time.perf_counter()
        frame = pd.read_excel(path, engine="openpyxl")
        plain = time.perf_counter() - start
        assert len(frame) == args.rows, len(frame)
        engine.dispose()

    line("baseline: python-calamine to_python", floor, args.rows)
    line("HQD prepare_import (parse+validate+diff)", checked, args.rows, floor)
    line("pandas.read_excel (openpyxl), one run", plain, args.rows, floor)
    print()
    goal("HQD / calamine", checked / floor, 1.5, at_most=True)
    goal("openpyxl / HQD", plain / checked, 4.0, at_most=False)


if __name__ == "__main__":
    main()
