"""Annual targets (年度目标): the target in effect per indicator and year, and an admin's 年度目标 sheet.

Grids are built in code; the small catalog is P14 (2020 -> 2025), A1 a straight line 100 -> 200 (120 in
2021, 140 in 2022, …), A3 lower-is-better 60 -> 30, B1 a milestone 0 -> 4, B2 a rate 50 -> 90.
"""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd
import pytest
from factories import make_workbook
from openpyxl import load_workbook

from hqd import store
from hqd.accounts import Identity
from hqd.catalog import Catalog
from hqd.i18n import describe_problem
from hqd.imports import commit_import, describe_upload, prepare_import, rollback
from hqd.inyear import annual_target_table, compute_in_year
from hqd.policy import PermissionDenied
from hqd.revisions import compare_catalogs, read_annual_targets_sheet
from hqd.tables import catalog_changes_table
from hqd.views.history import show_upload
from hqd.workbook import ANNUAL_SHEET, GUIDE_SHEET, UNCALCULATED, read_sheets, write_annual_targets_template

# The services' rules; the store's statements under them are tested on PostgreSQL in the store's tests.
pytestmark = pytest.mark.sqlite_only

# An editor of the test catalog's department (factories.make_catalog): may commit its figures.
STAFF = Identity("员工", "editor", "password", "staff", ("测试局",))

TODAY = date(2026, 11, 25)
LONG = ["指标编码", "规划期", "年份", "年度目标值"]


def grid(rows: list[list]) -> pd.DataFrame:
    """Return a sheet's cells as the reader gives them: objects, '' where empty."""
    width = max(len(r) for r in rows)
    return pd.DataFrame([[*r, *[""] * (width - len(r))] for r in rows], dtype="object")


def with_targets(catalog: Catalog, rows: list[tuple[str, int, float]]) -> Catalog:
    """Return the catalog with admin-set annual targets (code, year, value) in P14."""
    table = pd.DataFrame(rows, columns=["code", "year", "target_value"]).assign(period="P14")
    return replace(
        catalog,
        annual_targets=table[["code", "period", "year", "target_value"]].astype(
            catalog.annual_targets.dtypes.to_dict()
        ),
    )


def targets_of(catalog: Catalog) -> dict[tuple[str, int], float]:
    return {(r.code, int(r.year)): float(r.target_value) for r in catalog.annual_targets.itertuples()}


def changes_of(changes: pd.DataFrame) -> list[tuple]:
    return [
        (r.code, r.field, None if pd.isna(r.old) else r.old, None if pd.isna(r.new) else r.new, r.row, r.column)
        for r in changes.itertuples(index=False)
    ]


# --- The target in effect ---------------------------------------------------------------------


def test_the_annual_target_in_effect_is_the_admins_where_set_else_the_trajectorys(small_catalog):
    table = annual_target_table(with_targets(small_catalog, [("A1", 2022, 150.0)]))
    assert list(table.columns) == ["code", "year", "target_value", "source"]
    a1 = table[table["code"] == "A1"]
    assert a1["year"].tolist() == [2021, 2022, 2023, 2024, 2025]  # after the baseline year, up to the target year
    assert a1["target_value"].tolist() == pytest.approx([120.0, 150.0, 160.0, 180.0, 200.0])
    assert a1["source"].tolist() == ["trajectory", "annual_target", "trajectory", "trajectory", "trajectory"]
    by_key = table.set_index(["code", "year"])["target_value"]
    assert by_key[("A3", 2021)] == pytest.approx(54.0)  # lower is better: 60 -> 30 by 6 a year
    assert by_key[("B1", 2022)] == 1.0  # a milestone's stage, whole: floor(1.6)
    assert len(table) == 5 * 5


def test_the_in_year_method_judges_against_the_same_annual_target(small_catalog):
    catalog = with_targets(small_catalog, [("A1", 2022, 150.0)])
    table = annual_target_table(catalog).set_index(["code", "year"])["target_value"]
    frame = compute_in_year(
        catalog.targets(),
        pd.DataFrame(columns=["indicator", "year", "month", "value"]),
        2022,
        12,
        catalog.annual_targets,
    )
    assert frame.set_index("code")["annual_target"].to_dict() == pytest.approx(
        {code: table[(code, 2022)] for code in frame["code"]}
    )


