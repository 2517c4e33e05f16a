"""A hostile upload in a real browser: refused with its reason, and the server goes on answering everyone."""

from __future__ import annotations

import urllib.request

import pytest
from factories import make_sparse_corner_xlsx
from playwright.sync_api import expect
from support import save_screenshot

pytestmark = pytest.mark.browser


def new_page(browser):
    """Return a page in a browser context of its own (its own cookies and session: another person)."""
    return browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN").new_page()


def test_sparse_corner_upload_is_refused_and_the_overview_still_loads_for_someone_else(browser, fixture_app, tmp_path):
    staff = new_page(browser)
    staff.goto(f"{fixture_app}/?year=2023")
    expect(staff.get_by_role("heading", name="2023年总体进展")).to_be_visible(timeout=30_000)
    staff.locator('[data-testid="stSidebarNav"] a', has_text="上传数据").click()
    expect(staff.get_by_role("heading", name="上传数据")).to_be_visible(timeout=20_000)

    # 5 KB: a small table and one cell at XFD1048576, a grid of 17 billion cells from A1.
    workbook = tmp_path / "角落.xlsx"
    workbook.write_bytes(make_sparse_corner_xlsx())
    staff.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(workbook))
    expect(staff.get_by_text("工作表「数据」的数据区域为 A1:XFD1048576")).to_be_visible(timeout=30_000)
    expect(staff.locator('[data-testid="stException"]')).to_have_count(0)
    save_screenshot(staff, "upload-hostile-refused")

    leader = new_page(browser)
    leader.goto(f"{fixture_app}/?year=2023")
    expect(leader.get_by_role("heading", name="2023年总体进展")).to_be_visible(timeout=30_000)
    expect(leader.locator('[data-testid="stMetricValue"]').first).to_be_visible()
    expect(leader.locator('[data-testid="stException"]')).to_have_count(0)
    with urllib.request.urlopen(f"{fixture_app}/_stcore/health", timeout=10) as response:
        assert response.status == 200
    # The uploader's own session lives on too.
    staff.get_by_role("link", name="总览").first.click()
    expect(staff.get_by_role("heading", name="2023年总体进展")).to_be_visible(timeout=30_000)
    staff.context.close()
    leader.context.close()
