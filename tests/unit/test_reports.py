"""Departments' reports (issue 13, items 2 and 5): explanations and key-task progress read from the template with
coded problems at their cells, the template's round trip, evidence files by content, the department checks of files
and forms, and rollback by department."""

from __future__ import annotations

import hashlib
import io
import string
import zipfile
from dataclasses import replace
from datetime import date

import pandas as pd
import pytest
from factories import SMALL_INDICATORS, make_catalog, make_observations, with_key_tasks
from openpyxl import Workbook, load_workbook

from hqd import reports as reports_module
from hqd import store
from hqd.accounts import Identity
from hqd.i18n import MESSAGES, describe_problem
from hqd.imports import commit_import, may_roll_back, prepare_import, rollback, upload_departments
from hqd.policy import PermissionDenied
from hqd.problems import CONTEXT_PARAMS, make_problems
from hqd.refusal import Refusal
from hqd.reports import (
    check_evidence,
    read_explanations,
    read_key_task_sheet,
    read_reports,
    sniff_media_type,
)
from hqd.submissions import record_explanation, record_key_task_progress, report_tables, template_reports
from hqd.workbook import (
    DATA_SHEET,
    KEY_TASK_HEADERS,
    KEY_TASK_SHEET,
    MONTH_HEADER,
    TemplateReports,
    read_sheets,
    write_month_template,
    write_template,
)

# The services' rules; the store's statements under them are tested on PostgreSQL in the store's tests.
pytestmark = pytest.mark.sqlite_only

TODAY = date(2022, 11, 25)
OWN, OTHER = "测试局", "财政局"
# A2 and the key task K2 are another department's; the rest the test catalog's own.
KEY_TASKS = [
    ("K1", "A-1", "制定专项方案", OWN, "2021-01", "2022-12"),
    ("K2", "B-1", "建设创新平台", OTHER, "2021-01", "2022-06"),
    ("K3", "A-2", "开展试点", OWN, "2022-01", "2022-12"),
]
MILESTONES = [
    ("K1", 1, "2021-06", "形成方案初稿"),
    ("K1", 2, "2022-12", "印发专项方案"),
    ("K2", 1, "2022-06", "平台挂牌"),
]


def reporting_catalog():
    indicators = [{**d, "department": OTHER} if d["code"] == "A2" else d for d in SMALL_INDICATORS]
    return with_key_tasks(make_catalog(indicators), KEY_TASKS, MILESTONES)


CATALOG = reporting_catalog()


def grid(rows: list[list]) -> pd.DataFrame:
    """Return a sheet's cells as the reader gives them: objects, '' where empty."""
    width = max(len(r) for r in rows)
    return pd.DataFrame([[*r, *[""] * (width - len(r))] for r in rows], dtype="object")


def located(problems: pd.DataFrame) -> list[tuple]:
    return [(p.row, p.column, p.code, p.params) for p in problems.itertuples(index=False)]


def worded_in_both_languages(problems: pd.DataFrame) -> None:
    """Every problem's sentence uses exactly its values (besides the indicator and period shown as columns)."""
    for row in problems.to_dict("records"):
        zh, en = MESSAGES[row["code"]]
        used = {f for text in (zh, en) for _, f, _, _ in string.Formatter().parse(text) if f}
        assert used <= set(row["params"]) and set(row["params"]) - used <= CONTEXT_PARAMS, row
        assert describe_problem(row, lang="zh") and describe_problem(row, lang="en")


WIDE = ["指标编码", "说明报告期", "原因分析", "整改措施", "预计完成时间"]
LONG_MONTH = ["指标编码", "报告期", "数值", "原因分析", "整改措施", "预计完成时间"]
TOO_LONG = "长" * 1001
AT = {"indicator": "A1", "year": 2022, "month": 12}


