"""Key tasks' and milestones' standing at a reporting date: 已完成 / 按期推进 / 滞后 N 天 / 未开始."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from hqd.keytasks import empty_progress, key_task_status, milestone_status, summarise_key_tasks


def key_tasks(*rows: tuple) -> pd.DataFrame:
    """Return key tasks from (code, task, start, due) tuples."""
    frame = pd.DataFrame(rows, columns=["code", "task", "start", "due"])
    return frame.assign(name_zh="重点任务" + frame["code"], name_en="", department="测试局")


def milestones(*rows: tuple) -> pd.DataFrame:
    """Return milestones from (key_task, step, due) tuples."""
    frame = pd.DataFrame(rows, columns=["key_task", "step", "due"])
    return frame.assign(description_zh="节点" + frame["step"].astype("str"))


def progress(*rows: tuple) -> pd.DataFrame:
    """Return progress from (key_task, step, completed_on) tuples."""
    return pd.DataFrame(rows, columns=["key_task", "step", "completed_on"]) if rows else empty_progress()


K = key_tasks(("K1", "A-1", "2024-01", "2024-12"))
STEPS = milestones(("K1", 1, "2024-06"), ("K1", 2, "2024-12"))


@pytest.mark.parametrize(
    ("as_of", "done", "expected"),
    [
        # Due at the end of its month: on its last day it is not yet late.
        (date(2024, 6, 30), [], [("on_schedule", 0), ("on_schedule", 0)]),
        (date(2024, 7, 1), [], [("late", 1), ("on_schedule", 0)]),
        (date(2024, 8, 15), [("K1", 1, date(2024, 7, 10))], [("done", 10), ("on_schedule", 0)]),
        (date(2024, 8, 15), [("K1", 1, date(2024, 5, 2))], [("done", 0), ("on_schedule", 0)]),
        (date(2023, 12, 31), [], [("not_started", 0), ("not_started", 0)]),
        (date(2025, 2, 1), [("K1", 1, date(2024, 6, 1))], [("done", 0), ("late", 32)]),
    ],
    ids=["due-today", "overdue-one-day", "completed-late", "completed-early", "not-started", "last-overdue"],
)
def test_a_milestone_stands_by_its_month_end_and_its_completion(as_of, done, expected):
    rows = milestone_status(K, STEPS, progress(*done), as_of)
    assert list(zip(rows["status"], rows["days_late"], strict=True)) == expected


@pytest.mark.parametrize(
    ("rows", "steps", "done", "as_of", "expected"),
    [
        (K, STEPS, [], date(2024, 6, 30), ("on_schedule", 0, 0)),
        (K, STEPS, [], date(2024, 7, 1), ("late", 1, 0)),
        # Late by its most overdue open milestone.
        (K, STEPS, [], date(2025, 1, 2), ("late", 186, 0)),
        (K, STEPS, [("K1", 1, date(2024, 7, 3)), ("K1", 2, date(2025, 1, 20))], date(2025, 2, 1), ("done", 0, 2)),
        (K, STEPS, [("K1", 1, date(2024, 6, 3))], date(2024, 9, 1), ("on_schedule", 0, 1)),
        (K, STEPS, [], date(2023, 5, 1), ("not_started", 0, 0)),
        # Without milestones its own due month is the one date it answers to.
        (K, STEPS.iloc[:0], [], date(2024, 12, 31), ("on_schedule", 0, 0)),
        (K, STEPS.iloc[:0], [], date(2025, 1, 3), ("late", 3, 0)),
        (K, STEPS.iloc[:0], [], date(2023, 1, 3), ("not_started", 0, 0)),
    ],
    ids=[
        "due-today",
        "overdue-one-day",
        "most-overdue",
        "all-done-some-late",
        "first-done-early",
        "not-started",
        "no-milestones-in-time",
        "no-milestones-past-due",
        "no-milestones-not-started",
    ],
)
def test_a_key_task_stands_by_its_milestones(rows, steps, done, as_of, expected):
    tasks, _ = key_task_status(rows, steps, progress(*done), as_of)
    assert tuple(tasks.iloc[0][["status", "days_late", "milestones_done"]]) == expected


def test_the_inputs_are_not_changed():
    before = (K.copy(), STEPS.copy())
    key_task_status(K, STEPS, progress(("K1", 1, date(2024, 6, 1))), date(2025, 1, 1))
    pd.testing.assert_frame_equal(K, before[0])
    pd.testing.assert_frame_equal(STEPS, before[1])


def test_shares_of_key_tasks_done_and_late_per_task():
    rows = key_tasks(
        ("K1", "A-1", "2024-01", "2024-06"),
        ("K2", "A-1", "2024-01", "2024-12"),
        ("K3", "A-1", "2024-01", "2024-12"),
        ("K4", "A-2", "2025-01", "2025-12"),
    )
    steps = milestones(("K1", 1, "2024-06"), ("K2", 1, "2024-03"), ("K2", 2, "2024-12"), ("K3", 1, "2024-12"))
    tasks, _ = key_task_status(rows, steps, progress(("K1", 1, date(2024, 6, 1))), date(2024, 8, 1))
    assert list(tasks["status"]) == ["done", "late", "on_schedule", "not_started"]
    summary = summarise_key_tasks(tasks, "task").set_index("task")
    assert summary.loc["A-1", ["key_tasks", "done", "late"]].tolist() == [3, 1, 1]
    assert summary.loc["A-1", "done_share"] == pytest.approx(1 / 3)
    assert summary.loc["A-2", ["key_tasks", "done", "late", "late_share"]].tolist() == [1, 0, 0, 0.0]
