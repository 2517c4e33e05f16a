"""Catalog revisions: an uploaded 指标目录 sheet changes baselines, targets, weights, departments; a 年度目标
sheet sets, changes or removes annual targets."""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pandas as pd

from hqd.catalog import ANNUAL_TARGET_COLUMNS, FILES, INDICATOR_COLUMNS, Catalog, check_catalog
from hqd.intake import find_uncalculated, header_key, normalise_text, parse_numbers, shift_percent
from hqd.inyear import annual_target_table
from hqd.problems import concat_problems, excel_column, make_problems, problem
from hqd.text import fold_text
from hqd.workbook import ANNUAL_HEADERS, ANNUAL_TRAJECTORY_WORDS, CATALOG_HEADERS, UNCALCULATED

# What a catalog upload may change; codes, names, units and directions stay as the admin set them.
EDITABLE = ["base_year", "base_value", "target_year", "target_value", "weight", "department", "frequency", "value_kind"]
NUMERIC = {"base_year", "base_value", "target_year", "target_value", "weight"}
CHANGE_COLUMNS = ["code", "period", "field", "old", "new", "sheet", "row", "column"]
# An annual target's change is named by its year ("annual_target:2027"); old or new NaN: the year follows the
# trajectory (no annual target set).
ANNUAL_FIELD = "annual_target:"
# The headers a 年度目标 sheet may use, folded; the long form has 年份 and 年度目标值, the wide form a column per year.
ANNUAL_HEADER_NAMES = {
    "code": {"指标编码", "编码"},
    "period": {"规划期"},
    "year": {"年份", "年度"},
    "target_value": {"年度目标值", "年度目标"},
}
# A year column of the wide form: 2027, 2027年, 2027年度目标 (folded).
YEAR_COLUMN = re.compile(r"(\d{4})(?:年|年度|年度目标|年度目标值)?")


def compare_catalogs(old: Catalog, new: Catalog) -> pd.DataFrame:
    """Return one row per indicator field, and per annual target, whose value differs between two catalog versions.

    An annual target's row is named ANNUAL_FIELD + its year; a side without one is NaN (the trajectory's).
    """
    key = ["code", "period"]
    both = old.indicators.merge(new.indicators, on=key, how="outer", suffixes=("_old", "_new"), indicator=True)
    rows = []
    for field in [c for c in INDICATOR_COLUMNS if c not in key]:
        a, b = both[f"{field}_old"], both[f"{field}_new"]
        differs = ~((a == b) | (a.isna() & b.isna()))
        rows.append(
            pd.DataFrame(
                {
                    "code": both["code"],
                    "period": both["period"],
                    "field": field,
                    "old": a.astype("object"),
                    "new": b.astype("object"),
                }
            )[differs.to_numpy()]
        )
    rows.append(_compare_annual_targets(old.annual_targets, new.annual_targets))
    out = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=CHANGE_COLUMNS[:5])
    return out.sort_values(["code", "field"], kind="stable").reset_index(drop=True)


