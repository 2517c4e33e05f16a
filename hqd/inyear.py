"""Progress within a year against 序时进度 ("时间过半、任务过半"), per indicator and rolled up.

At the end of month m of a year, each indicator's latest figure is judged against the share of
its annual target due by then; the gap in percentage points gives its in-year status. The method
is docs/METHOD.md, section 7. Everything is computed on indicators × months arrays with numpy.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from hqd.catalog import Catalog
from hqd.explore import is_in
from hqd.progress import DECIMALS, attainment, resolve_baselines, share_closed, trajectory
from hqd.rollup import Report, apply_reviews, count_tasks_only, with_key_tasks
from hqd.settings import THRESHOLDS, Thresholds, seasonal_pace

# The catalog fields carried into each row: what a view needs to name, group and weigh an indicator.
TARGET_COLUMNS = [
    "code",
    "period",
    "programme",
    "task",
    "name_zh",
    "name_en",
    "unit",
    "direction",
    "department",
    "weight",
    "frequency",
    "value_kind",
]
RESULT_COLUMNS = [
    "year",
    "month",
    "as_of_month",
    "value",
    "annual_target",
    "base",
    "start_value",
    "expected_value",
    "expected_completion",
    "completion",
    "attainment",
    "gap_points",
    "yoy",
    "status",
]
COLUMNS = TARGET_COLUMNS + RESULT_COLUMNS
PARENT_COLUMNS = [
    "year",
    "month",
    "score",
    "expected_score",
    "gap_points",
    "status",
    "weight_with_data",
    "children",
    "children_with_data",
]
MONTHS = np.arange(1, 13)
# The months a figure of each reporting frequency is due for: the last month of its period.
DUE_MONTHS = {"month": tuple(range(1, 13)), "quarter": (3, 6, 9, 12), "year": (12,)}
# A stage is whole: 2.9999999… from the arithmetic is stage 3 (the tolerance of hqd.progress).
STAGE_TOLERANCE = 1e-9


def classify_gap(gap_points: np.ndarray, thresholds: Thresholds = THRESHOLDS) -> np.ndarray:
    """Return the in-year status of each gap to expected progress, in percentage points (NaN: no_data)."""
    gap = np.round(gap_points, DECIMALS)
    return np.select(
        [np.isnan(gap), gap >= -thresholds.in_year_on_pace_points, gap >= -thresholds.in_year_behind_points],
        ["no_data", "on_track", "at_risk"],
        default="lagging",
    ).astype("str")


def _months_fitting(frequency: np.ndarray) -> np.ndarray:
    """Return an indicators × 12 mask of the months a figure of each frequency may end (unknown: any)."""
    masks = np.array([np.isin(MONTHS, months) for months in DUE_MONTHS.values()] + [np.ones(12, dtype=bool)])
    kinds = pd.Index(list(DUE_MONTHS)).get_indexer(frequency)
    return masks[np.where(kinds >= 0, kinds, len(DUE_MONTHS))]


# Where an indicator's target for a year comes from (annual_target_table's `source`; labels.ANNUAL_TARGET_SOURCES).
ADMIN, TRAJECTORY = "annual_target", "trajectory"
ANNUAL_TABLE_COLUMNS = ["code", "year", "target_value", "source"]


def _trajectory(targets: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """Return each indicator's value on its trajectory in each year (code, year, value): the default annual target."""
    years = np.asarray(years, dtype="int64")
    _, values = trajectory(targets, years)
    return pd.DataFrame(
        {
            "code": np.repeat(targets["code"].to_numpy(dtype="object"), len(years)),
            "year": np.tile(years, len(targets)),
            "value": values.ravel(),
        }
    ).astype({"code": "str"})


def _annual_targets(targets: pd.DataFrame, year: int, annual_targets: pd.DataFrame | None) -> np.ndarray:
    """Return each indicator's target for the year: the admin's where set, else its trajectory value."""
    annual = trajectory(targets, np.array([year]))[1][:, 0]
    if annual_targets is None or annual_targets.empty:
        return annual
    chosen = annual_targets[annual_targets["year"].astype("int64") == year].drop_duplicates("code", keep="last")
    override = pd.Series(chosen["target_value"].to_numpy(dtype="float64"), index=chosen["code"].to_numpy())
    override = override.reindex(targets["code"]).to_numpy(dtype="float64")
    return np.where(np.isnan(override), annual, override)