@pytest.mark.parametrize(
    ("rows", "explained", "problems"),
    [
        (
            [WIDE, ["A1", "2022年", "项目延期", "加快推进", "2023-06-30"]],
            [("A1", 2022, 12, "项目延期", "加快推进", date(2023, 6, 30))],
            [],
        ),
        # A month alone is its last day; an Excel day number is its date; the name finds the indicator.
        (
            [["指标名称", *WIDE[1:]], ["指标A3", "2022年10月", "审批慢", "并联审批", "2022年12月"]],
            [("A3", 2022, 10, "审批慢", "并联审批", date(2022, 12, 31))],
            [],
        ),
        ([WIDE, ["A1", "2022年", "原因", "措施", 45107]], [("A1", 2022, 12, "原因", "措施", date(2023, 6, 30))], []),
        # A month's template: the row's 报告期 gives the month.
        (
            [LONG_MONTH, ["A1", "2022年1—10月", "", "原因", "措施", ""]],
            [("A1", 2022, 10, "原因", "措施", None)],
            [],
        ),
        ([WIDE, ["A1", "2022年", "", "", ""]], [], []),
        (
            [WIDE, ["A1", "2022年", "项目延期", "", ""]],
            [],
            [(2, "D", "problem.explanation_incomplete", {**AT, "field": "整改措施"})],
        ),
        (
            [WIDE, ["A1", "2022年", "", "加快推进", ""]],
            [],
            [(2, "C", "problem.explanation_incomplete", {**AT, "field": "原因分析"})],
        ),
        (
            [WIDE, ["A1", "2022年", TOO_LONG, "措施", ""]],
            [],
            [(2, "C", "problem.text_too_long", {**AT, "field": "原因分析", "limit": 1000, "length": 1001})],
        ),
        (
            [WIDE, ["A1", "2022年", "原因", "措施", "下个月"]],
            [],
            [(2, "E", "problem.bad_date", {**AT, "value": "下个月"})],
        ),
        (
            [WIDE, ["A1", "2022年10月", "原因", "措施", "2022-09-30"]],
            [],
            [
                (
                    2,
                    "E",
                    "problem.expected_before_period",
                    {**AT, "month": 10, "value": "2022-09-30", "period_year": 2022, "period_month": 10},
                )
            ],
        ),
        (
            [WIDE, ["ZZ9", "2022年", "原因", "措施", ""]],
            [],
            [(2, "A", "problem.unknown_indicator", {"text": "ZZ9"})],
        ),
        (
            [WIDE, ["A1", "", "原因", "措施", ""]],
            [],
            [(2, "C", "problem.explanation_no_period", {"indicator": "A1"})],
        ),
        (
            [WIDE, ["A1", "2022年", "原因", "措施", ""], ["A1", "2022年", "又一个原因", "措施", ""]],
            [("A1", 2022, 12, "原因", "措施", None)],
            [(3, "C", "problem.duplicate_explanation", AT)],
        ),
    ],
)
def test_the_explanation_columns_read_as_rows_or_problems_at_their_cells(rows, explained, problems):
    frame, found = read_explanations({"填报": grid(rows)}, CATALOG.reporting_targets())
    assert [tuple(r) for r in frame[["indicator", "year", "month", "cause", "measures", "expected_by"]].to_numpy()] == [
        tuple(e) for e in explained
    ]
    assert located(found) == problems
    worded_in_both_languages(found)


KT = list(KEY_TASK_HEADERS.values())


