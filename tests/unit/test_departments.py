"""Departments (issue 13, item 1): the permission table with its department scope, the pipeline's refusal at the
cell with its audit row, accounts' departments in the store, the command line and the upgrade from schema 4."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from factories import make_catalog, make_workbook

from hqd import store
from hqd.accounts import Identity, check_departments
from hqd.catalog import list_departments, read_department_names
from hqd.i18n import describe_error, describe_problem
from hqd.imports import commit_import, prepare_import
from hqd.policy import (
    ANSWER_INSTRUCTION,
    COMMIT,
    DEPARTMENT_SCOPED,
    EXPLAIN,
    EXPORT,
    INSTRUCT,
    READ_AUDIT,
    REPORT_KEY_TASKS,
    REVIEW_LIGHT,
    ROLLBACK_DATA,
    UPLOAD,
    VIEW,
    authorize_department,
)
from hqd.refusal import Refusal
from hqd.store import schema

OWN, OTHER = "科技创新局", "财政局"
Y, N = True, False
# Written out cell by cell: role × (own department, other department) × action. Committing figures is the
# department-scoped action; the others ignore the department.
TABLE = {
    #            viewer   analyst  leader   editor   admin    (own, other)
    COMMIT: ((N, N), (N, N), (N, N), (Y, N), (Y, Y)),
    UPLOAD: ((N, N), (N, N), (N, N), (Y, Y), (Y, Y)),
    VIEW: ((Y, Y), (Y, Y), (Y, Y), (Y, Y), (Y, Y)),
    EXPORT: ((N, N), (Y, Y), (Y, Y), (Y, Y), (Y, Y)),
    READ_AUDIT: ((N, N), (N, N), (N, N), (N, N), (Y, Y)),
    ANSWER_INSTRUCTION: ((N, N), (N, N), (N, N), (Y, N), (Y, Y)),
    # Leaders instruct and review for every department; they belong to none.
    INSTRUCT: ((N, N), (N, N), (Y, Y), (N, N), (Y, Y)),
    REVIEW_LIGHT: ((N, N), (N, N), (Y, Y), (N, N), (Y, Y)),
}
ROLES = ("viewer", "analyst", "leader", "editor", "admin")
CELLS = [
    (role, action, department, row[i][j])
    for action, row in TABLE.items()
    for i, role in enumerate(ROLES)
    for j, department in enumerate((OWN, OTHER))
]


@pytest.mark.parametrize(
    ("role", "action", "department", "allowed"), CELLS, ids=[f"{r}-{a}-{d}" for r, a, d, _ in CELLS]
)
def test_each_role_may_act_for_exactly_its_departments(role, action, department, allowed):
    # Whatever the role, the account is given OWN: only an editor's departments count.
    who = Identity("某人", role, "password", "someone", (OWN,))
    assert authorize_department(who, action, department) is allowed


def test_a_department_reports_figures_explanations_key_tasks_and_answers_and_rolls_back_its_own():
    assert {COMMIT, EXPLAIN, REPORT_KEY_TASKS, ANSWER_INSTRUCTION, ROLLBACK_DATA} == DEPARTMENT_SCOPED


@pytest.mark.parametrize("who", ["editor", Identity("某人", "editor", "password", "someone"), None, "stranger"])
def test_an_editor_of_no_department_and_nobody_may_commit_for_none(who):
    assert authorize_department(who, COMMIT, OWN) is False


def test_a_bare_admin_role_may_commit_for_every_department():
    assert authorize_department("admin", COMMIT, OTHER) is True


@pytest.mark.parametrize(
    ("role", "departments", "code"),
    [
        ("editor", [OWN], None),
        ("editor", [OWN, OTHER], None),
        ("editor", [], "account.department_needed"),
        ("editor", ["没有这个局"], "account.unknown_department"),
        ("admin", [], None),
        ("viewer", [], None),
        ("admin", [OWN], "account.departments_editor_only"),
        ("analyst", [OWN], "account.departments_editor_only"),
        ("leader", [], None),
        ("leader", [OWN], "account.departments_editor_only"),
    ],
)
def test_only_editors_belong_to_departments_each_one_known(role, departments, code):
    refusal = check_departments(role, departments, [OWN, OTHER])
    assert (refusal.code if refusal else None) == code


def test_the_departments_are_the_zones_and_those_only_the_catalog_names():
    catalog = make_catalog(
        [
            {"code": "A1", "programme": "A", "task": "A-1", "department": OWN},
            {"code": "A2", "programme": "A", "task": "A-1", "department": "新设局"},
        ]
    )
    table = list_departments(catalog)
    names = read_department_names()
    assert list(table["zh"]) == [*names, "新设局"]
    assert table.set_index("zh").at[OWN, "en"] == "Science, Technology and Innovation Bureau"
    assert table.set_index("zh").at["新设局", "en"] == "新设局"
    assert list(list_departments()["zh"]) == list(names)


# Two departments' indicators: A1 of OWN, A2 of OTHER.
TWO_DEPARTMENTS = make_catalog(
    [
        {"code": "A1", "programme": "A", "task": "A-1", "department": OWN},
        {"code": "A2", "programme": "A", "task": "A-1", "department": OTHER},
    ]
)
EDITOR = Identity("科技填报员", "editor", "password", "kj", (OWN,))
FILE = make_workbook({"填报": [["指标编码", "年份", "数值"], ["A1", 2023, 160], ["A2", 2023, 170]]})


@pytest.fixture
def two_departments(database_url):
    engine = store.connect(database_url)
    store.commit_upload(engine, "catalog.csv", None, "test", catalog=TWO_DEPARTMENTS)
    yield engine
    engine.dispose()


def refusals(engine) -> list[dict]:
    rows = store.read_audit(engine)
    return [json.loads(d) for d in rows.loc[rows["action"] == "upload_refused", "detail"]]


@pytest.mark.sqlite_only
def test_an_editors_figure_of_another_department_is_an_error_at_its_cell_and_audited(two_departments):
    result = prepare_import(two_departments, FILE, "填报.xlsx", who=EDITOR)
    refused = result.errors[result.errors["code"] == "problem.not_your_department"]
    assert len(refused) == 1 and not result.ok
    where = refused.iloc[0]
    assert (where["sheet"], where["row"], where["column"]) == ("填报", 3, "C")
    assert where["params"] == {"indicator": "A2", "year": 2023, "department": OTHER}
    assert describe_problem(where, lang="zh") == "该项由财政局负责，您的账号不能为其填报。"
    assert describe_problem(where, lang="en") == "This item is Finance Bureau's: your account may not report for it."
    assert refusals(two_departments) == [{"code": "audit.upload_refused", "count": 1, "departments": [OWN]}]
    assert store.read_audit(two_departments).iloc[0]["user_name"] == "kj"
    with pytest.raises(store.StoreError, match="commit.has_errors"):
        commit_import(two_departments, result, "kj", role=EDITOR)
    assert store.read_observations(two_departments).empty


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    "who",
    [
        Identity("管理员", "admin", "password", "root"),
        Identity("两局", "editor", "password", "both", (OWN, OTHER)),
        None,
    ],
    ids=["admin", "editor-of-both", "trusted"],
)
def test_admins_editors_of_both_and_the_trusted_command_line_report_for_both(two_departments, who):
    result = prepare_import(two_departments, FILE, "填报.xlsx", who=who)
    assert result.ok and refusals(two_departments) == []
    commit_import(two_departments, result, "u", role=who)
    assert sorted(store.read_observations(two_departments)["indicator"]) == ["A1", "A2"]


@pytest.mark.sqlite_only
def test_the_commit_checks_the_departments_again_whatever_the_preview_was_checked_as(two_departments):
    unchecked = prepare_import(two_departments, FILE, "填报.xlsx")  # prepared as if trusted
    with pytest.raises(Refusal) as refused:
        commit_import(two_departments, unchecked, "kj", role=EDITOR)
    assert (refused.value.code, refused.value.params) == ("denied.other_department", {"count": 1})
    assert describe_error(refused.value, "zh") == "文件有1项内容属于您所在单位以外的指标或重点任务，未导入。"
    assert refusals(two_departments) == [{"code": "audit.upload_refused", "count": 1, "departments": [OWN]}]
    assert store.read_observations(two_departments).empty


@pytest.mark.sqlite_only
def test_an_editors_own_figures_commit(two_departments):
    own = make_workbook({"填报": [["指标编码", "年份", "数值"], ["A1", 2023, 160]]})
    result = prepare_import(two_departments, own, "填报.xlsx", who=EDITOR)
    assert result.ok
    commit_import(two_departments, result, "kj", role=EDITOR)
    assert list(store.read_observations(two_departments)["indicator"]) == ["A1"]


@pytest.mark.sqlite_only
def test_an_accounts_departments_are_kept_replaced_and_audited(engine):
    store.save_account(engine, "kj", "root", "admin", departments=[OWN], display_name="科技", role="editor")
    assert store.read_departments(engine, "kj") == (OWN,)
    store.save_account(engine, "kj", "root", "admin", departments=[OTHER, OWN, OWN])
    assert set(store.read_departments(engine, "kj")) == {OWN, OTHER}
    store.save_account(engine, "kj", "root", "admin", role="editor")  # departments left as they are
    assert set(store.read_departments(engine, "kj")) == {OWN, OTHER}
    last = json.loads(store.read_audit(engine).iloc[1]["detail"])
    assert last["fields"] == ["departments"] and last["departments"] == sorted([OWN, OTHER])
    store.save_identity_role(engine, "wang@zone.gov.cn", "editor", "root", "admin", "王科长", [OTHER])
    assert store.read_departments(engine, "wang@zone.gov.cn") == (OTHER,)
    store.save_identity_role(engine, "wang@zone.gov.cn", None, "root", "admin")
    assert store.read_departments(engine, "wang@zone.gov.cn") == ()


@pytest.mark.usefixtures("initialised")
def test_user_add_with_departments_and_changing_them(cli):
    cli("user", "add", "root", "--role", "admin", "--password-stdin", stdin="Root-pass-2026\n")
    refused = cli("user", "add", "kj", "--role", "editor", "--password-stdin", stdin="Secret-2026\n", expect=1)
    assert "填报人员账号须属于至少一个责任单位" in refused.err
    unknown = ("user", "add", "kj", "--role", "editor", "--department", "没有这个局", "--password-stdin")
    assert "没有责任单位「没有这个局」" in cli(*unknown, stdin="Secret-2026\n", expect=1).err
    admin = ("user", "add", "boss", "--role", "admin", "--department", OWN, "--password-stdin")
    assert "只有填报人员账号属于责任单位" in cli(*admin, stdin="Secret-2026\n", expect=1).err
    editor = ("user", "add", "kj", "--role", "editor", "--department", OWN, "--department", OTHER)
    cli(*editor, "--password-stdin", stdin="Secret-2026\n")
    engine = store.connect()
    assert set(store.read_departments(engine, "kj")) == {OWN, OTHER}
    assert "账号 kj 的责任单位已设置" in cli("user", "departments", "kj", "--department", OTHER).out
    assert store.read_departments(engine, "kj") == (OTHER,)
    assert "Finance Bureau" in next(
        line for line in cli("--lang", "en", "user", "list").out.splitlines() if "kj" in line
    )
    assert "只有填报人员账号属于责任单位" in cli("user", "departments", "root", "--department", OWN, expect=1).err
    assert store.read_departments(engine, "root") == ()
    sso = ("identity", "set", "wang@zone.gov.cn", "--role", "editor")
    assert "填报人员账号须属于至少一个责任单位" in cli(*sso, expect=1).err
    cli(*sso, "--department", OWN)
    assert store.read_departments(engine, "wang@zone.gov.cn") == (OWN,)
    engine.dispose()


def test_a_schema_4_database_upgrades_and_keeps_its_accounts(database_url):
    # Today's schema with the version set back and the tables of version 5 gone: what release 4 left.
    engine = store.connect(database_url)
    store.save_account(engine, "root", "t", None, display_name="管理员", role="admin", disabled=False)
    store.save_account(engine, "kj", "t", None, display_name="填报员", role="editor", disabled=False)
    with engine.begin() as conn:
        schema.metadata.drop_all(conn, tables=schema.VERSION_5_TABLES)
        conn.execute(schema.meta.update().where(schema.meta.c.key == "schema_version").values(value="4"))
    engine.dispose()
    upgraded = store.connect(database_url)
    assert store.schema_version(upgraded) == schema.SCHEMA_VERSION
    assert sa.inspect(upgraded).has_table("account_departments")
    assert list(store.read_accounts(upgraded)["username"]) == ["kj", "root"]
    # An editor from before departments reports for none until an admin gives them one.
    assert store.read_departments(upgraded, "kj") == ()
    store.save_account(upgraded, "kj", "root", "admin", departments=[OWN])
    assert store.read_departments(upgraded, "kj") == (OWN,)
    upgraded.dispose()
