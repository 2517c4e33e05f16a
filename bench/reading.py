"""Benchmark: what reading an upload costs, and what hostile files cost the reading process and the server.

Run: python bench/reading.py [--runs 5] [--no-hostile]
  round trip   hqd.workbook.read_sheets and hqd.imports.prepare_import of a filled-in template
               (60 rows × 20 columns) as .xlsx, .xls and .csv, best of --runs;
  start-up     `python -c` importing what the zygote imports (hqd.reading), best of --runs, and a
               one-line CSV read by a forked reading process, against that start (the baseline:
               what each file cost before the zygote) and the same read in this process;
  hostile      each hostile file of the tests (tests/factories.py): result, wall time, peak memory
               of a reading process (its VmHWM) and growth of this process's resident memory.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import factories  # noqa: E402
import python_calamine  # noqa: E402
from factories import HOSTILE_ROWS, SMALL_INDICATORS, make_catalog, make_csv, make_workbook, make_xls  # noqa: E402

from hqd import store  # noqa: E402
from hqd.imports import prepare_import  # noqa: E402
from hqd.reading import read_cells  # noqa: E402
from hqd.workbook import WorkbookError, read_limits, read_sheets  # noqa: E402

CHILD_ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}


def best_of(runs: int, work) -> float:
    """Return the fastest of several timed runs, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def resident() -> int:
    """Return this process's resident memory in bytes."""
    with open("/proc/self/status") as status:
        return int(next(line for line in status if line.startswith("VmRSS:")).split()[1]) * 1024


def template_rows() -> list[list]:
    """Return a filled-in template's rows: 60 indicators, ten years, notes (60 rows × 20 columns)."""
    header = ["指标编码", "工程", "任务", "指标名称", "单位", "方向", "基期年", "基期值", "目标年", "目标值"]
    header += [str(y) for y in range(2016, 2026)]
    rows = [header]
    for i in range(60):
        code = SMALL_INDICATORS[i % len(SMALL_INDICATORS)]["code"]
        rows.append(
            [code, "工程A", "任务", f"指标{code}", "个", "正向", 2020, 100, 2025, 200, *[None] * 4, *range(100, 106)]
        )
    return rows


def round_trip(runs: int) -> None:
    rows = template_rows()
    files = {
        "template.xlsx": make_workbook({"指标数据": rows}),
        "template.xls": make_xls({"指标数据": rows}),
        "template.csv": make_csv(rows),
    }
    engine = store.connect("sqlite://")
    store.commit_upload(engine, "catalog.csv", None, "bench", catalog=make_catalog(SMALL_INDICATORS))
    for name, content in files.items():
        read = best_of(runs, lambda c=content, n=name: read_sheets(c, n))
        check = best_of(runs, lambda c=content, n=name: prepare_import(engine, c, n, today=date(2026, 1, 1)))
        print(f"{name:<16} read_sheets {read * 1000:7.1f} ms   prepare_import {check * 1000:7.1f} ms")
    for module in ("hqd.reading", "hqd.workbook"):
        code = f"import {module}"
        if not (ROOT / (module.replace(".", "/") + ".py")).exists():
            continue
        start = best_of(runs, lambda c=code: subprocess.run([sys.executable, "-c", c], env=CHILD_ENV, check=True))
        print(f"python -c '{code}'{'':<12}{start * 1000:7.1f} ms")
    # The zygote as hqd.reading starts it (isolated, without site), up to its first line of work.
    paths = [str(ROOT), os.path.dirname(os.path.dirname(python_calamine.__file__))]
    zygote = [sys.executable, "-I", "-S", "-c", f"import sys; sys.path[:0] = {paths!r}; import hqd.reading"]
    start = best_of(runs, lambda: subprocess.run(zygote, check=True))
    print(f"{'zygote start (-I -S)':<40}{start * 1000:7.1f} ms")
    empty = best_of(runs, lambda: subprocess.run([sys.executable, "-c", "pass"], env=CHILD_ENV, check=True))
    print(f"python -c 'pass'{'':<24}{empty * 1000:7.1f} ms")
    line = b"a,b\r\n1,2\r\n"
    forked = best_of(runs, lambda: read_sheets(line, "x.csv"))
    here = best_of(runs, lambda: read_cells(line, "x.csv", read_limits()))
    print(f"{'one-line CSV, read in this process':<40}{here * 1000:7.2f} ms")
    print(
        f"{'one-line CSV, by a forked reader':<40}{forked * 1000:7.2f} ms   "
        f"{forked / start:.2f}x a new reading interpreter's start (the baseline: each file's cost before the zygote)"
    )


