"""AppTest of the overview page: the figures shown are the ones hqd computes."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pandas as pd
import pytest
from support import PAGES, html_table, infos, metric, plain, texts, visible_pages

from hqd import store
from hqd.briefing import list_attention
from hqd.formatting import format_change, format_score
from hqd.i18n import MESSAGES, status_name, status_text, translator
from hqd.inyear import report_in_year
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
    table = html_table(at, "overview_attention").frame()
    assert "与目标差距" in table
    assert sorted(table["指标"]) == sorted(behind["name_zh"])
    assert set(table["状态"]) <= {status_text("lagging"), status_text("regressing")}
    summary = plain(texts(at.markdown))
    assert f"总体得分{format_score(year_of(app.report.overall, 2022).iloc[0]['score'])}分" in summary
    assert "第2号上传（values.xlsx，张三）" in plain(texts(at.caption))


SVG = "{http://www.w3.org/2000/svg}"


def chart(at, key: str) -> ET.Element:
    """Return the SVG chart (hqd.svg) the overview draws in the container keyed `key`, parsed from its markup."""
    (drawn,) = at.get_by_key(key).get("markdown")
    return ET.fromstring(drawn.value).find(f"{SVG}svg")


def chart_texts(drawn: ET.Element, role: str) -> list[str]:
    return [text.text for text in drawn.iter(f"{SVG}text") if text.get("class") == role]


@pytest.mark.parametrize(
    ("lang", "titles", "names"),
    [
        ("中文", ["各工程得分与序时进度", "各工程指标状态分布"], ["工程A", "工程B"]),
        ("English", ["Score vs. expected progress, by programme", "Indicators by status in each programme"], None),
    ],
)
def test_a_years_charts_are_svg_found_by_their_keys(app, lang, titles, names):
    at = app.open(lang=lang)
    assert not at.exception
    scores, split = chart(at, "overview_scores"), chart(at, "overview_status_split")
    assert [chart_texts(scores, "title"), chart_texts(split, "title")] == [[title] for title in titles]
    # The programmes top to bottom as their cards are, in the reader's language; no chart library on the page.
    programmes = year_of(app.report.programmes, 2022)["programme"]
    shown = app.catalog.programmes.set_index("code").loc[programmes, "name_zh" if lang == "中文" else "name_en"]
    assert chart_texts(scores, "label") == list(shown) == (names or list(shown))
    assert chart_texts(split, "label") == list(shown)
    assert not at.get("plotly_chart") and not at.get("vega_lite_chart")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_years_behind_table_is_html_worst_first_with_the_status_tinted(app, lang):
    at = app.open(lang=lang)
    assert not at.exception
    t = translator(lang)
    behind = list_attention(app.report, app.catalog, 2022)
    assert len(behind) >= 2
    table = html_table(at, "overview_attention")
    assert table.headers[:2] == [t("col.indicator"), t("col.status")]
    assert {t("col.completion"), t("col.gap"), t("col.department")} <= set(table.headers)
    shown = table.frame()
    assert list(shown[t("col.indicator")]) == list(behind[f"name_{lang}"])
    assert list(shown[t("col.status")]) == [status_text(s, lang) for s in behind["status"]]
    # The status cell in the status's colour, the name kept in view; no data grid on the page.
    colours = behind["status"].map(STATUSES["colour"])
    assert [row[1]["border-left"] for row in table.styles] == [f"4px solid {c}" for c in colours]
    assert {row[0]["position"] for row in table.styles} == {"sticky"}
    assert not at.dataframe


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
    attention = html_table(at, "overview_attention").frame()
    assert {"Indicator", "Gap to target"} <= set(attention.columns)
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


# A2 is reported monthly as a year-to-date total (tests/pages/conftest.py); 2023 has January–June.
MONTHS = pd.DataFrame(
    {"indicator": "A2", "year": 2023, "month": [2, 3, 4, 5, 6], "value": [18.0, 28.0, 40.0, 50.0, 60.0]}
)


@pytest.mark.parametrize(
    ("lang", "heading", "metric_label", "sentence", "behind"),
    [
        (
            "中文",
            "十四五 · 2023年序时进度（截至2023年6月）",
            "序时进度",
            "纳入序时进度监测的1项月度、季度指标中",
            "低于序时进度的指标",
        ),
        (
            "English",
            "14th FYP · 2023, progress to the end of June",
            "Due by now",
            "of the 1 indicators",
            "Indicators behind schedule",
        ),
    ],
)
def test_a_year_under_way_is_shown_against_its_due_progress(app, lang, heading, metric_label, sentence, behind):
    store.commit_upload(app.engine, "months.xlsx", b"months", "张三", frame=MONTHS)
    catalog = store.load_catalog(app.engine)
    report = report_in_year(catalog, store.read_observations(app.engine), "P14", 2023, 6)
    (row,) = report.indicators.itertuples(index=False)
    at = app.open(lang=lang)
    assert not at.exception
    assert heading in [h.value for h in at.subheader]
    assert metric(at, metric_label) == format_score(100 * row.expected_completion)
    assert sentence in texts(at.markdown)
    # 60 of an annual target of about 152 by June, against half of it due: well behind, listed.
    assert row.status == "lagging"
    assert behind in [h.value for h in at.subheader]
    code = "zh" if lang == "中文" else "en"
    t = translator(code)
    shown = html_table(at, "overview_attention").frame()
    columns = [t("col.indicator"), t("col.status"), t("col.gap_points")]
    assert shown.columns[0] == columns[0]
    assert shown[columns].to_numpy().tolist() == [
        ["指标A2" if lang == "中文" else "Indicator A2", status_text("lagging", code), format_change(row.gap_points)]
    ]
    # Drawn as HTML: no data grid on the page, whose scripts a new visitor's browser would load first.
    assert not at.dataframe
    # The whole year's figures are not shown as missing: a year under way is judged to its month.
    assert not infos(at)
    # Its charts: the programmes against 序时进度 and the monthly indicators' months against the due line.
    scores, months = chart(at, "overview_scores"), chart(at, "overview_months")
    assert chart_texts(scores, "title") == [
        "各工程完成情况与序时进度" if lang == "中文" else "Done so far by programme, against due by now"
    ]
    (due,) = months.findall(f".//{SVG}g[@class='due']")
    assert due.find(f"{SVG}polyline").get("stroke-dasharray")
    assert [line.get("data-name") for line in months.findall(f".//{SVG}g[@class='series']")] == [
        "指标A2" if lang == "中文" else "Indicator A2"
    ]
    assert not at.get("plotly_chart") and not at.get("vega_lite_chart")


def test_streamlits_loading_placeholders_stand_still_on_every_page(app):
    """Their shimmer repainted the page every frame while a new visitor's overview loaded, for nothing it showed."""
    for page in ("overview", "explorer"):
        at = app.open(page)
        assert not at.exception
        styles = [html.proto.body for html in at.get("html")]
        assert "<style>[data-testid='stSkeleton']{animation:none !important}</style>" in styles
        # A style alone takes no room on the page: Streamlit sends it beside the page's elements, not among them.
        assert not [e for e in at.main if getattr(e, "type", "") == "html" and "stSkeleton" in e.value]