def annual_target_table(catalog: Catalog, period: str | None = None) -> pd.DataFrame:
    """Return the annual target in effect per indicator and year of a period, and where it comes from.

    One row per indicator of the period (catalog order) and year after its baseline year up to its
    target year: code, year, target_value, source — ADMIN where an admin set one (年度目标), else
    TRAJECTORY, the value on the indicator's trajectory (规划轨迹), as compute_in_year takes them.
    """
    period = period or catalog.period_for_year()
    targets = catalog.targets(period)
    table = _trajectory(targets, catalog.years(period))
    span = targets.set_index("code")[["base_year", "target_year"]].reindex(table["code"])
    inside = (table["year"].to_numpy() > span["base_year"].to_numpy()) & (
        table["year"].to_numpy() <= span["target_year"].to_numpy()
    )
    table = table[inside].reset_index(drop=True)
    annual = catalog.annual_targets
    chosen = annual[annual["period"] == period].drop_duplicates(["code", "year"], keep="last")
    index = pd.MultiIndex.from_frame(chosen[["code", "year"]].astype({"year": "int64"}))
    found = index.get_indexer(pd.MultiIndex.from_frame(table[["code", "year"]]))
    admin = found >= 0
    chosen_values = np.append(chosen["target_value"].to_numpy(dtype="float64"), np.nan)
    value = np.where(admin, chosen_values[found], table["value"].to_numpy(dtype="float64"))
    return pd.DataFrame(
        {
            "code": table["code"].to_numpy(dtype="object"),
            "year": table["year"].to_numpy(dtype="int64"),
            "target_value": value.astype("float64"),
            "source": np.where(admin, ADMIN, TRAJECTORY).astype("object"),
        },
        columns=ANNUAL_TABLE_COLUMNS,
    )