@pytest.mark.parametrize(
    ("rows", "progress", "done", "problems"),
    [
        (
            [
                KT,
                ["K1", "", 1, "", "", date(2021, 6, 20), "已形成初稿", "2022年10月"],
                ["K1", "", 2, "", "", "", "", ""],
            ],
            [("K1", 2022, 10, "已形成初稿")],
            [("K1", 1, date(2021, 6, 20))],
            [],
        ),
        # A merged 进展情况 cell comes back in each row it covers: one progress.
        (
            [
                KT,
                ["K1", "", 1, "", "", "2021/6/20", "进展", "2022年10月"],
                ["K1", "", 2, "", "", "", "进展", "2022年10月"],
            ],
            [("K1", 2022, 10, "进展")],
            [("K1", 1, date(2021, 6, 20))],
            [],
        ),
        (
            [KT, ["K9", "", 1, "", "", "2021-06-20", "", ""]],
            [],
            [],
            [(2, "A", "problem.unknown_key_task", {"text": "K9"})],
        ),
        (
            [KT, ["K1", "", 5, "", "", "2021-06-20", "", ""]],
            [],
            [],
            [(2, "C", "problem.unknown_step", {"key_task": "K1", "step": "5"})],
        ),
        (
            [KT, ["K1", "", 1, "", "", "六月", "", ""]],
            [],
            [],
            [(2, "F", "problem.bad_completion_date", {"key_task": "K1", "value": "六月"})],
        ),
        (
            [KT, ["K1", "", 1, "", "", "2022-11-26", "", ""]],
            [],
            [],
            [(2, "F", "problem.completed_in_future", {"key_task": "K1", "value": "2022-11-26"})],
        ),
        (
            [
                KT,
                ["K1", "", 1, "", "", "", "一种说法", "2022年10月"],
                ["K1", "", 2, "", "", "", "另一种说法", "2022年10月"],
            ],
            [("K1", 2022, 10, "一种说法")],
            [],
            [(3, "G", "problem.progress_conflict", {"key_task": "K1"})],
        ),
        (
            [KT, ["K1", "", 1, "", "", "", "进展", ""]],
            [],
            [],
            [(2, "H", "problem.progress_no_period", {"key_task": "K1", "value": ""})],
        ),
        (
            [KT, ["K3", "", "", "", "", "", "长" * 2001, "2022年10月"]],
            [],
            [],
            [(2, "G", "problem.text_too_long", {"field": "进展情况", "limit": 2000, "length": 2001})],
        ),
        ([["随便"]], [], [], [(None, "", "problem.no_key_task_header", {"header": "重点任务编号"})]),
    ],
)
def test_the_key_task_sheet_reads_as_progress_and_milestones_or_problems_at_their_cells(rows, progress, done, problems):
    reported, completed, found = read_key_task_sheet(grid(rows), CATALOG.key_tasks, CATALOG.milestones, TODAY)
    assert [tuple(r) for r in reported[["key_task", "year", "month", "progress"]].to_numpy()] == progress
    assert [tuple(r) for r in completed[["key_task", "step", "completed_on"]].to_numpy()] == done
    assert [(None if pd.isna(r) else r, c, code, p) for r, c, code, p in located(found)] == problems
    worded_in_both_languages(found)


EXPLANATIONS = pd.DataFrame(
    [
        {
            "indicator": "A1",
            "year": 2022,
            "month": 12,
            "cause": "=原因 <b>",
            "measures": "措施\n第二行",
            "expected_by": date(2023, 3, 31),
        },
        {"indicator": "A3", "year": 2022, "month": 12, "cause": "审批慢", "measures": "并联审批", "expected_by": None},
        # Of another month: not the template's, so not in it.
        {"indicator": "B1", "year": 2022, "month": 10, "cause": "旧的", "measures": "旧的", "expected_by": None},
    ]
)
DONE = pd.DataFrame([{"key_task": "K1", "step": 1, "completed_on": date(2021, 6, 20)}])
PROGRESS = pd.DataFrame([{"key_task": "K1", "year": 2022, "month": 12, "progress": "已形成初稿"}])