# --- The 年度目标 sheet, long and wide ---------------------------------------------------------


def test_the_long_form_sets_changes_and_removes_annual_targets(small_catalog):
    catalog = with_targets(small_catalog, [("A1", 2022, 150.0), ("A3", 2023, 40.0), ("B2", 2024, 80.0)])
    sheet = [
        LONG,
        ["A1", "P14", 2022, 155],  # changed
        ["a1", "", "2023年", 170],  # set (code folded, the period the year's)
        ["A3", "十四五", 2023, "按规划轨迹"],  # removed: the trajectory again
        ["B2", "P14", 2024, ""],  # blank: no change
        ["A2", "P14", 2021, ""],
        ["B1", "P14", 2022, 1],  # the trajectory's value already: no change
        ["A1", "P14", 2024, "按规划轨迹"],  # no annual target to remove: no change
    ]
    revised, changes, problems = read_annual_targets_sheet(ANNUAL_SHEET, grid(sheet), catalog)
    assert problems.empty, problems.to_string()
    assert changes_of(changes) == [
        ("A1", "annual_target:2022", 150.0, 155.0, 2, "D"),
        ("A1", "annual_target:2023", None, 170.0, 3, "D"),
        ("A3", "annual_target:2023", 40.0, None, 4, "D"),
    ]
    assert set(changes["period"]) == {"P14"} and set(changes["sheet"]) == {ANNUAL_SHEET}
    assert targets_of(revised) == {("A1", 2022): 155.0, ("A1", 2023): 170.0, ("B2", 2024): 80.0}
    assert targets_of(catalog) == {("A1", 2022): 150.0, ("A3", 2023): 40.0, ("B2", 2024): 80.0}  # input untouched
    pd.testing.assert_frame_equal(revised.indicators, catalog.indicators)


def test_the_wide_form_has_a_column_per_year(small_catalog):
    sheet = [
        ["年度目标表（十四五）"],
        ["指标编码", "指标名称", "2021", "2022年", 2023.0, "备注"],
        ["A1", "指标A1", "", 145, "", "按规划"],
        ["B2", "指标B2", 62, "", "按规划轨迹", ""],
    ]
    revised, changes, problems = read_annual_targets_sheet(ANNUAL_SHEET, grid(sheet), small_catalog)
    assert problems.empty, problems.to_string()
    assert changes_of(changes) == [
        ("A1", "annual_target:2022", None, 145.0, 3, "D"),
        ("B2", "annual_target:2021", None, 62.0, 4, "C"),
    ]
    assert targets_of(revised) == {("A1", 2022): 145.0, ("B2", 2021): 62.0}


