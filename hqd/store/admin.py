"""Looking after the database: backup and restore of SQLite, a replica's first start, PostgreSQL grants."""

from __future__ import annotations

import fcntl
import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

# The module, not its names: a test (or a later release) raises SCHEMA_VERSION on it.
from hqd.store import schema
from hqd.store.engine import StoreError, writing
from hqd.store.schema import FIRST_START_LOCK, metadata


def backup(engine: Engine, out: Path) -> None:
    """Write a consistent copy of a SQLite database, safe while the app is running."""
    if engine.dialect.name != "sqlite":
        raise StoreError("store.backup_not_sqlite")
    out = Path(out)
    if out.exists():
        raise StoreError("store.backup_exists", path=str(out))
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
                raise StoreError("store.backup_damaged", detail=str(checked[0][0]))
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            version = None
            if {"meta", "uploads", "observations"} <= tables:
                version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if version is None or not str(version[0]).isdigit():
                raise StoreError("store.backup_not_hqd")
            if int(version[0]) > schema.SCHEMA_VERSION:
                raise StoreError("store.backup_newer", version=int(version[0]), supported=schema.SCHEMA_VERSION)
            conn.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.DatabaseError as error:
        raise StoreError("store.backup_unreadable", detail=str(error)) from error


def _release_database(path: Path) -> Path | None:
    """Make sure nothing holds the database, fold its write-ahead log in and set it aside.

    Returns the copy kept of it (None when there was no database).
    """
    in_use = StoreError("store.database_in_use")
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
        raise StoreError("store.restore_not_sqlite")
    source = Path(source)
    if not source.is_file():
        raise StoreError("store.backup_missing", path=str(source))
    if target.exists() and source.resolve() == target.resolve():
        raise StoreError("store.backup_is_database")
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
    # An editor's departments are replaced, as an identity's role is.
    "account_departments": "DELETE",
    "sign_in_failures": "UPDATE",
    # Removing the sample deletes the reports its uploads brought, as it deletes their figures.
    "explanations": "DELETE",
    "key_task_reports": "DELETE",
    "milestone_reports": "DELETE",
    "evidence": "DELETE",
}


def grant_app_role(engine: Engine, role: str) -> None:
    """Give a PostgreSQL role exactly what the app needs, run as the owner of the tables.

    Refuses a role that could undo the audit log's protection: a superuser, the owner of a
    table (or a member of the owner's role), who could disable its triggers or truncate it.
    """
    if engine.dialect.name != "postgresql":
        raise StoreError("store.grant_not_postgresql")
    with writing(engine) as conn:
        found = conn.execute(
            sa.text("SELECT rolsuper, rolname = current_user AS is_me FROM pg_roles WHERE rolname = :role"),
            {"role": role},
        ).first()
        if found is None:
            raise StoreError("store.grant_no_role", role_name=role)
        if found.rolsuper or found.is_me:
            raise StoreError("store.grant_superuser", role_name=role)
        owned = conn.execute(
            sa.text(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                "AND pg_has_role(:role, tableowner, 'MEMBER') ORDER BY tablename"
            ),
            {"role": role},
        ).scalars()
        owned = list(owned)
        if owned:
            raise StoreError("store.grant_owner", role_name=role, tables=owned)
        quote = conn.dialect.identifier_preparer.quote
        schema_name = quote(conn.execute(sa.select(sa.func.current_schema())).scalar_one())
        grantee = quote(role)
        conn.exec_driver_sql(f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema_name} FROM {grantee}")
        conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA {schema_name} TO {grantee}")
        # GRANT only warns when the grantor may not give a privilege; the app would then see no table.
        usable = sa.text("SELECT has_schema_privilege(:role, current_schema(), 'USAGE')")
        if not conn.execute(usable, {"role": role}).scalar_one():
            raise StoreError("store.grant_schema", role_name=role, schema=schema_name)
        for table in metadata.sorted_tables:
            extra = APP_PRIVILEGES.get(table.name)
            privileges = "SELECT, INSERT" + (f", {extra}" if extra else "")
            conn.exec_driver_sql(f"GRANT {privileges} ON {schema_name}.{quote(table.name)} TO {grantee}")
        conn.exec_driver_sql(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema_name} TO {grantee}")
