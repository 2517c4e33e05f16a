"""Turn the cell grids of an uploaded workbook into observations, and list every problem.

Accepts the template form (one row per indicator, one column per year) and the long form
(指标编码/指标名称, 年份, 数值[, 备注]). Every problem carries sheet, row and column as Excel
shows them, so a user can go straight to the cell.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import numpy as np
import pandas as pd

from hqd.problems import ERROR, WARNING, concat_problems, excel_column, make_problems

CODE_HEADERS = {"指标编码", "编码", "指标代码", "代码", "code"}
NAME_HEADERS = {"指标名称", "指标", "名称", "name"}
YEAR_HEADERS = {"年份", "年度", "年", "year"}
VALUE_HEADERS = {"数值", "值", "实际值", "完成值", "value"}
NOTE_HEADERS = {"备注", "说明", "note"}
YEAR_HEADER = re.compile(r"^(\d{4})年?(实际值?|完成值?|数据|数值)?$")
BLANKS = {"", "—", "——", "-", "--", "/", "无", "n/a", "na", "…", "null", "none"}
HEADER_SEARCH_ROWS = 30
OBSERVATION_COLUMNS = ["indicator", "year", "value", "note", "sheet", "row", "column"]
# Units whose values cannot be negative: counts and amounts.
NON_NEGATIVE_UNITS = {"个", "家", "人", "项", "件", "户", "所", "人次", "亿元", "亿美元", "万元", "万元/亩"}


def normalise_text(values: pd.Series) -> pd.Series:
    """Return text folded to half-width, without spaces, for matching (NFKC)."""
    return values.astype("str").map(lambda s: unicodedata.normalize("NFKC", s)).str.replace(r"\s+", "", regex=True)


def _header_key(cell) -> str:
    """Return a header cell folded for matching, without a unit in brackets."""
    text = unicodedata.normalize("NFKC", str(cell)).strip().lower()
    return re.sub(r"\s+", "", re.sub(r"[(\[（【].*?[)\]）】]$", "", text))


def find_header(grid: pd.DataFrame) -> int | None:
    """Return the index of the header row: the first naming the indicator column, else None."""
    for index in range(min(HEADER_SEARCH_ROWS, len(grid))):
        keys = {_header_key(c) for c in grid.iloc[index]}
        if keys & (CODE_HEADERS | NAME_HEADERS):
            return index
    return None


def parse_numbers(raw: pd.Series) -> pd.DataFrame:
    """Return value, blank, bad and percent flags for cells as typed by people.

    Accepts numbers, numbers as text, thousands separators, full-width digits, a trailing % and
    blank markers such as — or 无.
    """
    is_number = raw.map(lambda v: isinstance(v, int | float) and not isinstance(v, bool))
    text = normalise_text(raw.where(~is_number, "")).str.lower()
    percent = text.str.endswith("%")
    cleaned = text.str.rstrip("%").str.replace(",", "", regex=False)
    parsed = pd.to_numeric(cleaned.where(~cleaned.isin(BLANKS), None), errors="coerce")
    value = pd.Series(
        np.where(is_number, pd.to_numeric(raw.where(is_number), errors="coerce"), parsed),
        index=raw.index,
        dtype="float64",
    )
    blank = ~is_number & text.isin(BLANKS)
    return pd.DataFrame(
        {"value": value, "blank": blank, "bad": value.isna() & ~blank, "percent": percent & ~blank}, index=raw.index
    )


def _columns(header: pd.Series) -> tuple[dict[str, int], dict[int, int]]:
    """Return the position of each known column, and of each year column (first match wins)."""
    found: dict[str, int] = {}
    years: dict[int, int] = {}
    for position, cell in enumerate(header):
        key = _header_key(cell)
        year = YEAR_HEADER.match(key)
        for name, names in (
            ("code", CODE_HEADERS),
            ("name", NAME_HEADERS),
            ("year", YEAR_HEADERS),
            ("value", VALUE_HEADERS),
            ("note", NOTE_HEADERS),
        ):
            if key in names:
                found.setdefault(name, position)
        if year:
            years.setdefault(int(year.group(1)), position)
    return found, years


def resolve_indicators(codes: pd.Series, names: pd.Series, targets: pd.DataFrame) -> pd.Series:
    """Return the catalog code of each row, found by code, else by name ('' when unknown)."""
    by_code = pd.Series(targets["code"].to_numpy(), index=normalise_text(targets["code"]).str.upper())
    by_name = pd.Series(targets["code"].to_numpy(), index=normalise_text(targets["name_zh"]))
    codes, names = normalise_text(codes), normalise_text(names)
    # People put names in the code column and codes in the name column; accept both.
    found = codes.str.upper().map(by_code).fillna(codes.map(by_name))
    return found.fillna(names.map(by_name)).fillna(names.str.upper().map(by_code)).fillna("")


def parse_sheet(sheet: str, grid: pd.DataFrame, targets: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the observations of one sheet and its problems."""
    header_index = find_header(grid)
    if header_index is None:
        return _observations(), make_problems(
            [{"sheet": sheet, "message": "找不到表头(应有「指标编码」或「指标名称」列)"}]
        )
    columns, year_columns = _columns(grid.iloc[header_index])
    body = grid.iloc[header_index + 1 :]
    code_cells = body.iloc[:, columns["code"]] if "code" in columns else pd.Series("", index=body.index)
    name_cells = body.iloc[:, columns["name"]] if "name" in columns else pd.Series("", index=body.index)
    key_blank = normalise_text(code_cells).eq("") & normalise_text(name_cells).eq("")
    body, code_cells, name_cells = body[~key_blank], code_cells[~key_blank], name_cells[~key_blank]
    excel_row = body.index.to_numpy() + 1
    indicator = resolve_indicators(code_cells, name_cells, targets)
    key_column = columns.get("code", columns.get("name"))
    problems = [
        {
            "sheet": sheet,
            "row": r,
            "column": excel_column(key_column),
            "message": f"未知指标「{c or n}」:指标目录中没有这个编码或名称",
        }
        for r, c, n in zip(
            excel_row[indicator.eq("").to_numpy()],
            code_cells[indicator.eq("")].astype("str"),
            name_cells[indicator.eq("")].astype("str"),
            strict=True,
        )
    ]
    note = (
        body.iloc[:, columns["note"]].astype("str").str.strip()
        if "note" in columns
        else pd.Series("", index=body.index)
    )

    if year_columns:
        frames = [
            pd.DataFrame(
                {
                    "indicator": indicator.to_numpy(),
                    "year": year,
                    "raw": body.iloc[:, p].to_numpy(),
                    "note": note.to_numpy(),
                    "row": excel_row,
                    "column": excel_column(p),
                }
            )
            for year, p in sorted(year_columns.items())
        ]
        cells = pd.concat(frames, ignore_index=True)
    elif "year" in columns and "value" in columns:
        years = parse_numbers(
            body.iloc[:, columns["year"]].map(lambda v: re.sub(r"年.*$", "", v) if isinstance(v, str) else v)
        )
        bad_year = (years["bad"] | years["blank"] | (years["value"] % 1 != 0)).to_numpy()
        problems += [
            {"sheet": sheet, "row": r, "column": excel_column(columns["year"]), "message": f"年份「{v}」无效"}
            for r, v in zip(excel_row[bad_year], body.iloc[:, columns["year"]][bad_year], strict=True)
        ]
        cells = pd.DataFrame(
            {
                "indicator": indicator.to_numpy(),
                "year": years["value"].fillna(0).to_numpy(),
                "raw": body.iloc[:, columns["value"]].to_numpy(),
                "note": note.to_numpy(),
                "row": excel_row,
                "column": excel_column(columns["value"]),
            }
        )[~bad_year]
    else:
        return _observations(), make_problems(
            [
                {
                    "sheet": sheet,
                    "row": header_index + 1,
                    "message": "缺少年份列:请使用模板的年份列(如 2023),或「年份」「数值」两列",
                }
            ]
        )

    cells = cells[cells["indicator"].ne("")].reset_index(drop=True)
    numbers = parse_numbers(cells["raw"])
    units = cells["indicator"].map(targets.set_index("code")["unit"])
    problems += [
        {"sheet": sheet, "row": r, "column": c, "message": f"「{v}」不是数字"}
        for r, c, v in cells.loc[numbers["bad"], ["row", "column", "raw"]].itertuples(index=False)
    ]
    wrong_percent = numbers["percent"] & units.ne("%")
    problems += [
        {"sheet": sheet, "row": r, "column": c, "message": f"该指标单位为「{u}」,不应填写百分数「{v}」"}
        for r, c, v, u in cells.assign(u=units)
        .loc[wrong_percent, ["row", "column", "raw", "u"]]
        .itertuples(index=False)
    ]
    keep = ~numbers["bad"] & ~numbers["blank"] & ~wrong_percent
    out = cells.loc[keep, ["indicator", "year", "note", "row", "column"]].assign(
        value=numbers.loc[keep, "value"], sheet=sheet
    )
    out["note"] = out["note"].where(~out["note"].isin(["", "nan", "None"]), None)
    return out.astype({"year": "int64"})[OBSERVATION_COLUMNS], make_problems(problems)


