"""The command line through its real entry point: exit codes, JSON shapes, effects."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from factories import make_workbook

from hqd import store
from hqd.catalog import read_catalog
from hqd.sample import generate_sample
from hqd.settings import ROOT
from hqd.workbook import read_sheets

LONG_HEADER = ["指标编码", "年份", "数值", "备注"]


@pytest.fixture
def hqd(tmp_path):
    """Return a runner of `python -m hqd ...` against a fresh SQLite database."""
    env = {**os.environ, "HQD_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}

    def run(*args: str, expect: int = 0, stdin: str | None = None) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [sys.executable, "-m", "hqd", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            input=stdin,
        )
        assert done.returncode == expect, done.stdout + done.stderr
        assert "Traceback" not in done.stderr
        return done

    return run


@pytest.fixture
def loaded(hqd):
    hqd("init", "--sample")
    return hqd


def as_json(done: subprocess.CompletedProcess) -> dict:
    return json.loads(done.stdout)


def write(tmp_path, name: str, rows: list[list]) -> str:
    path = tmp_path / name
    path.write_bytes(make_workbook({"填报": [LONG_HEADER, *rows]}))
    return str(path)


def test_help_is_in_chinese_and_english(hqd):
    text = hqd("--help").stdout
    assert "六大工程" in text and "command line" in text
    for command in ("init", "template", "import", "progress", "uploads", "rollback", "remove-sample"):
        assert command in text
    assert "--dry-run" in hqd("import", "--help").stdout


def test_init_sample_then_progress_json_has_every_level(loaded):
    payload = as_json(loaded("progress", "--year", "2023", "--json"))
    assert payload["year"] == 2023 and payload["period"] == "P14"
    assert len(payload["indicators"]) == 51 and len(payload["tasks"]) == 24 and len(payload["programmes"]) == 6
    indicator_fields = {
        "code",
        "name",
        "unit",
        "direction",
        "year",
        "value",
        "baseline",
        "target",
        "completion",
        "expected",
        "pace",
        "score",
        "status",
        "projected_value",
        "projected_completion",
        "confidence",
        "needed_change",
    }
    assert indicator_fields <= set(payload["indicators"][0])
    for level in (payload["overall"], payload["programmes"][0], payload["tasks"][0]):
        assert {"score", "expected", "coverage", "status"} <= set(level)
    assert 0 <= payload["overall"]["score"] <= 100
    statuses = {r["status"] for r in payload["indicators"]}
    assert statuses <= {"achieved", "on_track", "at_risk", "lagging", "regressing", "no_data"}


def test_progress_text_defaults_to_latest_year(loaded):
    text = loaded("progress").stdout
    assert text.startswith("2025 年进度") and "创新引领工程" in text


def test_import_with_an_error_exits_1_and_changes_nothing(loaded, tmp_path):
    before = loaded("progress", "--json").stdout
    path = write(tmp_path, "bad.xlsx", [["INN01", 2024, 999], ["NOPE", 2024, 1], ["INN03", 2024, "abc"]])
    payload = as_json(loaded("import", path, "--json", expect=1))
    assert [(e["row"], e["column"]) for e in payload["errors"]] == [(3, "A"), (4, "C")]
    assert all(e["sheet"] == "填报" for e in payload["errors"])
    assert payload["summary"]["committed"] is False
    assert loaded("progress", "--json").stdout == before
    assert len(as_json(loaded("uploads", "--json"))["uploads"]) == 2


def test_unreadable_file_exits_2(loaded, tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("这不是表格")
    payload = as_json(loaded("import", str(path), "--json", expect=2))
    assert "无法读取" in payload["errors"][0]["message"]
    loaded("import", str(tmp_path / "missing.xlsx"), expect=2)


def test_dry_run_then_import_then_rollback_restores_exactly(loaded, tmp_path):
    before = as_json(loaded("progress", "--year", "2024", "--json"))
    old = next(r for r in before["indicators"] if r["code"] == "INN01")["value"]
    path = write(tmp_path, "fix.xlsx", [["INN01", 2024, old + 50, "更正"], ["INN02", 2024, 25, None]])
    dry = as_json(loaded("import", path, "--dry-run", "--json"))
    assert dry["summary"]["committed"] is False
    assert {(o["indicator"], o["year"], o["value"]) for o in dry["observations"]} == {
        ("INN01", 2024, old + 50),
        ("INN02", 2024, 25),
    }
    assert as_json(loaded("progress", "--year", "2024", "--json")) == before

    done = as_json(loaded("import", path, "--json", "--user", "王五"))
    assert done["summary"]["committed"] is True and done["summary"]["changed"] >= 1
    upload_id = done["summary"]["upload_id"]
    after = as_json(loaded("progress", "--year", "2024", "--json"))
    assert next(r for r in after["indicators"] if r["code"] == "INN01")["value"] == old + 50
    uploads = as_json(loaded("uploads", "--json"))["uploads"]
    assert uploads[0]["id"] == upload_id and uploads[0]["user_name"] == "王五"

    assert as_json(loaded("import", path, "--json", expect=1))["errors"][0]["message"].startswith("该文件与第")
    loaded("rollback", str(upload_id))
    assert as_json(loaded("progress", "--year", "2024", "--json")) == before
    assert "已撤销" in loaded("uploads").stdout
    assert "已于" in loaded("rollback", str(upload_id), expect=1).stderr


def test_template_is_prefilled_with_stored_values(loaded, tmp_path):
    out = tmp_path / "模板.xlsx"
    loaded("template", str(out))
    grid = read_sheets(out.read_bytes())["指标数据"]
    assert grid.iloc[0, 0] == "指标编码" and len(grid) == 52
    progress = as_json(loaded("progress", "--year", "2021", "--json"))
    first = next(r for r in progress["indicators"] if r["code"] == grid.iloc[1, 0])
    column = list(grid.iloc[0]).index("2021")
    assert grid.iloc[1, column] == first["value"]


def test_remove_sample(loaded):
    assert "已删除示例数据" in loaded("remove-sample").stdout
    payload = as_json(loaded("progress", "--json"))
    assert payload["overall"]["status"] == "no_data"
    assert "没有示例数据" in loaded("remove-sample").stdout


def test_accounts_from_the_command_line(loaded, tmp_path):
    assert (
        "第一个账号请设为管理员"
        in loaded(
            "user", "add", "li.si", "--role", "editor", "--password-stdin", stdin="Secret-2026\n", expect=1
        ).stderr
    )
    loaded("user", "add", "root", "--role", "admin", "--password-stdin", stdin="Root-pass-2026\n")
    loaded("user", "add", "li.si", "--role", "editor", "--name", "李四", "--password-stdin", stdin="Secret-2026\n")
    assert (
        "已存在"
        in loaded("user", "add", "li.si", "--role", "admin", "--password-stdin", stdin="Secret-2026\n", expect=1).stderr
    )
    assert (
        "至少需要 8 个字符" in loaded("user", "passwd", "li.si", "--password-stdin", stdin="short\n", expect=1).stderr
    )
    loaded("user", "passwd", "li.si", "--password-stdin", stdin="Another-2026\n")
    loaded("user", "disable", "li.si")
    listing = loaded("user", "list").stdout
    assert "li.si" in listing and "填报人员" in listing and "停用" in listing
    assert "Secret-2026" not in loaded("audit", "--limit", "100").stdout
    audit = as_json(loaded("audit", "--json", "--action", "account_changed"))["audit"]
    assert len(audit) == 4 and all(row["user_name"] == "cli" for row in audit)
    assert (
        "最后一个" in loaded("user", "disable", "root", expect=1).stderr
        or "管理员" in loaded("user", "disable", "root", expect=1).stderr
    )


def test_rollback_and_sample_removal_are_audited(loaded):
    loaded("rollback", "2", "--user", "王五")
    loaded("remove-sample", "--user", "王五")
    rows = as_json(loaded("audit", "--json"))["audit"]
    assert [(r["action"], r["user_name"]) for r in rows[:2]] == [("sample_removed", "王五"), ("rollback", "王五")]


def test_identity_roles_from_the_command_line(loaded):
    loaded("identity", "set", "wang@zone.gov.cn", "--role", "admin", "--name", "王主任")
    assert "wang@zone.gov.cn" in loaded("identity", "list").stdout
    loaded("identity", "set", "wang@zone.gov.cn", "--role", "none")
    assert "wang@zone.gov.cn" not in loaded("identity", "list").stdout


def test_backup_while_the_database_is_in_use(loaded, tmp_path):
    out = tmp_path / "backup.db"
    loaded("backup", str(out))
    copy = store.connect(f"sqlite:///{out}")
    assert len(store.read_observations(copy)) == len(generate_sample(read_catalog()))
