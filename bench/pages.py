"""Benchmark: server-side run time of the leaders' pages as the data grow, and time to a rendered overview.

Run: python bench/pages.py [--scales 1 10 100 1000] [--runs 5] [--no-browser]
Measures, each against a baseline taken in the same run, on databases of 1×, 10×, 100× and 1000× the
sample's indicators (1000×: 52,000 indicators a period, over Streamlit's styling limit):
  first view   the first run after a commit of 500 corrected figures (every cache keyed by the data
               version misses): read what changed, compute the report, render;
  warm rerun   the same page run again (AppTest), and on the explorer the rerun after a filter change;
  vs a one-table Streamlit page that reads the same observations and shows them (cached the same way),
  run the same way; then a growth table (each scale's time over 1×'s) to show nothing grows worse than
  linearly; and a new visitor's wait for the rendered overview in Chromium, cold (the server just started)
  and warm (a later visitor), against a one-line Streamlit app measured the same way (goal: under 2×), and
  that app with one small Plotly chart (Plotly's script alone, which any page with a chart waits for).
With --keep DIR the scaled databases are built once in DIR and reused by later runs.
Goals (issue 15): at 1000×, warm under 1 s and first view under 2 s. First of all, `python -m hqd --help`
against `python -c pass` (goal: under 0.5 s).
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from streamlit.testing.v1 import AppTest  # noqa: E402

from hqd import store  # noqa: E402
from hqd.bootstrap import open_database  # noqa: E402
from hqd.catalog import Catalog, read_catalog  # noqa: E402
from hqd.sample import sample_figures  # noqa: E402
from hqd.store.schema import observations  # noqa: E402

# The smallest Streamlit app: what any page costs a new visitor.
ONE_LINE = """
import streamlit as st
st.write("baseline")
"""
# The one-line app and one small Plotly chart: what Plotly's own script (4.7 MB, which the browser loads and runs
# when a page's first chart arrives) costs any page that draws with it.
ONE_PLOT = """
import plotly.graph_objects as go
import streamlit as st
st.write("baseline")
st.plotly_chart(go.Figure(go.Bar(x=["a", "b"], y=[1, 2])))
"""
# One table of the same observations from the same database, cached by the data version as the pages are.
ONE_TABLE = """
import streamlit as st
from hqd import store

@st.cache_resource
def engine():
    return store.connect()

@st.cache_resource(max_entries=2)
def observations(version):
    return store.read_observations(engine())

st.title("baseline")
st.dataframe(observations(store.data_version(engine())).head(500))
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
    # The annual figures and the months and quarters the reporting rhythm brings, as the sample has them.
    store.commit_upload(engine, "scaled.xlsx", b"scaled", "bench", frame=sample_figures(catalog))
    engine.dispose()
    return url


def scaled_database(folder: Path, scale: int) -> str:
    """Return the URL of the database of `scale` times the sample in a folder, made unless it is there already (at
    1000× making it takes minutes)."""
    path = folder / f"x{scale}.db"
    if path.exists() and not path.with_name(path.name + ".building").exists():
        return f"sqlite:///{path}"
    marker = path.with_name(path.name + ".building")
    path.unlink(missing_ok=True)
    marker.touch()
    url = make_database(folder, scale)
    marker.unlink()
    return url


def make_history_database(folder: Path, count: int) -> str:
    """Return the URL of a database with the sample data and `count` more small uploads (one value each)."""
    url = f"sqlite:///{folder / f'history{count}.db'}"
    engine = open_database(url)
    from factories import make_observations

    codes = store.load_catalog(engine).indicators["code"]
    for i in range(count):
        frame = make_observations([(codes.iloc[i % len(codes)], 2021, float(i))])
        store.commit_upload(engine, f"fix{i}.xlsx", f"fix{i}".encode(), "bench", frame=frame)
    engine.dispose()
    return url


def commit_a_correction() -> None:
    """Commit a department's corrections, as another process (or replica) would: 500 of the latest figures, each
    1 % higher. Every cache keyed by the data version misses, and the figures in effect change."""
    engine = store.connect()
    latest = (
        sa.select(observations.c.indicator, observations.c.year, observations.c.month, observations.c.value)
        .order_by(observations.c.upload_id.desc(), observations.c.year.desc(), observations.c.month.desc())
        .limit(500)
    )
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(latest).all(), columns=["indicator", "year", "month", "value"])
    frame = frame.drop_duplicates(["indicator", "year", "month"]).assign(value=lambda f: f["value"] * 1.01, note=None)
    stamp = time.time_ns()
    store.commit_upload(engine, f"correction{stamp}.xlsx", str(stamp).encode(), "bench", frame=frame)
    engine.dispose()


