"""How the app is served: the settings of .streamlit/config.toml a new visitor's wait depends on."""

from __future__ import annotations

import tomllib

import pytest

from hqd.settings import ROOT


@pytest.fixture(scope="module")
def server_settings() -> dict:
    return tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["server"]


def test_the_server_watches_no_source_files(server_settings):
    """Streamlit's source watcher resolves the path of every imported module (pandas, plotly, SQLAlchemy…) for each
    new session, on the event loop that also sends every session's messages and serves the browser's JavaScript;
    with the app's imports that held a new visitor's page back by about a second (bench/pages.py)."""
    assert server_settings["fileWatcherType"] == "none"
    # Reruns on save need a watcher; without one the option would only mislead.
    assert not server_settings.get("runOnSave", False)
