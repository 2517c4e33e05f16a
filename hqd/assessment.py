"""Final assessment of a plan period (终期评估): in its target year each indicator met its target or not.

The figures are the Report's of the target year (hqd.rollup.compute_report with the period); this module
only sorts them into met, not met and no data, and counts them up the levels. The rule is docs/METHOD.md,
"Final assessment".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from hqd.catalog import Catalog
from hqd.rollup import Report

# The outcome of an indicator in its target year, in display order.
OUTCOMES = ("met", "not_met", "no_data")
ASSESSED_COLUMNS = [
    "code",
    "programme",
    "task",
    "name_zh",
    "name_en",
    "unit",
    "direction",
    "weight",
    "department",
    "base_value",
    "target_value",
    "value",
    "attainment",
    "completion",
    "outcome",
    "met",
    "gap",
]
COUNT_COLUMNS = ["indicators", "met", "not_met", "no_data", "share_met"]


@dataclass(frozen=True)
class Assessment:
    """A period's final assessment: one row per indicator, task and programme, and one for the whole plan."""

    period: str
    target_year: int
    indicators: pd.DataFrame
    tasks: pd.DataFrame
    programmes: pd.DataFrame
    overall: pd.DataFrame


def latest_ended_period(catalog: Catalog, observations: pd.DataFrame) -> str | None:
    """Return the latest period whose target year is no later than the latest year with data, or None."""
    years = observations["year"][observations["value"].notna()]
    if years.empty:
        return None
    ended = catalog.periods[catalog.periods["target_year"] <= int(years.max())]
    return None if ended.empty else str(ended.sort_values("target_year")["code"].iloc[-1])


def shortfall(value: pd.Series, target: pd.Series, direction: pd.Series) -> pd.Series:
    """Return how far a value falls short of its target in the indicator's unit: positive when short, both ways.

    Higher is better for `up` and milestone indicators (target − value), lower for `down` (value − target).
    """
    gap = np.where(direction.eq("down"), value - target, target - value)
    return pd.Series(gap, index=value.index, dtype="float64")


def count_outcomes(indicators: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Return per group of `keys` the indicators, how many met, did not and have no data, and the weighted share met.

    The share met is the indicators' catalog weight met over the weight of all of them, those without data
    included: an unreported target counts as not reached.
    """
    weight = indicators["weight"].astype("float64")
    parts = indicators[keys].assign(
        _one=1,
        _met=indicators["outcome"].eq("met").astype("int64"),
        _not=indicators["outcome"].eq("not_met").astype("int64"),
        _none=indicators["outcome"].eq("no_data").astype("int64"),
        _w=weight,
        _wmet=weight * indicators["met"],
    )
    if not keys:
        parts = parts.assign(_all=0)
    sums = parts.groupby(keys or ["_all"], sort=False).sum(numeric_only=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(sums["_w"] > 0, sums["_wmet"] / sums["_w"].where(sums["_w"] > 0, 1.0), np.nan)
    out = pd.DataFrame(
        {
            "indicators": sums["_one"].astype("int64"),
            "met": sums["_met"].astype("int64"),
            "not_met": sums["_not"].astype("int64"),
            "no_data": sums["_none"].astype("int64"),
            "share_met": share,
        },
        index=sums.index,
    )
    return out.reset_index(drop=not keys)


def assess_period(report: Report, catalog: Catalog, period: str) -> Assessment:
    """Return the final assessment of a period from its Report (compute_report with period=...).

    An indicator is met when its completion in the target year is at least 1 (status `achieved`); without
    a target-year value it has no data, neither met nor not met.
    """
    target_year = int(catalog.periods.set_index("code").loc[period, "target_year"])
    final = report.indicators[report.indicators["year"] == target_year]
    has_value = final["value"].notna()
    outcome = np.where(~has_value, "no_data", np.where(final["status"].eq("achieved"), "met", "not_met"))
    gap = shortfall(final["value"], final["target_value"], final["direction"])
    indicators = final.assign(
        outcome=outcome.astype("str"),
        met=final["status"].eq("achieved") & has_value,
        gap=gap.where(has_value),
    )[ASSESSED_COLUMNS].reset_index(drop=True)
    # In catalog order; a task or programme with no indicator in the period is left out.
    tasks = catalog.tasks[["code", "programme"]].rename(columns={"code": "task"})
    tasks = tasks.merge(count_outcomes(indicators, ["task"]), on="task", how="inner")
    programmes = catalog.programmes[["code"]].rename(columns={"code": "programme"})
    programmes = programmes.merge(count_outcomes(indicators, ["programme"]), on="programme", how="inner")
    return Assessment(
        period=period,
        target_year=target_year,
        indicators=indicators,
        tasks=tasks.reset_index(drop=True),
        programmes=programmes.reset_index(drop=True),
        overall=count_outcomes(indicators, []),
    )
