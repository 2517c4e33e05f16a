"""One path from an uploaded file to stored data, and back out by rollback; shared by the command line and the pages.

Who may commit or roll back is checked here, on the server, whatever the page showed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import pandas as pd

from hqd import store
from hqd.catalog import Catalog
from hqd.changes import compare_observations, count_changes, drop_refused
from hqd.intake import NO_VALUES, check_coverage, check_jumps, read_observations_from_sheets
from hqd.policy import (
    COMMIT,
    EXPLAIN,
    REPORT_KEY_TASKS,
    REVISE_CATALOG,
    ROLLBACK_CATALOG,
    ROLLBACK_DATA,
    authorize,
    authorize_department,
    require,
    role_of,
)
from hqd.problems import ERROR, WARNING, concat_problems, make_problems, problem
from hqd.refusal import Refusal
from hqd.reports import REPORT_NAMES, drop_unchanged, empty_reports, read_reports
from hqd.revisions import CHANGE_COLUMNS, compare_catalogs, read_annual_targets_sheet, read_catalog_sheet
from hqd.store import Engine
from hqd.workbook import ANNUAL_SHEET, CATALOG_SHEET, GUIDE_SHEET, KEY_TASK_SHEET, read_sheets


@dataclass(frozen=True)
class ImportResult:
    """A checked file: its observations compared with the database, catalog changes, problems."""

    file_name: str
    content: bytes
    observations: pd.DataFrame
    problems: pd.DataFrame
    catalog: Catalog | None = None
    catalog_changes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CHANGE_COLUMNS))
    # What the file reports beside its figures (hqd.reports): explanations, key-task progress, completed
    # milestones; only the rows that differ from those in effect.
    reports: dict[str, pd.DataFrame] = field(default_factory=empty_reports)

    @property
    def errors(self) -> pd.DataFrame:
        """Return the problems that block a commit."""
        return self.problems[self.problems["severity"] == ERROR].reset_index(drop=True)

    @property
    def warnings(self) -> pd.DataFrame:
        """Return the problems that do not block a commit."""
        return self.problems[self.problems["severity"] == WARNING].reset_index(drop=True)

    @property
    def ok(self) -> bool:
        """Tell whether the file may be committed."""
        return not len(self.errors)

    def summary(self) -> dict[str, int]:
        """Return the counts shown before a commit."""
        return {
            "rows": len(self.observations),
            **count_changes(self.observations),
            "catalog_changes": len(self.catalog_changes),
            **{name: len(self.reports.get(name, ())) for name in REPORT_NAMES[:3]},
            "errors": len(self.errors),
            "warnings": len(self.warnings),
        }

    def with_refusal(self, refusal: Refusal) -> ImportResult:
        """Return the result with one more error: the refusal (e.g. of the commit), by its code and values."""
        extra = make_problems([problem(refusal.code, **refusal.params)])
        return ImportResult(
            self.file_name,
            self.content,
            self.observations,
            concat_problems(self.problems, extra),
            self.catalog,
            self.catalog_changes,
            self.reports,
        )

    @property
    def has_reports(self) -> bool:
        """Tell whether the file brings an explanation, key-task progress or a completed milestone."""
        return any(len(frame) for frame in self.reports.values())


NOT_YOUR_DEPARTMENT = "problem.not_your_department"


def locate_departments(observations: pd.DataFrame, catalog: Catalog) -> pd.Series:
    """Return the department (责任单位) of each observation's indicator in the period its year falls in.

    An indicator the catalog does not know has none (NaN): the reading already refuses it.
    """
    if observations.empty:
        return pd.Series(index=observations.index, dtype="str")
    periods = {int(year): catalog.period_for_year(int(year)) for year in observations["year"].unique()}
    by_period = catalog.indicators.set_index(["code", "period"])["department"]
    latest = catalog.reporting_targets().set_index("code")["department"]
    keys = pd.MultiIndex.from_arrays([observations["indicator"], observations["year"].map(periods)])
    found = pd.Series(by_period.reindex(keys).to_numpy(), index=observations.index, dtype="str")
    return found.fillna(observations["indicator"].map(latest))


def check_departments(observations: pd.DataFrame, catalog: Catalog, who) -> pd.DataFrame:
    """Return an error at each figure the identity may not report: an indicator of another department."""
    departments = locate_departments(observations, catalog)
    allowed = {d: authorize_department(who, COMMIT, d) for d in departments.dropna().unique()}
    refused = departments.map(allowed).eq(False)
    rows = observations[refused].assign(department=departments[refused])
    return make_problems(
        [
            problem(
                NOT_YOUR_DEPARTMENT,
                sheet=r.sheet,
                row=r.row,
                column=r.column,
                indicator=r.indicator,
                year=int(r.year),
                department=r.department,
            )
            for r in rows.itertuples(index=False)
        ]
    )


def check_report_departments(reports: dict[str, pd.DataFrame], catalog: Catalog, who) -> pd.DataFrame:
    """Return an error at each explanation (by its indicator's 责任单位) and key-task row (by its key task's
    department) the identity may not report: as check_departments does for figures."""
    found = []
    for name, frame, departments in _report_departments(reports, catalog):
        found += _refused(frame, departments, who, EXPLAIN if name == "explanations" else REPORT_KEY_TASKS)
    return make_problems(found)


def _report_departments(reports: dict[str, pd.DataFrame], catalog: Catalog):
    """Yield each report frame of an upload that has rows, its name and its rows' departments: an explanation's
    indicator's 责任单位, a key-task row's key task's department (NaN where unknown)."""
    owners = catalog.key_tasks.drop_duplicates("code").set_index("code")["department"]
    for name in ("explanations", "key_task_reports", "milestone_reports", "evidence"):
        frame = reports.get(name)
        if frame is not None and len(frame):
            by_indicator = name == "explanations"
            yield name, frame, locate_departments(frame, catalog) if by_indicator else frame["key_task"].map(owners)


