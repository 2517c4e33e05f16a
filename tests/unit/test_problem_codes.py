"""Problems are data: each grid gives the codes and params expected, and every code is worded in both languages.

The grids are built in code and handed to the intake directly (no workbook, no reading process).
"""

from __future__ import annotations

import ast
import re
import string
from datetime import date

import pandas as pd
import pytest
from factories import REPORTING_INDICATORS, make_catalog, make_observations
from sources import nodes

from hqd.catalog import FILES, Catalog, check_catalog
from hqd.i18n import MESSAGES, describe_problem, problem_line
from hqd.intake import check_coverage, check_jumps, read_observations_from_sheets
from hqd.problems import CONTEXT_PARAMS, WARNING, concat_problems
from hqd.revisions import read_annual_targets_sheet, read_catalog_sheet
from hqd.settings import ROOT

TODAY = date(2026, 11, 25)
LONG = ["指标编码", "年份", "数值"]
KEY_HEADERS = {"code_header": "指标编码", "name_header": "指标名称"}
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def grid(rows: list[list]) -> pd.DataFrame:
    """Return a sheet's cells as the reader gives them: objects, '' where empty."""
    width = max(len(r) for r in rows)
    return pd.DataFrame([[*r, *[""] * (width - len(r))] for r in rows], dtype="object")


def problems_of(catalog: Catalog, sheets: dict[str, list[list]]) -> pd.DataFrame:
    _, problems = read_observations_from_sheets(
        {name: grid(rows) for name, rows in sheets.items()}, catalog.targets(), TODAY
    )
    return problems


