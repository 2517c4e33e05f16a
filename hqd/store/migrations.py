"""The schema in the database: created on first connect, upgraded in place by numbered migrations."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import ProgrammingError

# The module, not its names: a test (or a later release) raises SCHEMA_VERSION on it.
from hqd.store import schema
from hqd.store.audit import hash_audit_row, record
from hqd.store.engine import StoreError, bump_revision, open_engine, utc_now, writing
from hqd.store.schema import (
    AUDIT_HEAD,
    GENESIS,
    SCHEMA_LOCK,
    VERSION_2_TABLES,
    VERSION_3_TABLES,
    VERSION_4_INDICATOR_COLUMNS,
    VERSION_4_TABLES,
    VERSION_5_TABLES,
    VERSION_6_TABLES,
    audit,
    in_effect_once,
    meta,
    metadata,
    observations,
    uploads,
)


def _make_audit_append_only(conn: Connection) -> None:
    """Refuse, in the database itself, any change to or removal of an audit row."""
    if conn.dialect.name == "sqlite":
        for event in ("UPDATE", "DELETE"):
            conn.exec_driver_sql(
                f"CREATE TRIGGER IF NOT EXISTS audit_no_{event.lower()} BEFORE {event} ON audit "
                "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
            )
        # INSERT OR REPLACE deletes the row it collides with (by id or by place in the chain) without
        # firing the DELETE trigger; refuse it before.
        conn.exec_driver_sql(
            "CREATE TRIGGER IF NOT EXISTS audit_no_replace BEFORE INSERT ON audit "
            "WHEN EXISTS (SELECT 1 FROM audit WHERE id = NEW.id OR seq = NEW.seq) "
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
            uploads.update().where(uploads.c.id == upload_id).values(rolled_back_at=utc_now(), rolled_back_by="HQD")
        )
        bump_revision(conn)
        record(conn, "HQD", None, "rollback", {"code": "audit.copy_rolled_back", "upload_id": upload_id}, upload_id)
    in_effect_once.create(conn, checkfirst=True)


def _upgrade_to_3(conn: Connection) -> None:
    """Upgrade 2 -> 3: unknown names' failed sign-ins, the audit hash chain, one copy of a file in effect."""
    _add_sign_in_failures(conn)
    _chain_audit_and_refuse_copies(conn)


def _add_months_and_annual_targets(conn: Connection) -> None:
    """Upgrade 3 -> 4: a month on every figure (12: all stored ones are yearly), reporting fields, annual targets."""
    inspector = sa.inspect(conn)
    if "month" not in {c["name"] for c in inspector.get_columns("observations")}:
        conn.exec_driver_sql("ALTER TABLE observations ADD COLUMN month INTEGER NOT NULL DEFAULT 12")
        # The current-state query groups by month now: the index must cover it.
        conn.exec_driver_sql("DROP INDEX ix_observations_key")
        next(i for i in observations.indexes if i.name == "ix_observations_key").create(conn)
    present = {c["name"] for c in inspector.get_columns("catalog_indicators")}
    for column in VERSION_4_INDICATOR_COLUMNS:
        if column not in present:
            conn.exec_driver_sql(f"ALTER TABLE catalog_indicators ADD COLUMN {column} TEXT")
    metadata.create_all(conn, tables=VERSION_4_TABLES)


def _add_supervision(conn: Connection) -> None:
    """Upgrade 4 -> 5: the supervision tables (departments' accounts, key tasks and their progress)."""
    metadata.create_all(conn, tables=VERSION_5_TABLES)


def _add_reports_and_reviews(conn: Connection) -> None:
    """Upgrade 5 -> 6: explanations, key-task progress, evidence, reviewed lights and instructions."""
    metadata.create_all(conn, tables=VERSION_6_TABLES)


# Migrations from a schema version to the next, run in order inside one transaction.
MIGRATIONS: dict[int, callable] = {
    1: _add_accounts_and_audit,
    2: _upgrade_to_3,
    3: _add_months_and_annual_targets,
    4: _add_supervision,
    5: _add_reports_and_reviews,
}


def connect(url: str | None = None) -> Engine:
    """Return an engine for the URL (default: HQD_DATABASE_URL or data/hqd.db), schema ready."""
    engine = open_engine(url)
    ensure_schema(engine)
    return engine


def ensure_schema(engine: Engine) -> None:
    """Create the tables of a new database, or upgrade an older schema keeping its data."""
    with writing(engine) as conn:
        if conn.dialect.name == "postgresql":
            # Two replicas starting on an empty database would both create the tables; one waits.
            conn.execute(sa.select(sa.func.pg_advisory_xact_lock(SCHEMA_LOCK)))
        if not sa.inspect(conn).has_table("meta"):
            metadata.create_all(conn)
            _make_audit_append_only(conn)
            conn.execute(meta.insert().values(key="schema_version", value=str(schema.SCHEMA_VERSION)))
            conn.execute(meta.insert().values(key=AUDIT_HEAD, value=f"0 {GENESIS}"))
            return
        version = int(conn.execute(sa.select(meta.c.value).where(meta.c.key == "schema_version")).scalar_one())
        if version > schema.SCHEMA_VERSION:
            raise StoreError("store.schema_newer", version=version, supported=schema.SCHEMA_VERSION)
        try:
            for step in range(version, schema.SCHEMA_VERSION):
                MIGRATIONS[step](conn)
        except ProgrammingError as error:
            if "permission denied" in str(error) or "must be owner" in str(error):
                raise StoreError("store.schema_not_owner", version=version, supported=schema.SCHEMA_VERSION) from error
            raise
        if version != schema.SCHEMA_VERSION:
            conn.execute(meta.update().where(meta.c.key == "schema_version").values(value=str(schema.SCHEMA_VERSION)))


def schema_version(engine: Engine) -> int:
    """Return the schema version recorded in the database."""
    with engine.connect() as conn:
        return int(conn.execute(sa.select(meta.c.value).where(meta.c.key == "schema_version")).scalar_one())
