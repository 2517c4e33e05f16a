"""Who may do what: the named actions of HQD and the role each needs, in one table.

Every check asks authorize(): the navigation, each page's guard, the commit path, rollback,
removing the sample data; authorize_department() adds the department an item belongs to, for
editors, who report only for their own departments. Nothing else compares roles.
"""

from __future__ import annotations

from hqd.refusal import Refusal

# Each role can do everything the roles before it can.
ROLES = ("viewer", "analyst", "editor", "admin")

VIEW = "view"  # the overview, the programme pages and the final assessment
EXPLORE = "explore"  # the explorer and the data-quality page
EXPORT = "export"  # download what the explorer shows as CSV or Excel
UPLOAD = "upload"  # the upload page: template, preview of a file
COMMIT = "commit"  # store a checked file's values
REVIEW_UPLOADS = "review_uploads"  # the upload history, with every original file
ROLLBACK_DATA = "rollback_data"  # take an upload of values out of effect
ROLLBACK_CATALOG = "rollback_catalog"  # take a catalog version out of effect: the targets change
REVISE_CATALOG = "revise_catalog"  # commit a file's 指标目录 sheet as a new catalog version
REMOVE_SAMPLE = "remove_sample"  # delete the sample data
MANAGE_ACCOUNTS = "manage_accounts"  # accounts, and the roles of single sign-on and proxy users
READ_AUDIT = "read_audit"  # the audit log and its hash chain
# Supervision (issue 13).
EXPLAIN = "explain"  # record why an indicator is behind: 原因分析, 整改措施, 预计完成时间
REPORT_KEY_TASKS = "report_key_tasks"  # a key task's progress, its completed milestones and evidence
ANSWER_INSTRUCTION = "answer_instruction"  # answer an instruction (批示) given to one's department
REVIEW_LIGHT = "review_light"  # set an indicator's light for a reporting period, with a reason (人工研判)
INSTRUCT = "instruct"  # give an instruction (批示) on an indicator, task or programme

# The least role each action needs.
LEAST_ROLE = {
    VIEW: "viewer",
    EXPLORE: "analyst",
    EXPORT: "analyst",
    UPLOAD: "editor",
    COMMIT: "editor",
    REVIEW_UPLOADS: "editor",
    ROLLBACK_DATA: "editor",
    ROLLBACK_CATALOG: "admin",
    REVISE_CATALOG: "admin",
    REMOVE_SAMPLE: "admin",
    MANAGE_ACCOUNTS: "admin",
    READ_AUDIT: "admin",
    EXPLAIN: "editor",
    REPORT_KEY_TASKS: "editor",
    ANSWER_INSTRUCTION: "editor",
    REVIEW_LIGHT: "admin",
    INSTRUCT: "admin",
}
ACTIONS = tuple(LEAST_ROLE)

# Actions on one department's items (a figure of an indicator, by its 责任单位): an editor takes them only
# for the departments of their account; the roles from ALL_DEPARTMENTS on, for every department.
DEPARTMENT_SCOPED = frozenset({COMMIT, EXPLAIN, REPORT_KEY_TASKS, ANSWER_INSTRUCTION})
ALL_DEPARTMENTS = "admin"

# The action opening each page is; the navigation shows a page only to those allowed it.
PAGE_ACTIONS = {
    "overview": VIEW,
    "programme": VIEW,
    "assessment": VIEW,
    "explorer": EXPLORE,
    "quality": EXPLORE,
    "upload": UPLOAD,
    "history": REVIEW_UPLOADS,
    "accounts": MANAGE_ACCOUNTS,
    "audit": READ_AUDIT,
    "supervision": VIEW,
    "departments": VIEW,
}

# Supervision's pages (督办, the departments' scorecard): the roles that see only their own departments' items
# there; every other role compares all departments.
OWN_DEPARTMENTS_ONLY = frozenset({"editor"})


class PermissionDenied(Refusal):
    """A role asked for an action it may not take; the code is denied.<action>."""

    def __init__(self, action: str, role: str | None) -> None:
        super().__init__(f"denied.{action}", action=action, role=role)


def role_of(who) -> str | None:
    """Return the role of an identity (anything with .role), or a role given as such (None: nobody)."""
    return who if who is None or isinstance(who, str) else who.role


def authorize(who, action: str) -> bool:
    """Tell whether an identity or a role may take an action; nobody (None) and unknown roles may not.

    An action not in the table raises KeyError: a misspelt check must fail, not pass or refuse quietly.
    """
    needed = LEAST_ROLE[action]
    role = role_of(who)
    return role in ROLES and ROLES.index(role) >= ROLES.index(needed)


def departments_of(who) -> tuple[str, ...]:
    """Return the departments an identity reports for (a role given as such, or nobody: none)."""
    return tuple(getattr(who, "departments", ()) or ())


def authorize_department(who, action: str, department: str) -> bool:
    """Tell whether an identity may take an action on an item of a department (an indicator's 责任单位).

    The role must allow the action; for a department-scoped action an editor must also belong to the
    department, while an admin may act for all. A role given as a bare string belongs to none.
    """
    if not authorize(who, action):
        return False
    if action not in DEPARTMENT_SCOPED or ROLES.index(role_of(who)) >= ROLES.index(ALL_DEPARTMENTS):
        return True
    return department in departments_of(who)


def visible_departments(who, departments) -> tuple[str, ...]:
    """Return the departments whose supervision items and scorecard an identity sees, of those given, in order.

    An editor sees their own departments; leaders, viewers, analysts and admins see all.
    """
    departments = tuple(departments)
    if role_of(who) in OWN_DEPARTMENTS_ONLY:
        mine = set(departments_of(who))
        return tuple(d for d in departments if d in mine)
    return departments


def require(who, action: str) -> None:
    """Raise PermissionDenied unless the identity or role may take the action."""
    if not authorize(who, action):
        raise PermissionDenied(action, role_of(who))
