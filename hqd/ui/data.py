"""Cached access to the database for the pages; every cache is keyed by the data version."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from hqd import store
from hqd.bootstrap import open_database
from hqd.catalog import Catalog
from hqd.rollup import Report, compute_report, default_year
from hqd.store import Engine


@st.cache_resource(show_spinner=False)
def get_engine() -> Engine:
    """Return the engine, creating the database with sample data on first start."""
    return open_database()


@st.cache_data(show_spinner=False, max_entries=8)
def _load(version: tuple[int, ...]) -> tuple[Catalog, pd.DataFrame, pd.DataFrame, bool]:
    engine = get_engine()
    return (
        store.load_catalog(engine),
        store.read_observations(engine),
        store.read_uploads(engine),
        store.has_sample(engine),
    )


@st.cache_data(show_spinner=False, max_entries=8)
def _report(version: tuple[int, ...]) -> Report:
    catalog, observations, _, _ = _load(version)
    return compute_report(catalog, observations)


class Snapshot:
    """What the pages read: catalog, observations, uploads and progress, for one data version."""

    def __init__(self) -> None:
        version = store.data_version(get_engine())
        self.catalog, self.observations, self.uploads, self.has_sample = _load(version)
        self.report = _report(version)
        self.default_year = default_year(self.catalog, self.observations)
