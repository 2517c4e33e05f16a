"""Supervision (督办): which indicators need a department's explanation, and where each item stands.

Pure pandas over the frames hqd.store.read_supervision returns and the progress reports; no I/O. The rules are
docs/METHOD.md §12: an indicator behind at a reporting period (year, month) is explained by its department by a day
of the following month (settings.EXPLANATION_DUE_DAY); unexplained some days after that (EXPLANATION_OVERDUE_DAYS),
it is overdue. The 督办 list puts, per department, every item needing an answer: behind indicators, milestones past
their date, instructions (批示) — open or answered.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from hqd.keytasks import milestone_status
from hqd.labels import STATUSES
from hqd.settings import EXPLANATION_DUE_DAY, EXPLANATION_OVERDUE_DAYS, timezone

# The statuses a responsible department must explain (情况说明): behind 序时进度, a target missed, below baseline.
NEEDS_EXPLANATION = ("at_risk", "lagging", "missed", "regressing")


def find_in_period(frame: pd.DataFrame | None, indicator: str, year: int, month: int) -> dict | None:
    """Return the newest row of a frame of reports (explanations, reviews) of exactly one indicator's reporting month,
    or None."""
    if frame is None or frame.empty:
        return None
    mine = frame[(frame["indicator"] == indicator) & (frame["year"] == int(year)) & (frame["month"] == int(month))]
    return mine.iloc[-1].to_dict() if len(mine) else None


def find_explanation(explanations: pd.DataFrame | None, indicator: str, year: int, month: int) -> dict | None:
    """Return the explanation in effect of an indicator for a reporting month (with who gave it and when), or None.

    An explanation answers its own period only: last month's does not answer this month's.
    """
    return find_in_period(explanations, indicator, year, month)


# 说明状态 of an indicator needing an explanation: given (for the period), not yet, not yet and past the grace days.
EXPLAINED, UNEXPLAINED, OVERDUE = "explained", "unexplained", "overdue"

# The kinds of item on the 督办 list, in the order they are listed within a department.
EXPLANATION, MILESTONE, INSTRUCTION = "explanation", "milestone", "instruction"
KINDS = (EXPLANATION, MILESTONE, INSTRUCTION)
# The state of each item: an indicator's 说明状态; a milestone late or done; an instruction open or answered.
LATE, DONE, OPEN, ANSWERED = "late", "done", "open", "answered"
ITEM_COLUMNS = [
    "kind",
    "department",
    "target_kind",  # what the item links to: indicator, key_task, task or programme
    "target",  # its code
    "step",  # a milestone's step (else missing)
    "text",  # a milestone's description or an instruction's text (an indicator is named by the reader)
    "status",  # an indicator's computed status (else empty)
    "state",
    "answered",
    "since",  # the date the answer was due (deadline, milestone date) or asked for (instruction)
    "days",  # days past that date: to the answer, or while open to today (a milestone: to the reporting date)
    "answer",  # the explanation's 原因分析, the completion date, the instruction's answer
    "measures",  # the explanation's 整改措施
    "expected_by",  # the explanation's 预计完成时间
    "answered_by",
    "answered_on",
    "on_time",  # answered by the date it was due (None: not answered, or no date to be on time for)
]
COUNT_COLUMNS = ["department", "explanations", "overdue", "milestones", "instructions", "open", "answered"]


def explanation_deadline(year: int, month: int, due_day: int = EXPLANATION_DUE_DAY) -> date:
    """Return the day an explanation of a reporting period (year, month) is due: `due_day` of the following month.

    A day past the following month's end (31 in a 30-day month) is its last day.
    """
    following = pd.Timestamp(year=int(year), month=int(month), day=1) + pd.offsets.MonthBegin(1)
    return date(following.year, following.month, min(int(due_day), following.days_in_month))


def local_dates(moments: pd.Series) -> pd.Series:
    """Return stored UTC times (naive) as the dates people read them on (settings.timezone()); missing stays NaT."""
    stamps = pd.to_datetime(moments)
    if stamps.dt.tz is None:
        stamps = stamps.dt.tz_localize("UTC")
    days = stamps.dt.tz_convert(timezone())
    return pd.Series([None if pd.isna(d) else d.date() for d in days], index=moments.index, dtype="object")


def judge_explanations(
    rows: pd.DataFrame,
    explanations: pd.DataFrame,
    year: int,
    month: int,
    today: date,
    due_day: int = EXPLANATION_DUE_DAY,
    overdue_days: int = EXPLANATION_OVERDUE_DAYS,
) -> pd.DataFrame:
    """Return indicator rows (code, status) with their 说明状态 at a reporting period, judged on `today`.

    Adds: explanation (explained, unexplained, overdue; None where the status needs none), deadline, days_late
    (days past the deadline: to the day it was explained, or while unexplained to `today`; 0 when none), the
    explanation in effect for the period (cause, measures, expected_by, explained_by, explained_on: the local date
    it was given) and on_time (given by the deadline). Overdue: unexplained more than `overdue_days` past it.
    """
    deadline = explanation_deadline(year, month, due_day)
    given = explanations[
        (explanations["year"].astype("int64") == year) & (explanations["month"].astype("int64") == month)
    ]
    given = given.drop_duplicates("indicator", keep="last").set_index("indicator")
    needs = rows["status"].isin(NEEDS_EXPLANATION)
    found = rows["code"].isin(given.index) & needs
    late_by = (pd.Timestamp(today) - pd.Timestamp(deadline)).days
    overdue = late_by > overdue_days
    state = np.select(
        [~needs.to_numpy(), found.to_numpy(), np.full(len(rows), overdue)], [None, EXPLAINED, OVERDUE], UNEXPLAINED
    )
    # On time by the first explanation of the period still in effect: a later correction keeps its date.
    first = given["first_given_at"] if "first_given_at" in given else given.get("created_at")
    given_on = local_dates(first) if len(given) else pd.Series(dtype="object")
    explained_on = pd.Series(
        [given_on.get(c) if f else None for c, f in zip(rows["code"], found, strict=True)],
        index=rows.index,
        dtype="object",
    )

    def pick(column: str) -> pd.Series:
        return rows["code"].map(given[column]).where(found, None)

    answered_late = [(d - deadline).days if d is not None else 0 for d in explained_on]
    days_late = np.where(found, answered_late, max(late_by, 0))
    return rows.assign(
        explanation=pd.Series(state, index=rows.index, dtype="object").where(needs, None),
        deadline=[deadline if n else None for n in needs],
        days_late=np.where(needs, np.maximum(days_late, 0), 0).astype("int64"),
        cause=pick("cause"),
        measures=pick("measures"),
        expected_by=pick("expected_by"),
        explained_by=pick("user_name"),
        explained_on=explained_on,
        on_time=[(d <= deadline) if f else None for d, f in zip(explained_on, found, strict=True)],
    )


def _items(frame: pd.DataFrame, **columns) -> pd.DataFrame:
    """Return the 督办 items of one kind as a frame of ITEM_COLUMNS (missing columns empty)."""
    out = pd.DataFrame({name: columns.get(name, [None] * len(frame)) for name in ITEM_COLUMNS}, index=frame.index)
    # Missing answers, dates and texts as None whatever the source column held (NaN, NaT): one kind of blank.
    for name in ("text", "status", "answer", "measures", "expected_by", "answered_by", "answered_on", "on_time"):
        out[name] = out[name].astype("object").where(out[name].notna(), None)
    return out.reset_index(drop=True)


def _explanation_items(judged: pd.DataFrame) -> pd.DataFrame:
    rows = judged[judged["explanation"].notna()]
    answered = rows["explanation"].eq(EXPLAINED)
    return _items(
        rows,
        kind=EXPLANATION,
        department=rows["department"],
        target_kind="indicator",
        target=rows["code"],
        status=rows["status"],
        state=rows["explanation"],
        answered=answered,
        since=rows["deadline"],
        days=rows["days_late"],
        answer=rows["cause"],
        measures=rows["measures"],
        expected_by=rows["expected_by"],
        answered_by=rows["explained_by"],
        answered_on=rows["explained_on"],
        on_time=rows["on_time"],
    )


def _milestone_items(steps: pd.DataFrame, key_tasks: pd.DataFrame) -> pd.DataFrame:
    rows = steps[steps["status"].isin([LATE, DONE])]
    done = rows["status"].eq(DONE)
    departments = key_tasks.drop_duplicates("code").set_index("code")["department"]
    return _items(
        rows,
        kind=MILESTONE,
        department=rows["key_task"].map(departments),
        target_kind="key_task",
        target=rows["key_task"],
        step=rows["step"].astype("Int64"),
        text=rows.get("description_zh"),
        state=rows["status"],
        answered=done,
        since=rows["due_date"],
        days=rows["days_late"],
        # pd.NaT is a datetime too: an open milestone has no answer, not "NaT".
        answer=[d.isoformat() if isinstance(d, date) and not pd.isna(d) else None for d in rows["completed_on"]],
        answered_on=rows["completed_on"],
        on_time=[bool(days == 0) if d else None for days, d in zip(rows["days_late"], done, strict=True)],
    )


def _instruction_items(instructions: pd.DataFrame, today: date) -> pd.DataFrame:
    answered = instructions["answer"].notna()
    since = local_dates(instructions["created_at"])
    until = local_dates(instructions["answered_at"])
    days = [((u if a else today) - s).days for a, s, u in zip(answered, since, until, strict=True)]
    return _items(
        instructions,
        kind=INSTRUCTION,
        department=instructions["department"],
        target_kind=instructions["target_kind"],
        target=instructions["target"],
        text=instructions["text"],
        state=np.where(answered, ANSWERED, OPEN),
        answered=answered,
        since=since,
        days=days,
        answer=instructions["answer"].where(answered, None),
        answered_by=instructions["answered_by"].where(answered, None),
        answered_on=until,
    )


def list_supervision(
    rows: pd.DataFrame,
    explanations: pd.DataFrame,
    key_tasks: pd.DataFrame,
    milestones: pd.DataFrame,
    progress: pd.DataFrame,
    instructions: pd.DataFrame,
    year: int,
    month: int,
    today: date,
    as_of: date | None = None,
) -> pd.DataFrame:
    """Return the 督办 list at a reporting period (year, month), judged on `today`: one row per item (ITEM_COLUMNS).

    The items: each indicator of `rows` (code, department, status) whose status needs an explanation, explained
    or not; each milestone late at `as_of` (the reporting date, default the period's last day or today if sooner),
    or completed (hqd.keytasks, with the completions in effect `progress`); each instruction, open or answered.
    Ordered by department, the open before the answered, then by kind and the days they are past due.
    """
    period_end = (pd.Timestamp(year=int(year), month=int(month), day=1) + pd.offsets.MonthEnd(0)).date()
    as_of = as_of or min(period_end, today)
    judged = judge_explanations(rows, explanations, year, month, today)
    steps = milestone_status(key_tasks, milestones, progress, as_of)
    parts = [
        _explanation_items(judged),
        _milestone_items(steps, key_tasks),
        _instruction_items(instructions, today),
    ]
    items = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) else parts[0]
    items = items.astype({"answered": "bool", "days": "int64", "step": "Int64"})
    order = items.assign(_kind=items["kind"].map({k: i for i, k in enumerate(KINDS)}))
    order = order.sort_values(["department", "answered", "_kind", "days"], ascending=[True, True, True, False])
    return order.drop(columns="_kind").reset_index(drop=True)


def count_supervision(items: pd.DataFrame) -> pd.DataFrame:
    """Return per department what is open on the 督办 list: explanations owed (and how many overdue), milestones
    late, instructions unanswered, all open, and how many items are answered; the most open first."""
    flags = pd.DataFrame(
        {
            "department": items["department"],
            "explanations": (~items["answered"] & items["kind"].eq(EXPLANATION)).astype("int64"),
            "overdue": items["state"].eq(OVERDUE).astype("int64"),
            "milestones": (~items["answered"] & items["kind"].eq(MILESTONE)).astype("int64"),
            "instructions": (~items["answered"] & items["kind"].eq(INSTRUCTION)).astype("int64"),
            "open": (~items["answered"]).astype("int64"),
            "answered": items["answered"].astype("int64"),
        }
    )
    counts = flags.groupby("department", sort=True).sum().reset_index()
    return counts.sort_values(["open", "department"], ascending=[False, True], kind="stable").reset_index(drop=True)[
        COUNT_COLUMNS
    ]


def indicator_scores(rows: pd.DataFrame) -> pd.Series:
    """Return each indicator row's score (0–100): a year's `score`, or within a year its completion capped to 0–100
    (as hqd.inyear rolls it up)."""
    if "score" in rows:
        return rows["score"].astype("float64")
    return 100 * rows["completion"].astype("float64").clip(0, 1)


SCORECARD_COLUMNS = [
    "rank",
    "department",
    "indicators",
    "score",
    *[f"status_{s}" for s in STATUSES.index],
    "explanations_due",
    "explained",
    "explained_on_time",
    "explained_on_time_share",
    "milestones_due",
    "milestones_on_time",
    "milestones_on_time_share",
    "open_instructions",
]


def score_departments(
    rows: pd.DataFrame, items: pd.DataFrame, steps: pd.DataFrame, key_tasks: pd.DataFrame, as_of: date
) -> pd.DataFrame:
    """Return each 责任单位's scorecard at a reporting period, ranked (SCORECARD_COLUMNS).

    `rows`: its indicators (code, department, status, score or completion); `items`: the 督办 list
    (list_supervision); `steps`: the milestones' status at `as_of` (hqd.keytasks.milestone_status). Per department:
    how many indicators, their mean score (those with data), how many in each status, explanations owed, given and
    given on time (by the deadline), milestones due by `as_of` and done by their date, instructions unanswered.
    Ranked by mean score, highest first (equal scores share a rank; a department without scores comes last).
    """
    departments = key_tasks.drop_duplicates("code").set_index("code")["department"]
    # Due before `as_of`, as hqd.keytasks judges them: one due that very day is still on schedule.
    due = steps[pd.to_datetime(steps["due_date"]) < pd.Timestamp(as_of)]
    milestones = pd.DataFrame(
        {
            "department": due["key_task"].map(departments),
            "milestones_due": 1,
            "milestones_on_time": (due["status"].eq(DONE) & due["days_late"].eq(0)).astype("int64"),
        }
    )
    explained = items[items["kind"].eq(EXPLANATION)]
    indicators = pd.DataFrame(
        {
            "department": rows["department"],
            "indicators": 1,
            "score": indicator_scores(rows),
            **{f"status_{s}": rows["status"].eq(s).astype("int64") for s in STATUSES.index},
        }
    )
    others = pd.DataFrame(
        {
            "department": explained["department"],
            # Owed once answered or past the deadline: one not yet due is neither on time nor late.
            "explanations_due": (explained["answered"] | explained["days"].gt(0)).astype("int64"),
            "explained": explained["answered"].astype("int64"),
            "explained_on_time": explained["on_time"].eq(True).astype("int64"),
        }
    )
    instructions = items[items["kind"].eq(INSTRUCTION)]
    open_instructions = pd.DataFrame(
        {"department": instructions["department"], "open_instructions": (~instructions["answered"]).astype("int64")}
    )
    counts = [
        frame.drop(columns="score", errors="ignore").groupby("department").sum()
        for frame in (indicators, others, milestones, open_instructions)
    ]
    card = pd.concat(counts, axis=1).fillna(0).astype("int64")
    card["score"] = indicators.groupby("department")["score"].mean()
    card = card.reset_index(names="department")
    with np.errstate(divide="ignore", invalid="ignore"):
        card["explained_on_time_share"] = card["explained_on_time"] / card["explanations_due"].where(
            card["explanations_due"] > 0
        )
        card["milestones_on_time_share"] = card["milestones_on_time"] / card["milestones_due"].where(
            card["milestones_due"] > 0
        )
    card["rank"] = card["score"].rank(method="min", ascending=False).astype("Int64")
    card = card.sort_values(["score", "department"], ascending=[False, True], na_position="last", kind="stable")
    for column in SCORECARD_COLUMNS:
        if column not in card:
            card[column] = 0
    return card[SCORECARD_COLUMNS].reset_index(drop=True)
