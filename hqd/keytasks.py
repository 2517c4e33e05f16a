"""Key tasks (重点任务) and their milestones (节点): where each stands at a reporting date.

A milestone is due at the end of its month. Done when its progress row has a completion date; otherwise late
once its due date has passed, on schedule until then, not started while its key task has not begun.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

PROGRESS_COLUMNS = ["key_task", "step", "completed_on"]
STATUS_ORDER = ("late", "on_schedule", "not_started", "done")


def empty_progress() -> pd.DataFrame:
    """Return a progress table with no rows: no milestone reported completed yet."""
    return pd.DataFrame(
        {
            "key_task": pd.Series(dtype="str"),
            "step": pd.Series(dtype="int64"),
            "completed_on": pd.Series(dtype="object"),
        }
    )


def month_start(months: pd.Series) -> pd.Series:
    """Return the first day of each YYYY-MM month as a timestamp."""
    return pd.to_datetime(months, format="%Y-%m")


def month_end(months: pd.Series) -> pd.Series:
    """Return the last day of each YYYY-MM month as a timestamp: when a milestone of that month is due."""
    return month_start(months) + pd.offsets.MonthEnd(0)


def milestone_status(
    key_tasks: pd.DataFrame, milestones: pd.DataFrame, progress: pd.DataFrame, as_of: date
) -> pd.DataFrame:
    """Return each milestone with its due date, completion date, status and days late at `as_of`.

    status: done, on_schedule, late or not_started; days_late: past the due date, when completed (late)
    or at `as_of` (not completed), else 0.
    """
    today = pd.Timestamp(as_of)
    done = progress[PROGRESS_COLUMNS].astype({"step": "int64"}).drop_duplicates(["key_task", "step"], keep="last")
    rows = milestones.merge(done, on=["key_task", "step"], how="left")
    starts = key_tasks.drop_duplicates("code").set_index("code")["start"]
    due = month_end(rows["due"])
    completed = pd.to_datetime(rows["completed_on"])
    begun = month_start(rows["key_task"].map(starts)) <= today
    status = np.select(
        [completed.notna(), due < today, begun.to_numpy()], ["done", "late", "on_schedule"], "not_started"
    )
    late_at = completed.where(completed.notna(), today)
    days = (late_at - due).dt.days.clip(lower=0).where((status == "done") | (status == "late"), 0)
    return rows.assign(
        due_date=due.dt.date,
        completed_on=completed.dt.date.where(completed.notna(), None),
        status=status,
        days_late=days.fillna(0).astype("int64"),
    )


def key_task_status(
    key_tasks: pd.DataFrame, milestones: pd.DataFrame, progress: pd.DataFrame, as_of: date
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (key tasks, milestones), each row with its status and days late at the reporting date `as_of`.

    A key task is not started before its start month, done when its every milestone is, late by its most
    overdue open milestone, else on schedule. One without milestones is judged by its own due month.
    """
    steps = milestone_status(key_tasks, milestones, progress, as_of)
    today = pd.Timestamp(as_of)
    tasks = key_tasks.reset_index(drop=True)
    open_late = steps[steps["status"].eq("late")].groupby("key_task")["days_late"].max()
    counts = steps.groupby("key_task")["status"].agg(total="size", done=lambda s: int(s.eq("done").sum()))
    total = tasks["code"].map(counts["total"]).fillna(0).astype("int64")
    finished = tasks["code"].map(counts["done"]).fillna(0).astype("int64")
    late_days = tasks["code"].map(open_late)
    # Without milestones the key task's own due month is its one milestone, never reported done.
    overdue = (today - month_end(tasks["due"])).dt.days
    late_days = late_days.where(total.gt(0), overdue.where(overdue > 0))
    begun = month_start(tasks["start"]) <= today
    status = np.select(
        [~begun.to_numpy(), total.gt(0) & finished.eq(total), late_days.notna()],
        ["not_started", "done", "late"],
        "on_schedule",
    )
    return (
        tasks.assign(
            status=status,
            days_late=late_days.where(status == "late", 0).fillna(0).astype("int64"),
            milestones=total,
            milestones_done=finished,
        ),
        steps,
    )


def summarise_key_tasks(statuses: pd.DataFrame, by: str) -> pd.DataFrame:
    """Return per value of `by` (task or programme): key tasks, how many done and late, and their shares."""
    counts = statuses.assign(done=statuses["status"].eq("done"), late=statuses["status"].eq("late")).groupby(
        by, sort=False
    )
    out = counts.agg(key_tasks=("code", "size"), done=("done", "sum"), late=("late", "sum")).reset_index()
    return out.assign(
        done_share=out["done"] / out["key_tasks"],
        late_share=out["late"] / out["key_tasks"],
    ).astype({"done": "int64", "late": "int64"})


def reporting_date(year: int, month: int | None = None, today: date | None = None) -> date:
    """Return the date key tasks are judged at: the end of the month reported in a year under way, else the
    year's last day, never later than today."""
    end = pd.Timestamp(year=year, month=month or 12, day=1) + pd.offsets.MonthEnd(0)
    return min(end.date(), today or date.today())


KEY_TASK_SCORE_COLUMNS = ["programme", "year", "month", "score", "expected_score", "key_tasks", "done", "due"]


def key_task_scores(
    key_tasks: pd.DataFrame,
    milestones: pd.DataFrame,
    progress: pd.DataFrame,
    tasks: pd.DataFrame,
    moments: list[tuple[int, int]],
    today: date | None = None,
) -> pd.DataFrame:
    """Return per programme and reporting moment (year, month) its key tasks as a score: where they count in it.

    At each moment's reporting date (reporting_date) the score is 100 × the share of the programme's key tasks
    done, the expected score 100 × the share due by then (its due month ended): key tasks are held to their own
    schedule as indicators to 序时进度. A milestone counts as done only when completed by that date. `tasks` maps
    each plan task to its programme (catalog.tasks: code, programme).
    """
    programme_of = tasks.set_index("code")["programme"]
    mine = key_tasks.assign(programme=key_tasks["task"].map(programme_of)).dropna(subset=["programme"])
    rows = []
    if len(mine):
        completed = pd.to_datetime(progress["completed_on"])
        for year, month in moments:
            as_of = reporting_date(year, month, today)
            known = progress[(completed <= pd.Timestamp(as_of)).to_numpy()]
            statuses, _ = key_task_status(mine, milestones, known, as_of)
            due = month_end(statuses["due"]) <= pd.Timestamp(as_of)
            counts = statuses.assign(done=statuses["status"].eq("done"), due=due).groupby("programme", sort=False)
            out = counts.agg(key_tasks=("code", "size"), done=("done", "sum"), due=("due", "sum")).reset_index()
            rows.append(out.assign(year=int(year), month=int(month)))
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in KEY_TASK_SCORE_COLUMNS})
    frame = pd.concat(rows, ignore_index=True)
    frame = frame.assign(
        score=100 * frame["done"] / frame["key_tasks"], expected_score=100 * frame["due"] / frame["key_tasks"]
    )
    return frame.astype({"done": "int64", "due": "int64", "key_tasks": "int64"})[KEY_TASK_SCORE_COLUMNS]
