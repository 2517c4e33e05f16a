"""Benchmark: the monthly bulletin (通报) built as Word, HTML and PDF, on the sample data and on 100× its indicators.

Run: python bench/report.py [--scale 100] [--month 2026-10] [--runs 2]
Prints seconds per format and the ratio to two baselines measured in the same run:
  Word, HTML  vs  pandas writing the bulletin's annex (every indicator) as an HTML table: the least any
                  writer of the document must do;
  PDF, images vs  Chromium started headless to print an empty page: the least any document drawn by the
                  browser costs (its start), whatever it holds.
Goals (issue 14, on 2 cores): Word and HTML under 5 s, PDF under 15 s. Word includes drawing its charts
(one browser per process, kept: the first document also waits for its start); "building" is the document as
data (hqd.bulletin) from the stored data.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pages import best_of, make_database  # the sample, or `scale` times its indicators, as every page bench uses

from hqd import store
from hqd.browser import print_pdf
from hqd.bulletin_docx import draw_chart_images, write_docx
from hqd.bulletin_html import write_html, write_pdf
from hqd.inyear import report_in_year
from hqd.tables import in_year_table
from hqd.views.bulletin import make_bulletin


def line(name: str, seconds: float, baseline: float | None = None, goal: float | None = None) -> None:
    ratio = f"{seconds / baseline:7.1f}× baseline" if baseline else " " * 17
    target = f"goal < {goal:g} s: {'met' if seconds < goal else 'MISSED'}" if goal else ""
    print(f"{name:<40}{seconds:8.2f} s  {ratio}  {target}")


def bench(url: str, year: int, month: int, runs: int, label: str) -> None:
    engine = store.connect(url)
    catalog, observations, sample = (
        store.load_catalog(engine),
        store.read_observations(engine),
        store.has_sample(engine),
    )
    engine.dispose()
    period = catalog.period_for_year(year)
    seconds, bulletin = best_of(
        runs, lambda: make_bulletin(catalog, observations, period, year, month, sample=sample, issued=date.today())
    )
    annex = bulletin.sections[-1].blocks[0]
    print(
        f"\n{label}: {len(catalog.targets(period)):,} indicators, {len(annex.rows):,} judged, "
        f"{len(bulletin.charts)} charts"
    )
    # The annex's rows as the app's in-year table shows them.
    table = in_year_table(report_in_year(catalog, observations, period, year, month).indicators, catalog, "zh")
    html_baseline, _ = best_of(runs, lambda: table.to_html())
    browser_baseline, _ = best_of(runs, lambda: print_pdf("<!DOCTYPE html><html><body></body></html>"))
    line("baseline: pandas to_html of the annex", html_baseline)
    line("baseline: Chromium prints an empty page", browser_baseline)
    line("document as data (hqd.bulletin)", seconds, html_baseline)
    first, _ = best_of(1, lambda: draw_chart_images(bulletin))
    line("  chart images, first (browser starts)", first, browser_baseline)
    images, drawn = best_of(runs, lambda: draw_chart_images(bulletin))
    line("  chart images (kaleido's browser kept)", images, browser_baseline)
    docx, _ = best_of(runs, lambda: write_docx(bulletin, drawn))
    line("  .docx from them (python-docx)", docx, html_baseline)
    line("Word: data + images + .docx", seconds + images + docx, html_baseline, 5.0)
    html, _ = best_of(runs, lambda: write_html(bulletin))
    line("HTML: data + page", seconds + html, html_baseline, 5.0)
    pdf, _ = best_of(runs, lambda: write_pdf(bulletin))
    line("PDF: data + Chromium printing the HTML", seconds + pdf, browser_baseline, 15.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--month", default="2026-10")
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    year, month = (int(part) for part in args.month.split("-"))
    with tempfile.TemporaryDirectory() as folder:
        bench(make_database(Path(folder), 1), year, month, args.runs, "sample data")
        bench(make_database(Path(folder), args.scale), year, month, args.runs, f"{args.scale}× the indicators")


if __name__ == "__main__":
    main()
