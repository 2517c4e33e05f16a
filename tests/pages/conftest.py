"""AppTest fixtures: a database built in code (once, then copied) and a runner that opens any page of the app."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from factories import SMALL_INDICATORS, make_catalog, make_observations
from streamlit.testing.v1 import AppTest
from support import clear_streamlit_caches, copy_sqlite, script

from hqd import store
from hqd.accounts import Identity
from hqd.catalog import Catalog
from hqd.rollup import Report, compute_report
from hqd.settings import ROOT
from hqd.ui import data, state

# Two programmes; B-2 has no figures in 2022 so that programme B is partly reported. One of the zone's
# departments, which has an English name, is responsible for all: English pages leave no Chinese of it.
DEPARTMENT = "科技创新局"
# A2 is reported monthly as a year-to-date total; the others yearly.
MONTHLY = {"frequency": "month", "value_kind": "cumulative"}
CATALOG = [
    {**indicator, "department": DEPARTMENT, **(MONTHLY if indicator["code"] == "A2" else {})}
    for indicator in [*SMALL_INDICATORS, {"code": "B3", "programme": "B", "task": "B-2", "unit": "亿元"}]
]
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


@pytest.fixture(scope="session", autouse=True)
def scan_components_once():
    """Let every AppTest of the run share one scan of the installed packages for Streamlit components.

    Each new AppTest reads the metadata of every installed distribution (about 0.8 s) looking for
    custom components; the app has none and the installed packages do not change during a run.
    """
    from functools import cache

    from streamlit.components.v2 import manifest_scanner

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(manifest_scanner, "scan_component_manifests", cache(manifest_scanner.scan_component_manifests))
        yield


@dataclass(frozen=True)
class Expected:
    """What the fixture database holds, as hqd computes it: read-only, shared by the tests."""

    catalog: Catalog
    report: Report


@pytest.fixture(scope="session")
def app_database(tmp_path_factory) -> Path:
    """Return a SQLite file with the fixture catalog and values, built once and copied by each test."""
    path = tmp_path_factory.mktemp("app") / "app.db"
    engine = store.connect(f"sqlite:///{path}")
    store.commit_upload(engine, "catalog.csv", None, "t", catalog=make_catalog(CATALOG))
    store.commit_upload(engine, "values.xlsx", b"values", "张三", frame=make_observations(VALUES))
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def expected(app_database) -> Expected:
    engine = store.connect(f"sqlite:///{app_database}")
    catalog = store.load_catalog(engine)
    report = compute_report(catalog, store.read_observations(engine))
    engine.dispose()
    return Expected(catalog, report)


class App:
    """The app under AppTest against the fixture database, with the report it should show."""

    def __init__(self, engine, expected: Expected):
        self.engine = engine
        self.catalog = expected.catalog
        self.report = expected.report

    def open(self, page: str = "overview", signed_in: str | None = None, **query) -> AppTest:
        """Run the app at a page (by its script's name) with query parameters, as an account already signed in.

        Signing in through the form is tested in test_access; `signed_in` starts the session as the
        form leaves it (the account's role is read from the database on each run).

        Before its first run AppTest knows a page by its file name, which is every page's URL path
        except the programmes' (one script, a path per programme): those open after a first run,
        at the first programme.
        """
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
        at.query_params.update(query)
        if signed_in:
            at.session_state[state.IDENTITY] = Identity(signed_in, "", "password", signed_in)
        if page == "programme":
            at.run()
        if page != "overview":
            at.switch_page(script(page))
        return at.run()


# Whether st.cache_data holds only what was read from an untouched copy of the fixture database.
_CACHE_IS_PRISTINE = False


@pytest.fixture
def app(app_database, expected, tmp_path, monkeypatch) -> App:
    """Return the app on a fresh copy of the fixture database.

    The pages' caches are keyed by the data version, which every copy shares until it changes: what
    was read and computed from an untouched copy holds for the next one, so it is kept (as a server
    keeps it), and dropped after a test changed its copy, to start each test that changes data from
    an empty cache as a server does after a start.
    """
    global _CACHE_IS_PRISTINE
    path = tmp_path / "app.db"
    copy_sqlite(app_database, path)
    monkeypatch.setenv("HQD_DATABASE_URL", f"sqlite:///{path}")
    # A new database: the engine of the test before must go; what it read stays only if its copy was untouched.
    data.get_engine.clear()
    clear_streamlit_caches(data=not _CACHE_IS_PRISTINE, resources=not _CACHE_IS_PRISTINE)
    engine = store.connect(f"sqlite:///{path}")
    pristine = store.data_version(engine)
    _CACHE_IS_PRISTINE = False
    yield App(engine, expected)
    _CACHE_IS_PRISTINE = store.data_version(engine) == pristine
    engine.dispose()
