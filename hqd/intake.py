"""Turn the cell grids of an uploaded workbook into observations, and list every problem.

Accepts what people really send: the template form (one row per indicator, one column per
year) and the long form (指标编码/指标名称, 年份, 数值[, 备注]); title rows above the header,
headers over two rows or in merged cells, columns in any order, indicators by code or by name,
year headers such as 2023年实际, units in headers, numbers typed as text, notes under the table.
Every problem carries sheet, row and column as Excel shows them.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import weakref
from datetime import date, datetime
from typing import NamedTuple

import numpy as np
import pandas as pd

from hqd.catalog import ALIAS_SEPARATOR, among
from hqd.inyear import DUE_MONTHS
from hqd.labels import period_kind
from hqd.memo import Memo
from hqd.problems import ERROR, WARNING, concat_problems, excel_column, make_problems, problem
from hqd.quality import is_jump
from hqd.text import fold_text
from hqd.workbook import UNCALCULATED, PercentNumber

CODE_HEADERS = {"指标编码", "编码", "指标代码", "代码", "指标序号", "code"}
NAME_HEADERS = {"指标名称", "指标", "名称", "指标项", "name", "indicator"}
YEAR_HEADERS = {"年份", "年度", "年", "year"}
VALUE_HEADERS = {"数值", "值", "实际值", "完成值", "完成情况", "实际完成", "value"}
NOTE_HEADERS = {"备注", "说明", "note", "notes"}
# The column of a long table that says which part of the year a figure is for (with or without a year column).
PERIOD_HEADERS = {"报告期", "统计期", "期间", "时期", "月份", "报告期间", "统计期间", "period", "month"}
# The kinds of reporting period a header or a cell names (hqd.formatting.format_period words each):
# year-to-date from January (1—10月累计), one month (10月), one quarter (三季度), the first quarters
# (上半年, 前三季度), the whole year; and "range", months not starting in January (3—5月), which no
# indicator is reported as and is only read to be refused at its cell.
PERIOD_KINDS = ("year", "ytd", "month", "quarter", "first_quarters", "range")
_DASH = r"[-—–―‐~〜～至到]+"
_YEAR = r"(?P<year>\d{4})(?:年度?|[./\-])?"
# What offices add after the period: "实际", "累计", "完成情况"; "末" and "底" after a month (a level at its end).
# A forecast (预计) is not an actual: a column so headed is not read as figures.
_TAIL = r"(?:末|底)?(?:累计|合计)?(?:实际值?|实际完成|完成值?|完成情况|数据|数值|值|快报)?"
_CHINESE_NUMBERS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_QUARTER = r"(?:第?(?P<quarter>[一二三四1-4])季度?|q(?P<q>[1-4]))"
_PERIOD_FORMS = [
    ("year", re.compile(rf"^(?P<year>\d{{4}})(?:年度?)?(?:全年)?{_TAIL}$")),
    ("year", re.compile(rf"^(?:{_YEAR})?全年{_TAIL}$")),
    ("span", re.compile(rf"^(?:{_YEAR})?(?P<start>\d{{1,2}})月?(?:份)?{_DASH}(?P<end>\d{{1,2}})月(?:份)?{_TAIL}$")),
    ("month", re.compile(rf"^(?:{_YEAR})?(?P<month>\d{{1,2}})月(?:份)?{_TAIL}$")),
    ("month", re.compile(rf"^(?P<year>\d{{4}})[./\-](?P<month>\d{{1,2}}){_TAIL}$")),
    ("quarter", re.compile(rf"^(?:{_YEAR})?{_QUARTER}{_TAIL}$")),
    ("first_quarters", re.compile(rf"^(?:{_YEAR})?前(?P<first>[一二两三1-3])(?:个)?季度?{_TAIL}$")),
    ("half", re.compile(rf"^(?:{_YEAR})?(?P<half>[上下])半年{_TAIL}$")),
]
BLANKS = {"", "—", "——", "-", "--", "/", "无", "n/a", "na", "…", "null", "none", "nan", "暂无", "空"}
# A row starting like this, with no figures, is a note under the table, not an indicator.
NOTE_PREFIXES = ("注", "说明", "备注", "填表", "制表", "审核", "联系", "数据来源", "来源", "单位负责人", "*", "※")
# The headers a problem names, as the reader must type them (data, in any language of the message).
KEY_HEADERS = {"code_header": "指标编码", "name_header": "指标名称"}
LONG_HEADERS = {"year_header": "年份", "value_header": "数值"}
HEADER_SEARCH_ROWS = 30
# The problem of a file without a single value; a file that only revises the catalog needs none.
NO_VALUES = "problem.no_values"
OBSERVATION_COLUMNS = ["indicator", "year", "month", "value", "note", "sheet", "row", "column"]
# What one figure is of: an indicator in a reporting period (the period's last month; 12 for a year).
KEY = ["indicator", "year", "month"]
# Units whose values cannot be negative: counts and amounts.
NON_NEGATIVE_UNITS = {"个", "家", "人", "项", "件", "户", "所", "人次", "亿元", "亿美元", "万元", "万元/亩"}


def normalise_text(values: pd.Series, known: dict | None = None) -> pd.Series:
    """Return each value as folded text; computed once per distinct value, and not at all for one of `known`
    (text already folded: a catalog's codes and names, which most cells of a code or name column are)."""
    codes, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=False)
    known = known or {}
    folded = np.array([known[u] if u in known else _fold(str(u)) for u in uniques], dtype=object)
    return pd.Series(folded[codes] if len(uniques) else [], index=values.index, dtype="object")


def _fold(text: str) -> str:
    """Return fold_text(text); faster for ASCII (most codes): its own NFKC form, split() drops what \\s matches."""
    return "".join(text.split()).lower() if text.isascii() else fold_text(text)


