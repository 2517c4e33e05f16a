"""The command line through hqd.cli.main(argv) in this process, and a few runs of `python -m hqd` itself."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
from dataclasses import replace

import pandas as pd
import pytest
from factories import make_workbook
from openpyxl import load_workbook

from hqd import store
from hqd.assessment import assess_period
from hqd.catalog import read_catalog
from hqd.rollup import compute_report
from hqd.sample import sample_figures
from hqd.settings import ROOT
from hqd.workbook import MONTH_HEADER, read_sheets

LONG_HEADER = ["指标编码", "年份", "数值", "备注"]


def python_m_hqd(tmp_path, *args: str, expect: int = 0) -> subprocess.CompletedProcess:
    """Run the real entry point, `python -m hqd ARGS`, in a process of its own on tmp_path/cli.db."""
    env = {**os.environ, "HQD_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    done = subprocess.run(
        [sys.executable, "-m", "hqd", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == expect, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    return done


def write(tmp_path, name: str, rows: list[list]) -> str:
    path = tmp_path / name
    path.write_bytes(make_workbook({"填报": [LONG_HEADER, *rows]}))
    return str(path)


# --- The real entry point, end to end -------------------------------------------------------


def test_init_import_progress_end_to_end(tmp_path):
    # 十四五's and 十五五's indicators, each code once.
    assert "已创建数据库，指标目录57项" in python_m_hqd(tmp_path, "init").stdout
    path = write(tmp_path, "一月.xlsx", [["INN01", 2023, 321.5, "快报"]])
    done = json.loads(python_m_hqd(tmp_path, "import", path, "--json", "--user", "王五").stdout)
    assert done["summary"]["committed"] is True and done["summary"]["new"] == 1
    progress = json.loads(python_m_hqd(tmp_path, "progress", "--year", "2023", "--json").stdout)
    assert next(r for r in progress["indicators"] if r["code"] == "INN01")["value"] == 321.5


# --- Each command, in this process ----------------------------------------------------------


def test_help_is_in_chinese_and_english(cli):
    text = cli("--help").out
    assert "六大工程" in text and "command line" in text
    for command in (
        "init",
        "template",
        "import",
        "progress",
        "uploads",
        "rollback",
        "remove-sample",
        "restore",
        "grant",
    ):
        assert command in text
    assert "--dry-run" in cli("import", "--help").out
    assert "--verify" in cli("audit", "--help").out


def test_an_unreadable_file_exits_2(tmp_path, cli):
    path = tmp_path / "notes.xlsx"
    path.write_text("这不是表格")
    assert "无法读取" in cli("import", str(path), expect=2).err


def test_init_sample_then_progress_json_has_every_level(loaded):
    payload = loaded("progress", "--year", "2023", "--json").json()
    assert payload["year"] == 2023 and payload["period"] == "P14"
    assert len(payload["indicators"]) == 52 and len(payload["tasks"]) == 24 and len(payload["programmes"]) == 6
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
    # The sample's latest figures are 2026's to October: a year under way, against 序时进度.
    text = loaded("progress").out
    assert text.startswith("截至2026年10月进度") and "创新引领工程" in text
    assert loaded("progress", "--year", "2025").out.startswith("2025年进度")


def test_progress_of_a_month_gives_each_indicators_target_due_share_gap_and_growth(loaded):
    payload = loaded("progress", "--period", "P15", "--month", "2026-10", "--json").json()
    assert (payload["period"], payload["year"], payload["month"]) == ("P15", 2026, 10)
    revenue = next(r for r in payload["indicators"] if r["code"] == "IND01")
    # A monthly year-to-date total: due 10/12 of its annual target, judged at October.
    assert revenue["as_of_month"] == 10 and revenue["expected_completion"] == pytest.approx(10 / 12)
    assert revenue["completion"] == pytest.approx(revenue["value"] / revenue["annual_target"])
    assert revenue["gap_points"] == pytest.approx(100 * (revenue["completion"] - 10 / 12))
    assert revenue["yoy"] is not None and revenue["status"] in ("on_track", "at_risk", "lagging")
    # A quarterly level is judged at September; a yearly indicator is not judged before December.
    platforms = next(r for r in payload["indicators"] if r["code"] == "INN01")
    assert platforms["as_of_month"] == 9 and platforms["expected_completion"] == pytest.approx(0.75)
    assert not [r for r in payload["indicators"] if r["frequency"] == "year"]
    assert {p["code"] for p in payload["programmes"]} == {"INN", "IND", "OPN", "TAL", "REF", "CIT"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--month", "2026-13"], "月份「2026-13」无效"),
        (["--month", "十月"], "月份「十月」无效"),
        (["--period", "P15", "--month", "2031-01"], "2031年不在规划期 P15 内"),
        (["--period", "P99"], "P99"),
    ],
)
def test_progress_refuses_a_month_it_cannot_read(loaded, args, message):
    assert message in loaded("progress", *args, expect=1).err


def test_import_with_an_error_exits_1_and_changes_nothing(loaded, tmp_path):
    before = loaded("progress", "--json").out
    path = write(tmp_path, "bad.xlsx", [["INN01", 2024, 999], ["NOPE", 2024, 1], ["INN03", 2024, "abc"]])
    payload = loaded("import", path, "--json", expect=1).json()
    assert [(e["row"], e["column"]) for e in payload["errors"]] == [(3, "A"), (4, "C")]
    assert [e["code"] for e in payload["errors"]] == ["problem.unknown_indicator", "problem.not_a_number"]
    assert payload["errors"][1]["params"] == {"value": "abc", "indicator": "INN03", "year": 2024}
    assert payload["errors"][1]["message"] == "「abc」不是数字。"
    assert all(e["sheet"] == "填报" for e in payload["errors"])
    assert payload["summary"]["committed"] is False
    assert loaded("progress", "--json").out == before
    # The catalog, the sample's figures and its supervision reports.
    assert len(loaded("uploads", "--json").json()["uploads"]) == 3


def test_unreadable_file_exits_2(loaded, tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("这不是表格")
    payload = loaded("import", str(path), "--json", expect=2).json()
    assert "无法读取" in payload["errors"][0]["message"]
    loaded("import", str(tmp_path / "missing.xlsx"), expect=2)


# --- In English (--lang en) -------------------------------------------------------------------

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def test_an_import_with_bad_values_is_reported_in_english(loaded, tmp_path):
    path = write(tmp_path, "bad.xlsx", [["INN01", 2024, 999], ["NOPE", 2024, 1], ["INN03", 2024, "abc"]])
    ran = loaded("--lang", "en", "import", path, expect=1)
    lines = ran.out.splitlines()
    assert "Error: Sheet “填报”, row 3, column A: Unknown indicator “NOPE”: no indicator in the catalog has this " in (
        ran.out
    )
    assert "Error: Sheet “填报”, row 4, column C: “abc” is not a number." in lines
    assert lines[-1] == "The file has errors; nothing was imported."
    # The errors are English but for the sheet's own name (the warnings name departments, data too).
    assert not CJK.search("".join(line for line in lines if line.startswith("Error")).replace("填报", ""))
    assert not CJK.search(lines[-2] + lines[-1])
    payload = loaded("--lang", "en", "import", path, "--json", expect=1).json()
    assert payload["errors"][1]["message"] == "“abc” is not a number."


def test_an_unreadable_file_is_reported_in_english(loaded, tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("这不是表格")
    err = loaded("--lang", "en", "import", str(path), expect=2).err
    assert err.startswith(f"Cannot read the file {path}: The file is not an Excel or WPS spreadsheet")
    assert not CJK.search(err.replace(str(path), ""))
    payload = loaded("--lang", "en", "import", str(path), "--json", expect=2).json()
    assert payload["errors"][0]["code"] == "read.not_a_table"


def test_a_refused_account_is_reported_in_english(loaded):
    def add(username: str, role: str, password: str, expect: int = 0):
        return loaded(
            "--lang", "en", "user", "add", username, "--role", role, "--password-stdin", stdin=password, expect=expect
        )

    first = add("li.si", "editor", "Secret-2026\n", expect=1)
    assert first.err == "Error: At least one enabled admin account must remain (make the first account an admin).\n"
    assert add("root", "admin", "short\n", expect=1).err == "Error: A password needs at least 8 characters.\n"
    assert add("root", "admin", "Root-pass-2026\n").out == "Account root created.\n"
    assert "Sample data removed (2 uploads)." in loaded("--lang", "en", "remove-sample").out


def test_progress_and_uploads_in_english(loaded):
    text = loaded("--lang", "en", "progress", "--year", "2025").out
    assert text.startswith("Progress in 2025 (score / expected progress to date / status)") and "Overall" in text
    # Departments are named in English too: nothing in the English output is left in Chinese.
    assert "Bureau" in text and not re.search(r"[\u4e00-\u9fff]", text)
    assert "rows (" in loaded("--lang", "en", "uploads").out


def test_dry_run_then_import_then_rollback_restores_exactly(loaded, tmp_path):
    before = loaded("progress", "--year", "2024", "--json").json()
    old = next(r for r in before["indicators"] if r["code"] == "INN01")["value"]
    path = write(tmp_path, "fix.xlsx", [["INN01", 2024, old + 50, "更正"], ["INN02", 2024, 25, None]])
    dry = loaded("import", path, "--dry-run", "--json").json()
    assert dry["summary"]["committed"] is False
    # A year's figure is the year's month 12, told apart from a month's.
    assert {(o["indicator"], o["year"], o["month"], o["value"]) for o in dry["observations"]} == {
        ("INN01", 2024, 12, old + 50),
        ("INN02", 2024, 12, 25),
    }
    assert loaded("progress", "--year", "2024", "--json").json() == before

    done = loaded("import", path, "--json", "--user", "王五").json()
    assert done["summary"]["committed"] is True and done["summary"]["changed"] >= 1
    upload_id = done["summary"]["upload_id"]
    after = loaded("progress", "--year", "2024", "--json").json()
    assert next(r for r in after["indicators"] if r["code"] == "INN01")["value"] == old + 50
    uploads = loaded("uploads", "--json").json()["uploads"]
    assert uploads[0]["id"] == upload_id and uploads[0]["user_name"] == "王五"

    assert loaded("import", path, "--json", expect=1).json()["errors"][0]["message"].startswith("该文件与第")
    loaded("rollback", str(upload_id))
    assert loaded("progress", "--year", "2024", "--json").json() == before
    assert "已撤销" in loaded("uploads").out
    assert "已于" in loaded("rollback", str(upload_id), expect=1).err


def test_template_is_prefilled_with_stored_values(loaded, tmp_path):
    out = tmp_path / "模板.xlsx"
    loaded("template", str(out))
    grid = read_sheets(out.read_bytes())["指标数据"]
    # The template of the period under way (十五五): its 52 indicators under the header.
    assert grid.iloc[0, 0] == "指标编码" and len(grid) == 53
    # Its first year, 2025, is 十四五's last: the figures stored for it are filled in.
    progress = loaded("progress", "--year", "2025", "--json").json()
    first = next(r for r in progress["indicators"] if r["code"] == grid.iloc[1, 0])
    column = list(grid.iloc[0]).index("2025")
    assert grid.iloc[1, column] == first["value"]


def test_template_for_a_month_lists_the_indicators_due_and_imports_back(loaded, tmp_path):
    out = tmp_path / "2026年10月.xlsx"
    loaded("template", "--period", "2026-10", str(out))
    grid = read_sheets(out.read_bytes())["指标数据"]
    assert list(grid.iloc[0]) == MONTH_HEADER
    periods = dict(zip(grid.iloc[1:, 0], grid.iloc[1:, 4], strict=True))
    # October: the monthly indicators (IND01 a year-to-date total, CIT04 a monthly rate); a quarterly one only when it
    # owes October's explanation, asking for its third quarter.
    assert periods["IND01"] == "2026年1—10月" and periods["CIT04"] == "2026年10月"
    assert periods.get("INN01", "2026年三季度") == "2026年三季度"
    book = load_workbook(out)
    for row in range(2, book["指标数据"].max_row + 1):
        book["指标数据"].cell(row=row, column=7).value = 10 + row
    book.save(out)
    payload = loaded("import", str(out), "--dry-run", "--json").json()
    assert payload["errors"] == [], payload["errors"]
    annual = tmp_path / "annual.xlsx"
    loaded("template", "--period", "2026", str(annual))
    assert "2026" in list(read_sheets(annual.read_bytes())["指标数据"].iloc[0])
    assert "2026-13" in loaded("--lang", "en", "template", "--period", "2026-13", str(out), expect=1).err


def test_remove_sample(loaded):
    assert "已删除示例数据" in loaded("remove-sample").out
    payload = loaded("progress", "--json").json()
    assert payload["overall"]["status"] == "no_data"
    assert "没有示例数据" in loaded("remove-sample").out


def test_accounts_from_the_command_line(loaded, tmp_path):
    assert (
        "第一个账号请设为管理员"
        in loaded("user", "add", "li.si", "--role", "editor", "--password-stdin", stdin="Secret-2026\n", expect=1).err
    )
    loaded("user", "add", "root", "--role", "admin", "--password-stdin", stdin="Root-pass-2026\n")
    editor = ("user", "add", "li.si", "--role", "editor", "--name", "李四", "--department", "科技创新局")
    loaded(*editor, "--password-stdin", stdin="Secret-2026\n")
    assert (
        "已存在"
        in loaded("user", "add", "li.si", "--role", "admin", "--password-stdin", stdin="Secret-2026\n", expect=1).err
    )
    assert "至少需要8个字符" in loaded("user", "passwd", "li.si", "--password-stdin", stdin="short\n", expect=1).err
    loaded("user", "passwd", "li.si", "--password-stdin", stdin="Another-2026\n")
    loaded("user", "disable", "li.si")
    listing = loaded("user", "list").out
    assert "li.si" in listing and "填报人员" in listing and "停用" in listing
    assert "Secret-2026" not in loaded("audit", "--limit", "100").out
    audit = loaded("audit", "--json", "--action", "account_changed").json()["audit"]
    assert len(audit) == 4 and all(row["user_name"] == "cli" for row in audit)
    assert (
        "最后一个" in loaded("user", "disable", "root", expect=1).err
        or "管理员" in loaded("user", "disable", "root", expect=1).err
    )


def test_rollback_and_sample_removal_are_audited(loaded):
    loaded("rollback", "2", "--user", "王五")
    loaded("remove-sample", "--user", "王五")
    rows = loaded("audit", "--json").json()["audit"]
    assert [(r["action"], r["user_name"]) for r in rows[:2]] == [("sample_removed", "王五"), ("rollback", "王五")]


def test_identity_roles_from_the_command_line(loaded):
    loaded("identity", "set", "wang@zone.gov.cn", "--role", "admin", "--name", "王主任")
    assert "wang@zone.gov.cn" in loaded("identity", "list").out
    loaded("identity", "set", "wang@zone.gov.cn", "--role", "none")
    assert "wang@zone.gov.cn" not in loaded("identity", "list").out


def test_backup_while_the_database_is_in_use(loaded, tmp_path):
    out = tmp_path / "backup.db"
    loaded("backup", str(out))
    copy = store.connect(f"sqlite:///{out}")
    assert len(store.read_observations(copy)) == len(sample_figures(read_catalog()))


# Tampering with the audit log of `init --sample` (two rows) from outside, triggers dropped first.
TAMPERING = [
    ("UPDATE audit SET user_name = '李四' WHERE seq = 2", "第2条（编号2）的内容与其哈希不符，已被改动"),
    ("DELETE FROM audit WHERE seq = 1", "第1条已被删除"),
    (
        "INSERT OR REPLACE INTO audit (id, at, user_name, role, action, detail, upload_id, file_name, seq, prev_hash, "
        "row_hash) SELECT id, at, user_name, role, action, '无事发生', upload_id, file_name, seq, prev_hash, row_hash "
        "FROM audit WHERE seq = 1",
        "第1条（编号1）的内容与其哈希不符",
    ),
]


@pytest.mark.parametrize(("sql", "message"), TAMPERING, ids=["edited", "deleted", "replaced"])
def test_audit_verify_names_the_first_broken_link(loaded, tmp_path, sql, message):
    intact = loaded("audit", "--verify").out
    assert "审计链完整，共3条" in intact and "末条哈希" in intact
    with sqlite3.connect(tmp_path / "cli.db") as raw:
        for trigger in ("audit_no_update", "audit_no_delete", "audit_no_replace"):
            raw.execute(f"DROP TRIGGER {trigger}")
        raw.execute(sql)
    assert message in loaded("audit", "--verify", expect=1).out


def uploads_in_effect(run) -> list[tuple[int, bool]]:
    return [(row["id"], row["in_effect"]) for row in run("uploads", "--json").json()["uploads"]]


def test_restore_after_an_unclean_stop_brings_back_exactly_the_backup(loaded, tmp_path):
    backup, live = tmp_path / "backup.db", tmp_path / "cli.db"
    loaded("backup", str(backup))
    before = uploads_in_effect(loaded)
    # More work after the backup, then the process dies without closing: its changes stay in -wal.
    killed = subprocess.run(
        [sys.executable, "-c", UNCLEAN_STOP],
        cwd=ROOT,
        env={**os.environ, "HQD_DATABASE_URL": f"sqlite:///{live}"},
        capture_output=True,
        timeout=120,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert (tmp_path / "cli.db-wal").stat().st_size > 0
    assert uploads_in_effect(loaded) != before

    done = loaded("restore", str(backup), "--user", "王五")
    assert "已从" in done.out and "审计链完整" in done.out
    assert uploads_in_effect(loaded) == before
    audit = loaded("audit", "--json").json()["audit"]
    assert [(r["action"], r["user_name"]) for r in audit] == [
        ("restore", "王五"),
        ("upload_committed", "示例数据"),
        ("upload_committed", "示例数据"),
        ("catalog_changed", "示例数据"),
    ]
    loaded("audit", "--verify")
    # The replaced database is kept, with the work of the killed process folded into it.
    (kept,) = tmp_path.glob("cli.db.replaced-*")
    old = store.connect(f"sqlite:///{kept}")
    assert not store.read_uploads(old).set_index("id").loc[2, "in_effect"]
    old.dispose()


UNCLEAN_STOP = """
import os, signal
from hqd import store
engine = store.connect()
store.rollback_upload(engine, 2, "后来者")
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_restore_refuses_while_the_database_is_open(loaded, tmp_path):
    backup = tmp_path / "backup.db"
    loaded("backup", str(backup))
    loaded("rollback", "2")
    app = store.connect(f"sqlite:///{tmp_path / 'cli.db'}")
    store.read_uploads(app)  # the pool keeps this connection open, as the running app does
    assert "请先停止 HQD" in loaded("restore", str(backup), expect=1).err
    app.dispose()
    assert (2, False) in uploads_in_effect(loaded)
    loaded("restore", str(backup))
    assert (2, True) in uploads_in_effect(loaded)


