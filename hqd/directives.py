"""Leaders' acts (issue 13): reviewed lights (人工研判), instructions (批示) and the departments' answers.

Each service checks the policy and the text before the store records the act with its audit row; a refusal is
a code and its values (hqd.refusal), worded in hqd.i18n. Text is kept as typed and escaped where it is shown.
Here too: the report as the settings say supervision counts in it (reviewed lights, key tasks in the score).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from hqd import store
from hqd.catalog import Catalog
from hqd.formatting import to_local
from hqd.i18n import name_column, person_name, role_name, status_text, translator
from hqd.inyear import report_in_year
from hqd.keytasks import key_task_scores
from hqd.policy import (
    ANSWER_INSTRUCTION,
    INSTRUCT,
    REVIEW_LIGHT,
    authorize_department,
    require,
    role_of,
)
from hqd.refusal import Refusal
from hqd.rollup import Report, compute_report
from hqd.settings import MAX_INSTRUCTION_TEXT, MAX_REVIEW_REASON, key_task_weight, key_tasks_in_score, reviews_count
from hqd.store import Engine, StoreError
from hqd.supervision import find_in_period

# The lights a leader may set (hqd.labels.STATUSES): a judgement of progress, never "no data".
REVIEWABLE = ("achieved", "on_track", "at_risk", "lagging", "missed", "regressing")
# What an instruction may be given on.
TARGET_KINDS = ("indicator", "task", "programme")


class DirectiveError(Refusal):
    """A review, instruction or answer refused for what it says (blank, too long, an unknown light or target)."""


def _actor(who) -> str:
    """Return the name an act is recorded under: the account or identity, else the name shown."""
    return getattr(who, "username", "") or getattr(who, "name", "") or str(role_of(who) or "")


def _checked_text(text: str | None, limit: int, what: str) -> str:
    """Return a text as typed, refused when blank or longer than `limit` characters."""
    text = (text or "").strip()
    if not text:
        raise DirectiveError(f"directive.{what}_needed")
    if len(text) > limit:
        raise DirectiveError(f"directive.{what}_too_long", limit=limit, length=len(text))
    return text


def review_light(
    engine: Engine,
    who,
    indicator: str,
    year: int,
    month: int,
    status: str,
    reason: str,
    computed: str | None = None,
) -> int:
    """Set an indicator's light for one reporting period (year, month; a year is month 12), with its reason.

    `computed` is the light computed for that period, kept beside the review. Return the review's id.
    """
    require(who, REVIEW_LIGHT)
    if status not in REVIEWABLE:
        raise DirectiveError("directive.bad_status", status=str(status))
    reason = _checked_text(reason, MAX_REVIEW_REASON, "reason")
    return store.save_review(engine, indicator, year, month, status, computed, reason, _actor(who), role_of(who))


def withdraw_review(
    engine: Engine, who, indicator: str, year: int, month: int, reason: str, computed: str | None = None
) -> int:
    """Withdraw the light reviewed for an indicator's period, saying why: the computed light stands alone again."""
    require(who, REVIEW_LIGHT)
    reason = _checked_text(reason, MAX_REVIEW_REASON, "reason")
    return store.save_review(engine, indicator, year, month, None, computed, reason, _actor(who), role_of(who))


def give_instruction(engine: Engine, who, target_kind: str, target: str, department: str, text: str) -> int:
    """Give an instruction (批示) on an indicator, task or programme for a department to answer; return its id."""
    require(who, INSTRUCT)
    if target_kind not in TARGET_KINDS or not str(target or "").strip():
        raise DirectiveError("directive.bad_target", target_kind=str(target_kind), target=str(target or ""))
    if not str(department or "").strip():
        raise DirectiveError("directive.department_needed")
    text = _checked_text(text, MAX_INSTRUCTION_TEXT, "instruction")
    return store.save_instruction(engine, target_kind, str(target), department, text, _actor(who), role_of(who))


def answer(engine: Engine, who, instruction_id: int, text: str) -> None:
    """Answer an open instruction for its department, closing it.

    Only an editor of the instruction's department or an admin may; any other is refused, and the refusal is
    recorded in the audit log. An unknown or already answered instruction is refused by the store.
    """
    given = store.read_instructions(engine)
    row = given[given["id"] == int(instruction_id)]
    if row.empty:
        raise StoreError("store.no_instruction", instruction_id=int(instruction_id))
    department = str(row["department"].iloc[0])
    if not authorize_department(who, ANSWER_INSTRUCTION, department):
        detail = {"code": "audit.answer_refused", "instruction": int(instruction_id), "department": department}
        store.append_audit(engine, _actor(who), role_of(who), "answer_refused", detail)
        require(who, ANSWER_INSTRUCTION)
        raise DirectiveError("denied.answer_other_department", department=department)
    text = _checked_text(text, MAX_INSTRUCTION_TEXT, "answer")
    store.answer_instruction(engine, int(instruction_id), text, _actor(who), role_of(who))


def may_answer(who, department: str) -> bool:
    """Tell whether an identity may answer an instruction given to a department (the page's check, as answer's)."""
    return authorize_department(who, ANSWER_INSTRUCTION, department)


# --- What is shown of reviews and instructions ---


@dataclass(frozen=True)
class ReviewNote:
    """A reviewed light beside the computed one, as data: a message code and its values (codes, not words)."""

    code: str
    params: dict


def find_review(reviews: pd.DataFrame, indicator: str, year: int, month: int) -> Mapping | None:
    """Return the review in effect of exactly one indicator's period (store.read_reviews), or None."""
    return find_in_period(reviews, indicator, year, month)


