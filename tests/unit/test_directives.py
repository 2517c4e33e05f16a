"""Leaders' acts (issue 13): reviewed lights, instructions and answers checked in the services; reviews beside the
computed light and counted only where the setting says; key tasks weighted into a programme's score by setting."""

from __future__ import annotations

import json
from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest
from factories import make_catalog, make_observations, with_key_tasks

from hqd import directives, store
from hqd.accounts import Identity
from hqd.briefing import summarise_year
from hqd.i18n import MESSAGES, describe_error
from hqd.inyear import report_in_year
from hqd.keytasks import key_task_scores
from hqd.policy import PermissionDenied
from hqd.refusal import Refusal
from hqd.rollup import apply_reviews, compute_report
from hqd.settings import KEY_TASK_WEIGHT, MAX_INSTRUCTION_TEXT, MAX_REVIEW_REASON
from hqd.store.supervision import INSTRUCTION_COLUMNS

# The services' rules; the store's statements under them are tested on PostgreSQL in the store's tests.
pytestmark = pytest.mark.sqlite_only

OWN, OTHER = "测试局", "财政局"


def person(role: str, departments: tuple[str, ...] = ()) -> Identity:
    return Identity(f"{role}名", role, "password", role, departments)


LEADER, ADMIN, VIEWER, ANALYST = person("leader"), person("admin"), person("viewer"), person("analyst")
EDITOR, STRANGER = person("editor", (OWN,)), Identity("他局", "editor", "password", "other", (OTHER,))


def actions(engine, name: str) -> list[str]:
    return store.read_audit(engine)["action"].tolist().count(name)


# --- Reviewed lights ---


@pytest.mark.parametrize(
    ("who", "allowed"), [(VIEWER, False), (ANALYST, False), (EDITOR, False), (LEADER, True), (ADMIN, True)]
)
def test_only_leaders_and_admins_review_a_light(engine, who, allowed):
    act = lambda: directives.review_light(engine, who, "A1", 2022, 12, "on_track", "四季度集中投产", "at_risk")
    if allowed:
        act()
        review = store.read_reviews(engine).iloc[0]
        assert (review["status"], review["computed"], review["user_name"], review["role"]) == (
            "on_track",
            "at_risk",
            who.username,
            who.role,
        )
    else:
        with pytest.raises(PermissionDenied, match="denied.review_light"):
            act()
        assert store.read_reviews(engine).empty


@pytest.mark.parametrize(
    ("status", "reason", "code"),
    [
        ("on_track", "", "directive.reason_needed"),
        ("on_track", "  \n ", "directive.reason_needed"),
        ("on_track", "理" * (MAX_REVIEW_REASON + 1), "directive.reason_too_long"),
        ("no_data", "理由", "directive.bad_status"),
        ("insufficient_data", "理由", "directive.bad_status"),
        ("", "理由", "directive.bad_status"),
    ],
)
def test_a_review_without_a_reason_with_too_long_a_one_or_an_unknown_light_is_refused(engine, status, reason, code):
    with pytest.raises(Refusal) as refused:
        directives.review_light(engine, LEADER, "A1", 2022, 12, status, reason)
    assert refused.value.code == code
    assert store.read_reviews(engine).empty
    # Worded in both languages, with the limit where there is one.
    zh, en = describe_error(refused.value, "zh"), describe_error(refused.value, "en")
    assert zh != en and "{" not in zh + en
    if code.endswith("too_long"):
        assert str(MAX_REVIEW_REASON) in zh and str(MAX_REVIEW_REASON + 1) in en


def test_a_reason_of_exactly_the_limit_is_kept_as_typed(engine):
    reason = "<b>" + "理" * (MAX_REVIEW_REASON - 3)
    directives.review_light(engine, ADMIN, "A1", 2022, 12, "lagging", reason)
    assert store.read_reviews(engine)["reason"].tolist() == [reason]


def test_a_withdrawn_review_leaves_the_computed_light_alone_and_both_acts_are_audited(engine):
    directives.review_light(engine, LEADER, "A1", 2022, 12, "on_track", "理由一", "at_risk")
    with pytest.raises(Refusal, match="directive.reason_needed"):
        directives.withdraw_review(engine, LEADER, "A1", 2022, 12, "")
    with pytest.raises(PermissionDenied):
        directives.withdraw_review(engine, EDITOR, "A1", 2022, 12, "理由")
    directives.withdraw_review(engine, ADMIN, "A1", 2022, 12, "数据已更正")
    assert store.read_reviews(engine).empty
    details = [json.loads(d)["code"] for d in store.read_audit(engine)["detail"]]
    assert details.count("audit.light_reviewed") == 1 and details.count("audit.review_withdrawn") == 1


