"""First start: a database with the default catalog and, unless declined, the sample data; its removal."""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from hqd import store
from hqd.catalog import fingerprint_default_catalog, read_catalog
from hqd.imports import commit_import, prepare_import
from hqd.policy import REMOVE_SAMPLE, require
from hqd.sample import LAST_MONTH, MONTHLY_YEAR, sample_reports
from hqd.settings import DEFAULT_CATALOG, SAMPLE_REPORTS, SAMPLE_USER, SAMPLE_WORKBOOK, timezone
from hqd.store import Engine
from hqd.supervision import explanation_deadline

# Where the database keeps which default catalog it holds (a hash of data/'s catalog files).
DEFAULT_CATALOG_KEY = "default_catalog"


def open_database(url: str | None = None, sample: bool = True) -> Engine:
    """Return the engine, creating the catalog (and sample data) when the database is new."""
    engine = store.connect(url)
    if store.has_catalog(engine):
        if _default_is_outdated(engine):
            with store.first_start_lock(engine):
                if _default_is_outdated(engine):
                    install_catalog(engine)
        return engine
    # Replicas started together on an empty database take turns: the second finds the catalog
    # (and the sample) the first stored, instead of failing on its half-done work.
    with store.first_start_lock(engine):
        if not store.has_catalog(engine):
            install_catalog(engine)
            if sample:
                load_sample(engine)
    return engine


def _default_is_outdated(engine: Engine) -> bool:
    """Tell whether the catalog in effect is the app's own default as an earlier release had it.

    The database then takes this release's default as a catalog revision (stored values kept, the
    change in the history and undoable); a catalog an admin uploaded is left alone.
    """
    catalogs = store.read_uploads(engine, store.CATALOG)
    latest = catalogs[catalogs["in_effect"]].sort_values("id").iloc[-1]
    if (latest["file_name"], latest["user_name"]) != (DEFAULT_CATALOG, SAMPLE_USER):
        return False
    return store.read_meta(engine, DEFAULT_CATALOG_KEY) != fingerprint_default_catalog()


def install_catalog(engine: Engine) -> int | None:
    """Store the default catalog of data/; return its upload id (None when another start did)."""
    try:
        upload_id = store.commit_upload(engine, DEFAULT_CATALOG, None, SAMPLE_USER, catalog=read_catalog())[
            store.CATALOG
        ]
    except store.DuplicateUploadError:
        upload_id = None
    store.write_meta(engine, DEFAULT_CATALOG_KEY, fingerprint_default_catalog())
    return upload_id


def load_sample(engine: Engine) -> int | None:
    """Import the sample workbook through the upload path; return its upload id.

    Returns None when it is already loaded. Raises StoreError when real data is stored, so
    invented figures are never mixed with reported ones.
    """
    if store.has_sample(engine):
        return None
    if store.read_uploads(engine, store.DATA)["in_effect"].any():
        raise store.StoreError("sample.real_data")
    result = prepare_import(engine, SAMPLE_WORKBOOK.read_bytes(), SAMPLE_WORKBOOK.name)
    try:
        upload_id = commit_import(engine, result, SAMPLE_USER, is_sample=True)[store.DATA]
    except store.DuplicateUploadError:
        return None
    # What the departments answered by the sample's month (督办): an upload of its own, removed with the sample.
    # Dated three days before the sample month's deadline (or now, if earlier): the sample's departments answer on
    # time, as most do; a first start after the deadline would otherwise show every explanation late.
    given = datetime.combine(explanation_deadline(MONTHLY_YEAR, LAST_MONTH) - timedelta(days=3), time(10))
    reports = sample_reports(store.load_catalog(engine))
    with suppress(store.DuplicateUploadError):
        store.commit_upload(
            engine,
            SAMPLE_REPORTS,
            None,
            SAMPLE_USER,
            reports=reports,
            is_sample=True,
            recorded_at=given.replace(tzinfo=ZoneInfo(timezone())),
        )
    return upload_id


def remove_sample(engine: Engine, user: str, role: str | None = None) -> int:
    """Delete the sample data after checking the role (None: the trusted command line); return how many uploads."""
    if role is not None:
        require(role, REMOVE_SAMPLE)
    return store.remove_sample(engine, user, role)
