"""Benchmark: server-side rerun time of the leaders' pages, and time to a rendered overview.

Run: python bench/pages.py [--scale 100] [--runs 7]
Measures, each against a baseline taken in the same run:
  warm rerun (AppTest) of the overview and a programme page (on the sample: 2026 to October, judged
  against 序时进度; scaled: the sample's years), and the rerun after a filter
  change on the explorer, on the sample data and on a database with --scale times the
  observations (as many times the indicators, same years)
  vs a minimal Streamlit page (a title and a 300-row table) rerun the same way;
  navigation to a fully rendered overview in Chromium vs the same minimal page.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from streamlit.testing.v1 import AppTest  # noqa: E402

from hqd import store  # noqa: E402
from hqd.bootstrap import open_database  # noqa: E402
from hqd.catalog import Catalog, read_catalog  # noqa: E402
from hqd.sample import generate_sample  # noqa: E402

MINIMAL = """
import pandas as pd
import streamlit as st
st.title("baseline")
st.dataframe(pd.DataFrame({"a": range(300), "b": [str(i) for i in range(300)]}))
"""


def scaled_catalog(catalog: Catalog, scale: int) -> Catalog:
    """Return the catalog with every indicator copied `scale` times under new codes."""
    copies = pd.concat(
        [catalog.indicators.assign(code=catalog.indicators["code"] + f"_{i:03d}") for i in range(scale)],
        ignore_index=True,
    )
    return Catalog(catalog.periods, catalog.programmes, catalog.tasks, copies)


def make_database(folder: Path, scale: int) -> str:
    """Return the URL of a database with the sample data, or `scale` times its observations."""
    url = f"sqlite:///{folder / f'x{scale}.db'}"
    if scale == 1:
        open_database(url).dispose()
        return url
    engine = store.connect(url)
    catalog = scaled_catalog(read_catalog(), scale)
    store.commit_upload(engine, "scaled", None, "bench", catalog=catalog)
    store.commit_upload(engine, "scaled.xlsx", b"scaled", "bench", frame=generate_sample(catalog))
    engine.dispose()
    return url


def rerun_seconds(script: Path, runs: int, url_path: str | None = None, change=None) -> float:
    """Return the median time of warm reruns of a page under AppTest.

    With `change` (called with the AppTest and the run number before each run), each run is
    the rerun that follows a user's change, e.g. a new filter.
    """
    from support import clear_streamlit_caches, go_to

    clear_streamlit_caches()
    at = AppTest.from_file(str(script), default_timeout=300).run()
    if url_path:
        go_to(at, url_path)
    at.run()
    assert not at.exception, at.exception
    times = []
    for run in range(runs):
        if change:
            change(at, run)
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
    assert not at.exception, at.exception
    return statistics.median(times)


def switch_programme_filter(at: AppTest, run: int) -> None:
    """Alternate the explorer's programme filter between two programmes and none."""
    at.multiselect(key="programme").set_value([["TAL"], ["INN", "IND"], []][run % 3])


def browser_seconds(url: str, ready: list[str], runs: int) -> float:
    """Return the median time from navigation until every `ready` locator is visible, in Chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        page = browser.new_page(viewport={"width": 1440, "height": 3000})
        times = []
        for _ in range(runs + 1):
            start = time.perf_counter()
            page.goto(url)
            for selector in ready:
                page.locator(selector).last.wait_for(timeout=60_000)
            times.append(time.perf_counter() - start)
        browser.close()
    return statistics.median(times[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        minimal = folder / "minimal.py"
        minimal.write_text(MINIMAL)
        floor = rerun_seconds(minimal, args.runs)
        print(f"{'baseline: minimal page rerun':<44}{floor:8.3f} s")
        for scale, goal in ((1, 0.3), (args.scale, 1.0)):
            os.environ["HQD_DATABASE_URL"] = make_database(folder, scale)
            observations = len(store.read_observations(store.connect()))
            pages = (
                ("overview", None, None, goal),
                ("programme page", "programme", None, goal),
                ("explorer filter change", "explorer", switch_programme_filter, 0.5),
            )
            for label, url_path, change, limit in pages:
                seconds = rerun_seconds(ROOT / "dashboard.py", args.runs, url_path, change)
                verdict = "met" if seconds < limit else "MISSED"
                print(
                    f"{label + f' ×{scale} ({observations:,} obs)':<44}{seconds:8.3f} s  "
                    f"{seconds / floor:6.1f}× baseline  goal < {limit:g} s: {verdict}"
                )

        from support import start_app

        os.environ["HQD_DATABASE_URL"] = make_database(folder, 1)
        app, url = start_app(os.environ["HQD_DATABASE_URL"], folder / "app.log")
        floor_app, floor_url = start_app(os.environ["HQD_DATABASE_URL"], folder / "floor.log", script=minimal)
        try:
            floor = browser_seconds(floor_url, ["h1:has-text('baseline')", "[data-testid=stDataFrame]"], args.runs)
            # Fully rendered: the sample's year under way (2026 to October), both charts drawn and the
            # behind-schedule table there.
            ready = ["h3:has-text('低于序时进度的指标')", ".js-plotly-plot >> nth=1", "[data-testid=stDataFrame]"]
            seconds = browser_seconds(url, ready, args.runs)
            print(f"{'browser: minimal page rendered':<44}{floor:8.3f} s")
            print(f"{'browser: overview rendered (sample)':<44}{seconds:8.3f} s  {seconds / floor:6.1f}× baseline")
        finally:
            app.terminate()
            floor_app.terminate()


if __name__ == "__main__":
    main()