def _observations() -> pd.DataFrame:
    """Return an empty observations-with-location frame."""
    return pd.DataFrame(
        {
            c: pd.Series(dtype="int64" if c in ("year", "row") else "float64" if c == "value" else "object")
            for c in OBSERVATION_COLUMNS
        }
    )


def check_observations(frame: pd.DataFrame, targets: pd.DataFrame, today: date | None = None) -> pd.DataFrame:
    """Return the problems of parsed observations: years, duplicates, impossible values."""
    if frame.empty:
        return make_problems()
    today = today or date.today()
    info = targets.set_index("code")
    at = frame.assign(
        unit=frame["indicator"].map(info["unit"]),
        direction=frame["indicator"].map(info["direction"]),
        first=frame["indicator"].map(info["base_year"]),
        last=frame["indicator"].map(info["target_year"]),
    )
    rules = [
        (at["year"] > today.year, lambda r: f"{r.year} 年尚未到来"),
        (
            ((at["year"] < at["first"]) | (at["year"] > at["last"])) & (at["year"] <= today.year),
            lambda r: f"{r.year} 年不在规划期({r.first}–{r.last})内",
        ),
        (at["unit"].eq("%") & ((at["value"] < 0) | (at["value"] > 100)), lambda r: f"百分比 {r.value:g} 超出 0–100"),
        (at["unit"].isin(NON_NEGATIVE_UNITS) & (at["value"] < 0), lambda r: f"数量或金额不能为负数:{r.value:g}"),
        (
            at["direction"].eq("milestone") & (at["value"] % 1 != 0),
            lambda r: f"阶段性指标须填整数阶段,现为 {r.value:g}",
        ),
    ]
    problems = [
        {"sheet": r.sheet, "row": r.row, "column": r.column, "message": message(r)}
        for mask, message in rules
        for r in at[mask].itertuples(index=False)
    ]
    key = ["indicator", "year"]
    clash = at.groupby(key)["value"].transform("nunique") > 1
    first_seen = at[clash].groupby(key)[["sheet", "row", "column"]].transform("first")
    problems += [
        {
            "sheet": r.sheet,
            "row": r.row,
            "column": r.column,
            "message": f"指标 {r.indicator} 的 {r.year} 年数据出现多次且数值不同({r.value:g};"
            f"首次见于「{f.sheet}」第 {f.row} 行 {f.column} 列)",
        }
        for r, f in zip(at[clash].itertuples(index=False), first_seen.itertuples(index=False), strict=True)
    ]
    return make_problems(problems)


def read_observations_from_sheets(
    sheets: dict[str, pd.DataFrame], targets: pd.DataFrame, today: date | None = None, skip: tuple[str, ...] = ()
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the observations of every data sheet, one per (indicator, year), and all problems."""
    found, problems = [], []
    for sheet, grid in sheets.items():
        if sheet in skip:
            continue
        if grid.empty or find_header(grid) is None:
            problems.append(
                make_problems([{"sheet": sheet, "severity": WARNING, "message": "该工作表没有指标数据表头,已忽略"}])
            )
            continue
        frame, sheet_problems = parse_sheet(sheet, grid, targets)
        found.append(frame)
        problems.append(sheet_problems)
    observations = pd.concat([_observations(), *found], ignore_index=True).astype(
        {"year": "int64", "value": "float64", "row": "int64"}
    )
    problems.append(check_observations(observations, targets, today))
    if not len(observations) and not any((p["severity"] == ERROR).any() for p in problems if len(p)):
        problems.append(make_problems([{"message": "文件中没有找到任何指标数值"}]))
    observations = observations.drop_duplicates(["indicator", "year"], keep="first").reset_index(drop=True)
    return observations, concat_problems(*problems)