@pytest.mark.parametrize(
    ("sheets", "expected"),
    [
        (
            {"填报": [LONG, ["A1", 2021, "abc"]]},
            [("填报", 2, "C", "problem.not_a_number", {"value": "abc", "indicator": "A1", "year": 2021})],
        ),
        ({"填报": [LONG, ["XX9", 2021, 5]]}, [("填报", 2, "A", "problem.unknown_indicator", {"text": "XX9"})]),
        (
            {"填报": [["指标名称", "年份", "数值"], ["指票A1", 2021, 5]]},
            [
                (
                    "填报",
                    2,
                    "A",
                    "problem.unknown_indicator_hint",
                    {"text": "指票A1", "hint": "A1", "hint_name": "指标A1", "hint_name_en": "Indicator A1"},
                )
            ],
        ),
        (
            {"填报": [LONG, ["A1", "二〇二一", 5]]},
            [("填报", 2, "B", "problem.bad_year", {"value": "二〇二一", "indicator": "A1"})],
        ),
        (
            {"填报": [LONG, ["A1", 2027, 5]]},
            [("填报", 2, "C", "problem.future_year", {"indicator": "A1", "year": 2027})],
        ),
        (
            {"填报": [LONG, ["A1", 2019, 5]]},
            [
                (
                    "填报",
                    2,
                    "C",
                    "problem.outside_period",
                    {"indicator": "A1", "year": 2019, "first": 2020, "last": 2025},
                )
            ],
        ),
        (
            {"填报": [LONG, ["B2", 2021, 120]]},
            [("填报", 2, "C", "problem.percent_range", {"indicator": "B2", "year": 2021, "value": 120.0})],
        ),
        (
            {"填报": [LONG, ["A1", 2021, -5]]},
            [("填报", 2, "C", "problem.negative", {"indicator": "A1", "year": 2021, "value": -5.0})],
        ),
        (
            {"填报": [LONG, ["B1", 2021, 1.5]]},
            [("填报", 2, "C", "problem.milestone_integer", {"indicator": "B1", "year": 2021, "value": 1.5})],
        ),
        (
            {"填报": [LONG, ["A1", 2021, "5%"]]},
            [
                (
                    "填报",
                    2,
                    "C",
                    "problem.percent_for_unit",
                    {"unit": "个", "value": "5%", "indicator": "A1", "year": 2021},
                )
            ],
        ),
        (
            {"填报": [LONG, ["B2", 2021, 0.6]]},
            [
                (
                    "填报",
                    2,
                    "C",
                    "problem.percent_fraction",
                    {"indicator": "B2", "year": 2021, "value": 0.6, "percent": 60.0},
                )
            ],
        ),
        (
            {"填报": [LONG, ["A1", 2021, 5], ["A1", 2021, 6]]},
            [
                (
                    "填报",
                    r,
                    "C",
                    "problem.duplicate_value",
                    {
                        "indicator": "A1",
                        "year": 2021,
                        "value": v,
                        "first_sheet": "填报",
                        "first_row": 2,
                        "first_column": "C",
                    },
                )
                for r, v in ((2, 5.0), (3, 6.0))
            ],
        ),
        (
            {"填报": [["指标编码", "年份"], ["A1", 2021]]},
            [("填报", 1, "", "problem.no_value_column", {"year_header": "年份", "value_header": "数值"})],
        ),
        (
            {"填报": [["指标编码", "备注"], ["A1", "x"]]},
            [("填报", 1, "", "problem.no_year_columns", {"year_header": "年份", "value_header": "数值"})],
        ),
        (
            {"填报": [["指标编码", "2021"], ["A1", 110], ["本表数据截至年底"]]},
            [("填报", 3, "A", "problem.stray_row", {"text": "本表数据截至年底"})],
        ),
        (
            {"说明": [["随便写点什么"]], "空白": [[""]], "填报": [LONG, ["A1", 2021, 5]]},
            [
                (
                    "说明",
                    None,
                    "",
                    "problem.sheet_without_header",
                    {"code_header": "指标编码", "name_header": "指标名称"},
                ),
                ("空白", None, "", "problem.empty_sheet", {}),
            ],
        ),
        ({"填报": [LONG, ["A1", "", ""]]}, [("", None, "", "problem.no_values", {})]),
    ],
    ids=[
        "not-a-number",
        "unknown",
        "unknown-with-hint",
        "bad-year",
        "future",
        "outside-period",
        "percent-range",
        "negative",
        "milestone",
        "percent-for-count",
        "percent-as-fraction",
        "duplicate",
        "no-value-column",
        "no-year-columns",
        "stray-row",
        "ignored-sheets",
        "no-values",
    ],
)
def test_a_grid_gives_its_problems_as_codes_and_params(small_catalog, sheets, expected):
    problems = problems_of(small_catalog, sheets)
    found = [
        (p.sheet, None if pd.isna(p.row) else int(p.row), p.column, p.code, p.params)
        for p in problems.itertuples(index=False)
    ]
    assert found == expected


def test_jumps_and_coverage_are_warnings_with_codes_and_params(small_catalog):
    incoming = make_observations([("A1", 2022, 400.0)]).assign(sheet="填报", row=2, column="C")
    current = make_observations([("A1", 2021, 100.0)])
    (jump,) = check_jumps(incoming, current).itertuples(index=False)
    assert (jump.severity, jump.code, jump.params) == (
        WARNING,
        "problem.jump",
        {"indicator": "A1", "year": 2022, "value": 400.0, "previous": 100.0, "ratio": 4.0},
    )
    (coverage,) = check_coverage(incoming, small_catalog.targets()).itertuples(index=False)
    assert (coverage.code, coverage.params) == (
        "problem.coverage",
        {"department": "测试局", "codes": ["A2", "A3", "B1", "B2"]},
    )
    worded = describe_problem(coverage._asdict(), lang="en")
    assert worded == "The file has no value for these indicators of 测试局: A2, A3, B1, B2."


