"""The policy: every cell of the role × action table, and the checks of the service path that use it."""

from __future__ import annotations

from dataclasses import replace

import pytest
from factories import make_catalog, make_observations, make_workbook

from hqd import policy, store
from hqd.accounts import Identity
from hqd.bootstrap import remove_sample
from hqd.i18n import MESSAGES, describe_error
from hqd.imports import commit_import, prepare_import, rollback
from hqd.policy import PermissionDenied, authorize, require

# The services' rules; the store's statements under them are tested on PostgreSQL in the store's tests.
pytestmark = pytest.mark.sqlite_only

# Written out cell by cell, not read from policy.TABLE: a change to the table must be made twice.
Y, N = True, False
TABLE = {
    #                   viewer analyst leader editor admin
    "view": (Y, Y, Y, Y, Y),
    "explore": (N, Y, Y, Y, Y),
    "export": (N, Y, Y, Y, Y),
    "export_bulletin": (N, N, Y, Y, Y),
    "upload": (N, N, N, Y, Y),
    "commit": (N, N, N, Y, Y),
    "review_uploads": (N, N, N, Y, Y),
    "rollback_data": (N, N, N, Y, Y),
    "rollback_catalog": (N, N, N, N, Y),
    "revise_catalog": (N, N, N, N, Y),
    "remove_sample": (N, N, N, N, Y),
    "manage_accounts": (N, N, N, N, Y),
    "read_audit": (N, N, N, N, Y),
    "explain": (N, N, N, Y, Y),
    "report_key_tasks": (N, N, N, Y, Y),
    "answer_instruction": (N, N, N, Y, Y),
    "review_light": (N, N, Y, N, Y),
    "instruct": (N, N, Y, N, Y),
}
ROLES = ("viewer", "analyst", "leader", "editor", "admin")
CELLS = [(role, action, row[i]) for action, row in TABLE.items() for i, role in enumerate(ROLES)]


@pytest.mark.parametrize(("role", "action", "allowed"), CELLS, ids=[f"{r}-{a}" for r, a, _ in CELLS])
def test_each_role_may_exactly_its_actions(role, action, allowed):
    assert authorize(role, action) is allowed
    assert authorize(Identity("某人", role, "password", "someone"), action) is allowed


def test_the_table_names_every_action_and_role_of_the_policy():
    assert set(TABLE) == set(policy.ACTIONS)
    assert policy.ROLES == ROLES


@pytest.mark.parametrize("who", [None, "stranger", "", "ADMIN"])
@pytest.mark.parametrize("action", list(TABLE))
def test_nobody_and_unknown_roles_may_nothing(who, action):
    assert authorize(who, action) is False


def test_a_misspelt_action_fails_loudly():
    with pytest.raises(KeyError):
        authorize("admin", "rollback")


@pytest.mark.parametrize(
    ("page", "viewer", "analyst", "leader", "editor", "admin"),
    [
        ("overview", Y, Y, Y, Y, Y),
        ("programme", Y, Y, Y, Y, Y),
        ("explorer", N, Y, Y, Y, Y),
        ("quality", N, Y, Y, Y, Y),
        ("upload", N, N, N, Y, Y),
        ("history", N, N, N, Y, Y),
        ("accounts", N, N, N, N, Y),
        ("audit", N, N, N, N, Y),
    ],
)
def test_each_page_opens_to_exactly_its_roles(page, viewer, analyst, leader, editor, admin):
    action = policy.PAGE_ACTIONS[page]
    assert [authorize(role, action) for role in ROLES] == [viewer, analyst, leader, editor, admin]


def test_a_refusal_names_the_action_and_role_and_reads_in_both_languages():
    with pytest.raises(PermissionDenied) as refused:
        require(Identity("访客", "viewer", "anonymous"), policy.COMMIT)
    assert (refused.value.code, refused.value.params) == ("denied.commit", {"action": "commit", "role": "viewer"})
    assert describe_error(refused.value, "zh") == "只有填报人员或管理员可以提交数据。"
    assert describe_error(refused.value, "en") == "Only editors and admins may commit data."
    require("editor", policy.COMMIT)  # allowed: nothing raised