def header_key(cell) -> str:
    """Return a header cell folded for matching, without a unit in brackets (2023.0 -> 2023)."""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    text = fold_text(str(cell))
    return re.sub(r"[(\[【{].*?[)\]】}]$", "", text)


def parse_period(cell, default_year: int | None = None) -> tuple[int | None, int, str] | None:
    """Return (year, last month, kind) of a period as offices write it, or None when it names no period.

    Full- and half-width, with or without 年, spaces and any dash: 2026, 2026年实际, 2026年1—10月累计,
    1-10月, 2026年10月, 2026.10, 2026年三季度, 2026Q3, 2026年前三季度, 上半年, 2026年全年. A date cell is
    its month. `kind` is one of PERIOD_KINDS; a year-to-date span to December is the year. Without a year
    in the text the year is `default_year`, which may be None: the period is then known but its year not.
    """
    if isinstance(cell, datetime | date):
        return cell.year, cell.month, "month"
    if isinstance(cell, bool) or cell is None:
        return None
    if isinstance(cell, int | float) and not isinstance(cell, PercentNumber):
        if pd.isna(cell) or not float(cell).is_integer():
            return None
        number = int(cell)
        if 1000 <= number <= 9999:
            return number, 12, "year"
        return (default_year, number, "month") if 1 <= number <= 12 else None
    text = header_key(cell)
    for form, pattern in _PERIOD_FORMS:
        found = pattern.match(text)
        if found:
            return _period_of(form, found.groupdict(), default_year)
    return None


def _period_of(form: str, parts: dict, default_year: int | None) -> tuple[int | None, int, str] | None:
    """Return (year, month, kind) of a matched period form, or None when its numbers name no months."""
    year = int(parts["year"]) if parts.get("year") else default_year
    if form == "year":
        return year, 12, "year"
    if form == "month":
        month = int(parts["month"])
        return (year, month, "month") if 1 <= month <= 12 else None
    if form == "span":
        start, end = int(parts["start"]), int(parts["end"])
        if not (1 <= start < end <= 12):
            return None
        return year, end, "year" if (start, end) == (1, 12) else "ytd" if start == 1 else "range"
    if form == "quarter":
        quarter = parts["q"] or parts["quarter"]
        return year, 3 * int(_CHINESE_NUMBERS.get(quarter, quarter)), "quarter"
    if form == "first_quarters":
        first = parts["first"]
        return year, 3 * int(_CHINESE_NUMBERS.get(first, first)), "first_quarters"
    # 上半年 is January to June; 下半年 runs July to December, no year-to-date total.
    return (year, 6, "first_quarters") if parts["half"] == "上" else (year, 12, "range")


def find_header(grid: pd.DataFrame) -> int | None:
    """Return the index of the header row: the first naming the indicator column, else None."""
    for index in range(min(HEADER_SEARCH_ROWS, len(grid))):
        keys = {header_key(c) for c in grid.iloc[index]}
        if keys & (CODE_HEADERS | NAME_HEADERS):
            return index
    return None


def _columns(header: pd.Series, years_above: list[int | None] | None = None) -> tuple[dict[str, int], list[dict]]:
    """Return the position of each known column, and each period column (first of each period wins).

    A period column is a dict: position, year (None when the header gives none), month, kind and the
    header as written. `years_above` gives, per position, the year of a header cell above (2026年
    merged over 1—10月 and 10月), taken where the header names no year of its own.
    """
    found: dict[str, int] = {}
    periods: dict[tuple, dict] = {}
    for position, cell in enumerate(header):
        key = header_key(cell)
        for name, names in (
            ("code", CODE_HEADERS),
            ("name", NAME_HEADERS),
            ("year", YEAR_HEADERS),
            ("period", PERIOD_HEADERS),
            ("value", VALUE_HEADERS),
            ("note", NOTE_HEADERS),
        ):
            if key in names:
                found.setdefault(name, position)
        # A bare number in a header is a year (2023) or nothing: "10" there is no month. A date (Excel keeps
        # 2026-10 typed in a header as one) is its month.
        is_year = isinstance(cell, int | float) and 1000 <= cell <= 9999
        if not isinstance(cell, str | date | datetime) and not is_year:
            continue
        period = parse_period(cell, years_above[position] if years_above else None)
        if period:
            year, month, kind = period
            periods.setdefault(
                (year, month, kind),
                {"position": position, "year": year, "month": month, "kind": kind, "text": str(cell).strip()},
            )
    return found, list(periods.values())


def read_header(grid: pd.DataFrame, index: int) -> tuple[dict[str, int], list[dict], int]:
    """Return the columns of the header at `index`, its period columns and the first data row.

    A header may span two rows (e.g. 指标名称 merged over two rows, years under 年度数据, months
    under a year): when the row below adds period columns, the two rows are read together.
    """
    columns, periods = _columns(grid.iloc[index])
    key = columns.get("code", columns.get("name"))
    # The row below belongs to the header only if it names no indicator: blank, or the header
    # word again where a merged cell covers both rows.
    if index + 1 < len(grid) and header_key(grid.iat[index + 1, key]) in {"", *CODE_HEADERS, *NAME_HEADERS}:
        top, below = grid.iloc[index], grid.iloc[index + 1]
        combined = [b if header_key(b) else a for a, b in zip(top, below, strict=True)]
        above = [_year_of(a) for a in top]
        more, more_periods = _columns(pd.Series(combined), above)
        if len(more_periods) > len(periods) or (not periods and {"year", "value"} <= more.keys() - columns.keys()):
            return more, more_periods, index + 2
    return columns, periods, index + 1