# --- Instructions and answers ---


@pytest.mark.parametrize(
    ("who", "allowed"), [(VIEWER, False), (ANALYST, False), (EDITOR, False), (LEADER, True), (ADMIN, True)]
)
def test_only_leaders_and_admins_give_instructions(engine, who, allowed):
    act = lambda: directives.give_instruction(engine, who, "indicator", "A1", OWN, "请加快进度")
    if allowed:
        act()
        assert store.read_instructions(engine)[["target", "department", "user_name"]].values.tolist() == [
            ["A1", OWN, who.username]
        ]
    else:
        with pytest.raises(PermissionDenied, match="denied.instruct"):
            act()
        assert store.read_instructions(engine).empty


@pytest.mark.parametrize(
    ("kind", "target", "department", "text", "code"),
    [
        ("indicator", "A1", OWN, "", "directive.instruction_needed"),
        ("indicator", "A1", OWN, "批" * (MAX_INSTRUCTION_TEXT + 1), "directive.instruction_too_long"),
        ("indicator", "A1", "", "请加快", "directive.department_needed"),
        ("department", "A1", OWN, "请加快", "directive.bad_target"),
        ("task", "", OWN, "请加快", "directive.bad_target"),
    ],
)
def test_an_instruction_without_text_department_or_target_is_refused(engine, kind, target, department, text, code):
    with pytest.raises(Refusal) as refused:
        directives.give_instruction(engine, LEADER, kind, target, department, text)
    assert refused.value.code == code
    assert store.read_instructions(engine).empty
    assert describe_error(refused.value, "zh") != describe_error(refused.value, "en")


@pytest.mark.parametrize(
    ("who", "code"),
    [
        (EDITOR, None),
        (ADMIN, None),
        (STRANGER, "denied.answer_other_department"),
        (LEADER, "denied.answer_instruction"),
        (VIEWER, "denied.answer_instruction"),
        (ANALYST, "denied.answer_instruction"),
    ],
)
def test_only_the_instructions_department_or_an_admin_answers_and_a_refusal_is_audited(engine, who, code):
    given = directives.give_instruction(engine, LEADER, "task", "A-1", OWN, "请说明原因")
    if code is None:
        directives.answer(engine, who, given, "已制定整改方案")
        row = store.read_instructions(engine).iloc[0]
        assert (row["answer"], row["answered_by"]) == ("已制定整改方案", who.username)
        assert actions(engine, "answer_refused") == 0
        return
    with pytest.raises(Refusal) as refused:
        directives.answer(engine, who, given, "已制定整改方案")
    assert refused.value.code == code
    assert store.read_instructions(engine)["answer"].isna().all()
    audit = store.read_audit(engine)
    refusal = audit[audit["action"] == "answer_refused"]
    assert len(refusal) == 1
    assert json.loads(refusal["detail"].iloc[0]) == {
        "code": "audit.answer_refused",
        "instruction": given,
        "department": OWN,
    }
    assert refusal["user_name"].iloc[0] == who.username
    if code == "denied.answer_other_department":
        assert describe_error(refused.value, "zh") == f"该批示请{OWN}答复，您的账号不能答复。"


def test_an_answer_must_say_something_and_is_given_once(engine):
    given = directives.give_instruction(engine, ADMIN, "programme", "A", OWN, "请说明")
    with pytest.raises(Refusal, match="directive.answer_needed"):
        directives.answer(engine, EDITOR, given, " ")
    with pytest.raises(Refusal, match="directive.answer_too_long"):
        directives.answer(engine, EDITOR, given, "答" * (MAX_INSTRUCTION_TEXT + 1))
    directives.answer(engine, EDITOR, given, "已落实")
    with pytest.raises(Refusal, match="store.instruction_answered"):
        directives.answer(engine, ADMIN, given, "再次答复")
    with pytest.raises(Refusal, match="store.no_instruction"):
        directives.answer(engine, ADMIN, given + 1, "答复")


def test_a_programmes_instructions_are_those_on_it_its_tasks_and_indicators_open_first(small_catalog):
    given = pd.DataFrame(
        [
            (1, "programme", "A", OWN, "a", "u", "leader", datetime(2026, 1, 1), "done", "e", datetime(2026, 1, 2)),
            (2, "task", "A-2", OWN, "b", "u", "leader", datetime(2026, 1, 3), None, None, None),
            (3, "indicator", "B1", OWN, "c", "u", "leader", datetime(2026, 1, 4), None, None, None),
            (4, "indicator", "A3", OWN, "d", "u", "leader", datetime(2026, 1, 5), None, None, None),
            (5, "task", "B-1", OWN, "e", "u", "leader", datetime(2026, 1, 6), None, None, None),
        ],
        columns=INSTRUCTION_COLUMNS,
    )
    mine = directives.programme_instructions(given, small_catalog, "A")
    assert mine["id"].tolist() == [4, 2, 1]
    assert mine["open"].tolist() == [True, True, False]


