"""Roll indicator scores up to tasks, programmes and the whole plan."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from hqd.catalog import Catalog
from hqd.explore import is_in
from hqd.progress import DECIMALS, compute_progress
from hqd.settings import THRESHOLDS, Thresholds

PARENT_COLUMNS = [
    "year",
    "score",
    "expected_score",
    "coverage",
    "weight_with_data",
    "status",
    "score_change",
    "children",
    "children_with_data",
]
# A parent is never on track while one of these is among its children.
BAD = ["lagging", "missed", "regressing"]


@dataclass(frozen=True)
class Report:
    """Progress at each level for the years asked."""

    indicators: pd.DataFrame
    tasks: pd.DataFrame
    programmes: pd.DataFrame
    overall: pd.DataFrame


def rollup_scores(children: pd.DataFrame, parent: str, thresholds: Thresholds = THRESHOLDS) -> pd.DataFrame:
    """Return one row per parent and year: weighted scores of the children with data.

    `children` has the parent key, year, weight, score, expected_score, coverage and status.
    Coverage multiplies down the levels: a programme whose tasks each lack half their data has
    coverage 0.5, not 1.
    """
    # Sums by group with np.bincount over sorted group numbers: a groupby with nine named aggregations cost
    # milliseconds per call whatever the size, and a report rolls up three times per page view.
    known = children[parent].notna().to_numpy()
    parent_code, parents = pd.factorize(children[parent], sort=True)
    year_code, years = pd.factorize(children["year"], sort=True)
    group_of, group = np.unique((parent_code * len(years) + year_code)[known], return_inverse=True)

    def numbers(name: str) -> np.ndarray:
        return children[name].to_numpy(dtype="float64", na_value=np.nan)[known]

    def total(values: np.ndarray) -> np.ndarray:
        # Missing values count as nothing, as in a sum that skips them.
        filled = np.where(np.isnan(values), 0.0, values)
        return np.bincount(group, weights=filled, minlength=len(group_of)).astype("float64")

    has = ~np.isnan(numbers("score"))
    weight = numbers("weight")
    final = children["final"].to_numpy(dtype="bool")[known] if "final" in children else np.zeros(len(group), bool)
    w, w_has, wcov = total(weight), total(weight * has), total(weight * numbers("coverage"))
    ws = total(weight * np.where(has, numbers("score"), 0.0))
    wse = total(weight * np.where(has, numbers("expected_score"), 0.0))
    bad = total(children["status"].isin(BAD).to_numpy()[known]) > 0
    # In the target year of every child, a parent too has met its targets or not.
    all_final = total(~final) == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.where(w_has > 0, ws / w_has, np.nan)
        expected = np.where(w_has > 0, wse / w_has, np.nan)
        pace = np.round(np.where(expected > 0, score / np.where(expected > 0, expected, 1), np.nan), DECIMALS)
        coverage = wcov / w
    on_track = (expected == 0) | (pace >= thresholds.on_track)
    status = np.select(
        [
            w_has == 0,
            np.round(coverage, DECIMALS) < thresholds.min_coverage,
            np.round(score, DECIMALS) >= 100,
            all_final,
            on_track & ~bad,
            on_track | (pace >= thresholds.at_risk),
        ],
        ["no_data", "insufficient_data", "achieved", "missed", "on_track", "at_risk"],
        default="lagging",
    )
    out = pd.DataFrame(
        {
            parent: parents.take(group_of // len(years)),
            "year": years.take(group_of % len(years)),
            "children": np.bincount(group, minlength=len(group_of)),
            "children_with_data": total(has).astype("int64"),
        }
    ).assign(
        score=score,
        expected_score=expected,
        coverage=coverage,
        weight_with_data=w_has,
        status=status.astype("str"),
    )
    out["score_change"] = _change(out, parent)
    if "final" in children:
        out["final"] = all_final
    return out[[parent] + PARENT_COLUMNS + (["final"] if "final" in children else [])]


def _change(frame: pd.DataFrame, key: str) -> np.ndarray:
    """Return each row's score minus its score one year before (empty when not computed).

    Each key's rows sorted by year, the year before is the row just before when it is one year earlier: a merge on
    the keys' texts took a second for 300,000 indicator rows.
    """
    code = pd.factorize(frame[key])[0]
    year = frame["year"].to_numpy(dtype="int64")
    score = frame["score"].to_numpy(dtype="float64", na_value=np.nan)
    order = np.lexsort((year, code))
    code, year, score = code[order], year[order], score[order]
    follows = (code[1:] == code[:-1]) & (year[1:] == year[:-1] + 1)
    change = np.full(len(frame), np.nan)
    change[order[1:][follows]] = score[1:][follows] - score[:-1][follows]
    return change


# A reviewed light (人工研判) beside the computed one: the columns apply_reviews adds to an indicator's rows.
REVIEWED_COLUMNS = ["computed_status", "reviewed_status"]
# The child a programme's key tasks are rolled up as, beside its tasks, where they count in its score.
KEY_TASKS_CHILD = "key_tasks"


def apply_reviews(indicators: pd.DataFrame, reviews: pd.DataFrame | None, use: bool = False) -> pd.DataFrame:
    """Return indicator rows with the light reviewed for each one's own reporting period beside the computed one.

    `indicators` has code, year and (within a year) month; a yearly row is the period (year, 12). `reviews`
    (store.read_reviews) holds indicator, year, month and status. Each row gets computed_status (the computed
    light) and reviewed_status (the review of exactly its period, None without one: a review expires with its
    period); `status` becomes the reviewed light only where `use` says so (settings.reviews_count).
    """
    reviewed = np.full(len(indicators), None, dtype="object")
    if reviews is not None and len(reviews):
        given = reviews.dropna(subset=["status"]).drop_duplicates(["indicator", "year", "month"], keep="last")
        codes, reviewed_codes = indicators["code"].astype("str"), given["indicator"].astype("str")
        # Only the rows of reviewed indicators are looked up: a few among 300,000 in-year rows.
        rows = np.flatnonzero(is_in(codes, reviewed_codes))
        month = indicators["month"].to_numpy(dtype="int64")[rows] if "month" in indicators else 12
        keys = pd.MultiIndex.from_arrays(
            [
                codes.to_numpy()[rows],
                indicators["year"].to_numpy(dtype="int64")[rows],
                np.broadcast_to(month, len(rows)),
            ]
        )
        index = pd.MultiIndex.from_arrays(
            [
                reviewed_codes.to_numpy(),
                given["year"].to_numpy(dtype="int64"),
                given["month"].to_numpy(dtype="int64"),
            ]
        )
        statuses = np.append(given["status"].to_numpy(dtype="object"), None)
        reviewed[rows] = statuses[index.get_indexer(keys)]
    computed = indicators["status"]
    status = computed
    if use and pd.notna(reviewed).any():
        status = np.where(pd.notna(reviewed), reviewed, computed.to_numpy(dtype="object"))
    return indicators.assign(status=status, computed_status=computed, reviewed_status=reviewed)


def with_key_tasks(
    children: pd.DataFrame, key_tasks: pd.DataFrame | None, weight: float, moment: tuple[str, ...] = ("year",)
) -> pd.DataFrame:
    """Return a programme's tasks with its key tasks as one more child, weighted to `weight` of its score.

    `children` are task rows (programme, the moment's columns, weight, score, expected_score, and for the yearly
    roll-up coverage, status, final); `key_tasks` holds per programme and moment a score and expected score
    (hqd.keytasks.key_task_scores: the shares of key tasks done and due, in points). The child's weight is
    weight ÷ (1 − weight) × the weight of the tasks with data, so that it is `weight` of the programme's score
    exactly; its coverage is the programme's own (it neither raises nor lowers it), its status none a parent is
    held back by. A programme without task data that moment gets no such child: key tasks alone give no score.
    """
    if key_tasks is None or key_tasks.empty or weight <= 0:
        return children
    keys = ["programme", *moment]
    weights = children["weight"].astype("float64")
    parts = children[keys].assign(
        w=weights,
        w_has=weights * children["score"].notna(),
        wcov=weights * children["coverage"] if "coverage" in children else 0.0,
    )
    sums = parts.groupby(keys, sort=False).sum().reset_index()
    sums = sums[sums["w_has"] > 0]
    extra = sums.merge(key_tasks[[*keys, "score", "expected_score"]], on=keys, how="inner")
    extra = extra.assign(
        task=KEY_TASKS_CHILD,
        weight=extra["w_has"] * weight / (1 - weight),
        coverage=extra["wcov"] / extra["w"],
        status=KEY_TASKS_CHILD,
        final=True,
    )
    columns = [c for c in children.columns if c in extra.columns]
    return pd.concat([children, extra[columns]], ignore_index=True)


def count_tasks_only(parents: pd.DataFrame, children: pd.DataFrame, moment: list[str]) -> pd.DataFrame:
    """Return parents whose child counts leave out the key-task child: a programme's children are its tasks."""
    added = children[children["task"] == KEY_TASKS_CHILD].groupby(["programme", *moment]).size()
    if added.empty:
        return parents
    index = pd.MultiIndex.from_frame(parents[["programme", *moment]])
    less = added.reindex(index).fillna(0).astype("int64").to_numpy()
    return parents.assign(children=parents["children"] - less, children_with_data=parents["children_with_data"] - less)