# A reading process as the warden forks it, reading stdin and reporting its peak memory as it exits.
MEASURED_CHILD = """
import atexit, sys
from hqd.reading import Limits, serve
def report():
    with open("/proc/self/status") as status:
        sys.stderr.write(next(line for line in status if line.startswith("VmHWM:")))
atexit.register(report)
serve(Limits(*map(int, sys.argv[1].split(","))), sys.argv[2], float(sys.argv[3]))
"""


def child_peak(content: bytes, file_name: str) -> str:
    """Return the peak resident memory of the reading process on this file, or how it ended."""
    import hqd.workbook

    limits = ",".join(map(str, read_limits()))
    seconds = str(hqd.workbook.READ_SECONDS)
    command = [sys.executable, "-c", MEASURED_CHILD, limits, file_name, seconds]
    done = subprocess.run(command, input=content, capture_output=True, env={**CHILD_ENV, "RUST_BACKTRACE": "0"})
    if done.returncode == -signal.SIGALRM:
        return "stopped at the time limit"
    for line in done.stderr.decode(errors="replace").splitlines():
        if line.startswith("VmHWM:"):
            return f"{int(line.split()[1]) / 1024:,.0f} MB"
    return f"ended with {done.returncode} (at the memory cap)"


def hostile() -> None:
    import xlwt

    def far_xls() -> bytes:
        import io

        book = xlwt.Workbook()
        sheet = book.add_sheet("数据")
        sheet.write(0, 0, "指标编码")
        sheet.write(65535, 255, 1)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    good = make_workbook({"数据": HOSTILE_ROWS})
    files = {
        "sparse corner A1+XFD1048576 (.xlsx)": (factories.make_sparse_corner_xlsx(), "a.xlsx"),
        "sparse corner A1+XFD30000 (.xlsx)": (factories.make_sparse_corner_xlsx("XFD30000"), "a.xlsx"),
        "ODS rows×columns repeated, 60M cells": (factories.make_repeated_ods(), "a.ods"),
        "zip directory lying about sizes": (factories.make_lying_zip(), "a.xlsx"),
        "zip bomb, 400 MB of zeros": (factories.rewrite_zip(good, {"xl/media/z.bin": b"\0" * (400 * 2**20)}), "a.xlsx"),
        "XXE in a sheet": (factories.make_xml_attack_xlsx("xxe"), "a.xlsx"),
        "billion laughs in a sheet": (factories.make_xml_attack_xlsx("laughs"), "a.xlsx"),
        "encrypted (OLE)": (factories.make_encrypted_ole(), "a.xlsx"),
        "encrypted zip member": (factories.make_encrypted_zip(), "a.xlsx"),
        "truncated .xlsx": (good[: len(good) // 2], "a.xlsx"),
        "text renamed .xlsx": ("不是表格".encode(), "a.xlsx"),
        "NUL-byte CSV": (b"a,b\r\n\0\0,1\r\n", "a.csv"),
        "UTF-16 CSV with BOM": (make_csv(HOSTILE_ROWS, "utf-16"), "a.csv"),
        "CSV field of 140,000 characters": (("a,b\r\n1," + "长" * 140_000 + "\r\n").encode(), "a.csv"),
        "CSV of 6 million commas": (b"," * 6_000_000, "a.csv"),
        "macro-enabled .xlsm": (factories.make_macro_xlsm(), "a.xlsm"),
        "external link": (factories.make_external_link_xlsx(), "a.xlsx"),
        ".xls with a cell at IV65536": (far_xls(), "a.xls"),
    }
    print(f"{'file':<40}{'bytes':>10}  {'result':<10}{'wall':>8}  {'child peak':>12}  {'server RSS +':>12}")
    for label, (content, name) in files.items():
        before, start = resident(), time.perf_counter()
        try:
            read_sheets(content, name)
            outcome = "read"
        except WorkbookError:
            outcome = "refused"
        wall = time.perf_counter() - start
        growth = (resident() - before) / 2**20
        peak = child_peak(content, name)
        print(f"{label:<40}{len(content):>10,}  {outcome:<10}{wall:>7.2f}s  {peak:>12}  {growth:>9.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--no-hostile", action="store_true", help="skip the hostile files (they abort an unfixed reader)"
    )
    args = parser.parse_args()
    round_trip(args.runs)
    if not args.no_hostile:
        print()
        hostile()


if __name__ == "__main__":
    main()
