"""Helpers of tests that need a service: a browser, a running app, a database server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

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


def start_app(database_url: str, log: Path) -> tuple[subprocess.Popen, str]:
    """Start `streamlit run dashboard.py` against a database; return the process and its URL."""
    port = free_port()
    env = {**os.environ, "HQD_DATABASE_URL": database_url}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "dashboard.py",
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


def save_screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under tests/artifacts/ and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
