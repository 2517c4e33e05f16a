"""Uploads: the values and catalog versions each file brought, what is in effect, rollback, sample data."""

from __future__ import annotations

import hashlib
import json
import pickle
from datetime import datetime
from functools import lru_cache
from operator import itemgetter

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from hqd.catalog import TABLES, Catalog, build_catalog, fill_reporting
from hqd.memo import Memo
from hqd.store.audit import record
from hqd.store.engine import (
    DuplicateUploadError,
    StoreError,
    as_stored,
    bump_revision,
    read_frame,
    read_plain_frame,
    rows_to_insert,
    utc_now,
    writing,
)
from hqd.store.schema import CATALOG, DATA, REPORT_TABLES, catalog_tables, observations, uploads


def _visible(as_of: datetime | None):
    """Return the condition for uploads in effect now, or at a past moment."""
    if as_of is None:
        return uploads.c.rolled_back_at.is_(None)
    as_of = as_stored(as_of)
    return sa.and_(
        uploads.c.created_at <= as_of, sa.or_(uploads.c.rolled_back_at.is_(None), uploads.c.rolled_back_at > as_of)
    )


def _copy_in_effect(conn: Connection, content: bytes, kind: str) -> DuplicateUploadError | None:
    """Return the refusal for bytes already stored in an upload in effect, else None."""
    row = conn.execute(
        sa.select(uploads.c.id, uploads.c.file_name).where(
            uploads.c.sha256 == hashlib.sha256(content).hexdigest(),
            uploads.c.kind == kind,
            uploads.c.rolled_back_at.is_(None),
        )
    ).first()
    return DuplicateUploadError(row.id, row.file_name) if row else None


def find_copy(engine: Engine, content: bytes, kind: str = DATA) -> DuplicateUploadError | None:
    """Return the refusal for bytes already stored in an upload in effect, else None."""
    with engine.connect() as conn:
        return _copy_in_effect(conn, content, kind)


def _insert_upload(
    conn: Connection,
    kind: str,
    file_name: str,
    content: bytes,
    user: str,
    is_sample: bool = False,
    counts: dict | None = None,
    recorded_at: datetime | None = None,
) -> int:
    """Insert an upload row after refusing a copy of an upload in effect; return its id."""
    same = _copy_in_effect(conn, content, kind)
    if same:
        raise same
    bump_revision(conn)
    insert = (
        uploads.insert()
        .values(
            kind=kind,
            file_name=file_name,
            sha256=hashlib.sha256(content).hexdigest(),
            content=content,
            user_name=user,
            created_at=min(as_stored(recorded_at), utc_now()) if recorded_at else utc_now(),
            is_sample=is_sample,
            **(counts or {}),
        )
        .returning(uploads.c.id)
    )
    # The check above cannot see a copy another transaction is committing at this moment; the
    # unique index can. A savepoint keeps the transaction usable to name the copy that won.
    try:
        with conn.begin_nested():
            return conn.execute(insert).scalar_one()
    except IntegrityError as error:
        same = _copy_in_effect(conn, content, kind)
        if same:
            raise same from error
        raise


def _canonical_content(catalog: Catalog | None, frame: pd.DataFrame | None, reports: dict | None = None) -> bytes:
    """Return the bytes kept for an upload made in code rather than from a file (the default catalog, a form)."""
    payload = {}
    if catalog is not None:
        payload |= {name: table.to_dict("records") for name, table in catalog.tables().items()}
    if frame is not None:
        payload["observations"] = frame.to_dict("records")
    for name, report in (reports or {}).items():
        # An evidence file is kept in its own row; its hash stands for it here.
        payload[name] = report.drop(columns=["content"], errors="ignore").to_dict("records")
    if reports:
        # A form may put back what an earlier form said (a cause corrected, then restored): its moment makes it new.
        payload["recorded_at"] = utc_now().isoformat()
    return json.dumps(payload, ensure_ascii=False, default=str).encode("utf-8")