def every_kind_of_problem(catalog: Catalog) -> pd.DataFrame:
    """Return problems of every kind the intake, the catalog sheet and the catalog checks make."""
    sheets = {
        "填报": [
            LONG,
            ["A1", 2021, "abc"],
            ["XX9", 2021, 5],
            ["指标A", 2021, 5],
            ["A1", "二〇二一", 5],
            ["A1", 2027, 5],
            ["A1", 2019, 5],
            ["B2", 2021, 120],
            ["A3", 2021, "5%"],
            ["A1", 2022, -5],
            ["B1", 2021, 1.5],
            ["B2", 2022, 0.6],
            ["A2", 2021, 5],
            ["A2", 2021, 6],
            ["注：以上为快报数"],
            ["无关的一行"],
        ],
        "长表": [["指标编码", "年份"], ["A1", 2021]],
        "宽表": [["指标编码", "备注"], ["A1", ""]],
        "缺值": [["指标编码", "数值"], ["A1", 1]],
        "说明": [["随便写点什么"]],
        "空白": [[""]],
    }
    intake = problems_of(catalog, sheets)
    nothing = problems_of(catalog, {"填报": [LONG, ["A1", "", ""]]})
    # Figures within a year against each indicator's reporting rhythm (a catalog with one of each).
    periods = problems_of(
        make_catalog(REPORTING_INDICATORS),
        {
            "月报": [
                ["指标编码", "年份", "报告期", "数值"],
                ["Q1", 2025, "10月", 5],
                ["Y1", 2025, "前三季度", 5],
                ["M1", 2025, "10月", 5],
                ["Q2", 2025, "三季度", 5],
                ["M2", 2025, "3-5月", 5],
                ["M2", 2025, "十月", 5],
                ["M2", "", "9月", 5],
                ["M2", 2026, "12月", 5],
            ],
            "宽表": [["指标编码", "1—10月累计"], ["M1", 5]],
        },
    )
    values = make_observations([("A1", 2021, 100.0), ("A1", 2022, 400.0)]).assign(sheet="填报", row=2, column="C")
    targets = catalog.targets().assign(department=lambda t: t["department"].where(t["code"] != "B2", ""))
    jumps, coverage = check_jumps(values, values.iloc[:0]), check_coverage(values, targets)
    sheet = [
        ["指标编码", "目标值", "权重"],
        ["A1", "很多", 1],
        ["Z9", 10, 1],
        ["A2", 300, 0],
    ]
    _, _, revision = read_catalog_sheet("指标目录", grid(sheet), catalog)
    _, _, no_header = read_catalog_sheet("指标目录", grid([["随便"]]), catalog)
    annual_sheet = [
        ["指标编码", "规划期", "年份", "年度目标值"],
        ["Z9", "P14", 2022, 5],
        ["A1", "P14", "明年", 5],
        ["A1", "P14", 2022, "很多"],
        ["A2", "P14", 2022, 150],
        ["A2", "", 2022, 151],
    ]
    _, _, annual = read_annual_targets_sheet("年度目标", grid(annual_sheet), catalog)
    _, _, annual_no_header = read_annual_targets_sheet("年度目标", grid([["随便"]]), catalog)
    broken = Catalog(
        periods=catalog.periods.assign(target_year=2010),
        programmes=pd.concat([catalog.programmes, catalog.programmes.tail(1).assign(code="C")]),
        tasks=catalog.tasks.assign(programme=["A", "A", "Q"]),
        indicators=catalog.indicators.assign(
            code=["A1", "A1", "A3", "", "B2"],
            direction=["up", "sideways", "down", "milestone", "up"],
            trajectory=["linear", "cubic", "linear", "linear", "linear"],
            target_value=[50.0, 200.0, 70.0, 3.5, 90.0],
            weight=[1.0, -1.0, 1.0, 1.0, 1.0],
            period=["P14", "P14", "P14", "P14", "P99"],
            task=["A-1", "A-1", "A-9", "B-1", "A-2"],
            frequency=["month", "weekly", "year", "quarter", "year"],
            value_kind=["cumulative", "stock", "flow", "stock", "rate"],
        ),
        annual_targets=pd.DataFrame(
            {"code": ["A1", "Z9"], "period": ["P14", "P14"], "year": [2040, 2021], "target_value": [1.0, 2.0]}
        ),
    )
    catalog_checks = check_catalog(broken, FILES)
    return concat_problems(
        intake, nothing, periods, jumps, coverage, revision, no_header, annual, annual_no_header, catalog_checks
    )


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def test_every_problem_is_worded_in_both_languages_with_exactly_its_params(small_catalog):
    problems = every_kind_of_problem(small_catalog)
    codes = set(problems["code"])
    # A sample of what must be there, so that a broken set-up cannot pass by finding little.
    assert len(codes) >= 42, sorted(codes)
    assert {c for c in codes if "period" in c} >= {
        "problem.bad_period",
        "problem.period_not_quarterly",
        "problem.period_not_yearly",
        "problem.period_single_month",
        "problem.period_single_quarter",
        "problem.period_not_from_january",
        "problem.period_without_year",
    }
    for _, problem in problems.iterrows():
        zh, en = MESSAGES[problem["code"]]
        # Every param in the sentence; besides them only the indicator and year it concerns (shown as columns).
        used = placeholders(zh) | placeholders(en)
        assert used <= set(problem["params"]) and set(problem["params"]) - used <= CONTEXT_PARAMS, problem
        for lang in ("zh", "en"):
            assert describe_problem(problem, lang=lang) in problem_line(problem, lang)
        # English but for the values that are data: sheet names, cells, departments, header words.
        shown = describe_problem(problem, lang="en")
        for value in problem["params"].values():
            for part in value if isinstance(value, list) else [value]:
                shown = shown.replace(str(part), "")
        assert not CJK.search(shown), (problem["code"], shown)


