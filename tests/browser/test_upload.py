"""Staff upload in a real browser: drop a file, read the preview, commit, see the overview change."""

from __future__ import annotations

import pytest
from factories import make_workbook
from playwright.sync_api import expect
from support import save_screenshot

pytestmark = pytest.mark.browser


def overall_score(page) -> str:
    return page.locator('[data-testid="stMetricValue"]').first.inner_text()


def test_upload_through_the_drop_zone_changes_the_overview(page, fixture_app, tmp_path):
    page.goto(f"{fixture_app}/?year=2023")
    expect(page.get_by_role("heading", name="2023年总体进展")).to_be_visible(timeout=30_000)
    before = overall_score(page)

    workbook = tmp_path / "二〇二三年更正.xlsx"
    workbook.write_bytes(
        make_workbook(
            {"填报": [["指标编码", "年份", "数值", "备注"], ["A1", 2023, 195, "年报更正"], ["A2", 2023, "约50", None]]}
        )
    )
    page.locator('[data-testid="stSidebarNav"] a', has_text="上传数据").click()
    expect(page.get_by_role("heading", name="上传数据")).to_be_visible(timeout=20_000)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(workbook))
    expect(page.get_by_text("发现1处错误")).to_be_visible(timeout=20_000)
    # The table is drawn on a canvas; its cells exist for screen readers.
    expect(page.get_by_text("「约50」不是数字")).to_be_attached()
    expect(page.get_by_role("button", name="提交导入")).to_be_disabled()
    save_screenshot(page, "upload-errors", height=1800)

    fixed = tmp_path / "二〇二三年更正(改).xlsx"
    fixed.write_bytes(make_workbook({"填报": [["指标编码", "年份", "数值", "备注"], ["A1", 2023, 195, "年报更正"]]}))
    page.get_by_role("button", name="Remove 二〇二三年更正.xlsx").click()
    expect(page.get_by_role("heading", name="③ 核对预览")).to_have_count(0, timeout=20_000)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(fixed))
    expect(page.get_by_text("检查通过，没有错误")).to_be_visible(timeout=20_000)
    page.get_by_role("textbox", name="提交人").fill("王五")
    page.get_by_role("textbox", name="提交人").press("Enter")
    save_screenshot(page, "upload-preview", height=1800)
    page.get_by_role("button", name="提交导入").click()
    expect(page.get_by_text("已提交：第3号上传")).to_be_visible(timeout=20_000)

    page.get_by_role("link", name="查看总览").click()
    expect(page.get_by_role("heading", name="2023年总体进展")).to_be_visible(timeout=20_000)
    expect(page.locator('[data-testid="stMetricValue"]').first).not_to_have_text(before, timeout=20_000)
    expect(page.get_by_text("第3号上传（二〇二三年更正(改).xlsx，王五）")).to_be_visible()
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
