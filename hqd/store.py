"""The database: uploads with their raw files, the observations they brought, catalog versions.

Nothing is updated in place or deleted (except sample data on request): the current value of
(indicator, year) is the one from the newest upload not rolled back, so a rollback restores
exactly what was there before and any past moment can be recomputed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

from hqd.accounts import allows
from hqd.catalog import INTEGERS, TABLES, Catalog, build_catalog
from hqd.settings import SQLITE_BUSY_SECONDS, database_url

SCHEMA_VERSION = 3
# A counter in meta bumped by every change to the data; the pages key their caches on it.
REVISION = "data_revision"
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


def _configure_sqlite(engine: Engine) -> None:
    """Use WAL, a busy timeout, and BEGIN IMMEDIATE for writes so concurrent commits queue."""

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # SQLAlchemy emits BEGIN itself (below); the driver's own transaction handling is off.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
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


def _add_accounts_and_audit(conn: Connection) -> None:
    """Upgrade 1 -> 2: add accounts, identities and the append-only audit log."""
    metadata.create_all(conn, tables=VERSION_2_TABLES)
    _make_audit_append_only(conn)


def _add_sign_in_failures(conn: Connection) -> None:
    """Upgrade 2 -> 3: count failed sign-ins under unknown names, so that they lock like known ones."""
    metadata.create_all(conn, tables=VERSION_3_TABLES)


# Migrations from a schema version to the next, run in order inside one transaction.
MIGRATIONS: dict[int, callable] = {1: _add_accounts_and_audit, 2: _add_sign_in_failures}


def ensure_schema(engine: Engine) -> None:
    """Create the tables of a new database, or upgrade an older schema keeping its data."""
    with writing(engine) as conn:
        if not sa.inspect(conn).has_table("meta"):
            metadata.create_all(conn)
            _make_audit_append_only(conn)
            conn.execute(meta.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))
            return
        version = int(conn.execute(sa.select(meta.c.value).where(meta.c.key == "schema_version")).scalar_one())
        if version > SCHEMA_VERSION:
            raise StoreError(f"数据库结构版本 {version} 比本程序({SCHEMA_VERSION})新,请升级 HQD。")
        for step in range(version, SCHEMA_VERSION):
            MIGRATIONS[step](conn)
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
    return conn.execute(
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
    ).scalar_one()


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


# Audit log: who did what, when, from which file. Rows are only ever added.


def _audit(
    conn: Connection,
    user: str,
    role: str | None,
    action: str,
    detail: str = "",
    upload_id: int | None = None,
    file_name: str | None = None,
) -> None:
    """Append one audit row within the caller's transaction."""
    conn.execute(
        audit.insert().values(
            at=_now(),
            user_name=user or "—",
            role=role,
            action=action,
            detail=detail,
            upload_id=upload_id,
            file_name=file_name,
        )
    )


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
    import sqlite3

    source = sqlite3.connect(sa.engine.make_url(str(engine.url)).database)
    target = sqlite3.connect(out)
    try:
        with target:
            source.backup(target)
    finally:
        source.close()
        target.close()