@pytest.mark.parametrize("month_template", [False, True], ids=["years", "month"])
def test_a_template_written_with_explanations_and_progress_reads_back_unchanged(month_template):
    given = TemplateReports(2022, 12, pd.Series({"A1": "lagging", "A3": "regressing"}), EXPLANATIONS, DONE, PROGRESS)
    if month_template:
        content = write_month_template(CATALOG, 2022, 12, reports=given)
    else:
        content = write_template(CATALOG, reports=given)
    sheets = read_sheets(content)
    found, problems = read_reports(sheets, CATALOG, TODAY, skip=("填报说明", "指标目录"))
    assert problems.empty, problems
    columns = ["indicator", "year", "month", "cause", "measures", "expected_by"]
    assert found["explanations"][columns].to_dict("records") == EXPLANATIONS.iloc[:2].to_dict("records")
    done = found["milestone_reports"][["key_task", "step", "completed_on"]]
    assert done.to_dict("records") == DONE.to_dict("records")
    assert found["key_task_reports"][PROGRESS.columns].to_dict("records") == PROGRESS.to_dict("records")
    # The rows whose status needs an explanation show it, tinted; the 重点任务 sheet lists every milestone.
    data = sheets[DATA_SHEET]
    status = list(data.iloc[0]).index("当前状态")
    assert dict(zip(data.iloc[1:, 0], data.iloc[1:, status], strict=True))["A1"] == "▼明显滞后"
    book = load_workbook(io.BytesIO(content))
    row = 1 + list(data.iloc[1:, 0]).index("A1") + 1
    assert book[DATA_SHEET].cell(row=row, column=status + 1).fill.fgColor.rgb != "FFF2F2F2"
    assert list(sheets[KEY_TASK_SHEET].iloc[1:, 0]) == ["K1", "K1", "K2", "K3"]
    if month_template:
        assert list(data.iloc[0]) == MONTH_HEADER


def test_the_template_shows_each_indicators_status_at_the_month_reported():
    values = make_observations([("A1", 2021, 125.0), ("A1", 2022, 110.0), ("A3", 2022, 62.0)])
    given = template_reports(CATALOG, values, None)
    assert (given.year, given.month) == (2022, 12)
    assert given.statuses["A1"] == "lagging" and given.statuses["A3"] == "regressing"