def best_of(runs: int, work) -> tuple[float, object]:
    """Return the fastest of several timed runs, in seconds, and what the last one returned."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), result


def run_seconds(script: Path, runs: int, url_path: str | None = None, change=None) -> tuple[float, float]:
    """Return the first view's time after a commit and the median of warm reruns, under AppTest.

    With `change` (called with the AppTest and the run number before each run), each warm run is
    the rerun that follows a user's change, e.g. a new filter.
    """
    from support import clear_streamlit_caches, go_to

    clear_streamlit_caches()
    at = AppTest.from_file(str(script), default_timeout=600).run()
    if url_path:
        go_to(at, url_path)
    # A commit, as another process (or replica) makes it: the next run reads the new figures and computes
    # everything keyed by the data version again, in a process whose engine and stored catalog versions are warm.
    commit_a_correction()
    start = time.perf_counter()
    at.run()
    first = time.perf_counter() - start
    assert not at.exception, at.exception
    times = []
    for run in range(runs):
        if change:
            change(at, run)
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
    assert not at.exception, at.exception
    return first, statistics.median(times)


def switch_programme_filter(at: AppTest, run: int) -> None:
    """Alternate the explorer's programme filter between two programmes and none."""
    at.multiselect(key="programme").set_value([["TAL"], ["INN", "IND"], []][run % 3])


def launch_chromium(playwright):
    """Return Chromium as the browser benches run it."""
    return playwright.chromium.launch(
        executable_path="/usr/bin/chromium",
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
    )


def visit_seconds(browser, url: str, ready: list[str]) -> float:
    """Return the time a new visitor (own browser context: no cached files, a new session) waits from navigation
    until every `ready` locator is visible."""
    context = browser.new_context(viewport={"width": 1440, "height": 3000})
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url)
    for selector in ready:
        page.locator(selector).last.wait_for(timeout=120_000)
    seconds = time.perf_counter() - start
    context.close()
    return seconds


def serve(script: Path, database_url: str, log: Path) -> tuple[subprocess.Popen, str, float]:
    """Start `streamlit run` of a script; return the process, its URL and when it was started (perf_counter)."""
    from support import start_app

    started = time.perf_counter()
    return (*start_app(database_url, log, script), started)


def visitor_apps(folder: Path) -> dict[str, tuple[Path, list[str]]]:
    """Return the apps a new visitor's wait is measured on, each script (written into `folder`) with the locators
    that say its page is drawn: the one-line app, it with one small Plotly chart, and the overview (the sample: its
    year under way, 2026 to October, both its charts, the cards' sparklines and the behind-schedule table drawn)."""
    (folder / "one_line.py").write_text(ONE_LINE)
    (folder / "one_plot.py").write_text(ONE_PLOT)
    return {
        "one-line app": (folder / "one_line.py", ["text=baseline"]),
        "with one Plotly chart": (folder / "one_plot.py", ["text=baseline", ".js-plotly-plot"]),
        "overview": (
            ROOT / "dashboard.py",
            [
                "h3:has-text('低于序时进度的指标')",
                ".st-key-overview_scores svg",
                ".st-key-overview_months svg",
                ".st-key-overview_attention table",
                # The programme cards' sparklines: each card is whole once its own is drawn.
                "svg.sparkline",
            ],
        ),
    }


def visitors_seconds(
    browser, apps: dict[str, tuple[Path, list[str]]], database_url: str, folder: Path, visitors: int
) -> dict[str, tuple[float, float]]:
    """Return each app's new visitor's wait, cold (from the server's start until the first visitor's page is
    rendered: the process starts, imports, reads and computes everything) and warm (later new visitors), each the
    median of `visitors` runs. The apps take turns, cold and warm, so that on a shared machine each meets the same
    load; each cold run is a server of its own, stopped after its first visitor."""
    cold: dict[str, list[float]] = {name: [] for name in apps}
    for _ in range(visitors):
        for name, (script, ready) in apps.items():
            process, url, started = serve(script, database_url, folder / f"{name}.log")
            try:
                visit_seconds(browser, url, ready)
                cold[name].append(time.perf_counter() - started)
            finally:
                process.terminate()
                process.wait()
    running = {}
    try:
        for name, (script, ready) in apps.items():
            running[name] = serve(script, database_url, folder / f"{name}.log")[:2]
            visit_seconds(browser, running[name][1], ready)
        warm: dict[str, list[float]] = {name: [] for name in apps}
        for _ in range(visitors):
            for name, (_, ready) in apps.items():
                warm[name].append(visit_seconds(browser, running[name][1], ready))
    finally:
        for process, _ in running.values():
            process.terminate()
            process.wait()
    return {name: (statistics.median(cold[name]), statistics.median(warm[name])) for name in apps}