def _store_catalog(
    conn: Connection, catalog: Catalog, file_name: str, content: bytes, user: str, counts: dict, role: str | None
) -> int:
    """Insert a catalog version with its tables; return its upload id."""
    upload_id = _insert_upload(
        conn, CATALOG, file_name, content, user, counts={"rows": len(catalog.indicators), **counts}
    )
    for name, frame in catalog.tables().items():
        if len(frame):
            conn.execute(catalog_tables[name].insert(), rows_to_insert(frame, upload_id=upload_id))
    detail = {"code": "audit.catalog_version", "indicators": len(catalog.indicators)}
    if counts.get("changed"):
        detail |= {"code": "audit.catalog_revised", "changed": counts["changed"]}
    record(conn, user, role, "catalog_changed", detail, upload_id, file_name)
    return upload_id


def _records(frame: pd.DataFrame, columns) -> list[dict]:
    """Return a frame's rows as dicts of the table's columns, missing values as None."""
    rows = frame[[c for c in columns if c in frame.columns]]
    return rows.astype(object).where(rows.notna(), None).to_dict("records")


def _store_values(
    conn: Connection,
    frame: pd.DataFrame,
    reports: dict[str, pd.DataFrame],
    file_name: str,
    content: bytes,
    user: str,
    is_sample: bool,
    counts: dict,
    role: str | None,
    recorded_at: datetime | None = None,
) -> int:
    """Insert an upload with its observations (indicator, year, month, value, note) and reports; return its id."""
    rows = frame[["indicator", "year", "value"]].assign(month=frame.get("month", 12), note=frame.get("note", None))
    records = rows.astype(object).where(rows.notna(), None).to_dict("records")
    upload_id = _insert_upload(
        conn, DATA, file_name, content, user, is_sample, {"rows": len(records), **counts}, recorded_at
    )
    if records:
        conn.execute(observations.insert(), [{"upload_id": upload_id, **r} for r in records])
    detail = {"code": "audit.values_committed", "values": len(records)}
    detail |= {"new": counts.get("new", 0), "changed": counts.get("changed", 0)}
    for name, table in REPORT_TABLES.items():
        report = reports.get(name)
        if report is None or report.empty:
            continue
        columns = [c.name for c in table.c if c.name not in ("id", "upload_id")]
        conn.execute(table.insert(), [{"upload_id": upload_id, **r} for r in _records(report, columns)])
        detail[name] = len(report)
    record(conn, user, role, "upload_committed", detail, upload_id, file_name)
    return upload_id


def commit_upload(
    engine: Engine,
    file_name: str,
    content: bytes | None,
    user: str,
    frame: pd.DataFrame | None = None,
    catalog: Catalog | None = None,
    counts: dict | None = None,
    catalog_counts: dict | None = None,
    is_sample: bool = False,
    role: str | None = None,
    reports: dict[str, pd.DataFrame] | None = None,
    recorded_at: datetime | None = None,
) -> dict[str, int]:
    """Store a file's observations, reports and catalog revision together: all land or none does.

    The one way data and catalog versions enter the database. `content` is the file's bytes
    (None for an upload made in code, such as the default catalog: a JSON copy is kept instead);
    `counts` (new, changed, unchanged, warnings) describe the values, `catalog_counts` the
    catalog ("changed"). `reports` are what a department reports beside its figures, by the name of
    their table (hqd.store.schema.REPORT_TABLES: explanations, key-task progress, completed milestones,
    evidence files); they come with the figures' upload, or make one alone. Returns the upload id of each
    kind stored (DATA, CATALOG). `recorded_at` dates sample data only (never later than now), so that the
    sample's departments answered by their deadline as an office's would; real uploads are dated by the store.
    """
    if recorded_at is not None and not is_sample:
        raise ValueError("only sample data may be dated")
    reports = {name: report for name, report in (reports or {}).items() if report is not None and len(report)}
    if content is None:
        content = _canonical_content(catalog, frame, reports)
    ids = {}
    with writing(engine) as conn:
        if catalog is not None:
            ids[CATALOG] = _store_catalog(conn, catalog, file_name, content, user, catalog_counts or {}, role)
        if (frame is not None and len(frame)) or reports:
            frame = frame if frame is not None else empty_observations()
            ids[DATA] = _store_values(
                conn, frame, reports, file_name, content, user, is_sample, counts or {}, role, recorded_at
            )
    return ids


