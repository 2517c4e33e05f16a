"""Benchmark: server memory per browser session, page by page, on a database of --scale times the sample.

Run: python bench/sessions.py [--scale 100] [--sessions 30] [--baseline-root DIR]
For each page (overview, explorer, a programme page) it starts `streamlit run` afresh, opens one browser
session (Chromium via Playwright) and waits until the page is rendered, then opens --sessions more, each
kept open, and prints the server's resident memory (RSS) after the first and after the last, and the
growth per additional session. Goal (issue 15): under 5 MiB per additional session at 100×.
Baseline: the same server with a one-table Streamlit page reading the same observations; with
--baseline-root, also the same pages of another checkout (e.g. an export of main), measured in the same run.
Each session's script runs in its own thread, and glibc gives threads their own malloc arenas, which keep
freed memory: run with MALLOC_ARENA_MAX=2 (as README advises for a server) to measure the app, not the arenas.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench"), str(ROOT / "tests")]

from pages import make_database  # noqa: E402
from support import start_app  # noqa: E402

# The page, its URL path and what shows it is rendered.
PAGES = {
    "overview": ("", [".st-key-overview_attention table", ".st-key-overview_months svg"]),
    "explorer": ("explorer", ["[data-testid=stDataFrame]", ".js-plotly-plot"]),
    "programme": ("innovation", ["[data-testid=stDataFrame]", ".js-plotly-plot"]),
}
# One table of the same observations, read from the same database: what any Streamlit page showing them costs.
ONE_TABLE = """
import streamlit as st
from hqd import store

@st.cache_resource
def observations():
    return store.read_observations(store.connect())

st.title("baseline")
st.dataframe(observations().head(500))
"""


def rss_mib(pid: int) -> float:
    """Return a process's resident memory in MiB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def open_sessions(browser, url: str, ready: list[str], count: int) -> list:
    """Open `count` browser sessions (one context each, so one Streamlit session each) and wait until rendered."""
    pages = []
    for _ in range(count):
        page = browser.new_context(viewport={"width": 1280, "height": 2000}).new_page()
        page.goto(url)
        for selector in ready:
            page.locator(selector).first.wait_for(timeout=300_000)
        pages.append(page)
    return pages


def settle(pid: int) -> float:
    """Return the server's RSS once the sessions' runs are over (it stops changing)."""
    before = rss_mib(pid)
    for _ in range(20):
        time.sleep(1.0)
        now = rss_mib(pid)
        if abs(now - before) < 0.5:
            return now
        before = now
    return before


def measure(browser, script: Path, root: Path, url_path: str, ready: list[str], database: str, folder: Path, n: int):
    """Return RSS (MiB) after one session and after 1 + n, and the growth per additional session."""
    server, url = start_app(database, folder / "server.log", script, root)
    try:
        first = open_sessions(browser, f"{url}/{url_path}", ready, 1)
        one = settle(server.pid)
        more = open_sessions(browser, f"{url}/{url_path}", ready, n)
        many = settle(server.pid)
        for page in first + more:
            page.context.close()
        return one, many, (many - one) / n
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--sessions", type=int, default=30, help="additional sessions after the first")
    parser.add_argument("--pages", nargs="*", default=list(PAGES), choices=list(PAGES))
    parser.add_argument("--baseline-root", type=Path, help="another checkout whose pages to measure the same way")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    arenas = os.environ.get("MALLOC_ARENA_MAX", "glibc's default (8 per core)")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"MALLOC_ARENA_MAX: {arenas}"
    )
    with tempfile.TemporaryDirectory() as name, sync_playwright() as playwright:
        folder = Path(name)
        database = make_database(folder, args.scale)
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        one_table = folder / "one_table.py"
        one_table.write_text(ONE_TABLE)
        sessions = f"{1 + args.sessions} sessions"
        print(f"{'page ×' + str(args.scale):<34}{'1 session':>11}{sessions:>14}{'per extra':>12}")
        runs = [("baseline: one-table page", one_table, ROOT, "", ["[data-testid=stDataFrame]"])]
        for page in args.pages:
            url_path, ready = PAGES[page]
            runs.append((page, ROOT / "dashboard.py", ROOT, url_path, ready))
            if args.baseline_root:
                root = args.baseline_root.resolve()
                runs.append((f"{page} (baseline root)", root / "dashboard.py", root, url_path, ready))
        floor = None
        for label, script, root, url_path, ready in runs:
            one, many, per = measure(browser, script, root, url_path, ready, database, folder, args.sessions)
            floor = per if floor is None else floor
            verdict = "" if floor is per else f"  goal < 5 MiB: {'met' if per < 5 else 'MISSED'}"
            print(f"{label:<34}{one:9.0f} MiB{many:10.0f} MiB{per:8.2f} MiB{verdict}", flush=True)
        browser.close()


if __name__ == "__main__":
    main()
