"""Helpers of tests that need a service: a browser, a running app, a database server."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from hqd.settings import ROOT

ARTIFACTS = ROOT / "tests" / "artifacts"


def unavailable(what: str, variable: str) -> None:
    """Skip a test whose service is missing, or fail when CI says it must be there."""
    message = f"{what} not available"
    if os.environ.get(variable):
        pytest.fail(f"{message}, but {variable} is set")
    pytest.skip(message)


def free_port() -> int:
    """Return a TCP port free on this machine."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(database_url: str, log: Path, script: Path = ROOT / "dashboard.py") -> tuple[subprocess.Popen, str]:
    """Start `streamlit run` of the app (or another script) on a database; return process and URL."""
    port = free_port()
    env = {**os.environ, "HQD_DATABASE_URL": database_url}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(script),
            "--server.headless=true",
            f"--server.port={port}",
            "--server.address=127.0.0.1",
            "--browser.gatherUsageStats=false",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return process, url
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"streamlit did not start; see {log}")


def save_screenshot(page, name: str, height: int | None = None) -> Path:
    """Save a screenshot under tests/artifacts/ and return its path.

    Streamlit scrolls inside its own container, so a whole page needs a viewport as tall as it.
    """
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    if height:
        width = page.viewport_size["width"]
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(800)
    page.screenshot(path=str(path))
    return path


def go_to(at: AppTest, url_path: str) -> AppTest:
    """Switch to the registered page with this URL path and rerun.

    switch_page() matches script files, and every programme shares one script, so the page is
    found by its URL path among the pages st.navigation registered (AppTest's own registry).
    """
    # The default page is registered with an empty URL path.
    wanted = {url_path, ""} if url_path == "overview" else {url_path}
    hashes = [h for h, info in at._registered_pages.items() if info.get("url_pathname") in wanted]
    assert hashes, f"no page at /{url_path}"
    at._page_hash = hashes[0]
    return at.run()


def clear_streamlit_caches() -> None:
    """Empty st.cache_data and st.cache_resource, so the next run opens the current database."""
    from streamlit.runtime.caching import cache_data_api, cache_resource_api

    cache_data_api.get_data_cache_stats_provider().clear_all()
    cache_resource_api.get_resource_cache_stats_provider().clear_all()


def infos(at: AppTest) -> str:
    """Return the text of every st.info on the page, for asserting on one without counting banners."""
    return " ".join(element.value for element in at.info)


def plain(text: str) -> str:
    """Return markdown source as the reader sees it: backslash escapes removed."""
    return re.sub(r"\\(.)", r"\1", text)
