"""AppTest of the overview page: the figures shown are the ones hqd computes."""

from __future__ import annotations

import pandas as pd
from support import PAGES, infos, metric, plain, table_with, texts, visible_pages

from hqd.formatting import format_score
from hqd.i18n import MESSAGES, status_name, status_text
from hqd.labels import STATUSES


def year_of(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    return frame[frame["year"] == year].reset_index(drop=True)


def colours(rows: pd.DataFrame) -> list[str]:
    from hqd.ui.widgets import BADGE_COLOURS

    return [BADGE_COLOURS[s] for s in rows["status"]]


def test_overview_shows_the_computed_scores_for_the_latest_year(app):
    at = app.open()
    assert not at.exception
    overall = year_of(app.report.overall, 2022).iloc[0]
    assert metric(at, "总体得分") == format_score(overall["score"])
    assert metric(at, "序时进度") == format_score(overall["expected_score"])
    programmes = year_of(app.report.programmes, 2022)
    # Each card: the status's name over the score, both in the status's colour, the score with its symbol.
    cards = [(m.label, m.value) for m in at.metric if m.label.endswith("]") and m.label.startswith(":")]
    expected = zip(programmes["status"], colours(programmes), programmes["score"], strict=True)
    assert cards == [
        (f":{c}[{status_name(s)}]", f":{c}[{STATUSES.loc[s, 'symbol']} {format_score(v)}]") for s, c, v in expected
    ]


def test_overview_lists_what_is_behind_and_the_summary(app):
    at = app.open()
    behind = year_of(app.report.indicators, 2022).query("status in ['lagging', 'regressing']")
    table = table_with(at, "与目标差距")
    assert sorted(table["指标"]) == sorted(behind["name_zh"])
    assert set(table["状态"]) <= {status_text("lagging"), status_text("regressing")}
    summary = plain(texts(at.markdown))
    assert f"总体得分{format_score(year_of(app.report.overall, 2022).iloc[0]['score'])}分" in summary
    assert "第2号上传（values.xlsx，张三）" in plain(texts(at.caption))


def test_year_comes_from_the_url_and_changes_the_figures(app):
    at = app.open(year="2021")
    assert at.selectbox(key="year").value == 2021
    assert metric(at, "总体得分") == format_score(year_of(app.report.overall, 2021).iloc[0]["score"])


def test_language_switch_changes_every_label(app):
    at = app.open()
    chinese = [m.label for m in at.metric]
    at.segmented_control(key="lang").set_value("en").run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Six Major Projects dashboard"]
    assert metric(at, "Overall score") == format_score(year_of(app.report.overall, 2022).iloc[0]["score"])
    assert [m.label for m in at.metric] != chinese
    assert "Overall progress in 2022" in [h.value for h in at.subheader]
    attention = table_with(at, "Gap to target")
    assert "Indicator" in attention.columns
    shown = " ".join(
        [e.value for e in (*at.title, *at.subheader, *at.markdown, *at.caption)]
        + [m.label for m in at.metric]
        + list(attention.columns)
    )
    chinese = [zh for zh, _ in MESSAGES.values() if "{" not in zh and len(zh) > 1]
    assert [zh for zh in chinese if zh in shown] == []


def test_a_year_without_data_says_so_plainly(app):
    at = app.open(year="2024")
    assert not at.exception
    assert "2024年暂无任何指标数据" in infos(at)
    assert not at.metric and not at.dataframe and not at.get("plotly_chart")


def test_sample_banner_only_with_sample_data(app):
    from hqd import store

    assert not app.open().warning
    store.commit_upload(
        app.engine,
        "s.xlsx",
        b"s",
        "示例数据",
        frame=pd.DataFrame({"indicator": ["A1"], "year": [2020], "value": [100.0]}),
        is_sample=True,
    )
    assert "示例数据" in texts(app.open().warning)


def test_every_page_but_signing_in_is_in_the_navigation_of_the_single_user(app):
    assert visible_pages(app.open()) == set(PAGES) - {"signin"}