# --- A reviewed light shown beside the computed one ---

REVIEW = {
    "indicator": "A1",
    "year": 2026,
    "month": 10,
    "status": "on_track",
    "reason": "重大项目集中在四季度投产",
    "role": "admin",
    "user_name": "张三",
    # Stored in UTC: 17:00 on 2 November is 3 November in Beijing.
    "created_at": datetime(2026, 11, 2, 17, 0),
}


def test_a_review_note_is_data_and_reads_computed_then_reviewed_with_reason_who_and_when():
    note = directives.review_note("at_risk", REVIEW)
    assert note == directives.ReviewNote(
        "review.note",
        {
            "computed": "at_risk",
            "status": "on_track",
            "reason": "重大项目集中在四季度投产",
            "role": "admin",
            "user": "张三",
            "date": "2026-11-03",
        },
    )
    assert directives.describe_review(note, "zh") == (
        "计算：▲ 略低于序时进度 → 研判：● 达到序时进度，理由：重大项目集中在四季度投产（管理员 张三，2026-11-03）"
    )
    assert directives.describe_review(note, "en") == (
        "Computed: ▲ Slightly behind schedule → reviewed: ● On schedule; reason: 重大项目集中在四季度投产 "
        "(Admin 张三, 2026-11-03)"
    )
    assert directives.review_note("at_risk", None) is None
    assert MESSAGES["review.note"]


def test_only_the_review_of_the_period_viewed_is_found():
    reviews = pd.DataFrame([REVIEW])
    assert directives.find_review(reviews, "A1", 2026, 10)["reason"] == REVIEW["reason"]
    assert directives.find_review(reviews, "A1", 2026, 9) is None
    assert directives.find_review(reviews, "A1", 2025, 10) is None
    assert directives.find_review(reviews, "A2", 2026, 10) is None


REVIEWS = pd.DataFrame(
    [
        {"indicator": "B2", "year": 2021, "month": 12, "status": "on_track"},
        # A review of another period, or of a month within a year, never touches the year's light.
        {"indicator": "B1", "year": 2021, "month": 6, "status": "lagging"},
        {"indicator": "B1", "year": 2022, "month": 12, "status": "lagging"},
    ]
)
FIGURES = make_observations([("B1", 2021, 2.0), ("B2", 2021, 52.0)])


@pytest.mark.parametrize(
    ("use", "statuses", "task_status"),
    [
        # Off (the default): counts and roll-ups keep the computed lights; B2's lag holds task B-1 back.
        (False, {"B1": "on_track", "B2": "lagging"}, "at_risk"),
        # On: the reviewed light counts; with no child lagging the task is on schedule. Scores stay computed.
        (True, {"B1": "on_track", "B2": "on_track"}, "on_track"),
    ],
)
def test_a_reviewed_light_counts_in_the_roll_up_only_where_the_setting_says(small_catalog, use, statuses, task_status):
    report = compute_report(small_catalog, FIGURES, years=[2021], reviews=REVIEWS, use_reviews=use)
    rows = report.indicators.set_index("code")
    assert rows.loc[["B1", "B2"], "status"].to_dict() == statuses
    assert rows.loc[["B1", "B2"], "computed_status"].to_dict() == {"B1": "on_track", "B2": "lagging"}
    assert rows.loc["B2", "reviewed_status"] == "on_track" and pd.isna(rows.loc["B1", "reviewed_status"])
    assert report.tasks.set_index("task").loc["B-1", "status"] == task_status
    plain = compute_report(small_catalog, FIGURES, years=[2021])
    np.testing.assert_array_equal(report.indicators["score"], plain.indicators["score"])
    np.testing.assert_array_equal(report.tasks["score"], plain.tasks["score"])


MONTHLY = [
    {"code": "M1", "programme": "A", "task": "A-1", "unit": "亿元", "frequency": "month", "value_kind": "cumulative"},
    {"code": "M2", "programme": "A", "task": "A-2", "unit": "亿元", "frequency": "month", "value_kind": "cumulative"},
]
MONTHS = pd.DataFrame(
    [
        {"indicator": code, "year": 2022, "month": m, "value": value * m, "note": None}
        for code, value in (("M1", 10.0), ("M2", 1.0))
        for m in (9, 10)
    ]
)


