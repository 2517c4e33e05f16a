"""The versioned store: commits, current and past states, rollback, duplicates, concurrency."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

import pandas as pd
import pytest
import sqlalchemy as sa
from factories import make_catalog, make_observations

from hqd import store
from hqd.store import migrations, schema

FIRST = make_observations([("A1", 2021, 110.0, "首报"), ("A1", 2022, 120.0), ("A3", 2021, 55.0)])
SECOND = make_observations([("A1", 2022, 125.0, "更正"), ("B2", 2022, 60.0)])


def current(engine) -> pd.DataFrame:
    """Return the state in effect without upload ids (what a reader sees)."""
    return store.read_observations(engine).drop(columns="upload_id")


def test_new_database_records_its_schema_version(engine):
    assert store.schema_version(engine) == schema.SCHEMA_VERSION


def test_commit_then_read_current(engine):
    upload_id = store.commit_upload(engine, "a.xlsx", b"first", "张三", frame=FIRST)[store.DATA]
    state = store.read_observations(engine)
    assert list(state["upload_id"].unique()) == [upload_id]
    pd.testing.assert_frame_equal(
        state.drop(columns="upload_id"),
        FIRST.sort_values(["indicator", "year"]).reset_index(drop=True),
        check_dtype=False,
    )
    row = store.read_uploads(engine, store.DATA).iloc[0]
    assert (row["file_name"], row["user_name"], row["rows"]) == ("a.xlsx", "张三", 3)
    assert store.read_upload_file(engine, upload_id) == ("a.xlsx", b"first")


def test_newest_upload_wins_and_rollback_restores_exactly(engine):
    store.commit_upload(engine, "a.xlsx", b"first", "u", frame=FIRST)
    before = current(engine)
    second = store.commit_upload(engine, "b.xlsx", b"second", "u", frame=SECOND)[store.DATA]
    after = current(engine).set_index(["indicator", "year"])
    assert after.loc[("A1", 2022), "value"] == 125.0
    assert after.loc[("A1", 2022), "note"] == "更正"
    assert after.loc[("A1", 2021), "value"] == 110.0
    store.rollback_upload(engine, second, "李四")
    pd.testing.assert_frame_equal(current(engine), before)
    row = store.read_uploads(engine).set_index("id").loc[second]
    assert row["rolled_back_by"] == "李四" and pd.notna(row["rolled_back_at"])


def test_rolling_back_an_older_upload_keeps_newer_values(engine):
    first = store.commit_upload(engine, "a.xlsx", b"first", "u", frame=FIRST)[store.DATA]
    store.commit_upload(engine, "b.xlsx", b"second", "u", frame=SECOND)
    store.rollback_upload(engine, first)
    state = current(engine).set_index(["indicator", "year"])["value"].to_dict()
    assert state == {("A1", 2022): 125.0, ("B2", 2022): 60.0}


def test_as_of_returns_what_was_current_then(engine):
    store.commit_upload(engine, "a.xlsx", b"first", "u", frame=FIRST)
    time.sleep(0.01)
    after_first = datetime.now(UTC)
    time.sleep(0.01)
    second = store.commit_upload(engine, "b.xlsx", b"second", "u", frame=SECOND)[store.DATA]
    time.sleep(0.01)
    after_second = datetime.now(UTC)
    time.sleep(0.01)
    store.rollback_upload(engine, second)
    at_first = store.read_observations(engine, as_of=after_first).drop(columns="upload_id")
    pd.testing.assert_frame_equal(at_first, current(engine))
    at_second = store.read_observations(engine, as_of=after_second).set_index(["indicator", "year"])
    assert at_second.loc[("A1", 2022), "value"] == 125.0
    assert store.read_observations(engine, as_of=datetime(2000, 1, 1)).empty


def test_same_bytes_are_refused_while_in_effect_and_accepted_after_rollback(engine):
    first = store.commit_upload(engine, "a.xlsx", b"same", "u", frame=FIRST)[store.DATA]
    with pytest.raises(store.DuplicateUploadError) as refused:
        store.commit_upload(engine, "copy.xlsx", b"same", "u", frame=FIRST)
    assert refused.value.code == "store.duplicate"
    assert refused.value.params == {"upload_id": first, "file_name": "a.xlsx"}
    assert len(store.read_uploads(engine, store.DATA)) == 1
    store.rollback_upload(engine, first)
    again = store.commit_upload(engine, "a.xlsx", b"same", "u", frame=FIRST)[store.DATA]
    assert set(current(engine)["value"]) == set(FIRST["value"])
    assert again != first


def test_failed_commit_leaves_nothing_behind(engine):
    store.commit_upload(engine, "a.xlsx", b"first", "u", frame=FIRST)
    before, uploads_before = current(engine), len(store.read_uploads(engine))
    broken = pd.concat([SECOND, make_observations([("A1", 2023, 1.0)]).assign(value=[None])], ignore_index=True)
    with pytest.raises(sa.exc.IntegrityError):
        store.commit_upload(engine, "bad.xlsx", b"bad", "u", frame=broken)
    pd.testing.assert_frame_equal(current(engine), before)
    assert len(store.read_uploads(engine)) == uploads_before


def test_rollback_refuses_unknown_repeated_and_last_catalog(engine):
    with pytest.raises(store.StoreError) as refused:
        store.rollback_upload(engine, 99)
    assert (refused.value.code, refused.value.params) == ("store.no_upload", {"upload_id": 99})
    upload_id = store.commit_upload(engine, "a.xlsx", b"first", "u", frame=FIRST)[store.DATA]
    store.rollback_upload(engine, upload_id)
    with pytest.raises(store.StoreError) as refused:
        store.rollback_upload(engine, upload_id)
    assert refused.value.code == "store.already_rolled_back" and refused.value.params["upload_id"] == upload_id
    assert refused.value.params["at"] == store.read_uploads(engine).set_index("id").at[upload_id, "rolled_back_at"]
    catalog_id = store.read_uploads(engine, store.CATALOG)["id"].iloc[0]
    with pytest.raises(store.StoreError) as refused:
        store.rollback_upload(engine, catalog_id)
    assert refused.value.code == "store.last_catalog"


def test_catalog_versions_are_kept_and_rolled_back(engine, small_catalog):
    changed = make_catalog([{"code": "A1", "programme": "A", "task": "A-1", "target_value": 300}])
    version = store.commit_upload(engine, "new-targets.xlsx", None, "admin", catalog=changed)[store.CATALOG]
    assert store.load_catalog(engine).indicators["target_value"].tolist() == [300.0]
    store.rollback_upload(engine, version)
    loaded = store.load_catalog(engine)
    pd.testing.assert_frame_equal(loaded.indicators, small_catalog.indicators)
    pd.testing.assert_frame_equal(loaded.tasks, small_catalog.tasks)


def test_remove_sample_deletes_only_sample(engine):
    sample = store.commit_upload(engine, "sample.xlsx", b"sample", "示例数据", frame=FIRST, is_sample=True)[store.DATA]
    real = store.commit_upload(engine, "real.xlsx", b"real", "u", frame=SECOND)[store.DATA]
    before = store.data_version(engine)
    assert store.has_sample(engine)
    assert store.remove_sample(engine, "root") == 1
    assert not store.has_sample(engine)
    assert store.data_version(engine) != before
    assert set(current(engine)["indicator"]) == {"A1", "B2"}
    # The sample's row stays, out of effect and emptied, so its id is never given to another upload.
    uploads = store.read_uploads(engine, store.DATA).set_index("id")
    assert list(uploads.index) == [real, sample]
    assert not uploads.loc[sample, "in_effect"] and uploads.loc[sample, "rolled_back_by"] == "root"
    assert store.read_upload_file(engine, sample) == ("sample.xlsx", b"")
    assert store.read_upload_observations(engine, sample).empty
    assert store.remove_sample(engine) == 0
    later = store.commit_upload(engine, "later.xlsx", b"later", "u", frame=FIRST)[store.DATA]
    assert later > real


def test_reconnecting_keeps_data_and_newer_schema_is_refused(database_url, small_catalog):
    engine = store.connect(database_url)
    store.commit_upload(engine, "c", None, "t", catalog=small_catalog)
    store.commit_upload(engine, "a.xlsx", b"first", "u", frame=FIRST)
    engine.dispose()
    again = store.connect(database_url)
    assert len(store.read_observations(again)) == 3
    with again.begin() as conn:
        conn.execute(schema.meta.update().values(value=str(schema.SCHEMA_VERSION + 1)))
    again.dispose()
    with pytest.raises(store.StoreError) as refused:
        store.connect(database_url)
    assert (refused.value.code, refused.value.params) == (
        "store.schema_newer",
        {"version": schema.SCHEMA_VERSION + 1, "supported": schema.SCHEMA_VERSION},
    )


def test_migration_upgrades_an_older_database_keeping_data(database_url, small_catalog, monkeypatch):
    engine = store.connect(database_url)
    store.commit_upload(engine, "c", None, "t", catalog=small_catalog)
    store.commit_upload(engine, "a.xlsx", b"first", "u", frame=FIRST)
    engine.dispose()

    def add_source_column(conn):
        conn.exec_driver_sql("ALTER TABLE observations ADD COLUMN source TEXT")

    monkeypatch.setattr(schema, "SCHEMA_VERSION", schema.SCHEMA_VERSION + 1)
    monkeypatch.setitem(migrations.MIGRATIONS, schema.SCHEMA_VERSION - 1, add_source_column)
    upgraded = store.connect(database_url)
    assert store.schema_version(upgraded) == schema.SCHEMA_VERSION
    assert "source" in {c["name"] for c in sa.inspect(upgraded).get_columns("observations")}
    assert len(store.read_observations(upgraded)) == 3


def test_two_concurrent_commits_both_land(database_url, small_catalog):
    store.connect(database_url).dispose()
    setup = store.connect(database_url)
    store.commit_upload(setup, "c", None, "t", catalog=small_catalog)
    barrier, errors, ids = threading.Barrier(2), [], []

    def commit(name: str, frame: pd.DataFrame) -> None:
        engine = store.connect(database_url)
        barrier.wait()
        try:
            ids.append(store.commit_upload(engine, name, name.encode(), name, frame=frame)[store.DATA])
        except Exception as error:  # the assertion below reports it
            errors.append(error)
        engine.dispose()

    many = make_observations([("A1", 2020 + i % 6, float(i)) for i in range(6)])
    threads = [threading.Thread(target=commit, args=(n, f)) for n, f in (("a", many), ("b", SECOND))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(store.read_uploads(setup, store.DATA)["id"]) == sorted(ids)


def test_a_writer_held_too_long_gets_try_again(tmp_path, small_catalog, monkeypatch):
    url = f"sqlite:///{tmp_path / 'busy.db'}"
    engine = store.connect(url)
    store.commit_upload(engine, "c", None, "t", catalog=small_catalog)
    monkeypatch.setattr("hqd.store.engine.SQLITE_BUSY_SECONDS", 0.2)
    impatient = store.connect(url)
    with store.writing(engine) as holder:
        holder.execute(schema.meta.select())
        with pytest.raises(store.BusyError, match="store.busy"):
            store.commit_upload(impatient, "a.xlsx", b"a", "u", frame=FIRST)
    assert store.read_observations(engine).empty


def test_a_version_1_database_is_upgraded_to_accounts_and_audit(database_url, small_catalog):
    # Build the schema as release 1 left it: no accounts, identities or audit tables.
    engine = sa.create_engine(database_url)
    later = [*schema.VERSION_2_TABLES, *schema.VERSION_3_TABLES]
    version_1 = [t for t in schema.metadata.sorted_tables if t not in later]
    with engine.begin() as conn:
        schema.metadata.create_all(conn, tables=version_1)
        conn.execute(schema.meta.insert().values(key="schema_version", value="1"))
    engine.dispose()
    upgraded = store.connect(database_url)
    store.commit_upload(upgraded, "c", None, "t", catalog=small_catalog)
    store.commit_upload(upgraded, "a.xlsx", b"first", "u", frame=FIRST)
    assert store.schema_version(upgraded) == schema.SCHEMA_VERSION
    assert store.count_accounts(upgraded) == 0
    assert list(store.read_audit(upgraded)["action"]) == ["upload_committed", "catalog_changed"]
    assert store.verify_audit(upgraded) == store.AuditCheck(2, store.read_audit(upgraded)["row_hash"].iloc[0])


def test_the_audit_log_is_append_only(engine):
    store.append_audit(engine, "张三", "editor", "sign_in")
    for statement in (schema.audit.update().values(user_name="someone else"), schema.audit.delete()):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"), engine.begin() as conn:
            conn.execute(statement)
    assert list(store.read_audit(engine)["user_name"]) == ["张三", "test"]


def test_every_change_is_audited_with_its_author(engine):
    upload_id = store.commit_upload(engine, "a.xlsx", b"first", "张三", frame=FIRST, role="editor")[store.DATA]
    store.rollback_upload(engine, upload_id, "李四", "admin")
    store.commit_upload(engine, "s.xlsx", b"s", "示例数据", frame=SECOND, is_sample=True)
    store.remove_sample(engine, "root", "admin")
    rows = store.read_audit(engine)
    assert list(zip(rows["action"], rows["user_name"], strict=True)) == [
        ("sample_removed", "root"),
        ("upload_committed", "示例数据"),
        ("rollback", "李四"),
        ("upload_committed", "张三"),
        ("catalog_changed", "test"),
    ]
    assert rows.iloc[2]["upload_id"] == upload_id and rows.iloc[2]["file_name"] == "a.xlsx"


def test_backup_is_a_consistent_copy(tmp_path, small_catalog):
    engine = store.connect(f"sqlite:///{tmp_path / 'live.db'}")
    store.commit_upload(engine, "c", None, "t", catalog=small_catalog)
    store.commit_upload(engine, "a.xlsx", b"first", "u", frame=FIRST)
    store.backup(engine, tmp_path / "copy.db")
    copy = store.connect(f"sqlite:///{tmp_path / 'copy.db'}")
    pd.testing.assert_frame_equal(store.read_observations(copy), store.read_observations(engine))
    with pytest.raises(store.StoreError) as refused:
        store.backup(engine, tmp_path / "copy.db")
    assert (refused.value.code, refused.value.params) == ("store.backup_exists", {"path": str(tmp_path / "copy.db")})