def office_zip(content_types: bytes | None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        if content_types is not None:
            archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def real_xlsx() -> bytes:
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


DOCX = b'<Override ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
XLSM = b'<Override ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/>'


@pytest.mark.parametrize(
    ("content", "media_type"),
    [
        (b"%PDF-1.7\n...", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n....", "image/png"),
        (b"\xff\xd8\xff\xe0....", "image/jpeg"),
        (office_zip(DOCX), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (real_xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (office_zip(XLSM), None),
        (office_zip(None), None),
        (b"<html><script>alert(1)</script></html>", None),
        (b"MZ\x90\x00", None),
        (b"PK\x03\x04 not really a zip", None),
    ],
    ids=["pdf", "png", "jpeg", "docx", "xlsx", "xlsm", "zip", "html", "exe", "broken zip"],
)
def test_an_evidence_files_type_is_read_from_its_content(content, media_type):
    assert sniff_media_type(content) == media_type


def test_an_evidence_file_is_refused_when_empty_too_large_or_of_another_kind(monkeypatch):
    row, problems = check_evidence("K1", None, "批复.pdf", b"%PDF-1.7 body")
    assert problems == [] and row.iloc[0]["sha256"] == hashlib.sha256(b"%PDF-1.7 body").hexdigest()
    assert check_evidence("K1", None, "x.pdf", b"")[1][0]["code"] == "problem.evidence_empty"
    assert check_evidence("K1", None, "x.pdf", b"<html>")[1][0]["params"] == {
        "file": "x.pdf",
        "kinds": "PDF, PNG, JPEG, DOCX, XLSX",
    }
    monkeypatch.setattr(reports_module, "MAX_EVIDENCE_BYTES", 10)
    (too_large,) = check_evidence("K1", None, "大.pdf", b"%PDF-" + b"0" * 20)[1]
    assert too_large["code"] == "problem.evidence_too_large"
    worded_in_both_languages(make_problems([too_large]))


@pytest.fixture
def reporting(engine):
    """The engine with the reporting catalog: A2 and the key task K2 are 财政局's, the rest 测试局's."""
    store.commit_upload(engine, "catalog.csv", None, "test", catalog=CATALOG)
    return engine


def editor_of(*departments: str) -> Identity:
    return Identity("填报员", "editor", "password", "kj", departments)


ADMIN = Identity("管理员", "admin", "password", "root")
VIEWER = Identity("领导", "viewer", "password", "boss")


def month_file(rows: list[list], key_tasks: list[list] | None = None) -> bytes:
    """Return an .xlsx of a month's data sheet (MONTH_HEADER) and, if given, a 重点任务 sheet."""
    book = Workbook()
    sheet = book.active
    sheet.title = DATA_SHEET
    for row in [MONTH_HEADER, *rows]:
        sheet.append(row)
    if key_tasks:
        tasks = book.create_sheet(KEY_TASK_SHEET)
        for row in [KT, *key_tasks]:
            tasks.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def explained(code: str) -> list:
    row = dict.fromkeys(MONTH_HEADER, "")
    row |= {"指标编码": code, "报告期": "2022年", "原因分析": "项目延期", "整改措施": "加快推进"}
    row["预计完成时间"] = "2023-06-30"
    return list(row.values())


def test_a_file_of_explanations_and_milestones_alone_is_an_upload_and_unchanged_again_is_nothing(reporting):
    content = month_file([explained("A1")], [["K1", "", 1, "", "", "2021-06-20", "已形成初稿", "2022年11月"]])
    result = prepare_import(reporting, content, "说明.xlsx", today=TODAY, who=editor_of(OWN))
    assert result.ok, result.problems
    summary = result.summary()
    assert (summary["rows"], summary["explanations"], summary["key_task_reports"], summary["milestone_reports"]) == (
        0,
        1,
        1,
        1,
    )
    commit_import(reporting, result, "kj", role=editor_of(OWN))
    shown = store.read_explanations(reporting)
    assert shown[["indicator", "cause", "user_name"]].to_dict("records") == [
        {"indicator": "A1", "cause": "项目延期", "user_name": "kj"}
    ]
    assert store.read_milestone_reports(reporting)[["key_task", "step"]].to_dict("records") == [
        {"key_task": "K1", "step": 1}
    ]
    # The same reports again (a template sent back as it came): nothing new, nothing to commit.
    again = prepare_import(reporting, month_file([explained("A1")]), "again.xlsx", today=TODAY)
    assert not again.has_reports
    assert "problem.no_values" in set(again.problems["code"])


def test_a_file_whose_only_reports_are_wrong_names_their_errors_not_a_missing_figure(reporting):
    wrong = explained("A1")
    wrong[MONTH_HEADER.index("整改措施")] = ""
    result = prepare_import(reporting, month_file([wrong]), "说明.xlsx", today=TODAY, who=editor_of(OWN))
    assert list(result.errors["code"]) == ["problem.explanation_incomplete"]


CASES = [
    # (editor's department, what is reported, refused)
    (OWN, "explain", False),
    (OTHER, "explain", True),
    (OWN, "report_key_tasks", False),
    (OTHER, "report_key_tasks", True),
]


@pytest.mark.parametrize(("department", "action", "refused"), CASES, ids=[f"{d}-{a}" for d, a, _ in CASES])
def test_a_files_reports_of_another_department_are_errors_at_their_cells_and_audited(
    reporting, department, action, refused
):
    if action == "explain":
        content, where = month_file([explained("A1")]), (DATA_SHEET, 2, "J")
    else:
        content = month_file([], [["K1", "", 1, "", "", "2021-06-20", "", ""]])
        where = (KEY_TASK_SHEET, 2, "F")
    result = prepare_import(reporting, content, "f.xlsx", today=TODAY, who=editor_of(department))
    found = result.errors[result.errors["code"] == "problem.not_your_department"]
    assert len(found) == int(refused)
    audit = store.read_audit(reporting, action="upload_refused")
    assert len(audit) == int(refused)
    if refused:
        assert tuple(found.iloc[0][["sheet", "row", "column"]]) == where
        assert found.iloc[0]["params"]["department"] == OWN
        with pytest.raises(Refusal, match="denied.other_department"):
            # Again at the commit, whatever the preview was checked as.
            unchecked = replace(result, problems=make_problems())
            commit_import(reporting, unchecked, "kj", role=editor_of(department))
    else:
        commit_import(reporting, result, "kj", role=editor_of(department))


FORM_CASES = [
    # (who, the item's department is theirs, allowed)
    (editor_of(OWN), "own", True),
    (editor_of(OWN), "other", False),
    (ADMIN, "other", True),
    (VIEWER, "own", False),
]


@pytest.mark.parametrize(("who", "item", "allowed"), FORM_CASES, ids=["editor-own", "editor-other", "admin", "viewer"])
@pytest.mark.parametrize("action", ["explain", "report_key_tasks"])
def test_a_forms_report_is_refused_for_another_department_with_an_audit_row(reporting, who, item, allowed, action):
    def submit():
        if action == "explain":
            code = "A1" if item == "own" else "A2"
            return record_explanation(reporting, who, code, 2022, 12, "原因", "措施", date(2023, 3, 31), who.username)
        task = "K1" if item == "own" else "K2"
        return record_key_task_progress(
            reporting, who, task, 2022, 11, "进展", {1: date(2021, 6, 20)}, None, who.username, TODAY
        )

    if allowed:
        assert submit().empty
        stored = store.read_explanations(reporting) if action == "explain" else store.read_key_task_reports(reporting)
        assert len(stored) == 1 and stored.iloc[0]["user_name"] == who.username
        assert store.read_uploads(reporting).iloc[0]["file_name"] == "表单填报"
        return
    if who.role == "viewer":
        with pytest.raises(PermissionDenied, match=f"denied.{action}"):
            submit()
    else:
        with pytest.raises(Refusal, match="denied.department") as refusal:
            submit()
        assert refusal.value.params == {"department": OTHER}
        assert len(store.read_audit(reporting, action="upload_refused")) == 1
    assert store.read_explanations(reporting).empty and store.read_key_task_reports(reporting).empty


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"cause": "", "measures": ""}, "problem.explanation_incomplete"),
        ({"cause": "长" * 1001}, "problem.text_too_long"),
        ({"expected_by": date(2022, 11, 30)}, "problem.expected_before_period"),
    ],
)
def test_an_explanation_form_returns_its_problems_and_stores_nothing(reporting, kwargs, code):
    given = {"cause": "原因", "measures": "措施", "expected_by": None} | kwargs
    problems = record_explanation(reporting, ADMIN, "A1", 2022, 12, **given, user="root")
    assert list(problems["code"]) == [code]
    assert store.read_explanations(reporting).empty


