"""Refusals and audit details are data (a code and values); the text is made at the edge, in either language."""

from __future__ import annotations

import ast
import json
import re
from datetime import datetime

import pytest
from factories import make_observations
from sources import nodes, parsed

from hqd import store
from hqd.i18n import MESSAGES, describe_audit_detail, describe_error
from hqd.policy import PermissionDenied
from hqd.refusal import Refusal
from hqd.settings import ROOT

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
CODE = re.compile(r"^(store|commit|sample|cli|denied|audit|problem|problems|read|account|signin)\.[a-z_]+$")
FIELD = re.compile(r"\{[^{}]*\}")


def docstrings(tree) -> set[int]:
    """Return the ids of the docstring nodes of a module, its classes and functions."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


# The database layer, whether one module (before) or a package.
STORE = sorted([*ROOT.glob("hqd/store.py"), *ROOT.glob("hqd/store/*.py")])


@pytest.mark.parametrize("path", STORE, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_store_writes_no_prose(path):
    tree = parsed(path)
    skip = docstrings(tree)
    texts = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
    ]
    assert not [text for text in texts if CJK.search(text)]


def codes_in_the_core() -> set[str]:
    """Return every refusal and audit-detail code written in hqd/, as found in its source."""
    codes = set()
    for path in ROOT.joinpath("hqd").rglob("*.py"):
        if path.name == "i18n.py":
            continue
        for node in nodes(path):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE.match(node.value):
                codes.add(node.value)
    return codes


def test_the_core_raises_refusals_with_codes():
    found = codes_in_the_core()
    # A sample of what must be there, so that a broken search cannot pass by finding nothing.
    assert {"store.busy", "store.duplicate", "store.no_upload", "commit.has_errors", "audit.rolled_back"} <= found
    assert {"problem.not_a_number", "problem.unknown_indicator", "read.not_a_table", "account.last_admin"} <= found


@pytest.mark.parametrize("code", sorted(codes_in_the_core()))
def test_every_code_has_a_message_in_both_languages(code):
    zh, en = MESSAGES[code]
    assert zh and en
    # Chinese text with full-width punctuation (format specs such as {value:g} aside), and no space
    # between a number and its measure word.
    assert not re.search(r"[,;:()]", FIELD.sub("", zh)), zh
    assert not re.search(r"\} [项个年]", zh), zh
    assert not CJK.search(en), en


DUPLICATE = store.DuplicateUploadError(3, "填报.xlsx")
ROLLED_BACK = store.StoreError("store.already_rolled_back", upload_id=4, at=datetime(2026, 1, 2, 3, 4))
OWNER = store.StoreError("store.grant_owner", role_name="hqd_app", tables=["audit", "meta"])
DENIED = PermissionDenied("rollback_catalog", "editor")
DENIED_PAGE = PermissionDenied("read_audit", None)


@pytest.mark.parametrize(
    ("refusal", "lang", "text"),
    [
        (DUPLICATE, "zh", "该文件与第3号上传（填报.xlsx）内容完全相同，未重复导入。"),
        (DUPLICATE, "en", "This file is identical to upload #3 (填报.xlsx); it was not imported again."),
        # Stored times are UTC, shown in the zone's local time.
        (ROLLED_BACK, "zh", "第4号上传已于2026-01-02 11:04撤销。"),
        (ROLLED_BACK, "en", "Upload #4 was already rolled back at 2026-01-02 11:04."),
        (OWNER, "zh", "角色 hqd_app 拥有（或继承）表 audit、meta，可以停用触发器；应用账号不能拥有任何表。"),
        (
            OWNER,
            "en",
            "Role hqd_app owns (or inherits) the tables audit, meta and could disable their triggers; "
            "the app's account must own no table.",
        ),
        (DENIED, "zh", "只有填报人员或管理员可以撤销上传；撤销指标目录须由管理员进行。"),
        (DENIED, "en", "Only editors and admins may roll back uploads; catalog versions need an admin."),
        (DENIED_PAGE, "zh", "您的角色（无）无权使用此页面。"),
        (DENIED_PAGE, "en", "Your role (none) may not use this page."),
        (store.BusyError(), "en", "The database is busy (someone else is committing); please try again in a moment."),
        (Refusal("no.such.code", x=1), "en", "no.such.code(x=1)"),
        (ValueError("plain"), "en", "plain"),
    ],
)
def test_a_refusal_is_worded_at_the_edge(refusal, lang, text):
    assert describe_error(refusal, lang) == text


def detail(**data) -> str:
    return json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize(
    ("stored", "lang", "text"),
    [
        (detail(code="audit.values_committed", values=12, new=3, changed=2), "zh", "12个数值（新增3，修改2）"),
        (detail(code="audit.values_committed", values=12, new=3, changed=2), "en", "12 values (3 new, 2 changed)"),
        (detail(code="audit.catalog_revised", indicators=51, changed=3), "zh", "指标目录新版本，51项指标，修改3处"),
        (detail(code="audit.catalog_version", indicators=51), "en", "New catalog version: 51 indicators"),
        (
            detail(code="audit.identity_role", identity="wang@zone.gov.cn", role="editor"),
            "zh",
            "身份 wang@zone.gov.cn 的角色设为填报人员",
        ),
        (
            detail(code="audit.identity_role", identity="wang@zone.gov.cn", role=None),
            "en",
            "Role of wang@zone.gov.cn set to none",
        ),
        (
            detail(code="audit.account_created", username="li", fields=["display_name", "role"]),
            "en",
            "Account li created: display_name, role",
        ),
        # Rows written before details were data, and details given as text, read as they were stored.
        ("指标目录新版本,51 项指标", "en", "指标目录新版本,51 项指标"),
        ("密码错误", "en", "密码错误"),
        ('{"not": "a code"}', "en", '{"not": "a code"}'),
        ("{broken", "en", "{broken"),
        (None, "en", ""),
    ],
)
def test_an_audit_detail_is_worded_at_the_edge(stored, lang, text):
    assert describe_audit_detail(stored, lang) == text


def test_the_store_records_details_as_data(engine):
    values = make_observations([("A1", 2021, 110.0), ("A3", 2021, 55.0)])
    upload_id = store.commit_upload(engine, "a.xlsx", b"a", "张三", frame=values, counts={"new": 2})[store.DATA]
    store.rollback_upload(engine, upload_id, "李四", "editor")
    details = [json.loads(d) for d in store.read_audit(engine)["detail"]]
    assert details == [
        {"code": "audit.rolled_back", "upload_id": upload_id},
        {"code": "audit.values_committed", "values": 2, "new": 2, "changed": 0},
        {"code": "audit.catalog_version", "indicators": 5},
    ]
    assert store.verify_audit(engine).intact