def not_hqd(path):
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")


def truncated_backup(path):
    whole = path.with_name("whole.db")
    source = sqlite3.connect(whole)
    source.execute("CREATE TABLE meta (key TEXT, value TEXT)")
    source.executemany("INSERT INTO meta VALUES (?, ?)", [(str(i), "x" * 500) for i in range(200)])
    source.commit()
    source.close()
    path.write_bytes(whole.read_bytes()[: 4096 * 3])


# Files offered as backups that must be refused before the database is touched.
NOT_BACKUPS = [
    (lambda path: path.write_bytes(b"not a database" * 100), "不是有效的 SQLite 数据库"),
    (not_hqd, "不是 HQD 数据库"),
    (truncated_backup, "未恢复"),
]


def test_restore_refuses_what_is_not_a_sound_hqd_backup(loaded, tmp_path):
    before = uploads_in_effect(loaded)
    for number, (make, message) in enumerate(NOT_BACKUPS):
        bad = tmp_path / f"bad-{number}.db"
        make(bad)
        assert message in loaded("restore", str(bad), expect=1).err
    assert uploads_in_effect(loaded) == before
    assert not list(tmp_path.glob("cli.db.re*"))


# --- Tables a terminal shows, files the system refuses, JSON for scripts ------------------------

PROGRESS_LINE = re.compile(r"^(.*?)\s+(\d+\.\d|—)\s+(\d+\.\d|—)  (\S.*)$")


