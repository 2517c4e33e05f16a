"""The command line: `python -m hqd`, the same core as the web app, for admins and scripts."""

from __future__ import annotations

import argparse
import errno
import getpass
import json
import re
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from hqd.policy import ROLES
from hqd.refusal import Refusal
from hqd.settings import TimezoneSettingError, database_url

if TYPE_CHECKING:
    import pandas as pd

    from hqd.assessment import Assessment
    from hqd.catalog import Catalog
    from hqd.rollup import Report

# Each command imports what it uses (pandas, SQLAlchemy, openpyxl, plotly take a second to load): `--help`, and a
# mistyped command, answer at once.
OK, FILE_ERRORS, UNREADABLE = 0, 1, 2
# What the parser offers, named here so that building it imports nothing heavy; tests/unit/test_cli.py holds them
# equal to hqd.i18n.LANGUAGES and hqd.views.bulletin.FORMATS.
LANGUAGE_CODES = ("zh", "en")
BULLETIN_FORMAT_CODES = ("docx", "pdf", "html")


def build_parser() -> argparse.ArgumentParser:
    """Return the parser; help is in Chinese and English."""
    parser = argparse.ArgumentParser(
        prog="python -m hqd",
        description="六大工程指标看板命令行 / HQD command line. 数据库由 HQD_DATABASE_URL 指定，"
        "默认 data/hqd.db / The database is HQD_DATABASE_URL, default data/hqd.db.",
    )
    parser.add_argument(
        "--lang",
        choices=list(LANGUAGE_CODES),
        default="zh",
        help="消息的语言，默认中文 / language of the messages, default zh",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    init = commands.add_parser(
        "init", help="创建数据库并载入默认指标目录 / create the database with the default catalog"
    )
    init.add_argument("--sample", action="store_true", help="同时载入示例数据 / also load the sample data")

    template = commands.add_parser("template", help="生成填报模板 / write the fill-in template")
    template.add_argument("out", metavar="OUT.xlsx", type=Path, help="输出文件 / output file")
    template.add_argument("--department", help="只含该责任单位的指标 / only this responsible department's indicators")
    template.add_argument("--blank", action="store_true", help="不预填已有数值 / leave the year cells empty")
    template.add_argument(
        "--annual-targets",
        action="store_true",
        help="管理员的年度目标表（现行规划期每个指标每年的年度目标及来源）/ the admin's annual-targets sheet "
        "(each indicator's target in effect for each year of the current plan period, and its source)",
    )
    template.add_argument(
        "--period",
        help="报告期：年份（如2026）为该年所在规划期的年度模板；年月（如2026-10）为该月应报指标的月度模板，"
        "附去年同期数 / a year (2026) for the annual template of its plan period; a month (2026-10) for the "
        "indicators due that month, with last year's same-period figures",
    )

    imp = commands.add_parser("import", help="检查并导入数据文件 / check and import a data file")
    imp.add_argument("file", metavar="FILE", type=Path, help="Excel 文件 / workbook")
    imp.add_argument("--dry-run", action="store_true", help="只检查，不导入 / check only, commit nothing")
    imp.add_argument("--json", action="store_true", help="输出 JSON / print JSON")
    imp.add_argument("--user", default="cli", help="上传人 / uploader name (default: cli)")
    imp.add_argument(
        "--catalog",
        action="store_true",
        help="同时按「指标目录」表修改目标、权重、责任单位 / also apply the 指标目录 sheet to the catalog",
    )

    progress = commands.add_parser("progress", help="计算进度表 / compute the progress table")
    progress.add_argument("--year", type=int, help="年份，默认为最近有数据的年份 / year, default the latest with data")
    progress.add_argument("--period", help="规划期编码，如 P15 / plan period code, e.g. P15")
    progress.add_argument(
        "--month",
        help="截至某月的序时进度，如 2026-10 / in-year progress at the end of a month, e.g. 2026-10",
    )
    progress.add_argument("--json", action="store_true", help="输出 JSON / print JSON")

    report = commands.add_parser(
        "report", help="生成推进情况通报（Word、PDF 或网页）/ write the progress bulletin (Word, PDF or HTML)"
    )
    report.add_argument("out", metavar="OUT", type=Path, help="输出文件 / output file")
    report.add_argument("--period", help="规划期编码，如 P15 / plan period code, e.g. P15")
    report.add_argument(
        "--month",
        help="通报截至的月份，如 2026-10，默认为最近报送的月份 / the month it reports to, e.g. 2026-10, default "
        "the latest reported",
    )
    report.add_argument(
        "--format",
        choices=list(BULLETIN_FORMAT_CODES),
        help="文件格式，默认按输出文件的扩展名 / file format, by default from OUT's suffix",
    )

    assess = commands.add_parser("assess", help="规划期终期评估 / final assessment of a plan period")
    assess.add_argument(
        "--period", help="规划期编码，默认为最近结束的规划期 / period code, default the latest that has ended"
    )
    assess.add_argument("--json", action="store_true", help="输出 JSON / print JSON")

    keytasks = commands.add_parser("keytasks", help="重点任务及节点状态 / key tasks and their milestones' status")
    keytasks.add_argument(
        "--as-of", help="报告日，如 2025-06-30，默认为今天 / reporting date, e.g. 2025-06-30, default today"
    )
    keytasks.add_argument("--json", action="store_true", help="输出 JSON / print JSON")

    supervise = commands.add_parser("supervision", help="督办事项 / the items departments must answer (督办)")
    supervise.add_argument("--department", help="只列该责任单位 / only this responsible department")
    supervise.add_argument("--period", help="规划期编码，如 P15 / plan period code, e.g. P15")
    supervise.add_argument(
        "--month",
        help="报告期，如 2026-10；默认为进行中的年份及其月份 / reporting month, e.g. 2026-10; "
        "default the year under way",
    )
    supervise.add_argument("--json", action="store_true", help="输出 JSON / print JSON")

    uploads = commands.add_parser("uploads", help="上传历史 / upload history")
    uploads.add_argument("--json", action="store_true", help="输出 JSON / print JSON")

    rollback = commands.add_parser("rollback", help="撤销一次上传 / roll back an upload")
    rollback.add_argument("id", metavar="ID", type=int, help="上传编号 / upload id")
    rollback.add_argument("--user", default="cli", help="操作人 / who rolls back (default: cli)")

    remove = commands.add_parser("remove-sample", help="删除示例数据 / delete the sample data")
    remove.add_argument("--user", default="cli", help="操作人 / who removes it (default: cli)")

    user = commands.add_parser("user", help="管理本地账号 / manage local accounts")
    actions = user.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="新建账号 / add an account")
    add.add_argument("username", help="用户名 / user name")
    add.add_argument("--role", choices=ROLES, required=True, help="角色 / role")
    add.add_argument("--name", help="姓名 / display name")
    departments = actions.add_parser("departments", help="设置填报人员的责任单位 / set an editor's departments")
    departments.add_argument("username", help="用户名 / user name")
    for action in (add, departments):
        action.add_argument(
            "--department",
            action="append",
            default=[],
            required=action is departments,
            help="责任单位，可重复 / department, repeatable (editors only)",
        )
    for action in (add, actions.add_parser("passwd", help="重设密码 / set a new password")):
        action.add_argument(
            "--password-stdin", action="store_true", help="从标准输入读取密码 / read the password from standard input"
        )
    actions.choices["passwd"].add_argument("username", help="用户名 / user name")
    for name, text in (("disable", "停用账号 / disable an account"), ("enable", "启用账号 / enable an account")):
        actions.add_parser(name, help=text).add_argument("username", help="用户名 / user name")
    actions.add_parser("list", help="列出账号 / list accounts")

    identity = commands.add_parser(
        "identity", help="统一身份认证/代理用户的角色 / roles of single sign-on or proxy users"
    )
    identity_actions = identity.add_subparsers(dest="action", required=True, metavar="ACTION")
    give = identity_actions.add_parser("set", help="设置角色 / give a role")
    give.add_argument("identity", help="邮箱或代理用户名 / e-mail or proxy user name")
    give.add_argument("--role", choices=[*ROLES, "none"], required=True, help="角色，none 为移除 / role, none removes")
    give.add_argument("--name", help="姓名 / display name")
    give.add_argument(
        "--department", action="append", default=[], help="责任单位，可重复 / department, repeatable (editors only)"
    )
    identity_actions.add_parser("list", help="列出 / list")

    audit = commands.add_parser("audit", help="查看审计日志 / read the audit log")
    audit.add_argument("--limit", type=int, default=50, help="条数 / how many rows (default 50)")
    audit.add_argument("--action", help="只看某种操作 / only one action, e.g. rollback")
    audit.add_argument("--json", action="store_true", help="输出 JSON / print JSON")
    audit.add_argument(
        "--verify",
        action="store_true",
        help="核对哈希链，有断裂时指出第一处并以 1 退出 / check the hash chain; name the first break and exit 1",
    )

    backup = commands.add_parser("backup", help="备份数据库（运行中也可）/ back up the database, also while running")
    backup.add_argument("out", metavar="OUT", type=Path, help="备份文件 / backup file")

    restore = commands.add_parser(
        "restore", help="用备份替换 SQLite 数据库（须先停止 HQD）/ replace the SQLite database by a backup, HQD stopped"
    )
    restore.add_argument("backup", metavar="BACKUP", type=Path, help="备份文件 / backup file")
    restore.add_argument("--user", default="cli", help="操作人 / who restores (default: cli)")

    grant = commands.add_parser(
        "grant",
        help="以所有者账号授予应用账号所需的最小权限（PostgreSQL）"
        "/ as the owner, give the app's role only what it needs",
    )
    grant.add_argument("role", metavar="APP_ROLE", help="应用使用的数据库角色 / the database role the app signs in as")
    return parser


