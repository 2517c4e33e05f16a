"""Departments' reports made in a page's form: an explanation of an indicator behind, a key task's progress.

Each is checked as a file's would be (hqd.reports: lengths, dates, an evidence file by its content), against the
policy for the item's department (an editor of another department is refused, with an audit row as for a file),
and stored as an upload made in code (content None, file name settings.FORM_FILE): versioned, rolled back and seen
"as of" a moment like any upload. Also what a template shows beside the figures (template_reports).
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from hqd import store
from hqd.catalog import Catalog
from hqd.i18n import name_column, translator
from hqd.imports import locate_departments, record_refusal
from hqd.inyear import judge_in_year, month_in_progress
from hqd.labels import format_period
from hqd.policy import EXPLAIN, REPORT_KEY_TASKS, authorize_department, require, role_of
from hqd.problems import ERROR, make_problems, problem
from hqd.refusal import Refusal
from hqd.reports import (
    EXPLANATION_COLUMNS,
    check_evidence,
    check_explanation,
    check_text,
    drop_unchanged,
)
from hqd.rollup import compute_report, default_year
from hqd.settings import FORM_FILE, MAX_PROGRESS_CHARS
from hqd.store import Engine
from hqd.store.supervision import KEY_TASK_REPORT_COLUMNS, MILESTONE_REPORT_COLUMNS
from hqd.workbook import EXPLANATION_HEADERS, KEY_TASK_HEADERS, TemplateReports


def indicator_department(catalog: Catalog, indicator: str, year: int) -> str:
    """Return an indicator's 责任单位 in the period a year falls in ("" when the catalog names none)."""
    found = locate_departments(pd.DataFrame({"indicator": [indicator], "year": [int(year)]}), catalog).iat[0]
    return "" if pd.isna(found) else str(found)


def key_task_department(catalog: Catalog, key_task: str) -> str:
    """Return the department a key task belongs to ("" for an unknown key task)."""
    found = catalog.key_tasks.loc[catalog.key_tasks["code"] == key_task, "department"]
    return str(found.iat[0]) if len(found) else ""


def may_explain(who, catalog: Catalog, indicator: str, year: int) -> bool:
    """Tell whether an identity may record an indicator's explanation: an editor of its department, or an admin."""
    return authorize_department(who, EXPLAIN, indicator_department(catalog, indicator, year))


def may_report_key_task(who, catalog: Catalog, key_task: str) -> bool:
    """Tell whether an identity may report a key task's progress: an editor of its department, or an admin."""
    return authorize_department(who, REPORT_KEY_TASKS, key_task_department(catalog, key_task))


def _authorize(engine: Engine, who, action: str, department: str) -> None:
    """Refuse (PermissionDenied for the role; Refusal for another department, audited) unless `who` may act."""
    require(who, action)
    if not authorize_department(who, action, department):
        record_refusal(engine, who, FORM_FILE, 1)
        raise Refusal("denied.department", department=department)