def test_a_progress_form_keeps_its_evidence_file_with_its_hash_and_refuses_a_disguised_one(reporting):
    pdf = "%PDF-1.7 批复".encode()
    problems = record_key_task_progress(reporting, ADMIN, "K1", 2022, 11, "", {}, ("批复.pdf", pdf), "root", TODAY)
    assert problems.empty
    (proof,) = store.read_evidence(reporting).to_dict("records")
    assert (proof["file_name"], proof["media_type"], proof["size"]) == ("批复.pdf", "application/pdf", len(pdf))
    assert store.read_evidence_file(reporting, proof["id"]) == ("批复.pdf", "application/pdf", pdf)
    disguised = ("report.pdf", b"<html><script>alert(1)</script>")
    refused = record_key_task_progress(reporting, ADMIN, "K1", 2022, 11, "进展", {}, disguised, "root", TODAY)
    assert list(refused["code"]) == ["problem.evidence_type"]
    assert len(store.read_evidence(reporting)) == 1 and store.read_key_task_reports(reporting).empty
    # Nothing given, or only what is in effect already: nothing to store.
    again = record_key_task_progress(reporting, ADMIN, "K1", 2022, 11, "", {1: None}, None, "root", TODAY)
    assert list(again["code"]) == ["problem.nothing_reported"]
    late = record_key_task_progress(reporting, ADMIN, "K1", 2022, 11, "", {2: date(2022, 12, 1)}, None, "root", TODAY)
    assert list(late["code"]) == ["problem.completed_in_future"]
    # A completion in effect is not taken back by a blank date: the form says so and stores nothing.
    done = record_key_task_progress(reporting, ADMIN, "K1", 2022, 11, "", {1: date(2022, 6, 1)}, None, "root", TODAY)
    assert done.empty
    cleared = record_key_task_progress(reporting, ADMIN, "K1", 2022, 11, "进展", {1: None}, None, "root", TODAY)
    assert list(cleared["code"]) == ["problem.completion_cleared"]
    assert store.read_milestone_reports(reporting)["completed_on"].map(str).tolist() == ["2022-06-01"]