def _year_of(cell) -> int | None:
    """Return the year a header cell names as a whole year (2026, 2026年), else None."""
    period = parse_period(cell) if isinstance(cell, str | int | float) else None
    return period[0] if period and period[2] == "year" else None


# A year in a title row above the header or in the sheet's name: "2026年1—10月主要经济指标".
_CONTEXT_YEAR = re.compile(r"((?:19|20)\d\d)(?:年|$|[^\d])")


def sheet_year(sheet: str, grid: pd.DataFrame, header_index: int) -> int | None:
    """Return the year a sheet is about, for periods written without one: from a title row, else its name."""
    for row in range(header_index):
        for cell in grid.iloc[row]:
            if isinstance(cell, str):
                found = _CONTEXT_YEAR.search(fold_text(cell))
                if found:
                    return int(found.group(1))
    found = _CONTEXT_YEAR.search(fold_text(str(sheet)))
    return int(found.group(1)) if found else None


def parse_numbers(raw: pd.Series) -> pd.DataFrame:
    """Return value, blank, bad, percent and percent_format flags for cells as typed by people.

    Accepts numbers, numbers as text, thousands separators, full-width digits, a trailing % and
    blank markers such as — or 无. Only cells that are not plain numbers are looked at one by one.
    `percent` is text ending in % (the value is the number before it); `percent_format` is a
    number in a cell formatted as a percent (hqd.reading.PercentNumber: 0.06 shown as 6%).
    """
    value = pd.to_numeric(raw, errors="coerce").to_numpy(dtype="float64", na_value=np.nan, copy=True)
    # to_numeric turns True/False into 1/0; only those two values can hide a boolean cell.
    is_bool = np.zeros(len(raw), dtype=bool)
    maybe = np.flatnonzero((value == 0) | (value == 1))
    if len(maybe):
        is_bool[maybe] = [type(v) is bool for v in raw.to_numpy()[maybe]]
        value[is_bool] = np.nan
    text_cells = np.isnan(value) & ~is_bool
    blank = np.zeros(len(raw), dtype=bool)
    percent = np.zeros(len(raw), dtype=bool)
    if text_cells.any():
        text = normalise_text(raw[text_cells]).str.replace("，", ",", regex=False)
        is_blank = text.isin(BLANKS).to_numpy()
        is_percent = text.str.endswith("%").to_numpy() & ~is_blank
        cleaned = text.str.rstrip("%").str.replace(",", "", regex=False)
        parsed = pd.to_numeric(cleaned.where(~is_blank, None), errors="coerce").to_numpy(dtype="float64")
        value[text_cells] = parsed
        blank[text_cells] = is_blank
        percent[text_cells] = is_percent
    blank &= ~is_bool
    numeric = np.flatnonzero(~text_cells & ~is_bool)
    percent_format = np.zeros(len(raw), dtype=bool)
    if len(numeric):
        cells = raw.to_numpy()[numeric]
        percent_format[numeric] = np.fromiter((type(v) is PercentNumber for v in cells), bool, len(cells))
    # inf and 1e999 parse as numbers but are no figure anyone reported.
    value[np.isinf(value)] = np.nan
    bad = np.isnan(value) & ~blank
    return pd.DataFrame(
        {"value": value, "blank": blank, "bad": bad, "percent": percent, "percent_format": percent_format},
        index=raw.index,
    )


def shift_percent(values: np.ndarray) -> np.ndarray:
    """Return fractions as percentages (0.06 -> 6), exact in decimals: 0.06 * 100 would be 6.000000000000001."""
    return np.array([float(f"{v!r}e2") for v in values.tolist()], dtype="float64")


def resolve_indicators(codes: pd.Series, names: pd.Series, targets: pd.DataFrame) -> pd.Series:
    """Return the catalog code of each row, found by code, else by name or a former name ('' when unknown).

    Both columns are folded first (normalise_text); each distinct text is looked up once. A
    current name wins over another indicator's former name.
    """
    found = indicator_lookup(targets)
    by_code, by_name = found.by_code, found.by_name

    def find(folded: pd.Series, first: dict, second: dict) -> np.ndarray:
        positions, uniques = pd.factorize(folded.to_numpy(dtype=object), use_na_sentinel=False)
        found = np.array([first.get(u) or second.get(u) or "" for u in uniques], dtype=object)
        return found[positions] if len(uniques) else np.array([], dtype=object)

    # People put names in the code column and codes in the name column; accept both.
    by_code_cell = find(codes, by_code, by_name)
    by_name_cell = find(names, by_name, by_code)
    return pd.Series(np.where(by_code_cell != "", by_code_cell, by_name_cell), index=codes.index, dtype="object")


class Lookup(NamedTuple):
    """A catalog's indicators by folded code, by folded name or former name, and its codes and names folded."""

    by_code: dict[str, str]
    by_name: dict[str, str]
    folded: dict[str, str]


# The folded codes and names of the catalogs met lately, by their content: folding 36,000 indicators' codes, names
# and former names takes a third of a second, and every import (and every explanation row) asks again. A frame
# seen before is known by its identity (frames are never changed by their readers), another by a hash of its text.
_LOOKUPS: Memo[Lookup] = Memo(8)
_SEEN: dict[int, tuple[weakref.ref, bytes]] = {}


def indicator_lookup(targets: pd.DataFrame) -> Lookup:
    """Return {folded code: code}, {folded name or former name: code} (current names first) and {code or name:
    folded} of the targets."""
    seen = _SEEN.get(id(targets))
    key = seen[1] if seen is not None and seen[0]() is targets else None
    if key is None:
        columns = [c for c in ("code", "name_zh", "aliases") if c in targets]
        text = pd.util.hash_pandas_object(targets[columns].astype("object"), index=False).to_numpy()
        key = hashlib.blake2b(text.tobytes() + ",".join(columns).encode(), digest_size=20).digest()
        identity = id(targets)
        _SEEN[identity] = (weakref.ref(targets, lambda _, identity=identity: _SEEN.pop(identity, None)), key)
    return _LOOKUPS.get_or_make(key, lambda: _fold_catalog(targets))