def test_a_sheet_that_changes_nothing_gives_no_catalog(small_catalog):
    revised, changes, problems = read_annual_targets_sheet(
        ANNUAL_SHEET, grid([LONG, ["A1", "P14", 2021, 120], ["A1", "P14", 2022, "—"]]), small_catalog
    )
    assert revised is None and changes.empty and problems.empty


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            [LONG, ["Z9", "P14", 2022, 5]],
            [(2, "A", "problem.annual_unknown_indicator", {"code": "Z9", "period": "P14"})],
        ),
        (
            [LONG, ["A1", "P99", 2022, 5]],
            [(2, "A", "problem.annual_unknown_indicator", {"code": "A1", "period": "P99"})],
        ),
        (
            [LONG, ["A1", "P14", "明年", 5]],
            [(2, "C", "problem.annual_bad_year", {"value": "明年", "indicator": "A1"})],
        ),
        (
            [LONG, ["A1", "P14", 2022, "很多"]],
            [
                (
                    2,
                    "D",
                    "problem.annual_not_a_number",
                    {"value": "很多", "indicator": "A1", "year": 2022, "trajectory_word": "按规划轨迹"},
                )
            ],
        ),
        (
            [["指标编码", "2022", "2023"], ["A1", 145, "大约150"]],
            [
                (
                    2,
                    "C",
                    "problem.annual_not_a_number",
                    {"value": "大约150", "indicator": "A1", "year": 2023, "trajectory_word": "按规划轨迹"},
                )
            ],
        ),
        (
            [LONG, ["A1", "P14", 2022, 145], ["A1", "", 2022, 146]],
            [(3, "D", "problem.annual_duplicate", {"indicator": "A1", "year": 2022, "first_row": 2})],
        ),
        (
            # A year of the period but not after the baseline year: check_catalog's problem, at the sheet's cell.
            [LONG, ["A2", "P14", 2020, 5], ["A1", "P14", 2022, 145]],
            [(2, "C", "problem.catalog_annual_target_year", {"code": "A2", "year": 2020})],
        ),
        (
            [["指标编码", "2030年"], ["B2", 95]],
            [(2, "B", "problem.catalog_annual_target_year", {"code": "B2", "year": 2030})],
        ),
        (
            [["指标编码", "年份"], ["A1", 2022]],
            [
                (
                    1,
                    "",
                    "problem.annual_no_header",
                    {"code_header": "指标编码", "year_header": "年份", "value_header": "年度目标值"},
                )
            ],
        ),
        (
            [["随便写点什么"]],
            [
                (
                    None,
                    "",
                    "problem.annual_no_header",
                    {"code_header": "指标编码", "year_header": "年份", "value_header": "年度目标值"},
                )
            ],
        ),
    ],
    ids=[
        "unknown",
        "unknown-period",
        "bad-year",
        "not-a-number",
        "wide-not-a-number",
        "duplicate",
        "baseline-year",
        "after-the-target-year",
        "no-value-column",
        "no-header",
    ],
)
def test_each_problem_of_the_sheet_has_its_code_and_cell(small_catalog, rows, expected):
    revised, _, problems = read_annual_targets_sheet(ANNUAL_SHEET, grid(rows), small_catalog)
    found = [
        (None if pd.isna(p.row) else int(p.row), p.column, p.code, p.params) for p in problems.itertuples(index=False)
    ]
    assert found == expected
    assert set(problems["sheet"]) == {ANNUAL_SHEET} and set(problems["severity"]) == {"error"}
    assert revised is None
    for problem in problems.to_dict("records"):
        assert describe_problem(problem, lang="zh") and describe_problem(problem, lang="en")


def test_a_formula_saved_without_its_value_is_an_error_at_its_cell_not_a_change(small_catalog):
    sheet = [LONG, ["A1", "P14", 2022, UNCALCULATED], ["A1", "P14", 2023, 170]]
    revised, changes, problems = read_annual_targets_sheet(ANNUAL_SHEET, grid(sheet), small_catalog)
    assert [(p.row, p.column, p.code) for p in problems.itertuples(index=False)] == [(2, "D", "problem.uncalculated")]
    assert revised is None and changes["field"].tolist() == ["annual_target:2023"]


def test_a_wrong_year_is_said_in_both_languages(small_catalog):
    _, _, problems = read_annual_targets_sheet(ANNUAL_SHEET, grid([LONG, ["A1", "P14", 2022, "很多"]]), small_catalog)
    problem = problems.iloc[0].to_dict()
    assert (
        describe_problem(problem, lang="zh")
        == "指标A1的2022年度目标「很多」不是数字；要恢复按规划轨迹，请填写「按规划轨迹」。"
    )
    assert describe_problem(problem, lang="en") == (
        "The 2022 annual target of indicator A1, “很多”, is not a number; to follow the plan trajectory again, "
        "write “按规划轨迹”."
    )


# --- compare_catalogs and the wording of a change ---------------------------------------------


