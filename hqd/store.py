"""The database: uploads with their raw files, the observations they brought, catalog versions.

Nothing is updated in place or deleted (except sample data on request): the current value of
(indicator, year) is the one from the newest upload not rolled back, so a rollback restores
exactly what was there before and any past moment can be recomputed.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import sqlite3
import time
from collections.abc import Iterator, Mapping
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from hqd.accounts import allows
from hqd.catalog import INTEGERS, TABLES, Catalog, build_catalog
from hqd.settings import SQLITE_BUSY_SECONDS, database_url

SCHEMA_VERSION = 3
# A counter in meta bumped by every change to the data; the pages key their caches on it.
REVISION = "data_revision"
# The audit chain's head in meta: "<number of rows> <hash of the last row>". Appends lock it, and
# it lets --verify notice rows deleted from the end, which leave no gap behind.
AUDIT_HEAD = "audit_head"
GENESIS = "0" * 64
# PostgreSQL advisory lock keys: schema creation and migrations; a replica's first start.
SCHEMA_LOCK, FIRST_START_LOCK = 4_851_440_001, 4_851_440_002
DATA, CATALOG = "data", "catalog"

metadata = sa.MetaData()

meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)
uploads = sa.Table(
    "uploads",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False, index=True),
    sa.Column("content", sa.LargeBinary, nullable=False),
    sa.Column("user_name", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("is_sample", sa.Boolean, nullable=False, default=False),
    sa.Column("rows", sa.Integer, nullable=False, default=0),
    sa.Column("new", sa.Integer, nullable=False, default=0),
    sa.Column("changed", sa.Integer, nullable=False, default=0),
    sa.Column("unchanged", sa.Integer, nullable=False, default=0),
    sa.Column("warnings", sa.Integer, nullable=False, default=0),
    sa.Column("rolled_back_at", sa.DateTime, nullable=True),
    sa.Column("rolled_back_by", sa.Text, nullable=True),
    # Ids are never reused (SQLite would reuse the highest after a delete): audit rows point at them.
    sqlite_autoincrement=True,
)
# The same bytes are in effect at most once, enforced by the database: a check before the insert
# alone lets two commits of one file at the same moment both land.
in_effect_once = sa.Index(
    "ux_uploads_in_effect",
    uploads.c.kind,
    uploads.c.sha256,
    unique=True,
    sqlite_where=uploads.c.rolled_back_at.is_(None),
    postgresql_where=uploads.c.rolled_back_at.is_(None),
)
observations = sa.Table(
    "observations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("upload_id", sa.Integer, sa.ForeignKey("uploads.id"), nullable=False),
    sa.Column("indicator", sa.String(64), nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("value", sa.Float, nullable=False),
    sa.Column("note", sa.Text, nullable=True),
    # Covers the current-state query: newest upload per (indicator, year) without a table scan.
    sa.Index("ix_observations_key", "indicator", "year", "upload_id"),
    sa.Index("ix_observations_upload", "upload_id"),
)


# Schema version 2: accounts, identities mapped to roles (single sign-on, proxy header), audit.
accounts = sa.Table(
    "accounts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(64), nullable=False, unique=True),
    sa.Column("display_name", sa.Text, nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("password_hash", sa.Text, nullable=True),
    sa.Column("disabled", sa.Boolean, nullable=False, default=False),
    sa.Column("failed_attempts", sa.Integer, nullable=False, default=0),
    sa.Column("locked_until", sa.DateTime, nullable=True),
    sa.Column("last_sign_in", sa.DateTime, nullable=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
)
identities = sa.Table(
    "identities",
    metadata,
    sa.Column("identity", sa.String(256), primary_key=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("display_name", sa.Text, nullable=True),
)
audit = sa.Table(
    "audit",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("user_name", sa.Text, nullable=False),
    sa.Column("role", sa.String(16), nullable=True),
    sa.Column("action", sa.String(32), nullable=False, index=True),
    sa.Column("detail", sa.Text, nullable=True),
    sa.Column("upload_id", sa.Integer, nullable=True),
    sa.Column("file_name", sa.Text, nullable=True),
    # Schema version 3: the hash chain. Nullable because rows older than it are chained by the
    # upgrade; a row without a hash fails verification like any other altered row.
    sa.Column("seq", sa.Integer, nullable=True),
    sa.Column("prev_hash", sa.String(64), nullable=True),
    sa.Column("row_hash", sa.String(64), nullable=True),
    # Two appends can never take the same place in the chain, whatever the locking.
    sa.Index("ux_audit_seq", "seq", unique=True),
)
VERSION_2_TABLES = [accounts, identities, audit]
# Schema version 3: failed sign-ins under names without an account, counted and locked like an account's.
sign_in_failures = sa.Table(
    "sign_in_failures",
    metadata,
    sa.Column("username", sa.String(64), primary_key=True),
    sa.Column("failed_attempts", sa.Integer, nullable=False, default=0),
    sa.Column("locked_until", sa.DateTime, nullable=True),
)
VERSION_3_TABLES = [sign_in_failures]
# The fields of an audit row its hash covers (with its place in the chain and the previous hash).
AUDIT_FIELDS = ("at", "user_name", "role", "action", "detail", "upload_id", "file_name")


def _catalog_table(name: str, columns: list[str]) -> sa.Table:
    """Return the table holding one catalog table for every catalog version (upload)."""
    typed = [
        sa.Column(
            c,
            sa.Integer if c in INTEGERS else sa.Float if c in {"base_value", "target_value", "weight"} else sa.Text,
            nullable=True,
        )
        for c in columns
    ]
    return sa.Table(
        f"catalog_{name}",
        metadata,
        sa.Column("upload_id", sa.Integer, sa.ForeignKey("uploads.id"), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        *typed,
    )


catalog_tables = {name: _catalog_table(name, columns) for name, columns in TABLES.items()}


class StoreError(Exception):
    """A request the store refuses; the message is for the user, in Chinese."""


class BusyError(StoreError):
    """Another commit held the database for too long."""

    def __init__(self) -> None:
        super().__init__("数据库正忙(其他人正在提交),请稍后重试。")


class DuplicateUploadError(StoreError):
    """The same bytes are already stored in an upload that is in effect."""

    def __init__(self, upload_id: int, file_name: str):
        self.upload_id = upload_id
        super().__init__(f"该文件与第 {upload_id} 号上传({file_name})内容完全相同,未重复导入。")


def connect(url: str | None = None) -> Engine:
    """Return an engine for the URL (default: HQD_DATABASE_URL or data/hqd.db), schema ready."""
    url = url or database_url()
    is_sqlite = url.startswith("sqlite")
    if is_sqlite and ":memory:" not in url and url != "sqlite://":
        Path(sa.engine.make_url(url).database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(
        url, connect_args={"timeout": SQLITE_BUSY_SECONDS} if is_sqlite else {}, pool_pre_ping=not is_sqlite
    )
    if is_sqlite:
        _configure_sqlite(engine)
    ensure_schema(engine)
    return engine


def _enter_wal(cursor) -> None:
    """Switch a SQLite database to WAL, waiting for another process doing the same on a new file.

    SQLite answers "locked" at once, without its busy timeout, to two connections converting a
    new database together; the mode is kept in the file, so a retry finds it done.
    """
    deadline = time.monotonic() + SQLITE_BUSY_SECONDS
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _configure_sqlite(engine: Engine) -> None:
    """Use WAL, a busy timeout, and BEGIN IMMEDIATE for writes so concurrent commits queue."""

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # SQLAlchemy emits BEGIN itself (below); the driver's own transaction handling is off.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        _enter_wal(cursor)
        cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_SECONDS * 1000)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection):
        # A deferred transaction that later writes cannot wait for the lock; IMMEDIATE can.
        immediate = connection.get_execution_options().get("hqd_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """Yield a connection in a write transaction: all of it lands or none of it does."""
    try:
        with engine.connect().execution_options(hqd_write=True) as conn, conn.begin():
            yield conn
    except OperationalError as error:
        if "locked" in str(error).lower() or "busy" in str(error).lower():
            raise BusyError() from error
        raise


def _now() -> datetime:
    """Return the current UTC time without zone (as stored)."""
    return datetime.now(UTC).replace(tzinfo=None)


def _utc(moment: datetime) -> datetime:
    """Return a moment as naive UTC, the way timestamps are stored."""
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _make_audit_append_only(conn: Connection) -> None:
    """Refuse, in the database itself, any change to or removal of an audit row."""
    if conn.dialect.name == "sqlite":
        for event in ("UPDATE", "DELETE"):
            conn.exec_driver_sql(
                f"CREATE TRIGGER IF NOT EXISTS audit_no_{event.lower()} BEFORE {event} ON audit "
                "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
            )
        # INSERT OR REPLACE deletes the old row without firing the DELETE trigger; refuse it before.
        conn.exec_driver_sql(
            "CREATE TRIGGER IF NOT EXISTS audit_no_replace BEFORE INSERT ON audit "
            "WHEN EXISTS (SELECT 1 FROM audit WHERE id = NEW.id) "
            "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
        )
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql(
            "CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$ LANGUAGE plpgsql"
        )
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_append_only ON audit")
        conn.exec_driver_sql(
            "CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit "
            "FOR EACH ROW EXECUTE FUNCTION audit_append_only()"
        )


def _drop_audit_guards(conn: Connection) -> None:
    """Remove the append-only triggers, for an upgrade that must fill new audit columns."""
    if conn.dialect.name == "sqlite":
        for name in ("audit_no_update", "audit_no_delete", "audit_no_replace"):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_append_only ON audit")


def _add_accounts_and_audit(conn: Connection) -> None:
    """Upgrade 1 -> 2: add accounts, identities and the append-only audit log."""
    metadata.create_all(conn, tables=VERSION_2_TABLES)
    _make_audit_append_only(conn)


def _add_sign_in_failures(conn: Connection) -> None:
    """Count failed sign-ins under unknown names, so that they lock like known ones."""
    metadata.create_all(conn, tables=VERSION_3_TABLES)


def _chain_audit_and_refuse_copies(conn: Connection) -> None:
    """Hash-chain the audit log; let the database refuse a second copy in effect.

    Copies already in effect (two commits of one file at the same moment, before this version)
    keep the oldest; the others are rolled back, and the audit log says so.
    """
    present = {c["name"] for c in sa.inspect(conn).get_columns("audit")}
    for column in ("seq", "prev_hash", "row_hash"):
        if column not in present:
            kind = "INTEGER" if column == "seq" else "VARCHAR(64)"
            conn.exec_driver_sql(f"ALTER TABLE audit ADD COLUMN {column} {kind}")
    # Filling the new columns is an update; the triggers come back before the transaction ends.
    _drop_audit_guards(conn)
    previous, rows = GENESIS, conn.execute(sa.select(audit).order_by(audit.c.id)).mappings().all()
    for seq, row in enumerate(rows, start=1):
        row_hash = hash_audit_row(row, seq, previous)
        conn.execute(
            audit.update().where(audit.c.id == row["id"]).values(seq=seq, prev_hash=previous, row_hash=row_hash)
        )
        previous = row_hash
    _make_audit_append_only(conn)
    for index in audit.indexes:
        index.create(conn, checkfirst=True)
    conn.execute(meta.insert().values(key=AUDIT_HEAD, value=f"{len(rows)} {previous}"))

    copies = conn.execute(
        sa.select(uploads.c.id, uploads.c.kind, uploads.c.sha256)
        .where(uploads.c.rolled_back_at.is_(None))
        .order_by(uploads.c.id)
    ).all()
    kept: set[tuple[str, str]] = set()
    for upload_id, kind, sha256 in copies:
        if (kind, sha256) not in kept:
            kept.add((kind, sha256))
            continue
        conn.execute(
            uploads.update().where(uploads.c.id == upload_id).values(rolled_back_at=_now(), rolled_back_by="HQD")
        )
        _bump_revision(conn)
        _audit(
            conn, "HQD", None, "rollback", f"撤销第 {upload_id} 号上传：与更早的上传内容完全相同（结构升级）", upload_id
        )
    in_effect_once.create(conn, checkfirst=True)


def _upgrade_to_3(conn: Connection) -> None:
    """Upgrade 2 -> 3: unknown names' failed sign-ins, the audit hash chain, one copy of a file in effect."""
    _add_sign_in_failures(conn)
    _chain_audit_and_refuse_copies(conn)


