"""Volume and memory: a table longer than Streamlit's styling limit, and what a session keeps between runs."""

from __future__ import annotations

import gc
import pickle
import sys
from functools import partial

import pandas as pd
import pytest
import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.testing.v1 import AppTest
from support import html_table

from hqd.labels import STATUSES
from hqd.ui import widgets

# Streamlit refuses a Styler of more cells than pandas' styler.render.max_elements (262,144).
STYLER_LIMIT = 262_144


def long_table(rows: int) -> None:
    """A page showing one tinted table of `rows` rows of 14 columns (rows × 14 cells)."""
    import pandas as pd

    from hqd.ui import widgets

    statuses = pd.Series(["on_track", "lagging", "no_data", "achieved"] * (rows // 4))
    frame = pd.DataFrame({f"c{i}": range(len(statuses)) for i in range(13)} | {"状态": statuses})
    widgets.show_table(widgets.tint_status(frame, "状态", statuses), key="big")


@pytest.mark.parametrize("rows", [40, 20_000])
def test_a_table_of_any_length_renders_a_page_at_a_time(rows):
    at = AppTest.from_function(long_table, args=(rows,), default_timeout=60).run()
    assert not at.exception
    shown = at.dataframe[0].value
    if rows * 14 <= STYLER_LIMIT:
        assert len(shown) == rows and "big_page" not in at.session_state
        return
    # Over the limit: a page at a time, each page tinted and the picker naming how many there are.
    pages = -(-rows // widgets.PAGE_ROWS)
    assert len(shown) == widgets.PAGE_ROWS and shown["c0"].iloc[0] == 0
    at.number_input(key="big_page").set_value(pages).run()
    assert not at.exception
    last = at.dataframe[0].value
    assert list(last["c0"]) == list(range((pages - 1) * widgets.PAGE_ROWS, rows))
    assert f"共{rows}行" in at.caption[0].value


def long_html_table(rows: int) -> None:
    """A page showing one tinted table of `rows` rows of texts as HTML."""
    import pandas as pd

    from hqd.ui import widgets

    statuses = pd.Series(["on_track", "lagging"] * (rows // 2))
    frame = pd.DataFrame({"指标": [f"指标{i}" for i in range(len(statuses))], "状态": statuses, "完成率": "50%"})
    widgets.html_table(widgets.tint_status(frame, "状态", statuses), "big")


def test_a_long_html_table_is_made_into_html_a_page_at_a_time():
    """50,000 rows never become one string of HTML: each run sends the page shown, and its rows only."""
    rows = 50_000
    at = AppTest.from_function(long_html_table, args=(rows,), default_timeout=60).run()
    assert not at.exception
    shown = html_table(at, "big")
    assert [row[0] for row in shown.rows] == [f"指标{i}" for i in range(widgets.PAGE_ROWS)]
    pages = -(-rows // widgets.PAGE_ROWS)
    at.number_input(key="big_page").set_value(pages).run()
    assert not at.exception
    last = html_table(at, "big")
    assert [row[0] for row in last.rows] == [f"指标{i}" for i in range((pages - 1) * widgets.PAGE_ROWS, rows)]
    # Each row's colour goes with it to its page: the last page's rows alternate as the first's do.
    assert [row[1]["border-left"] for row in last.styles[:2]] == [
        f"4px solid {STATUSES.loc[s, 'colour']}" for s in ("on_track", "lagging")
    ]
    assert f"共{rows}行" in at.get_by_key("big").get("caption")[0].value


def test_a_short_html_table_has_no_page_picker():
    at = AppTest.from_function(long_html_table, args=(widgets.PAGE_ROWS,), default_timeout=60).run()
    assert not at.exception
    assert len(html_table(at, "big").rows) == widgets.PAGE_ROWS
    assert "big_page" not in at.session_state and not at.number_input


def test_a_narrower_table_brings_the_page_back_within_its_pages():
    at = AppTest.from_function(long_table, args=(20_000,), default_timeout=60).run()
    at.number_input(key="big_page").set_value(40).run()
    at = AppTest.from_function(long_table, args=(1_200,), default_timeout=60)
    at.session_state["big_page"] = 40
    at.run()
    assert not at.exception
    assert at.number_input(key="big_page").value == 3


@pytest.mark.parametrize("page", ["overview", "explorer", "programme", "history"])
def test_a_page_run_keeps_nothing_large_in_the_session(app, page):
    """The session keeps widget values and names, never the catalog, observations, a report or a table."""
    at = app.open(page)
    assert not at.exception
    assert len(at.session_state) > 3
    for key, value in at.session_state.items():
        assert not isinstance(value, pd.DataFrame | pd.Series), (page, key)
        assert len(pickle.dumps(value)) < 4096, (page, key)


@pytest.mark.parametrize("page", ["overview", "explorer"])
def test_no_download_or_callback_holds_the_page_data_after_its_run(app, page):
    """Streamlit keeps each session's download functions and callbacks until the session ends: they hold keys, so
    the run's snapshot (catalog, observations, report) does not outlive the run. (The explorer's view is kept once
    per process, by its cache; the download functions holding no view is the test below.)"""
    from hqd.ui.data import Snapshot

    at = app.open(page)
    assert not at.exception
    # The overview's bulletin downloads and the explorer's exports are there (single-user mode: an admin).
    assert at.get("download_button")
    gc.collect()
    found = [o for o in gc.get_objects() if isinstance(o, Snapshot)]
    # The entry script's namespace (sys.modules["__main__"]) lives until the next run of any session: once per
    # process, not per session. Anything else holding them would be per session.
    script = sys.modules["__main__"].__dict__
    held = [type(o).__name__ for o in found if any(r is not script and r is not found for r in gc.get_referrers(o))]
    assert held == []


def held_by(function) -> list:
    """Return what a function given to Streamlit holds: a partial's arguments, a closure's cells and defaults."""
    if isinstance(function, partial):
        return [*function.args, *function.keywords.values()]
    return [cell.cell_contents for cell in function.__closure__ or ()] + list(function.__defaults__ or ())


@pytest.mark.parametrize("page", ["overview", "explorer", "upload"])
def test_download_functions_hold_keys_not_data(app, monkeypatch, page):
    """A download made on click keeps its function in the server per session until the session ends: it holds the
    snapshot's key and the filters, never the table, catalog, observations or report (4 KiB each at most)."""
    made = []

    def record(self, label, data, *args, **kwargs):
        made.append(data)
        return False

    monkeypatch.setattr(DeltaGenerator, "download_button", record)
    # st.download_button is the main area's method, bound when streamlit is imported.
    monkeypatch.setattr(st, "download_button", partial(record, None))
    at = app.open(page)
    assert not at.exception
    deferred = [data for data in made if callable(data)]
    assert deferred, "the page offers a file made on click"
    for function in deferred:
        for value in held_by(function):
            assert len(pickle.dumps(value)) < 4096, (page, type(value).__name__)
        # From the key alone, the file is made (Word and PDF need Chromium: the HTML and the tables stand for them).
        if not any(isinstance(value, str) and value in ("docx", "pdf") for value in held_by(function)):
            assert len(function()) > 500


def test_the_upload_page_writes_its_templates_only_when_their_download_is_pressed(app, monkeypatch):
    """Writing a template takes the better part of a second: the page's first view after a commit does not wait for
    one that nobody may download."""
    from hqd.ui import data

    written = []
    for name in ("write_template", "write_month_template", "write_annual_targets_template"):
        real = getattr(data, name)
        monkeypatch.setattr(data, name, lambda *a, real=real, name=name, **k: written.append(name) or real(*a, **k))
    data.template_bytes.clear()
    data.annual_targets_bytes.clear()
    offered = []
    monkeypatch.setattr(st, "download_button", lambda label, content, *a, **k: offered.append(content))
    at = app.open("upload")
    assert not at.exception and len(offered) == 2 and all(callable(content) for content in offered)
    assert written == []
    # Pressed: the years' template of every department, and the admin's annual targets.
    assert [content()[:2] for content in offered] == [b"PK", b"PK"]
    assert sorted(written) == ["write_annual_targets_template", "write_template"]


def test_the_history_rerun_reads_no_upload_again(app, monkeypatch):
    """What the history shows is read once per data version: a rerun (any click) reads neither the uploads nor the
    chosen upload's file, which is read only when its download is pressed."""
    from hqd import store

    at = app.open("history")
    assert not at.exception
    reads = []
    for name in ("read_uploads", "read_upload_file", "read_upload_observations", "read_observations"):
        real = getattr(store, name)
        monkeypatch.setattr(store, name, lambda *a, real=real, name=name, **k: reads.append(name) or real(*a, **k))
    at.run()
    assert not at.exception
    assert reads == []
