"""The audit log as a hash chain: intact after normal use, every kind of tampering found, upgrades chained."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from factories import make_observations

from hqd import cli, store
from hqd.store import migrations, schema
from hqd.store.engine import utc_now

VALUES = make_observations([("A1", 2021, 110.0), ("A3", 2021, 55.0)])


@contextmanager
def unguarded(engine):
    """Yield a connection with the append-only triggers out of the way, as someone with raw access would."""
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            for name in ("audit_no_update", "audit_no_delete", "audit_no_replace"):
                conn.exec_driver_sql(f"DROP TRIGGER {name}")
        else:
            conn.exec_driver_sql("ALTER TABLE audit DISABLE TRIGGER audit_append_only")
        yield conn
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("ALTER TABLE audit ENABLE TRIGGER audit_append_only")


@pytest.fixture
def logged(engine):
    """The test database with five audit rows: the catalog, then four more of several kinds."""
    upload_id = store.commit_upload(engine, "a.xlsx", b"a", "张三", frame=VALUES, role="editor")[store.DATA]
    store.append_audit(engine, "李四", "viewer", "sign_in", "密码登录")
    store.rollback_upload(engine, upload_id, "王五", "admin")
    store.append_audit(engine, "李四", None, "sign_out")
    return engine


def test_normal_use_leaves_an_intact_chain(logged):
    rows = store.read_audit(logged).sort_values("seq")
    assert list(rows["seq"]) == [1, 2, 3, 4, 5]
    assert list(rows["prev_hash"].iloc[1:]) == list(rows["row_hash"].iloc[:-1])
    assert store.verify_audit(logged) == store.AuditCheck(5, rows["row_hash"].iloc[-1])


def test_the_hash_covers_every_field_and_the_link():
    row = {"at": "2026-01-02 03:04:05.000006", "user_name": "张三", "role": "editor", "action": "rollback"}
    row |= {"detail": "撤销第 2 号上传", "upload_id": 2, "file_name": "a.xlsx"}
    digest = store.hash_audit_row(row, 7, "a" * 64)
    assert len(digest) == 64 and digest == store.hash_audit_row(dict(row), 7, "a" * 64)
    changed = [
        store.hash_audit_row({**row, field: value}, 7, "a" * 64)
        for field, value in [
            ("at", "2026-01-02 03:04:05.000007"),
            ("user_name", "张 三"),
            ("role", None),
            ("action", "sign_in"),
            ("detail", "撤销第 3 号上传"),
            ("upload_id", 3),
            ("upload_id", "2"),
            ("file_name", "b.xlsx"),
        ]
    ]
    changed += [store.hash_audit_row(row, 8, "a" * 64), store.hash_audit_row(row, 7, "b" * 64)]
    assert digest not in changed and len(set(changed)) == len(changed)


# Tampering done with plain SQL, triggers out of the way; what --verify must report, and where.
TAMPERING = [
    ("edited", "UPDATE audit SET detail = '无事发生' WHERE seq = 3", "changed", 3),
    ("author changed", "UPDATE audit SET user_name = '赵六' WHERE seq = 1", "changed", 1),
    ("hash blanked", "UPDATE audit SET row_hash = NULL WHERE seq = 2", "changed", 2),
    ("deleted", "DELETE FROM audit WHERE seq = 3", "missing", 3),
    ("last deleted", "DELETE FROM audit WHERE seq = 5", "missing", 5),
    ("emptied", "DELETE FROM audit", "missing", 1),
    (
        "row slipped in",
        "INSERT INTO audit (at, user_name, action) VALUES ('2026-01-01 00:00:00', 'x', 'sign_in')",
        "link",
        6,
    ),
    (
        "rows swapped",
        "UPDATE audit SET seq = seq + 10 WHERE seq IN (3, 4); UPDATE audit SET seq = 17 - seq WHERE seq > 10",
        "link",
        3,
    ),
    ("head removed", "DELETE FROM meta WHERE key = 'audit_head'", "head", None),
]


@pytest.mark.parametrize(("sql", "problem", "seq"), [t[1:] for t in TAMPERING], ids=[t[0] for t in TAMPERING])
def test_tampering_is_found_at_the_first_broken_link(logged, sql, problem, seq):
    with unguarded(logged) as conn:
        for statement in sql.split("; "):
            conn.exec_driver_sql(statement)
    check = store.verify_audit(logged)
    assert (check.intact, check.problem, check.seq) == (False, problem, seq)


def test_an_edited_row_with_its_hash_recomputed_breaks_the_next_link(logged):
    with logged.connect() as conn:
        row = conn.execute(sa.select(schema.audit).where(schema.audit.c.seq == 2)).mappings().one()
    forged = {**row, "detail": "无事发生"}
    with unguarded(logged) as conn:
        conn.execute(
            schema.audit.update()
            .where(schema.audit.c.seq == 2)
            .values(detail="无事发生", row_hash=store.hash_audit_row(forged, 2, row["prev_hash"]))
        )
    assert store.verify_audit(logged).problem == "link"
    assert store.verify_audit(logged).seq == 3


def test_a_row_appended_behind_the_apps_back_does_not_match_the_head(logged):
    last = store.verify_audit(logged).last_hash
    row = {"at": utc_now(), "user_name": "x", "role": None, "action": "sign_in", "detail": ""}
    row |= {"upload_id": None, "file_name": None}
    with logged.begin() as conn:
        conn.execute(
            schema.audit.insert().values(**row, seq=6, prev_hash=last, row_hash=store.hash_audit_row(row, 6, last))
        )
    assert store.verify_audit(logged).problem == "head"


def test_sqlite_insert_or_replace_is_refused_and_found_when_forced(tmp_path, small_catalog):
    path = tmp_path / "replace.db"
    engine = store.connect(f"sqlite:///{path}")
    store.commit_upload(engine, "c", None, "t", catalog=small_catalog)
    store.append_audit(engine, "张三", "editor", "sign_in")
    replace = (
        "INSERT OR REPLACE INTO audit (id, at, user_name, role, action, detail, upload_id, file_name, seq, "
        "prev_hash, row_hash) SELECT id, at, '李四', role, action, detail, upload_id, file_name, seq, prev_hash, "
        "row_hash FROM audit WHERE seq = 2"
    )
    with sqlite3.connect(path) as raw, pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw.execute(replace)
    # A new id at an existing place in the chain would replace that row through the unique index.
    with sqlite3.connect(path) as raw, pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw.execute(replace.replace("SELECT id,", "SELECT 999,"))
    assert store.verify_audit(engine).intact
    with sqlite3.connect(path) as raw:
        raw.execute("DROP TRIGGER audit_no_replace")
        raw.execute(replace)
    assert list(store.read_audit(engine)["user_name"]) == ["李四", "t"]
    check = store.verify_audit(engine)
    assert (check.problem, check.seq) == ("changed", 2)
    engine.dispose()


@pytest.mark.parametrize("written", ["'yesterday'", "12345"])
def test_a_malformed_time_is_reported_not_raised(tmp_path, small_catalog, written):
    engine = store.connect(f"sqlite:///{tmp_path / 'time.db'}")
    store.commit_upload(engine, "c", None, "t", catalog=small_catalog)
    with unguarded(engine) as conn:
        conn.exec_driver_sql(f"UPDATE audit SET at = {written} WHERE seq = 1")
    assert store.verify_audit(engine).problem == "changed"
    engine.dispose()


def test_concurrent_appends_never_fork_the_chain(database_url, small_catalog):
    setup = store.connect(database_url)
    store.commit_upload(setup, "c", None, "t", catalog=small_catalog)
    barrier, errors = threading.Barrier(4), []

    def append(name: str) -> None:
        engine = store.connect(database_url)
        barrier.wait()
        try:
            for turn in range(10):
                store.append_audit(engine, name, "viewer", "sign_in", f"第 {turn} 次")
        except Exception as error:  # the assertion below reports it
            errors.append(error)
        engine.dispose()

    threads = [threading.Thread(target=append, args=(f"user{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    check = store.verify_audit(setup)
    assert check.intact and check.rows == 41
    setup.dispose()


def downgrade_to_version_2(url: str) -> None:
    """Turn a current database back into what schema version 2 left: no chain, no unique index on copies."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP INDEX ux_audit_seq")
        conn.exec_driver_sql("DROP INDEX ux_uploads_in_effect")
        if conn.dialect.name == "sqlite":
            # Version 2 had no such trigger; this one names the chain's columns.
            conn.exec_driver_sql("DROP TRIGGER audit_no_replace")
        for column in ("seq", "prev_hash", "row_hash"):
            conn.exec_driver_sql(f"ALTER TABLE audit DROP COLUMN {column}")
        conn.execute(schema.meta.delete().where(schema.meta.c.key == schema.AUDIT_HEAD))
        conn.execute(schema.meta.update().where(schema.meta.c.key == "schema_version").values(value="2"))
        # A copy committed at the same moment as the first, as the race let through before version 3.
        columns = [c.name for c in schema.uploads.c if c.name != "id"]
        names = ", ".join(columns)
        conn.exec_driver_sql(f"INSERT INTO uploads ({names}) SELECT {names} FROM uploads WHERE file_name = 'a.xlsx'")
    engine.dispose()