# Migrations from a schema version to the next, run in order inside one transaction.
MIGRATIONS: dict[int, callable] = {1: _add_accounts_and_audit, 2: _upgrade_to_3}


def ensure_schema(engine: Engine) -> None:
    """Create the tables of a new database, or upgrade an older schema keeping its data."""
    with writing(engine) as conn:
        if conn.dialect.name == "postgresql":
            # Two replicas starting on an empty database would both create the tables; one waits.
            conn.execute(sa.select(sa.func.pg_advisory_xact_lock(SCHEMA_LOCK)))
        if not sa.inspect(conn).has_table("meta"):
            metadata.create_all(conn)
            _make_audit_append_only(conn)
            conn.execute(meta.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))
            conn.execute(meta.insert().values(key=AUDIT_HEAD, value=f"0 {GENESIS}"))
            return
        version = int(conn.execute(sa.select(meta.c.value).where(meta.c.key == "schema_version")).scalar_one())
        if version > SCHEMA_VERSION:
            raise StoreError(f"数据库结构版本 {version} 比本程序({SCHEMA_VERSION})新,请升级 HQD。")
        try:
            for step in range(version, SCHEMA_VERSION):
                MIGRATIONS[step](conn)
        except ProgrammingError as error:
            if "permission denied" in str(error) or "must be owner" in str(error):
                raise StoreError(
                    f"数据库结构需要从版本 {version} 升级到 {SCHEMA_VERSION}，当前数据库账号无权修改结构。"
                    "请用数据库所有者账号运行 python -m hqd init，再用 python -m hqd grant 重新授权。"
                ) from error
            raise
        if version != SCHEMA_VERSION:
            conn.execute(meta.update().where(meta.c.key == "schema_version").values(value=str(SCHEMA_VERSION)))


