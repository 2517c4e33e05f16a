"""AppTest of the upload page: a file goes through preview to commit; errors block the commit."""

from __future__ import annotations

import re

from factories import make_workbook
from support import add_accounts, html_table, plain, table_with, tables_with, texts

from hqd import store

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LONG = ["指标编码", "年份", "数值", "备注"]


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def choose_file(at, name: str, content: bytes):
    """Give the page's one file uploader a file and rerun."""
    (uploader,) = at.file_uploader
    return uploader.set_value((name, content, XLSX)).run()


def upload(app, rows: list[list], name: str = "填报.xlsx"):
    at = choose_file(app.open("upload"), name, make_workbook({"填报": [LONG, *rows]}))
    assert not at.exception
    return at


def problems(at) -> tuple:
    """Return the tables of problems: the errors', then the warnings' (the same columns, in this order)."""
    return tuple(tables_with(at, "工作表", "行", "列", "问题"))


def test_page_offers_the_template_of_each_department(app):
    at = app.open("upload")
    assert not at.exception
    assert at.selectbox(key="template_department").options == ["全部责任单位", "科技创新局"]
    assert [t.value for t in at.title] == ["上传数据"]


def test_good_file_previews_then_commits_with_its_user(app):
    at = upload(app, [["A1", 2023, 160, "新数据"], ["A1", 2022, 155], ["B2", 2022, 70]])
    assert metrics(at)["新增"] == "1" and metrics(at)["修改"] == "1" and metrics(at)["未变"] == "1"
    assert metrics(at)["错误"] == "0"
    changes = table_with(at, "变化")
    assert list(changes["编码"]) == ["A1", "A1"] and set(changes["变化"]) == {"新增", "修改"}
    assert at.button(key="upload_commit").disabled  # no name yet
    at.text_input(key="user_name").set_value("李四").run()
    assert not at.button(key="upload_commit").disabled
    at.button(key="upload_commit").click().run()
    assert not at.exception
    assert "已提交：第3号上传" in texts(at.success)
    latest = store.read_uploads(app.engine).iloc[0]
    assert (latest["id"], latest["user_name"], latest["new"], latest["changed"]) == (3, "李四", 1, 1)
    values = store.read_observations(app.engine).set_index(["indicator", "year"])["value"]
    assert values[("A1", 2023)] == 160 and values[("A1", 2022)] == 155


def test_errors_are_listed_with_their_cells_and_block_the_commit(app):
    at = upload(app, [["A1", 2023, "abc"], ["XX", 2023, 5], ["B2", 2023, 120]])
    assert metrics(at)["错误"] == "3"
    assert "发现3处错误" in texts(at.error)
    errors = problems(at)[0]
    assert list(zip(errors["行"], errors["列"], strict=True)) == [(2, "C"), (3, "A"), (4, "C")]
    at.text_input(key="user_name").set_value("李四").run()
    assert at.button(key="upload_commit").disabled
    assert len(store.read_uploads(app.engine, store.DATA)) == 1


def test_unreadable_file_gets_a_message_not_a_traceback(app):
    at = choose_file(app.open("upload"), "notes.xlsx", "这不是表格".encode())
    assert not at.exception
    assert "无法读取「notes.xlsx」" in plain(texts(at.error))


def test_same_file_twice_is_refused(app):
    content = make_workbook({"填报": [LONG, ["A1", 2023, 160]]})
    at = choose_file(app.open("upload"), "a.xlsx", content)
    at.text_input(key="user_name").set_value("李四").run()
    at.button(key="upload_commit").click().run()
    at = choose_file(at, "a.xlsx", content)
    assert "内容完全相同" in " ".join(problems(at)[0]["问题"])
    assert len(store.read_uploads(app.engine, store.DATA)) == 2


# --- In English: the problems and refusals of an upload are worded in the language chosen ---------

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def in_english(app):
    at = app.open("upload")
    at.segmented_control(key="lang").set_value("en").run()
    return at


def test_bad_values_are_listed_in_english_at_their_cells(app):
    content = make_workbook({"Data": [["code", "year", "value"], ["A1", 2023, "abc"], ["XX", 2023, 5]]})
    at = choose_file(in_english(app), "data.xlsx", content)
    assert not at.exception
    (errors,) = tables_with(at, "Sheet", "Row", "Column", "Problem")
    cells = list(zip(errors["Sheet"], errors["Row"], errors["Column"], strict=True))
    assert cells == [("Data", 2, "C"), ("Data", 3, "A")]
    assert list(errors["Problem"]) == [
        "“abc” is not a number.",
        "Unknown indicator “XX”: no indicator in the catalog has this code or name.",
    ]
    assert not any(CJK.search(message) for message in errors["Problem"])
    assert "2 errors found; nothing was imported." in texts(at.error)


def test_an_unreadable_file_is_refused_in_english(app):
    at = choose_file(in_english(app), "notes.xlsx", "这不是表格".encode())
    assert not at.exception
    (error,) = [plain(e.value) for e in at.error]
    assert error.startswith("Cannot read “notes.xlsx”: The file is not an Excel or WPS spreadsheet")
    assert not CJK.search(error)