def records(frame: pd.DataFrame) -> list[dict]:
    """Return JSON-ready records: missing values as null, numpy scalars as Python ones."""
    import numpy as np

    clean = frame.astype(object).where(frame.notna(), None)
    return [{k: (v.item() if isinstance(v, np.generic) else v) for k, v in r.items()} for r in clean.to_dict("records")]


def _print_json(payload: dict) -> None:
    """Print data as indented JSON with Chinese left readable."""
    print(json.dumps(payload, ensure_ascii=False, indent=2, default=str))


def say(args, key: str, **values) -> None:
    """Print a message of hqd.i18n.MESSAGES in the language of the command line (--lang)."""
    from hqd.i18n import translate

    print(translate(key, args.lang, **values))


def problem_records(problems: pd.DataFrame, lang: str) -> list[dict]:
    """Return problems as JSON-ready records: where, the code and its params, and the message in the language."""
    from hqd.i18n import describe_problem

    shown = problems.drop(columns="severity").assign(
        message=[describe_problem(c, p, lang) for c, p in zip(problems["code"], problems["params"], strict=True)]
    )
    return records(shown)


FILE_REFUSALS = {
    errno.ENOENT: "cli.file_missing",
    errno.EACCES: "cli.file_denied",
    errno.EPERM: "cli.file_denied",
    errno.EISDIR: "cli.file_is_directory",
}


