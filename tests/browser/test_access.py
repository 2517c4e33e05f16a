"""Sign-in in a real browser: an editor signs in, uploads, signs out; a viewer cannot reach upload."""

from __future__ import annotations

import pytest
from factories import TEST_PASSWORD, make_workbook
from playwright.sync_api import expect
from support import save_screenshot

pytestmark = pytest.mark.browser


def sign_in(page, app: str, username: str) -> None:
    page.goto(f"{app}/signin")
    expect(page.get_by_role("heading", name="登录")).to_be_visible(timeout=30_000)
    page.get_by_role("textbox", name="用户名").fill(username)
    page.get_by_role("textbox", name="密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_text(f"当前用户：{username}")).to_be_visible(timeout=20_000)


def test_editor_signs_in_uploads_and_signs_out(page, accounts_app, tmp_path):
    sign_in(page, accounts_app, "staff")
    page.locator('[data-testid="stSidebarNav"] a', has_text="上传数据").click()
    expect(page.get_by_role("heading", name="上传数据")).to_be_visible(timeout=20_000)
    workbook = tmp_path / "staff.xlsx"
    workbook.write_bytes(make_workbook({"填报": [["指标编码", "年份", "数值"], ["A1", 2023, 160]]}))
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(workbook))
    expect(page.get_by_text("提交人：staff（当前登录用户）")).to_be_visible(timeout=20_000)
    page.get_by_role("button", name="提交导入").click()
    expect(page.get_by_text("已提交：第3号上传")).to_be_visible(timeout=20_000)
    save_screenshot(page, "signed-in-upload", height=1600)
    page.get_by_role("button", name="退出登录").click()
    expect(page.get_by_text("当前用户：staff")).to_have_count(0, timeout=20_000)
    expect(page.locator('[data-testid="stSidebarNav"] a', has_text="上传数据")).to_have_count(0)


def test_viewer_typing_the_upload_url_lands_elsewhere(page, accounts_app):
    sign_in(page, accounts_app, "boss")
    expect(page.locator('[data-testid="stSidebarNav"] a', has_text="上传数据")).to_have_count(0)
    page.goto(f"{accounts_app}/upload")
    expect(page.get_by_role("heading", name="六大工程指标看板")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("heading", name="上传数据")).to_have_count(0)
    expect(page.locator('[data-testid="stFileUploaderDropzoneInput"]')).to_have_count(0)
