"""The office's language: full-width punctuation in Chinese text, no space between a number and its measure word."""

from __future__ import annotations

import re

import pytest

from hqd.catalog import read_catalog, read_department_names
from hqd.formatting import format_value
from hqd.i18n import MESSAGES, department_name
from hqd.labels import AUDIT_ACTIONS, DIRECTIONS, PROJECTIONS, ROLE_NAMES, STATUSES

# What Chinese text may hold half-width: placeholders, code spans, URLs and the commands a reader types.
VERBATIM = re.compile(r"\{[^{}]*\}|`[^`]*`|https?://\S+|python -m hqd[ A-Za-z0-9_\-./]*")
HALF_WIDTH = re.compile(r"[,;:()!?]")
# A space between a number (or a placeholder standing for one) and the word that counts or dates it.
MEASURE_SPACE = re.compile(r"(\d|\})\s+[年项个月日号家人次条处行分]|第\s+(\d|\{)")

CHINESE = [(f"MESSAGES[{key}]", zh) for key, (zh, _) in MESSAGES.items()] + [
    (f"{name}[{code}]", text)
    for name, frame in {
        "STATUSES": STATUSES,
        "PROJECTIONS": PROJECTIONS,
        "DIRECTIONS": DIRECTIONS,
        "AUDIT_ACTIONS": AUDIT_ACTIONS,
        "ROLE_NAMES": ROLE_NAMES,
    }.items()
    for code, text in frame["zh"].items()
]


def find_faults(text: str) -> list[str]:
    """Return what breaks the office's typesetting in a Chinese text: half-width marks, spaced measure words."""
    prose = VERBATIM.sub("", text)
    return HALF_WIDTH.findall(prose) + [m.group() for m in MEASURE_SPACE.finditer(text)]


@pytest.mark.parametrize(
    ("text", "faults"),
    [
        ("2024年，总体得分65.7分（76.8分）。", []),
        ("2024 年总体得分", ["4 年"]),
        ("共 {count} 项", ["} 项"]),
        ("第 {id} 号上传", ["第 {", "} 号"]),
        ("应达 70.0,需加快", [","]),
        ("数据来源(每个数值)", ["(", ")"]),
        ("请运行 `python -m hqd init --force`：然后重试", []),
        ("请先运行 python -m hqd init。", []),
        ("超过上限{max_cells:,}个单元格", []),
        ("见 https://example.org/a?b=1 。", []),
        ("提示:{text}", [":"]),
    ],
)
def test_find_faults_reads_text_as_the_office_would(text, faults):
    assert find_faults(text) == faults


@pytest.mark.parametrize(("where", "text"), CHINESE, ids=[where for where, _ in CHINESE])
def test_chinese_text_is_typeset_as_the_office_writes(where, text):
    assert find_faults(text) == []


OLD_TERMS = [
    "应达得分",
    "应达完成度",
    "完成度",
    "本年值",
    "距目标",
    "越大越好",
    "越小越好",
    "阶段性",
    "需加快",
    "倒退",
    "如期完成需每年变化",
]


@pytest.mark.parametrize("term", OLD_TERMS)
def test_no_chinese_text_uses_an_old_term(term):
    assert [where for where, text in CHINESE if term in text] == []


@pytest.mark.parametrize(
    ("status", "zh", "en"),
    [
        ("achieved", "已完成", "Achieved"),
        ("on_track", "达到序时进度", "On schedule"),
        ("at_risk", "略低于序时进度", "Slightly behind schedule"),
        ("lagging", "明显滞后", "Well behind schedule"),
        ("regressing", "低于基期", "Below baseline"),
        ("insufficient_data", "数据不足", "Insufficient data"),
        ("no_data", "无数据", "No data"),
    ],
)
def test_statuses_are_named_as_the_glossary_names_them(status, zh, en):
    assert tuple(STATUSES.loc[status, ["zh", "en"]]) == (zh, en)


def test_the_lineage_is_titled_data_lineage_not_data_source():
    zh, en = MESSAGES["lineage.title"]
    assert zh.startswith("数据溯源") and en.startswith("Data lineage")


@pytest.mark.parametrize(
    ("value", "unit", "zh", "en"),
    [
        (50.8, "亿元", "50.8亿元", "CNY 5.08 bn"),
        (1234.5, "亿元", "1,234.5亿元", "CNY 123.45 bn"),
        (0.35, "亿元", "0.35亿元", "CNY 0.035 bn"),
        (15.2, "亿美元", "15.2亿美元", "USD 1.52 bn"),
        (800, "万元/亩", "800万元/亩", "CNY 8 m per mu"),
        (12, "家", "12家", "12 firms"),
        (2106.5, "人", "2,106.5人", "2,106.5 people"),
        (68.2, "%", "68.2%", "68.2%"),
        (3, "阶段", "3阶段", "stage 3"),
        (550, "个", "550个", "550"),
        (None, "亿元", "—", "—"),
    ],
)
def test_values_are_shown_in_the_units_each_reader_counts_in(value, unit, zh, en):
    assert (format_value(value, unit, "zh"), format_value(value, unit, "en")) == (zh, en)


def test_every_department_of_the_catalog_has_an_english_name():
    # The shipped catalog's departments, each with one English name (departments.csv is their one home).
    departments = set(read_catalog().indicators["department"]) - {""}
    names = read_department_names()
    assert departments <= set(names) and all(names[d] and not re.search(r"[\u4e00-\u9fff]", names[d]) for d in names)


@pytest.mark.parametrize(
    ("department", "lang", "shown"),
    [("财政局", "en", "Finance Bureau"), ("财政局", "zh", "财政局"), ("某个新设局", "en", "某个新设局")],
)
def test_department_name_in_the_language_falls_back_to_the_catalog_name(department, lang, shown):
    assert department_name(department, lang) == shown