def file_refusal(error: OSError, path=None) -> Refusal:
    """Return the refusal of a file the system would not read or write, worded in --lang, not the system's English."""
    where = str(path if path is not None else error.filename or "")
    code = FILE_REFUSALS.get(error.errno, "cli.file_failed")
    return Refusal(code, file=where, errno=error.errno or 0)


def pad(text: str, width: int, right: bool = False) -> str:
    """Return the text filled with spaces to `width` terminal columns (aligned left, or right)."""
    from hqd.formatting import display_width

    fill = " " * max(0, width - display_width(text))
    return fill + text if right else text + fill


def run_init(args) -> int:
    """Create the database with the default catalog, and the sample data if asked."""
    from hqd import store
    from hqd.bootstrap import install_catalog, load_sample

    engine = store.connect()
    # The same turn-taking as the app's first start, which may be happening at this moment.
    with store.first_start_lock(engine):
        created = install_catalog(engine) if not store.has_catalog(engine) else None
        upload_id = load_sample(engine) if args.sample else None
    catalog = store.load_catalog(engine)
    say(args, "cli.init_created" if created else "cli.init_exists", count=catalog.indicators["code"].nunique())
    if args.sample:
        if upload_id:
            say(args, "cli.sample_loaded", upload_id=upload_id)
        else:
            say(args, "cli.sample_exists")
    return OK


def template_period(text: str | None) -> tuple[int | None, int | None]:
    """Return the (year, month) of --period: 2026 is a year (month None), 2026-10 a month; none gives (None, None)."""
    if text is None:
        return None, None
    found = re.fullmatch(r"\s*(\d{4})(?:[-./](\d{1,2}))?\s*", text)
    if not found or (found.group(2) and not 1 <= int(found.group(2)) <= 12):
        raise Refusal("cli.bad_period", value=text)
    return int(found.group(1)), int(found.group(2)) if found.group(2) else None


def run_template(args) -> int:
    """Write the fill-in template pre-filled with the stored values."""
    from hqd import store
    from hqd.submissions import template_reports
    from hqd.workbook import write_annual_targets_template, write_month_template, write_template

    engine = store.connect()
    catalog = store.load_catalog(engine)
    if args.annual_targets:
        # Uploaded back with `import --catalog`, it sets annual targets: an admin's sheet, never a department's.
        args.out.write_bytes(write_annual_targets_template(catalog))
        say(args, "cli.template_written", path=args.out)
        return OK
    if args.department and args.department not in set(catalog.indicators["department"]):
        known = sorted(set(catalog.indicators["department"]))
        raise Refusal("cli.no_department", department=args.department, known=known)
    values = None if args.blank else store.read_observations(engine)
    year, month = template_period(args.period)
    # Filled in, each row shows its status and the explanation in effect (a blank template shows neither).
    reports = None
    if values is not None and (month is not None or year is None):
        reports = template_reports(catalog, values, store.read_supervision(engine), year, month)
    if month is not None:
        content = write_month_template(catalog, year, month, values, department=args.department, reports=reports)
    else:
        period = catalog.period_for_year(year) if year is not None else None
        content = write_template(catalog, values, period=period, department=args.department, reports=reports)
    args.out.write_bytes(content)
    say(args, "cli.template_written", path=args.out)
    return OK


def run_import(args) -> int:
    """Check a file and commit it unless it has errors or --dry-run is given."""
    from hqd import store
    from hqd.i18n import describe_error, problem_line, translate
    from hqd.imports import commit_import, prepare_import
    from hqd.workbook import WorkbookError

    engine = store.connect()
    try:
        try:
            content = args.file.read_bytes()
        except OSError as error:
            raise file_refusal(error, args.file) from error
        result = prepare_import(engine, content, args.file.name, catalog_revision=args.catalog)
    except (Refusal, WorkbookError) as error:
        message = translate("cli.unreadable", args.lang, file=args.file, error=describe_error(error, args.lang))
        if args.json:
            code, params = error.code, {k: str(v) if isinstance(v, Path) else v for k, v in error.params.items()}
            _print_json(
                {
                    "observations": [],
                    "errors": [
                        {"sheet": "", "row": None, "column": "", "code": code, "params": params, "message": message}
                    ],
                    "warnings": [],
                    "summary": {"committed": False},
                }
            )
        else:
            print(message, file=sys.stderr)
        return UNREADABLE
    summary = {**result.summary(), "committed": False, "upload_id": None}
    if result.ok and not args.dry_run:
        try:
            ids = commit_import(engine, result, args.user)
            summary.update(committed=True, upload_id=ids.get(store.DATA, ids.get(store.CATALOG)), upload_ids=ids)
        except Refusal as error:
            result = result.with_refusal(error)
            summary["errors"] = len(result.errors)
    if args.json:
        _print_json(
            {
                "observations": records(
                    result.observations[["indicator", "year", "month", "value", "note", "change", "old_value"]]
                ),
                "errors": problem_records(result.errors, args.lang),
                "warnings": problem_records(result.warnings, args.lang),
                "catalog_changes": records(result.catalog_changes[["code", "period", "field", "old", "new"]]),
                "summary": summary,
            }
        )
    else:
        for _, problem in result.problems.iterrows():
            kind = "cli.problem_error" if problem["severity"] == "error" else "cli.problem_warning"
            say(args, kind, line=problem_line(problem, args.lang))
        say(
            args,
            "cli.import_summary",
            **{k: summary[k] for k in ("rows", "new", "changed", "unchanged")},
            catalog_changes=summary["catalog_changes"],
            errors=summary["errors"],
            warnings=summary["warnings"],
        )
        if summary["committed"]:
            say(args, "cli.imported", upload_id=summary["upload_id"])
        elif result.ok:
            say(args, "cli.dry_run")
        else:
            say(args, "cli.not_imported")
    return OK if result.ok else FILE_ERRORS


