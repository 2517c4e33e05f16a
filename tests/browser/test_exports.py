"""The one way data leaves HQD: no built-in table download for anyone, HQD's neutralised exports for analysts."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pytest
from factories import TEST_PASSWORD, make_catalog, make_observations
from playwright.sync_api import expect
from support import start_app

from hqd import store
from hqd.accounts import hash_password

pytestmark = pytest.mark.browser

PAYLOAD = "=cmd|' /C calc'!A0"


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory):
    """Start the app on a database whose notes and department are formulas, with a viewer and an analyst."""
    folder = tmp_path_factory.mktemp("hostile")
    url = f"sqlite:///{folder / 'hqd.db'}"
    engine = store.connect(url)
    catalog = make_catalog([{"code": "A1", "programme": "A", "task": "A-1", "department": PAYLOAD}])
    store.commit_upload(engine, "catalog.csv", None, "t", catalog=catalog)
    store.commit_upload(engine, "v.csv", b"v", "t", frame=make_observations([("A1", 2022, 105.0, PAYLOAD)]))
    for username, role in (("leader", "viewer"), ("analyst", "analyst")):
        store.save_account(
            engine,
            username,
            "test",
            None,
            display_name=username,
            role=role,
            password_hash=hash_password(TEST_PASSWORD),
            disabled=False,
        )
    engine.dispose()
    process, app = start_app(url, folder / "streamlit.log")
    yield app
    process.terminate()
    process.wait(timeout=20)


def sign_in(page, app: str, username: str) -> None:
    page.goto(f"{app}/signin")
    page.get_by_role("textbox", name="用户名").fill(username)
    page.get_by_role("textbox", name="密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_text(f"当前用户：{username}")).to_be_visible(timeout=30_000)


def open_page(page, name: str) -> None:
    """Open a page from the sidebar: typing its URL would start a new session, signed out."""
    page.locator('[data-testid="stSidebarNav"] a', has_text=name).click()
    expect(page.get_by_role("heading", name=name)).to_be_visible(timeout=30_000)


def toolbar_of(page, table):
    """Hover a table so that Streamlit shows its toolbar, and return the toolbar."""
    table.hover()
    toolbar = table.locator('[data-testid="stElementToolbar"]')
    # Search is always there: it proves the toolbar is drawn, so a missing download means something.
    expect(toolbar.get_by_role("button", name=re.compile("Search"))).to_be_visible(timeout=10_000)
    return toolbar


def test_viewer_gets_no_download_of_a_table(page, hostile_app):
    sign_in(page, hostile_app, "leader")
    open_page(page, "工程A")
    table = page.locator('[data-testid="stDataFrame"]').first
    toolbar = toolbar_of(page, table)
    expect(toolbar.get_by_role("button", name=re.compile("Download"))).to_have_count(0)


def test_analyst_exports_only_through_hqd_and_gets_no_formula(page, hostile_app, tmp_path):
    sign_in(page, hostile_app, "analyst")
    open_page(page, "指标查询")
    expect(page.get_by_text("共1项指标")).to_be_visible(timeout=30_000)
    table = page.locator('[data-testid="stDataFrame"]').first
    toolbar = toolbar_of(page, table)
    expect(toolbar.get_by_role("button", name=re.compile("Download"))).to_have_count(0)

    # On a loaded machine the page may still be rerunning after the hover: wait for the button, then allow time.
    csv_button = page.get_by_role("button", name="导出 CSV")
    expect(csv_button).to_be_enabled(timeout=30_000)
    with page.expect_download(timeout=60_000) as download:
        csv_button.click()
    text = download.value.path().read_bytes().decode("utf-8-sig")
    # The department and the note, each neutralised: a spreadsheet shows them as text.
    assert text.count("'" + PAYLOAD) == 2
    assert not re.search(r"(^|[,\r\n])=", text)

    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="导出 Excel").click()
    workbook = download.value.path().read_bytes()
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any(re.search(rb"<f[\s>/]", xml) for xml in sheets)
    sheet = openpyxl.load_workbook(io.BytesIO(workbook)).active
    hostile = [cell for row in sheet.iter_rows() for cell in row if cell.value == PAYLOAD]
    assert [(cell.data_type, cell.quotePrefix) for cell in hostile] == [("s", True)] * 2


def test_an_editor_downloads_the_template_written_when_pressed(page, accounts_app):
    from hqd.workbook import DATA_SHEET

    sign_in(page, accounts_app, "staff")
    open_page(page, "上传数据")
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="下载模板（.xlsx）").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))[DATA_SHEET]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    (a1,) = [row for row in rows if row[0] == "A1"]
    # The department's indicator with its stored figure, ready to be filled in.
    assert 140 in a1
