"""AppTest of the programme pages (one script, one page per programme of the catalog).

AppTest opens a page by its script, and every programme shares one: it opens the first
programme's page (A). That each programme's URL opens its own page is a browser test (test_leaders).
"""

from __future__ import annotations

import pandas as pd
from support import infos, metric, texts

from hqd.formatting import format_score
from hqd.i18n import status_text


def test_programme_page_shows_its_tasks_and_indicators(app):
    at = app.open("programme")
    assert not at.exception
    assert [t.value for t in at.title] == ["工程A"]
    row = app.report.programmes.query("programme == 'A' and year == 2022").iloc[0]
    assert metric(at, "总体得分") == format_score(row["score"])
    indicators = app.report.indicators.query("programme == 'A' and year == 2022")
    table = at.dataframe(key="indicator_table").value
    assert list(table["编码"]) == ["A1", "A2", "A3"] == list(indicators["code"])
    # The share of the gap closed as every table shows it: unclipped (below 0 when behind the baseline).
    pd.testing.assert_series_equal(
        table["目标完成进度"], (indicators["completion"] * 100).reset_index(drop=True), check_names=False
    )
    pd.testing.assert_series_equal(
        table["完成率"], (indicators["attainment"] * 100).reset_index(drop=True), check_names=False
    )
    assert list(table["状态"]) == [status_text(s) for s in indicators["status"]]
    assert len(at.get("plotly_chart")) == 1


def test_choosing_an_indicator_opens_its_detail(app):
    at = app.open("programme")
    at.selectbox(key="indicator").set_value("A2").run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == 2
    assert at.query_params["indicator"] in (["A2"], "A2")
    assert "今后每年需增加" in texts(at.markdown)


def test_indicator_in_the_url_opens_its_detail_in_english(app):
    at = app.open("programme", indicator="A2", lang="English")
    assert not at.exception
    assert [t.value for t in at.title] == ["Programme A"]
    assert at.selectbox(key="indicator").value == "A2"
    assert "Reaching the target on time needs" in texts(at.markdown)


def test_programme_without_figures_for_the_year_says_so(app):
    at = app.open("programme", year="2020")
    assert not at.exception
    assert "2020年本工程的指标尚未填报" in infos(at)
    assert not at.metric and not at.dataframe
