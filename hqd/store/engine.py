"""The connection: opening an engine, write transactions, stored time, the data's revision, refusals."""

from __future__ import annotations

import secrets
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

from hqd.refusal import Refusal
from hqd.settings import SQLITE_BUSY_SECONDS, database_url
from hqd.store.schema import REVISION, REVISION_TOKEN, meta


class StoreError(Refusal):
    """A request the store refuses; hqd.i18n words it from its code (store.*) and values."""


class BusyError(StoreError):
    """Another commit held the database for too long."""

    def __init__(self) -> None:
        super().__init__("store.busy")


class DuplicateUploadError(StoreError):
    """The same bytes are already stored in an upload that is in effect."""

    def __init__(self, upload_id: int, file_name: str) -> None:
        super().__init__("store.duplicate", upload_id=upload_id, file_name=file_name)

    @property
    def upload_id(self) -> int:
        """Return the id of the upload in effect holding the same bytes."""
        return self.params["upload_id"]


def open_engine(url: str | None = None) -> Engine:
    """Return an engine for the URL (default: HQD_DATABASE_URL or data/hqd.db), schema not checked."""
    url = url or database_url()
    is_sqlite = url.startswith("sqlite")
    if is_sqlite and ":memory:" not in url and url != "sqlite://":
        Path(sa.engine.make_url(url).database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(
        url, connect_args={"timeout": SQLITE_BUSY_SECONDS} if is_sqlite else {}, pool_pre_ping=not is_sqlite
    )
    if is_sqlite:
        _configure_sqlite(engine)
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


def utc_now() -> datetime:
    """Return the current UTC time without zone (as stored)."""
    return datetime.now(UTC).replace(tzinfo=None)


def as_stored(moment: datetime) -> datetime:
    """Return a moment as naive UTC, the way timestamps are stored."""
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def read_frame(conn: Connection, statement) -> pd.DataFrame:
    """Return the rows of a query as a frame."""
    result = conn.execute(statement)
    # Plain tuples: pandas builds a frame from them ten times faster than from Row objects.
    return pd.DataFrame.from_records([tuple(row) for row in result], columns=list(result.keys()))


def read_plain_frame(conn: Connection, statement) -> pd.DataFrame:
    """Return the rows of a query of plain columns (text and numbers: nothing for SQLAlchemy to convert) as a frame.

    The driver's own tuples, without a Row object each: a third faster at 600,000 rows than read_frame.
    """
    result = conn.execute(statement)
    columns = list(result.keys())
    return pd.DataFrame.from_records(result.cursor.fetchall(), columns=columns)


def rows_to_insert(frame: pd.DataFrame, **fixed) -> list[dict]:
    """Return a frame's rows as dicts of plain Python values for an insert, None where a value is missing, each with
    the `fixed` values and its position in the frame.

    Column by column: a frame's `where(notna(), None)` on objects cost more than the insert for a catalog's tables.
    """
    columns = {}
    for name in frame.columns:
        values = frame[name].to_numpy(dtype=object)
        missing = frame[name].isna().to_numpy()
        if missing.any():
            values = values.copy()
            values[missing] = None
        columns[name] = values.tolist()
    rows = zip(*columns.values(), strict=True)
    return [fixed | {"position": i} | dict(zip(columns, row, strict=True)) for i, row in enumerate(rows)]


def bump_revision(conn: Connection) -> None:
    """Count one more change to the data, within the caller's transaction, and draw the change's token."""
    next_value = sa.cast(sa.cast(meta.c.value, sa.Integer) + 1, sa.Text)
    updated = conn.execute(meta.update().where(meta.c.key == REVISION).values(value=next_value))
    if not updated.rowcount:
        conn.execute(meta.insert().values(key=REVISION, value="1"))
    # After the counter's row: concurrent commits wait there, so the first to add this row has committed it.
    token = str(secrets.randbits(62))
    if not conn.execute(meta.update().where(meta.c.key == REVISION_TOKEN).values(value=token)).rowcount:
        conn.execute(meta.insert().values(key=REVISION_TOKEN, value=token))


def data_version(engine: Engine) -> tuple[int, int]:
    """Return a key that changes whenever stored data changes (commit, rollback, sample removal): the count of
    changes and the last one's token.

    Every process keys its caches on it, so it must never name two states of the data. The count alone
    would: a database put back to a backup (pg_restore, `restore`) counts its next change as it counted
    one made after the backup, and a process still running would show what it cached under that count.
    """
    with engine.connect() as conn:
        found = dict(
            conn.execute(sa.select(meta.c.key, meta.c.value).where(meta.c.key.in_([REVISION, REVISION_TOKEN]))).all()
        )
    return int(found.get(REVISION) or 0), int(found.get(REVISION_TOKEN) or 0)


def read_meta(engine: Engine, key: str) -> str | None:
    """Return a value the app keeps about the database itself (None when never set)."""
    with engine.connect() as conn:
        return conn.execute(sa.select(meta.c.value).where(meta.c.key == key)).scalar_one_or_none()


def write_meta(engine: Engine, key: str, value: str) -> None:
    """Set a value the app keeps about the database itself."""
    with writing(engine) as conn:
        if not conn.execute(meta.update().where(meta.c.key == key).values(value=value)).rowcount:
            conn.execute(meta.insert().values(key=key, value=value))
