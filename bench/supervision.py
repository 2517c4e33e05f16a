"""Benchmark: the 督办 list and the departments' scorecard of a month, on the sample and on 10× its indicators.

Run: python bench/supervision.py [--runs 3] [--scale 10]
Prints seconds for reading what supervision reads (store.read_supervision), building the 督办 view
(views.supervision.collect_supervision) and the scorecard (views.departments), each against a baseline measured in
the same run on the same data: the in-year report of the month (hqd.inyear.report_in_year), which every page of a
year under way computes anyway.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pages import best_of, make_database  # the sample scaled, as the page benches use it

from hqd import store
from hqd.bootstrap import open_database
from hqd.inyear import report_in_year
from hqd.views.departments import scorecard_view
from hqd.views.supervision import collect_supervision

YEAR, MONTH, TODAY = 2026, 10, date(2026, 11, 27)


def bench(url: str, runs: int, label: str) -> None:
    engine = store.connect(url)
    catalog, observations = store.load_catalog(engine), store.read_observations(engine)
    period = catalog.period_for_year(YEAR)
    baseline, report = best_of(runs, lambda: report_in_year(catalog, observations, period, YEAR, range(1, MONTH + 1)))
    reading, supervision = best_of(runs, lambda: store.read_supervision(engine))
    listed, seen = best_of(runs, lambda: collect_supervision(report, catalog, supervision, YEAR, MONTH, None, TODAY))
    scored, _ = best_of(runs, lambda: scorecard_view(seen, catalog, "zh"))
    engine.dispose()
    print(f"\n{label}: {len(catalog.targets(period)):,} indicators, {len(seen.items):,} items on the 督办 list")
    print(f"{'baseline: in-year report of the month':<44}{baseline:8.3f} s")
    for name, seconds in (
        ("read_supervision", reading),
        ("督办 view (collect_supervision)", listed),
        ("scorecard view", scored),
    ):
        print(f"{name:<44}{seconds:8.3f} s  {seconds / baseline:6.2f}× baseline")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scale", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'sample.db'}"
        open_database(url).dispose()
        bench(url, args.runs, "sample")
        if args.scale > 1:
            bench(make_database(Path(folder), args.scale), args.runs, f"{args.scale}× the sample's indicators")


if __name__ == "__main__":
    main()