# What names an indicator in JSON, the years' and the months' alike.
NAMING_FIELDS = {
    "code": "code",
    "name_zh": "name",
    "name_en": "name_en",
    "unit": "unit",
    "direction": "direction",
    "programme": "programme",
    "task": "task",
    "department": "department",
}
INDICATOR_FIELDS = {
    **NAMING_FIELDS,
    "year": "year",
    "value": "value",
    "base_year": "baseline_year",
    "base_value": "baseline",
    "target_year": "target_year",
    "target_value": "target",
    "completion": "completion",
    "expected": "expected",
    "pace": "pace",
    "score": "score",
    "expected_score": "expected_score",
    "status": "status",
    "projected_value": "projected_value",
    "projected_completion": "projected_completion",
    "projection": "projection",
    "confidence": "confidence",
    "points": "points",
    "needed_change": "needed_change",
    "needed_growth": "needed_growth",
}
PARENT_FIELDS = {
    "score": "score",
    "expected_score": "expected",
    "coverage": "coverage",
    "status": "status",
    "score_change": "score_change",
}


def progress_payload(report: Report, year: int, period: str, catalog: Catalog) -> dict:
    """Return the progress of one year as JSON-ready data."""

    def level(frame: pd.DataFrame, keys: dict[str, str]) -> list[dict]:
        picked = frame[frame["year"] == year]
        return records(picked[list(keys) + list(PARENT_FIELDS)].rename(columns={**keys, **PARENT_FIELDS}))

    def named(rows: list[dict], names: pd.DataFrame) -> list[dict]:
        # The names first after the code, in both languages, as the indicators carry theirs.
        found = names.drop_duplicates("code").set_index("code")
        return [
            {
                "code": r["code"],
                "name_zh": found["name_zh"].get(r["code"]),
                "name_en": found["name_en"].get(r["code"]),
                **{k: v for k, v in r.items() if k != "code"},
            }
            for r in rows
        ]

    indicators = report.indicators[report.indicators["year"] == year]
    return {
        "year": year,
        "period": period,
        "overall": level(report.overall, {})[0],
        "programmes": named(level(report.programmes, {"programme": "code"}), catalog.programmes),
        "tasks": named(level(report.tasks, {"task": "code", "programme": "programme"}), catalog.tasks),
        "indicators": records(indicators[list(INDICATOR_FIELDS)].rename(columns=INDICATOR_FIELDS)),
    }


IN_YEAR_FIELDS = {
    **NAMING_FIELDS,
    "frequency": "frequency",
    "value_kind": "value_kind",
    "as_of_month": "as_of_month",
    "value": "value",
    "annual_target": "annual_target",
    "expected_value": "expected_value",
    "expected_completion": "expected_completion",
    "completion": "completion",
    "attainment": "attainment",
    "gap_points": "gap_points",
    "yoy": "yoy",
    "status": "status",
}
IN_YEAR_PARENT_FIELDS = {
    "score": "score",
    "expected_score": "expected",
    "gap_points": "gap_points",
    "status": "status",
    "children": "children",
    "children_with_data": "children_with_data",
}


def in_year_payload(report: Report, period: str, year: int, month: int) -> dict:
    """Return in-year progress at the end of a month as JSON-ready data (the 序时进度 of each level)."""

    def level(frame: pd.DataFrame, key: str) -> list[dict]:
        return records(frame[[key, *IN_YEAR_PARENT_FIELDS]].rename(columns={key: "code", **IN_YEAR_PARENT_FIELDS}))

    return {
        "period": period,
        "year": year,
        "month": month,
        "overall": level(report.overall, "plan")[0],
        "programmes": level(report.programmes, "programme"),
        "tasks": level(report.tasks, "task"),
        "indicators": records(report.indicators[list(IN_YEAR_FIELDS)].rename(columns=IN_YEAR_FIELDS)),
    }


def _parse_month(text: str) -> tuple[int, int]:
    """Return (year, month) of a YYYY-MM argument; refuse anything else."""
    try:
        year, month = template_period(text)
    except Refusal:
        month = None
    if month is None:
        raise Refusal("cli.bad_month", value=text)
    return year, month


def _programme_rows(catalog: Catalog, payload: dict, lang: str) -> tuple[list[tuple[str, dict]], int]:
    """Return the overall row and each programme's, named in the language, and the width their names need."""
    from hqd.formatting import display_width
    from hqd.i18n import translate

    names = catalog.programmes.set_index("code")["name_zh" if lang == "zh" else "name_en"]
    rows = [(translate("cli.overall", lang), payload["overall"])]
    rows += [(names.get(row["code"], row["code"]), row) for row in payload["programmes"]]
    # Padded by what a terminal shows: a Chinese character is two columns wide.
    return rows, max(display_width(name) for name, _ in rows) + 2


