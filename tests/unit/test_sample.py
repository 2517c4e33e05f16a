"""Sample data: deterministic, a realistic mix, loaded through the upload path, removable."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from factories import make_observations

from hqd import store
from hqd.bootstrap import load_sample, open_database
from hqd.catalog import read_catalog
from hqd.intake import read_observations_from_sheets
from hqd.inyear import report_in_year
from hqd.keytasks import milestone_status
from hqd.rollup import compute_report
from hqd.sample import generate_monthly_sample, generate_sample, sample_figures, sample_reports
from hqd.settings import DEFAULT_CATALOG, SAMPLE_USER, SAMPLE_WORKBOOK
from hqd.supervision import NEEDS_EXPLANATION
from hqd.workbook import CATALOG_SHEET, GUIDE_SHEET, read_sheets


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return generate_sample(read_catalog())


def test_generator_is_deterministic(sample):
    pd.testing.assert_frame_equal(generate_sample(read_catalog()), sample)


def test_sample_covers_every_indicator_from_2020_to_2025_with_a_few_gaps(sample):
    catalog = read_catalog()
    assert set(sample["indicator"]) == set(catalog.targets("P14")["code"])
    assert sample["year"].between(2020, 2025).all()
    assert 0 < 52 * 6 - len(sample) <= 6


def test_sample_has_a_realistic_mix_in_the_latest_year(sample):
    report = compute_report(read_catalog(), sample, period="P14")
    # The target year: met or missed (one or two of those fallen below their baseline), a few not reported.
    final = report.indicators.query("year == 2025")
    counts = final["status"].value_counts()
    assert counts[["achieved", "missed", "no_data"]].ge(1).all()
    assert set(counts.index) == {"achieved", "missed", "no_data"}
    assert 1 <= (final["completion"] < 0).sum() <= 2
    # Most reached their target or came close; a few fell well short.
    close = (final["status"] == "achieved") | ((final["status"] == "missed") & (final["completion"] >= 0.6))
    assert close.sum() > len(sample["indicator"].unique()) * 3 / 4
    # The year before: every pace, on schedule to well behind.
    on_the_way = report.indicators.query("year == 2024")["status"].value_counts()
    assert on_the_way[["on_track", "at_risk", "lagging"]].ge(1).all()
    assert report.programmes["status"].nunique() >= 2


def test_committed_workbook_holds_the_generated_values(sample):
    sheets = read_sheets(SAMPLE_WORKBOOK.read_bytes())
    targets = read_catalog().reporting_targets()
    read, problems = read_observations_from_sheets(sheets, targets, skip=(GUIDE_SHEET, CATALOG_SHEET))
    assert problems.empty
    key = ["indicator", "year", "month"]
    got = read[[*key, "value"]].sort_values(key).reset_index(drop=True)
    want = sample_figures(read_catalog()).sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want, check_dtype=False)


def test_first_start_loads_catalog_and_sample_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'new.db'}"
    engine = open_database(url)
    uploads = store.read_uploads(engine)
    # The figures, and the supervision reports answered by the sample's month (督办) in an upload of their own.
    assert sorted(uploads["kind"]) == ["catalog", "data", "data"]
    assert uploads.query("kind == 'data'")["is_sample"].all()
    assert store.has_sample(engine)
    assert len(store.read_observations(engine)) == len(sample_figures(read_catalog()))
    reports = sample_reports(read_catalog())
    supervision = store.read_supervision(engine)
    assert len(supervision.explanations) == len(reports["explanations"]) > 0
    assert len(supervision.milestone_reports) == len(reports["milestone_reports"]) > 0
    assert len(supervision.key_task_reports) == len(reports["key_task_reports"]) > 0
    open_database(url)
    assert len(store.read_uploads(engine)) == 3
    assert store.remove_sample(engine) == 2
    assert store.read_observations(engine).empty
    assert not store.has_sample(engine)
    supervision = store.read_supervision(engine)
    assert supervision.explanations.empty and supervision.milestone_reports.empty
    assert supervision.key_task_reports.empty
    assert store.load_catalog(engine).indicators["code"].tolist() == read_catalog().indicators["code"].tolist()


def test_sample_is_not_loaded_over_real_data(tmp_path):
    engine = open_database(f"sqlite:///{tmp_path / 'real.db'}", sample=False)
    store.commit_upload(engine, "real.xlsx", b"real", "u", frame=make_observations([("INN01", 2021, 380.0)]))
    with pytest.raises(store.StoreError, match="sample.real_data"):
        load_sample(engine)


def p14_only(catalog):
    """Return the default catalog as an earlier release installed it: 十四五 alone."""
    from dataclasses import replace

    return replace(
        catalog,
        periods=catalog.periods[catalog.periods["code"] == "P14"].reset_index(drop=True),
        indicators=catalog.targets("P14"),
    )


def test_a_database_of_an_earlier_release_takes_the_new_periods_as_a_catalog_revision(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = store.connect(url)
    store.commit_upload(engine, DEFAULT_CATALOG, None, SAMPLE_USER, catalog=p14_only(read_catalog()))
    store.commit_upload(engine, "一月.xlsx", b"jan", "王五", frame=make_observations([("INN01", 2024, 480.0)]))
    engine.dispose()
    engine = open_database(url)
    catalogs = store.read_uploads(engine, store.CATALOG)
    assert list(catalogs["file_name"]) == [DEFAULT_CATALOG, DEFAULT_CATALOG] and catalogs["in_effect"].all()
    assert list(store.load_catalog(engine).periods["code"]) == ["P14", "P15"]
    # Stored values kept; a second start changes nothing more.
    assert store.read_observations(engine)[["indicator", "year", "value"]].values.tolist() == [["INN01", 2024, 480.0]]
    assert len(store.read_uploads(open_database(url), store.CATALOG)) == 2


def test_a_catalog_an_admin_uploaded_is_not_replaced(tmp_path):
    url = f"sqlite:///{tmp_path / 'own.db'}"
    engine = store.connect(url)
    store.commit_upload(engine, "我们的目录.xlsx", None, "admin", catalog=p14_only(read_catalog()))
    engine.dispose()
    assert list(store.load_catalog(open_database(url)).periods["code"]) == ["P14"]


def test_the_months_run_at_each_indicators_frequency_with_a_seasonal_shape():
    catalog = read_catalog()
    months = generate_monthly_sample(catalog, generate_sample(catalog))
    frequency = catalog.targets("P15").set_index("code")["frequency"]
    due = months.assign(frequency=months["indicator"].map(frequency))
    # 2026 to October, 2025 to November (its December is the year's figure); nothing for a yearly indicator.
    assert due.groupby("year")["month"].max().to_dict() == {2025: 11, 2026: 10}
    assert set(due["frequency"]) == {"month", "quarter"}
    assert set(due.loc[due["frequency"] == "quarter", "month"]) <= {3, 6, 9}
    # A year-to-date total only grows, slowly around the Spring Festival (1—2月 is its first figure).
    revenue = due[(due["indicator"] == "IND01") & (due["year"] == 2026)].set_index("month")["value"]
    assert revenue.index.min() == 2 and revenue.is_monotonic_increasing
    assert revenue[2] / revenue[10] < 2 / 10
    # In-year standings are mixed: some on schedule, some behind it.
    report = report_in_year(catalog, sample_figures(catalog), "P15", 2026, 10)
    counts = report.indicators["status"].value_counts()
    assert counts[["on_track", "at_risk", "lagging"]].ge(2).all()
    assert report.programmes["status"].nunique() >= 2


def test_the_sample_explains_about_half_the_indicators_behind_and_completes_most_milestones():
    catalog = read_catalog()
    reports = sample_reports(catalog)
    report = report_in_year(catalog, sample_figures(catalog), "P15", 2026, 10)
    behind = report.indicators[report.indicators["status"].isin(NEEDS_EXPLANATION)]
    explained = reports["explanations"]
    assert set(explained["indicator"]) < set(behind["code"])
    assert len(explained) == len(behind) // 2
    assert (explained[["year", "month"]] == [2026, 10]).all().all()
    steps = milestone_status(catalog.key_tasks, catalog.milestones, reports["milestone_reports"], date(2026, 10, 31))
    counts = steps["status"].value_counts()
    # A realistic mix: most done, some of them late, some still open and late.
    assert counts["done"] > 3 * counts["late"] > 0
    done = steps[steps["status"] == "done"]
    assert 0 < (done["days_late"] > 0).sum() < len(done) / 2
    # Only milestones due within the last year are left open: none is years late.
    assert steps.loc[steps["status"] == "late", "days_late"].max() <= 366
    assert sample_reports(catalog)["milestone_reports"].equals(reports["milestone_reports"])
