"""The figures in effect brought up to date by the uploads since they were read: always what a whole read gives."""

from __future__ import annotations

import pandas as pd
import pytest
from factories import make_observations
from hypothesis import given, settings
from hypothesis import strategies as st

from hqd import store
from hqd.store import figures as figures_module
from hqd.store.engine import bump_revision
from hqd.store.figures import lay_over, read_figures

FIRST = make_observations([("A1", 2021, 110.0, "首报"), ("A1", 2022, 120.0), ("A3", 2021, 55.0)])
# A1 2022 corrected, and indicators whose codes sort before, between and after the others.
SECOND = make_observations([("A1", 2022, 125.0, "更正"), ("B2", 2022, 60.0), ("A10", 2021, 1.0), ("0Z", 2020, 2.0)])
MONTHLY = make_observations([("A3", 2021, 56.0), ("A2", 2023, 7.0)]).assign(month=[3, 10])


def commit(engine, name: str, frame: pd.DataFrame) -> int:
    return store.commit_upload(engine, name, name.encode(), "张三", frame=frame)[store.DATA]


def bump(engine) -> None:
    with store.writing(engine) as conn:
        bump_revision(conn)


# Each step changes the database, then says how the figures read before it are brought up to date:
# "added" reads only the uploads since, "same" reads no figure, "whole" reads them all again.
STEPS = {
    "a first upload": (lambda e: commit(e, "a.xlsx", FIRST), "added"),
    "a correction and new codes": (lambda e: commit(e, "b.xlsx", SECOND), "added"),
    "monthly figures": (lambda e: commit(e, "c.xlsx", MONTHLY), "added"),
    "a change that is not an upload": (bump, "same"),
    "a rollback": (
        lambda e: store.rollback_upload(e, int(store.read_uploads(e, store.DATA)["id"].max()), "李四"),
        "whole",
    ),
}


@pytest.fixture
def counted_reads(monkeypatch):
    """Count whole reads of the figures."""
    calls = []
    whole = figures_module.read_observations
    monkeypatch.setattr(figures_module, "read_observations", lambda *a, **k: calls.append(1) or whole(*a, **k))
    return calls


def test_each_change_brings_the_figures_to_what_a_whole_read_gives(engine, counted_reads):
    figures = read_figures(engine, store.read_uploads(engine))
    assert figures.observations.empty and counted_reads == [1]
    for name, (change, how) in STEPS.items():
        change(engine)
        before = len(counted_reads)
        updated = read_figures(engine, store.read_uploads(engine), figures)
        pd.testing.assert_frame_equal(updated.observations, store.read_observations(engine), obj=name)
        assert len(counted_reads) - before == (how == "whole"), name
        assert (updated.observations is figures.observations) == (how == "same"), name
        figures = updated


def test_figures_of_another_database_with_the_same_upload_ids_are_read_again_whole(engine, tmp_path, counted_reads):
    # A database put back to a backup, or another at the same address: the same ids name other uploads.
    other = store.connect(f"sqlite:///{tmp_path / 'other.db'}")
    commit(other, "a.xlsx", SECOND)
    commit(engine, "a.xlsx", FIRST)
    assert set(store.read_uploads(other)["id"]) <= set(store.read_uploads(engine)["id"])
    figures = read_figures(other, store.read_uploads(other))
    updated = read_figures(engine, store.read_uploads(engine), figures)
    pd.testing.assert_frame_equal(updated.observations, store.read_observations(engine))
    assert len(counted_reads) == 2
    other.dispose()


def test_the_process_keeps_one_databases_figures_to_start_from(engine):
    commit(engine, "a.xlsx", FIRST)
    first = store.read_observations_now(engine, store.read_uploads(engine))
    commit(engine, "b.xlsx", SECOND)
    second = store.read_observations_now(engine, store.read_uploads(engine))
    pd.testing.assert_frame_equal(second, store.read_observations(engine))
    assert store.read_observations_now(engine, store.read_uploads(engine)) is second is not first


CODES = st.sampled_from(["A1", "A10", "A1_0", "a1", "B2", "Z", "0", "创新1", "创新10", "人才", "Ä"])
ROWS = st.lists(st.tuples(CODES, st.integers(2020, 2022), st.sampled_from([3, 12]), st.integers(0, 9)), max_size=30)


def frame_of(rows: dict[tuple, tuple]) -> pd.DataFrame:
    """Return observations of {(code, year, month): (value, upload id)}, in Python's order of the keys."""
    records = [(*key, float(value), None, upload) for key, (value, upload) in sorted(rows.items())]
    frame = pd.DataFrame(records, columns=["indicator", "year", "month", "value", "note", "upload_id"])
    return frame.astype(
        {"indicator": "str", "year": "int64", "month": "int64", "value": "float64", "upload_id": "int64"}
    )


@settings(deadline=None)
@given(old=ROWS, new=ROWS)
def test_laying_new_figures_over_old_keeps_the_newest_of_each_in_code_point_order(old, new):
    old_rows = {(c, y, m): (v, 1) for c, y, m, v in old}
    new_rows = {(c, y, m): (v, 2) for c, y, m, v in new}
    laid = lay_over(frame_of(old_rows), frame_of(new_rows))
    pd.testing.assert_frame_equal(laid, frame_of(old_rows | new_rows))