PROBLEM_CALLS = {"problem", "WorkbookError", "Refusal", "StoreError"}


def coded_calls():
    """Yield (file, code, keyword names, whether other values are passed by **) of each call giving a code."""
    for path in sorted(ROOT.joinpath("hqd").rglob("*.py")):
        for node in nodes(path):
            if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name in PROBLEM_CALLS and isinstance(node.args[0].value, str):
                names = {k.arg for k in node.keywords if k.arg}
                if name == "problem":
                    names -= {"sheet", "row", "column"}  # where the problem is, not values of its sentence
                spread = any(k.arg is None for k in node.keywords)
                yield path.name, name, node.args[0].value, names, spread


CALLS = list(coded_calls())


def test_the_search_for_coded_calls_finds_them():
    assert {code for _, _, code, _, _ in CALLS} >= {"problem.not_a_number", "read.extent", "store.no_upload"}


@pytest.mark.parametrize(("source", "call", "code", "names", "spread"), CALLS, ids=[f"{c[0]}:{c[2]}" for c in CALLS])
def test_every_code_given_in_the_core_has_a_sentence_for_its_values(source, call, code, names, spread):
    zh, en = MESSAGES[code]
    if call == "problem":
        # A problem's params are exactly what its sentences use, in one language or the other.
        assert names <= placeholders(zh) | placeholders(en), code
    if not spread:
        # Every value a sentence needs is given (no KeyError in either language).
        assert placeholders(zh) <= names and placeholders(en) <= names, code


# Where the words a person reads are made; everywhere else in hqd/ a message is a code and its values.
WORDED = {"i18n.py", "labels.py"}
# Calls whose text reaches a person: a raised error, a printed line, a problem.
SPOKEN = {"print", "problem", "make_problems"}


def spoken_prose(path) -> list[str]:
    """Return the Chinese text in what a module raises, prints or records as a problem."""
    found = []
    for node in nodes(path):
        if isinstance(node, ast.Raise) and node.exc is not None:
            said = node.exc
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in SPOKEN:
            said = node
        else:
            continue
        found += [
            n.value
            for n in ast.walk(said)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and CJK.search(n.value)
        ]
    return found


CORE = sorted(
    p for p in ROOT.joinpath("hqd").rglob("*.py") if p.name not in WORDED and "ui" not in p.relative_to(ROOT).parts
)


def test_the_search_for_prose_finds_it(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('raise ValueError(f"文件共 {n} 行")\nprint("已导入。")\nproblem("x", value="数据")\n')
    assert spoken_prose(sample) == ["文件共 ", " 行", "已导入。", "数据"]


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_core_raises_prints_and_records_no_prose(path):
    # Header words a reader must type (KEY_HEADERS, CATALOG_HEADERS) are data: named, not written inline.
    assert spoken_prose(path) == []
