"""The bulletin's HTML as a reader opens it from a USB stick: a file, in Chromium, with every network request
refused; each chart is drawn, nothing is asked of a network, and the sample-data mark is shown."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

import pandas as pd
import pytest
from factories import make_catalog
from playwright.sync_api import expect

from hqd.bulletin import Table
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


def test_the_page_chromium_prints_lays_its_tables_out_for_print_only(browser, tmp_path):
    """Chromium lays the printed page out on screen too, before and between its print layouts: the tables (a large
    zone's tens of thousands of cells) are left out there, and all of them are in the print."""
    catalog, observations = monthly_data()
    bulletin = make_bulletin(catalog, observations, "P14", 2023, 10, sample=True, issued=date(2023, 11, 5))
    path = tmp_path / "printed.html"
    path.write_text(write_html(bulletin, printing=True), encoding="utf-8")
    context = browser.new_context(viewport={"width": 1000, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(path.as_uri())
    tables = page.locator("table")
    keys = [b.key for s in bulletin.sections for b in s.blocks if isinstance(b, Table)]
    expect(tables).to_have_count(len(keys))
    assert len(keys) == 3 and all(not t.is_visible() for t in tables.all())
    # Still drawn on screen: the charts, which plotly.js draws at the page's loading.
    expect(page.locator('figure[data-key="overall"] svg.main-svg .bars path').first).to_be_attached()
    page.emulate_media(media="print")
    assert all(t.is_visible() for t in tables.all())
    annex = page.locator('table[data-key="annex"] tbody tr')
    expect(annex).to_have_count(len(bulletin.sections[-1].blocks[0].rows))
    context.close()