def progress_rows(
    targets: pd.DataFrame, observations: pd.DataFrame, years: Iterable[int], thresholds: Thresholds = THRESHOLDS
) -> pd.DataFrame:
    """Return the indicators' rows of a report (compute_progress) with each one's score change since the year before.

    Each indicator's rows are made from its own target and figures alone: those of some indicators are the rows of
    the same indicators among every one's.
    """
    rows = compute_progress(targets, observations, years, thresholds)
    rows["score_change"] = _change(rows, "code")
    return rows


def compute_report(
    catalog: Catalog,
    observations: pd.DataFrame,
    years: Iterable[int] | None = None,
    period: str | None = None,
    thresholds: Thresholds = THRESHOLDS,
    reviews: pd.DataFrame | None = None,
    use_reviews: bool = False,
    key_tasks: pd.DataFrame | None = None,
    key_task_weight: float = 0.0,
    rows: pd.DataFrame | None = None,
) -> Report:
    """Return progress of indicators, tasks, programmes and overall for the years asked.

    Years default to the period's, baseline year to target year. Each indicator's row carries the light
    reviewed for its year (apply_reviews); the roll-up takes it where `use_reviews` says so. With `key_tasks`
    (programme, year, score, expected_score) and a weight, key-task completion counts in each programme's score
    (with_key_tasks); without, it is shown beside it only. `rows` are the indicators' rows (progress_rows of the
    period's targets, the observations and the years) when they are made already.
    """
    years = sorted(set(years)) if years is not None else []
    period = period or catalog.period_for_year(max(years) if years else None)
    years = years or catalog.years(period)
    if rows is None:
        rows = progress_rows(catalog.targets(period), observations, years, thresholds)
    indicators = apply_reviews(rows, reviews, use_reviews)
    level = indicators.assign(
        coverage=indicators["score"].notna().astype("float64"), final=indicators["year"] >= indicators["target_year"]
    )
    tasks = rollup_scores(level, "task", thresholds)
    tasks = tasks.merge(
        catalog.tasks[["code", "programme", "weight"]].rename(columns={"code": "task"}), on="task", how="left"
    )
    children = with_key_tasks(tasks, key_tasks, key_task_weight)
    programmes = count_tasks_only(rollup_scores(children, "programme", thresholds), children, ["year"])
    programmes = programmes.merge(
        catalog.programmes[["code", "weight"]].rename(columns={"code": "programme"}), on="programme", how="left"
    )
    overall = rollup_scores(programmes.assign(plan=period), "plan", thresholds)
    # "final" only carries the target year up the levels; the statuses say it.
    return Report(
        indicators=indicators,
        tasks=_order(tasks.drop(columns="final"), catalog.tasks, "task"),
        programmes=_order(programmes.drop(columns="final"), catalog.programmes, "programme"),
        overall=overall.drop(columns="final"),
    )


