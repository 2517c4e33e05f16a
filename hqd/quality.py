"""Data quality: who still owes figures, values that never move, jumps, indicators without targets."""

from __future__ import annotations

import numpy as np
import pandas as pd

from hqd.catalog import Catalog
from hqd.progress import annual_figures
from hqd.settings import JUMP_RATIO, STALE_YEARS


def reporting_progress(rows: pd.DataFrame) -> pd.DataFrame:
    """Return, per responsible department, how many of its indicators have a value (填报进度).

    `rows` are one year's progress rows; departments owing most come first.
    """
    reported = rows["status"].ne("no_data")
    frame = rows.assign(reported=reported, missing_code=rows["code"].where(~reported))
    out = frame.groupby("department", sort=False).agg(
        indicators=("code", "size"),
        reported=("reported", "sum"),
        missing=("missing_code", lambda codes: "、".join(codes.dropna())),
    )
    out["share"] = out["reported"] / out["indicators"]
    return out.reset_index().sort_values(["share", "department"], kind="stable").reset_index(drop=True)


def missing_values(rows: pd.DataFrame) -> pd.DataFrame:
    """Return one year's indicators with no value, grouped by department."""
    return rows[rows["status"] == "no_data"].sort_values(["department", "code"], kind="stable").reset_index(drop=True)


def stale_values(observations: pd.DataFrame, years: int = STALE_YEARS) -> pd.DataFrame:
    """Return runs of the same value in `years` or more consecutive years (indicator, first, last, value)."""
    frame = annual_figures(observations).sort_values(["indicator", "year"])[["indicator", "year", "value"]]
    same_as_before = (
        frame["indicator"].eq(frame["indicator"].shift())
        & frame["year"].eq(frame["year"].shift() + 1)
        & np.isclose(frame["value"], frame["value"].shift(), rtol=1e-12, atol=0)
    )
    runs = frame.assign(run=(~same_as_before).cumsum())
    spans = runs.groupby("run").agg(
        indicator=("indicator", "first"),
        first=("year", "min"),
        last=("year", "max"),
        value=("value", "first"),
        years=("year", "size"),
    )
    return spans[spans["years"] >= years].reset_index(drop=True)


def find_jumps(observations: pd.DataFrame, ratio: float = JUMP_RATIO) -> pd.DataFrame:
    """Return values more than `ratio` times (or under 1/ratio of) the same period's the year before."""
    key = ["indicator", "year", "month"] if "month" in observations else ["indicator", "year"]
    frame = observations[[*key, "value"]]
    before = frame.assign(year=frame["year"] + 1).rename(columns={"value": "previous"})
    pairs = frame.merge(before, on=key)
    change = pairs["value"] / pairs["previous"]
    jumped = is_jump(pairs["value"], pairs["previous"], ratio)
    return pairs[jumped].assign(ratio=change[jumped]).sort_values(["indicator", "year"]).reset_index(drop=True)


def is_jump(value, previous, ratio: float = JUMP_RATIO):
    """Return whether each value is more than `ratio` times (or under 1/ratio of) the previous; never where either
    is missing, zero or negative."""
    change = value / previous
    return (previous > 0) & (value > 0) & ((change > ratio) | (change < 1 / ratio))


def missing_targets(catalog: Catalog, period: str) -> pd.DataFrame:
    """Return the indicators of the catalog with no baseline or target for the period."""
    everyone = catalog.indicators.drop_duplicates("code")[["code", "name_zh", "name_en", "department", "programme"]]
    targets = catalog.indicators[catalog.indicators["period"] == period]
    complete = targets.dropna(subset=["base_value", "target_value"])["code"]
    return everyone[~everyone["code"].isin(complete)].reset_index(drop=True)