def has_catalog(engine: Engine, as_of: datetime | None = None) -> bool:
    """Tell whether a catalog version is in effect (now, or at a past moment)."""
    with engine.connect() as conn:
        found = conn.execute(sa.select(uploads.c.id).where(uploads.c.kind == CATALOG, _visible(as_of))).first()
    return found is not None


def load_catalog(engine: Engine, as_of: datetime | None = None) -> Catalog:
    """Return the catalog version in effect now (or at a past moment)."""
    with engine.connect() as conn:
        newest = sa.select(sa.func.max(uploads.c.id)).where(uploads.c.kind == CATALOG, _visible(as_of))
        found = conn.execute(
            sa.select(uploads.c.id, uploads.c.created_at).where(uploads.c.id == newest.scalar_subquery())
        ).first()
    if found is None:
        raise StoreError("store.no_catalog")
    return _catalog_version(engine, found.id, found.created_at)


# A stored catalog version never changes, so each is read and checked once per engine. The moment it was
# stored is part of the key: after a database is put back to a backup, the next catalog stored takes again
# an id that a running process may have cached another catalog under.
@lru_cache(maxsize=32)
def _catalog_version(engine: Engine, version: int, stored_at: datetime) -> Catalog:
    """Return one stored catalog version, checked."""
    with engine.connect() as conn:
        tables = {
            name: read_frame(
                conn,
                sa.select(*[table.c[c] for c in TABLES[name]])
                .where(table.c.upload_id == version)
                .order_by(table.c.position),
            )
            for name, table in catalog_tables.items()
        }
    # A version stored before monthly reporting has no reporting fields: the default's stand in.
    tables["indicators"] = fill_reporting(tables["indicators"])
    return _checked_catalog(tables)


# Checking a catalog costs more than reading it. Each command, replica restart or test opens an engine of its own
# on the same few catalogs (the default's, mostly): tables equal to ones already checked in this process are not
# checked again. Keyed by their pickled bytes: equal bytes are equal tables.
_CHECKED: Memo[Catalog] = Memo(32)


def _checked_catalog(tables: dict[str, pd.DataFrame]) -> Catalog:
    key = hashlib.blake2b(pickle.dumps(tables, protocol=pickle.HIGHEST_PROTOCOL), digest_size=20).digest()
    return _CHECKED.get_or_make(key, lambda: build_catalog(tables))


_o = observations
OBSERVATION_FIELDS = (_o.c.indicator, _o.c.year, _o.c.month, _o.c.value, _o.c.note, _o.c.upload_id)


def read_observations(engine: Engine, as_of: datetime | None = None) -> pd.DataFrame:
    """Return the value in effect of each (indicator, year, month): the newest visible upload's."""
    o = observations
    # Excluding the few hidden uploads (rather than listing the visible ones) lets SQLite walk the
    # covering index in key order instead of sorting two million rows.
    visible = o.c.upload_id.not_in(sa.select(uploads.c.id).where(sa.not_(_visible(as_of))))
    key = (o.c.indicator, o.c.year, o.c.month)
    if engine.dialect.name == "sqlite":
        # SQLite gives a group's other columns from the row holding its max() (a documented rule): one walk of the
        # index, without joining each newest key back to its row (half the time at 600,000 values).
        newest_id = sa.func.max(o.c.upload_id).label("upload_id")
        statement = sa.select(*key, o.c.value, o.c.note, newest_id).where(visible).group_by(*key).order_by(*key)
    else:
        newest = sa.select(*key, sa.func.max(o.c.upload_id).label("upload_id")).where(visible).group_by(*key).subquery()
        statement = (
            sa.select(*OBSERVATION_FIELDS)
            .join(
                newest,
                sa.and_(
                    o.c.indicator == newest.c.indicator,
                    o.c.year == newest.c.year,
                    o.c.month == newest.c.month,
                    o.c.upload_id == newest.c.upload_id,
                ),
            )
            # In code point order, as SQLite's byte order gives it (hqd.store.figures lays new figures in by it).
            .order_by(o.c.indicator.collate("C"), o.c.year, o.c.month)
        )
    with engine.connect() as conn:
        frame = read_plain_frame(conn, statement)
    return typed_observations(frame)


