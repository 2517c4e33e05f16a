"""What a leader sees on a meeting-room screen: the six programmes without scrolling, tables with whole headers."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from support import save_screenshot

from hqd.i18n import translator

pytestmark = pytest.mark.browser

SIZES = [(1280, 800), (1440, 900)]

# The grid draws on a canvas; the widths it gave its columns are in the props of its React component.
COLUMN_WIDTHS = """
canvas => {
  const key = Object.keys(canvas).find(k => k.startsWith('__reactFiber$'));
  for (let fiber = canvas[key]; fiber; fiber = fiber.return) {
    const props = fiber.memoizedProps;
    if (props && Array.isArray(props.columns) && props.columns.length && props.columns[0].width !== undefined) {
      return props.columns.map(c => ({title: c.title, width: c.width}));
    }
  }
  return null;
}
"""
# The pixels a header's text takes in the grid's header font.
TEXT_WIDTH = """
([title, font]) => {
  const context = document.createElement('canvas').getContext('2d');
  context.font = font;
  return context.measureText(title).width;
}
"""


def open_page(browser, url: str, width: int, height: int, lang: str):
    page = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN").new_page()
    page.goto(url)
    expect(page.locator('[data-testid="stMain"]')).to_be_visible(timeout=30_000)
    if lang == "en":
        page.get_by_text("English", exact=True).click()
        expect(page.locator('[data-testid="stSidebarNav"]')).to_contain_text("Six Major Projects", timeout=20_000)
    return page


def grids(page) -> list[list[dict]]:
    """Return each table of the page as its columns: title, width, width its header's text needs."""
    canvases = page.locator('[data-testid="stMain"] [data-testid="data-grid-canvas"]')
    expect(canvases.first).to_be_attached(timeout=30_000)
    page.wait_for_timeout(1500)
    font = page.locator('[data-testid="stMain"] .stDataFrameGlideDataEditor').first.evaluate(
        "e => { const s = getComputedStyle(e); return s.getPropertyValue('--gdg-header-font-style') + ' '"
        " + s.getPropertyValue('--gdg-font-family'); }"
    )
    tables = []
    for canvas in canvases.all():
        columns = [c for c in canvas.evaluate(COLUMN_WIDTHS) if c["title"]]
        for column in columns:
            column["needs"] = page.evaluate(TEXT_WIDTH, [column["title"], font]) + 16  # 8 px padding each side
        tables.append(columns)
    return tables


def narrow_columns(page) -> list[tuple[str, int, float]]:
    return [
        (c["title"], c["width"], round(c["needs"], 1))
        for table in grids(page)
        for c in table
        if c["width"] < c["needs"]
    ]


@pytest.mark.parametrize(("width", "height"), SIZES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_six_programme_cards_are_in_the_first_screen(browser, six_programmes_app, width, height, lang):
    page = open_page(browser, six_programmes_app, width, height, lang)
    cards = page.locator('[data-testid="stMain"] [data-testid="stMetric"]')
    expect(cards.nth(6)).to_be_visible(timeout=30_000)  # the six cards, then the plan's own figures
    page.wait_for_timeout(1500)
    save_screenshot(page, f"layout-overview-{lang}-{width}")
    bottoms = [cards.nth(i).bounding_box() for i in range(6)]
    assert [round(box["y"] + box["height"]) for box in bottoms if box["y"] + box["height"] > height] == []
    expect(page.get_by_text("示例数据" if lang == "zh" else "Sample data").first).to_be_visible()
    page.context.close()


@pytest.mark.parametrize(("width", "height"), SIZES)
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", ["/inn", "/explorer", "/quality"])
def test_no_table_column_is_narrower_than_its_header(browser, six_programmes_app, path, width, height, lang):
    page = open_page(browser, six_programmes_app + path, width, height, lang)
    assert narrow_columns(page) == []
    page.context.close()


# Cells whose text is wider than the cell shows: none may be cut.
CLIPPED = """
table => [...table.querySelectorAll('th, td')].filter(c => c.scrollWidth > c.clientWidth).map(c => c.textContent)
"""


@pytest.mark.parametrize(("width", "height"), SIZES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_overviews_behind_table_is_html_whole_with_the_name_in_view(
    browser, six_programmes_app, width, height, lang
):
    """The overview's one table is HTML, not the data grid a new visitor's browser would load scripts for first."""
    page = open_page(browser, six_programmes_app, width, height, lang)
    table = page.locator(".st-key-overview_attention table")
    expect(table).to_be_visible(timeout=30_000)
    t = translator(lang)
    expect(table.locator("th").first).to_have_text(t("col.indicator"))
    # Each programme's indicator that should fall rose every year.
    expect(table.locator("tbody tr")).to_have_count(6)
    assert table.evaluate(CLIPPED) == []
    assert page.locator('[data-testid="stDataFrame"]').count() == 0
    assert table.locator("td").first.evaluate("c => getComputedStyle(c).fontSize") == "14px"
    # Scrolled sideways, the names stay where they were and the figures move under them.
    box = table.locator("xpath=..")
    name, figure = (
        table.locator("tbody tr").first.locator("td").nth(0),
        table.locator("tbody tr").first.locator("td").last,
    )
    before = name.bounding_box()["x"], figure.bounding_box()["x"]
    scrolled = box.evaluate("e => { e.scrollLeft = e.scrollWidth; return e.scrollLeft; }")
    page.wait_for_timeout(200)
    after = name.bounding_box()["x"], figure.bounding_box()["x"]
    assert after[0] == before[0]
    assert after[1] == pytest.approx(before[1] - scrolled, abs=1)
    save_screenshot(page, f"layout-overview-table-{lang}-{width}")
    page.context.close()


# At 1440 px in either language, and at 1280 px in Chinese, the standing is on screen beside the name;
# English at 1280 px needs the table scrolled (its headers and status names are half again as wide).
@pytest.mark.parametrize(("width", "height", "lang"), [(1440, 900, "en"), (1440, 900, "zh"), (1280, 800, "zh")])
def test_the_standing_columns_are_on_screen_beside_the_name(browser, six_programmes_app, width, height, lang):
    page = open_page(browser, six_programmes_app + "/explorer", width, height, lang)
    t = translator(lang)
    expect(page.get_by_role("heading", name=t("explorer.title"))).to_be_visible(timeout=20_000)
    columns = grids(page)[0]
    shown = page.locator('[data-testid="stMain"] [data-testid="data-grid-canvas"]').first.bounding_box()["width"]
    titles = [c["title"] for c in columns]
    right_edge = {c["title"]: sum(x["width"] for x in columns[: i + 1]) for i, c in enumerate(columns)}
    for key in ("col.indicator", "col.status", "col.attainment", "col.completion", "col.outcome"):
        assert t(key) in titles, titles
        assert right_edge[t(key)] <= shown, (t(key), right_edge[t(key)], shown)
    page.context.close()
