"""Key tasks and milestones in the catalog: the default ones load, and each breakage is named at its cell."""

from __future__ import annotations

import pandas as pd
import pytest
from factories import make_catalog, with_key_tasks

from hqd import store
from hqd.catalog import read_catalog
from hqd.i18n import describe_problem
from hqd.problems import ProblemsError

BASE = make_catalog(
    [
        {"code": "A1", "programme": "A", "task": "A-1"},
        {"code": "B1", "programme": "B", "task": "B-1"},
    ]
)
GOOD_TASK = ("K1", "A-1", "推进一件事", "测试局", "2024-01", "2024-12")
GOOD_STEPS = [("K1", 1, "2024-06", "完成方案"), ("K1", 2, "2024-12", "全面完成")]


def test_the_default_key_tasks_load_two_per_plan_task_with_their_milestones():
    catalog = read_catalog()
    assert len(catalog.key_tasks) == 48
    assert catalog.key_tasks.groupby("task").size().eq(2).all()
    assert set(catalog.key_tasks["task"]) == set(catalog.tasks["code"])
    per_task = catalog.milestones.groupby("key_task").size()
    assert per_task.between(3, 4).all() and len(per_task) == 48
    # Without an English name the Chinese one stands in.
    assert catalog.key_tasks["name_en"].eq(catalog.key_tasks["name_zh"]).all()


def test_a_catalog_without_key_tasks_still_builds():
    assert BASE.key_tasks.empty and BASE.milestones.empty


@pytest.mark.parametrize(
    ("task", "steps", "expected"),
    [
        (
            ("K1", "Z-9", "推进一件事", "测试局", "2024-01", "2024-12"),
            GOOD_STEPS,
            ("key_tasks.csv", 2, "B", "problem.catalog_key_task_unknown_task", {"key_task": "K1", "task": "Z-9"}),
        ),
        (
            ("K1", "A-1", "推进一件事", "测试局", "2024/01", "2024-12"),
            GOOD_STEPS,
            ("key_tasks.csv", 2, "F", "problem.catalog_month_format", {"name": "start", "value": "2024/01"}),
        ),
        (
            GOOD_TASK,
            [("K1", 1, "2024-13", "完成方案"), ("K1", 2, "2024-12", "全面完成")],
            ("milestones.csv", 2, "C", "problem.catalog_month_format", {"name": "due", "value": "2024-13"}),
        ),
        (
            ("K1", "A-1", "推进一件事", "测试局", "2025-01", "2024-12"),
            [],
            (
                "key_tasks.csv",
                2,
                "G",
                "problem.catalog_key_task_due_before_start",
                {"key_task": "K1", "start": "2025-01", "due": "2024-12"},
            ),
        ),
        (
            GOOD_TASK,
            [*GOOD_STEPS, ("K9", 1, "2024-06", "无主节点")],
            ("milestones.csv", 4, "A", "problem.catalog_milestone_unknown_key_task", {"key_task": "K9"}),
        ),
        (
            GOOD_TASK,
            [("K1", 1, "2023-11", "完成方案"), ("K1", 2, "2024-12", "全面完成")],
            (
                "milestones.csv",
                2,
                "C",
                "problem.catalog_milestone_outside",
                {"key_task": "K1", "due": "2023-11", "start": "2024-01", "end": "2024-12"},
            ),
        ),
        (
            GOOD_TASK,
            [("K1", 1, "2024-06", "完成方案"), ("K1", 2, "2024-10", "全面完成")],
            (
                "milestones.csv",
                3,
                "C",
                "problem.catalog_milestone_last_not_due",
                {"key_task": "K1", "due": "2024-10", "end": "2024-12"},
            ),
        ),
        (
            GOOD_TASK,
            [*GOOD_STEPS, ("K1", 2, "2024-12", "重复")],
            ("milestones.csv", 4, "A", "problem.catalog_duplicate_code", {"code": "K1"}),
        ),
        (
            GOOD_TASK,
            [("K1", 1, "2024-06", ""), ("K1", 2, "2024-12", "全面完成")],
            ("milestones.csv", 2, "D", "problem.catalog_field_blank", {"name": "description_zh"}),
        ),
    ],
    ids=[
        "unknown-task",
        "start-not-a-month",
        "milestone-not-a-month",
        "due-before-start",
        "unknown-key-task",
        "milestone-outside",
        "last-not-at-due",
        "duplicate-step",
        "blank-description",
    ],
)
def test_each_key_task_problem_is_named_at_its_cell(task, steps, expected):
    with pytest.raises(ProblemsError) as raised:
        with_key_tasks(BASE, [task], steps)
    problems = raised.value.problems
    assert [tuple(r) for r in problems[["sheet", "row", "column", "code", "params"]].itertuples(index=False)] == [
        expected
    ]
    for lang in ("zh", "en"):
        assert describe_problem(problems.iloc[0], lang=lang)


def test_good_key_tasks_build():
    catalog = with_key_tasks(BASE, [GOOD_TASK], GOOD_STEPS)
    assert catalog.milestones["step"].tolist() == [1, 2]
    assert catalog.key_tasks["name_en"].tolist() == ["推进一件事"]


def test_key_tasks_are_stored_and_read_back_with_their_catalog_version(database_url):
    engine = store.connect(database_url)
    catalog = with_key_tasks(BASE, [GOOD_TASK], GOOD_STEPS)
    store.commit_upload(engine, "catalog.csv", None, "t", catalog=catalog)
    loaded = store.load_catalog(engine)
    pd.testing.assert_frame_equal(loaded.key_tasks, catalog.key_tasks, check_dtype=False)
    pd.testing.assert_frame_equal(loaded.milestones, catalog.milestones, check_dtype=False)
    engine.dispose()
