"""The app in a real browser: first start on an empty machine shows the sample overview."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from support import save_screenshot, start_app

pytestmark = pytest.mark.browser


def test_first_start_shows_sample_overview(page, app_url):
    page.goto(app_url)
    expect(page.get_by_text("六大工程指标看板").first).to_be_visible(timeout=30_000)
    expect(page.get_by_text("示例数据").first).to_be_visible()
    expect(page.locator('[data-testid="stMetricValue"]').first).to_be_visible()
    # The indicators behind schedule, as HTML: the page loads no data grid.
    expect(page.locator(".st-key-overview_attention table")).to_be_visible(timeout=30_000)
    assert page.locator('[data-testid="stDataFrame"]').count() == 0
    assert page.locator('[data-testid="stException"]').count() == 0
    save_screenshot(page, "overview", height=2900)


@pytest.mark.parametrize(
    ("query", "charts"),
    [
        # The sample's year under way (2026 to October): the programmes against 序时进度, the monthly indicators.
        ("", {"overview_scores": "各工程完成情况与序时进度", "overview_months": "月度指标逐月完成进度与序时进度"}),
        (
            "?year=2025&lang=en",
            {"overview_scores": "Score vs. expected progress", "overview_status_split": "by status"},
        ),
    ],
)
def test_the_overviews_charts_are_drawn_as_svg_with_their_hovers(page, app_url, query, charts):
    """Drawn on the server: no charting library's script for a new visitor to wait for."""
    page.goto(app_url + "/" + query)
    for key, title in charts.items():
        drawn = page.locator(f".st-key-{key} svg")
        assert page.locator(f".st-key-{key} .vega-embed").count() == 0
        expect(drawn).to_be_visible(timeout=60_000)
        expect(drawn.locator("text", has_text=title).first).to_be_visible()
        # Its marks are there: the six programmes' bars, or the months' lines, each with its hover.
        marks = drawn.locator("g.bar, g.segment" if key != "overview_months" else "g.series polyline")
        assert marks.count() >= (6 if key != "overview_months" else 2)
        assert drawn.locator("g.bar title, g.point title").count() >= (6 if key == "overview_scores" else 0)
        # The bars' labels are in the page's CJK font, not a fallback box: their width is a real text's.
        label = drawn.locator("text.label").first if key != "overview_months" else drawn.locator("text.title")
        assert label.evaluate("t => t.getComputedTextLength()") > 20
    assert page.locator(".js-plotly-plot").count() == 0
    assert page.locator('[data-testid="stException"]').count() == 0


# A chart of the overview with a name that tries every way out of text: HTML, Markdown, TeX, Streamlit's codes.
HOSTILE = (
    '<img src=x onerror="document.title=1"> $x^2$ :red[red] **bold** [link](http://e.com) :material/home: '
    "&amp; </svg></div><script>document.title=2</script>"
)
HOSTILE_CHART = f"""
import pandas as pd
from hqd.svg import score_chart
from hqd.ui import widgets
name = {HOSTILE!r}
frame = pd.DataFrame({{"label": [name], "score": [50.0], "expected_score": [60.0], "status": ["lagging"]}})
widgets.svg_chart(score_chart(frame, "label", name, "en"), "hostile")
"""


def test_a_charts_names_stay_text_in_the_browser(page, tmp_path):
    script = tmp_path / "chart.py"
    script.write_text(HOSTILE_CHART)
    process, url = start_app(f"sqlite:///{tmp_path / 'hqd.db'}", tmp_path / "streamlit.log", script)
    try:
        page.goto(url)
        drawn = page.locator(".st-key-hostile svg")
        expect(drawn).to_be_visible(timeout=60_000)
        texts = drawn.locator("text").evaluate_all("texts => texts.map(t => t.textContent)")
        # The title whole; the bar's label cut to its room, as it stands.
        assert texts[0] == HOSTILE
        assert any(text.endswith("…") and HOSTILE.startswith(text[:-1].rstrip()) for text in texts[1:])
        assert drawn.locator("title").first.text_content().startswith(HOSTILE)
        box = page.locator(".st-key-hostile")
        assert (box.locator("img").count(), box.locator("script").count(), box.locator("a").count()) == (0, 0, 0)
        assert page.title() not in ("1", "2")
    finally:
        process.terminate()
        process.wait()
