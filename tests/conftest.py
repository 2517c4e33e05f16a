"""Fixtures shared by every kind of test: catalogs and databases built in code."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from factories import SMALL_INDICATORS, make_catalog
from support import unavailable

from hqd import store
from hqd.catalog import Catalog


@pytest.fixture
def small_catalog() -> Catalog:
    """Two programmes, three tasks, five indicators of every direction and shape."""
    return make_catalog(SMALL_INDICATORS)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request, tmp_path) -> str:
    """Return the URL of an empty database: a SQLite file, or the test PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'hqd.db'}"
    url = os.environ.get("HQD_TEST_POSTGRES_URL")
    if not url:
        unavailable("PostgreSQL (HQD_TEST_POSTGRES_URL)", "HQD_REQUIRE_POSTGRES")
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    engine.dispose()
    return url


@pytest.fixture
def engine(database_url, small_catalog):
    """Return an engine on an empty database holding the small catalog."""
    engine = store.connect(database_url)
    store.commit_upload(engine, "catalog.csv", None, "test", catalog=small_catalog)
    yield engine
    engine.dispose()
