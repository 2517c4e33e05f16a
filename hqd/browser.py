"""The system's Chromium, driven without a network: Plotly figures to images, an HTML document to PDF; and the
fonts the system has, which a document names first when they are there.

Charts are drawn by the same plotly.js the pages use, through kaleido (its page loads the plotly.js
that ships with the plotly package, never a CDN; MathJax is off, as it would be fetched from one),
in one browser for all the figures of a document. The PDF is Chromium printing the HTML document
itself: its charts are drawn by the inlined plotly.js and printed as vectors, and CSS @page boxes
carry the page numbers and the sample-data mark. A machine without Chromium or kaleido gets a
refusal naming the package to install, never a traceback.
"""

from __future__ import annotations

import asyncio
import functools
import importlib.util
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from hqd.refusal import Refusal
from hqd.settings import BROWSER_SECONDS, chromium_path

# Switches for a browser that asks nothing of the network and keeps no profile (a fresh one each run).
QUIET = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-pdf-header-footer",
)


@functools.cache
def installed_fonts() -> frozenset[str] | None:
    """Return the families of the fonts installed for Chinese (fontconfig), or None where fc-list is missing."""
    if shutil.which("fc-list") is None:
        return None
    try:
        listed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    return frozenset(name.strip() for line in listed.splitlines() for name in line.split(",") if name.strip())


def pick_font(families: tuple[str, ...]) -> str:
    """Return the first of the families installed here; without fontconfig (Windows) the first, the office's own."""
    found = installed_fonts()
    if found is None:
        return families[0]
    return next((f for f in families if f in found), families[-1])


PNG = b"\x89PNG\r\n\x1a\n"


class BrowserMissing(Refusal):
    """Chromium or kaleido is not installed: the code names what to install (bulletin.no_chromium, no_kaleido)."""


def find_chromium() -> str:
    """Return the Chromium to drive; refuse, naming the Debian package, when there is none."""
    path = chromium_path()
    found = shutil.which(path)
    if found is None:
        raise BrowserMissing("bulletin.no_chromium", path=path)
    return found


def missing_tool(images: bool = True) -> BrowserMissing | None:
    """Return what this machine lacks to print a PDF (Chromium), and to draw images (also kaleido), or None."""
    try:
        find_chromium()
    except BrowserMissing as missing:
        return missing
    return BrowserMissing("bulletin.no_kaleido") if images and not importlib.util.find_spec("kaleido") else None


async def _draw(figures: list[dict], width: int, scale: float, path: str) -> list[bytes]:
    import kaleido

    async with kaleido.Kaleido(mathjax=False, path=path, timeout=BROWSER_SECONDS) as browser:
        return [
            await browser.calc_fig(figure, opts={"format": "png", "width": width, "scale": scale}) for figure in figures
        ]


def draw_figures(figures: list[dict], width: int = 900, scale: float = 2.0) -> list[bytes]:
    """Return each Plotly figure (as a dict) drawn as a PNG `width` pixels wide times `scale`, in one browser."""
    if not figures:
        return []
    path = find_chromium()
    if importlib.util.find_spec("kaleido") is None:
        raise BrowserMissing("bulletin.no_kaleido")
    # Its own thread and event loop: the caller may already run one (Streamlit's, a test's).
    with ThreadPoolExecutor(max_workers=1) as pool:
        drawn = pool.submit(asyncio.run, _draw(figures, width, scale, path)).result()
    # kaleido hands back what the page gave when a drawing fails: anything but a PNG is refused, not embedded.
    if not all(isinstance(png, bytes) and png.startswith(PNG) for png in drawn):
        raise Refusal("bulletin.draw_failed")
    return drawn


def print_pdf(html: str) -> bytes:
    """Return an HTML document printed to PDF by Chromium, after its scripts (the charts) have run."""
    path = find_chromium()
    with tempfile.TemporaryDirectory(prefix="hqd-print-") as folder:
        page, out = Path(folder) / "bulletin.html", Path(folder) / "bulletin.pdf"
        page.write_text(html, encoding="utf-8")
        command = [
            path,
            *QUIET,
            f"--user-data-dir={Path(folder) / 'profile'}",
            # Virtual time runs the page's scripts and timers to the end before printing, not a guessed wait.
            "--virtual-time-budget=20000",
            f"--print-to-pdf={out}",
            page.as_uri(),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=BROWSER_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            raise Refusal("bulletin.print_timeout", seconds=BROWSER_SECONDS) from None
        if not out.exists() or out.stat().st_size == 0:
            raise Refusal("bulletin.print_failed")
        return out.read_bytes()
