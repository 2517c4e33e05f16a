"""What the upload, history and audit pages say: problems with their indicator, changes without refused values,
the rollback question, why a commit waits, and audit rows in words."""

from __future__ import annotations

import json
from datetime import date, datetime

import pandas as pd
import pytest
from factories import make_catalog, make_observations, make_workbook

from hqd.changes import compare_observations, drop_refused
from hqd.imports import ImportResult
from hqd.intake import read_observations_from_sheets
from hqd.problems import ERROR, WARNING, make_problems, problem
from hqd.tables import changes_table, problems_table
from hqd.views import audit, history, upload
from hqd.workbook import read_sheets

CATALOG = make_catalog(
    [
        {"code": "A1", "programme": "A", "task": "A-1", "unit": "人", "name_en": "Staff"},
        {"code": "B2", "programme": "B", "task": "B-1", "unit": "%", "base_value": 50, "target_value": 90},
    ]
)
TODAY = date(2026, 6, 1)
STORED = make_observations([("A1", 2021, 110.0), ("A1", 2022, 120.0)])


def read(rows: list[list]) -> tuple[pd.DataFrame, pd.DataFrame]:
    sheets = read_sheets(make_workbook({"填报": [["指标编码", "年份", "数值"], *rows]}))
    return read_observations_from_sheets(sheets, CATALOG.targets(), TODAY)


@pytest.mark.parametrize(
    ("lang", "header", "indicators", "years"),
    [
        ("zh", ["工作表", "行", "列", "指标", "年份", "问题"], ["A1 指标A1", "B2 指标B2", ""], [2021, 2022, None]),
        (
            "en",
            ["Sheet", "Row", "Column", "Indicator", "Year", "Problem"],
            ["A1 Staff", "B2 Indicator B2", ""],
            [2021, 2022, None],
        ),
    ],
)
def test_problems_table_names_the_indicator_and_year_of_each_problem(lang, header, indicators, years):
    _, problems = read([["A1", 2021, -5], ["B2", 2022, "abc"], ["XX", 2021, 3]])
    table = problems_table(problems, lang, CATALOG)
    assert list(table.columns) == header
    assert list(table.iloc[:, 3]) == indicators
    assert (
        str(table.iloc[:, 4].dtype) == "Int64"
        and table.iloc[:, 4].astype(object).where(table.iloc[:, 4].notna(), None).tolist() == years
    )


def test_problems_table_without_indicators_has_no_empty_indicator_columns():
    problems = make_problems([problem("problem.no_year_columns", sheet="填报", row=1)])
    assert list(problems_table(problems, "zh", CATALOG).columns) == ["工作表", "行", "列", "问题"]


def test_a_refused_value_is_no_change():
    observations, problems = read([["A1", 2021, -5], ["A1", 2022, 125], ["A1", 2023, 130]])
    assert list(problems["code"]) == ["problem.negative"]
    compared = compare_observations(STORED, drop_refused(observations, problems))
    assert compared[["year", "value", "change"]].values.tolist() == [[2022, 125.0, "changed"], [2023, 130.0, "new"]]
    assert -5 not in changes_table(compared, CATALOG, "zh")["新值"].str.extract(r"(-?\d+)")[0].astype(int).tolist()


@pytest.mark.parametrize(
    ("severity", "kept"),
    [(ERROR, [2022]), (WARNING, [2021, 2022])],
)
def test_drop_refused_drops_only_values_at_an_error(severity, kept):
    incoming = make_observations([("A1", 2021, 1.0), ("A1", 2022, 2.0)]).assign(
        sheet="填报", row=[2, 3], column=["C", "C"]
    )
    problems = make_problems([problem("problem.negative", severity, sheet="填报", row=2, column="C", value=1.0)])
    out = drop_refused(incoming, problems)
    assert list(out["year"]) == kept and len(incoming) == 2


UPLOADS = pd.DataFrame(
    {
        "id": [2, 1],
        "kind": ["data", "catalog"],
        "file_name": ["values.xlsx", "catalog.csv"],
        "user_name": ["张三", "t"],
        "created_at": [datetime(2024, 3, 1, 8), datetime(2024, 1, 1, 8)],
        "rows": [303, 51],
        "rolled_back_at": [None, None],
        "rolled_back_by": [None, None],
        "in_effect": [True, True],
    }
)


