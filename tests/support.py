"""Helpers of tests that need a service: a browser, a running app, a database server."""

from __future__ import annotations

import io
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from contextlib import closing, redirect_stderr, redirect_stdout
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from factories import TEST_PASSWORD
from streamlit.testing.v1 import AppTest

from hqd import store
from hqd.accounts import hash_password
from hqd.settings import ROOT

ARTIFACTS = ROOT / "tests" / "artifacts"


def unavailable(what: str, variable: str) -> None:
    """Skip a test whose service is missing, or fail when CI says it must be there."""
    message = f"{what} not available"
    if os.environ.get(variable):
        pytest.fail(f"{message}, but {variable} is set")
    pytest.skip(message)


def run_cli(*args: str) -> str:
    """Return what `python -m hqd ARGS`, run in this process, printed; fail on any other exit than 0."""
    from hqd.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    assert code == 0, out.getvalue() + err.getvalue()
    return out.getvalue()


def word_texts(document) -> list[str]:
    """Return every paragraph's and table cell's text of a Word document (python-docx), headers and footers too."""
    found = [p.text for p in document.paragraphs]
    found += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    found += [p.text for s in document.sections for part in (s.header, s.footer) for p in part.paragraphs]
    return found


def free_port() -> int:
    """Return a TCP port free on this machine."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(
    database_url: str, log: Path, script: Path = ROOT / "dashboard.py", root: Path = ROOT
) -> tuple[subprocess.Popen, str]:
    """Start `streamlit run` of the app (or another script) on a database, from a checkout `root` (first on the
    import path); return process and URL once it answers."""
    port = free_port()
    path = os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "HQD_DATABASE_URL": database_url, "PYTHONPATH": path}
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless=true"]
    command += [f"--server.port={port}", "--server.address=127.0.0.1", "--browser.gatherUsageStats=false"]
    process = subprocess.Popen(command, cwd=root, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    # Polled often: the benches time a cold start up to the first page, of which this wait is part.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return process, url
        except OSError:
            time.sleep(0.05)
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


# Every page script of the app, by name ("programme" serves every programme's page).
PAGES = sorted(path.stem for path in (ROOT / "app_pages").glob("*.py"))


def script(page: str) -> str:
    """Return the script of a page, relative to dashboard.py as AppTest.switch_page() takes it."""
    return f"app_pages/{page}.py"


def go_to(at: AppTest, page: str) -> AppTest:
    """Switch to a page (by its script's name) and rerun; it must be in the navigation of the last run."""
    return at.switch_page(script(page)).run()


def visible_pages(at: AppTest) -> set[str]:
    """Return the pages (by their scripts' names) the navigation of the last run offers (call after a run).

    AppTest.switch_page() refuses a page the navigation left out, which is what this asks of each
    page. Switching also points the next run at that page, so this ends on the default page.
    """
    shown = set()
    for page in PAGES:
        try:
            at.switch_page(script(page))
        except ValueError:
            continue
        shown.add(page)
    default = next((page for page in ("overview", "signin") if page in shown), None)
    if default:
        at.switch_page(script(default))
    return shown


def clear_streamlit_caches(resources: bool = True, data: bool = True) -> None:
    """Empty st.cache_data and st.cache_resource (the engine), so the next run reads the current database."""
    from streamlit.runtime.caching import cache_data_api, cache_resource_api

    if data:
        cache_data_api.get_data_cache_stats_provider().clear_all()
    if resources:
        cache_resource_api.get_resource_cache_stats_provider().clear_all()


def infos(at: AppTest) -> str:
    """Return the text of every st.info on the page, for asserting on one without counting banners."""
    return " ".join(element.value for element in at.info)


def plain(text: str) -> str:
    """Return markdown source as the reader sees it: backslash escapes removed."""
    return re.sub(r"\\(.)", r"\1", text)


def copy_sqlite(source: str | Path, target: str | Path) -> None:
    """Copy a SQLite database file: a database built once for many tests is copied, not built again.

    SQLite's backup copies what is committed, also what is still in the write-ahead log of a
    connection left open (the command line's, run in this process, leaves some).
    """
    with closing(sqlite3.connect(source)) as origin, closing(sqlite3.connect(target)) as copy:
        origin.backup(copy)


# The department of the pages' fixture catalog (tests/pages/conftest.py), which its editors report for.
EDITORS_DEPARTMENT = "科技创新局"


def add_accounts(engine, accounts: list[tuple[str, str, bool]]) -> None:
    """Give the database accounts (username, role, disabled) named `<username>名`, all with TEST_PASSWORD.

    Editors belong to EDITORS_DEPARTMENT.
    """
    password_hash = hash_password(TEST_PASSWORD)
    for username, role, disabled in accounts:
        store.save_account(
            engine,
            username,
            "test",
            None,
            departments=[EDITORS_DEPARTMENT] if role == "editor" else [],
            display_name=f"{username}名",
            role=role,
            password_hash=password_hash,
            disabled=disabled,
        )


def tables_with(at: AppTest, *columns: str, exact: bool = False) -> list[pd.DataFrame]:
    """Return the tables shown that have these columns (exactly these, with exact=True), top to bottom.

    A table only shown has no key in AppTest (Streamlit gives a key to a table with row
    selection only), so tables are told apart by their columns.
    """
    wanted = list(columns)
    found = [table.value for table in at.dataframe]
    if exact:
        return [table for table in found if list(table.columns) == wanted]
    return [table for table in found if set(wanted) <= set(table.columns)]


def table_with(at: AppTest, *columns: str, exact: bool = False) -> pd.DataFrame:
    """Return the one table shown that has these columns; fail when none or several have them."""
    tables = tables_with(at, *columns, exact=exact)
    assert len(tables) == 1, f"{len(tables)} tables with the columns {columns}"
    return tables[0]


def texts(elements) -> str:
    """Return the text of some elements (e.g. at.error) as one string, to find a message in."""
    return " ".join(str(element.value) for element in elements)


def metric(at: AppTest, label: str) -> str:
    """Return the value of the one metric with this label."""
    (value,) = [m.value for m in at.metric if m.label == label]
    return value


def read_style(style: str) -> dict[str, str]:
    """Return an inline style's declarations by property; a property set twice keeps its last value, as CSS does."""
    pairs = [part.split(":", 1) for part in style.split(";") if part.strip()]
    return {name.strip(): value.strip() for name, value in pairs}


class HtmlTable(HTMLParser):
    """One HTML table read back (hqd.tables.render_html_table): header texts, cell texts and styles, every tag met."""

    def __init__(self):
        super().__init__()
        self.headers: list[str] = []
        self.header_styles: list[dict[str, str]] = []
        self.rows: list[list[str]] = []
        self.styles: list[list[dict[str, str]]] = []
        self.tags: list[str] = []
        self.attributes: set[str] = set()  # every attribute's name
        self.box: dict[str, str] = {}  # the wrapping box's style
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.update(name for name, _ in attrs)
        style = read_style(dict(attrs).get("style") or "")
        if tag == "div" and not self.box:
            self.box = style
        elif tag == "tr" and self.headers:
            self.rows.append([])
            self.styles.append([])
        elif tag in ("th", "td"):
            self._cell = []
            (self.header_styles if tag == "th" else self.styles[-1]).append(style)

    def handle_endtag(self, tag):
        if tag in ("th", "td"):
            (self.headers if tag == "th" else self.rows[-1]).append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=self.headers, dtype=object)


def read_html_table(body: str) -> HtmlTable:
    """Return an HTML table's headers, cells and styles, read as a browser's parser reads them (entities decoded)."""
    table = HtmlTable()
    table.feed(body)
    table.close()
    return table


def html_table(at: AppTest, key: str) -> HtmlTable:
    """Return the one HTML table (widgets.html_table) shown in the container keyed `key`."""
    (shown,) = at.get_by_key(key).get("html")
    return read_html_table(shown.value)