def compute_in_year(
    targets: pd.DataFrame,
    observations: pd.DataFrame,
    year: int,
    months: int | Iterable[int],
    annual_targets: pd.DataFrame | None = None,
    seasonal: bool = False,
    thresholds: Thresholds = THRESHOLDS,
) -> pd.DataFrame:
    """Return one row per indicator and month asked: its figure against expected progress to date.

    `targets` holds one period's indicators (Catalog.targets) with their `frequency` and
    `value_kind`; `observations` the current values (indicator, year, month, value) of any years;
    `annual_targets` optional admin-set targets (code, year, target_value); `seasonal` spreads a
    year-to-date target by last year's months instead of evenly.
    """
    months = np.array(sorted({int(m) for m in ([months] if np.isscalar(months) else months)}), dtype="int64")
    if len(months) == 0 or months.min() < 1 or months.max() > 12:
        raise ValueError(f"months outside 1..12: {months.tolist()}")
    targets = resolve_baselines(targets.reset_index(drop=True), observations)
    n = len(targets)

    # Figures of this year and the year before as indicators × 2 × 12, the months a frequency cannot end
    # left out (a quarterly indicator has no October figure to judge).
    grid = np.full((n, 2, 12), np.nan)
    years = observations["year"].to_numpy(dtype="int64") - (year - 1)
    month = observations["month"].to_numpy(dtype="int64")
    # The two years' figures first, by numbers: looking every code up would cost a period's six years of them.
    near = np.flatnonzero((years >= 0) & (years <= 1) & (month >= 1) & (month <= 12))
    row = pd.Index(targets["code"]).get_indexer(observations["indicator"].take(near))
    keep = near[row >= 0]
    grid[row[row >= 0], years[keep], month[keep] - 1] = observations["value"].to_numpy(dtype="float64")[keep]
    fits = _months_fitting(targets["frequency"].to_numpy(dtype="str"))
    last, this = np.where(fits, grid[:, 0], np.nan), np.where(fits, grid[:, 1], np.nan)

    # For each month asked: the latest month reported by then (0: none), and the latest the frequency
    # makes due (what an indicator without a figure is measured at).
    reported = np.maximum.accumulate(np.where(np.isnan(this), 0, MONTHS), axis=1)[:, months - 1]
    due = np.maximum.accumulate(np.where(fits, MONTHS, 0), axis=1)[:, months - 1]
    judged = np.where(reported > 0, reported, due)
    rows = np.arange(n)[:, None]
    value = np.where(reported > 0, this[rows, np.maximum(reported - 1, 0)], np.nan)
    last_same = np.where(judged > 0, last[rows, np.maximum(judged - 1, 0)], np.nan)

    def column(name: str) -> np.ndarray:
        return targets[name].to_numpy(dtype="float64")[:, None]

    kind = targets["value_kind"].to_numpy(dtype="str")[:, None]
    cumulative, milestone = kind == "cumulative", kind == "milestone"
    down = (targets["direction"] == "down").to_numpy()[:, None]
    target = _annual_targets(targets, year, annual_targets)[:, None]
    december = last[:, 11:12]
    base_value, base_year = column("base_value"), column("base_year")

    # Where the year starts from. A year-to-date total starts from 0 each January. A level starts from
    # last December's actual; without it, from the straight line from the period's baseline to this
    # year's target, read at last December (the baseline itself in the period's first year).
    behind_years, span = np.maximum(year - 1 - base_year, 0), np.maximum(year - base_year, 1)
    start = np.where(np.isnan(december), base_value + (target - base_value) * behind_years / span, december)
    start = np.where(milestone, np.floor(start + STAGE_TOLERANCE), start)
    start = np.where(cumulative, 0.0, start)

    with np.errstate(divide="ignore", invalid="ignore"):
        elapsed = judged / 12
        if seasonal:
            # Last year's share of its December total reached by the same month (the Spring Festival
            # months), where last year has both figures and a positive total.
            shaped = cumulative & (december > 0) & (last_same >= 0)
            elapsed = np.where(shaped, np.minimum(last_same / np.where(shaped, december, 1.0), 1.0), elapsed)
        level = start + (target - start) * judged / 12
        # A milestone is due stage by stage: the whole stage reached by the month, never a fraction.
        level = np.where(milestone, np.floor(level + STAGE_TOLERANCE), level)
        expected_value = np.where(cumulative, target * elapsed, level)
        # A year-to-date total is measured against the annual target; a level by the share of this year's
        # way from where it started to the target that it has gone (a stock unmoved since December is at 0,
        # not at A ÷ T ≈ 95 %).
        # A level that starts the year at or beyond its target has only to hold it: due in full from
        # January, done while it holds (as a flat target, section 1); share_closed would read any move
        # between start and target backwards.
        hold = ~cumulative & np.where(down, start <= target, start >= target)
        reached = np.where(down, value <= target, value >= target)
        held = np.where(np.isnan(value), np.nan, reached.astype("float64"))
        completion = np.where(
            cumulative,
            attainment(value, target, down),
            np.where(hold, held, share_closed(value, start, target, down)),
        )
        expected = np.where(
            cumulative,
            attainment(expected_value, target, down),
            np.where(hold, 1.0, share_closed(expected_value, start, target, down)),
        )
        gap_points = 100 * (completion - expected)
        growth = (kind == "cumulative") | (kind == "stock")
        yoy = np.where(growth & (last_same > 0), value / np.where(last_same > 0, last_same, 1.0) - 1, np.nan)

    def flat(matrix: np.ndarray) -> np.ndarray:
        return np.broadcast_to(matrix, (n, len(months))).ravel()

    # One frame built at once: a column set at a time costs pandas a block insert each.
    out = targets.reindex(columns=TARGET_COLUMNS).take(np.repeat(np.arange(n), len(months))).reset_index(drop=True)
    cells = pd.DataFrame(
        {
            "year": np.full(n * len(months), year, dtype="int64"),
            "month": np.tile(months, n),
            "as_of_month": pd.array(flat(reported), dtype="Int64"),
            "value": flat(value),
            "annual_target": flat(target),
            "base": flat(december),
            "start_value": flat(start),
            "expected_value": flat(expected_value),
            "expected_completion": flat(expected),
            "completion": flat(completion),
            "attainment": flat(attainment(value, target, down)),
            "gap_points": flat(gap_points),
            "yoy": flat(yoy),
            "status": classify_gap(flat(gap_points), thresholds),
        }
    )
    cells["as_of_month"] = cells["as_of_month"].where(cells["as_of_month"] > 0)
    return pd.concat([out, cells], axis=1)[COLUMNS]