def run_in_year(args, catalog: Catalog, observations: pd.DataFrame, year: int, month: int) -> int:
    """Print in-year progress at the end of a month (序时进度) as a table or JSON."""
    from hqd.i18n import department_name, status_name
    from hqd.inyear import report_in_year

    period = args.period or catalog.period_for_year(year)
    if year not in catalog.years(period):
        raise Refusal("cli.month_outside_period", year=year, period=period)
    report = report_in_year(catalog, observations, period, year, month)
    if report.indicators.empty:
        # A catalog whose indicators are all yearly has nothing to judge before December.
        raise Refusal("cli.nothing_within_year", year=year, month=month, period=period)
    payload = in_year_payload(report, period, year, month)
    if args.json:
        _print_json(payload)
        return OK
    rows, width = _programme_rows(catalog, payload, args.lang)

    def number(value, sign: bool = False) -> str:
        return "—" if value is None else f"{value:+.1f}" if sign else f"{value:.1f}"

    say(args, "cli.in_year_heading", year=year, month=month)
    for name, row in rows:
        print(
            f"{pad(name, width)}{pad(number(row['score']), 8, True)}{pad(number(row['expected']), 8, True)}"
            f"{pad(number(row['gap_points'], True), 8, True)}  {status_name(row['status'], args.lang)}"
        )
    behind = [r for r in payload["indicators"] if r["status"] in ("at_risk", "lagging")]
    if behind:
        print()
        say(args, "cli.attention")
        for r in sorted(behind, key=lambda r: r["gap_points"]):
            say(
                args,
                "cli.in_year_row",
                code=r["code"],
                name=r["name"] if args.lang == "zh" else r["name_en"],
                status=status_name(r["status"], args.lang),
                completion=r["completion"],
                expected=r["expected_completion"],
                department=department_name(r["department"], args.lang),
            )
    return OK


def _open_checked(period: str | None):
    """Return the database's engine, catalog and observations, having refused a plan period it does not know."""
    from hqd import store

    engine = store.connect()
    catalog, observations = store.load_catalog(engine), store.read_observations(engine)
    if period and period not in set(catalog.periods["code"]):
        raise Refusal("cli.unknown_period", period=period, known=catalog.periods["code"].tolist())
    return engine, catalog, observations


def run_progress(args) -> int:
    """Print the progress of one year, or within a year at the end of a month, as a table or JSON."""
    from hqd.i18n import department_name, status_name
    from hqd.inyear import month_in_progress
    from hqd.rollup import compute_report, default_year

    _, catalog, observations = _open_checked(args.period)
    if args.month:
        return run_in_year(args, catalog, observations, *_parse_month(args.month))
    year = args.year or default_year(catalog, observations, args.period)
    period = args.period or catalog.period_for_year(year)
    # A year under way (figures to 1—10月, none for December yet) is reported against 序时进度.
    month = month_in_progress(catalog, observations, period, year)
    if month is not None:
        return run_in_year(args, catalog, observations, year, month)
    report = compute_report(catalog, observations, years=sorted({year - 1, year}), period=period)
    payload = progress_payload(report, year, period, catalog)
    if args.json:
        _print_json(payload)
        return OK
    rows, width = _programme_rows(catalog, payload, args.lang)

    def line(name: str, row: dict) -> str:
        score = "—" if row["score"] is None else f"{row['score']:.1f}"
        expected = "—" if row["expected"] is None else f"{row['expected']:.1f}"
        return (
            f"{pad(name, width)}{pad(score, 8, True)}{pad(expected, 8, True)}  {status_name(row['status'], args.lang)}"
        )

    say(args, "cli.progress_heading", year=year)
    for name, row in rows:
        print(line(name, row))
    behind = [r for r in payload["indicators"] if r["status"] in ("lagging", "missed", "regressing")]
    if behind:
        print()
        say(args, "cli.attention")
        for r in behind:
            say(
                args,
                "cli.attention_row",
                code=r["code"],
                name=r["name"] if args.lang == "zh" else r["name_en"],
                status=status_name(r["status"], args.lang),
                completion=r["completion"],
                department=department_name(r["department"], args.lang),
            )
    return OK


def assessment_payload(assessment: Assessment, catalog: Catalog) -> dict:
    """Return a period's final assessment as JSON-ready data: the period, overall, programmes, tasks, indicators."""
    period = catalog.periods.set_index("code").loc[assessment.period]

    def named(frame: pd.DataFrame, key: str, names: pd.DataFrame) -> list[dict]:
        found = names.drop_duplicates("code").set_index("code")
        rows = frame.rename(columns={key: "code"})
        rows.insert(1, "name_zh", rows["code"].map(found["name_zh"]))
        rows.insert(2, "name_en", rows["code"].map(found["name_en"]))
        return records(rows)

    return {
        "period": assessment.period,
        "name_zh": period["name_zh"],
        "name_en": period["name_en"],
        "target_year": assessment.target_year,
        "overall": records(assessment.overall)[0],
        "programmes": named(assessment.programmes, "programme", catalog.programmes),
        "tasks": named(assessment.tasks, "task", catalog.tasks),
        "indicators": records(assessment.indicators),
    }


