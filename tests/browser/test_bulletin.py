"""The bulletin's HTML as a reader opens it from a USB stick: a file, in Chromium, with every network request
refused; each chart is drawn, nothing is asked of a network, and the sample-data mark is shown."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

import pandas as pd
import pytest
from factories import make_catalog
from playwright.sync_api import expect

from hqd.bulletin_html import write_html
from hqd.views.bulletin import make_bulletin

pytestmark = pytest.mark.browser


def monthly_data():
    """Return a catalog of two programmes' monthly year-to-date totals (P14), and their figures to October 2023."""
    rows = [
        {"code": code, "programme": programme, "task": f"{programme}-1", "unit": "亿元"}
        | {"frequency": "month", "value_kind": "cumulative"}
        for code, programme in (("A1", "A"), ("A2", "A"), ("B1", "B"))
    ]
    figures = pd.DataFrame(
        [
            (code, 2023, month, share * month, None)
            for code, share in (("A1", 12), ("A2", 8), ("B1", 14))
            for month in range(1, 11)
        ],
        columns=["indicator", "year", "month", "value", "note"],
    )
    return make_catalog(rows), figures


def test_the_html_draws_every_chart_offline(browser, tmp_path):
    catalog, observations = monthly_data()
    bulletin = make_bulletin(catalog, observations, "P14", 2023, 10, sample=True, issued=date(2023, 11, 5))
    path = tmp_path / "bulletin.html"
    path.write_text(write_html(bulletin), encoding="utf-8")
    asked, failed = [], []
    context = browser.new_context(viewport={"width": 1000, "height": 900}, locale="zh-CN")
    page = context.new_page()

    def only_the_file(route):
        asked.append(route.request.url)
        if urlsplit(route.request.url).scheme in ("file", "data", "blob"):
            route.continue_()
        else:
            route.abort("internetdisconnected")

    page.route("**/*", only_the_file)
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto(path.as_uri())
    charts = page.locator("figure.chart")
    assert len(bulletin.charts) == 3
    expect(charts).to_have_count(len(bulletin.charts))
    for key in (c.key for c in bulletin.charts):
        # Drawn: plotly's SVG with its bars, inside the chart's own figure.
        expect(page.locator(f'figure[data-key="{key}"] svg.main-svg .bars path').first).to_be_attached()
    expect(page.locator(".banner")).to_have_text("示例数据　仅供演示")
    assert [u for u in asked if urlsplit(u).scheme not in ("file", "data", "blob")] == [] and failed == []
    context.close()
