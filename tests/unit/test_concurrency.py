"""Races between processes: the same file committed twice at once, two replicas starting on an empty database."""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import os
import sys

import pytest
import racers
import sqlalchemy as sa

from hqd import store

# Forked from a fresh server process, not from this one: each racer opens its own connections, as a second server
# process would. The server imports the racers' module once, where each spawned racer imported it again (2 s each).
CONTEXT = multiprocessing.get_context("forkserver")
CONTEXT.set_forkserver_preload(["racers"])
ROUNDS = 6


@pytest.fixture(scope="module", autouse=True)
def racers_preloaded():
    """Start the racers' server with this process's path in PYTHONPATH.

    Python 3.11's forkserver is given the parent's sys.path but does not set it before the preload, whose
    ImportError it ignores: `racers` (in tests/) was never preloaded, and each racer imported pandas and hqd itself.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYTHONPATH", os.pathsep.join(path for path in sys.path if path))
        multiprocessing.forkserver.ensure_running()


def run_racers(target, args_of, rounds: int, between=None) -> list[list[str]]:
    """Run two racing processes for some rounds; return each round's two outcomes, sorted.

    The test joins every round's barrier, so `between(turn)` can reset the database before it.
    """
    barrier, results = CONTEXT.Barrier(3), CONTEXT.Queue()
    processes = [CONTEXT.Process(target=target, args=(*args_of, barrier, results)) for _ in range(2)]
    for process in processes:
        process.start()
    outcomes = {}
    try:
        for turn in range(rounds):
            if between:
                between(turn)
            barrier.wait(racers.WAIT)
            for _ in range(2):
                done, outcome = results.get(timeout=racers.WAIT)
                outcomes.setdefault(done, []).append(outcome)
    finally:
        for process in processes:
            process.join(racers.WAIT)
            if process.is_alive():
                process.kill()
    return [sorted(outcomes[turn]) for turn in range(rounds)]


def test_the_same_file_committed_twice_at_once_lands_once(engine, database_url):
    outcomes = run_racers(racers.commit_same_bytes, (database_url, ROUNDS), ROUNDS)
    assert outcomes == [["committed", "duplicate"]] * ROUNDS
    stored = store.read_uploads(engine, store.DATA)
    assert len(stored) == ROUNDS and stored["sha256"].is_unique


def reset_postgres(url: str) -> None:
    """Empty the test PostgreSQL database."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    engine.dispose()


def assert_started_once(url: str) -> None:
    """Check a database two replicas started on: one catalog and the sample once (its figures and its supervision
    reports), all in effect."""
    engine = store.connect(url)
    uploads = store.read_uploads(engine)
    engine.dispose()
    assert sorted(uploads["kind"]) == [store.CATALOG, store.DATA, store.DATA]
    assert uploads["is_sample"].sum() == 2 and uploads["in_effect"].all()


def test_two_replicas_starting_together_on_an_empty_database_both_start(database_url, tmp_path):
    rounds = 3
    if database_url.startswith("sqlite"):
        urls = [f"sqlite:///{tmp_path / f'start-{turn}.db'}" for turn in range(rounds)]
        between = None
    else:
        urls = [database_url] * rounds

        def between(turn: int) -> None:
            if turn:
                assert_started_once(database_url)
                reset_postgres(database_url)

    outcomes = run_racers(racers.start_replica, (urls,), rounds, between)
    assert outcomes == [["started", "started"]] * rounds
    for url in sorted(set(urls)):
        assert_started_once(url)
