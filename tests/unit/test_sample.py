"""Sample data: deterministic, a realistic mix, loaded through the upload path, removable."""

from __future__ import annotations

import pandas as pd
import pytest
from factories import make_observations

from hqd import store
from hqd.bootstrap import load_sample, open_database
from hqd.catalog import read_catalog
from hqd.intake import read_observations_from_sheets
from hqd.rollup import compute_report
from hqd.sample import generate_sample
from hqd.settings import SAMPLE_WORKBOOK
from hqd.workbook import CATALOG_SHEET, GUIDE_SHEET, read_sheets


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return generate_sample(read_catalog())


def test_generator_is_deterministic(sample):
    pd.testing.assert_frame_equal(generate_sample(read_catalog()), sample)


def test_sample_covers_every_indicator_from_2020_to_2025_with_a_few_gaps(sample):
    catalog = read_catalog()
    assert set(sample["indicator"]) == set(catalog.indicators["code"])
    assert sample["year"].between(2020, 2025).all()
    assert 0 < 51 * 6 - len(sample) <= 6


def test_sample_has_a_realistic_mix_in_the_latest_year(sample):
    report = compute_report(read_catalog(), sample)
    counts = report.indicators.query("year == 2025")["status"].value_counts()
    assert counts[["achieved", "lagging", "no_data"]].ge(1).all()
    assert 1 <= counts.get("regressing", 0) <= 2
    assert counts["on_track"] + counts["at_risk"] > len(sample["indicator"].unique()) / 2
    assert report.programmes["status"].nunique() >= 2


def test_committed_workbook_holds_the_generated_values(sample):
    sheets = read_sheets(SAMPLE_WORKBOOK.read_bytes())
    read, problems = read_observations_from_sheets(sheets, read_catalog().targets(), skip=(GUIDE_SHEET, CATALOG_SHEET))
    assert problems.empty
    got = read[["indicator", "year", "value"]].sort_values(["indicator", "year"]).reset_index(drop=True)
    want = sample[["indicator", "year", "value"]].sort_values(["indicator", "year"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want, check_dtype=False)


def test_first_start_loads_catalog_and_sample_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'new.db'}"
    engine = open_database(url)
    uploads = store.read_uploads(engine)
    assert sorted(uploads["kind"]) == ["catalog", "data"]
    assert uploads.query("kind == 'data'")["is_sample"].all()
    assert store.has_sample(engine)
    assert len(store.read_observations(engine)) == len(generate_sample(read_catalog()))
    open_database(url)
    assert len(store.read_uploads(engine)) == 2
    assert store.remove_sample(engine) == 1
    assert store.read_observations(engine).empty
    assert store.load_catalog(engine).indicators["code"].tolist() == read_catalog().indicators["code"].tolist()


def test_sample_is_not_loaded_over_real_data(tmp_path):
    engine = open_database(f"sqlite:///{tmp_path / 'real.db'}", sample=False)
    store.commit_upload(engine, "real.xlsx", b"real", "u", frame=make_observations([("INN01", 2021, 380.0)]))
    with pytest.raises(store.StoreError, match="sample.real_data"):
        load_sample(engine)
