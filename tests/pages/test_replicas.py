"""AppTest: a session sees on its next run what another app process (replica) committed to the same database.

The other replica is an engine of its own on the fixture database: the session's process learns of its
commit only from the database, whose revision keys the process's caches.
"""

from __future__ import annotations

import os

import pytest
from factories import make_observations
from support import copy_sqlite, metric

from hqd import store
from hqd.formatting import format_score
from hqd.rollup import compute_report


def overall_score(engine, year: int = 2022) -> str:
    """Return the overall score the overview should show for a year, computed from the database."""
    overall = compute_report(store.load_catalog(engine), store.read_observations(engine)).overall
    return format_score(overall[overall["year"] == year].iloc[0]["score"])


@pytest.mark.parametrize("put_back", [False, True], ids=["commit", "commit-after-restore"])
def test_a_commit_by_another_replica_shows_on_the_next_run(app, tmp_path, put_back):
    url = os.environ["HQD_DATABASE_URL"]
    path = app.engine.url.database
    other = store.connect(url)
    at = app.open()
    shown = metric(at, "总体得分")
    assert shown == overall_score(app.engine)

    if put_back:
        # This session's process has cached a state reached after a backup; the database is then put back
        # to the backup under it, and the other replica commits something else.
        copy_sqlite(path, tmp_path / "backup.db")
        store.commit_upload(other, "a.xlsx", b"a", "editor", frame=make_observations([("A1", 2022, 100.0)]))
        at.run()
        assert metric(at, "总体得分") == overall_score(app.engine) != shown
        copy_sqlite(tmp_path / "backup.db", path)
    store.commit_upload(other, "b.xlsx", b"b", "editor", frame=make_observations([("A1", 2022, 190.0)]))
    other.dispose()

    at.run()
    assert not at.exception
    assert metric(at, "总体得分") == overall_score(app.engine) != shown


def test_a_rollback_by_another_replica_shows_the_figures_before_on_the_next_run(app):
    # This process lays each commit's figures over those it read; a rollback takes figures away, which it must
    # read again.
    other = store.connect(os.environ["HQD_DATABASE_URL"])
    at = app.open()
    shown = metric(at, "总体得分")
    upload = store.commit_upload(other, "a.xlsx", b"a", "editor", frame=make_observations([("A1", 2022, 100.0)]))
    at.run()
    assert metric(at, "总体得分") == overall_score(app.engine) != shown
    store.rollback_upload(other, upload[store.DATA], "editor")
    other.dispose()

    at.run()
    assert not at.exception
    assert metric(at, "总体得分") == overall_score(app.engine) == shown
