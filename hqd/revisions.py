"""Catalog revisions: an uploaded 指标目录 sheet changes baselines, targets, weights, departments."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from hqd.catalog import INDICATOR_COLUMNS, Catalog, check_catalog
from hqd.intake import find_uncalculated, header_key, normalise_text, parse_numbers
from hqd.problems import concat_problems, excel_column, make_problems, problem
from hqd.text import fold_text
from hqd.workbook import CATALOG_HEADERS, UNCALCULATED

# What a catalog upload may change; codes, names, units and directions stay as the admin set them.
EDITABLE = ["base_year", "base_value", "target_year", "target_value", "weight", "department"]
NUMERIC = {"base_year", "base_value", "target_year", "target_value", "weight"}
CHANGE_COLUMNS = ["code", "period", "field", "old", "new", "sheet", "row", "column"]


def compare_catalogs(old: Catalog, new: Catalog) -> pd.DataFrame:
    """Return one row per indicator field whose value differs between two catalog versions."""
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
    out = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=CHANGE_COLUMNS[:5])
    return out.sort_values(["code", "field"], kind="stable").reset_index(drop=True)


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


def _no_changes() -> pd.DataFrame:
    """Return a changes frame with no rows."""
    return pd.DataFrame(columns=CHANGE_COLUMNS)