def read_year_figures(engine: Engine, years) -> pd.DataFrame:
    """Return the value in effect of each (indicator, year, month) of the given years: indicator, year, month, value.

    What an upload is compared with and checked for jumps against (its years and the years before them). The rows of
    those years are read as stored and the newest upload's kept here: a plain scan, where read_observations' newest
    row per key makes SQLite look up each key's row beside its index (0.35 s against 0.8 s at 133,000 values). The
    columns are taken from the driver's rows one by one, text left as Python's (a third of the time of a frame
    made from the records, which converts each text to pandas' own).
    """
    o = observations
    hidden = sa.select(uploads.c.id).where(sa.not_(_visible(None)))
    statement = sa.select(o.c.indicator, o.c.year, o.c.month, o.c.value, o.c.upload_id).where(
        o.c.upload_id.not_in(hidden), o.c.year.in_(sorted({int(year) for year in years}))
    )
    with engine.connect() as conn:
        rows = conn.execute(statement).cursor.fetchall()
    columns = {
        "indicator": np.array(list(map(itemgetter(0), rows)), dtype=object),
        **{
            name: np.fromiter(map(itemgetter(place), rows), dtype=dtype, count=len(rows))
            for place, name, dtype in ((1, "year", "int64"), (2, "month", "int64"), (3, "value", "float64"))
        },
    }
    newest = np.fromiter(map(itemgetter(4), rows), dtype="int64", count=len(rows))
    frame = pd.DataFrame(columns)
    if len(frame) and len(np.unique(newest)) > 1:
        # A figure sent again in a later upload: the later one is in effect.
        in_order = frame.iloc[np.argsort(newest, kind="stable")]
        frame = in_order.drop_duplicates(["indicator", "year", "month"], keep="last")
    return frame.reset_index(drop=True)


def read_upload_observations(engine: Engine, upload_id: int) -> pd.DataFrame:
    """Return the observations one upload brought, as it brought them."""
    o = observations
    statement = (
        sa.select(*OBSERVATION_FIELDS)
        .where(o.c.upload_id == int(upload_id))
        .order_by(o.c.indicator, o.c.year, o.c.month)
    )
    with engine.connect() as conn:
        frame = read_frame(conn, statement)
    return typed_observations(frame)


def read_lineage(engine: Engine, indicator: str) -> pd.DataFrame:
    """Return every value ever uploaded for one indicator, with its upload's file, user and times."""
    o, u = observations, uploads
    statement = (
        sa.select(
            o.c.year,
            o.c.month,
            o.c.value,
            o.c.note,
            o.c.upload_id,
            u.c.file_name,
            u.c.user_name,
            u.c.created_at,
            u.c.rolled_back_at,
            u.c.rolled_back_by,
            u.c.is_sample,
        )
        .join(u, u.c.id == o.c.upload_id)
        .where(o.c.indicator == indicator)
        .order_by(o.c.year, o.c.month, o.c.upload_id)
    )
    with engine.connect() as conn:
        return read_frame(conn, statement)


def typed_observations(frame: pd.DataFrame) -> pd.DataFrame:
    """Return observations with their dtypes (an empty result has none)."""
    if not len(frame):
        return empty_observations()
    return frame.astype(
        {"indicator": "str", "year": "int64", "month": "int64", "value": "float64", "note": "str", "upload_id": "int64"}
    )


def empty_observations() -> pd.DataFrame:
    """Return an observations frame with no rows."""
    return pd.DataFrame(
        {
            "indicator": pd.Series(dtype="str"),
            "year": pd.Series(dtype="int64"),
            "month": pd.Series(dtype="int64"),
            "value": pd.Series(dtype="float64"),
            "note": pd.Series(dtype="str"),
            "upload_id": pd.Series(dtype="int64"),
        }
    )


def read_uploads(engine: Engine, kind: str | None = None) -> pd.DataFrame:
    """Return every upload, newest first, without its file bytes."""
    columns = [c for c in uploads.c if c.name != "content"] + [uploads.c.rolled_back_at.is_(None).label("in_effect")]
    statement = sa.select(*columns).order_by(uploads.c.id.desc())
    if kind:
        statement = statement.where(uploads.c.kind == kind)
    with engine.connect() as conn:
        return read_frame(conn, statement)


