"""AppTest fixtures: a database built in code and a runner that opens any page of the app."""

from __future__ import annotations

import pytest
from factories import SMALL_INDICATORS, make_catalog, make_observations
from streamlit.testing.v1 import AppTest
from support import clear_streamlit_caches, go_to

from hqd import store
from hqd.rollup import compute_report
from hqd.settings import ROOT

# Two programmes; B-2 has no figures in 2022 so that programme B is partly reported.
CATALOG = [*SMALL_INDICATORS, {"code": "B3", "programme": "B", "task": "B-2", "unit": "亿元"}]
VALUES = [
    ("A1", 2021, 125.0),
    ("A1", 2022, 150.0),
    ("A2", 2021, 110.0),
    ("A2", 2022, 118.0),
    ("A3", 2021, 58.0),
    ("A3", 2022, 62.0),
    ("B1", 2021, 1.0),
    ("B1", 2022, 2.0),
    ("B2", 2021, 55.0),
    ("B2", 2022, 70.0),
    ("B3", 2021, 120.0),
]


class App:
    """The app under AppTest against the fixture database, with the report it should show."""

    def __init__(self, engine):
        self.engine = engine
        self.catalog = store.load_catalog(engine)
        self.report = compute_report(self.catalog, store.read_observations(engine))

    def open(self, url_path: str = "overview", **query) -> AppTest:
        """Run the app at a page (by its URL path) with query parameters, caches empty."""
        clear_streamlit_caches()
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
        at.query_params.update(query)
        at.run()
        return go_to(at, url_path)


@pytest.fixture
def app(tmp_path, monkeypatch) -> App:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("HQD_DATABASE_URL", url)
    engine = store.connect(url)
    catalog = make_catalog(CATALOG)
    store.commit_upload(engine, "catalog.csv", None, "t", catalog=catalog)
    store.commit_upload(engine, "values.xlsx", b"values", "张三", frame=make_observations(VALUES))
    yield App(engine)
    engine.dispose()
