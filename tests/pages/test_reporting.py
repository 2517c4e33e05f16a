"""AppTest of departments' reports on the programme page (issue 13, items 2 and 5): the explanation form of an
indicator behind and each key task's progress form, per role; what is given is shown escaped, with who and when."""

from __future__ import annotations

from datetime import date

import pytest
from factories import TEST_PASSWORD, with_key_tasks
from support import EDITORS_DEPARTMENT, add_accounts, texts

from hqd import store
from hqd.accounts import Identity, hash_password
from hqd.submissions import record_key_task_progress

OTHER = "财政局"
# K1 is the fixture's department's (科技创新局, which is responsible for every indicator), K2 another's.
KEY_TASKS = [
    ("K1", "A-1", "制定专项方案", EDITORS_DEPARTMENT, "2021-01", "2022-12"),
    ("K2", "A-2", "建设创新平台", OTHER, "2021-01", "2022-12"),
]
MILESTONES = [
    ("K1", 1, "2021-06", "形成方案初稿"),
    ("K1", 2, "2022-12", "印发专项方案"),
    ("K2", 1, "2022-12", "平台挂牌"),
]
# A2 lags in 2022 (the year the page opens at); A1 is on track and needs no explanation.
BEHIND, ON_TRACK = "A2", "A1"


def add_key_tasks_and_accounts(app) -> None:
    """Give the database key tasks and accounts: root (admin), staff (editor of the indicators' department), other
    (editor of another department), boss (viewer)."""
    store.commit_upload(app.engine, "kt.csv", None, "t", catalog=with_key_tasks(app.catalog, KEY_TASKS, MILESTONES))
    add_accounts(app.engine, [("root", "admin", False), ("staff", "editor", False), ("boss", "viewer", False)])
    store.save_account(
        app.engine,
        "other",
        "test",
        None,
        departments=[OTHER],
        display_name="other名",
        role="editor",
        password_hash=hash_password(TEST_PASSWORD),
        disabled=False,
    )


@pytest.fixture
def reporting(app, built):
    """The app with key tasks and accounts (add_key_tasks_and_accounts, made once and copied)."""
    return app.start_from(built(add_key_tasks_and_accounts))


def keys(at, kind: str) -> set[str]:
    return {element.key for element in at.get(kind) if element.key}


ROLES = [
    # (account, sees the explanation form of A2, the key tasks whose progress form it sees)
    ("staff", True, {"K1"}),
    ("other", False, {"K2"}),
    ("boss", False, set()),
    ("root", True, {"K1", "K2"}),
]


@pytest.mark.parametrize(("account", "explains", "key_tasks"), ROLES, ids=[r[0] for r in ROLES])
def test_each_role_sees_exactly_the_forms_of_its_departments(reporting, account, explains, key_tasks):
    at = reporting.open("programme", signed_in=account, indicator=BEHIND)
    assert not at.exception
    assert (f"explain_cause_{BEHIND}" in keys(at, "text_area")) is explains
    assert {k.removeprefix("progress_") for k in keys(at, "text_area") if k.startswith("progress_")} == key_tasks
    # An indicator on track needs no explanation: no form for anyone.
    on_track = reporting.open("programme", signed_in=account, indicator=ON_TRACK)
    assert f"explain_cause_{ON_TRACK}" not in keys(on_track, "text_area")


def test_an_editor_explains_an_indicator_behind_and_sees_it_escaped_with_who_and_when(reporting):
    at = reporting.open("programme", signed_in="staff", indicator=BEHIND)
    assert "本报告期尚无情况说明。" in texts(at.caption)
    at.text_area(key=f"explain_cause_{BEHIND}").set_value("**审批** <b>延期</b>")
    at.text_area(key=f"explain_measures_{BEHIND}").set_value("并联审批")
    at.date_input(key=f"explain_expected_{BEHIND}").set_value(date(2023, 6, 30))
    at.button(key=f"explain_submit_{BEHIND}").click().run()
    assert not at.exception and not at.error
    (given,) = store.read_explanations(reporting.engine).to_dict("records")
    assert (given["indicator"], given["year"], given["month"]) == (BEHIND, 2022, 12)
    assert (given["cause"], given["measures"], given["user_name"]) == ("**审批** <b>延期</b>", "并联审批", "staff")
    # Stored as typed, shown as text: the markdown is escaped, no bold made of it.
    assert "\\*\\*审批\\*\\*" in texts(at.markdown)
    assert "staff填报于" in texts(at.caption)
    assert "已保存，可在上传历史中查看或撤销。" in texts(at.success)


def test_an_incomplete_explanation_is_refused_with_a_message_and_stores_nothing(reporting):
    at = reporting.open("programme", signed_in="root", indicator=BEHIND)
    at.text_area(key=f"explain_cause_{BEHIND}").set_value("原因")
    at.button(key=f"explain_submit_{BEHIND}").click().run()
    assert "情况说明须同时填写原因分析和整改措施：「整改措施」未填。" in texts(at.error)
    assert store.read_explanations(reporting.engine).empty


def test_an_editor_reports_a_key_tasks_progress_and_a_milestone(reporting):
    at = reporting.open("programme", signed_in="staff", indicator=BEHIND)
    at.text_area(key="progress_K1").set_value("方案已印发")
    at.date_input(key="milestone_K1_1").set_value(date(2021, 6, 20))
    at.button(key="progress_submit_K1").click().run()
    assert not at.exception and not at.error
    progress = store.read_key_task_reports(reporting.engine)
    assert progress[["key_task", "year", "month", "progress", "user_name"]].to_dict("records") == [
        {"key_task": "K1", "year": 2022, "month": 12, "progress": "方案已印发", "user_name": "staff"}
    ]
    done = store.read_milestone_reports(reporting.engine)
    assert done[["key_task", "step"]].to_dict("records") == [{"key_task": "K1", "step": 1}]
    assert store.read_uploads(reporting.engine).iloc[0]["file_name"] == "表单填报"


def test_evidence_is_listed_under_its_key_task_as_a_download_of_neutral_type(reporting):
    problems = record_key_task_progress(
        reporting.engine,
        Identity("root名", "admin", "password", "root"),
        "K2",
        2022,
        12,
        "",
        {},
        ("<b>批复</b>.pdf", b"%PDF-1.7 body"),
        "root",
    )
    assert problems.empty
    evidence_id = int(store.read_evidence(reporting.engine).iloc[0]["id"])
    at = reporting.open("programme", signed_in="boss", indicator=BEHIND)
    assert not at.exception
    (button,) = [b for b in at.get("download_button") if b.key == f"evidence_{evidence_id}"]
    # Its name is text (escaped), its bytes are read only when asked for, as a download: never shown inline.
    assert button.label.startswith("\\<b\\>批复")
    assert button.proto.deferred_file_id and button.proto.ignore_rerun