def test_errors_name_their_indicator_and_year_and_the_commit_says_why_it_waits(app):
    at = upload(app, [["A1", 2023, "abc"], ["XX", 2023, 5], ["B2", 2023, 120]])
    errors = problems(at)[0]
    assert list(errors["指标"]) == ["A1 指标A1", "", "B2 指标B2"]
    assert list(errors["年份"].isna()) == [False, True, False] and errors["年份"].max() == 2023
    at.text_input(key="user_name").set_value("李四").run()
    assert at.button(key="upload_commit").disabled
    assert "有3个错误，不能提交：请改正文件后重新上传。" in texts(at.caption)


def test_a_good_file_waits_visibly_for_the_name_of_who_commits(app):
    at = upload(app, [["A1", 2023, 160]])
    assert at.button(key="upload_commit").disabled
    assert "请先填写提交人，再提交。" in texts(at.caption)
    at.text_input(key="user_name").set_value("李四").run()
    assert not at.button(key="upload_commit").disabled and "请先填写提交人" not in texts(at.caption)


def test_a_refused_value_is_not_listed_as_a_change(app):
    at = upload(app, [["A1", 2023, -5], ["A1", 2022, 155]])
    assert list(problems(at)[0]["行"]) == [2]
    changes = table_with(at, "变化")
    assert list(changes["年份"]) == [2022] and metrics(at)["新增"] == "0" and metrics(at)["修改"] == "1"


# --- Annual targets (年度目标): an admin's sheet -------------------------------------------------


def download_keys(at) -> list[str]:
    """Return the keys of the page's download buttons (AppTest has no accessor of its own for them)."""
    return [b.proto.id.rsplit("-", 1)[-1] for b in at.get("download_button")]


def test_an_admin_downloads_the_annual_targets_and_sets_one_shown_as_year_old_and_new(app):
    at = app.open("upload")
    assert not at.exception
    assert "annual_targets_download" in download_keys(at)
    sheet = {"年度目标": [["指标编码", "年份", "年度目标值"], ["A1", 2022, 150]]}
    at = choose_file(at, "年度目标.xlsx", make_workbook(sheet))
    at.toggle(key="revise_catalog").set_value(True).run()
    assert not at.exception and metrics(at)["目录修改"] == "1"
    changes = table_with(at, "字段")
    assert changes[["编码", "字段", "原值", "新值"]].to_numpy().tolist() == [
        ["A1", "2022年度目标", "按规划轨迹", "150个"]
    ]
    at.text_input(key="user_name").set_value("管理员").run()
    at.button(key="upload_commit").click().run()
    assert not at.exception
    annual = store.load_catalog(app.engine).annual_targets
    assert annual[["code", "year", "target_value"]].to_numpy().tolist() == [["A1", 2022, 150.0]]


def test_an_editor_is_not_offered_the_annual_targets_and_their_sheet_is_ignored(app):
    add_accounts(app.engine, [("staff", "editor", False)])
    at = app.open("upload", signed_in="staff")
    assert not at.exception and "annual_targets_download" not in download_keys(at)
    sheet = {"年度目标": [["指标编码", "年份", "年度目标值"], ["A1", 2022, 150]], "填报": [LONG, ["A1", 2023, 160]]}
    at = choose_file(at, "年度目标.xlsx", make_workbook(sheet))
    assert not at.exception
    (warnings,) = problems(at)  # no errors: the warnings only
    assert "此表有1个年度目标与现行不同，已忽略" in "".join(warnings["问题"])


def test_a_months_sheet_filled_from_its_template_turns_the_overview_to_that_month(app):
    """The office's month: download the month's template, fill the monthly figure, commit, see the lights."""
    import io

    from openpyxl import load_workbook

    from hqd.workbook import DATA_SHEET, write_month_template

    book = load_workbook(io.BytesIO(write_month_template(app.catalog, 2023, 6)))
    sheet = book[DATA_SHEET]
    header = [c.value for c in sheet[1]]
    (row,) = list(sheet.iter_rows(min_row=2))
    assert (row[0].value, row[header.index("报告期")].value) == ("A2", "2023年1—6月")
    row[header.index("数值")].value = 60
    filled = io.BytesIO()
    book.save(filled)

    before = app.open()
    assert "截至2023年6月" not in texts(before.subheader)
    at = choose_file(app.open("upload"), "2023年1-6月.xlsx", filled.getvalue())
    assert not at.exception and metrics(at)["错误"] == "0"
    assert list(table_with(at, "变化")["报告期"]) == ["2023年1—6月"]
    at.text_input(key="user_name").set_value("李四").run()
    at.button(key="upload_commit").click().run()
    assert not at.exception
    after = app.open()
    assert "十四五 · 2023年序时进度（截至2023年6月）" in texts(after.subheader)
    assert list(html_table(after, "overview_attention").frame()["状态"]) == ["▼ 明显滞后"]