def read_upload_file(engine: Engine, upload_id: int) -> tuple[str, bytes]:
    """Return the file name and the exact bytes of an upload."""
    upload_id = int(upload_id)
    with engine.connect() as conn:
        row = conn.execute(sa.select(uploads.c.file_name, uploads.c.content).where(uploads.c.id == upload_id)).first()
    if row is None:
        raise StoreError("store.no_upload", upload_id=upload_id)
    return row.file_name, bytes(row.content)


def upload_kind(engine: Engine, upload_id: int) -> str:
    """Return whether an upload brought values (DATA) or a catalog version (CATALOG)."""
    with engine.connect() as conn:
        kind = conn.execute(sa.select(uploads.c.kind).where(uploads.c.id == int(upload_id))).scalar_one_or_none()
    if kind is None:
        raise StoreError("store.no_upload", upload_id=int(upload_id))
    return kind


def rollback_upload(engine: Engine, upload_id: int, user: str = "", role: str | None = None) -> None:
    """Take an upload out of effect; the values it replaced come back.

    Who may is not asked here: hqd.imports.rollback checks the role before calling this. The
    role is recorded in the audit log.
    """
    upload_id = int(upload_id)
    with writing(engine) as conn:
        row = conn.execute(sa.select(uploads.c.kind, uploads.c.rolled_back_at).where(uploads.c.id == upload_id)).first()
        if row is None:
            raise StoreError("store.no_upload", upload_id=upload_id)
        if row.rolled_back_at is not None:
            raise StoreError("store.already_rolled_back", upload_id=upload_id, at=row.rolled_back_at)
        if row.kind == CATALOG:
            left = conn.execute(
                sa.select(sa.func.count()).where(
                    uploads.c.kind == CATALOG, uploads.c.rolled_back_at.is_(None), uploads.c.id != upload_id
                )
            ).scalar_one()
            if not left:
                raise StoreError("store.last_catalog", upload_id=upload_id)
        conn.execute(
            uploads.update().where(uploads.c.id == upload_id).values(rolled_back_at=utc_now(), rolled_back_by=user)
        )
        bump_revision(conn)
        name = conn.execute(sa.select(uploads.c.file_name).where(uploads.c.id == upload_id)).scalar_one()
        record(conn, user, role, "rollback", {"code": "audit.rolled_back", "upload_id": upload_id}, upload_id, name)


def has_sample(engine: Engine) -> bool:
    """Tell whether sample data is in effect."""
    with engine.connect() as conn:
        found = conn.execute(
            sa.select(uploads.c.id).where(uploads.c.is_sample.is_(True), uploads.c.rolled_back_at.is_(None))
        ).first()
    return found is not None


def remove_sample(engine: Engine, user: str = "", role: str | None = None) -> int:
    """Delete the sample values and files; return how many sample uploads were removed.

    The upload rows stay, marked as taken out of effect, so ids are never reused and the audit
    log and history keep pointing at what really happened. Who may is checked by the caller
    (hqd.bootstrap.remove_sample).
    """
    with writing(engine) as conn:
        # Sample uploads still holding values or reports (an upload of reports alone has no rows), whether or
        # not someone rolled them back first; a removed one keeps no content.
        holding = sa.or_(uploads.c.rows > 0, sa.func.length(uploads.c.content) > 0)
        stored = sa.and_(uploads.c.is_sample.is_(True), holding)
        ids = conn.execute(sa.select(uploads.c.id).where(stored)).scalars().all()
        if ids:
            for table in (observations, *REPORT_TABLES.values()):
                conn.execute(table.delete().where(table.c.upload_id.in_(ids)))
            conn.execute(
                uploads.update()
                .where(uploads.c.id.in_(ids))
                .values(
                    rolled_back_at=sa.func.coalesce(uploads.c.rolled_back_at, utc_now()),
                    rolled_back_by=sa.func.coalesce(uploads.c.rolled_back_by, user or "—"),
                    content=b"",
                    rows=0,
                )
            )
            bump_revision(conn)
            record(conn, user, role, "sample_removed", {"code": "audit.sample_removed", "uploads": len(ids)})
    return len(ids)
