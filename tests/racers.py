"""Work done by the child processes of the race tests: importable by name, as spawned children need."""

from __future__ import annotations

from factories import make_observations

from hqd import store
from hqd.bootstrap import open_database

WAIT = 60


def commit_same_bytes(url: str, rounds: int, barrier, results) -> None:
    """Each round, wait for the other racer, then commit the round's bytes; report what happened."""
    engine = store.connect(url)
    frame = make_observations([("A1", 2021, 110.0), ("A3", 2021, 55.0)])
    for turn in range(rounds):
        barrier.wait(WAIT)
        try:
            store.commit_upload(engine, f"round-{turn}.xlsx", f"round {turn}".encode(), "racer", frame=frame)
            results.put((turn, "committed"))
        except store.DuplicateUploadError:
            results.put((turn, "duplicate"))
        except Exception as error:  # reported to the test, which names it
            results.put((turn, repr(error)))
    engine.dispose()


def start_replica(urls: list[str], barrier, results) -> None:
    """For each database, wait for the other replica and the test, then start on it; report the outcome."""
    for turn, url in enumerate(urls):
        barrier.wait(WAIT)
        try:
            open_database(url).dispose()
            results.put((turn, "started"))
        except Exception as error:  # reported to the test, which names it
            results.put((turn, repr(error)))