@pytest.mark.parametrize("use", [False, True])
def test_a_months_review_holds_for_that_month_only_and_counts_where_the_setting_says(use):
    catalog = make_catalog(MONTHLY)
    reviews = pd.DataFrame([{"indicator": "M2", "year": 2022, "month": 10, "status": "at_risk"}])
    report = report_in_year(catalog, MONTHS, "P14", 2022, [9, 10], reviews=reviews, use_reviews=use)
    rows = report.indicators[report.indicators["code"] == "M2"].set_index("month")
    assert rows.loc[9, "computed_status"] == rows.loc[10, "computed_status"] == "lagging"
    assert pd.isna(rows.loc[9, "reviewed_status"]) and rows.loc[10, "reviewed_status"] == "at_risk"
    assert rows.loc[9, "status"] == "lagging"
    assert rows.loc[10, "status"] == ("at_risk" if use else "lagging")


def test_apply_reviews_leaves_its_input_alone():
    rows = pd.DataFrame({"code": ["A1"], "year": [2022], "status": ["lagging"]})
    before = rows.copy()
    out = apply_reviews(
        rows, pd.DataFrame([{"indicator": "A1", "year": 2022, "month": 12, "status": "on_track"}]), True
    )
    pd.testing.assert_frame_equal(rows, before)
    assert out["status"].tolist() == ["on_track"] and out["computed_status"].tolist() == ["lagging"]


# --- Key tasks in the score ---

KEY_TASKS = [
    ("K1", "A-1", "制定专项方案", OWN, "2021-01", "2021-12"),
    ("K2", "A-2", "建设创新平台", OWN, "2021-01", "2023-12"),
    ("K3", "B-1", "推进改革", OWN, "2021-01", "2021-06"),
]
MILESTONES = [("K1", 1, "2021-12", "印发方案"), ("K2", 1, "2023-12", "平台运营"), ("K3", 1, "2021-06", "出台办法")]
# K1 done in time for 2021; K2's milestone reported done in 2022 counts from 2022 on only.
PROGRESS = pd.DataFrame(
    [
        {"key_task": "K1", "step": 1, "completed_on": date(2021, 11, 30)},
        {"key_task": "K2", "step": 1, "completed_on": date(2022, 3, 1)},
    ]
)
FIGURES_AB = make_observations([("A1", 2021, 120.0), ("A2", 2021, 108.0), ("B2", 2021, 60.0)])


def test_key_task_scores_are_the_shares_done_and_due_at_each_reporting_date(small_catalog):
    catalog = with_key_tasks(small_catalog, KEY_TASKS, MILESTONES)
    scores = key_task_scores(
        catalog.key_tasks, catalog.milestones, PROGRESS, catalog.tasks, [(2021, 12), (2022, 6)], date(2026, 1, 1)
    )
    got = scores.set_index(["programme", "year"])[["key_tasks", "done", "due", "score", "expected_score"]]
    assert got.loc[("A", 2021)].tolist() == [2, 1, 1, 50.0, 50.0]
    assert got.loc[("A", 2022)].tolist() == [2, 2, 1, 100.0, 50.0]
    assert got.loc[("B", 2021)].tolist() == [1, 0, 1, 0.0, 100.0]


@pytest.mark.parametrize("weight", [0.0, KEY_TASK_WEIGHT, 0.5])
def test_key_tasks_count_in_a_programmes_score_only_with_a_weight(small_catalog, weight):
    catalog = with_key_tasks(small_catalog, KEY_TASKS, MILESTONES)
    scores = key_task_scores(
        catalog.key_tasks, catalog.milestones, PROGRESS, catalog.tasks, [(2021, 12)], date(2026, 1, 1)
    ).drop(columns="month")
    plain = compute_report(catalog, FIGURES_AB, years=[2021])
    report = compute_report(catalog, FIGURES_AB, years=[2021], key_tasks=scores, key_task_weight=weight)
    before = plain.programmes.set_index("programme")
    after = report.programmes.set_index("programme")
    kt = scores.set_index("programme")
    for code in ("A", "B"):
        expected = (1 - weight) * before.loc[code, "score"] + weight * kt.loc[code, "score"]
        assert after.loc[code, "score"] == pytest.approx(expected)
        due = (1 - weight) * before.loc[code, "expected_score"] + weight * kt.loc[code, "expected_score"]
        assert after.loc[code, "expected_score"] == pytest.approx(due)
    # A programme's children are its tasks; coverage and the tasks themselves are untouched.
    pd.testing.assert_series_equal(after["children"], before["children"])
    pd.testing.assert_series_equal(after["coverage"], before["coverage"])
    pd.testing.assert_frame_equal(report.tasks, plain.tasks)
    if weight == 0:
        pd.testing.assert_frame_equal(report.programmes, plain.programmes)


