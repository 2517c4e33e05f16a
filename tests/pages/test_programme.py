"""AppTest of the programme pages (one script, one page per programme of the catalog).

AppTest opens a page by its script, and every programme shares one: it opens the first
programme's page (A). That each programme's URL opens its own page is a browser test (test_leaders).
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from factories import with_key_tasks
from support import infos, metric, plain, table_with, texts

from hqd import store
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


@pytest.mark.parametrize(
    ("lang", "shown", "hidden"),
    [
        (
            "zh",
            ["指标解释：测试用的指标说明。", "数据来源：测试局台账", "报送频率：月度；数值类型：累计值（自年初累计）"],
            [],
        ),
        (
            "en",
            ["Definition: An indicator described for the test.", "Reported: Monthly; Year-to-date total"],
            ["测试局"],
        ),
    ],
)
def test_an_indicators_detail_says_what_it_is_where_it_comes_from_and_how_often(app, monkeypatch, lang, shown, hidden):
    meta = pd.DataFrame(
        {
            "definition_zh": ["测试用的指标说明。"],
            "formula_zh": ["—"],
            "source_zh": ["测试局台账"],
            "definition_en": ["An indicator described for the test."],
        },
        index=pd.Index(["A2"], name="code"),
    )
    monkeypatch.setattr("hqd.briefing.read_indicator_meta", lambda: meta)
    at = app.open("programme", indicator="A2", lang=lang)
    assert not at.exception
    (about,) = [e for e in at.expander if e.label == ("指标说明" if lang == "zh" else "About this indicator")]
    lines = [plain(m.value) for m in about.markdown]
    assert lines == shown and not any(word in "".join(lines) for word in hidden)
    # An indicator the descriptions do not list says only how it is reported, from the catalog.
    at.selectbox(key="indicator").set_value("A1").run()
    (about,) = [e for e in at.expander if e.label in ("指标说明", "About this indicator")]
    assert [plain(m.value) for m in about.markdown] == [
        "报送频率：年度；数值类型：时点值" if lang == "zh" else "Reported: Yearly; Level at a point in time"
    ]


def test_a_year_under_way_shows_the_programmes_indicators_against_their_due_share(app):
    months = pd.DataFrame({"indicator": "A2", "year": 2023, "month": [2, 3, 4, 5, 6], "value": [18.0, 28, 40, 50, 60]})
    store.commit_upload(app.engine, "months.xlsx", b"months", "张三", frame=months)
    at = app.open("programme", indicator="A2")
    assert not at.exception
    assert "2023年序时进度（截至6月）" in [h.value for h in at.subheader]
    shown = table_with(at, "差距（百分点）")
    assert list(shown.iloc[:, 0]) == ["指标A2"] and list(shown["截至"]) == ["2023年1—6月"]
    # The chosen indicator's months: this year's figures, the due line and its annual target.
    chart = at.get("plotly_chart")[-1]
    names = [trace["name"] for trace in json.loads(chart.proto.spec)["data"]]
    assert names[0] == "序时进度" and names[1].startswith("年度目标") and names[-1] == "2023年"
    assert "2023年1—6月：60个" in texts(at.markdown)


KEY_TASKS = [
    ("K1", "A-1", "制定专项方案", "科技创新局", "2021-01", "2022-06"),
    ("K2", "A-2", "建设创新平台", "科技创新局", "2022-01", "2023-12"),
]
MILESTONES = [
    ("K1", 1, "2021-06", "形成方案初稿"),
    ("K1", 2, "2022-06", "印发专项方案"),
    ("K2", 1, "2023-03", "平台挂牌"),
    ("K2", 2, "2023-12", "平台运营"),
]


@pytest.mark.parametrize(
    ("lang", "query", "heading", "done", "late", "statuses", "names", "table_columns"),
    [
        (
            "zh",
            {},
            "重点任务",
            ("重点任务完成", "0/2项"),
            ("滞后的重点任务", "1项"),
            ["▼ 滞后549天", "● 按期推进"],
            "报告日",
            ("重点任务", "节点完成"),
        ),
        (
            "en",
            {"lang": "English"},
            "Key tasks",
            ("Key tasks done", "0 of 2"),
            ("Key tasks late", "1"),
            ["▼ 549 days late", "● On schedule"],
            "Reporting date",
            ("Key task", "Milestones done"),
        ),
    ],
)
def test_the_programme_page_lists_its_key_tasks_with_their_status_and_milestone_timeline(
    app, lang, query, heading, done, late, statuses, names, table_columns
):
    store.commit_upload(
        app.engine, "catalog.csv", None, "t", catalog=with_key_tasks(app.catalog, KEY_TASKS, MILESTONES)
    )
    at = app.open("programme", **query)
    assert not at.exception
    assert heading in [h.value for h in at.subheader]
    # Beside the indicator score, never in it: the score is the indicators' alone.
    row = app.report.programmes.query("programme == 'A' and year == 2022").iloc[0]
    assert metric(at, "总体得分" if lang == "zh" else "Overall score") == format_score(row["score"])
    assert metric(at, done[0]) == done[1] and metric(at, late[0]) == late[1]
    # A read-only st.dataframe carries no key in AppTest (streamlit registers an id only with selection on).
    table = table_with(at, *table_columns)
    assert list(table.iloc[:, 1]) == ["制定专项方案", "建设创新平台"]
    assert list(table.iloc[:, -1]) == statuses
    (timeline,) = [c for c in at.get("plotly_chart") if "key_task_timeline" in c.proto.id]
    spec = json.loads(timeline.proto.spec)
    assert spec["layout"]["annotations"][0]["text"] == names
    assert {"形成方案初稿", "平台运营"} <= {row[0] for trace in spec["data"] for row in trace.get("customdata", [])}


def test_a_programme_without_key_tasks_says_so(app):
    at = app.open("programme")
    assert not at.exception
    assert "本工程没有重点任务。" in infos(at)
