"""Benchmark: progress over 1,000,000 observations, in-year progress over 144,000 monthly figures, and the
current-state query over 2,000,000 rows.

Run: python bench/progress.py [--indicators 50000] [--years 20] [--uploads 20] [--parts progress,in-year,store]
Prints seconds, rows per second, and the ratio to a baseline measured in the same run:
  progress      vs  one pandas merge of the observations with the targets (the least any
                    per-(indicator, year) computation must do);
  in-year       vs  a bare pandas groupby of the same monthly rows to their last value per
                    (indicator, year): 2,000 indicators × 6 years × 12 months, one month and
                    every month of the latest year;
  current state vs  reading the same number of rows straight from one upload with sqlite3.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hqd import store
from hqd.catalog import Catalog
from hqd.inyear import compute_in_year, rollup_in_year
from hqd.progress import compute_progress
from hqd.rollup import compute_report


def synthetic_catalog(indicators: int, years: int) -> Catalog:
    """Return a catalog of many indicators, 25 per task, 4 tasks per programme."""
    rng = np.random.default_rng(7)
    codes = np.array([f"X{i:06d}" for i in range(indicators)])
    task_of = np.array([f"T{i // 25:05d}" for i in range(indicators)])
    tasks = pd.DataFrame({"code": pd.unique(task_of)})
    tasks["programme"] = [f"P{i // 4:04d}" for i in range(len(tasks))]
    programme_of = tasks.set_index("code")["programme"].reindex(task_of).to_numpy()
    base = rng.uniform(10, 1000, indicators)
    down = rng.random(indicators) < 0.15
    target = np.where(down, base * 0.6, base * rng.uniform(1.2, 3.0, indicators))
    first = 2025 - years
    ind = pd.DataFrame(
        {
            "code": codes,
            "period": "P",
            "programme": programme_of,
            "task": task_of,
            "name_zh": codes,
            "name_en": codes,
            "unit": "个",
            "direction": np.where(down, "down", "up"),
            "trajectory": np.where(rng.random(indicators) < 0.5, "compound", "linear"),
            "base_year": first,
            "base_value": base,
            "target_year": 2025,
            "target_value": target,
            "weight": 1.0,
            "department": "局",
        }
    )
    tasks = tasks.assign(name_zh=tasks["code"], name_en="", description_zh="", weight=1.0)
    programmes = pd.DataFrame({"code": pd.unique(tasks["programme"])}).assign(
        name_zh="", name_en="", short_zh="", goal_zh="", description_zh="", weight=1.0
    )
    periods = pd.DataFrame([{"code": "P", "name_zh": "", "name_en": "", "base_year": first, "target_year": 2025}])
    return Catalog(periods=periods, programmes=programmes, tasks=tasks, indicators=ind)


def synthetic_observations(catalog: Catalog, years: int, seed: int = 1) -> pd.DataFrame:
    """Return one value per indicator and year, along each indicator's trajectory with noise."""
    rng = np.random.default_rng(seed)
    ind = catalog.indicators
    year = np.arange(2026 - years, 2026)
    f = (year - (2025 - years)) / years
    values = ind["base_value"].to_numpy()[:, None] + (
        (ind["target_value"] - ind["base_value"]).to_numpy()[:, None] * f * rng.uniform(0.3, 1.2, (len(ind), years))
    )
    return pd.DataFrame(
        {
            "indicator": np.repeat(ind["code"].to_numpy(), years),
            "year": np.tile(year, len(ind)),
            "value": values.ravel(),
            "note": None,
        }
    )


# The reference catalog's mix of kinds of figure and how often each is reported (value_kind, frequency).
KINDS = [
    ("cumulative", "month"),
    ("cumulative", "quarter"),
    ("stock", "quarter"),
    ("stock", "year"),
    ("rate", "quarter"),
    ("rate", "year"),
    ("milestone", "quarter"),
]


