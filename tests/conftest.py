"""Fixtures shared by every kind of test: catalogs and databases built in code, the costly ones once."""

from __future__ import annotations

import copy
import gc
import os

# As hqd/__init__.py does, before the factories import openpyxl: the workbooks tested are the standard library's.
os.environ.setdefault("OPENPYXL_LXML", "False")

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST
from factories import SMALL_INDICATORS, make_catalog
from support import copy_sqlite, unavailable

import hqd.accounts
from hqd import store
from hqd.catalog import Catalog


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing():
    """Hash and check passwords with argon2's cheapest parameters while testing.

    A real hash takes about 0.4 s of both cores, and the sign-in tests check dozens. Hashing stays
    argon2 (`$argon2id$...`), and a hash carries its parameters, so every check works as in use.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(hqd.accounts, "_hasher", PasswordHasher.from_parameters(CHEAPEST))
        yield


@pytest.fixture(scope="session")
def small_catalog_once() -> Catalog:
    return make_catalog(SMALL_INDICATORS)


@pytest.fixture
def small_catalog(small_catalog_once) -> Catalog:
    """Two programmes, three tasks, five indicators of every direction and shape (a copy of one built once)."""
    return copy.deepcopy(small_catalog_once)


def worker_database(url: str) -> str:
    """Return the URL of this pytest-xdist worker's own database beside the one named (itself without xdist).

    Parallel workers must not drop each other's tables; each gets `<database>_<worker>`, created here.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    base = sa.engine.make_url(url)
    name = f"{base.database}_{worker}"
    server = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        if not conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first():
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    server.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def drop_worker_database(url: str, base_url: str) -> None:
    """Drop a worker's database made by worker_database() (from the database it was made beside)."""
    own, base = sa.engine.make_url(url), sa.engine.make_url(base_url)
    if own.database == base.database:
        return
    server = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{own.database}" WITH (FORCE)')
    server.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """Return the URL of this run's PostgreSQL test database, or skip (fail in CI) without one."""
    url = os.environ.get("HQD_TEST_POSTGRES_URL")
    if not url:
        unavailable("PostgreSQL (HQD_TEST_POSTGRES_URL)", "HQD_REQUIRE_POSTGRES")
    own = worker_database(url)
    yield own
    drop_worker_database(own, url)


def empty_postgres(url: str) -> None:
    """Drop every table of the PostgreSQL test database."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    engine.dispose()


def pytest_collection_finish(session):
    """Keep what collection made out of the garbage collector's full passes, and make those passes rarer.

    The modules, fixtures and test items collected (about a million objects per worker) live until the end, yet
    each full pass walked them all again: 19 passes, 8 s per worker. Frozen, a pass walks only what the tests made
    since (mostly caches, which live on too); with the third threshold at 100, not 10, there are no more passes for
    that (16, not 36). The collector took 6.5 s per worker, not 11; the largest process held 529 MB, not 516.
    """
    gc.collect()
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, 100)


@pytest.hookimpl(tryfirst=True)
def pytest_generate_tests(metafunc):
    """Run a test marked `sqlite_only` on SQLite alone.

    The store's statements are tested on both databases where they are made (test_store, test_concurrency,
    test_supervision_store, test_audit_chain, the upgrades); the services' rules above them run the same
    statements, so running those on PostgreSQL as well doubled their time and tested no statement again.
    """
    if "database_url" in metafunc.fixturenames and metafunc.definition.get_closest_marker("sqlite_only"):
        # As a mark, before pytest reads the marks, so the fixture's own parameters give way to it.
        metafunc.definition.add_marker(pytest.mark.parametrize("database_url", ["sqlite"], indirect=True))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request, tmp_path) -> str:
    """Return the URL of an empty database: a SQLite file, or the test PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'hqd.db'}"
    url = request.getfixturevalue("postgres_url")
    empty_postgres(url)
    return url


@pytest.fixture(scope="session")
def small_catalog_file(tmp_path_factory, small_catalog_once) -> str:
    """Return a SQLite file holding the small catalog, built once and copied by each test that needs it."""
    path = tmp_path_factory.mktemp("template") / "small_catalog.db"
    engine = store.connect(f"sqlite:///{path}")
    store.commit_upload(engine, "catalog.csv", None, "test", catalog=small_catalog_once)
    engine.dispose()
    return path


@pytest.fixture
def engine(request, database_url, small_catalog):
    """Return an engine on an empty database holding the small catalog."""
    if database_url.startswith("sqlite"):
        copy_sqlite(request.getfixturevalue("small_catalog_file"), sa.engine.make_url(database_url).database)
        engine = store.connect(database_url)
    else:
        engine = store.connect(database_url)
        store.commit_upload(engine, "catalog.csv", None, "test", catalog=small_catalog)
    yield engine
    engine.dispose()
