"""AppTest of the programme pages (one script, one page per programme of the catalog)."""

from __future__ import annotations

import pandas as pd
import pytest
from support import infos

from hqd.formatting import format_score
from hqd.i18n import status_text

PAGE = "app_pages/programme.py"


@pytest.mark.parametrize("programme", ["A", "B"])
def test_programme_page_shows_its_tasks_and_indicators(app, programme):
    at = app.open(programme.lower())
    assert not at.exception
    assert at.title[0].value == f"工程{programme}"
    row = app.report.programmes.query("programme == @programme and year == 2022").iloc[0]
    assert at.metric[0].value == format_score(row["score"])
    indicators = app.report.indicators.query("programme == @programme and year == 2022")
    table = at.dataframe[0].value
    assert list(table["编码"]) == list(indicators["code"])
    pd.testing.assert_series_equal(
        table["完成度"], indicators["score"].round(1).reset_index(drop=True), check_names=False
    )
    assert list(table["状态"]) == [status_text(s) for s in indicators["status"]]
    assert len(at.get("plotly_chart")) == 1


def test_choosing_an_indicator_opens_its_detail(app):
    at = app.open("a")
    at.selectbox(key="indicator").set_value("A2").run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == 2
    assert at.query_params["indicator"] == ["A2"] or at.query_params["indicator"] == "A2"
    detail = " ".join(m.value for m in at.markdown)
    assert "如期完成需每年变化" in detail


def test_indicator_in_the_url_opens_its_detail_in_english(app):
    at = app.open("b", indicator="B2", lang="English")
    assert not at.exception
    assert at.title[0].value == "Programme B"
    assert at.selectbox(key="indicator").value == "B2"
    assert "Reaching the target on time needs" in " ".join(m.value for m in at.markdown)


def test_programme_without_figures_for_the_year_says_so(app):
    at = app.open("b", year="2020")
    assert not at.exception
    assert "本工程的指标尚未填报" in infos(at)
    assert PAGE.endswith("programme.py")