def _order(frame: pd.DataFrame, table: pd.DataFrame, key: str) -> pd.DataFrame:
    """Return the rows in catalog order, then by year."""
    position = pd.Series(range(len(table)), index=table["code"])
    return (
        frame.assign(_p=frame[key].map(position))
        .sort_values(["_p", "year"], kind="stable")
        .drop(columns="_p")
        .reset_index(drop=True)
    )


def default_year(catalog: Catalog, observations: pd.DataFrame, period: str | None = None) -> int:
    """Return the latest year with data within the plan periods (or one period after its baseline year).

    Without data: the periods' last year, or the period's first year after its baseline.
    """
    if period is None:
        first, last = int(catalog.periods["base_year"].min()), int(catalog.periods["target_year"].max())
    else:
        row = catalog.periods.set_index("code").loc[period]
        # The baseline year's figures belong to the period before, which they end.
        first, last = int(row["base_year"]) + 1, int(row["target_year"])
    years = observations["year"][observations["year"].between(first, last)]
    if len(years):
        return int(years.max())
    return last if period is None else first


def default_period(catalog: Catalog, observations: pd.DataFrame) -> str:
    """Return the period that holds the latest reported figures (the latest period when there are none)."""
    if observations.empty:
        return catalog.period_for_year()
    return catalog.period_for_year(default_year(catalog, observations))