def run_report(args) -> int:
    """Write the progress bulletin (通报) of a month to a file, as Word, PDF or HTML."""
    from hqd import store
    from hqd.rollup import default_period
    from hqd.views.bulletin import (
        FORMATS as BULLETIN_FORMATS,
    )
    from hqd.views.bulletin import (
        bulletin_month,
        make_bulletin,
        missing_for,
        write_bulletin,
    )

    engine, catalog, observations = _open_checked(args.period)
    if args.month:
        year, month = _parse_month(args.month)
        period = args.period or catalog.period_for_year(year)
    else:
        period = args.period or default_period(catalog, observations)
        year, month = bulletin_month(catalog, observations, period)
    suffixes = {suffix: fmt for fmt, (suffix, _) in BULLETIN_FORMATS.items()}
    fmt = args.format or suffixes.get(args.out.suffix.lower(), "docx")
    missing = missing_for(fmt)
    if missing is not None:
        raise missing
    bulletin = make_bulletin(
        catalog,
        observations,
        period,
        year,
        month,
        sample=store.has_sample(engine),
        lang=args.lang,
        supervision=store.read_supervision(engine),
    )
    args.out.write_bytes(write_bulletin(bulletin, fmt).data)
    say(args, "cli.bulletin_written", file=str(args.out))
    return OK


def run_assess(args) -> int:
    """Print a finished period's final assessment as a table or JSON."""
    from hqd import store
    from hqd.assessment import OUTCOMES, assess_period, latest_ended_period
    from hqd.formatting import display_width, format_value, share_text
    from hqd.i18n import outcome_text, translate
    from hqd.rollup import compute_report

    engine = store.connect()
    catalog, observations = store.load_catalog(engine), store.read_observations(engine)
    known = catalog.periods["code"].tolist()
    period = args.period or latest_ended_period(catalog, observations)
    if period is None:
        raise Refusal("cli.no_ended_period")
    if period not in known:
        raise Refusal("cli.unknown_period", period=period, known=known)
    assessment = assess_period(compute_report(catalog, observations, period=period), catalog, period)
    payload = assessment_payload(assessment, catalog)
    if args.json:
        _print_json(payload)
        return OK
    name = "name_zh" if args.lang == "zh" else "name_en"
    rows = [(translate("cli.overall", args.lang), payload["overall"])]
    rows += [(row[name] or row["code"], row) for row in payload["programmes"]]
    # Padded by what a terminal shows: a Chinese character is two columns wide.
    width = max(display_width(text) for text, _ in rows) + 2

    def counts(text: str, row: dict) -> str:
        numbers = "".join(pad(str(row[k]), 6, True) for k in ("indicators", "met", "not_met", "no_data"))
        return f"{pad(text, width)}{numbers}{pad(share_text(row['share_met']), 8, True)}"

    say(args, "cli.assess_heading", period=payload[name], year=payload["target_year"])
    for text, row in rows:
        print(counts(text, row))
    print()
    say(args, "cli.assess_indicators")
    shown = [(f"{r['code']} {r[name]}", r) for r in payload["indicators"]]
    width = max(display_width(text) for text, _ in shown) + 2
    outcomes = {o: outcome_text(o, args.lang) for o in OUTCOMES}
    outcome_width = max(display_width(text) for text in outcomes.values()) + 2
    for text, r in shown:
        gap = format_value(r["gap"], r["unit"], args.lang)
        print(
            f"{pad(text, width)}{pad(outcomes[r['outcome']], outcome_width)}"
            f"{pad(share_text(r['attainment']), 8, True)}{pad(gap, 14, True)}"
        )
    return OK


def run_keytasks(args) -> int:
    """Print every key task's status at a reporting date, with its milestones in JSON."""
    from hqd import store
    from hqd.formatting import display_width
    from hqd.i18n import key_task_status_text
    from hqd.keytasks import key_task_status

    try:
        as_of = date.fromisoformat(args.as_of) if args.as_of else date.today()
    except ValueError:
        raise Refusal("cli.bad_date", text=args.as_of) from None
    engine = store.connect()
    catalog = store.load_catalog(engine)
    tasks, steps = key_task_status(catalog.key_tasks, catalog.milestones, store.read_milestone_reports(engine), as_of)
    if args.json:
        milestones = steps[["key_task", "step", "due", "description_zh", "status", "days_late"]]
        payload = records(tasks[["code", "task", "name_zh", "department", "start", "due", "status", "days_late"]])
        for row in payload:
            row["milestones"] = records(milestones[milestones["key_task"] == row["code"]].drop(columns="key_task"))
        _print_json({"as_of": as_of.isoformat(), "key_tasks": payload})
        return OK
    say(
        args,
        "cli.keytasks_heading",
        date=as_of.isoformat(),
        total=len(tasks),
        late=int(tasks["status"].eq("late").sum()),
    )
    shown = [f"{code} {name}" for code, name in zip(tasks["code"], tasks["name_zh"], strict=True)]
    width = max((display_width(text) for text in shown), default=0) + 2
    for text, status, days in zip(shown, tasks["status"], tasks["days_late"], strict=True):
        print(f"{pad(text, width)}{key_task_status_text(status, days, args.lang)}")
    return OK