def test_a_version_2_database_is_chained_and_its_copies_rolled_back(database_url, small_catalog):
    engine = store.connect(database_url)
    store.commit_upload(engine, "c", None, "t", catalog=small_catalog)
    first = store.commit_upload(engine, "a.xlsx", b"a", "张三", frame=VALUES)[store.DATA]
    store.append_audit(engine, "李四", "viewer", "sign_in")
    before = store.read_observations(engine)
    engine.dispose()
    downgrade_to_version_2(database_url)

    upgraded = store.connect(database_url)
    assert store.schema_version(upgraded) == schema.SCHEMA_VERSION
    rows = store.read_audit(upgraded)
    assert list(rows["action"]) == ["rollback", "sign_in", "upload_committed", "catalog_changed"]
    assert rows["user_name"].iloc[0] == "HQD" and list(rows["seq"]) == [4, 3, 2, 1]
    check = store.verify_audit(upgraded)
    assert check.intact and check.rows == 4
    uploads = store.read_uploads(upgraded, store.DATA).set_index("id")
    assert list(uploads["in_effect"]) == [False, True] and uploads.index[-1] == first
    assert store.read_observations(upgraded).equals(before)
    # The triggers came back, and the database now refuses a second copy by itself.
    with pytest.raises(sa.exc.DatabaseError, match="append-only"), upgraded.begin() as conn:
        conn.execute(schema.audit.update().values(detail="x"))
    with pytest.raises(sa.exc.IntegrityError), upgraded.begin() as conn:
        conn.exec_driver_sql("UPDATE uploads SET rolled_back_at = NULL")
    upgraded.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_the_app_role_appends_to_the_audit_log_but_cannot_undo_it(database_url, small_catalog, monkeypatch):
    # Roles belong to the whole server: named after the test database so parallel runs do not meet.
    url = sa.engine.make_url(database_url)
    owner, app = f"{url.database}_owner", f"{url.database}_app"
    server = sa.create_engine(url)

    def drop_roles(conn) -> None:
        # The schema goes back to the superuser before its owner is dropped.
        conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        for role in (app, owner):
            if conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first():
                conn.exec_driver_sql(f"DROP OWNED BY {role}")
                conn.exec_driver_sql(f"DROP ROLE {role}")

    with server.begin() as conn:
        drop_roles(conn)
        for role in (owner, app):
            conn.exec_driver_sql(f"CREATE ROLE {role} LOGIN PASSWORD 'role-pass'")
        # As SECURITY.md says: the owner role owns the schema (PostgreSQL 15 gives it the database's owner).
        conn.exec_driver_sql(f"ALTER SCHEMA public OWNER TO {owner}")
    as_owner, as_app = (url.set(username=r, password="role-pass").render_as_string(False) for r in (owner, app))
    engines = []
    try:
        # The owner creates the tables (the migrations) and grants the app its share, as documented.
        owner_engine = store.connect(as_owner)
        engines.append(owner_engine)
        store.commit_upload(owner_engine, "c", None, "t", catalog=small_catalog)
        monkeypatch.setenv("HQD_DATABASE_URL", as_owner)
        assert cli.main(["grant", app]) == 0
        with pytest.raises(store.StoreError, match="store.grant_superuser"):
            store.grant_app_role(owner_engine, owner)

        app_engine = store.connect(as_app)
        engines.append(app_engine)
        upload_id = store.commit_upload(app_engine, "a.xlsx", b"a", "张三", frame=VALUES, role="editor")[store.DATA]
        store.rollback_upload(app_engine, upload_id, "张三", "editor")
        store.save_account(app_engine, "li", "admin", "admin", display_name="李四", role="viewer")
        store.save_identity_role(app_engine, "wang@zone.gov.cn", "viewer", "admin", "admin")
        store.save_account(
            app_engine, "kj", "admin", "admin", departments=["科技创新局"], display_name="kj", role="editor"
        )
        store.save_account(app_engine, "kj", "admin", "admin", departments=["财政局"])
        store.commit_upload(app_engine, "s.xlsx", b"s", "示例数据", frame=VALUES, is_sample=True)
        store.remove_sample(app_engine, "admin", "admin")
        store.append_audit(app_engine, "李四", "viewer", "sign_in")
        assert store.verify_audit(app_engine) == store.AuditCheck(10, store.verify_audit(owner_engine).last_hash)
        for statement in (
            "TRUNCATE audit",
            "ALTER TABLE audit DISABLE TRIGGER audit_append_only",
            "DROP TRIGGER audit_append_only ON audit",
            "UPDATE audit SET detail = 'x'",
            "DELETE FROM audit",
            "DROP TABLE audit",
            "DELETE FROM meta",
        ):
            refused = pytest.raises(sa.exc.ProgrammingError, match="permission denied|must be owner")
            with refused, app_engine.begin() as conn:
                conn.exec_driver_sql(statement)
        assert store.verify_audit(app_engine).intact
        # An upgrade needs the owner; the app role says so instead of half-applying it.
        monkeypatch.setattr(schema, "SCHEMA_VERSION", schema.SCHEMA_VERSION + 1)
        add_column = lambda conn: conn.exec_driver_sql("ALTER TABLE audit ADD COLUMN note TEXT")
        monkeypatch.setitem(migrations.MIGRATIONS, schema.SCHEMA_VERSION - 1, add_column)
        with pytest.raises(store.StoreError, match="store.schema_not_owner"):
            store.connect(as_app)
    finally:
        for engine in engines:
            engine.dispose()
        with server.begin() as conn:
            drop_roles(conn)
        server.dispose()