def changes(changed: int, new: int, unchanged: int) -> pd.DataFrame:
    """Return what an upload changed, as imports.describe_upload gives it: so many changed, new and unchanged values."""
    kinds = [(2.0, True)] * changed + [(2.0, False)] * new + [(1.0, True)] * unchanged
    before = make_observations([("A1", 1000 + i, 1.0) for i, (_, stored) in enumerate(kinds) if stored])
    brought = make_observations([("A1", 1000 + i, value) for i, (value, _) in enumerate(kinds)])
    return compare_observations(before, brought)


@pytest.mark.parametrize(
    ("counts", "lang", "says", "never"),
    [
        (
            (4, 2, 297),
            "zh",
            ["撤销第2号上传「values.xlsx」？6个数值将恢复", "修改过的4个数值恢复原值", "新增的2个数值撤除"]
            + ["另有297个"],
            ["303"],
        ),
        ((4, 0, 0), "zh", ["4个数值将恢复", "修改过的4个"], ["新增", "另有"]),
        (
            (4, 2, 297),
            "en",
            ["Roll back upload #2 “values.xlsx”? 6 values go back", "4 changed values", "2 new values", "297 more"],
            ["303"],
        ),
    ],
)
def test_the_rollback_question_counts_the_values_that_change_back(counts, lang, says, never):
    question = history.show_upload(UPLOADS, 2, changes(*counts), CATALOG, lang).question
    assert all(part in question for part in says), question
    assert not any(part in question for part in never), question


def test_the_rollback_question_of_a_catalog_counts_its_changes():
    frame = pd.DataFrame({"code": ["A1", "B2"], "field": ["target_value"] * 2, "old": [1, 2], "new": [3, 4]})
    assert "2处修改" in history.ask_rollback(1, UPLOADS.set_index("id").loc[1], frame, "zh")


def checked(severities: list[str]) -> ImportResult:
    problems = make_problems([problem("problem.negative", s, value=-1.0) for s in severities])
    observations = compare_observations(STORED, make_observations([("A1", 2022, 150.0)]))
    return ImportResult("x.xlsx", b"x", observations, problems)


@pytest.mark.parametrize(
    ("severities", "user", "as_of", "why"),
    [
        ([], "张三", None, ""),
        ([WARNING], "张三", None, ""),
        ([ERROR, ERROR], "", None, "有2个错误，不能提交：请改正文件后重新上传。"),
        ([], "", None, "请先填写提交人，再提交。"),
        ([], "张三", datetime(2024, 1, 1), "正在查看过去某一时刻的数据：回到当前数据后才能提交。"),
    ],
)
def test_explain_commit_says_why_the_button_waits(severities, user, as_of, why):
    result = checked(severities)
    assert upload.explain_commit(result, user, as_of, "zh") == why


LEGACY = "rows 303, new 2, changed 4, unchanged 297, catalog_changes 0, errors 0, warnings 0"
COUNTS = {"rows": 303, "new": 2, "changed": 4, "unchanged": 297, "catalog_changes": 0, "errors": 0, "warnings": 0}


@pytest.mark.parametrize(
    ("lang", "detail"),
    [
        ("zh", "预览303个数值：新增2个，修改4个，未变297个；目录修改0处；错误0个，提醒0个"),
        ("en", "Preview of 303 values: 2 new, 4 changed, 297 unchanged; 0 catalog changes; 0 errors, 0 warnings"),
    ],
)
def test_audit_words_previews_and_gives_whole_upload_numbers(lang, detail):
    rows = pd.DataFrame(
        {
            "at": [datetime(2024, 5, 1, 1)] * 3,
            "user_name": ["root"] * 3,
            "role": ["admin"] * 3,
            "action": ["upload_previewed", "upload_previewed", "sign_in"],
            "detail": [LEGACY, json.dumps({"code": "audit.previewed", **COUNTS}), "其他说明"],
            "upload_id": [float("nan"), 2.0, float("nan")],
            "file_name": ["a.xlsx", "b.xlsx", None],
        }
    )
    listed = audit.list_audit(rows, lang)
    assert list(listed.iloc[:, 4]) == [detail, detail, "其他说明"]
    numbers = listed.iloc[:, 5]
    assert str(numbers.dtype) == "Int64" and numbers.isna().tolist() == [True, False, True] and numbers[1] == 2