def upload_of(engine, figures=(), explanations=(), progress=()) -> int:
    """Return the id of an upload made by the trusted command line holding these items."""
    reports = {}
    if explanations:
        reports["explanations"] = pd.DataFrame(
            [
                {"indicator": c, "year": 2022, "month": 12, "cause": "c", "measures": "m", "expected_by": None}
                for c in explanations
            ]
        )
    if progress:
        reports["key_task_reports"] = pd.DataFrame(
            [{"key_task": k, "year": 2022, "month": 11, "progress": "p"} for k in progress]
        )
    frame = make_observations([(c, 2022, 150.0) for c in figures]) if figures else None
    return store.commit_upload(engine, "u.xlsx", None, "t", frame=frame, reports=reports)[store.DATA]


ROLLBACK_CASES = [
    # (items of the upload, editor's departments, allowed)
    ({"figures": ["A1"]}, (OWN,), True),
    ({"figures": ["A1", "A2"]}, (OWN,), False),
    ({"figures": ["A1", "A2"]}, (OWN, OTHER), True),
    ({"explanations": ["A2"]}, (OWN,), False),
    ({"progress": ["K1"]}, (OWN,), True),
    ({"figures": ["A1"], "progress": ["K2"]}, (OWN,), False),
]


@pytest.mark.parametrize(("items", "departments", "allowed"), ROLLBACK_CASES)
def test_an_editor_rolls_back_only_an_upload_all_of_whose_items_are_their_departments(
    reporting, items, departments, allowed
):
    upload_id = upload_of(reporting, **items)
    owners = upload_departments(reporting, upload_id)
    who = editor_of(*departments)
    assert may_roll_back(who, store.DATA, owners) is allowed
    assert may_roll_back(ADMIN, store.DATA, owners)
    if allowed:
        rollback(reporting, upload_id, "kj", who)
    else:
        with pytest.raises(Refusal, match="denied.rollback_other_department") as refusal:
            rollback(reporting, upload_id, "kj", who)
        assert refusal.value.params["departments"] == [OTHER]
        (refused,) = store.read_audit(reporting, action="rollback_refused").to_dict("records")
        assert refused["upload_id"] == upload_id
        rollback(reporting, upload_id, "root", ADMIN)
    assert not bool(store.read_uploads(reporting).set_index("id").at[upload_id, "in_effect"])


def test_the_upload_preview_shows_a_table_per_kind_of_report():
    given = {"explanations": EXPLANATIONS.iloc[:1], "key_task_reports": PROGRESS, "milestone_reports": DONE}
    tables = dict(report_tables(given, CATALOG, "en"))
    assert list(tables) == ["Explanations (1)", "Key-task progress (1)", "Milestones completed (1)"]
    assert tables["Explanations (1)"].iloc[0].to_dict() == {
        "Indicator": "Indicator A1",
        "Period": "2022",
        "Cause": "=原因 <b>",
        "Measures": "措施\n第二行",
        "Expected completion": "2023-03-31",
    }
    assert tables["Milestones completed (1)"].iloc[0].to_dict() == {
        "Key task": "K1 制定专项方案",
        "Milestone": 1,
        "Completed on": "2021-06-20",
    }