def review_note(computed: str, review: Mapping | None) -> ReviewNote | None:
    """Return what the detail says of a reviewed light: computed → reviewed, the reason, who and when (None: none)."""
    if review is None:
        return None
    return ReviewNote(
        "review.note",
        {
            "computed": computed,
            "status": review["status"],
            "reason": review["reason"],
            "role": review["role"],
            "user": review["user_name"],
            "date": f"{to_local(review['created_at']):%Y-%m-%d}",
        },
    )


def describe_review(note: ReviewNote, lang: str) -> str:
    """Return a review note in words, e.g. 计算：▲略低于序时进度 → 研判：●达到序时进度，理由：…（管理员 张三，日期）."""
    params = note.params
    return translator(lang)(
        note.code,
        computed=status_text(params["computed"], lang),
        status=status_text(params["status"], lang),
        reason=params["reason"],
        role=role_name(params["role"], lang),
        user=person_name(params["user"], lang),
        date=params["date"],
    )


def review_marks(rows: pd.DataFrame, lang: str) -> list[str]:
    """Return, for each indicator row of a report, the mark of its reviewed light ('' without one): ✎ ●达到序时进度."""
    if "reviewed_status" not in rows:
        return [""] * len(rows)
    return ["" if pd.isna(s) else f"✎ {status_text(s, lang)}" for s in rows["reviewed_status"]]


def target_departments(catalog: Catalog, period: str, programme: str, task: str | None = None) -> list[str]:
    """Return the departments responsible for a programme's (or one task's) indicators in a period: whom an
    instruction on it may go to, in catalog order."""
    targets = catalog.targets(period)
    mine = targets[(targets["programme"] == programme) & ((targets["task"] == task) if task else True)]
    return list(dict.fromkeys(d for d in mine["department"] if d))


def programme_instructions(instructions: pd.DataFrame, catalog: Catalog, programme: str) -> pd.DataFrame:
    """Return the instructions given on a programme, its tasks and its indicators (store.read_instructions), each
    with `open` (not answered yet); open first, newest first."""
    # As columns, not sets: a set of a programme's 10,000 indicators is made one code at a time, on every run.
    tasks = catalog.tasks.loc[catalog.tasks["programme"] == programme, "code"]
    indicators = catalog.indicators.loc[catalog.indicators["programme"] == programme, "code"]
    kind, target = instructions["target_kind"], instructions["target"]
    mine = instructions[
        ((kind == "programme") & (target == programme))
        | ((kind == "task") & target.isin(tasks))
        | ((kind == "indicator") & target.isin(indicators))
    ]
    mine = mine.assign(open=mine["answer"].isna())
    return mine.sort_values(["open", "id"], ascending=[False, False], kind="stable").reset_index(drop=True)


def target_label(catalog: Catalog, kind: str, target: str, lang: str) -> str:
    """Return what an instruction is on, in words: 指标 A1 某指标 / 任务 … / 工程 …."""
    t = translator(lang)
    column = name_column(lang)
    table = {"indicator": catalog.indicators, "task": catalog.tasks, "programme": catalog.programmes}[kind]
    names = table.drop_duplicates("code", keep="last").set_index("code")[column]
    return t(f"instruction.on_{kind}", code=target, name=names.get(target, ""))


# --- The report as supervision counts in it ---


@dataclass(frozen=True)
class Counting:
    """What counts in the roll-ups besides the computed figures: reviewed lights, key tasks in the score."""

    reviews: bool = False
    key_tasks: bool = False
    key_task_weight: float = 0.0


def counting_from_settings() -> Counting:
    """Return what counts as the settings say (settings.reviews_count, key_tasks_in_score, key_task_weight)."""
    return Counting(reviews_count(), key_tasks_in_score(), key_task_weight() if key_tasks_in_score() else 0.0)


def _key_task_scores(catalog: Catalog, supervision, moments: Iterable[tuple[int, int]], counting: Counting):
    if not counting.key_tasks or counting.key_task_weight <= 0:
        return None
    progress = supervision.milestone_reports if supervision is not None else None
    if progress is None:
        progress = pd.DataFrame({"key_task": [], "step": [], "completed_on": []})
    return key_task_scores(catalog.key_tasks, catalog.milestones, progress, catalog.tasks, list(moments))


def supervised_report(
    catalog: Catalog,
    observations: pd.DataFrame,
    supervision,
    period: str,
    counting: Counting,
    years=None,
    rows: pd.DataFrame | None = None,
) -> Report:
    """Return the yearly report of a period, reviews and key tasks counted as `counting` says (store.Supervision);
    `rows`: the indicators' rows when made already (hqd.rollup.progress_rows)."""
    years = sorted(set(years)) if years is not None else catalog.years(period)
    scores = _key_task_scores(catalog, supervision, [(y, 12) for y in years], counting)
    return compute_report(
        catalog,
        observations,
        years=years,
        period=period,
        reviews=None if supervision is None else supervision.reviews,
        use_reviews=counting.reviews,
        key_tasks=None if scores is None else scores.drop(columns="month"),
        key_task_weight=counting.key_task_weight,
        rows=rows,
    )


def supervised_in_year(
    catalog: Catalog,
    observations: pd.DataFrame,
    supervision,
    period: str,
    year: int,
    months: Iterable[int],
    counting: Counting,
    rows: pd.DataFrame | None = None,
) -> Report:
    """Return a year under way at each month asked, reviews and key tasks counted as `counting` says; `rows`: the
    indicators' rows when made already (hqd.inyear.judge_in_year)."""
    months = list(months)
    scores = _key_task_scores(catalog, supervision, [(year, m) for m in months], counting)
    return report_in_year(
        catalog,
        observations,
        period,
        year,
        months,
        reviews=None if supervision is None else supervision.reviews,
        use_reviews=counting.reviews,
        key_tasks=scores,
        key_task_weight=counting.key_task_weight,
        rows=rows,
    )