def test_key_tasks_alone_give_a_programme_without_figures_no_score(small_catalog):
    catalog = with_key_tasks(small_catalog, KEY_TASKS, MILESTONES)
    scores = key_task_scores(
        catalog.key_tasks, catalog.milestones, PROGRESS, catalog.tasks, [(2022, 12)], date(2026, 1, 1)
    ).drop(columns="month")
    report = compute_report(catalog, FIGURES_AB, years=[2022], key_tasks=scores, key_task_weight=0.5)
    assert report.programmes["status"].tolist() == ["no_data", "no_data"]


@pytest.mark.parametrize("weight", [0.0, 0.25])
def test_key_tasks_count_in_a_programmes_in_year_score_only_with_a_weight(weight):
    catalog = make_catalog(MONTHLY)
    catalog = with_key_tasks(catalog, KEY_TASKS[:2], MILESTONES[:2])
    scores = key_task_scores(
        catalog.key_tasks, catalog.milestones, PROGRESS, catalog.tasks, [(2022, 10)], date(2026, 1, 1)
    )
    plain = report_in_year(catalog, MONTHS, "P14", 2022, [10])
    report = report_in_year(catalog, MONTHS, "P14", 2022, [10], key_tasks=scores, key_task_weight=weight)
    before, after = plain.programmes.iloc[0], report.programmes.iloc[0]
    assert after["score"] == pytest.approx((1 - weight) * before["score"] + weight * 100.0)
    assert after["expected_score"] == pytest.approx((1 - weight) * before["expected_score"] + weight * 50.0)
    assert after["children"] == before["children"] == 2


@pytest.mark.parametrize(
    ("environment", "counting"),
    [
        ({}, directives.Counting(False, False, 0.0)),
        ({"HQD_REVIEWS_COUNT": "1"}, directives.Counting(True, False, 0.0)),
        ({"HQD_KEY_TASKS_IN_SCORE": "yes"}, directives.Counting(False, True, KEY_TASK_WEIGHT)),
        ({"HQD_KEY_TASKS_IN_SCORE": "1", "HQD_KEY_TASK_WEIGHT": "0.3"}, directives.Counting(False, True, 0.3)),
        ({"HQD_KEY_TASK_WEIGHT": "0.3"}, directives.Counting(False, False, 0.0)),
    ],
)
def test_what_counts_is_read_from_the_settings_off_by_default(monkeypatch, environment, counting):
    for name in ("HQD_REVIEWS_COUNT", "HQD_KEY_TASKS_IN_SCORE", "HQD_KEY_TASK_WEIGHT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert directives.counting_from_settings() == counting


@pytest.mark.parametrize(
    ("setting", "said"),
    [("", "1个指标本期经人工研判，统计仍按计算状态计。"), ("1", "1个指标本期经人工研判，统计按研判状态计。")],
)
def test_the_summary_says_how_many_lights_were_reviewed_and_whether_they_count(
    small_catalog, monkeypatch, setting, said
):
    monkeypatch.setenv("HQD_REVIEWS_COUNT", setting)
    report = compute_report(small_catalog, FIGURES, years=[2021], reviews=REVIEWS, use_reviews=bool(setting))
    assert said in summarise_year(report, small_catalog, 2021)
    plain = compute_report(small_catalog, FIGURES, years=[2021])
    assert not [s for s in summarise_year(plain, small_catalog, 2021) if "人工研判" in s]


@pytest.mark.usefixtures("initialised")
def test_a_leader_is_added_and_given_to_an_identity_on_the_command_line(cli):
    cli("user", "add", "root", "--role", "admin", "--password-stdin", stdin="Root-pass-2026\n")
    cli("user", "add", "boss", "--role", "leader", "--name", "王主任", "--password-stdin", stdin="Leader-2026-pass\n")
    assert store.read_account(store.connect(), "boss")["role"] == "leader"
    cli("identity", "set", "li@zone.gov.cn", "--role", "leader")
    assert store.role_of_identity(store.connect(), "li@zone.gov.cn")[0] == "leader"
    # Leaders report for no department.
    refused = ("user", "add", "boss2", "--role", "leader", "--department", "科技创新局", "--password-stdin")
    assert "只有填报人员账号属于责任单位" in cli(*refused, stdin="Leader-2026-pass\n", expect=1).err
    assert "领导" in next(line for line in cli("user", "list").out.splitlines() if "boss" in line)