def _refused(frame: pd.DataFrame, departments: pd.Series, who, action: str) -> list[dict]:
    """Return the not-your-department problem of each row whose department the identity may not act for."""
    allowed = {d: authorize_department(who, action, d) for d in departments.dropna().unique()}
    # A row whose department is unknown is nobody's: only those acting for all departments may send it.
    refused = departments.map(allowed).fillna(authorize_department(who, action, "")).eq(False)
    rows = frame[refused.to_numpy()].assign(_department=departments[refused].fillna("").to_numpy())
    out = []
    for r in rows.to_dict("records"):
        where = {k: r[k] for k in ("sheet", "row", "column") if k in r and not pd.isna(r[k])}
        about = {k: (int(r[k]) if k != "indicator" else r[k]) for k in ("indicator", "year", "month") if k in r}
        out.append(problem(NOT_YOUR_DEPARTMENT, **where, **about, department=r["_department"]))
    return out


def record_refusal(engine: Engine, who, file_name: str, count: int) -> None:
    """Record in the audit log that an identity's file (or form) held items of departments not theirs."""
    detail = {"code": "audit.upload_refused", "count": count, "departments": list(who.departments)}
    store.append_audit(engine, who.username or who.name, who.role, "upload_refused", detail, file_name=file_name)


def prepare_import(
    engine: Engine,
    content: bytes,
    file_name: str,
    today: date | None = None,
    catalog_revision: bool = False,
    who=None,
) -> ImportResult:
    """Read, check and compare a file with the database, committing nothing.

    The 指标目录 and 年度目标 sheets change the catalog only when `catalog_revision` is asked for:
    every template carries the first, and an old template must not quietly undo newer targets.
    With an identity `who` (the pages), each figure of an indicator of a department it may not report
    for is an error at its cell, and the refusal is recorded in the audit log; without one (command
    line) the caller is trusted.
    Raises WorkbookError when the file cannot be read at all or breaks the size limits.
    """
    sheets = read_sheets(content, file_name)
    catalog = store.load_catalog(engine)
    skip = (GUIDE_SHEET, CATALOG_SHEET, ANNUAL_SHEET, KEY_TASK_SHEET)
    observations, problems = read_observations_from_sheets(sheets, catalog.reporting_targets(), today, skip=skip)
    reports, report_problems = read_reports(sheets, catalog, today or date.today(), skip=skip)
    supervision = store.read_supervision(engine)
    reports = drop_unchanged(reports, {name: getattr(supervision, name) for name in REPORT_NAMES[:3]})
    has_reports = any(len(frame) for frame in reports.values())
    # A file of explanations or key-task progress alone is a report without figures, and needs none; when its
    # reports have errors, those errors say what is wrong, not that the file holds no figure.
    if (has_reports or len(report_problems)) and observations.empty:
        problems = make_problems(problems[problems["code"] != NO_VALUES])
    problems = concat_problems(problems, report_problems)
    # What the file is compared with and checked for jumps against: the figures in effect of its years and the years
    # before them, not the whole database.
    years = {int(year) for year in observations["year"].unique()}
    current = store.read_year_figures(engine, years | {year - 1 for year in years})
    revised, catalog_changes = None, pd.DataFrame(columns=CHANGE_COLUMNS)
    if catalog_revision:
        found = []
        if CATALOG_SHEET in sheets:
            revised, changes, catalog_problems = read_catalog_sheet(CATALOG_SHEET, sheets[CATALOG_SHEET], catalog)
            found.append(changes)
            problems = concat_problems(problems, catalog_problems)
        if ANNUAL_SHEET in sheets:
            # Against the revised catalog where the file also changes it: a new target moves the trajectory.
            annual, changes, annual_problems = read_annual_targets_sheet(
                ANNUAL_SHEET, sheets[ANNUAL_SHEET], catalog if revised is None else revised
            )
            found.append(changes)
            problems = concat_problems(problems, annual_problems)
            revised = annual if not changes.empty else revised
        found = [changes for changes in found if len(changes)]
        catalog_changes = pd.concat(found, ignore_index=True) if found else catalog_changes
        # A file that only revises the catalog carries no values, and needs none.
        if not catalog_changes.empty and observations.empty:
            problems = make_problems(problems[problems["code"] != NO_VALUES])
    else:
        ignored = []
        for sheet, read, code in (
            (CATALOG_SHEET, read_catalog_sheet, "problem.catalog_ignored"),
            (ANNUAL_SHEET, read_annual_targets_sheet, "problem.annual_targets_ignored"),
        ):
            if sheet in sheets:
                _, differences, _ = read(sheet, sheets[sheet], catalog)
                if not differences.empty:
                    ignored.append(problem(code, WARNING, sheet=sheet, count=len(differences)))
        problems = concat_problems(problems, make_problems(ignored))
    if not catalog_changes.empty or observations.empty:
        coverage = make_problems()
    else:
        # Against the indicators of the periods the file's years fall in, not of every period.
        periods = {catalog.period_for_year(int(year)) for year in observations["year"].unique()}
        coverage = check_coverage(observations, catalog.indicators[catalog.indicators["period"].isin(periods)])
    problems = concat_problems(problems, check_jumps(observations, current, catalog.reporting_targets()), coverage)
    if who is not None:
        refused = concat_problems(
            check_departments(observations, catalog, who), check_report_departments(reports, catalog, who)
        )
        if len(refused):
            record_refusal(engine, who, file_name, len(refused))
        problems = concat_problems(problems, refused)
    same = store.find_copy(engine, content)
    if same is not None:
        problems = concat_problems(problems, make_problems([problem(same.code, **same.params)]))
    compared = compare_observations(current, drop_refused(observations, problems))
    return ImportResult(file_name, content, compared, problems, revised, catalog_changes, reports)