def terminal_width(text: str) -> int:
    """The columns a terminal gives a text: East Asian wide and full-width characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_progress_columns_line_up_on_a_terminal(loaded, lang):
    lines = loaded("--lang", lang, "progress", "--year", "2024").out.splitlines()
    table = lines[1 : lines.index("") if "" in lines else None]
    found = [PROGRESS_LINE.match(line) for line in table]
    assert len(found) == 7 and all(found), table
    # Where each number ends, and where the status starts, in terminal columns.
    assert len({terminal_width(m.string[: m.end(2)]) for m in found}) == 1
    assert len({terminal_width(m.string[: m.end(3)]) for m in found}) == 1
    assert len({terminal_width(m.string[: m.start(4)]) for m in found}) == 1


@pytest.mark.parametrize(
    ("lang", "missing", "json_code"),
    [("zh", "找不到文件「{path}」。", "cli.file_missing"), ("en", "No such file: {path}.", "cli.file_missing")],
)
def test_a_missing_file_is_refused_in_the_language_of_the_command_line(loaded, tmp_path, lang, missing, json_code):
    path = tmp_path / "missing.xlsx"
    err = loaded("--lang", lang, "import", str(path), expect=2).err
    assert missing.format(path=path) in err and "Errno" not in err
    payload = loaded("--lang", lang, "import", str(path), "--json", expect=2).json()
    assert payload["errors"][0]["code"] == json_code and payload["errors"][0]["params"]["file"] == str(path)
    out = tmp_path / "no-such-folder" / "template.xlsx"
    err = loaded("--lang", lang, "template", str(out), expect=1).err
    assert missing.format(path=out) in err and "Errno" not in err


def test_progress_json_names_programmes_and_tasks_in_both_languages(loaded):
    payload = loaded("progress", "--year", "2024", "--json").json()
    programmes = {p["code"]: p for p in payload["programmes"]}
    assert programmes["INN"]["name_zh"] == "创新引领工程" and programmes["INN"]["name_en"]
    assert all(p["name_zh"] and p["name_en"] for p in payload["programmes"] + payload["tasks"])


def test_audit_json_gives_upload_ids_as_whole_numbers(loaded):
    # An account's creation concerns no upload: its row has no id beside the uploads' rows.
    loaded("user", "add", "root", "--role", "admin", "--password-stdin", stdin="Root-pass-2026\n")
    rows = loaded("audit", "--json").json()["audit"]
    ids = [r["upload_id"] for r in rows]
    assert any(type(i) is int for i in ids) and any(i is None for i in ids)
    assert all(i is None or type(i) is int for i in ids), ids


@pytest.mark.parametrize(("zone", "hours"), [("UTC", 0), ("Asia/Shanghai", 8), ("America/New_York", -5)])
def test_times_on_the_command_line_follow_the_time_zone_setting(loaded, monkeypatch, zone, hours):
    engine = store.connect()
    uploaded = pd.Timestamp(store.read_uploads(engine)["created_at"].iloc[0]) + pd.Timedelta(hours=hours)
    audited = pd.Timestamp(store.read_audit(engine)["at"].iloc[0]) + pd.Timedelta(hours=hours)
    monkeypatch.setenv("HQD_TIMEZONE", zone)
    assert f"{uploaded:%Y-%m-%d %H:%M}" in loaded("uploads").out
    assert f"{audited:%Y-%m-%d %H:%M:%S}" in loaded("audit").out


@pytest.mark.parametrize(("lang", "words"), [("zh", "不是已知的时区"), ("en", "not a known time zone")])
def test_an_unknown_time_zone_is_named_on_the_command_line(loaded, monkeypatch, lang, words):
    monkeypatch.setenv("HQD_TIMEZONE", "Mars/Olympus")
    ran = loaded("--lang", lang, "uploads", expect=1)
    assert "Mars/Olympus" in ran.err and words in ran.err


# --- assess: the final assessment of a finished period ---------------------------------------


def test_assess_json_is_the_assessment_of_the_period_at_every_level(loaded):
    payload = loaded("assess", "--period", "P14", "--json").json()
    engine = store.connect()
    catalog = store.load_catalog(engine)
    assessment = assess_period(compute_report(catalog, store.read_observations(engine), period="P14"), catalog, "P14")
    assert (payload["period"], payload["name_zh"], payload["target_year"]) == ("P14", "十四五", 2025)
    assert payload["overall"] == assessment.overall.iloc[0].to_dict()
    assert [r["code"] for r in payload["indicators"]] == list(assessment.indicators["code"])
    assert [r["outcome"] for r in payload["indicators"]] == list(assessment.indicators["outcome"])
    assert [r["code"] for r in payload["programmes"]] == list(catalog.programmes["code"])
    assert all(p["name_zh"] and p["name_en"] for p in payload["programmes"] + payload["tasks"])
    # An indicator without its final figure: no value and no gap, neither met nor not met.
    missing = [r for r in payload["indicators"] if r["outcome"] == "no_data"]
    assert missing and all(r["value"] is None and r["gap"] is None and r["met"] is False for r in missing)
    # The default period is the latest that has ended: P14 on the sample.
    assert loaded("assess", "--json").json() == payload


ASSESS_LINE = re.compile(r"^(.+?)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+%)$")


@pytest.mark.parametrize(
    ("lang", "heading"),
    [
        ("zh", "十四五终期评估，目标年2025年（指标数 / 已完成 / 未完成 / 无数据 / 完成占比）："),
        (
            "en",
            "14th Five-Year Plan: final assessment, target year 2025 "
            "(indicators / met / not met / no data / share met):",
        ),
    ],
)
def test_assess_text_lines_up_on_a_terminal(loaded, lang, heading):
    lines = loaded("--lang", lang, "assess", "--period", "P14").out.splitlines()
    assert lines[0] == heading
    table = lines[1 : lines.index("")]
    found = [ASSESS_LINE.match(line) for line in table]
    assert len(found) == 7 and all(found), table
    for group in range(2, 7):
        assert len({terminal_width(m.string[: m.end(group)]) for m in found}) == 1
    indicators = lines[lines.index("") + 2 :]
    assert len(indicators) == 52 and all(("★" in line) or ("✖" in line) or ("○" in line) for line in indicators)


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("zh", "错误：没有规划期「P99」；已有：P14、P15。\n"),
        ("en", "Error: There is no plan period P99; known: P14, P15.\n"),
    ],
)
def test_assess_refuses_an_unknown_period(loaded, lang, message):
    assert loaded("--lang", lang, "assess", "--period", "P99", expect=1).err == message


@pytest.mark.usefixtures("initialised")
def test_assess_without_a_finished_period_asks_for_one(cli):
    assert cli("assess", expect=1).err == "错误：尚无已结束的规划期，请用 --period 指定。\n"
    # Named, an unfinished period is assessed all the same: every indicator without its final figure.
    assert cli("assess", "--period", "P14", "--json").json()["overall"]["no_data"] == 52


@pytest.mark.usefixtures("initialised")
def test_progress_of_a_month_without_monthly_indicators_is_refused_in_words(cli, tmp_path):
    engine = store.connect(f"sqlite:///{tmp_path / 'cli.db'}")
    catalog = store.load_catalog(engine)
    yearly = catalog.indicators.assign(frequency="year")
    store.commit_upload(engine, "yearly.csv", None, "t", catalog=replace(catalog, indicators=yearly))
    engine.dispose()
    err = cli("progress", "--period", "P15", "--month", "2026-10", expect=1).err
    assert "规划期 P15 没有月度、季度报送的指标" in err and "Traceback" not in err


@pytest.mark.usefixtures("initialised")
def test_keytasks_lists_each_key_tasks_status_at_a_date_with_its_milestones_in_json(cli):
    # The catalog's key tasks without the sample's completed milestones: nothing reported done yet.
    loaded = cli
    payload = loaded("keytasks", "--as-of", "2021-07-01", "--json").json()
    assert payload["as_of"] == "2021-07-01" and len(payload["key_tasks"]) == 48
    first = payload["key_tasks"][0]
    assert (first["code"], first["status"], first["days_late"]) == ("INN-1-K1", "late", 1)
    assert [(m["step"], m["status"]) for m in first["milestones"]] == [
        (1, "late"),
        (2, "on_schedule"),
        (3, "on_schedule"),
        (4, "on_schedule"),
    ]
    text = loaded("--lang", "en", "keytasks", "--as-of", "2021-07-01").out
    assert text.startswith("Key tasks as of 2021-07-01: 48,") and "INN-1-K1" in text and "1 day late" in text


def test_keytasks_refuses_a_date_it_cannot_read(loaded):
    assert "2021-2" in loaded("keytasks", "--as-of", "2021-2", expect=1).err


HEAVY_MODULES = ("pandas", "numpy", "sqlalchemy", "openpyxl", "plotly", "argon2", "streamlit")


@pytest.mark.parametrize("argv", [["--help"], ["user", "--help"], ["nonsense"]])
def test_help_and_usage_import_nothing_heavy(argv):
    """`python -m hqd --help` (and a mistyped command) answer without loading pandas, SQLAlchemy and the rest."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "hqd", *argv], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert done.returncode == (2 if argv == ["nonsense"] else 0)
    imported = {line.split("|")[-1].strip().split(".")[0] for line in done.stderr.splitlines() if "|" in line}
    assert imported.isdisjoint(HEAVY_MODULES), sorted(imported & set(HEAVY_MODULES))


def test_the_parser_offers_every_language_and_bulletin_format():
    from hqd.cli import BULLETIN_FORMAT_CODES, LANGUAGE_CODES
    from hqd.i18n import LANGUAGES
    from hqd.views.bulletin import FORMATS

    assert tuple(LANGUAGES) == LANGUAGE_CODES
    assert tuple(FORMATS) == BULLETIN_FORMAT_CODES