def run_supervision(args) -> int:
    """Print the 督办 list of a reporting period, per department, as text or JSON."""
    from hqd import store
    from hqd.catalog import list_departments
    from hqd.i18n import department_name
    from hqd.inyear import month_in_progress, report_in_year
    from hqd.rollup import compute_report, default_year
    from hqd.supervision import count_supervision
    from hqd.views.supervision import collect_supervision, items_table, period_text

    engine, catalog, observations = _open_checked(args.period)
    if args.month:
        year, month = _parse_month(args.month)
        period = args.period or catalog.period_for_year(year)
        report = report_in_year(catalog, observations, period, year, month)
    else:
        # The year under way and its month, as `progress` chooses; a finished year at its December.
        year = default_year(catalog, observations, args.period)
        period = args.period or catalog.period_for_year(year)
        month = month_in_progress(catalog, observations, period, year)
        report = (
            report_in_year(catalog, observations, period, year, month)
            if month is not None
            else compute_report(catalog, observations, years=[year], period=period)
        )
        month = month or 12
    found = collect_supervision(report, catalog, store.read_supervision(engine), year, month, None)
    items = found.items
    if args.department:
        if args.department not in set(list_departments(catalog)["zh"]) | set(items["department"]):
            raise Refusal("cli.unknown_department", department=args.department)
        items = items[items["department"] == args.department].reset_index(drop=True)
    if args.json:
        payload = {"period": period, "year": year, "month": month, "today": found.today, "as_of": found.as_of}
        _print_json(payload | {"items": records(items)})
        return OK
    counts = count_supervision(items)
    say(
        args,
        "cli.supervision_heading",
        period=period_text(year, month, args.lang),
        today=found.today.isoformat(),
        open=int(counts["open"].sum()),
        overdue=int(counts["overdue"].sum()),
    )
    if items.empty:
        say(args, "cli.supervision_none")
        return OK
    for department, open_items in zip(counts["department"], counts["open"], strict=True):
        print()
        say(args, "cli.supervision_department", department=department_name(department, args.lang), open=open_items)
        shown = items_table(items[items["department"] == department], catalog, args.lang, links=False)
        for row in shown.itertuples(index=False):
            kind, item, state, since = row[0], row[1], row[2], row[3]
            print(f"  {pad(kind, 14)}{pad(state, 22)}{pad(since, 12)}{item}")
    return OK


def run_uploads(args) -> int:
    """Print the upload history, newest first."""
    import pandas as pd

    from hqd import store
    from hqd.formatting import to_local
    from hqd.i18n import translate

    frame = store.read_uploads(store.connect())
    if args.json:
        _print_json({"uploads": records(frame)})
        return OK
    for row in frame.itertuples():
        when = to_local(row.created_at)
        say(
            args,
            "cli.upload_row",
            id=row.id,
            time=f"{when:%Y-%m-%d %H:%M}",
            kind=translate("history.kind_data" if row.kind == store.DATA else "history.kind_catalog", args.lang),
            sample=translate("cli.sample_mark", args.lang) if row.is_sample else "",
            state=translate("cli.rolled_back" if pd.notna(row.rolled_back_at) else "cli.in_effect", args.lang),
            user=row.user_name,
            file=row.file_name,
            rows=row.rows,
            new=row.new,
            changed=row.changed,
            unchanged=row.unchanged,
        )
    return OK


def run_rollback(args) -> int:
    """Take one upload out of effect."""
    from hqd import store
    from hqd.imports import rollback

    rollback(store.connect(), args.id, args.user)
    say(args, "history.rolled", id=args.id)
    return OK


def run_remove_sample(args) -> int:
    """Delete the sample data."""
    from hqd import store
    from hqd.bootstrap import remove_sample

    removed = remove_sample(store.connect(), args.user)
    if removed:
        say(args, "cli.sample_removed", count=removed)
    else:
        say(args, "cli.no_sample")
    return OK


def _read_password(args) -> str:
    """Return a new password from standard input or typed twice at a prompt; never echoed."""
    from hqd.accounts import check_password
    from hqd.i18n import translate

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(translate("cli.password_prompt", args.lang))
        if getpass.getpass(translate("cli.password_again", args.lang)) != password:
            raise Refusal("cli.password_mismatch")
    problem = check_password(password)
    if problem:
        raise problem
    return password


def run_user(args) -> int:
    """Add an account, set its password, disable or enable it, or list the accounts."""
    from hqd import store
    from hqd.accounts import check_account, check_departments, count_active_admins, hash_password
    from hqd.i18n import department_name, role_name, translate

    engine = store.connect()
    accounts = store.read_accounts(engine)
    if args.action == "list":
        kept = store.read_account_departments(engine).groupby("username")["department"].agg(list)
        for row in accounts.itertuples():
            state = translate("cli.account_disabled" if row.disabled else "cli.account_enabled", args.lang)
            joiner = "、" if args.lang == "zh" else ", "
            departments = joiner.join(department_name(d, args.lang) for d in kept.get(row.username, []))
            print(f"{row.username:<20}{row.display_name:<12}{role_name(row.role, args.lang):<10}{state}  {departments}")
        return OK
    existing = store.read_account(engine, args.username)
    active_admins = count_active_admins(accounts)
    if args.action == "add":
        if existing:
            raise Refusal("cli.account_exists", username=args.username)
        password = _read_password(args)
        problem = check_account(args.username, password, args.role, False, None, active_admins)
        problem = problem or check_departments(args.role, args.department, _known_departments(engine))
        fields = {
            "departments": args.department,
            "display_name": args.name or args.username,
            "role": args.role,
            "password_hash": hash_password(password),
            "disabled": False,
        }
    elif existing is None:
        raise Refusal("cli.no_account", username=args.username)
    elif args.action == "departments":
        problem = check_departments(existing["role"], args.department, _known_departments(engine))
        fields = {"departments": args.department}
    elif args.action == "passwd":
        problem = None
        fields = {"password_hash": hash_password(_read_password(args)), "failed_attempts": 0, "locked_until": None}
    else:
        disabled = args.action == "disable"
        problem = check_account(args.username, "", existing["role"], disabled, existing, active_admins)
        fields = {"disabled": disabled}
    if problem:
        raise problem
    store.save_account(engine, args.username, "cli", None, **fields)
    say(args, ACCOUNT_DONE[args.action], username=args.username)
    return OK