def _fold_catalog(targets: pd.DataFrame) -> Lookup:
    folded: dict[str, str] = {}
    by_code = {}
    for text, code in zip(normalise_text(targets["code"]), targets["code"], strict=True):
        by_code[text], folded[code] = code, text
    by_name = {}
    for text, name, code in zip(normalise_text(targets["name_zh"]), targets["name_zh"], targets["code"], strict=True):
        by_name.setdefault(text, code)
        folded[name] = text
    if "aliases" in targets:
        former = (
            targets[["code", "aliases"]].assign(alias=targets["aliases"].str.split(ALIAS_SEPARATOR)).explode("alias")
        )
        for name, code in zip(normalise_text(former["alias"].fillna("")), former["code"], strict=True):
            if name:
                by_name.setdefault(name, code)
    return Lookup(by_code, by_name, folded)


def lookup(keys: pd.Series, table: pd.Series) -> np.ndarray:
    """Return table[key] for each key (NaN when absent), looking each distinct key up once."""
    positions, uniques = pd.factorize(keys, use_na_sentinel=False)
    return table.reindex(uniques).to_numpy(dtype=object)[positions] if len(uniques) else np.array([], dtype=object)


def suggest(text: str, targets: pd.DataFrame) -> dict[str, str]:
    """Return the catalog indicator closest to an unknown code or name (hint, hint_name, hint_name_en), or {}."""
    folded = fold_text(text)
    # The catalog's folds kept by indicator_lookup: folding 36,000 names again for each unknown row took 0.2 s.
    found = indicator_lookup(targets)
    choices = {found.folded[name]: code for name, code in zip(targets["name_zh"], targets["code"], strict=True)}
    choices.update(found.by_code)
    close = difflib.get_close_matches(folded, list(choices), n=1, cutoff=0.5)
    if not close:
        return {}
    row = targets.set_index("code").loc[choices[close[0]]]
    return {"hint": choices[close[0]], "hint_name": row["name_zh"], "hint_name_en": row["name_en"]}


def _cells_of(body: pd.DataFrame, columns: dict[str, int], periods: list[dict]) -> pd.DataFrame | str:
    """Return one row per value cell (body position, row index, period, raw, column); or the code of what is missing.

    In a wide table the period is the column's; in a long table the cells of its year and period
    columns are kept raw (year_cell, period_cell) for _parse_long_periods.
    """
    rows = body.index.to_numpy()
    if periods:
        width = len(periods)

        def each(name: str) -> np.ndarray:
            return np.repeat([p[name] for p in periods], len(rows))

        return pd.DataFrame(
            {
                "position": np.tile(np.arange(len(rows)), width),
                "index": np.tile(rows, width),
                "year": each("year"),
                "month": each("month"),
                "kind": each("kind"),
                "period": each("text"),
                "raw": np.concatenate([body.iloc[:, p["position"]].to_numpy() for p in periods]) if len(rows) else [],
                "column": np.repeat([excel_column(p["position"]) for p in periods], len(rows)),
            }
        )
    if ("year" in columns or "period" in columns) and "value" in columns:
        missing = np.full(len(rows), None, dtype=object)
        return pd.DataFrame(
            {
                "position": np.arange(len(rows)),
                "index": rows,
                "year_cell": body.iloc[:, columns["year"]].to_numpy() if "year" in columns else missing,
                "period_cell": body.iloc[:, columns["period"]].to_numpy() if "period" in columns else missing,
                "raw": body.iloc[:, columns["value"]].to_numpy(),
                "column": excel_column(columns["value"]),
                "year_column": excel_column(columns["year"]) if "year" in columns else "",
                "period_column": excel_column(columns["period"]) if "period" in columns else "",
            }
        )
    if "year" in columns or "period" in columns:
        return "problem.no_value_column"
    if "value" in columns:
        return "problem.no_year_column"
    return "problem.no_year_columns"