def start_seconds(command: list[str], runs: int = 9) -> float:
    """Return the median wall time of a process from start to exit."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100, 1000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--uploads", type=int, default=1000, help="uploads in the history page's database")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--no-pages", action="store_true", help="only the start and the browser's new visitors")
    parser.add_argument("--keep", type=Path, help="build the scaled databases in this folder and reuse them later")
    args = parser.parse_args()

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    bare = start_seconds([sys.executable, "-c", "pass"])
    cli = start_seconds([sys.executable, "-m", "hqd", "--help"])
    verdict = "met" if cli < 0.5 else "MISSED"
    print(f"baseline: python -c pass {bare:.3f} s")
    print(f"python -m hqd --help {cli:.3f} s ({cli / bare:.1f}× baseline), goal < 0.5 s: {verdict}")
    pages = (
        ("overview", None, None),
        ("programme page", "programme", None),
        ("explorer filter change", "explorer", switch_programme_filter),
    )
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        one_table = folder / "one_table.py"
        one_table.write_text(ONE_TABLE)
        growth: dict[str, dict[int, float]] = {}
        for scale in [] if args.no_pages else args.scales:
            os.environ["HQD_DATABASE_URL"] = scaled_database(args.keep or folder, scale)
            engine = store.connect()
            observations = len(store.read_observations(engine))
            indicators = store.load_catalog(engine).indicators["code"].nunique()
            engine.dispose()
            print(f"×{scale}: {indicators:,} indicators, {observations:,} observations")
            floor_first, floor = run_seconds(one_table, args.runs)
            print(f"  {'baseline: one-table page':<34}first {floor_first:7.3f} s   warm {floor:7.3f} s")
            for label, url_path, change in pages:
                first, warm = run_seconds(ROOT / "dashboard.py", args.runs, url_path, change)
                growth.setdefault(label, {})[scale] = warm
                verdict = ""
                if scale >= 1000:
                    met = warm < 1.0 and first < 2.0
                    verdict = f"  goal warm < 1 s, first < 2 s: {'met' if met else 'MISSED'}"
                print(
                    f"  {label:<34}first {first:7.3f} s ({first / floor_first:5.1f}×)   "
                    f"warm {warm:7.3f} s ({warm / floor:5.1f}× baseline){verdict}",
                    flush=True,
                )
        # The upload history as uploads accumulate: what it shows is read once per data version.
        for count in () if args.no_pages else (0, args.uploads):
            os.environ["HQD_DATABASE_URL"] = make_history_database(folder, count)
            first, warm = run_seconds(ROOT / "dashboard.py", args.runs, "history")
            label = f"history, sample + {count:,} uploads"
            print(f"  {label:<34}first {first:7.3f} s   warm {warm:7.3f} s", flush=True)
        if growth:
            print("growth of warm reruns (time at each scale / time at the smallest):")
            print(f"  {'page':<34}" + "".join(f"{'×' + str(s):>9}" for s in args.scales))
            for label, times in growth.items():
                base = times[args.scales[0]]
                print(f"  {label:<34}" + "".join(f"{times[s] / base:9.1f}" for s in args.scales))
        if args.no_browser:
            return

        from playwright.sync_api import sync_playwright

        # A new visitor's overview (the sample: its year under way, 2026 to October, both charts drawn and the
        # behind-schedule table there) against a one-line Streamlit app on the same machine, cold and warm; and
        # the one-line app with one small Plotly chart, what drawing with Plotly costs any page.
        url = make_database(folder, 1)
        apps = visitor_apps(folder)
        # The app's modules byte-compiled, as any start after the first finds them (Python writes them then, unless
        # told not to, as PYTHONDONTWRITEBYTECODE does on some machines); the libraries' came with pip.
        compileall.compile_dir(ROOT / "hqd", quiet=1)
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            seconds = visitors_seconds(browser, apps, url, folder, args.runs)
            browser.close()
        print(
            "browser, a new visitor (own context and session), Chromium, the app's modules byte-compiled; "
            "baseline: a one-line Streamlit app; median of --runs each"
        )
        for at, case in (("cold (server just started)", 0), ("warm (a later visitor)", 1)):
            base, plot, mine = (seconds[name][case] for name in apps)
            verdict = "met" if mine < 2 * base else "MISSED"
            print(
                f"  {at:<30} one-line app {base:6.3f} s   with one Plotly chart {plot:6.3f} s ({plot / base:3.1f}×)   "
                f"overview {mine:6.3f} s   {mine / base:4.1f}× (goal < 2×: {verdict})"
            )


if __name__ == "__main__":
    main()