def test_compare_catalogs_reports_annual_targets_set_changed_and_removed(small_catalog):
    old = with_targets(small_catalog, [("A1", 2022, 150.0), ("A3", 2023, 40.0)])
    new = with_targets(small_catalog, [("A1", 2022, 155.0), ("B2", 2021, 62.0)])
    changes = compare_catalogs(old, new)
    assert [
        (r.code, r.period, r.field, None if pd.isna(r.old) else r.old, None if pd.isna(r.new) else r.new)
        for r in changes.itertuples(index=False)
    ] == [
        ("A1", "P14", "annual_target:2022", 150.0, 155.0),
        ("A3", "P14", "annual_target:2023", 40.0, None),
        ("B2", "P14", "annual_target:2021", None, 62.0),
    ]
    assert compare_catalogs(old, old).empty


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "zh",
            [
                ["A1", "指标A1", "2022年度目标", "150个", "155个"],
                ["A3", "指标A3", "2023年度目标", "40工作日", "按规划轨迹"],
                ["B2", "指标B2", "2021年度目标", "按规划轨迹", "62%"],
            ],
        ),
        (
            "en",
            [
                ["A1", "Indicator A1", "2022 annual target", "150", "155"],
                ["A3", "Indicator A3", "2023 annual target", "40 working days", "on the plan trajectory"],
                ["B2", "Indicator B2", "2021 annual target", "on the plan trajectory", "62%"],
            ],
        ),
    ],
)
def test_an_annual_target_change_reads_as_year_old_and_new_with_units(small_catalog, lang, expected):
    old = with_targets(small_catalog, [("A1", 2022, 150.0), ("A3", 2023, 40.0)])
    new = with_targets(small_catalog, [("A1", 2022, 155.0), ("B2", 2021, 62.0)])
    shown = catalog_changes_table(compare_catalogs(old, new), small_catalog, lang)
    assert shown.to_numpy().tolist() == expected


# --- Upload, commit, rollback, who may -------------------------------------------------------


def upload(rows: list[list], data: list[list] | None = None) -> bytes:
    sheets = {ANNUAL_SHEET: rows}
    if data:
        sheets["填报"] = data
    return make_workbook(sheets)


def test_an_admins_sheet_is_a_catalog_version_and_rolling_it_back_restores_the_previous_targets(engine):
    first = upload([LONG, ["A1", "P14", 2022, 150], ["A3", "P14", 2023, 40]])
    result = prepare_import(engine, first, "年度目标1.xlsx", today=TODAY, catalog_revision=True)
    assert result.ok, result.problems.to_string()
    commit_import(engine, result, "admin", role="admin")
    assert targets_of(store.load_catalog(engine)) == {("A1", 2022): 150.0, ("A3", 2023): 40.0}

    second = upload([["指标编码", "2022", "2023"], ["A1", 155, ""], ["A3", "", "按规划轨迹"]])
    result = prepare_import(engine, second, "年度目标2.xlsx", today=TODAY, catalog_revision=True)
    assert result.ok and result.summary()["catalog_changes"] == 2
    version = commit_import(engine, result, "admin", role="admin")[store.CATALOG]
    assert targets_of(store.load_catalog(engine)) == {("A1", 2022): 155.0}

    # The history shows what the upload changed, in words.
    changes = describe_upload(engine, version)
    shown = show_upload(store.read_uploads(engine), version, changes, store.load_catalog(engine), "zh").changes
    assert shown[["字段", "原值", "新值"]].to_numpy().tolist() == [
        ["2022年度目标", "150个", "155个"],
        ["2023年度目标", "40工作日", "按规划轨迹"],
    ]

    rollback(engine, version, "admin", role="admin")
    assert targets_of(store.load_catalog(engine)) == {("A1", 2022): 150.0, ("A3", 2023): 40.0}
    assert store.load_catalog(engine).annual_targets["year"].dtype == "int64"


def test_an_annual_targets_sheet_is_never_read_as_values(engine):
    # A wide sheet has year columns, as a data sheet does: its targets must not become actuals.
    content = upload(
        [["指标编码", "2022", "2023"], ["A1", 155, 170]], data=[["指标编码", "年份", "数值"], ["A1", 2021, 110]]
    )
    result = prepare_import(engine, content, "混合.xlsx", today=TODAY, catalog_revision=True)
    assert result.ok, result.problems.to_string()
    assert result.observations[["indicator", "year", "value"]].to_numpy().tolist() == [["A1", 2021, 110.0]]
    assert result.summary()["catalog_changes"] == 2


def test_without_a_catalog_revision_the_sheet_is_ignored_with_a_warning(engine):
    content = upload([LONG, ["A1", "P14", 2022, 150]], data=[["指标编码", "年份", "数值"], ["A1", 2021, 110]])
    result = prepare_import(engine, content, "编辑.xlsx", today=TODAY)
    assert result.ok and result.catalog is None and result.catalog_changes.empty
    (warning,) = result.warnings[result.warnings["code"] == "problem.annual_targets_ignored"].to_dict("records")
    assert (warning["sheet"], warning["params"]) == (ANNUAL_SHEET, {"count": 1})
    assert describe_problem(warning, lang="zh") == (
        "此表有1个年度目标与现行不同，已忽略；修改年度目标须由管理员以「修改指标目录」方式上传。"
    )
    commit_import(engine, result, "staff", role=STAFF)
    assert store.load_catalog(engine).annual_targets.empty


