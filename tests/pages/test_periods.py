"""AppTest of the plan-period picker: a catalog of 十四五 and 十五五, each period its own years, report and link."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest
from factories import make_observations
from support import metric

from hqd import store
from hqd.catalog import build_catalog
from hqd.formatting import format_score
from hqd.rollup import compute_report


@pytest.fixture
def two_periods(app):
    """Add 十五五 (2025 -> 2030) for every indicator, its baseline the 十四五 target, and figures for 2026."""
    catalog = store.load_catalog(app.engine)
    # The milestone B1 and the share B2 end with 十四五; the others run on, closing half their gap again.
    runs_on = catalog.indicators[~catalog.indicators["code"].isin(["B1", "B2"])]
    gap = runs_on["target_value"] - runs_on["base_value"]
    p15 = runs_on.assign(
        period="P15",
        base_year=2025,
        target_year=2030,
        base_value=runs_on["target_value"],
        target_value=runs_on["target_value"] + gap / 2,
    )
    p15_period = {"code": "P15", "name_zh": "十五五", "name_en": "15th FYP", "base_year": 2025, "target_year": 2030}
    periods = pd.concat([catalog.periods, pd.DataFrame([p15_period])], ignore_index=True)
    tables = replace(catalog, periods=periods, indicators=pd.concat([catalog.indicators, p15], ignore_index=True))
    two = build_catalog({name: frame.astype("str") for name, frame in tables.tables().items()})
    store.commit_upload(app.engine, "catalog.csv", None, "t", catalog=two)
    store.commit_upload(app.engine, "2026.xlsx", b"2026", "t", frame=make_observations([("A1", 2026, 240.0)]))
    return app, two


def test_the_period_holding_the_latest_figures_opens_first_and_a_link_opens_another(two_periods):
    app, catalog = two_periods
    observations = store.read_observations(app.engine)
    at = app.open("overview")
    assert not at.exception
    assert at.selectbox(key="period").value == "P15"
    assert at.selectbox(key="year").options == [str(y) for y in range(2025, 2031)]
    assert at.selectbox(key="year").value == 2026
    p15 = compute_report(catalog, observations, period="P15").overall.query("year == 2026").iloc[0]
    assert metric(at, "总体得分") == format_score(p15["score"])
    # The link names 十四五: its years, its latest year with figures, its report.
    at = app.open("overview", period="P14")
    assert at.selectbox(key="year").options == [str(y) for y in range(2020, 2026)]
    assert at.selectbox(key="year").value == 2022
    p14 = compute_report(catalog, observations, period="P14").overall.query("year == 2022").iloc[0]
    assert metric(at, "总体得分") == format_score(p14["score"])


def test_picking_another_period_shows_its_own_years(two_periods):
    app, _ = two_periods
    at = app.open("overview", year="2026")
    at.selectbox(key="period").set_value("P14").run()
    assert not at.exception
    # The year picked in 十五五 is not one of 十四五's: its own latest year with figures is shown.
    assert at.selectbox(key="year").value == 2022
    assert at.selectbox(key="period").format_func("P14") == "十四五（2020–2025年）"
