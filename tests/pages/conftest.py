"""AppTest fixtures: a database built in code (once, then copied) and a runner that opens any page of the app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from factories import SMALL_INDICATORS, make_catalog, make_observations
from streamlit.testing.v1 import AppTest
from support import copy_sqlite, script

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

    def start_from(self, built: Path) -> App:
        """Make the app's database a copy of a database built once (`built`), before any run; return the app."""
        self.engine.dispose()
        copy_sqlite(built, self.engine.url.database)
        return self

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


@pytest.fixture(scope="session")
def built(tmp_path_factory, app_database, expected) -> Callable[[Callable[[App], None]], Path]:
    """Return a builder of databases: built(change) is a copy of the fixture database that change(app) changed,
    made once per run and then copied by App.start_from() for each test that starts from it.

    Tests that start from the same change then also share its data version, so what the pages computed from it
    for one test holds for the next (the caches are kept, see `app`), and the change is not made again.
    """
    made: dict[Callable, Path] = {}

    def build(change: Callable[[App], None]) -> Path:
        if change not in made:
            path = tmp_path_factory.mktemp("built") / "app.db"
            copy_sqlite(app_database, path)
            engine = store.connect(f"sqlite:///{path}")
            change(App(engine, expected))
            engine.dispose()
            made[change] = path
        return made[change]

    return build


@pytest.fixture
def app(app_database, expected, tmp_path, monkeypatch) -> App:
    """Return the app on a fresh copy of the fixture database.

    The pages' caches are keyed by the data version, which every copy shares until it changes, and a change
    draws a random token into the version (store.bump_revision): what was read and computed from an untouched
    copy holds for the next one, as a server keeps it, and what a test computed after changing its copy is
    keyed by a version no other test's copy has. So the caches are kept from test to test; only the engine
    (of the copy before) goes.
    """
    path = tmp_path / "app.db"
    copy_sqlite(app_database, path)
    monkeypatch.setenv("HQD_DATABASE_URL", f"sqlite:///{path}")
    data.get_engine.clear()
    engine = store.connect(f"sqlite:///{path}")
    yield App(engine, expected)
    engine.dispose()