@pytest.mark.parametrize("action", list(TABLE))
def test_every_refusal_has_a_message(action):
    zh, en = MESSAGES[f"denied.{action}"]
    assert zh and en and zh != en


def commit_values(engine) -> int:
    """Return the id of an upload of one value, committed by the trusted command line."""
    frame = make_observations([("A1", 2021, 1.0)])
    return store.commit_upload(engine, "a.xlsx", b"a", "t", frame=frame)[store.DATA]


@pytest.mark.parametrize(("role", "allowed"), [("viewer", N), ("analyst", N), ("editor", Y), ("admin", Y), (None, Y)])
def test_rolling_back_values_is_checked_in_the_service(engine, role, allowed):
    upload_id = commit_values(engine)
    # An editor of the test catalog's department: rolling back values is scoped to one's departments.
    who = Identity("某人", role, "password", "someone", ("测试局",)) if role else None
    if allowed:
        rollback(engine, upload_id, "u", who)
    else:
        with pytest.raises(PermissionDenied, match="denied.rollback_data"):
            rollback(engine, upload_id, "u", who)
    assert bool(store.read_uploads(engine).set_index("id").at[upload_id, "in_effect"]) is not allowed


NEW_TARGETS = make_catalog([{"code": "A1", "programme": "A", "task": "A-1", "target_value": 300}])


@pytest.mark.parametrize(("role", "allowed"), [("editor", N), ("admin", Y)])
def test_rolling_back_a_catalog_version_needs_an_admin(engine, role, allowed):
    version = store.commit_upload(engine, "new-targets.xlsx", None, "t", catalog=NEW_TARGETS)[store.CATALOG]
    if allowed:
        rollback(engine, version, "u", role)
    else:
        with pytest.raises(PermissionDenied, match="denied.rollback_catalog"):
            rollback(engine, version, "u", role)
    assert bool(store.read_uploads(engine).set_index("id").at[version, "in_effect"]) is not allowed


@pytest.mark.parametrize(("role", "allowed"), [("editor", N), ("admin", Y), (None, Y)])
def test_removing_the_sample_is_checked_in_the_service(engine, role, allowed):
    store.commit_upload(
        engine, "s.xlsx", b"s", "示例数据", frame=make_observations([("A1", 2021, 1.0)]), is_sample=True
    )
    if allowed:
        assert remove_sample(engine, "u", role) == 1
    else:
        with pytest.raises(PermissionDenied, match="denied.remove_sample"):
            remove_sample(engine, "u", role)
    assert store.has_sample(engine) is not allowed


@pytest.mark.parametrize(("role", "allowed"), [("viewer", N), ("analyst", N), ("editor", Y), ("admin", Y)])
def test_committing_is_checked_in_the_service(engine, role, allowed):
    content = make_workbook({"填报": [["指标编码", "年份", "数值"], ["A1", 2023, 160]]})
    result = prepare_import(engine, content, "a.xlsx")
    # Of the test catalog's department, which only an editor's departments count for (test_departments).
    who = Identity("某人", role, "password", "someone", ("测试局",))
    if allowed:
        assert store.DATA in commit_import(engine, result, "u", role=who)
    else:
        with pytest.raises(PermissionDenied, match="denied.commit"):
            commit_import(engine, result, "u", role=who)
    assert bool(store.read_uploads(engine, store.DATA)["in_effect"].any()) is allowed


@pytest.mark.parametrize(("role", "allowed"), [("editor", N), ("admin", Y), (None, Y)])
def test_committing_a_catalog_revision_needs_an_admin(engine, role, allowed):
    content = make_workbook({"填报": [["指标编码", "年份", "数值"], ["A1", 2023, 160]]})
    result = replace(prepare_import(engine, content, "a.xlsx"), catalog=NEW_TARGETS)
    if allowed:
        assert set(commit_import(engine, result, "u", role=role)) == {store.DATA, store.CATALOG}
    else:
        with pytest.raises(PermissionDenied, match="denied.revise_catalog"):
            commit_import(engine, result, "u", role=role)
    assert (len(store.read_uploads(engine, store.CATALOG)) == 2) is allowed