def test_an_editor_may_not_commit_annual_targets(engine):
    result = prepare_import(
        engine, upload([LONG, ["A1", "P14", 2022, 150]]), "a.xlsx", today=TODAY, catalog_revision=True
    )
    assert result.catalog is not None
    with pytest.raises(PermissionDenied):
        commit_import(engine, result, "staff", role=STAFF)
    assert store.load_catalog(engine).annual_targets.empty


def test_annual_targets_follow_a_new_five_year_target_in_the_same_file(engine):
    # The 指标目录 sheet raises A1's target to 300 (trajectory 2022: 180); 180 in 年度目标 is then no change.
    content = make_workbook(
        {
            "指标目录": [["指标编码", "目标值"], ["A1", 300]],
            ANNUAL_SHEET: [LONG, ["A1", "P14", 2022, 180], ["A1", "P14", 2023, 230]],
        }
    )
    result = prepare_import(engine, content, "目标.xlsx", today=TODAY, catalog_revision=True)
    assert result.ok, result.problems.to_string()
    assert result.catalog_changes["field"].tolist() == ["target_value", "annual_target:2023"]
    assert targets_of(result.catalog) == {("A1", 2023): 230.0}
    assert result.catalog.targets().set_index("code").loc["A1", "target_value"] == 300.0


# --- The admin's template --------------------------------------------------------------------


def test_the_template_lists_each_target_in_effect_with_its_source_and_reads_back_as_no_change(engine):
    commit_import(
        engine,
        prepare_import(engine, upload([LONG, ["A1", "P14", 2022, 150]]), "a.xlsx", today=TODAY, catalog_revision=True),
        "admin",
    )
    catalog = store.load_catalog(engine)
    content = write_annual_targets_template(catalog)
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == [GUIDE_SHEET, ANNUAL_SHEET]
    rows = list(book[ANNUAL_SHEET].iter_rows(values_only=True))
    assert rows[0] == ("指标编码", "指标名称", "规划期", "年份", "年度目标值", "单位", "来源")
    assert rows[1:3] == [
        ("A1", "指标A1", "P14", 2021, 120, "个", "规划轨迹"),
        ("A1", "指标A1", "P14", 2022, 150, "个", "年度目标"),
    ]
    assert len(rows) == 1 + 5 * 5
    # The compound trajectory's values are written whole, not rounded: read back, each is the one in effect.
    sheets = read_sheets(content, "年度目标.xlsx")
    revised, changes, problems = read_annual_targets_sheet(ANNUAL_SHEET, sheets[ANNUAL_SHEET], catalog)
    assert revised is None and changes.empty and problems.empty
    result = prepare_import(engine, content, "年度目标.xlsx", today=TODAY, catalog_revision=True)
    assert result.catalog is None and result.catalog_changes.empty


def test_the_template_edited_and_uploaded_sets_the_edited_year(engine):
    book = load_workbook(io.BytesIO(write_annual_targets_template(store.load_catalog(engine))))
    sheet = book[ANNUAL_SHEET]
    sheet["E3"] = 145  # A1 2022
    out = io.BytesIO()
    book.save(out)
    result = prepare_import(engine, out.getvalue(), "年度目标.xlsx", today=TODAY, catalog_revision=True)
    assert changes_of(result.catalog_changes) == [("A1", "annual_target:2022", None, 145.0, 3, "E")]


@pytest.mark.usefixtures("initialised")
def test_the_command_line_writes_the_template(cli, tmp_path):
    out = tmp_path / "年度目标.xlsx"
    assert "年度目标.xlsx" in cli("template", "--annual-targets", str(out)).out
    rows = list(load_workbook(out)[ANNUAL_SHEET].iter_rows(values_only=True))
    catalog_years = {r[3] for r in rows[1:]}
    assert catalog_years == {2026, 2027, 2028, 2029, 2030}  # the current period, 十五五
    assert {r[6] for r in rows[1:]} == {"规划轨迹"}
    assert all(isinstance(r[4], int | float) and not np.isnan(r[4]) for r in rows[1:])