def monthly_observations(catalog: Catalog, years: int, seed: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the targets with a frequency and kind of value each, and a figure per indicator, year and month.

    Year-to-date totals build up over the year around the trajectory's annual value; levels move from
    December's towards it. Every month has a row (those a frequency does not end are read and left out).
    """
    rng = np.random.default_rng(seed)
    targets = catalog.targets("P")
    n = len(targets)
    kind, frequency = np.array(KINDS).T[:, rng.integers(0, len(KINDS), n)]
    targets = targets.assign(frequency=frequency, value_kind=kind)
    year = np.arange(2026 - years, 2026)
    base, target = targets["base_value"].to_numpy()[:, None], targets["target_value"].to_numpy()[:, None]
    y0, y1 = targets["base_year"].to_numpy()[:, None], targets["target_year"].to_numpy()[:, None]
    annual = base + (target - base) * (year[None, :] - y0) / (y1 - y0) * rng.uniform(0.8, 1.1, (n, years))
    december = np.concatenate([base, annual[:, :-1]], axis=1)
    month = np.arange(1, 13) / 12
    level = december[:, :, None] + (annual - december)[:, :, None] * month[None, None, :]
    total = annual[:, :, None] * month[None, None, :] * rng.uniform(0.9, 1.1, (n, years, 12))
    values = np.where((kind == "cumulative")[:, None, None], total, level)
    values = np.where((kind == "milestone")[:, None, None], np.floor(values), values)
    observations = pd.DataFrame(
        {
            "indicator": np.repeat(targets["code"].to_numpy(), years * 12),
            "year": np.tile(np.repeat(year, 12), n),
            "month": np.tile(np.arange(1, 13), n * years),
            "value": values.ravel(),
        }
    )
    return targets, observations


def best_of(runs: int, work) -> float:
    """Return the fastest of several timed runs, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def line(name: str, seconds: float, rows: int, baseline: float | None = None, goal: float | None = None) -> None:
    ratio = f"{seconds / baseline:6.2f}× baseline" if baseline else " " * 16
    target = f"goal < {goal:g} s: {'met' if seconds < goal else 'MISSED'}" if goal else ""
    print(f"{name:<34}{seconds:8.3f} s {rows / seconds:14,.0f} rows/s  {ratio}  {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=50_000)
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument("--uploads", type=int, default=20)
    parser.add_argument("--store-indicators", type=int, default=5_000)
    parser.add_argument("--in-year-indicators", type=int, default=2_000)
    parser.add_argument("--in-year-years", type=int, default=6)
    parser.add_argument("--parts", default="progress,in-year,store", help="comma-separated parts to run")
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    if "progress" in parts:
        bench_progress(args)
    if "in-year" in parts:
        bench_in_year(args)
    if "store" in parts:
        bench_store(args)


def bench_progress(args: argparse.Namespace) -> None:
    catalog = synthetic_catalog(args.indicators, args.years)
    observations = synthetic_observations(catalog, args.years)
    targets = catalog.targets("P")
    years = sorted(observations["year"].unique())
    n = len(observations)
    print(f"progress: {args.indicators:,} indicators × {args.years} years = {n:,} observations")
    baseline = best_of(3, lambda: observations.merge(targets, left_on="indicator", right_on="code"))
    line("baseline: pandas merge", baseline, n)
    line(
        "compute_progress (indicators)",
        best_of(3, lambda: compute_progress(targets, observations, years)),
        n,
        baseline,
        2.0,
    )
    line(
        "compute_report (+ tasks, programmes)",
        best_of(3, lambda: compute_report(catalog, observations, years, "P")),
        n,
        baseline,
        2.0,
    )


def bench_in_year(args: argparse.Namespace) -> None:
    catalog = synthetic_catalog(args.in_year_indicators, args.in_year_years)
    targets, observations = monthly_observations(catalog, args.in_year_years)
    year = int(observations["year"].max())
    n = len(observations)
    print(
        f"\nin-year: {args.in_year_indicators:,} indicators × {args.in_year_years} years × 12 months "
        f"= {n:,} observations; year {year}"
    )
    baseline = best_of(3, lambda: observations.groupby(["indicator", "year"])["value"].last())
    line("baseline: pandas groupby last", baseline, n)
    for label, months in (("one month (10)", [10]), ("all 12 months", range(1, 13))):
        line(
            f"compute_in_year, {label}",
            best_of(3, lambda months=months: compute_in_year(targets, observations, year, months)),
            n,
            baseline,
            1.0,
        )
        line(
            f"  + rollup_in_year, {label}",
            best_of(
                3, lambda months=months: rollup_in_year(catalog, compute_in_year(targets, observations, year, months))
            ),
            n,
            baseline,
            1.0,
        )


def bench_store(args: argparse.Namespace) -> None:
    small = synthetic_catalog(args.store_indicators, args.years)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        engine = store.connect(f"sqlite:///{path}")
        start = time.perf_counter()
        for upload in range(args.uploads):
            frame = synthetic_observations(small, args.years, seed=upload)
            store.commit_upload(engine, f"upload-{upload}.xlsx", str(upload).encode(), "bench", frame=frame)
        stored = args.uploads * len(frame)
        print(
            f"\ncurrent state: {stored:,} stored rows in {args.uploads} uploads "
            f"(inserted in {time.perf_counter() - start:.1f} s)"
        )
        last = args.uploads

        def raw_read():
            with sqlite3.connect(path) as conn:
                return pd.read_sql_query(
                    f"SELECT indicator, year, value, note, upload_id FROM observations WHERE upload_id = {last}", conn
                )

        baseline = best_of(3, raw_read)
        line("baseline: sqlite3 read of one upload", baseline, len(frame))
        current = store.read_observations(engine)
        assert len(current) == len(frame)
        line(
            "read_observations (current)",
            best_of(3, lambda: store.read_observations(engine)),
            len(frame),
            baseline,
            1.0,
        )
        store.rollback_upload(engine, last)
        line(
            "read_observations (after rollback)",
            best_of(3, lambda: store.read_observations(engine)),
            len(frame),
            baseline,
            1.0,
        )
        engine.dispose()


if __name__ == "__main__":
    main()