def _known_departments(engine) -> list[str]:
    """Return the departments an account may belong to: the zone's, and any the stored catalog names."""
    from hqd import store
    from hqd.catalog import list_departments

    catalog = store.load_catalog(engine) if store.has_catalog(engine) else None
    return list(list_departments(catalog)["zh"])


ACCOUNT_DONE = {
    "add": "cli.account_add",
    "departments": "cli.account_departments",
    "passwd": "cli.account_passwd",
    "disable": "cli.account_disable",
    "enable": "cli.account_enable",
}


def run_identity(args) -> int:
    """Give a single sign-on or proxy identity a role, or list them."""
    from hqd import store
    from hqd.accounts import check_departments
    from hqd.i18n import role_name, translate

    engine = store.connect()
    if args.action == "list":
        for row in store.read_identity_roles(engine).itertuples():
            print(f"{row.identity:<36}{row.display_name or '':<12}{role_name(row.role, args.lang)}")
        return OK
    role = None if args.role == "none" else args.role
    if role and (problem := check_departments(role, args.department, _known_departments(engine))):
        raise problem
    store.save_identity_role(engine, args.identity, role, "cli", None, args.name, args.department)
    shown = role_name(role, args.lang) if role else translate("cli.identity_none", args.lang)
    say(args, "cli.identity_set", identity=args.identity, role=shown)
    return OK


def run_audit(args) -> int:
    """Print the newest audit rows, or check the hash chain of them all."""
    import pandas as pd

    from hqd import store
    from hqd.formatting import to_local
    from hqd.i18n import audit_chain_text, describe_audit_detail

    if args.verify:
        check = store.verify_audit(store.connect())
        print(audit_chain_text(check, args.lang))
        if check.intact:
            # Kept elsewhere, the last hash shows later whether the whole chain was rewritten.
            say(args, "cli.last_hash", hash=check.last_hash)
        return OK if check.intact else FILE_ERRORS
    rows = store.read_audit(store.connect(), limit=args.limit, action=args.action)
    if args.json:
        # The detail as words, as before details were stored as data.
        details = [describe_audit_detail(d) if isinstance(d, str) else d for d in rows["detail"]]
        _print_json({"audit": records(rows.assign(detail=details))})
        return OK
    for row in rows.itertuples():
        when = to_local(row.at)
        print(
            f"{when:%Y-%m-%d %H:%M:%S}  {row.user_name:<12}{row.action:<18}"
            f"{describe_audit_detail(row.detail, args.lang)}"
            + (f"  [#{row.upload_id} {row.file_name}]" if pd.notna(row.upload_id) else "")
        )
    return OK


def run_backup(args) -> int:
    """Write a consistent copy of the database."""
    from hqd import store

    store.backup(store.connect(), args.out)
    say(args, "cli.backup_done", path=args.out)
    return OK


def run_restore(args) -> int:
    """Replace the SQLite database by a checked backup, and audit it."""
    from hqd import store
    from hqd.i18n import audit_chain_text

    url = database_url()
    kept = store.restore_backup(url, args.backup)
    engine = store.connect(url)
    detail = {"code": "audit.restored", "backup": args.backup.name}
    if kept:
        detail |= {"code": "audit.restored_kept", "kept": kept.name}
    store.append_audit(engine, args.user, None, "restore", detail)
    check = store.verify_audit(engine)
    engine.dispose()
    if kept:
        say(args, "cli.restored_kept", backup=args.backup, kept=kept)
    else:
        say(args, "cli.restored", backup=args.backup)
    print(audit_chain_text(check, args.lang))
    return OK


def run_grant(args) -> int:
    """Give the app's PostgreSQL role the privileges it needs and no more."""
    from hqd import store

    store.grant_app_role(store.connect(), args.role)
    say(args, "cli.granted", role_name=args.role)
    return OK


COMMANDS = {
    "init": run_init,
    "template": run_template,
    "import": run_import,
    "progress": run_progress,
    "report": run_report,
    "assess": run_assess,
    "keytasks": run_keytasks,
    "supervision": run_supervision,
    "uploads": run_uploads,
    "rollback": run_rollback,
    "remove-sample": run_remove_sample,
    "user": run_user,
    "identity": run_identity,
    "audit": run_audit,
    "backup": run_backup,
    "restore": run_restore,
    "grant": run_grant,
}


def main(argv: list[str] | None = None) -> int:
    """Run one command; return its exit code."""
    args = build_parser().parse_args(argv)
    from hqd.i18n import describe_error, translate

    try:
        return COMMANDS[args.command](args)
    except Refusal as error:
        print(translate("cli.error", args.lang, message=describe_error(error, args.lang)), file=sys.stderr)
        return FILE_ERRORS
    except OSError as error:
        # A file named on the command line (template, backup, restore) that cannot be read or written.
        refusal = file_refusal(error)
        print(translate("cli.error", args.lang, message=describe_error(refusal, args.lang)), file=sys.stderr)
        return FILE_ERRORS
    except TimezoneSettingError as error:
        message = translate("settings.bad_timezone", args.lang, name=error.name)
        print(translate("cli.error", args.lang, message=message), file=sys.stderr)
        return FILE_ERRORS
