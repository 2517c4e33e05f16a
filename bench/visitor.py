"""Benchmark: where a new visitor's wait for the overview goes, against the one-line app and one Plotly chart.

Run: python bench/visitor.py [--runs 5]
Serves the sample database three ways, as bench/pages.py does (the one-line app, the same with one small Plotly
chart, the overview), and sends new visitors (own browser context: no cached files, a new session) to each in
turn, so that on a shared machine all three meet the same load. For each it prints the medians of:
  wait         from navigation until the page is rendered (the overview: charts, sparklines, behind-schedule table);
  server CPU   the app process's CPU time for the visitor (the script's run, the websocket, the static files);
  browser CPU  Chromium's (every process of the visitor's browser: network, renderer, GPU);
  main thread  the renderer's busy time, and of it the longest script evaluation (with a chart: Plotly's chunk);
  scripts      JavaScript and CSS the browser loaded, and the websocket's messages from the server.
On a loaded machine compare the CPU times: the waits stretch with other work, the CPU times far less.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "bench")]

from pages import launch_chromium, make_database, visitor_apps  # noqa: E402
from support import start_app  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: list[int]) -> float:
    """Return the CPU time (user and system) the processes have used so far; one that has ended counts nothing."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / TICKS
    return total


def browser_pids() -> list[int]:
    """Return the Chromium processes this process started (a closed context's renderer is gone, so each visit's
    CPU is read before its context closes)."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                parents[int(entry)] = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (FileNotFoundError, ProcessLookupError):
                continue
    mine, found = os.getpid(), []
    for pid in parents:
        ancestor = parents[pid]
        while ancestor > 1 and ancestor != mine:
            ancestor = parents.get(ancestor, 0)
        if ancestor == mine and b"chrom" in Path(f"/proc/{pid}/cmdline").read_bytes():
            found.append(pid)
    return found


def main_thread(trace: dict) -> tuple[float, float]:
    """Return the renderer main thread's busy time and its longest script evaluation, in seconds, from a trace."""
    events = trace["traceEvents"]
    names = {(e["pid"], e["tid"]): e["args"]["name"] for e in events if e.get("name") == "thread_name"}
    tasks: dict[tuple[int, int], list[dict]] = {}
    for event in events:
        thread = (event["pid"], event["tid"])
        if event.get("ph") == "X" and names.get(thread) == "CrRendererMain":
            tasks.setdefault(thread, []).append(event)
    # The visited page's renderer: the main thread that did the most.
    main = max(tasks, key=lambda thread: len(tasks[thread]))
    busy = sum(e["dur"] for e in tasks[main] if e["name"] == "RunTask")
    longest = max((e["dur"] for e in tasks[main] if e["name"] in ("v8.evaluateModule", "EvaluateScript")), default=0)
    return busy / 1e6, longest / 1e6


def visit(browser, url: str, ready: list[str], server: int, trace: bool) -> dict[str, float]:
    """Return what one new visitor costs: wait, server and browser CPU, main thread, bytes loaded."""
    context = browser.new_context(viewport={"width": 1440, "height": 3000})
    page = context.new_page()
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    received = []
    session.on("Network.webSocketFrameReceived", lambda e: received.append(len(e["response"]["payloadData"])))
    before = browser_pids()
    server_start, browser_start = cpu_seconds([server]), cpu_seconds(before)
    if trace:
        categories = ["devtools.timeline", "disabled-by-default-devtools.timeline", "v8.execute"]
        browser.start_tracing(page=page, categories=categories)
    start = time.perf_counter()
    page.goto(url)
    for selector in ready:
        page.locator(selector).last.wait_for(timeout=120_000)
    wait = time.perf_counter() - start
    busy, longest = main_thread(json.loads(browser.stop_tracing())) if trace else (float("nan"), float("nan"))
    scripts = page.evaluate(
        "performance.getEntriesByType('resource').filter(r => /\\.(js|css)$/.test(r.name))"
        ".reduce((sum, r) => sum + r.encodedBodySize, 0)"
    )
    result = {
        "wait": wait,
        "server CPU": cpu_seconds([server]) - server_start,
        # Processes started for this visit (its renderer) count from zero.
        "browser CPU": cpu_seconds(sorted(set(before) | set(browser_pids()))) - browser_start,
        "main thread": busy,
        "longest script": longest,
        "scripts MB": scripts / 1e6,
        # Binary frames come base64-encoded: three bytes in four characters.
        "websocket kB": sum(received) * 3 / 4 / 1e3,
    }
    context.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        url = make_database(folder, 1)
        apps = visitor_apps(folder)
        running = {}
        measured: dict[str, list[dict[str, float]]] = {app: [] for app in apps}
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            try:
                for app, (script, ready) in apps.items():
                    running[app] = start_app(url, folder / f"{len(running)}.log", script)
                    visit(browser, running[app][1], ready, running[app][0].pid, trace=False)  # the cold one
                for run in range(args.runs):
                    for app, (_, ready) in apps.items():
                        process, address = running[app]
                        # Tracing slows the page a little: only every other visit is traced.
                        measured[app].append(visit(browser, address, ready, process.pid, trace=run % 2 == 0))
            finally:
                for process, _ in running.values():
                    process.terminate()
                    process.wait()
                browser.close()
    print(f"a new visitor, warm server, Chromium 1440×3000; medians of {args.runs} (main thread: of the traced ones)")
    columns = list(measured["overview"][0])
    print(f"  {'':<22}" + "".join(f"{column:>16}" for column in columns))
    medians = {
        app: {column: statistics.median(v[column] for v in visits if v[column] == v[column]) for column in columns}
        for app, visits in measured.items()
    }
    for app, values in medians.items():
        cells = []
        for column in columns:
            value, base = values[column], medians["one-line app"][column]
            cells.append(f"{value:8.2f} ({value / base:4.1f}×)" if base else f"{value:16.2f}")
        print(f"  {app:<22}" + "".join(f"{cell:>16}" for cell in cells))


if __name__ == "__main__":
    main()