def schema_version(engine: Engine) -> int:
    """Return the schema version recorded in the database."""
    with engine.connect() as conn:
        return int(conn.execute(sa.select(meta.c.value).where(meta.c.key == "schema_version")).scalar_one())


def _visible(as_of: datetime | None):
    """Return the condition for uploads in effect now, or at a past moment."""
    if as_of is None:
        return uploads.c.rolled_back_at.is_(None)
    as_of = _utc(as_of)
    return sa.and_(
        uploads.c.created_at <= as_of, sa.or_(uploads.c.rolled_back_at.is_(None), uploads.c.rolled_back_at > as_of)
    )


def _frame(conn: Connection, statement) -> pd.DataFrame:
    """Return the rows of a query as a frame."""
    result = conn.execute(statement)
    # Plain tuples: pandas builds a frame from them ten times faster than from Row objects.
    return pd.DataFrame.from_records([tuple(row) for row in result], columns=list(result.keys()))


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
) -> int:
    """Insert an upload row after refusing a copy of an upload in effect; return its id."""
    same = _copy_in_effect(conn, content, kind)
    if same:
        raise same
    _bump_revision(conn)
    insert = (
        uploads.insert()
        .values(
            kind=kind,
            file_name=file_name,
            sha256=hashlib.sha256(content).hexdigest(),
            content=content,
            user_name=user,
            created_at=_now(),
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


def _store_catalog(
    conn: Connection,
    catalog: Catalog,
    file_name: str,
    content: bytes | None,
    user: str,
    counts: dict | None = None,
    role: str | None = None,
) -> int:
    """Insert a catalog version with its four tables; return its upload id."""
    tables = catalog.tables()
    if content is None:
        content = json.dumps(
            {n: t.to_dict("records") for n, t in tables.items()}, ensure_ascii=False, default=str
        ).encode("utf-8")
    upload_id = _insert_upload(
        conn, CATALOG, file_name, content, user, counts={"rows": len(catalog.indicators), **(counts or {})}
    )
    for name, frame in tables.items():
        records = frame.astype(object).where(frame.notna(), None).to_dict("records")
        conn.execute(
            catalog_tables[name].insert(),
            [{"upload_id": upload_id, "position": i, **r} for i, r in enumerate(records)],
        )
    changed = (counts or {}).get("changed")
    detail = f"指标目录新版本,{len(catalog.indicators)} 项指标" + (f",修改 {changed} 处" if changed else "")
    _audit(conn, user, role, "catalog_changed", detail, upload_id, file_name)
    return upload_id


def _store_observations(
    conn: Connection,
    frame: pd.DataFrame,
    file_name: str,
    content: bytes,
    user: str,
    is_sample: bool = False,
    counts: dict | None = None,
    role: str | None = None,
) -> int:
    """Insert an upload and its observations (indicator, year, value, note); return its id."""
    rows = frame[["indicator", "year", "value"]].assign(note=frame.get("note", None))
    records = rows.astype(object).where(rows.notna(), None).to_dict("records")
    upload_id = _insert_upload(
        conn, DATA, file_name, content, user, is_sample, {"rows": len(records), **(counts or {})}
    )
    if records:
        conn.execute(observations.insert(), [{"upload_id": upload_id, **r} for r in records])
    counts = counts or {}
    detail = f"{len(records)} 个数值(新增 {counts.get('new', 0)},修改 {counts.get('changed', 0)})"
    _audit(conn, user, role, "upload_committed", detail, upload_id, file_name)
    return upload_id


def commit_catalog(
    engine: Engine,
    catalog: Catalog,
    file_name: str,
    content: bytes | None = None,
    user: str = "",
    role: str | None = None,
) -> int:
    """Store a new catalog version; return its upload id."""
    with writing(engine) as conn:
        return _store_catalog(conn, catalog, file_name, content, user, role=role)


def commit_observations(
    engine: Engine,
    frame: pd.DataFrame,
    file_name: str,
    content: bytes,
    user: str,
    is_sample: bool = False,
    counts: dict | None = None,
    role: str | None = None,
) -> int:
    """Store one upload and its observations in one transaction; return its id."""
    with writing(engine) as conn:
        return _store_observations(conn, frame, file_name, content, user, is_sample, counts, role)


def commit_upload(
    engine: Engine,
    file_name: str,
    content: bytes,
    user: str,
    frame: pd.DataFrame | None = None,
    catalog: Catalog | None = None,
    counts: dict | None = None,
    catalog_counts: dict | None = None,
    is_sample: bool = False,
    role: str | None = None,
) -> dict[str, int]:
    """Store a file's observations and its catalog revision together: both land or neither does.

    Returns the upload id of each kind stored.
    """
    ids = {}
    with writing(engine) as conn:
        if catalog is not None:
            ids[CATALOG] = _store_catalog(conn, catalog, file_name, content, user, catalog_counts, role)
        if frame is not None and len(frame):
            ids[DATA] = _store_observations(conn, frame, file_name, content, user, is_sample, counts, role)
    return ids


def has_catalog(engine: Engine, as_of: datetime | None = None) -> bool:
    """Tell whether a catalog version is in effect (now, or at a past moment)."""
    with engine.connect() as conn:
        found = conn.execute(sa.select(uploads.c.id).where(uploads.c.kind == CATALOG, _visible(as_of))).first()
    return found is not None


def load_catalog(engine: Engine, as_of: datetime | None = None) -> Catalog:
    """Return the catalog version in effect now (or at a past moment)."""
    with engine.connect() as conn:
        version = conn.execute(
            sa.select(sa.func.max(uploads.c.id)).where(uploads.c.kind == CATALOG, _visible(as_of))
        ).scalar_one()
    if version is None:
        raise StoreError("数据库中没有指标目录,请先运行 python -m hqd init。")
    return _catalog_version(engine, version)


# A stored catalog version never changes, so each is read and checked once per engine.
@lru_cache(maxsize=32)
def _catalog_version(engine: Engine, version: int) -> Catalog:
    """Return one stored catalog version, checked."""
    with engine.connect() as conn:
        tables = {
            name: _frame(
                conn,
                sa.select(*[table.c[c] for c in TABLES[name]])
                .where(table.c.upload_id == version)
                .order_by(table.c.position),
            )
            for name, table in catalog_tables.items()
        }
    return build_catalog(tables)


def read_observations(engine: Engine, as_of: datetime | None = None) -> pd.DataFrame:
    """Return the value in effect of each (indicator, year): the newest visible upload's."""
    o = observations
    # Excluding the few hidden uploads (rather than listing the visible ones) lets SQLite walk the
    # covering index in key order instead of sorting two million rows.
    newest = (
        sa.select(o.c.indicator, o.c.year, sa.func.max(o.c.upload_id).label("upload_id"))
        .where(o.c.upload_id.not_in(sa.select(uploads.c.id).where(sa.not_(_visible(as_of)))))
        .group_by(o.c.indicator, o.c.year)
        .subquery()
    )
    statement = (
        sa.select(o.c.indicator, o.c.year, o.c.value, o.c.note, o.c.upload_id)
        .join(
            newest,
            sa.and_(
                o.c.indicator == newest.c.indicator, o.c.year == newest.c.year, o.c.upload_id == newest.c.upload_id
            ),
        )
        .order_by(o.c.indicator, o.c.year)
    )
    with engine.connect() as conn:
        frame = _frame(conn, statement)
    return _typed(frame)


def read_upload_observations(engine: Engine, upload_id: int) -> pd.DataFrame:
    """Return the observations one upload brought, as it brought them."""
    o = observations
    statement = (
        sa.select(o.c.indicator, o.c.year, o.c.value, o.c.note, o.c.upload_id)
        .where(o.c.upload_id == int(upload_id))
        .order_by(o.c.indicator, o.c.year)
    )
    with engine.connect() as conn:
        frame = _frame(conn, statement)
    return _typed(frame)


def read_lineage(engine: Engine, indicator: str) -> pd.DataFrame:
    """Return every value ever uploaded for one indicator, with its upload's file, user and times."""
    o, u = observations, uploads
    statement = (
        sa.select(
            o.c.year,
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
        .order_by(o.c.year, o.c.upload_id)
    )
    with engine.connect() as conn:
        return _frame(conn, statement)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Return observations with their dtypes (an empty result has none)."""
    if not len(frame):
        return empty_observations()
    return frame.astype({"indicator": "str", "year": "int64", "value": "float64", "upload_id": "int64"})


def empty_observations() -> pd.DataFrame:
    """Return an observations frame with no rows."""
    return pd.DataFrame(
        {
            "indicator": pd.Series(dtype="str"),
            "year": pd.Series(dtype="int64"),
            "value": pd.Series(dtype="float64"),
            "note": pd.Series(dtype="object"),
            "upload_id": pd.Series(dtype="int64"),
        }
    )


def data_version(engine: Engine) -> tuple[int]:
    """Return a key that changes whenever stored data changes (commit, rollback, sample removal)."""
    with engine.connect() as conn:
        value = conn.execute(sa.select(meta.c.value).where(meta.c.key == REVISION)).scalar_one_or_none()
    return (int(value or 0),)


def _bump_revision(conn: Connection) -> None:
    """Count one more change to the data, within the caller's transaction."""
    next_value = sa.cast(sa.cast(meta.c.value, sa.Integer) + 1, sa.Text)
    updated = conn.execute(meta.update().where(meta.c.key == REVISION).values(value=next_value))
    if not updated.rowcount:
        conn.execute(meta.insert().values(key=REVISION, value="1"))


def read_uploads(engine: Engine, kind: str | None = None) -> pd.DataFrame:
    """Return every upload, newest first, without its file bytes."""
    columns = [c for c in uploads.c if c.name != "content"] + [uploads.c.rolled_back_at.is_(None).label("in_effect")]
    statement = sa.select(*columns).order_by(uploads.c.id.desc())
    if kind:
        statement = statement.where(uploads.c.kind == kind)
    with engine.connect() as conn:
        return _frame(conn, statement)


def read_upload_file(engine: Engine, upload_id: int) -> tuple[str, bytes]:
    """Return the file name and the exact bytes of an upload."""
    upload_id = int(upload_id)
    with engine.connect() as conn:
        row = conn.execute(sa.select(uploads.c.file_name, uploads.c.content).where(uploads.c.id == upload_id)).first()
    if row is None:
        raise StoreError(f"没有第 {upload_id} 号上传。")
    return row.file_name, bytes(row.content)


def rollback_upload(engine: Engine, upload_id: int, user: str = "", role: str | None = None) -> None:
    """Take an upload out of effect; the values it replaced come back.

    With a role (from the pages) it is checked here too: editors roll back data, admins catalogs.
    """
    upload_id = int(upload_id)
    with writing(engine) as conn:
        row = conn.execute(sa.select(uploads.c.kind, uploads.c.rolled_back_at).where(uploads.c.id == upload_id)).first()
        if row is None:
            raise StoreError(f"没有第 {upload_id} 号上传。")
        if row.rolled_back_at is not None:
            raise StoreError(f"第 {upload_id} 号上传已于 {row.rolled_back_at:%Y-%m-%d %H:%M} 撤销。")
        needed = "admin" if row.kind == CATALOG else "editor"
        if role is not None and not allows(role, needed):
            raise StoreError("只有填报人员或管理员可以撤销上传;撤销指标目录须由管理员进行。")
        if row.kind == CATALOG:
            left = conn.execute(
                sa.select(sa.func.count()).where(
                    uploads.c.kind == CATALOG, uploads.c.rolled_back_at.is_(None), uploads.c.id != upload_id
                )
            ).scalar_one()
            if not left:
                raise StoreError("这是唯一有效的指标目录版本,不能撤销。")
        conn.execute(
            uploads.update().where(uploads.c.id == upload_id).values(rolled_back_at=_now(), rolled_back_by=user)
        )
        _bump_revision(conn)
        name = conn.execute(sa.select(uploads.c.file_name).where(uploads.c.id == upload_id)).scalar_one()
        _audit(conn, user, role, "rollback", f"撤销第 {upload_id} 号上传", upload_id, name)


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
    log and history keep pointing at what really happened.
    """
    with writing(engine) as conn:
        # Sample uploads still holding values, whether or not someone rolled them back first.
        stored = sa.and_(uploads.c.is_sample.is_(True), uploads.c.rows > 0)
        ids = conn.execute(sa.select(uploads.c.id).where(stored)).scalars().all()
        if ids:
            conn.execute(observations.delete().where(observations.c.upload_id.in_(ids)))
            conn.execute(
                uploads.update()
                .where(uploads.c.id.in_(ids))
                .values(
                    rolled_back_at=sa.func.coalesce(uploads.c.rolled_back_at, _now()),
                    rolled_back_by=sa.func.coalesce(uploads.c.rolled_back_by, user or "—"),
                    content=b"",
                    rows=0,
                )
            )
            _bump_revision(conn)
            _audit(conn, user, role, "sample_removed", f"删除示例数据({len(ids)} 次上传)")
    return len(ids)


# Audit log: who did what, when, from which file. Rows are only ever added, each chained to the
# one before by a hash, so a row changed, replaced or removed behind the app's back is noticed.


def _canonical_time(moment: datetime | str) -> str:
    """Return a stored time as ISO 8601 in UTC with microseconds, the same however it was read."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return _utc(moment).isoformat(sep="T", timespec="microseconds") + "Z"


def hash_audit_row(row: Mapping, seq: int, prev_hash: str) -> str:
    """Return the SHA-256 of an audit row's fields, its place in the chain and the previous row's hash.

    The serialisation is canonical (JSON, sorted keys, times in UTC) so the same row always
    hashes the same on SQLite and PostgreSQL.
    """
    fields = {name: row[name] for name in AUDIT_FIELDS}
    fields["at"] = _canonical_time(row["at"])
    payload = json.dumps(
        {**fields, "seq": seq, "prev_hash": prev_hash}, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _read_audit_head(conn: Connection, lock: bool = False) -> tuple[int, str] | None:
    """Return the chain's length and last hash as the head records them (None if the head is gone)."""
    statement = sa.select(meta.c.value).where(meta.c.key == AUDIT_HEAD)
    value = conn.execute(statement.with_for_update() if lock else statement).scalar_one_or_none()
    count, _, last = (value or "").partition(" ")
    return (int(count), last) if count.isdigit() and len(last) == len(GENESIS) else None


def _audit(
    conn: Connection,
    user: str,
    role: str | None,
    action: str,
    detail: str = "",
    upload_id: int | None = None,
    file_name: str | None = None,
) -> None:
    """Append one audit row within the caller's transaction, chained to the row before."""
    # FOR UPDATE makes concurrent appends on PostgreSQL take turns (SQLite's BEGIN IMMEDIATE
    # already does): two appends reading the same head would fork the chain.
    head = _read_audit_head(conn, lock=True)
    if head is None:
        raise StoreError("审计日志的链头记录缺失，可能被人改动过；请管理员运行 python -m hqd audit --verify 检查。")
    count, previous = head
    row = {
        "at": _now(),
        "user_name": user or "—",
        "role": role,
        "action": action,
        "detail": detail,
        "upload_id": upload_id,
        "file_name": file_name,
    }
    row_hash = hash_audit_row(row, count + 1, previous)
    conn.execute(audit.insert().values(**row, seq=count + 1, prev_hash=previous, row_hash=row_hash))
    conn.execute(meta.update().where(meta.c.key == AUDIT_HEAD).values(value=f"{count + 1} {row_hash}"))


@dataclass(frozen=True)
class AuditCheck:
    """The result of checking the audit chain.

    `problem` is None when intact, else "changed" (a row's content no longer matches its hash),
    "link" (a row does not follow the one before: edited and re-hashed, replaced, inserted or
    reordered), "missing" (a row was deleted) or "head" (the chain's head record is gone or
    does not match the last row). `seq` and `row_id` name the first broken link.
    """

    rows: int
    last_hash: str
    problem: str | None = None
    seq: int | None = None
    row_id: int | None = None

    @property
    def intact(self) -> bool:
        return self.problem is None


def verify_audit(engine: Engine) -> AuditCheck:
    """Walk the audit chain from the first row; return where it first breaks, if anywhere."""
    # Times are read as stored text on SQLite, so a row rewritten with a malformed time is
    # reported as changed rather than failing to load.
    at = sa.type_coerce(audit.c.at, sa.String).label("at") if engine.dialect.name == "sqlite" else audit.c.at
    fields = [at, *(audit.c[n] for n in AUDIT_FIELDS if n != "at")]
    columns = [audit.c.id, *fields, audit.c.seq, audit.c.prev_hash, audit.c.row_hash]
    expected, previous = 1, GENESIS
    with engine.connect() as conn:
        # In chain order; rows without a place in it come last, where they break the chain.
        order = (audit.c.seq.asc().nulls_last(), audit.c.id)
        for row in conn.execute(sa.select(*columns).order_by(*order)).mappings():
            where = {"seq": expected, "row_id": row["id"]}
            if row["seq"] is not None and row["seq"] > expected:
                return AuditCheck(expected - 1, previous, "missing", expected, row["id"])
            if row["seq"] != expected or row["prev_hash"] != previous:
                return AuditCheck(expected - 1, previous, "link", **where)
            try:
                content_hash = hash_audit_row(row, expected, previous)
            except (ValueError, TypeError):
                content_hash = None
            if content_hash != row["row_hash"]:
                return AuditCheck(expected - 1, previous, "changed", **where)
            expected, previous = expected + 1, row["row_hash"]
        head = _read_audit_head(conn)
    count = expected - 1
    if head is not None and head[0] > count:
        return AuditCheck(count, previous, "missing", count + 1)
    if head != (count, previous):
        return AuditCheck(count, previous, "head")
    return AuditCheck(count, previous)


def append_audit(engine: Engine, *args, **kwargs) -> None:
    """Append one audit row on its own (sign-ins, previews); arguments as for _audit."""
    with writing(engine) as conn:
        _audit(conn, *args, **kwargs)


def read_audit(engine: Engine, limit: int = 1000, action: str | None = None, user: str | None = None) -> pd.DataFrame:
    """Return the newest audit rows, optionally of one action or one user."""
    statement = sa.select(audit).order_by(audit.c.id.desc()).limit(limit)
    if action:
        statement = statement.where(audit.c.action == action)
    if user:
        statement = statement.where(audit.c.user_name == user)
    with engine.connect() as conn:
        frame = _frame(conn, statement)
    return frame if len(frame) else pd.DataFrame(columns=[c.name for c in audit.c])


# Accounts (local sign-in) and identities (single sign-on or a proxy header) mapped to roles.


def count_accounts(engine: Engine) -> int:
    """Return how many accounts exist (none means single-user local mode)."""
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(accounts)).scalar_one())


def read_accounts(engine: Engine) -> pd.DataFrame:
    """Return every account without its password hash."""
    columns = [c for c in accounts.c if c.name != "password_hash"]
    with engine.connect() as conn:
        return _frame(conn, sa.select(*columns).order_by(accounts.c.username))


def read_account(engine: Engine, username: str) -> dict | None:
    """Return one account (with its hash, for checking a password), or None."""
    with engine.connect() as conn:
        row = conn.execute(sa.select(accounts).where(accounts.c.username == username)).mappings().first()
    return dict(row) if row else None


def save_account(engine: Engine, username: str, actor: str, actor_role: str | None, **fields) -> None:
    """Create or change an account (display_name, role, password_hash, disabled) and audit it."""
    allowed = {"display_name", "role", "password_hash", "disabled", "failed_attempts", "locked_until"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"unknown account fields: {unknown}")
    with writing(engine) as conn:
        exists = conn.execute(sa.select(accounts.c.id).where(accounts.c.username == username)).first()
        if exists:
            conn.execute(accounts.update().where(accounts.c.username == username).values(**fields))
            what = "修改账号"
        else:
            conn.execute(
                accounts.insert().values(
                    username=username, created_at=_now(), display_name=fields.pop("display_name", username), **fields
                )
            )
            what = "新建账号"
        # Which fields changed is recorded; a password, even hashed, is not.
        changed = ", ".join(sorted(k if k != "password_hash" else "password" for k in fields))
        _audit(conn, actor, actor_role, "account_changed", f"{what} {username}: {changed}")


def claim_sign_in_attempt(engine: Engine, username: str, now: datetime, max_failed: int, lock_until: datetime) -> dict:
    """Count a sign-in attempt as failed before the password is checked, atomically; return where it stands.

    Counting first, in one write transaction, means attempts made at the same moment cannot all
    read the same count and slip past the lock. A name without an account is counted and locked
    in the same way (in sign_in_failures), so that a refusal never tells whether the name exists.
    Returns `account` (the account with its hash, or None), `counted` (False while locked, when
    nothing is checked), `failed_attempts` and `locked_until` (set when locked, now or already).
    """
    with writing(engine) as conn:
        # FOR UPDATE holds the row on PostgreSQL; SQLite's BEGIN IMMEDIATE already holds the database.
        statement = sa.select(accounts).where(accounts.c.username == username).with_for_update()
        account = conn.execute(statement).mappings().first()
        table, key = accounts, username
        if account is None:
            # No account has a name longer than the column; such a name is counted under its start.
            table, key = sign_in_failures, username[: sign_in_failures.c.username.type.length]
            # A row to hold, even for the first attempt: two first attempts at once must not both insert.
            insert = {"sqlite": sqlite_insert, "postgresql": postgresql_insert}[conn.dialect.name]
            conn.execute(insert(table).values(username=key, failed_attempts=0).on_conflict_do_nothing())
        statement = sa.select(table.c.failed_attempts, table.c.locked_until).where(table.c.username == key)
        state = conn.execute(statement.with_for_update()).mappings().one()
        attempt = {"account": dict(account) if account else None, **state, "counted": False}
        if state["locked_until"] is not None and state["locked_until"] > now:
            return attempt
        # A lock that has run out starts the count afresh.
        failed = (0 if state["locked_until"] is not None else state["failed_attempts"]) + 1
        locked = lock_until if failed >= max_failed else None
        conn.execute(table.update().where(table.c.username == key).values(failed_attempts=failed, locked_until=locked))
        return {**attempt, "failed_attempts": failed, "locked_until": locked, "counted": True}


def confirm_sign_in(engine: Engine, username: str, role: str) -> None:
    """Clear the attempt counted for a correct password and record the sign-in."""
    with writing(engine) as conn:
        conn.execute(
            accounts.update()
            .where(accounts.c.username == username)
            .values(failed_attempts=0, locked_until=None, last_sign_in=_now())
        )
        _audit(conn, username, role, "sign_in", "密码登录")


def read_identity_roles(engine: Engine) -> pd.DataFrame:
    """Return the identities (e-mail or proxy user name) the admin has given roles."""
    with engine.connect() as conn:
        return _frame(conn, sa.select(identities).order_by(identities.c.identity))


def role_of_identity(engine: Engine, identity: str) -> tuple[str, str] | None:
    """Return the role and display name kept for an identity, or None."""
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(identities.c.role, identities.c.display_name).where(identities.c.identity == identity)
        ).first()
    return (row.role, row.display_name or identity) if row else None


def save_identity_role(
    engine: Engine, identity: str, role: str | None, actor: str, actor_role: str | None, display_name: str | None = None
) -> None:
    """Give an identity a role (None removes it) and audit the change."""
    with writing(engine) as conn:
        conn.execute(identities.delete().where(identities.c.identity == identity))
        if role:
            conn.execute(identities.insert().values(identity=identity, role=role, display_name=display_name))
        _audit(conn, actor, actor_role, "account_changed", f"身份 {identity} 的角色设为 {role or '无'}")


def backup(engine: Engine, out: Path) -> None:
    """Write a consistent copy of a SQLite database, safe while the app is running."""
    if engine.dialect.name != "sqlite":
        raise StoreError("请用数据库自带的工具备份(PostgreSQL:pg_dump)。")
    out = Path(out)
    if out.exists():
        raise StoreError(f"{out} 已存在,请换一个文件名。")
    # SQLite's online backup copies page by page under its own locking, so writers may go on.
    source = sqlite3.connect(engine.url.database)
    target = sqlite3.connect(out)
    try:
        with target:
            source.backup(target)
    finally:
        source.close()
        target.close()


def _sqlite_path(url: str) -> Path | None:
    """Return the file of a SQLite URL; None for another database or one in memory."""
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _sidecars(path: Path) -> list[Path]:
    """Return the files SQLite keeps beside a database: write-ahead log, shared memory, journal."""
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


@contextmanager
def first_start_lock(engine: Engine) -> Iterator[None]:
    """Hold, across processes, the right to set up a new database; a second replica waits, then finds it done."""
    if engine.dialect.name == "postgresql":
        # A session lock on a connection of its own: the setup itself runs many transactions.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.select(sa.func.pg_advisory_lock(FIRST_START_LOCK)))
            try:
                yield
            finally:
                conn.execute(sa.select(sa.func.pg_advisory_unlock(FIRST_START_LOCK)))
        return
    path = _sqlite_path(engine.url.render_as_string())
    if path is None:
        yield
        return
    # A file beside the database, never the database: closing any descriptor of the database
    # file would drop the locks SQLite holds on it.
    with path.with_name(path.name + ".start-lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _check_backup(path: Path) -> None:
    """Refuse a file that is not a sound HQD database; leave it as one file, without journal."""
    try:
        with closing(sqlite3.connect(path)) as conn:
            checked = conn.execute("PRAGMA integrity_check").fetchall()
            if checked != [("ok",)]:
                raise StoreError(f"备份文件已损坏（{checked[0][0]}），未恢复。")
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            version = None
            if {"meta", "uploads", "observations"} <= tables:
                version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if version is None or not str(version[0]).isdigit():
                raise StoreError("备份文件不是 HQD 数据库，未恢复。")
            if int(version[0]) > SCHEMA_VERSION:
                raise StoreError(f"备份的数据库结构版本 {version[0]} 比本程序（{SCHEMA_VERSION}）新，请先升级 HQD。")
            conn.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.DatabaseError as error:
        raise StoreError(f"备份文件不是有效的 SQLite 数据库（{error}），未恢复。") from error


def _release_database(path: Path) -> Path | None:
    """Make sure nothing holds the database, fold its write-ahead log in and set it aside.

    Returns the copy kept of it (None when there was no database).
    """
    in_use = StoreError("数据库正在使用中（HQD 仍在运行？），请先停止 HQD 再恢复。")
    if path.exists():
        try:
            # Leaving WAL mode needs the only connection, so it fails while the app has the
            # database open; it also writes a leftover -wal into this file and removes it.
            with closing(sqlite3.connect(path, timeout=1)) as conn:
                mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        except sqlite3.OperationalError as error:
            if "locked" in str(error) or "busy" in str(error):
                raise in_use from error
            mode = "unreadable"
        except sqlite3.DatabaseError:
            mode = "unreadable"
        if mode == "wal":
            raise in_use
        kept = path.with_name(f"{path.name}.replaced-{datetime.now():%Y%m%d-%H%M%S}")
        shutil.copy2(path, kept)
    else:
        kept = None
    # A log left by an unclean stop belongs to the old file; beside the restored one SQLite
    # would replay it and mix old pages into the backup.
    for leftover in _sidecars(path):
        leftover.unlink(missing_ok=True)
    return kept


def _sync(path: Path) -> None:
    """Flush a file or directory to disk."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def restore_backup(url: str, source: Path) -> Path | None:
    """Put a backup in place of the SQLite database; return where the replaced database was kept.

    The backup is checked (a sound SQLite file, an HQD schema not newer than this program)
    before anything is touched; the database must not be in use; the copy lands by an atomic
    rename, with no -wal or -shm of the old database left beside it.
    """
    target = _sqlite_path(url)
    if target is None:
        raise StoreError("只能恢复 SQLite 数据库；PostgreSQL 请用 pg_restore。")
    source = Path(source)
    if not source.is_file():
        raise StoreError(f"找不到备份文件 {source}。")
    if target.exists() and source.resolve() == target.resolve():
        raise StoreError("备份文件就是当前数据库，无需恢复。")
    target.parent.mkdir(parents=True, exist_ok=True)
    # Staged beside the database, so the final rename stays on one file system and is atomic.
    staged = target.with_name(target.name + ".restoring")
    for leftover in [staged, *_sidecars(staged)]:
        leftover.unlink(missing_ok=True)
    try:
        shutil.copyfile(source, staged)
        _check_backup(staged)
        _sync(staged)
        kept = _release_database(target)
        os.replace(staged, target)
    finally:
        for leftover in [staged, *_sidecars(staged)]:
            leftover.unlink(missing_ok=True)
    _sync(target.parent)
    return kept


# Privileges of the app's PostgreSQL role beyond SELECT and INSERT, which every table gets. The
# audit log gets nothing more: no UPDATE, DELETE, TRUNCATE, and never ownership.
APP_PRIVILEGES = {
    "meta": "UPDATE",
    "uploads": "UPDATE",
    "observations": "DELETE",
    "accounts": "UPDATE",
    "identities": "DELETE",
    "sign_in_failures": "UPDATE",
}


def grant_app_role(engine: Engine, role: str) -> None:
    """Give a PostgreSQL role exactly what the app needs, run as the owner of the tables.

    Refuses a role that could undo the audit log's protection: a superuser, the owner of a
    table (or a member of the owner's role), who could disable its triggers or truncate it.
    """
    if engine.dialect.name != "postgresql":
        raise StoreError("只有 PostgreSQL 需要区分所有者账号和应用账号。")
    with writing(engine) as conn:
        found = conn.execute(
            sa.text("SELECT rolsuper, rolname = current_user AS is_me FROM pg_roles WHERE rolname = :role"),
            {"role": role},
        ).first()
        if found is None:
            raise StoreError(f"数据库中没有角色 {role}，请先创建（CREATE ROLE {role} LOGIN PASSWORD '…'）。")
        if found.rolsuper or found.is_me:
            raise StoreError(f"角色 {role} 是超级用户或当前（所有者）账号，不能作为应用账号。")
        owned = conn.execute(
            sa.text(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                "AND pg_has_role(:role, tableowner, 'MEMBER') ORDER BY tablename"
            ),
            {"role": role},
        ).scalars()
        owned = list(owned)
        if owned:
            raise StoreError(
                f"角色 {role} 拥有（或继承）表 {'、'.join(owned)}，可以停用触发器；应用账号不能拥有任何表。"
            )
        quote = conn.dialect.identifier_preparer.quote
        schema, grantee = quote(conn.execute(sa.select(sa.func.current_schema())).scalar_one()), quote(role)
        conn.exec_driver_sql(f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {grantee}")
        conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA {schema} TO {grantee}")
        # GRANT only warns when the grantor may not give a privilege; the app would then see no table.
        usable = sa.text("SELECT has_schema_privilege(:role, current_schema(), 'USAGE')")
        if not conn.execute(usable, {"role": role}).scalar_one():
            raise StoreError(
                f"当前账号无权让 {role} 使用 schema {schema}：请由数据库管理员把该 schema 交给所有者账号"
                f"（ALTER SCHEMA {schema} OWNER TO 所有者），或直接授予（GRANT USAGE ON SCHEMA {schema} TO {role}）。"
            )
        for table in metadata.sorted_tables:
            extra = APP_PRIVILEGES.get(table.name)
            privileges = "SELECT, INSERT" + (f", {extra}" if extra else "")
            conn.exec_driver_sql(f"GRANT {privileges} ON {schema}.{quote(table.name)} TO {grantee}")
        conn.exec_driver_sql(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {grantee}")