def _compare_annual_targets(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Return the annual targets set, changed or removed between two versions (code, period, field, old, new)."""
    key = ["code", "period", "year"]
    both = old[key + ["target_value"]].merge(
        new[key + ["target_value"]], on=key, how="outer", suffixes=("_old", "_new")
    )
    a, b = both["target_value_old"], both["target_value_new"]
    differs = ~(np.isclose(a, b, rtol=1e-12, atol=0) | (a.isna() & b.isna()))
    both = both[differs.to_numpy()]
    return pd.DataFrame(
        {
            "code": both["code"].to_numpy(dtype="object"),
            "period": both["period"].to_numpy(dtype="object"),
            "field": [f"{ANNUAL_FIELD}{int(y)}" for y in both["year"]],
            "old": both["target_value_old"].to_numpy(dtype="object"),
            "new": both["target_value_new"].to_numpy(dtype="object"),
        }
    )


def read_catalog_sheet(
    sheet: str, grid: pd.DataFrame, catalog: Catalog
) -> tuple[Catalog | None, pd.DataFrame, pd.DataFrame]:
    """Return the revised catalog (None when nothing changes), the changes, and the problems.

    Only EDITABLE fields of indicators already in the catalog may change; every problem is
    located in the sheet.
    """
    headers = {fold_text(v): k for k, v in CATALOG_HEADERS.items()}
    header_index = next(
        (i for i in range(min(30, len(grid))) if "code" in {headers.get(header_key(c)) for c in grid.iloc[i]}), None
    )
    if header_index is None:
        problems = make_problems(
            [problem("problem.catalog_no_header", sheet=sheet, code_header=CATALOG_HEADERS["code"])]
        )
        return None, _no_changes(), problems
    # A department or a target saved as a formula without its value is an error, and no change.
    unsaved = find_uncalculated(sheet, grid, header_index)
    if unsaved:
        grid = grid.map(lambda value: "" if value is UNCALCULATED else value)
    positions = {}
    for position, cell in enumerate(grid.iloc[header_index]):
        field = headers.get(header_key(cell))
        if field and field not in positions:
            positions[field] = position
    body = grid.iloc[header_index + 1 :]
    codes = normalise_text(body.iloc[:, positions["code"]]).str.upper()
    body, codes = body[codes.ne("").to_numpy()], codes[codes.ne("").to_numpy()]
    period_default = catalog.period_for_year()
    periods = (
        body.iloc[:, positions["period"]].astype("str").str.strip().replace("", period_default)
        if "period" in positions
        else pd.Series(period_default, index=body.index)
    )
    current = catalog.indicators.assign(_key=normalise_text(catalog.indicators["code"]).str.upper())
    index = pd.MultiIndex.from_frame(current[["_key", "period"]])
    found = index.get_indexer(pd.MultiIndex.from_arrays([codes.to_numpy(), periods.to_numpy()]))
    problems = unsaved + [
        problem(
            "problem.catalog_unknown_indicator",
            sheet=sheet,
            row=r + 1,
            column=excel_column(positions["code"]),
            code=c,
            period=p,
        )
        for r, c, p in zip(body.index[found < 0], codes[found < 0], periods[found < 0], strict=True)
    ]
    revised = catalog.indicators.copy()
    rows_of = {}  # indicator position -> sheet row, to locate the catalog checks below
    changes = []
    known = found >= 0
    for field in [f for f in EDITABLE if f in positions]:
        raw = body.iloc[:, positions[field]][known]
        target_rows = found[known]
        letter = excel_column(positions[field])
        if field in NUMERIC:
            numbers = parse_numbers(raw)
            problems += [
                problem(
                    "problem.catalog_not_a_number",
                    sheet=sheet,
                    row=r + 1,
                    column=letter,
                    header=CATALOG_HEADERS[field],
                    value=str(v),
                )
                for r, v in zip(raw.index[numbers["bad"].to_numpy()], raw[numbers["bad"].to_numpy()], strict=True)
            ]
            usable = ~numbers["bad"].to_numpy() & ~numbers["blank"].to_numpy()
            new = numbers["value"].to_numpy()
        else:
            new = raw.astype("str").str.strip().to_numpy(dtype=object)
            usable = new != ""
        old = revised[field].to_numpy()[target_rows]
        differs = usable & np.array([not _same(a, b) for a, b in zip(old, new, strict=True)], dtype=bool)
        for position, value, row in zip(target_rows[differs], new[differs], raw.index[differs], strict=True):
            changes.append(
                {
                    "code": revised.at[position, "code"],
                    "period": revised.at[position, "period"],
                    "field": field,
                    "old": revised.at[position, field],
                    "new": value,
                    "sheet": sheet,
                    "row": row + 1,
                    "column": letter,
                }
            )
            revised.at[position, field] = int(value) if field in {"base_year", "target_year"} else value
            rows_of[position] = row + 1
    changes = pd.DataFrame(changes, columns=CHANGE_COLUMNS)
    if problems or changes.empty:
        return None, changes, make_problems(problems)
    new_catalog = replace(catalog, indicators=revised)
    located = _locate(check_catalog(new_catalog), rows_of, positions, sheet)
    return (None if len(located) else new_catalog), changes, concat_problems(make_problems(problems), located)


def _same(old, new) -> bool:
    """Tell whether a catalog value is unchanged (numbers compared as numbers)."""
    if isinstance(old, int | float | np.number) and isinstance(new, int | float | np.number):
        return bool(np.isclose(float(old), float(new), rtol=1e-12, atol=0))
    return str(old) == str(new)


def _locate(problems: pd.DataFrame, rows_of: dict[int, int], positions: dict[str, int], sheet: str) -> pd.DataFrame:
    """Return catalog-check problems placed on the sheet's rows and columns instead of the CSV's."""
    if problems.empty:
        return problems
    letters = {excel_column(i): name for i, name in enumerate(INDICATOR_COLUMNS)}
    out = problems.copy()
    field = out["column"].map(letters)
    out["sheet"] = sheet
    out["row"] = (out["row"] - 2).map(rows_of).astype("Int64")
    out["column"] = field.map(lambda f: excel_column(positions[f]) if f in positions else "")
    return out


def read_annual_targets_sheet(
    sheet: str, grid: pd.DataFrame, catalog: Catalog
) -> tuple[Catalog | None, pd.DataFrame, pd.DataFrame]:
    """Return the catalog with the sheet's annual targets (None when nothing changes), the changes, the problems.

    The long form has 指标编码, 规划期 (optional: the period holding the year), 年份 and 年度目标值; the wide
    form 指标编码 and one column per year (2027, 2027年). A blank cell changes nothing, nor does the value
    already in effect (the template's trajectory values read back); ANNUAL_TRAJECTORY_WORDS remove the
    admin's target, so that the year follows the trajectory again. Every problem is located in the sheet.
    """
    header_index, positions, year_columns = _find_annual_header(grid)
    if header_index is None or (not year_columns and not {"year", "target_value"} <= set(positions)):
        where = {"row": header_index + 1} if header_index is not None else {}
        problems = make_problems(
            [
                problem(
                    "problem.annual_no_header",
                    sheet=sheet,
                    **where,
                    code_header=ANNUAL_HEADERS["code"],
                    year_header=ANNUAL_HEADERS["year"],
                    value_header=ANNUAL_HEADERS["target_value"],
                )
            ]
        )
        return None, _no_changes(), problems
    # A target saved as a formula without its value is an error at its cell, and no change.
    unsaved = find_uncalculated(sheet, grid, header_index)
    if unsaved:
        grid = grid.map(lambda value: "" if value is UNCALCULATED else value)
    cells, problems = _annual_cells(sheet, grid, header_index, positions, year_columns, catalog)
    problems = unsaved + problems
    revised = catalog.annual_targets.reset_index(drop=True)
    keys = zip(revised["code"], revised["period"], revised["year"].astype("int64"), strict=True)
    stored = {key: i for i, key in enumerate(keys)}
    in_effect = {}
    changes, drop, added, located = [], set(), [], {}
    values = revised["target_value"].to_numpy(dtype="float64", copy=True)
    for cell in cells:
        key = (cell["code"], cell["period"], cell["year"])
        position = stored.get(key)
        old = np.nan if position is None or position in drop else values[position]
        if cell["remove"]:
            if np.isnan(old):
                continue
            drop.add(position)
            new = np.nan
        else:
            if cell["period"] not in in_effect:
                table = annual_target_table(catalog, cell["period"])
                in_effect[cell["period"]] = dict(
                    zip(zip(table["code"], table["year"], strict=True), table["target_value"], strict=True)
                )
            effect = in_effect[cell["period"]].get((cell["code"], cell["year"]), np.nan)
            new = cell["value"]
            if not np.isnan(effect) and np.isclose(new, effect, rtol=1e-12, atol=0):
                continue
            if position is None:
                position = len(values) + len(added)
                added.append(
                    {"code": cell["code"], "period": cell["period"], "year": cell["year"], "target_value": new}
                )
            else:
                values[position] = new
        located[position] = cell
        changes.append(
            {
                "code": cell["code"],
                "period": cell["period"],
                "field": f"{ANNUAL_FIELD}{cell['year']}",
                "old": old,
                "new": new,
                "sheet": sheet,
                "row": cell["row"],
                "column": cell["columns"]["target_value"],
            }
        )
    changes = pd.DataFrame(changes, columns=CHANGE_COLUMNS)
    if problems or changes.empty:
        return None, changes, make_problems(problems)
    table = pd.concat(
        [revised.assign(target_value=values), pd.DataFrame(added, columns=ANNUAL_TARGET_COLUMNS)], ignore_index=True
    )
    keep = ~table.index.isin(sorted(drop))
    order = np.flatnonzero(keep)
    table = table[keep].reset_index(drop=True).astype(catalog.annual_targets.dtypes.to_dict())
    new_catalog = replace(catalog, annual_targets=table)
    rows_of = {new: located[int(old)] for new, old in enumerate(order) if int(old) in located}
    found = _locate_annual(check_catalog(new_catalog), rows_of, sheet)
    return (None if len(found) else new_catalog), changes, found


def _find_annual_header(grid: pd.DataFrame) -> tuple[int | None, dict[str, int], dict[int, int]]:
    """Return the header row of a 年度目标 sheet, the position of each named column and of each year column."""
    names = {fold_text(n): field for field, options in ANNUAL_HEADER_NAMES.items() for n in options}
    for index in range(min(30, len(grid))):
        keys = [header_key(c) for c in grid.iloc[index]]
        if "code" not in {names.get(k) for k in keys}:
            continue
        positions, years = {}, {}
        for position, key in enumerate(keys):
            field = names.get(key)
            if field and field not in positions:
                positions[field] = position
            elif (match := YEAR_COLUMN.fullmatch(key)) and int(match.group(1)) not in years.values():
                years[position] = int(match.group(1))
        return index, positions, years
    return None, {}, {}


def _annual_cells(
    sheet: str,
    grid: pd.DataFrame,
    header_index: int,
    positions: dict[str, int],
    year_columns: dict[int, int],
    catalog: Catalog,
) -> tuple[list[dict], list[dict]]:
    """Return the sheet's filled-in annual targets (one dict per cell: code, period, year, value or removal, where)
    and the problems of the cells that cannot be one: unknown indicator, bad year, not a number, a repeat."""
    body = grid.iloc[header_index + 1 :]
    code_letter = excel_column(positions["code"])
    codes = normalise_text(body.iloc[:, positions["code"]]).str.upper()
    body, codes = body[codes.ne("").to_numpy()], codes[codes.ne("").to_numpy()]
    long = {"year", "target_value"} <= set(positions)
    entries = []  # (sheet row, code, period text, year or None, raw year, year letter, raw value, value letter)
    for index, code in zip(body.index, codes, strict=True):
        row = body.loc[index]
        period = str(row.iloc[positions["period"]]).strip() if "period" in positions else ""
        if long:
            raw_year = row.iloc[positions["year"]]
            match = YEAR_COLUMN.fullmatch(header_key(raw_year))
            letter = excel_column(positions["year"])
            value = row.iloc[positions["target_value"]]
            entries.append(
                (
                    index + 1,
                    code,
                    period,
                    int(match.group(1)) if match else None,
                    raw_year,
                    letter,
                    value,
                    excel_column(positions["target_value"]),
                )
            )
        else:
            entries += [
                (index + 1, code, period, year, year, excel_column(p), row.iloc[p], excel_column(p))
                for p, year in year_columns.items()
            ]
    raw = pd.Series([e[6] for e in entries], dtype="object")
    remove = normalise_text(raw).isin({fold_text(w) for w in ANNUAL_TRAJECTORY_WORDS}).to_numpy()
    numbers = parse_numbers(raw.where(~remove, ""))
    value = numbers["value"].to_numpy()
    shifted = numbers["percent_format"].to_numpy()
    if shifted.any():
        value[shifted] = shift_percent(value[shifted])
    periods = _period_codes(catalog)
    ind = catalog.indicators
    known = {
        (k, p): c for k, p, c in zip(normalise_text(ind["code"]).str.upper(), ind["period"], ind["code"], strict=True)
    }
    cells, problems, first = [], [], {}
    for i, (row, code, period_text, year, raw_year, year_letter, raw_value, letter) in enumerate(entries):
        if numbers["blank"].iat[i] and not remove[i]:
            continue
        if year is None:
            problems.append(
                problem(
                    "problem.annual_bad_year",
                    sheet=sheet,
                    row=row,
                    column=year_letter,
                    value=str(raw_year),
                    indicator=code,
                )
            )
            continue
        period = periods.get(fold_text(period_text), period_text) if period_text else catalog.period_for_year(year)
        if (code, period) not in known:
            problems.append(
                problem(
                    "problem.annual_unknown_indicator",
                    sheet=sheet,
                    row=row,
                    column=code_letter,
                    code=code,
                    period=period,
                )
            )
            continue
        if numbers["bad"].iat[i] and not remove[i]:
            problems.append(
                problem(
                    "problem.annual_not_a_number",
                    sheet=sheet,
                    row=row,
                    column=letter,
                    value=str(raw_value),
                    indicator=code,
                    year=year,
                    trajectory_word=ANNUAL_TRAJECTORY_WORDS[0],
                )
            )
            continue
        if (code, period, year) in first:
            problems.append(
                problem(
                    "problem.annual_duplicate",
                    sheet=sheet,
                    row=row,
                    column=letter,
                    indicator=code,
                    year=year,
                    first_row=first[(code, period, year)],
                )
            )
            continue
        first[(code, period, year)] = row
        cells.append(
            {
                "code": known[(code, period)],
                "period": period,
                "year": year,
                "value": float(value[i]),
                "remove": bool(remove[i]),
                "row": row,
                "columns": {"code": code_letter, "year": year_letter, "target_value": letter},
            }
        )
    return cells, problems


def _period_codes(catalog: Catalog) -> dict[str, str]:
    """Return each period's code by its code, Chinese and English names, folded (十五五 -> P15)."""
    out = {}
    for field in ("name_en", "name_zh", "code"):
        out |= {fold_text(str(v)): c for v, c in zip(catalog.periods[field], catalog.periods["code"], strict=True)}
    return out


def _locate_annual(problems: pd.DataFrame, cells: dict[int, dict], sheet: str) -> pd.DataFrame:
    """Return catalog-check problems of the annual targets placed on the sheet's cells instead of the CSV's."""
    if problems.empty:
        return problems
    mine = problems["sheet"].eq(FILES["annual_targets"]).to_numpy()
    letters = {excel_column(i): name for i, name in enumerate(ANNUAL_TARGET_COLUMNS)}
    out = problems.copy()
    rows = (out["row"] - 2).map(lambda r: cells.get(int(r)) if pd.notna(r) else None)
    placed = np.array([mine[i] and cell is not None for i, cell in enumerate(rows)], dtype=bool)
    out.loc[placed, "sheet"] = sheet
    out.loc[placed, "row"] = [cell["row"] for cell in rows[placed]]
    out.loc[placed, "column"] = [
        cell["columns"].get(letters.get(column), cell["columns"]["target_value"])
        for cell, column in zip(rows[placed], out.loc[placed, "column"], strict=True)
    ]
    return out


def _no_changes() -> pd.DataFrame:
    """Return a changes frame with no rows."""
    return pd.DataFrame(columns=CHANGE_COLUMNS)
