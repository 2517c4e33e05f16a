"""AppTest of the final assessment page: nothing before a period ends, then its figures as hqd computes them."""

from __future__ import annotations

import pytest
from factories import make_observations
from support import infos, metric, plain, table_with, texts

from hqd import store
from hqd.assessment import assess_period
from hqd.briefing import summarise_assessment
from hqd.rollup import compute_report

# The plan's target year reported: A1 and A3 meet their targets, A2 and B2 fall short, B1 and B3 have no 2025 figure.
FINAL_VALUES = [("A1", 2025, 210.0), ("A2", 2025, 180.0), ("A3", 2025, 28.0), ("B2", 2025, 80.0)]


def finish(app) -> None:
    """Give the fixture database the target year's figures: the period has ended."""
    store.commit_upload(app.engine, "final.xlsx", b"final", "张三", frame=make_observations(FINAL_VALUES))


@pytest.fixture
def finished(app, built):
    """The app after finish (made once and copied), its catalog and its assessment as hqd computes them."""
    app.start_from(built(finish))
    catalog = store.load_catalog(app.engine)
    report = compute_report(catalog, store.read_observations(app.engine), period="P14")
    return app, catalog, assess_period(report, catalog, "P14")


def test_before_a_period_ends_the_page_says_so(app):
    at = app.open("assessment")
    assert not at.exception
    assert "尚无已结束的规划期" in infos(at) and not at.dataframe
    # The overview offers no way to an assessment that is not there.
    assert not [link for link in app.open().page_link if "终期评估" in link.value]


def test_a_finished_period_is_assessed_as_hqd_computes_it(finished):
    app, catalog, assessment = finished
    at = app.open("assessment")
    assert not at.exception
    assert [t.value for t in at.title] == ["十四五终期评估"]
    overall = assessment.overall.iloc[0]
    assert metric(at, "★ 已完成") == str(int(overall["met"])) == "2"
    assert metric(at, "✖ 未完成") == "2" and metric(at, "○ 无数据") == "2"
    summary = plain(texts(at.markdown))
    assert all(sentence in summary for sentence in summarise_assessment(assessment, catalog, "zh"))
    indicators = table_with(at, "完成情况", "期末实际值")
    assert list(indicators["编码"]) == list(assessment.indicators["code"])
    assert list(indicators["完成情况"]) == ["★ 已完成", "✖ 未完成", "★ 已完成", "○ 无数据", "✖ 未完成", "○ 无数据"]
    programmes = table_with(at, "工程", "指标数", "已完成", "未完成", "无数据", "完成占比（按权重）", exact=True)
    assert list(programmes["已完成"]) == list(assessment.programmes["met"]) == [2, 0]
    assert list(table_with(at, "任务", "已完成")["已完成"]) == list(assessment.tasks["met"])
    # No schedule language in a target year: a target is met or not.
    assert "序时进度" not in summary


def test_the_overview_links_to_the_finished_periods_assessment(finished):
    app, _, _ = finished
    at = app.open()
    links = [(plain(link.value), link.proto.page) for link in at.page_link if "终期评估" in link.value]
    assert links == [("查看十四五终期评估", "assessment")]
    at.switch_page("app_pages/assessment.py").run()
    assert not at.exception and [t.value for t in at.title] == ["十四五终期评估"]


def test_the_assessment_is_in_english_too(finished):
    app, _, _ = finished
    at = app.open("assessment", lang="en")
    assert not at.exception
    assert [plain(t.value) for t in at.title] == ["14th FYP: final assessment"]
    assert list(table_with(at, "Outcome", "Final actual")["Outcome"])[:2] == ["★ Met", "✖ Not met"]