def _parse_years(raw: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the years of long-form cells, which are invalid and which are blank ('2023年' is 2023)."""
    positions, uniques = pd.factorize(raw, use_na_sentinel=False)
    text = pd.Series([re.sub(r"年.*$", "", v) if isinstance(v, str) else v for v in uniques], dtype="object")
    years = parse_numbers(text)
    invalid = (years["bad"] | years["blank"] | (years["value"] % 1 != 0)).to_numpy()[positions]
    value = years["value"].fillna(0).to_numpy().astype("int64")[positions]
    return value, invalid, years["blank"].to_numpy()[positions]


def _parse_long_periods(cells: pd.DataFrame, default_year: int | None) -> pd.DataFrame:
    """Return the period of each long-form row: year, month, kind, the period as written, and what is wrong.

    The year column gives the year (else the sheet's); the period column, where there is one, the
    part of the year, and its own year where it names one. `problem` is None, or the code of the
    row's problem: bad_year, bad_period, period_without_year. `blank` marks rows without year or period.
    """
    has_year, has_period = cells["year_column"].ne("").any(), cells["period_column"].ne("").any()
    years, invalid_year, year_blank = (
        _parse_years(cells["year_cell"])
        if has_year
        else (np.zeros(len(cells), "int64"), np.zeros(len(cells), bool), np.ones(len(cells), bool))
    )
    out = pd.DataFrame(
        {"year": years, "month": 12, "kind": "year", "period": "", "problem": None, "blank": year_blank},
        index=cells.index,
    ).astype({"problem": "object"})
    out.loc[invalid_year & ~year_blank, "problem"] = "problem.bad_year"
    if not has_period:
        out.loc[invalid_year & year_blank, "problem"] = "problem.bad_year"
        return out
    period_text = normalise_text(cells["period_cell"].astype("str").where(cells["period_cell"].notna(), ""))
    period_blank = period_text.isin(BLANKS).to_numpy()
    keys = list(zip(np.where(invalid_year, -1, years).tolist(), cells["period_cell"].tolist(), strict=True))
    found = {}
    for year, cell in dict.fromkeys(keys):
        default = year if year > 0 else default_year
        found[(year, cell)] = parse_period(cell, default)
    # Filled as lists and set once: a cell set at a time costs a frame update per row.
    year, month, kind, problems = (out[c].tolist() for c in ("year", "month", "kind", "problem"))
    for position, (key, empty) in enumerate(zip(keys, period_blank, strict=True)):
        period = found[key]
        if empty:
            continue
        if period is None:
            problems[position] = "problem.bad_period"
        elif period[0] is None:
            problems[position] = "problem.period_without_year"
        else:
            year[position], month[position], kind[position] = period
            problems[position] = None
    out = out.assign(
        year=pd.array(year, dtype=out["year"].dtype),
        month=pd.array(month, dtype=out["month"].dtype),
        kind=pd.array(kind, dtype=out["kind"].dtype),
        problem=pd.Series(problems, index=out.index, dtype="object"),
    )
    out["period"] = [str(c).strip() if not e else "" for c, e in zip(cells["period_cell"], period_blank, strict=True)]
    # A row without a period cell is a whole year's, when the year column gives one.
    out.loc[period_blank & ~has_year, "problem"] = "problem.bad_period"
    out["blank"] = year_blank & period_blank
    return out


def find_uncalculated(sheet: str, grid: pd.DataFrame, first_row: int) -> list[dict]:
    """Return an error at each formula cell saved without a value, from `first_row` (the header) on.

    Such a cell may be a header, a code, a year, a value or a note: each is reported where it
    is, and is never read as the text "UNCALCULATED". Rows above the header (titles) are not read.
    """
    rows, columns = np.nonzero(grid.to_numpy(dtype=object)[first_row:] == UNCALCULATED)
    return [
        problem("problem.uncalculated", sheet=sheet, row=r + first_row + 1, column=excel_column(c))
        for r, c in zip(rows.tolist(), columns.tolist(), strict=True)
    ]


def parse_sheet(sheet: str, grid: pd.DataFrame, targets: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the observations of one sheet and its problems."""
    header_index = find_header(grid)
    if header_index is None:
        return _observations(), make_problems([problem("problem.no_header", sheet=sheet, **KEY_HEADERS)])
    unsaved = find_uncalculated(sheet, grid, header_index)
    columns, periods, start = read_header(grid, header_index)
    periods, yearless = _place_periods(sheet, grid, header_index, start, periods)
    body = grid.iloc[start:]
    blank_key = pd.Series("", index=body.index, dtype="object")
    code_cells = body.iloc[:, columns["code"]] if "code" in columns else blank_key
    name_cells = body.iloc[:, columns["name"]] if "name" in columns else blank_key
    folded = indicator_lookup(targets).folded
    code_text, name_text = normalise_text(code_cells, folded), normalise_text(name_cells, folded)
    keyed = (code_text.ne("") | name_text.ne("")).to_numpy()
    # blank_key too: it stands in for a missing note column below and must match the kept rows.
    body, code_cells, name_cells, blank_key = body[keyed], code_cells[keyed], name_cells[keyed], blank_key[keyed]

    cells = _cells_of(body, columns, periods)
    if isinstance(cells, str):
        if yearless:
            return _observations(), make_problems([*unsaved, *yearless])
        missing = problem(cells, sheet=sheet, row=header_index + 1, **LONG_HEADERS)
        return _observations(), make_problems([*unsaved, missing])
    problems: list[dict] = list(yearless)
    indicator = resolve_indicators(code_text[keyed], name_text[keyed], targets).to_numpy()
    notes = (body.iloc[:, columns["note"]] if "note" in columns else blank_key).to_numpy()
    if unsaved:
        notes = np.where(notes == UNCALCULATED, None, notes)
    cells["indicator"], cells["note"] = indicator[cells["position"]], notes[cells["position"]]
    numbers = parse_numbers(cells["raw"])
    if "year_column" in cells:
        parsed = _parse_long_periods(cells, sheet_year(sheet, grid, header_index))
        # A row with neither period nor value, such as a note under the table, has no figure to place.
        empty = parsed["blank"].to_numpy() & numbers["blank"].to_numpy()
        wrong = parsed["problem"].notna().to_numpy() & ~empty
        for position in np.flatnonzero(wrong):
            code, cell = parsed["problem"].iat[position], cells.iloc[position]
            column, value = (
                (cell["year_column"], cell["year_cell"])
                if code == "problem.bad_year"
                else (cell["period_column"], cell["period_cell"])
            )
            said = {"value": str(value)} if code != "problem.period_without_year" else {"period": str(value)}
            problems.append(
                problem(
                    code, sheet=sheet, row=int(cell["index"]) + 1, column=column, **said, **_about(cell["indicator"])
                )
            )
        valid = parsed["problem"].isna().to_numpy()
        cells = cells.assign(**{c: parsed[c] for c in ("year", "month", "kind", "period")})[valid]
        numbers = numbers[valid]
    filled = ~numbers["blank"].to_numpy()

    problems += _unknown_rows(sheet, body, code_cells, name_cells, indicator, cells, filled, columns, targets)
    known = cells["indicator"].ne("").to_numpy()
    at = cells.assign(row=cells["index"] + 1)
    bad = known & numbers["bad"].to_numpy()
    problems += [
        problem("problem.not_a_number", sheet=sheet, row=r, column=c, value=str(v), **_about(i, y, m, k))
        for r, c, v, i, y, m, k in at.loc[bad, ["row", "column", "raw", "indicator", *PERIOD]].itertuples(index=False)
    ]
    units = pd.Series(lookup(cells["indicator"], targets.set_index("code")["unit"]), index=cells.index)
    is_percent_unit = units.eq("%").to_numpy()
    wrong_percent = known & numbers["percent"].to_numpy() & ~is_percent_unit
    problems += [
        problem(
            "problem.percent_for_unit", sheet=sheet, row=r, column=c, unit=str(u), value=str(v), **_about(i, y, m, k)
        )
        for r, c, v, u, i, y, m, k in at.assign(u=units)
        .loc[wrong_percent, ["row", "column", "raw", "u", "indicator", *PERIOD]]
        .itertuples(index=False)
    ]
    keep = known & ~numbers["bad"].to_numpy() & ~numbers["blank"].to_numpy() & ~wrong_percent
    value = numbers["value"].to_numpy(copy=True)
    # A cell formatted as a percent shows, and was typed as, 6% where it holds 0.06: for an
    # indicator in % the figure is 6. For other units the number is taken as it is.
    typed_percent = keep & numbers["percent_format"].to_numpy() & is_percent_unit
    value[typed_percent] = shift_percent(value[typed_percent])
    out = at.loc[keep, ["indicator", *PERIOD, "period", "note", "row", "column"]].assign(value=value[keep], sheet=sheet)
    note = out["note"].astype("str").str.strip()
    out["note"] = note.where(~note.isin(["", "nan", "None"]), None)
    # A formula cell without a value is reported once, as such, not also as an unknown code, year or number.
    spots = {(p["row"], p["column"]) for p in unsaved}
    problems = unsaved + [p for p in problems if (p.get("row"), p.get("column")) not in spots]
    located = out.astype({"year": "int64", "month": "int64", "row": "int64"})
    return located[[*OBSERVATION_COLUMNS, "kind", "period"]], make_problems(problems)


def _place_periods(
    sheet: str, grid: pd.DataFrame, header_index: int, start: int, periods: list[dict]
) -> tuple[list[dict], list[dict]]:
    """Return the period columns with a year (the sheet's where the header gives none), and problems for the rest.

    A header such as 1—10月累计 takes its year from a title row above or the sheet's name; with
    neither, the column cannot be placed and the problem is at its header cell.
    """
    if all(p["year"] is not None for p in periods):
        return periods, []
    year = sheet_year(sheet, grid, header_index)
    placed, problems = [], []
    for period in periods:
        if period["year"] is not None:
            placed.append(period)
        elif year is not None:
            placed.append({**period, "year": year})
        else:
            rows = [
                r for r in range(header_index, start) if str(grid.iat[r, period["position"]]).strip() == period["text"]
            ]
            at = {
                "sheet": sheet,
                "row": (rows[-1] if rows else header_index) + 1,
                "column": excel_column(period["position"]),
            }
            problems.append(problem("problem.period_without_year", **at, period=period["text"]))
    return placed, problems


# The columns that say which period a figure is of, as a problem's params take them (_about).
PERIOD = ["year", "month", "kind"]


def _about(indicator, year=None, month=None, kind=None) -> dict:
    """Return the indicator and period a problem concerns, as its params, where they are known.

    A figure of a whole year gives its year; one within the year its last month and kind as well,
    so that the message names the period as the office writes it (hqd.formatting.format_period).
    """
    about = {"indicator": indicator} if isinstance(indicator, str) and indicator else {}
    if year is not None and not pd.isna(year) and float(year).is_integer():
        about["year"] = int(year)
        # A figure known only by its month (a stored one) is worded as that month.
        kind = (
            kind
            if isinstance(kind, str) and kind
            else None
            if month is None or pd.isna(month) or month == 12
            else "month"
        )
        if kind and kind != "year":
            about["month"] = int(month)
            about["kind"] = kind
    return about


def _unknown_rows(sheet, body, code_cells, name_cells, indicator, cells, filled, columns, targets) -> list[dict]:
    """Return the problems of rows naming no catalog indicator.

    With figures they are errors (with the closest indicator as a suggestion); without figures
    they are notes under the table (ignored) or stray rows (a warning).
    """
    unknown = indicator == ""
    if not unknown.any():
        return []
    has_figures = pd.Series(filled).groupby(cells["index"].to_numpy()).any()
    key_column = excel_column(columns.get("code", columns.get("name")))
    problems = []
    for index, code, name in zip(body.index[unknown], code_cells[unknown], name_cells[unknown], strict=True):
        text = str(code).strip() if str(code).strip() else str(name).strip()
        where = {"sheet": sheet, "row": index + 1, "column": key_column}
        if has_figures.get(index, False):
            hint = suggest(text, targets)
            if hint:
                problems.append(problem("problem.unknown_indicator_hint", **where, text=text, **hint))
            else:
                problems.append(problem("problem.unknown_indicator", **where, text=text))
        elif not fold_text(text).startswith(tuple(fold_text(p) for p in NOTE_PREFIXES)):
            problems.append(problem("problem.stray_row", WARNING, **where, text=text))
    return problems


def _observations() -> pd.DataFrame:
    """Return an empty observations-with-location frame."""
    return pd.DataFrame(
        {
            c: pd.Series(dtype="int64" if c in ("year", "month", "row") else "float64" if c == "value" else "object")
            for c in OBSERVATION_COLUMNS
        }
    )


def check_observations(frame: pd.DataFrame, targets: pd.DataFrame, today: date | None = None) -> pd.DataFrame:
    """Return the problems of parsed observations: years, duplicates, impossible values."""
    if frame.empty:
        return make_problems()
    today = today or date.today()
    positions, uniques = pd.factorize(frame["indicator"], use_na_sentinel=False)
    known = targets.set_index("code").reindex(uniques)

    def per_row(column: str) -> np.ndarray:
        return known[column].to_numpy()[positions]

    unit, direction, base = per_row("unit"), per_row("direction"), per_row("base_value").astype("float64")
    first, last = per_row("base_year").astype("float64"), per_row("target_year").astype("float64")
    year, value = frame["year"].to_numpy(), frame["value"].to_numpy()
    month = frame["month"].to_numpy() if "month" in frame else np.full(len(frame), 12)
    # A frame from elsewhere (no kind) holds whole years at month 12 and months within the year.
    kind = frame["kind"].fillna("").to_numpy() if "kind" in frame else np.where(month == 12, "year", "month")
    kind = np.where(kind == "", np.where(month == 12, "year", "month"), kind)
    if "period" not in frame:
        frame = frame.assign(period="")
    frame = frame.assign(kind=kind)
    frequency = per_row("frequency") if "frequency" in known else np.full(len(frame), "year")
    cumulative = per_row("value_kind") == "cumulative" if "value_kind" in known else np.zeros(len(frame), bool)
    percent = unit == "%"
    whole_year = kind == "year"
    # A part of the year is due once its last month has ended; so is a whole year of an indicator reported
    # within it (its December total). A yearly indicator's figure may come once its year has begun (as before).
    ended = year * 12 + month < today.year * 12 + today.month
    future = np.where(whole_year & (frequency == "year"), year > today.year, ~ended)
    period_rules = [
        (kind == "range", "problem.period_not_from_january"),
        ((frequency == "quarter") & (month % 3 != 0), "problem.period_not_quarterly"),
        ((frequency == "year") & ~whole_year, "problem.period_not_yearly"),
        (cumulative & (kind == "month") & (month > 1), "problem.period_single_month"),
        (cumulative & (kind == "quarter") & (month > 3), "problem.period_single_quarter"),
    ]
    problems = []
    # One problem a cell: the first rule it breaks, in this order (a 3—5月 figure is not also "not quarterly").
    caught = np.zeros(len(frame), bool)
    for mask, code in period_rules:
        hit = mask & ~caught & ~future
        caught |= mask
        if not hit.any():
            # Most files break no rule: a frame's filter and itertuples cost milliseconds even when empty.
            continue
        hits = frame[hit]
        problems += [
            problem(
                code,
                sheet=r.sheet,
                row=r.row,
                column=r.column,
                # A frame from elsewhere has no header text: the period as ISO writes it stands in.
                period=r.period or f"{int(r.year)}-{int(r.month):02d}",
                **_about(r.indicator, r.year, r.month, r.kind),
            )
            for r in hits.itertuples(index=False)
        ]
    with np.errstate(invalid="ignore"):
        # (where, severity, code, the values its sentence needs)
        rules = [
            (future, ERROR, "problem.future_year", lambda r: {"year": int(r.year)}),
            (
                ((year < first) | (year > last)) & ~future,
                ERROR,
                "problem.outside_period",
                lambda r: {"year": int(r.year), "first": int(r.first), "last": int(r.last)},
            ),
            (
                percent & ((value < 0) | (value > 100)),
                ERROR,
                "problem.percent_range",
                lambda r: {"value": float(r.value)},
            ),
            (
                known["unit"].isin(NON_NEGATIVE_UNITS).to_numpy()[positions] & (value < 0),
                ERROR,
                "problem.negative",
                lambda r: {"value": float(r.value)},
            ),
            (
                (direction == "milestone") & (value % 1 != 0),
                ERROR,
                "problem.milestone_integer",
                lambda r: {"value": float(r.value)},
            ),
            # Excel keeps 12.5% as 0.125; in a sheet of percentages that is almost always a slip.
            (
                percent & (value > 0) & (value <= 1) & (base > 1),
                WARNING,
                "problem.percent_fraction",
                lambda r: {"value": float(r.value), "percent": float(r.value * 100)},
            ),
        ]
    for mask, severity, code, params in rules:
        if mask.any():
            hits = frame[mask].assign(first=first[mask], last=last[mask])
            problems += [
                problem(
                    code,
                    severity,
                    sheet=r.sheet,
                    row=r.row,
                    column=r.column,
                    **{**_about(r.indicator, r.year, r.month, r.kind), **params(r)},
                )
                for r in hits.itertuples(index=False)
            ]
    # The same indicator and period with two different values: an error at every such cell. A cell already
    # refused for its period (本月 beside 1—10月累计) is no second value of that period.
    admitted = frame[~caught]
    # Most files give each figure once: the frames below are made only when some key comes twice.
    twice = pd.Series(key_codes(frame, positions)[~caught]).duplicated().any()
    distinct = admitted.drop_duplicates([*KEY, "value"]) if twice else admitted.iloc[:0]
    clashing = distinct[distinct.duplicated(KEY, keep=False)][KEY]
    if len(clashing):
        at = admitted.merge(clashing.drop_duplicates(), on=KEY)
        first_seen = at.groupby(KEY)[["sheet", "row", "column"]].transform("first")
        problems += [
            problem(
                "problem.duplicate_value",
                sheet=r.sheet,
                row=r.row,
                column=r.column,
                **_about(r.indicator, r.year, r.month, r.kind),
                value=float(r.value),
                first_sheet=f.sheet,
                first_row=int(f.row),
                first_column=f.column,
            )
            for r, f in zip(at.itertuples(index=False), first_seen.itertuples(index=False), strict=True)
        ]
    return make_problems(problems)


def check_jumps(incoming: pd.DataFrame, current: pd.DataFrame, targets: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return warnings for values more than 3× (or under a third of) the same period's the year before.

    The year before comes from the same file when it has it, else from the database. With the
    targets, each period is worded as its indicator is reported (2026年1—10月 for a year-to-date total).
    """
    if incoming.empty:
        return make_problems()
    # Each (indicator, year, month) as one integer, the same period a year before 13 less: the value in effect at a
    # key is the file's, else the database's, and each of the file's rows finds the year before's by one lookup.
    both = pd.concat([current[[*KEY, "value"]], incoming[[*KEY, "value"]]], ignore_index=True)
    codes = pd.factorize(both["indicator"].to_numpy(dtype=object), use_na_sentinel=False)[0].astype("int64")
    year, month = both["year"].to_numpy(dtype="int64"), both["month"].to_numpy(dtype="int64")
    first, years = int(year.min()) - 1, int(year.max() - year.min()) + 2
    keys = (codes * years + year - first) * 13 + month
    in_effect = pd.Series(both["value"].to_numpy(dtype="float64"), index=keys)
    in_effect = in_effect[~in_effect.index.duplicated(keep="last")]
    own = keys[len(current) :]
    value, previous = in_effect.reindex(own).to_numpy(), in_effect.reindex(own - 13).to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        jumped = is_jump(value, previous)
    pairs = incoming[jumped].assign(previous=previous[jumped]).reset_index(drop=True)
    if targets is not None and len(pairs):
        reporting = targets.drop_duplicates("code").set_index("code")
        pairs = pairs.assign(
            kind=[
                period_kind(f, k, m)
                for f, k, m in zip(
                    pairs["indicator"].map(reporting["frequency"]).fillna("year"),
                    pairs["indicator"].map(reporting["value_kind"]).fillna(""),
                    pairs["month"],
                    strict=True,
                )
            ]
        )
    return make_problems(
        [
            problem(
                "problem.jump"
                if r.month == 12 and getattr(r, "kind", "year") == "year"
                else "problem.jump_within_year",
                WARNING,
                sheet=r.sheet,
                row=r.row,
                column=r.column,
                **_about(r.indicator, r.year, r.month, getattr(r, "kind", None)),
                value=float(r.value),
                previous=float(r.previous),
                ratio=float(r.value / r.previous),
            )
            for r in pairs.itertuples(index=False)
        ]
    )


def check_coverage(incoming: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """Return one warning per department listing its indicators due in the file's months that it gives no value for.

    A month's sheet is not asked for yearly or quarterly indicators that month does not report.
    """
    if "month" in incoming and len(incoming):
        months = set(incoming["month"].astype("int64"))
        positions, frequencies = pd.factorize(targets["frequency"].to_numpy(dtype=object), use_na_sentinel=False)
        due = np.array([bool(months & set(DUE_MONTHS.get(f, (12,)))) for f in frequencies], dtype=bool)
        targets = targets[due[positions] if len(frequencies) else np.zeros(len(targets), bool)]
    missing = targets[~among(targets["code"], incoming["indicator"])].drop_duplicates("code")
    return make_problems(
        [
            problem("problem.coverage", WARNING, department=department, codes=list(group["code"]))
            if department
            else problem("problem.coverage_no_department", WARNING, codes=list(group["code"]))
            for department, group in missing.groupby("department", sort=False)
        ]
    )


def read_observations_from_sheets(
    sheets: dict[str, pd.DataFrame], targets: pd.DataFrame, today: date | None = None, skip: tuple[str, ...] = ()
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the observations of every data sheet, one per (indicator, year, month), and all problems."""
    found, problems = [], []
    for sheet, grid in sheets.items():
        if sheet in skip:
            continue
        if find_header(grid) is None:
            empty = grid.empty or grid.isin(["", None]).to_numpy().all()
            ignored = problem("problem.empty_sheet", WARNING, sheet=sheet)
            if not empty:
                ignored = problem("problem.sheet_without_header", WARNING, sheet=sheet, **KEY_HEADERS)
            problems.append(make_problems([ignored]))
            continue
        frame, sheet_problems = parse_sheet(sheet, grid, targets)
        found.append(frame)
        problems.append(sheet_problems)
    frames = [f for f in found if len(f)] or [_observations()]
    observations = (frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)).astype(
        {"year": "int64", "month": "int64", "value": "float64", "row": "int64"}
    )
    problems.append(check_observations(observations, targets, today))
    if not len(observations) and not any((p["severity"] == ERROR).any() for p in problems if len(p)):
        problems.append(make_problems([problem(NO_VALUES)]))
    if len(observations) and pd.Series(key_codes(observations)).duplicated().any():
        observations = observations.drop_duplicates(KEY, keep="first")
    return observations[OBSERVATION_COLUMNS].reset_index(drop=True), concat_problems(*problems)


def key_codes(frame: pd.DataFrame, positions: np.ndarray | None = None) -> np.ndarray:
    """Return one integer per row naming its (indicator, year, month): equal keys, equal integers.

    `positions` are the rows' indicators as pd.factorize numbers them, where already known. Duplicates of
    integers are found many times faster than of the three columns, whose text pandas hashes row by row.
    """
    if positions is None:
        positions = pd.factorize(frame["indicator"], use_na_sentinel=False)[0]
    key = positions.astype("int64")
    for column in ("year", "month"):
        values = frame[column].to_numpy() if column in frame else np.full(len(frame), 12)
        if values.dtype.kind in "iu" and len(values):
            numbers = values.astype("int64") - int(values.min())
        else:
            numbers = pd.factorize(values, use_na_sentinel=False)[0].astype("int64")
        key = key * (int(numbers.max()) + 1 if len(numbers) else 1) + numbers
    return key
