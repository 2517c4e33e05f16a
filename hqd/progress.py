"""Progress of each indicator against its plan: completion, trajectory, pace, status, projection.

The method is docs/METHOD.md. Everything is computed on an indicators × years
matrix with numpy, so a million (indicator, year) cells cost a handful of array operations.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from hqd.catalog import INDICATOR_COLUMNS
from hqd.settings import THRESHOLDS, Thresholds

# Ratios are compared after rounding so that 0.57 / 0.60 counts as 0.95, as a person computes it.
DECIMALS = 9

# The catalog fields carried into each result row (the period is implied by the targets given).
TARGET_COLUMNS = [c for c in INDICATOR_COLUMNS if c != "period"]
RESULT_COLUMNS = [
    "year",
    "value",
    "fraction",
    "expected_value",
    "completion",
    "attainment",
    "expected",
    "pace",
    "score",
    "expected_score",
    "status",
    "points",
    "latest_year",
    "latest_value",
    "projected_value",
    "projected_completion",
    "projection",
    "confidence",
    "needed_change",
    "needed_growth",
]
COLUMNS = TARGET_COLUMNS + RESULT_COLUMNS


def annual_figures(observations: pd.DataFrame) -> pd.DataFrame:
    """Return the figures of whole years: month 12, the December year-to-date total or year-end level.

    The annual method judges a year by its year's figure; a month's figure within the year is
    judged by the in-year method (hqd/inyear.py), never here.
    """
    if "month" not in observations:
        return observations
    return observations[observations["month"].to_numpy() == 12]


def resolve_baselines(targets: pd.DataFrame, observations: pd.DataFrame) -> pd.DataFrame:
    """Return the targets with each blank baseline set to the indicator's actual of its baseline year.

    A period may leave a baseline to the previous period's final actual (十五五's 2025 baseline is
    十四五's 2025 result): it is read from the year's figure (month 12) when there is one, else left
    blank, and the indicator is then judged without a baseline (no completion).
    """
    blank = targets["base_value"].isna()
    if not blank.any():
        return targets
    actual = annual_figures(observations).drop_duplicates(["indicator", "year"], keep="last")
    found = pd.Series(actual["value"].to_numpy(), index=pd.MultiIndex.from_frame(actual[["indicator", "year"]]))
    wanted = pd.MultiIndex.from_arrays([targets["code"], targets["base_year"].astype("int64")])
    return targets.assign(
        base_value=targets["base_value"].fillna(pd.Series(found.reindex(wanted).to_numpy(), index=targets.index))
    )


def share_closed(actual: np.ndarray, base: np.ndarray, target: np.ndarray, lower_is_better: np.ndarray) -> np.ndarray:
    """Return the share of the baseline-to-target gap closed by `actual` (T = B: 1 if there, else 0)."""
    gap = target - base
    flat = gap == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        share = (actual - base) / np.where(flat, 1.0, gap)
    reached = np.where(lower_is_better, actual <= target, actual >= target).astype("float64")
    return np.where(np.isnan(actual), np.nan, np.where(flat, reached, share))


def attainment(actual: np.ndarray, target: np.ndarray, lower_is_better: np.ndarray) -> np.ndarray:
    """Return the 完成率 the office quotes: actual ÷ target (target ÷ actual where lower is better).

    A zero divisor has no ratio (NaN), except that zero over zero is the target met exactly (1).
    """
    top, bottom = np.where(lower_is_better, target, actual), np.where(lower_is_better, actual, target)
    # Overflow: a value near the float limit over a tiny target is an infinite ratio, not an error.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratio = top / np.where(bottom == 0, 1.0, bottom)
    ratio = np.where(bottom == 0, np.where(top == 0, 1.0, np.nan), ratio)
    return np.where(np.isnan(actual), np.nan, ratio)


def _classify_pace(completion, expected, pace, final, thresholds: Thresholds) -> np.ndarray:
    """Return the status of each cell from completion, expected completion and pace.

    In the target year (`final`) a target is met or missed: no schedule is left to be on or behind.
    """
    pace = np.round(pace, DECIMALS)
    return np.select(
        [
            np.isnan(completion),
            np.round(completion, DECIMALS) >= 1,
            final,
            completion < 0,
            (expected == 0) | (pace >= thresholds.on_track),
            pace >= thresholds.at_risk,
        ],
        ["no_data", "achieved", "missed", "regressing", "on_track", "at_risk"],
        default="lagging",
    )


def trajectory(targets: pd.DataFrame, years: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return, for each indicator (rows) and year asked (columns), the share of its plan's time elapsed and the value
    its trajectory reaches: a straight line from baseline to target, or compound growth where the catalog says so
    and both are positive."""
    base = targets["base_value"].to_numpy(dtype="float64")[:, None]
    target = targets["target_value"].to_numpy(dtype="float64")[:, None]
    y0 = targets["base_year"].to_numpy(dtype="float64")[:, None]
    y1 = targets["target_year"].to_numpy(dtype="float64")[:, None]
    milestone = (targets["direction"] == "milestone").to_numpy()[:, None]
    compound = (targets["trajectory"] == "compound").to_numpy()[:, None] & (base > 0) & (target > 0)
    year = np.asarray(years, dtype="float64")[None, :]
    fraction = np.clip((year - y0) / (y1 - y0), 0.0, 1.0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratio = np.where(compound, target / np.where(compound, base, 1.0), 1.0)
        expected_value = np.where(compound, base * ratio**fraction, base + (target - base) * fraction)
        # A milestone is due stage by stage, never a fraction of one: the stage the trajectory has
        # reached (the tolerance keeps 2.9999999… at stage 3).
        expected_value = np.where(milestone, np.floor(expected_value + 1e-9), expected_value)
    return fraction, expected_value


def compute_progress(
    targets: pd.DataFrame,
    observations: pd.DataFrame,
    years: Iterable[int],
    thresholds: Thresholds = THRESHOLDS,
) -> pd.DataFrame:
    """Return one row per indicator and year: the method's fields for each year asked.

    `targets` holds one period's indicators (Catalog.targets); `observations` the current
    values (indicator, year, value, and month where figures within a year are held: only
    month 12 counts here), at most one per indicator and year.
    """
    years = np.array(sorted({int(y) for y in years}), dtype="int64")
    targets = resolve_baselines(targets.reset_index(drop=True), observations)
    observations = annual_figures(observations)
    n = len(targets)
    first_year = int(min(years.min(), targets["base_year"].min())) if n else int(years.min())
    span = np.arange(first_year, years.max() + 1)

    # Actuals as a matrix: one row per indicator, one column per year of the span.
    actual = np.full((n, len(span)), np.nan)
    row = pd.Index(targets["code"]).get_indexer(observations["indicator"])
    col = observations["year"].to_numpy(dtype="int64") - first_year
    keep = (row >= 0) & (col >= 0) & (col < len(span))
    actual[row[keep], col[keep]] = observations["value"].to_numpy(dtype="float64")[keep]

    def column(name: str, dtype: str = "float64") -> np.ndarray:
        return targets[name].to_numpy(dtype=dtype)[:, None]

    base, target = column("base_value"), column("target_value")
    y0, y1 = column("base_year"), column("target_year")
    down = (targets["direction"] == "down").to_numpy()[:, None]
    year = span[None, :].astype("float64")
    fraction, expected_value = trajectory(targets, span)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        gap = target - base
        # A flat target (T = B, hold the level) is due in full every year after the baseline: the
        # time elapsed in its place let a held level score 100 against 40 expected and inflated
        # the pace of its task and programme.
        expected = np.where(
            gap == 0, (fraction > 0).astype("float64"), (expected_value - base) / np.where(gap == 0, 1.0, gap)
        )
        completion = share_closed(actual, base, target, down)
        pace = np.where(expected > 0, completion / np.where(expected > 0, expected, 1.0), np.nan)
    status = _classify_pace(completion, expected, pace, np.broadcast_to(year >= y1, completion.shape), thresholds)

    # Projection from the actuals between the baseline year and each year t (running sums).
    seen = ~np.isnan(actual) & (year >= y0)
    x = np.where(seen, year - y0, 0.0)
    a = np.where(seen, actual, 0.0)
    points = np.cumsum(seen, axis=1)
    sx, sy = np.cumsum(x, axis=1), np.cumsum(a, axis=1)
    sxx, sxy = np.cumsum(x * x, axis=1), np.cumsum(x * a, axis=1)
    index = np.arange(len(span))[None, :]
    latest = np.maximum.accumulate(np.where(seen, index, -1), axis=1)
    first = np.where(seen.any(axis=1, keepdims=True), np.argmax(seen, axis=1)[:, None], -1)
    rows = np.arange(n)[:, None]
    latest_value = np.where(latest >= 0, actual[rows, np.maximum(latest, 0)], np.nan)
    latest_year = np.where(latest >= 0, span[np.maximum(latest, 0)], np.nan)
    first_value = np.where(first >= 0, actual[rows, np.maximum(first, 0)], np.nan)
    first_year_seen = np.where(first >= 0, span[np.maximum(first, 0)], np.nan)
    horizon = y1 - y0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        denominator = points * sxx - sx * sx
        slope = (points * sxy - sx * sy) / denominator
        intercept = (sy - slope * sx) / points
        linear = intercept + slope * horizon
        growth = (latest_value / first_value) ** (1.0 / (latest_year - first_year_seen))
        # The projection follows the indicator's shape whatever its baseline: only the actuals matter.
        grows = (targets["trajectory"] == "compound").to_numpy()[:, None] & (first_value > 0) & (latest_value > 0)
        projected = np.where(grows, latest_value * growth ** (y1 - latest_year), linear)
        projectable = (points >= 2) & (year < y1)
        projected = np.where(projectable, projected, np.nan)
        projected_completion = share_closed(projected, base, target, down)
        open_years = np.where(year < y1, y1 - year, np.nan)
        needed_change = (target - latest_value) / open_years
        # Masked on open years explicitly: 1.0 ** nan is 1.0, which would claim "no growth needed".
        needed_growth = np.where(
            (latest_value > 0) & (target > 0) & (year < y1), (target / latest_value) ** (1.0 / open_years) - 1, np.nan
        )
    projected_completion = np.round(projected_completion, DECIMALS)
    projection = np.select(
        [
            np.isnan(projected_completion),
            projected_completion >= thresholds.likely,
            projected_completion >= thresholds.near_miss,
        ],
        ["", "likely", "near_miss"],
        default="off_track",
    )
    confidence = np.where(
        np.isnan(projected_completion), "", np.where(points < thresholds.confident_points, "low", "normal")
    )

    cells = {
        "value": actual,
        "fraction": fraction,
        "expected_value": expected_value,
        "completion": completion,
        "attainment": attainment(actual, target, down),
        "expected": expected,
        "pace": pace,
        "score": 100 * np.clip(completion, 0, 1),
        "expected_score": 100 * np.clip(expected, 0, 1),
        "status": status,
        "points": points,
        "latest_year": latest_year,
        "latest_value": latest_value,
        "projected_value": projected,
        "projected_completion": projected_completion,
        "projection": projection,
        "confidence": confidence,
        "needed_change": needed_change,
        "needed_growth": needed_growth,
    }
    wanted = years - first_year
    out = targets.reindex(columns=TARGET_COLUMNS).take(np.repeat(np.arange(n), len(years)))
    # The results as one frame beside the targets: a column set at a time costs pandas a block insert each.
    results = pd.DataFrame(
        {
            "year": np.tile(years, n),
            **{name: np.broadcast_to(matrix, (n, len(span)))[:, wanted].ravel() for name, matrix in cells.items()},
        }
    )
    types = {"points": "int64", "latest_year": "Int64", "status": "str", "projection": "str", "confidence": "str"}
    return pd.concat([out.reset_index(drop=True), results.astype(types)], axis=1)[COLUMNS]
