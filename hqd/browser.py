"""The system's Chromium, driven without a network: Plotly figures to images, an HTML document to PDF; and the
fonts the system has, which a document names first when they are there.

Charts are drawn by the same plotly.js the pages use, through kaleido (its page loads the plotly.js
that ships with the plotly package, never a CDN; MathJax is off, as it would be fetched from one),
in one browser per process, kept between documents, all of a document's figures in one call.
The PDF is Chromium printing the HTML document itself: its charts are drawn by the inlined plotly.js and
printed as vectors, and CSS @page boxes carry the page numbers and the sample-data mark. A machine without
Chromium or kaleido gets a refusal naming the package to install, never a traceback.
"""

from __future__ import annotations

import asyncio
import atexit
import base64
import contextlib
import functools
import importlib.util
import json
import shutil
import subprocess
import tempfile
import threading
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


# Draws every figure of a document in one call to the page, which has plotly.js loaded: Plotly.toImage, as
# kaleido's own calc_fig does, without kaleido reloading the page (and parsing plotly.js again) after each one.
DRAW_ALL = """async (figures, width, scale) => {
  const drawn = [];
  for (const figure of figures) {
    const height = figure.layout.height || 500;
    const image = await Plotly.toImage(
      {data: figure.data, layout: figure.layout, config: {}},
      {format: "png", width: width, height: height, scale: scale, imageDataOnly: true});
    drawn.push(image);
  }
  return drawn;
}"""


class _Drawer:
    """One browser per process for the charts, started on first need (or ahead, by warm_browser) and kept: its
    start and plotly.js's loading are most of a document's drawing time. Its own thread runs its event loop, as
    the caller may already run one (Streamlit's, a test's); documents are drawn one at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._browser = None
        self._path = ""
        self._opening: asyncio.Lock | None = None

    def _submit(self, coroutine):
        if self._loop is None:
            self._loop = asyncio.new_event_loop()
            threading.Thread(target=self._loop.run_forever, name="hqd-browser", daemon=True).start()
            atexit.register(self.close)
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop)

    def _run(self, coroutine, timeout: float | None):
        return self._submit(coroutine).result(timeout)

    async def _open(self, path: str):
        import kaleido

        # On the loop's thread: a drawing that comes while warm_browser's start is under way waits for it.
        self._opening = self._opening or asyncio.Lock()
        async with self._opening:
            if self._browser is not None and self._path == path:
                return self._browser
            await self._close()
            browser = kaleido.Kaleido(mathjax=False, path=path, timeout=BROWSER_SECONDS)
            await browser.open()
            self._browser, self._path = browser, path
            return browser

    async def _close(self) -> None:
        browser, self._browser = self._browser, None
        if browser is not None:
            with contextlib.suppress(Exception):
                await browser.close()

    async def _draw(self, figures: str, width: int, scale: float, path: str) -> list:
        browser = await self._open(path)
        tab = next(iter(browser.tabs.values()))
        expression = f"({DRAW_ALL})({figures}, {width}, {scale})"
        answer = await tab.send_command(
            "Runtime.evaluate", params={"expression": expression, "awaitPromise": True, "returnByValue": True}
        )
        result = answer.get("result", {})
        if "error" in answer or "exceptionDetails" in result:
            return []
        return result.get("result", {}).get("value") or []

    def warm(self, path: str) -> None:
        """Start the browser in the background, so that it is ready when the document's data is."""
        with self._lock:
            if self._browser is None:
                self._submit(self._open(path))

    def draw(self, figures: list[dict], width: int, scale: float, path: str) -> list:
        from plotly.utils import PlotlyJSONEncoder

        data = json.dumps(figures, cls=PlotlyJSONEncoder)
        with self._lock:
            try:
                drawn = self._run(self._draw(data, width, scale, path), BROWSER_SECONDS)
            except Exception:  # a browser that died (or was closed) is started again, once
                self._run(self._close(), BROWSER_SECONDS)
                drawn = self._run(self._draw(data, width, scale, path), BROWSER_SECONDS)
        return [base64.b64decode(png) if isinstance(png, str) else png for png in drawn]

    def close(self) -> None:
        if self._loop is not None and self._loop.is_running():
            with contextlib.suppress(Exception):
                self._run(self._close(), 30)


DRAWER = _Drawer()


def warm_browser() -> None:
    """Start the charts' browser in the background where this machine has it; nothing where it has not."""
    if missing_tool() is None:
        DRAWER.warm(find_chromium())


def draw_figures(figures: list[dict], width: int = 900, scale: float = 2.0) -> list[bytes]:
    """Return each Plotly figure (as a dict) drawn as a PNG `width` pixels wide times `scale`, in one browser."""
    if not figures:
        return []
    path = find_chromium()
    if importlib.util.find_spec("kaleido") is None:
        raise BrowserMissing("bulletin.no_kaleido")
    drawn = DRAWER.draw(figures, width, scale, path)
    # Anything but a PNG for each figure (a drawing that failed) is refused, not embedded.
    if len(drawn) != len(figures) or not all(isinstance(png, bytes) and png.startswith(PNG) for png in drawn):
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
            # No tag tree: for the thousands of rows of a large zone's annex it doubled the printing time and
            # made the file eight times larger.
            "--disable-pdf-tagging",
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