def commit_import(
    engine: Engine, result: ImportResult, user: str, is_sample: bool = False, role=None
) -> dict[str, int]:
    """Store a checked file without errors, data and catalog together; return the upload ids.

    With an identity or a role (from the pages), it is checked here again (PermissionDenied): editors
    commit data, for their departments only, and only admins change the catalog. Without one
    (command line, first start) the caller is trusted: whoever runs those holds the database itself.
    """
    if role is not None:
        require(role, COMMIT)
        if result.catalog is not None:
            require(role, REVISE_CATALOG)
        # Again here, whatever the preview was checked as: a result prepared without the identity.
        catalog = store.load_catalog(engine)
        refused = concat_problems(
            check_departments(result.observations, catalog, role),
            check_report_departments(result.reports, catalog, role),
        )
        if len(refused):
            if hasattr(role, "departments"):
                record_refusal(engine, role, result.file_name, len(refused))
            raise Refusal("denied.other_department", count=len(refused))
    if not result.ok:
        raise store.StoreError("commit.has_errors", count=len(result.errors))
    if result.observations.empty and result.catalog is None and not result.has_reports:
        raise store.StoreError("commit.nothing")
    summary = result.summary()
    counts = {k: summary[k] for k in ("new", "changed", "unchanged", "warnings")}
    return store.commit_upload(
        engine,
        result.file_name,
        result.content,
        user,
        frame=result.observations,
        catalog=result.catalog,
        counts=counts,
        catalog_counts={"changed": summary["catalog_changes"]},
        is_sample=is_sample,
        role=role_of(role),
        reports=result.reports,
    )