def _roll(children: pd.DataFrame, parent: str, order: pd.Index, thresholds: Thresholds) -> pd.DataFrame:
    """Return one row per parent, year and month: the weighted means of the children with data.

    `children` has the parent key, year, month, weight, score and expected_score (NaN without data).
    Parents come in `order` (the catalog's), any not in it after; then by year and month.
    """
    # The parents by position, from the few distinct keys: comparing 300,000 texts with np.isin took a second.
    codes, keys = pd.factorize(children[parent].astype("str"), use_na_sentinel=False)
    known = order.get_indexer(keys)
    names = order.append(pd.Index(keys[known < 0]))
    position = np.where(known >= 0, known, len(order) + np.cumsum(known < 0) - 1)
    moments, moment = np.unique(children["year"].to_numpy() * 100 + children["month"].to_numpy(), return_inverse=True)
    group = position[codes] * len(moments) + moment
    size = len(names) * len(moments)
    weight = children["weight"].to_numpy(dtype="float64")
    score = children["score"].to_numpy(dtype="float64")
    expected = children["expected_score"].to_numpy(dtype="float64")
    has = ~np.isnan(score) & ~np.isnan(expected)

    def total(values: np.ndarray) -> np.ndarray:
        return np.bincount(group, weights=values, minlength=size)

    count = np.bincount(group, minlength=size)
    w_has = total(np.where(has, weight, 0.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = total(np.where(has, weight * score, 0.0)) / w_has
        mean_expected = total(np.where(has, weight * expected, 0.0)) / w_has
    found = np.flatnonzero(count)
    out = pd.DataFrame(
        {
            parent: names[found // len(moments)],
            "year": (moments[found % len(moments)] // 100).astype("int64"),
            "month": (moments[found % len(moments)] % 100).astype("int64"),
            "score": np.where(w_has > 0, mean, np.nan)[found],
            "expected_score": np.where(w_has > 0, mean_expected, np.nan)[found],
            "weight_with_data": w_has[found],
            "children": count[found].astype("int64"),
            "children_with_data": np.bincount(group, weights=has, minlength=size)[found].astype("int64"),
        }
    )
    out["gap_points"] = out["score"] - out["expected_score"]
    out["status"] = classify_gap(out["gap_points"].to_numpy(), thresholds)
    return out[[parent] + PARENT_COLUMNS]


def rollup_in_year(
    catalog: Catalog,
    frame: pd.DataFrame,
    thresholds: Thresholds = THRESHOLDS,
    key_tasks: pd.DataFrame | None = None,
    key_task_weight: float = 0.0,
) -> Report:
    """Return in-year progress per indicator (`frame`, from compute_in_year), task, programme and plan.

    A parent's score and expected score are the weighted means (catalog weights) over its children with
    data of completion and expected completion, each capped to 0–100 as the yearly score is; its gap is
    their difference in points, its status by the indicators' thresholds. With `key_tasks` (programme, year,
    month, score, expected_score) and a weight, key-task completion counts in each programme's score
    (hqd.rollup.with_key_tasks).
    """
    has = frame["completion"].notna() & frame["expected_completion"].notna()
    level = pd.DataFrame(
        {
            "task": frame["task"].to_numpy(),
            "year": frame["year"].to_numpy(),
            "month": frame["month"].to_numpy(),
            "weight": frame["weight"].to_numpy(dtype="float64"),
            "score": np.where(has, 100 * np.clip(frame["completion"].to_numpy(dtype="float64"), 0, 1), np.nan),
            "expected_score": np.where(
                has, 100 * np.clip(frame["expected_completion"].to_numpy(dtype="float64"), 0, 1), np.nan
            ),
        }
    )
    task_table = catalog.tasks.set_index("code")
    tasks = _roll(level, "task", pd.Index(catalog.tasks["code"]), thresholds)
    tasks["programme"] = task_table["programme"].reindex(tasks["task"]).to_numpy()
    tasks["weight"] = task_table["weight"].reindex(tasks["task"]).to_numpy(dtype="float64")
    children = with_key_tasks(tasks, key_tasks, key_task_weight, ("year", "month"))
    programmes = _roll(children, "programme", pd.Index(catalog.programmes["code"]), thresholds)
    programmes = count_tasks_only(programmes, children, ["year", "month"])
    weights = catalog.programmes.set_index("code")["weight"]
    programmes["weight"] = weights.reindex(programmes["programme"]).to_numpy(dtype="float64")
    # The plan is named by its period, as in hqd.rollup (nameless when the frame mixes periods).
    plans = pd.unique(frame["period"].astype("str"))
    plan = str(plans[0]) if len(plans) == 1 else ""
    overall = _roll(programmes.assign(plan=plan), "plan", pd.Index([plan]), thresholds)
    return Report(indicators=frame, tasks=tasks, programmes=programmes, overall=overall)


def month_in_progress(
    catalog: Catalog, observations: pd.DataFrame, period: str, year: int, thresholds: Thresholds = THRESHOLDS
) -> int | None:
    """Return the latest month reported of a year still under way, or None for a closed year or one without figures.

    A year is under way while fewer than `min_coverage` (75 %) of its indicators reported within
    the year have their December figure: 2026 with figures to 1—10月 is judged "截至2026年10月",
    2025 with its annual figures is a whole year.
    """
    targets = catalog.targets(period)
    within = set(targets["code"][targets["frequency"] != "year"])
    figures = observations.loc[observations["year"] == year, ["indicator", "month"]]
    # By Arrow (explore.is_in): pandas' isin takes 0.4 s for 30,000 codes against a year's 140,000 figures.
    figures = figures[is_in(figures["indicator"], within)]
    if figures.empty:
        return None
    # Closed when most of them have their December figure: one early December figure does not close it.
    reporting = figures["indicator"].nunique()
    closed = figures.loc[figures["month"] == 12, "indicator"].nunique()
    if round(closed / reporting, DECIMALS) >= thresholds.min_coverage:
        return None
    months = figures["month"][figures["month"] < 12]
    return int(months.max()) if len(months) else None


def judge_in_year(
    catalog: Catalog,
    observations: pd.DataFrame,
    period: str,
    year: int,
    months: int | Iterable[int],
    seasonal: bool | None = None,
    thresholds: Thresholds = THRESHOLDS,
    codes: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Return a period's indicators judged at the end of each month asked (compute_in_year's rows).

    Before December only the indicators reported within the year are judged: a yearly figure is
    not due, and counting it as missing would pull every programme's coverage down. The admin's
    annual targets are used where set; the seasonal shape where the setting says so. With `codes`, only those
    indicators' rows: each indicator is judged from its own target and figures alone.
    """
    targets = catalog.targets(period)
    if max([months] if np.isscalar(months) else months) < 12:
        targets = targets[targets["frequency"] != "year"]
    if codes is not None:
        targets = targets[is_in(targets["code"], codes)]
    annual = catalog.annual_targets[catalog.annual_targets["period"] == period]
    return compute_in_year(
        targets,
        observations,
        year,
        months,
        annual_targets=annual,
        seasonal=seasonal_pace() if seasonal is None else seasonal,
        thresholds=thresholds,
    )


def report_in_year(
    catalog: Catalog,
    observations: pd.DataFrame,
    period: str,
    year: int,
    months: int | Iterable[int],
    seasonal: bool | None = None,
    thresholds: Thresholds = THRESHOLDS,
    reviews: pd.DataFrame | None = None,
    use_reviews: bool = False,
    key_tasks: pd.DataFrame | None = None,
    key_task_weight: float = 0.0,
    rows: pd.DataFrame | None = None,
) -> Report:
    """Return a period's in-year progress at the end of each month asked: indicators, tasks, programmes, plan.

    Each indicator's month carries the light reviewed for that month (hqd.rollup.apply_reviews), counted where
    `use_reviews` says so; key tasks count in the programmes' scores with `key_tasks` and a weight. `rows` are the
    indicators' rows (judge_in_year of the same arguments) when they are made already.
    """
    if rows is None:
        rows = judge_in_year(catalog, observations, period, year, months, seasonal, thresholds)
    rows = apply_reviews(rows, reviews, use_reviews)
    return rollup_in_year(catalog, rows, thresholds, key_tasks, key_task_weight)
