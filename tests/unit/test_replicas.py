"""Several app processes on one database: what one keeps in memory is named by the database's state, never reused.

Each engine stands for one replica (an app process): it keeps its own caches of catalog versions, and the
pages key theirs on store.data_version.
"""

from __future__ import annotations

import pytest
from factories import make_catalog, make_observations
from support import copy_sqlite

from hqd import store


@pytest.fixture
def replicas(engine, database_url):
    """Return two engines on one database holding the small catalog: two replicas."""
    other = store.connect(database_url)
    yield engine, other
    other.dispose()


def test_a_commit_by_one_replica_changes_what_the_other_reads(replicas):
    first, second = replicas
    version = store.data_version(second)
    assert 300.0 not in store.load_catalog(second).indicators["target_value"].tolist()
    revised = make_catalog([{"code": "A1", "programme": "A", "task": "A-1", "target_value": 300}])
    store.commit_upload(first, "targets.xlsx", b"targets", "admin", catalog=revised)
    store.commit_upload(first, "v.xlsx", b"v", "editor", frame=make_observations([("A1", 2022, 140.0)]))
    assert store.data_version(second) != version
    assert store.load_catalog(second).indicators["target_value"].tolist() == [300.0]
    assert store.read_observations(second)["value"].tolist() == [140.0]


@pytest.mark.parametrize("change", ["values", "catalog"])
def test_a_database_put_back_to_a_backup_never_names_two_states_alike(tmp_path, small_catalog_file, change):
    # A running replica's view of a database an administrator puts back to a backup under it (SQLite's
    # online backup here; pg_restore into the same database does the same to a PostgreSQL replica).
    path = tmp_path / "hqd.db"
    copy_sqlite(small_catalog_file, path)
    engine = store.connect(f"sqlite:///{path}")
    copy_sqlite(path, tmp_path / "backup.db")

    def commit(target: float) -> None:
        if change == "catalog":
            revised = make_catalog([{"code": "A1", "programme": "A", "task": "A-1", "target_value": target}])
            store.commit_upload(engine, f"{target}.xlsx", None, "admin", catalog=revised)
        else:
            frame = make_observations([("A1", 2022, target)])
            store.commit_upload(engine, f"{target}.xlsx", f"{target}".encode(), "editor", frame=frame)

    def shown() -> list[float]:
        if change == "catalog":
            return store.load_catalog(engine).indicators["target_value"].tolist()
        return store.read_observations(engine)["value"].tolist()

    commit(300.0)
    before = store.data_version(engine)
    assert shown() == [300.0]
    copy_sqlite(tmp_path / "backup.db", path)
    commit(400.0)
    # The next change is counted as the one after the backup was, and stored with the same upload id.
    assert store.data_version(engine)[0] == before[0]
    assert store.data_version(engine) != before
    assert shown() == [400.0]
    engine.dispose()