def _commit(engine: Engine, who, user: str, reports: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Store the reports that differ from those in effect as one upload; a problem when none does."""
    supervision = store.read_supervision(engine)
    reports = drop_unchanged(reports, {name: getattr(supervision, name) for name in reports if name != "evidence"})
    if not any(len(frame) for frame in reports.values()):
        return make_problems([problem("problem.nothing_reported")])
    store.commit_upload(engine, FORM_FILE, None, user, reports=reports, role=role_of(who))
    return make_problems()


def record_explanation(
    engine: Engine,
    who,
    indicator: str,
    year: int,
    month: int,
    cause: str,
    measures: str,
    expected_by: date | None,
    user: str,
) -> pd.DataFrame:
    """Record an indicator's explanation for a reporting month (原因分析, 整改措施, 预计完成时间) from a form.

    Returns the problems (empty when it was stored): both texts are needed, each within its limit; the expected
    date not before the month. Raises PermissionDenied for a role that may not explain, and Refusal (with an
    audit row) for an editor of another department.
    """
    catalog = store.load_catalog(engine)
    if indicator not in set(catalog.indicators["code"]):
        return make_problems([problem("problem.unknown_indicator", text=str(indicator))])
    _authorize(engine, who, EXPLAIN, indicator_department(catalog, indicator, year))
    cause, measures = (cause or "").strip(), (measures or "").strip()
    about = {"indicator": indicator, "year": int(year), "month": int(month)}
    if not cause and not measures:
        return make_problems([problem("problem.explanation_incomplete", **about, field=EXPLANATION_HEADERS["cause"])])
    expected, found = check_explanation(cause, measures, expected_by, int(year), int(month), about=about)
    if any(p["severity"] == ERROR for p in found):
        return make_problems(found)
    frame = pd.DataFrame([{**about, "cause": cause, "measures": measures, "expected_by": expected}])
    return _commit(engine, who, user, {"explanations": frame[EXPLANATION_COLUMNS]})


def record_key_task_progress(
    engine: Engine,
    who,
    key_task: str,
    year: int,
    month: int,
    progress: str,
    completed: dict[int, date | None],
    evidence: tuple[str, bytes] | None,
    user: str,
    today: date | None = None,
) -> pd.DataFrame:
    """Record a key task's progress for a reporting month from a form: 进展情况, milestones completed with their
    date, an optional evidence file (checked by its content, kept with its hash).

    Returns the problems (empty when it was stored). Raises as record_explanation does.
    """
    today = today or date.today()
    catalog = store.load_catalog(engine)
    if key_task not in set(catalog.key_tasks["code"]):
        return make_problems([problem("problem.unknown_key_task", text=str(key_task))])
    _authorize(engine, who, REPORT_KEY_TASKS, key_task_department(catalog, key_task))
    progress = (progress or "").strip()
    found = check_text(progress, MAX_PROGRESS_CHARS, KEY_TASK_HEADERS["progress"])
    steps = set(catalog.milestones.loc[catalog.milestones["key_task"] == key_task, "step"].astype("int64"))
    reported = store.read_milestone_reports(engine)
    in_effect = set(reported.loc[reported["key_task"] == key_task, "step"].astype("int64"))
    done = []
    for step, when in sorted(completed.items()):
        if when is None:
            # A completion is taken back by rolling back the upload that brought it, never by a blank date.
            if int(step) in in_effect:
                found.append(problem("problem.completion_cleared", key_task=key_task, step=int(step)))
            continue
        if int(step) not in steps:
            found.append(problem("problem.unknown_step", key_task=key_task, step=str(step)))
        elif when > today:
            found.append(problem("problem.completed_in_future", key_task=key_task, value=when.isoformat()))
        else:
            done.append({"key_task": key_task, "step": int(step), "completed_on": when})
    proof = pd.DataFrame()
    if evidence is not None:
        proof, evidence_problems = check_evidence(key_task, None, *evidence)
        found += evidence_problems
    if any(p["severity"] == ERROR for p in found):
        return make_problems(found)
    reports = {
        "key_task_reports": pd.DataFrame(
            [{"key_task": key_task, "year": int(year), "month": int(month), "progress": progress}] if progress else [],
            columns=KEY_TASK_REPORT_COLUMNS,
        ),
        "milestone_reports": pd.DataFrame(done, columns=MILESTONE_REPORT_COLUMNS),
        "evidence": proof,
    }
    return _commit(engine, who, user, reports)


def template_reports(
    catalog: Catalog,
    observations: pd.DataFrame,
    supervision: store.Supervision | None,
    year: int | None = None,
    month: int | None = None,
) -> TemplateReports:
    """Return what a template shows beside the figures: each indicator's status at the month reported, and the
    explanations, completed milestones and key-task progress in effect.

    A month's template is of its month; the years' template of the current period's latest year, at its month in
    progress while it is under way, else at its end.
    """
    if year is None or month is None:
        period = catalog.period_for_year()
        year = default_year(catalog, observations, period)
        month = month_in_progress(catalog, observations, period, year) or 12
        if month == 12:
            report = compute_report(catalog, observations, period=period).indicators
            rows = report[report["year"] == year]
        else:
            rows = judge_in_year(catalog, observations, period, year, month)
    else:
        rows = judge_in_year(catalog, observations, catalog.period_for_year(year), year, month)
    statuses = rows.drop_duplicates("code", keep="last").set_index("code")["status"]
    if supervision is None:
        return TemplateReports(int(year), int(month), statuses)
    return TemplateReports(
        int(year),
        int(month),
        statuses,
        supervision.explanations,
        supervision.milestone_reports,
        supervision.key_task_reports,
    )


def programme_key_tasks(catalog: Catalog, programme: str) -> pd.DataFrame:
    """Return the key tasks of a programme's tasks, by code, each with its milestones' count."""
    tasks = catalog.tasks.loc[catalog.tasks["programme"] == programme, "code"]
    return catalog.key_tasks[catalog.key_tasks["task"].isin(tasks)].sort_values("code").reset_index(drop=True)


def report_tables(reports: dict[str, pd.DataFrame], catalog: Catalog, lang: str) -> list[tuple[str, pd.DataFrame]]:
    """Return what a checked file reports beside its figures, a (title, table) per kind that has rows, as shown.

    Texts stay as typed: a table shows them as text, never as markdown or HTML.
    """
    t = translator(lang)
    names = catalog.reporting_targets().set_index("code")[name_column(lang)]
    task_names = catalog.key_tasks.drop_duplicates("code").set_index("code")["name_zh"]
    out = []
    frame = reports.get("explanations")
    if frame is not None and len(frame):
        table = pd.DataFrame(
            {
                t("col.indicator"): frame["indicator"].map(names).fillna(frame["indicator"]).to_numpy(),
                t("report.col_period"): [
                    format_period(y, m, lang, "month" if m < 12 else "year")
                    for y, m in zip(frame["year"], frame["month"], strict=True)
                ],
                t("report.col_cause"): frame["cause"].to_numpy(),
                t("report.col_measures"): frame["measures"].to_numpy(),
                t("report.col_expected"): [d.isoformat() if d else "" for d in frame["expected_by"]],
            }
        )
        out.append((t("report.explanations", count=len(frame)), table))
    frame = reports.get("key_task_reports")
    if frame is not None and len(frame):
        table = pd.DataFrame(
            {
                t("keytask.col_name"): (
                    frame["key_task"] + " " + frame["key_task"].map(task_names).fillna("")
                ).to_numpy(),
                t("report.col_period"): [
                    format_period(y, m, lang, "month") for y, m in zip(frame["year"], frame["month"], strict=True)
                ],
                t("report.col_progress"): frame["progress"].to_numpy(),
            }
        )
        out.append((t("report.progress", count=len(frame)), table))
    frame = reports.get("milestone_reports")
    if frame is not None and len(frame):
        table = pd.DataFrame(
            {
                t("keytask.col_name"): (
                    frame["key_task"] + " " + frame["key_task"].map(task_names).fillna("")
                ).to_numpy(),
                t("report.col_step"): frame["step"].astype("int64").to_numpy(),
                t("report.col_completed"): [d.isoformat() for d in frame["completed_on"]],
            }
        )
        out.append((t("report.milestones", count=len(frame)), table))
    return out
