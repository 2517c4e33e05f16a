"""Test data built in code: catalogs, observations, workbooks."""

from __future__ import annotations

import pandas as pd

from hqd.catalog import Catalog, build_catalog

# Two programmes, three tasks, five indicators of every direction and shape.
SMALL_INDICATORS = [
    {"code": "A1", "programme": "A", "task": "A-1"},
    {"code": "A2", "programme": "A", "task": "A-1", "trajectory": "compound", "weight": 2},
    {
        "code": "A3",
        "programme": "A",
        "task": "A-2",
        "direction": "down",
        "base_value": 60,
        "target_value": 30,
        "unit": "工作日",
    },
    {
        "code": "B1",
        "programme": "B",
        "task": "B-1",
        "direction": "milestone",
        "base_value": 0,
        "target_value": 4,
        "unit": "阶段",
    },
    {"code": "B2", "programme": "B", "task": "B-1", "unit": "%", "base_value": 50, "target_value": 90},
]


def make_catalog(indicators: list[dict], tasks_weights: dict | None = None) -> Catalog:
    """Return a catalog of one period P14 (2020 -> 2025) holding the given indicators.

    Each indicator dict needs code, programme, task; the rest defaults to an `up`, linear
    indicator from 100 to 200 with weight 1.
    """
    defaults = {
        "period": "P14",
        "name_zh": "",
        "name_en": "",
        "unit": "个",
        "direction": "up",
        "trajectory": "linear",
        "base_year": 2020,
        "base_value": 100,
        "target_year": 2025,
        "target_value": 200,
        "weight": 1,
        "department": "测试局",
    }
    rows = [{**defaults, "name_zh": f"指标{d['code']}", "name_en": f"Indicator {d['code']}", **d} for d in indicators]
    ind = pd.DataFrame(rows).astype("str")
    tasks = ind[["task", "programme"]].drop_duplicates().rename(columns={"task": "code"})
    tasks = tasks.assign(
        name_zh="任务" + tasks["code"],
        name_en="Task " + tasks["code"],
        description_zh="",
        weight=[str((tasks_weights or {}).get(c, 1)) for c in tasks["code"]],
    )
    programmes = tasks[["programme"]].drop_duplicates().rename(columns={"programme": "code"})
    programmes = programmes.assign(
        name_zh="工程" + programmes["code"],
        name_en="Programme " + programmes["code"],
        short_zh="",
        goal_zh="",
        description_zh="",
        weight="1",
    )
    periods = pd.DataFrame(
        [{"code": "P14", "name_zh": "十四五", "name_en": "14th FYP", "base_year": "2020", "target_year": "2025"}]
    )
    return build_catalog({"periods": periods, "programmes": programmes, "tasks": tasks, "indicators": ind})


def make_observations(rows: list[tuple]) -> pd.DataFrame:
    """Return observations from (indicator, year, value[, note]) tuples."""
    frame = pd.DataFrame(
        [r if len(r) == 4 else (*r, None) for r in rows], columns=["indicator", "year", "value", "note"]
    )
    return frame.astype({"indicator": "str", "year": "int64", "value": "float64"})


def make_workbook(sheets: dict[str, list[list]]) -> bytes:
    """Return xlsx bytes with the given sheets, each a list of rows from A1."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
