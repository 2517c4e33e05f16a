"""Supervision's rules (hqd.supervision): 说明状态 and when it is overdue, the 督办 list, the departments' scorecard."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from hqd import policy
from hqd.accounts import Identity
from hqd.keytasks import milestone_status
from hqd.supervision import (
    count_supervision,
    explanation_deadline,
    judge_explanations,
    list_supervision,
    score_departments,
)

KJ, JJ = "科技创新局", "经济发展局"


def indicators(*rows: tuple) -> pd.DataFrame:
    """Return indicator rows of a month from (code, department, status, completion) tuples."""
    return pd.DataFrame(rows, columns=["code", "department", "status", "completion"])


def explanations(*rows: tuple) -> pd.DataFrame:
    """Return explanations in effect from (indicator, year, month, cause, created_at UTC) tuples."""
    frame = pd.DataFrame(rows, columns=["indicator", "year", "month", "cause", "created_at"])
    return frame.assign(measures="加强调度", expected_by=date(2026, 12, 31), upload_id=1, user_name="kj")


NONE_EXPLAINED = explanations()
ROWS = indicators(
    ("A1", KJ, "lagging", 0.5),
    ("A2", KJ, "on_track", 1.0),
    ("A3", JJ, "at_risk", 0.8),
)


@pytest.mark.parametrize(
    ("year", "month", "day", "deadline"),
    [
        (2026, 10, 10, date(2026, 11, 10)),
        (2026, 12, 10, date(2027, 1, 10)),  # a December's explanation is due in the next year
        (2026, 1, 31, date(2026, 2, 28)),  # a day past the month's end is its last day
    ],
)
def test_the_deadline_is_a_day_of_the_following_month(year, month, day, deadline):
    assert explanation_deadline(year, month, day) == deadline


@pytest.mark.parametrize(
    ("today", "state", "days"),
    [
        (date(2026, 11, 9), "unexplained", 0),  # the day before the deadline
        (date(2026, 11, 10), "unexplained", 0),  # the deadline
        (date(2026, 11, 11), "unexplained", 1),  # the day after: late, not yet overdue
        (date(2026, 11, 15), "unexplained", 5),  # the last day of grace
        (date(2026, 11, 16), "overdue", 6),  # the day after: overdue, counted from the deadline
    ],
)
def test_an_unexplained_indicator_is_overdue_five_days_after_the_deadline(today, state, days):
    judged = judge_explanations(ROWS, NONE_EXPLAINED, 2026, 10, today)
    assert judged["explanation"].tolist() == [state, None, state]
    assert judged["days_late"].tolist() == [days, 0, days]
    # Input untouched.
    assert "explanation" not in ROWS


@pytest.mark.parametrize(
    ("created_at", "on_time", "days"),
    [
        # 23:00 in Shanghai on the deadline: on time.
        (datetime(2026, 11, 10, 15, 0), True, 0),
        # 01:00 in Shanghai the day after: late by a day, though still the 10th in UTC.
        (datetime(2026, 11, 10, 17, 0), False, 1),
        (datetime(2026, 11, 20, 2, 0), False, 10),
        (datetime(2026, 10, 20, 2, 0), True, 0),
    ],
)
def test_an_explanation_is_on_time_by_the_local_date_it_was_given(created_at, on_time, days):
    given = explanations(("A1", 2026, 10, "项目延期", created_at))
    judged = judge_explanations(ROWS, given, 2026, 10, date(2026, 11, 27)).set_index("code")
    assert judged.at["A1", "explanation"] == "explained"
    assert judged.at["A1", "on_time"] is on_time
    assert judged.at["A1", "days_late"] == days
    assert judged.at["A1", "cause"] == "项目延期"
    # The other behind indicator is still owed, and overdue by now.
    assert judged.at["A3", "explanation"] == "overdue"


def test_an_explanation_of_another_month_does_not_count():
    given = explanations(("A1", 2026, 9, "上月说明", datetime(2026, 10, 5)))
    judged = judge_explanations(ROWS, given, 2026, 10, date(2026, 11, 1))
    assert judged["explanation"].tolist() == ["unexplained", None, "unexplained"]


def test_without_behind_indicators_nothing_is_owed():
    rows = indicators(("A2", KJ, "on_track", 1.0), ("A4", JJ, "achieved", 1.1))
    judged = judge_explanations(rows, NONE_EXPLAINED, 2026, 10, date(2026, 12, 1))
    assert judged["explanation"].isna().all()
    items = list_supervision(rows, NONE_EXPLAINED, *NO_KEY_TASKS, NO_INSTRUCTIONS, 2026, 10, date(2026, 12, 1))
    assert items.empty
    assert count_supervision(items).empty


KEY_TASKS = pd.DataFrame(
    [
        ("K1", "A-1", "重点任务一", "", KJ, "2026-01", "2026-12"),
        ("K2", "B-1", "重点任务二", "", JJ, "2026-01", "2026-12"),
    ],
    columns=["code", "task", "name_zh", "name_en", "department", "start", "due"],
)
MILESTONES = pd.DataFrame(
    [("K1", 1, "2026-03", "节点一"), ("K1", 2, "2026-06", "节点二"), ("K1", 3, "2026-12", "节点三")]
    + [("K2", 1, "2026-05", "节点甲"), ("K2", 2, "2026-09", "节点乙")],
    columns=["key_task", "step", "due", "description_zh"],
)
# K1's first milestone done on time, K2's first done 10 days late; K1-2 and K2-2 are late at 2026-10-31.
PROGRESS = pd.DataFrame(
    [("K1", 1, date(2026, 3, 20)), ("K2", 1, date(2026, 6, 10))], columns=["key_task", "step", "completed_on"]
)
NO_KEY_TASKS = (KEY_TASKS.iloc[:0], MILESTONES.iloc[:0], PROGRESS.iloc[:0])
INSTRUCTION_COLUMNS = ["id", "target_kind", "target", "department", "text", "created_at", "answer", "answered_by"]
INSTRUCTIONS = pd.DataFrame(
    [
        (2, "indicator", "A3", JJ, "请说明原因", datetime(2026, 11, 1, 2), None, None),
        (1, "programme", "A", KJ, "加快推进", datetime(2026, 10, 1, 2), "已部署", "kj"),
    ],
    columns=INSTRUCTION_COLUMNS,
).assign(answered_at=[pd.NaT, datetime(2026, 10, 6, 2)])
NO_INSTRUCTIONS = INSTRUCTIONS.iloc[:0]
TODAY, AS_OF = date(2026, 11, 20), date(2026, 10, 31)


def supervision_list(given: pd.DataFrame = NONE_EXPLAINED) -> pd.DataFrame:
    return list_supervision(ROWS, given, KEY_TASKS, MILESTONES, PROGRESS, INSTRUCTIONS, 2026, 10, TODAY, AS_OF)


def test_the_list_holds_each_departments_items_open_first():
    given = explanations(("A1", 2026, 10, "项目延期", datetime(2026, 11, 12, 2)))
    items = supervision_list(given)
    shown = items[["kind", "department", "target", "step", "state", "answered", "since", "days", "on_time"]]
    expected = pd.DataFrame(
        [
            ("milestone", KJ, "K1", 2, "late", False, date(2026, 6, 30), 123, None),
            ("explanation", KJ, "A1", pd.NA, "explained", True, date(2026, 11, 10), 2, False),
            ("milestone", KJ, "K1", 1, "done", True, date(2026, 3, 31), 0, True),
            ("instruction", KJ, "A", pd.NA, "answered", True, date(2026, 10, 1), 5, None),
            ("explanation", JJ, "A3", pd.NA, "overdue", False, date(2026, 11, 10), 10, None),
            ("milestone", JJ, "K2", 2, "late", False, date(2026, 9, 30), 31, None),
            ("instruction", JJ, "A3", pd.NA, "open", False, date(2026, 11, 1), 19, None),
            ("milestone", JJ, "K2", 1, "done", True, date(2026, 5, 31), 10, False),
        ],
        columns=shown.columns,
    ).astype({"step": "Int64", "answered": "bool", "days": "int64", "on_time": "object"})
    expected["on_time"] = expected["on_time"].astype("object").where(expected["on_time"].notna(), None)
    assert_frame_equal(shown, expected, check_dtype=False)
    assert items.set_index("target").at["A1", "answer"] == "项目延期"
    assert items.set_index("target").at["A", "answer"] == "已部署"


def test_the_counts_per_department_put_the_most_open_first():
    counts = count_supervision(supervision_list())
    expected = pd.DataFrame(
        [(JJ, 1, 1, 1, 1, 3, 1), (KJ, 1, 1, 1, 0, 2, 2)],
        columns=["department", "explanations", "overdue", "milestones", "instructions", "open", "answered"],
    )
    assert_frame_equal(counts, expected, check_dtype=False)


def test_the_scorecard_ranks_departments_by_mean_score():
    given = explanations(("A3", 2026, 10, "订单减少", datetime(2026, 11, 9, 2)))
    items = supervision_list(given)
    steps = milestone_status(KEY_TASKS, MILESTONES, PROGRESS, AS_OF)
    card = score_departments(ROWS, items, steps, KEY_TASKS, AS_OF)
    columns = [
        "rank",
        "department",
        "indicators",
        "score",
        "status_on_track",
        "status_at_risk",
        "status_lagging",
        "explanations_due",
        "explained",
        "explained_on_time",
        "milestones_due",
        "milestones_on_time",
        "open_instructions",
    ]
    expected = pd.DataFrame(
        [
            # 经济发展局: A3 at 80; its explanation on time; K2-1 done late, K2-2 late; an instruction open.
            (1, JJ, 1, 80.0, 0, 1, 0, 1, 1, 1, 2, 0, 1),
            # 科技创新局: A1 at 50 and A2 at 100; A1 unexplained; K1-1 on time, K1-2 late (K1-3 not yet due).
            (2, KJ, 2, 75.0, 1, 0, 1, 1, 0, 0, 2, 1, 0),
        ],
        columns=columns,
    )
    assert_frame_equal(card[columns], expected, check_dtype=False)
    assert card["explained_on_time_share"].tolist() == [1.0, 0.0]
    assert card["milestones_on_time_share"].tolist() == [0.0, 0.5]


def test_a_department_without_scores_is_ranked_last():
    rows = indicators(("A1", KJ, "lagging", 0.5))
    items = list_supervision(rows, NONE_EXPLAINED, KEY_TASKS, MILESTONES, PROGRESS, NO_INSTRUCTIONS, 2026, 10, TODAY)
    steps = milestone_status(KEY_TASKS, MILESTONES, PROGRESS, AS_OF)
    card = score_departments(rows, items, steps, KEY_TASKS, AS_OF)
    assert card["department"].tolist() == [KJ, JJ]
    assert card["rank"].tolist() == [1, pd.NA]
    assert np.isnan(card["score"].iloc[1])


@pytest.mark.parametrize(
    ("who", "seen"),
    [
        (Identity("kj", "editor", "password", "kj", (KJ,)), (KJ,)),
        (Identity("both", "editor", "password", "both", (KJ, JJ)), (JJ, KJ)),
        (Identity("none", "editor", "password", "none", ()), ()),
        (Identity("boss", "viewer", "password", "boss"), (JJ, KJ)),
        (Identity("data", "analyst", "password", "data"), (JJ, KJ)),
        (Identity("root", "admin", "password", "root"), (JJ, KJ)),
        (None, (JJ, KJ)),
    ],
)
def test_an_editor_sees_their_own_departments_and_everyone_else_all(who, seen):
    assert policy.visible_departments(who, (JJ, KJ)) == seen


@pytest.mark.parametrize(("month", "found"), [(10, "十月的说明"), (9, "九月的说明"), (11, None)])
def test_an_explanation_answers_its_own_month_only(month, found):
    from hqd.supervision import find_explanation

    given = pd.DataFrame(
        [("A1", 2026, 9, "九月的说明"), ("A1", 2026, 10, "十月的说明"), ("A2", 2026, 11, "别的指标")],
        columns=["indicator", "year", "month", "cause"],
    )
    said = find_explanation(given, "A1", 2026, month)
    assert (said or {}).get("cause") == found
