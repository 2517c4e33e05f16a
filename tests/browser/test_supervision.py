"""Supervision in a real browser: an editor of 科技创新局 answers the 督办 list from the monthly template."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from factories import TEST_PASSWORD
from playwright.sync_api import expect
from support import add_accounts, save_screenshot, start_app

from hqd import store
from hqd.bootstrap import open_database
from hqd.i18n import status_name
from hqd.submissions import template_reports
from hqd.supervision import NEEDS_EXPLANATION
from hqd.workbook import (
    DATA_SHEET,
    EXPLANATION_HEADERS,
    KEY_TASK_HEADERS,
    KEY_TASK_SHEET,
    STATUS_HEADER,
    write_month_template,
)

pytestmark = pytest.mark.browser
DEPARTMENT = "科技创新局"


@pytest.fixture(scope="module")
def sample_app(tmp_path_factory):
    """Start the app on the sample data (with its supervision reports) and an editor of 科技创新局 (kjj)."""
    folder = tmp_path_factory.mktemp("supervision")
    url = f"sqlite:///{folder / 'hqd.db'}"
    engine = open_database(url)
    add_accounts(engine, [("kjj", "editor", False)])
    store.save_account(engine, "kjj", "test", None, departments=[DEPARTMENT])
    engine.dispose()
    process, app = start_app(url, folder / "streamlit.log")
    yield app, url
    process.terminate()
    process.wait(timeout=20)


def answered_template(url: str) -> tuple[bytes, list[str]]:
    """Return 科技创新局's October template with two explanations owed written in and one late milestone completed."""
    engine = store.connect(url)
    catalog, observations = store.load_catalog(engine), store.read_observations(engine)
    reports = template_reports(catalog, observations, store.read_supervision(engine), 2026, 10)
    content = write_month_template(catalog, 2026, 10, observations, department=DEPARTMENT, reports=reports)
    engine.dispose()
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book[DATA_SHEET]
    header_row = next(r for r in sheet.iter_rows() if any(c.value == STATUS_HEADER for c in r))
    column = {c.value: c.column for c in header_row}
    owed_words = [status_name(status, "zh") for status in NEEDS_EXPLANATION]
    answered = []
    for row in range(header_row[0].row + 1, sheet.max_row + 1):
        status = str(sheet.cell(row, column[STATUS_HEADER]).value or "")
        owed = any(word in status for word in owed_words)
        if owed and not sheet.cell(row, column[EXPLANATION_HEADERS["cause"]]).value and len(answered) < 2:
            sheet.cell(row, column[EXPLANATION_HEADERS["cause"]]).value = "重大项目签约延后，合同登记滞后一个月"
            sheet.cell(row, column[EXPLANATION_HEADERS["measures"]]).value = "逐项跟踪登记进度，月底前集中补登"
            sheet.cell(row, column[EXPLANATION_HEADERS["expected_by"]]).value = "2026-12-31"
            answered.append(sheet.cell(row, column["指标编码"]).value)
    tasks = book[KEY_TASK_SHEET]
    task_header = next(r for r in tasks.iter_rows() if any(c.value == KEY_TASK_HEADERS["completed_on"] for c in r))
    task_column = {c.value: c.column for c in task_header}
    for row in range(task_header[0].row + 1, tasks.max_row + 1):
        if not tasks.cell(row, task_column[KEY_TASK_HEADERS["completed_on"]]).value:
            tasks.cell(row, task_column[KEY_TASK_HEADERS["completed_on"]]).value = date.today().isoformat()
            break
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), answered


def metric_value(page, label: str):
    return page.locator('[data-testid="stMetric"]', has_text=label).locator('[data-testid="stMetricValue"]')


def test_an_editor_answers_the_supervision_list_from_the_template(page, sample_app, tmp_path):
    app, url = sample_app
    page.goto(f"{app}/signin")
    # The first run after start computes the sample's reports: a loaded machine may take a minute.
    expect(page.get_by_role("heading", name="登录")).to_be_visible(timeout=90_000)
    page.get_by_role("textbox", name="用户名").fill("kjj")
    page.get_by_role("textbox", name="密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    # Signed in, the overview runs; a link clicked before that run ends can be lost with it.
    expect(page.get_by_text("当前用户：")).to_be_visible(timeout=60_000)
    expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=60_000)
    page.locator('[data-testid="stSidebarNav"] a', has_text="督办事项").click()
    expect(page.get_by_role("heading", name="督办事项", exact=True)).to_be_visible(timeout=30_000)
    owed_before = int(metric_value(page, "逾期未说明").inner_text())
    late_before = int(metric_value(page, "滞后节点").inner_text())
    assert owed_before >= 2 and late_before >= 1

    content, answered = answered_template(url)
    assert len(answered) == 2
    workbook = tmp_path / "科技创新局2026年10月.xlsx"
    workbook.write_bytes(content)
    page.locator('[data-testid="stSidebarNav"] a', has_text="上传数据").click()
    expect(page.get_by_role("heading", name="上传数据")).to_be_visible(timeout=20_000)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(workbook))
    expect(page.get_by_text("检查通过，没有错误")).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="提交导入").click()
    expect(page.get_by_text("已提交")).to_be_visible(timeout=20_000)

    page.locator('[data-testid="stSidebarNav"] a', has_text="督办事项").click()
    expect(page.get_by_role("heading", name="督办事项", exact=True)).to_be_visible(timeout=30_000)
    expect(metric_value(page, "逾期未说明")).to_have_text(str(owed_before - 2), timeout=20_000)
    expect(metric_value(page, "滞后节点")).to_have_text(str(late_before - 1))
    # The table is drawn on a canvas; its cells exist for screen readers.
    for code in answered:
        expect(page.get_by_text(code, exact=False).first).to_be_attached()
    save_screenshot(page, "supervision-answered", height=1800)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
