"""AppTest of the overview page against a database built in a fixture."""

from __future__ import annotations

import pytest
from factories import make_observations
from streamlit.testing.v1 import AppTest

from hqd import store
from hqd.rollup import compute_report
from hqd.settings import ROOT


@pytest.fixture
def app_database(tmp_path, small_catalog, monkeypatch):
    """Point the app at a fresh SQLite file holding the small catalog and two years of values."""
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("HQD_DATABASE_URL", url)
    engine = store.connect(url)
    store.commit_catalog(engine, small_catalog, "catalog.csv", user="t")
    values = make_observations(
        [
            ("A1", 2022, 140.0),
            ("A2", 2022, 130.0),
            ("A3", 2022, 50.0),
            ("B1", 2022, 1.0),
            ("B2", 2022, 70.0),
            ("A1", 2021, 120.0),
        ]
    )
    store.commit_observations(engine, values, "v.xlsx", b"v", "t")
    return engine


def run_app(page: str) -> AppTest:
    """Run the app from its entry point with empty caches, then switch to a page."""
    from streamlit.runtime.caching import cache_data_api, cache_resource_api

    cache_data_api.get_data_cache_stats_provider().clear_all()
    cache_resource_api.get_resource_cache_stats_provider().clear_all()
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30).run()
    return at.switch_page(page).run()


def test_overview_shows_the_computed_scores(app_database):
    at = run_app("pages/overview.py")
    assert not at.exception
    report = compute_report(store.load_catalog(app_database), store.read_observations(app_database))
    overall = report.overall.set_index("year").loc[2022]
    assert at.metric[0].value == f"{overall['score']:.1f}"
    table = at.dataframe[0].value
    assert list(table["score"].round(6)) == list(report.programmes.query("year == 2022")["score"].round(6))
    assert not at.warning
