"""A database written by the release before monthly reporting upgrades in place with nothing lost.

The file (tests/fixtures/release-2026-11.db) was made by that release's code, as
tests/fixtures/make_release_db.py says; it is copied, never changed.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from hqd import bootstrap, store
from hqd.accounts import sign_in
from hqd.rollup import compute_report
from hqd.store import schema

RELEASE = Path(__file__).parent.parent / "fixtures" / "release-2026-11.db"


# The old release's values in effect: the newest upload not rolled back, per indicator and year.
IN_EFFECT = """
SELECT indicator, year, value FROM observations o WHERE upload_id = (
    SELECT max(p.upload_id) FROM observations p JOIN uploads u ON u.id = p.upload_id
    WHERE u.rolled_back_at IS NULL AND p.indicator = o.indicator AND p.year = o.year)
ORDER BY indicator, year
"""


def rows_of(path: Path, query: str) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute(query).fetchall()


@pytest.fixture
def released(tmp_path) -> Path:
    copy = tmp_path / "hqd.db"
    shutil.copyfile(RELEASE, copy)
    return copy


def test_the_release_file_is_what_that_release_wrote():
    assert rows_of(RELEASE, "SELECT value FROM meta WHERE key = 'schema_version'") == [("3",)]
    assert "month" not in {r[1] for r in rows_of(RELEASE, "PRAGMA table_info(observations)")}


def test_an_older_database_upgrades_in_place_keeping_every_value_upload_account_and_audit_row(released):
    before_values = rows_of(
        released, "SELECT id, upload_id, indicator, year, value, note FROM observations ORDER BY id"
    )
    before_uploads = rows_of(released, "SELECT id, kind, file_name, user_name, rolled_back_at FROM uploads ORDER BY id")
    before_audit = rows_of(released, "SELECT id, action, row_hash FROM audit ORDER BY id")
    old = store.connect(f"sqlite:///{released}")
    # The old release's annual results, recomputed from its raw rows with today's method.
    old_catalog = store.load_catalog(old)
    old_values = pd.DataFrame(
        rows_of(released, IN_EFFECT),
        columns=["indicator", "year", "value"],
    )
    old.dispose()

    engine = bootstrap.open_database(f"sqlite:///{released}")

    assert store.schema_version(engine) == schema.SCHEMA_VERSION
    after = rows_of(released, "SELECT id, upload_id, indicator, year, value, note, month FROM observations ORDER BY id")
    assert [r[:6] for r in after] == before_values and {r[6] for r in after} == {12}
    uploads = rows_of(released, "SELECT id, kind, file_name, user_name, rolled_back_at FROM uploads ORDER BY id")
    assert uploads[: len(before_uploads)] == before_uploads
    # The default catalog of this release came in as one revision, and nothing else.
    (revision,) = uploads[len(before_uploads) :]
    assert revision[1:4] == ("catalog", bootstrap.DEFAULT_CATALOG, bootstrap.SAMPLE_USER)
    catalog = store.load_catalog(engine)
    reporting = catalog.indicators.set_index(["code", "period"])
    assert reporting.loc[("IND01", "P15"), ["frequency", "value_kind"]].tolist() == ["month", "cumulative"]
    assert "园区企业总收入" in reporting.loc[("IND01", "P15"), "aliases"]
    # The default key tasks and their milestones (schema 5) came in with it, as stored and read back.
    assert len(catalog.key_tasks) == 48 and catalog.key_tasks["task"].isin(catalog.tasks["code"]).all()
    assert catalog.milestones.groupby("key_task").size().between(3, 4).all()
    # The figure revised with a note is in effect; the rolled-back one is not.
    current = store.read_observations(engine).set_index(["indicator", "year", "month"])
    assert (current.at[("INN01", 2025, 12), "value"], current.at[("INN01", 2025, 12), "note"]) == (501.0, "年报修订")
    # The audit chain still verifies, with the revision appended to it.
    assert rows_of(released, "SELECT id, action, row_hash FROM audit ORDER BY id")[: len(before_audit)] == before_audit
    assert store.verify_audit(engine).problem is None
    # Accounts sign in with their old passwords.
    identity, refused = sign_in(engine, "admin", "S3cure-pass!x")
    assert refused is None and identity.role == "admin"
    # Annual results are the old catalog's results for the old figures: the revision changed no value.
    pd.testing.assert_frame_equal(
        compute_report(old_catalog, old_values, period="P14").indicators,
        compute_report(old_catalog, current.reset_index(), period="P14").indicators,
    )
    # A second start changes nothing more.
    again = bootstrap.open_database(f"sqlite:///{released}")
    assert len(store.read_uploads(again)) == len(uploads)


def test_an_admins_older_catalog_keeps_its_own_values_and_takes_the_reporting_fields_of_the_default(released):
    # As if an admin had revised the catalog with the old release: the upgrade leaves it in effect.
    with sqlite3.connect(released) as conn:
        conn.execute("UPDATE uploads SET user_name = 'admin', file_name = '目录修订.xlsx' WHERE kind = 'catalog'")
    engine = bootstrap.open_database(f"sqlite:///{released}")
    assert len(store.read_uploads(engine, store.CATALOG)) == 1
    rows = store.load_catalog(engine).indicators.set_index(["code", "period"])
    assert rows.loc[("IND01", "P15"), ["frequency", "value_kind"]].tolist() == ["month", "cumulative"]
    assert rows.loc[("CIT04", "P15"), "frequency"] == "month" and rows.loc[("INN01", "P15"), "frequency"] == "quarter"
