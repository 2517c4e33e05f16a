"""Who may do what: the named actions of HQD and the roles allowed each, in one table.

Every check asks authorize(): the navigation, each page's guard, the commit path, rollback,
removing the sample data; authorize_department() adds the department an item belongs to, for
editors, who report only for their own departments. Nothing else compares roles.
"""

from __future__ import annotations

from hqd.refusal import Refusal

# The roles, in the order they are offered. They are no chain: a leader reads what an analyst reads and reviews
# lights and instructs, but neither uploads nor commits as an editor does.
ROLES = ("viewer", "analyst", "leader", "editor", "admin")

VIEW = "view"  # the overview, the programme pages and the final assessment
EXPLORE = "explore"  # the explorer and the data-quality page
EXPORT = "export"  # download what the explorer shows as CSV or Excel
EXPORT_BULLETIN = "export_bulletin"  # the monthly bulletin (通报) as Word, PDF or HTML, from the overview
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

# The role × action table, cell by cell: may (_Y) or may not (_N).
_Y, _N = True, False
TABLE = {
    #                viewer analyst leader editor admin
    VIEW: (_Y, _Y, _Y, _Y, _Y),
    EXPLORE: (_N, _Y, _Y, _Y, _Y),
    EXPORT: (_N, _Y, _Y, _Y, _Y),
    # A bulletin goes out under the office's name: those who answer for the figures, and leaders, make it.
    EXPORT_BULLETIN: (_N, _N, _Y, _Y, _Y),
    UPLOAD: (_N, _N, _N, _Y, _Y),
    COMMIT: (_N, _N, _N, _Y, _Y),
    REVIEW_UPLOADS: (_N, _N, _N, _Y, _Y),
    ROLLBACK_DATA: (_N, _N, _N, _Y, _Y),
    ROLLBACK_CATALOG: (_N, _N, _N, _N, _Y),
    REVISE_CATALOG: (_N, _N, _N, _N, _Y),
    REMOVE_SAMPLE: (_N, _N, _N, _N, _Y),
    MANAGE_ACCOUNTS: (_N, _N, _N, _N, _Y),
    READ_AUDIT: (_N, _N, _N, _N, _Y),
    EXPLAIN: (_N, _N, _N, _Y, _Y),
    REPORT_KEY_TASKS: (_N, _N, _N, _Y, _Y),
    ANSWER_INSTRUCTION: (_N, _N, _N, _Y, _Y),
    REVIEW_LIGHT: (_N, _N, _Y, _N, _Y),
    INSTRUCT: (_N, _N, _Y, _N, _Y),
}
# The roles allowed each action, read from the table.
ALLOWED = {action: frozenset(r for r, may in zip(ROLES, row, strict=True) if may) for action, row in TABLE.items()}
ACTIONS = tuple(ALLOWED)

# Actions on one department's items (a figure of an indicator, by its 责任单位): an editor takes them only
# for the departments of their account; the roles of ALL_DEPARTMENTS, for every department. (A leader takes none
# of them: leaders review and instruct, they do not report.) Rolling back an upload of values is scoped too: an
# editor takes back only what all belongs to their departments.
DEPARTMENT_SCOPED = frozenset({COMMIT, EXPLAIN, REPORT_KEY_TASKS, ANSWER_INSTRUCTION, ROLLBACK_DATA})
ALL_DEPARTMENTS = frozenset({"admin"})

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
    allowed = ALLOWED[action]
    role = role_of(who)
    return isinstance(role, str) and role in allowed


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
    if action not in DEPARTMENT_SCOPED or role_of(who) in ALL_DEPARTMENTS:
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