def rollback_action(kind: str) -> str:
    """Return the action that rolling back an upload of this kind needs: a catalog's targets are an admin's decision."""
    return ROLLBACK_CATALOG if kind == store.CATALOG else ROLLBACK_DATA


def upload_departments(engine: Engine, upload_id: int) -> set[str]:
    """Return the departments whose items an upload of values holds: its figures' and explanations' indicators'
    责任单位 and its key-task rows' key tasks' departments ("" for an item whose department is unknown)."""
    catalog = store.load_catalog(engine)
    reports = store.read_upload_reports(engine, upload_id)
    figures = store.read_upload_observations(engine, upload_id)
    found = set(locate_departments(figures, catalog).fillna("")) if len(figures) else set()
    for _, _, departments in _report_departments(reports, catalog):
        found |= set(departments.fillna(""))
    return found


def may_roll_back(who, kind: str, departments: set[str] | frozenset[str] = frozenset()) -> bool:
    """Tell whether an identity or role may roll back an upload of a kind (DATA or CATALOG) holding the items of
    these departments (upload_departments): an editor only an upload all of whose items are their departments'."""
    return authorize(who, rollback_action(kind)) and not departments_outside(who, kind, departments)


def departments_outside(who, kind: str, departments) -> list[str]:
    """Return the departments, of those an upload's items belong to, whose items the identity may not roll back."""
    action = rollback_action(kind)
    return sorted(d for d in departments if not authorize_department(who, action, d))


def rollback(engine: Engine, upload_id: int, user: str, role=None) -> None:
    """Take an upload out of effect (the values it replaced come back), after checking the identity or role.

    An editor may roll back only an upload of values all of whose figures, explanations and key-task rows are
    their departments'; a refusal is recorded in the audit log. As for commit_import, without a role (command
    line) the caller is trusted.
    """
    if role is not None:
        kind = store.upload_kind(engine, upload_id)
        require(role, rollback_action(kind))
        if kind == store.DATA:
            outside = departments_outside(role, kind, upload_departments(engine, upload_id))
            if outside:
                detail = {"code": "audit.rollback_refused", "upload_id": int(upload_id), "departments": outside}
                store.append_audit(engine, user, role_of(role), "rollback_refused", detail, upload_id=int(upload_id))
                raise Refusal("denied.rollback_other_department", upload_id=int(upload_id), departments=outside)
    store.rollback_upload(engine, upload_id, user, role_of(role))


def moment_before(created_at: datetime) -> datetime:
    """Return the last moment before an upload took effect (its own timestamp already includes it)."""
    return created_at - timedelta(microseconds=1)


def describe_upload(engine: Engine, upload_id: int) -> pd.DataFrame:
    """Return what an upload changed: each value it brought and the value in effect before it.

    For a catalog upload, each indicator field it changed (old -> new).
    """
    upload = store.read_uploads(engine).set_index("id").loc[int(upload_id)]
    before = moment_before(upload["created_at"])
    if upload["kind"] == store.CATALOG:
        old = store.load_catalog(engine, as_of=before) if store.has_catalog(engine, before) else None
        new = store.load_catalog(engine, as_of=upload["created_at"])
        return compare_catalogs(old, new) if old is not None else pd.DataFrame(columns=CHANGE_COLUMNS[:5])
    brought = store.read_upload_observations(engine, upload_id)
    return compare_observations(store.read_observations(engine, as_of=before), brought)
