"""Supervision: what departments report beside figures (in effect as of a moment), reviewed lights, instructions.

Explanations, key-task progress, completed milestones and evidence are stored by commit_upload with an upload,
so they are versioned, rolled back and seen as of a past moment exactly like figures. Reviews and instructions
are a person's act: appended, never changed, each with its audit row in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from hqd.store.audit import record
from hqd.store.engine import StoreError, as_stored, bump_revision, read_frame, utc_now, writing
from hqd.store.schema import (
    evidence,
    explanations,
    instruction_answers,
    instructions,
    key_task_reports,
    milestone_reports,
    reviews,
    uploads,
)
from hqd.store.uploads import _visible

# The columns each reading returns, so an empty database still gives typed, named frames.
EXPLANATION_COLUMNS = ["indicator", "year", "month", "cause", "measures", "expected_by"]
KEY_TASK_REPORT_COLUMNS = ["key_task", "year", "month", "progress"]
MILESTONE_REPORT_COLUMNS = ["key_task", "step", "completed_on"]
EVIDENCE_COLUMNS = ["id", "key_task", "step", "file_name", "media_type", "sha256", "size"]
# Who reported and when: the upload each row came with.
PROVENANCE = ["upload_id", "user_name", "created_at"]


def _newest_in_effect(table: sa.Table, keys: list[str], columns: list[str], as_of: datetime | None) -> sa.Select:
    """Return the query for each key's row from the newest upload in effect (now, or at a past moment)."""
    newest = (
        sa.select(*[table.c[k] for k in keys], sa.func.max(table.c.upload_id).label("upload_id"))
        .where(table.c.upload_id.in_(sa.select(uploads.c.id).where(_visible(as_of))))
        .group_by(*[table.c[k] for k in keys])
        .subquery()
    )
    return (
        sa.select(*[table.c[c] for c in columns], table.c.upload_id, uploads.c.user_name, uploads.c.created_at)
        .join(newest, sa.and_(*[table.c[k] == newest.c[k] for k in [*keys, "upload_id"]]))
        .join(uploads, uploads.c.id == table.c.upload_id)
        .order_by(*[table.c[k] for k in keys])
    )


def _read(engine: Engine, statement, columns: list[str]) -> pd.DataFrame:
    """Return a query's rows as a frame with the named columns even when there are none."""
    with engine.connect() as conn:
        frame = read_frame(conn, statement)
    return frame if len(frame.columns) else pd.DataFrame(columns=columns)


def read_explanations(engine: Engine, as_of: datetime | None = None) -> pd.DataFrame:
    """Return the explanation in effect of each (indicator, year, month), with who gave it and when.

    `first_given_at`: when the period's first explanation still in effect came, so that correcting an explanation
    given on time does not make it late.
    """
    keys = ["indicator", "year", "month"]
    statement = _newest_in_effect(explanations, keys, EXPLANATION_COLUMNS, as_of)
    newest = _read(engine, statement, EXPLANATION_COLUMNS + PROVENANCE)
    if newest.empty:
        return newest.assign(first_given_at=pd.Series(dtype="object"))
    e = explanations
    first = (
        sa.select(*[e.c[k] for k in keys], sa.func.min(uploads.c.created_at).label("first_given_at"))
        .join(uploads, uploads.c.id == e.c.upload_id)
        .where(_visible(as_of))
        .group_by(*[e.c[k] for k in keys])
    )
    earliest = _read(engine, first, [*keys, "first_given_at"])
    return newest.merge(earliest, on=keys, how="left")


def read_key_task_reports(engine: Engine, as_of: datetime | None = None) -> pd.DataFrame:
    """Return the progress (进展情况) in effect of each key task for each reporting month."""
    statement = _newest_in_effect(key_task_reports, ["key_task", "year", "month"], KEY_TASK_REPORT_COLUMNS, as_of)
    return _read(engine, statement, KEY_TASK_REPORT_COLUMNS + PROVENANCE)


def read_milestone_reports(engine: Engine, as_of: datetime | None = None) -> pd.DataFrame:
    """Return each milestone's completion date in effect (the key-task progress frame of hqd.keytasks)."""
    statement = _newest_in_effect(milestone_reports, ["key_task", "step"], MILESTONE_REPORT_COLUMNS, as_of)
    return _read(engine, statement, MILESTONE_REPORT_COLUMNS + PROVENANCE)


def read_evidence(engine: Engine, as_of: datetime | None = None) -> pd.DataFrame:
    """Return the evidence files of uploads in effect, without their bytes, newest first."""
    statement = (
        sa.select(
            *[evidence.c[c] for c in EVIDENCE_COLUMNS], evidence.c.upload_id, uploads.c.user_name, uploads.c.created_at
        )
        .join(uploads, uploads.c.id == evidence.c.upload_id)
        .where(_visible(as_of))
        .order_by(evidence.c.id.desc())
    )
    return _read(engine, statement, EVIDENCE_COLUMNS + PROVENANCE)


def read_evidence_file(engine: Engine, evidence_id: int) -> tuple[str, str, bytes]:
    """Return an evidence file's name, media type and exact bytes."""
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(evidence.c.file_name, evidence.c.media_type, evidence.c.content).where(
                evidence.c.id == int(evidence_id)
            )
        ).first()
    if row is None:
        raise StoreError("store.no_evidence", evidence_id=int(evidence_id))
    return row.file_name, row.media_type, bytes(row.content)


def read_upload_reports(engine: Engine, upload_id: int) -> dict[str, pd.DataFrame]:
    """Return what one upload reported beside its figures, by table name (evidence without its bytes).

    Whose items an upload holds decides who may roll it back (hqd.imports.upload_departments).
    """
    wanted = {
        "explanations": (explanations, EXPLANATION_COLUMNS),
        "key_task_reports": (key_task_reports, KEY_TASK_REPORT_COLUMNS),
        "milestone_reports": (milestone_reports, MILESTONE_REPORT_COLUMNS),
        "evidence": (evidence, EVIDENCE_COLUMNS),
    }
    return {
        name: _read(
            engine, sa.select(*[table.c[c] for c in columns]).where(table.c.upload_id == int(upload_id)), columns
        )
        for name, (table, columns) in wanted.items()
    }


REVIEW_COLUMNS = ["id", "indicator", "year", "month", "status", "computed", "reason", "user_name", "role", "created_at"]


def save_review(
    engine: Engine,
    indicator: str,
    year: int,
    month: int,
    status: str | None,
    computed: str | None,
    reason: str,
    user: str,
    role: str | None,
) -> int:
    """Record a reviewed light (人工研判) for an indicator's reporting period, or withdraw it (status None).

    Who may, and whether the reason is given, is checked by the caller; the row and its audit row land together.
    """
    with writing(engine) as conn:
        review_id = conn.execute(
            reviews.insert()
            .values(
                indicator=indicator,
                year=int(year),
                month=int(month),
                status=status,
                computed=computed,
                reason=reason,
                user_name=user,
                role=role,
                created_at=utc_now(),
            )
            .returning(reviews.c.id)
        ).scalar_one()
        detail = {"code": "audit.light_reviewed" if status else "audit.review_withdrawn", "indicator": indicator}
        detail |= {"year": int(year), "month": int(month), "status": status, "computed": computed}
        record(conn, user, role, "light_reviewed", detail)
        bump_revision(conn)
    return review_id


def read_reviews(engine: Engine, as_of: datetime | None = None) -> pd.DataFrame:
    """Return the review in effect of each (indicator, year, month): the newest, unless it withdrew the light."""
    r = reviews
    made = r.c.created_at <= as_stored(as_of) if as_of is not None else sa.true()
    newest = sa.select(sa.func.max(r.c.id)).where(made).group_by(r.c.indicator, r.c.year, r.c.month).scalar_subquery()
    statement = (
        sa.select(*[r.c[c] for c in REVIEW_COLUMNS])
        .where(r.c.id.in_(newest), r.c.status.is_not(None))
        .order_by(r.c.indicator, r.c.year, r.c.month)
    )
    return _read(engine, statement, REVIEW_COLUMNS)


INSTRUCTION_COLUMNS = [
    "id",
    "target_kind",
    "target",
    "department",
    "text",
    "user_name",
    "role",
    "created_at",
    "answer",
    "answered_by",
    "answered_at",
]


def save_instruction(
    engine: Engine, target_kind: str, target: str, department: str, text: str, user: str, role: str | None
) -> int:
    """Record an instruction (批示) on an indicator, task or programme for a department to answer; return its id."""
    with writing(engine) as conn:
        instruction_id = conn.execute(
            instructions.insert()
            .values(
                target_kind=target_kind,
                target=target,
                department=department,
                text=text,
                user_name=user,
                role=role,
                created_at=utc_now(),
            )
            .returning(instructions.c.id)
        ).scalar_one()
        detail = {"code": "audit.instruction_given", "instruction": instruction_id, "target_kind": target_kind}
        detail |= {"target": target, "department": department}
        record(conn, user, role, "instruction_given", detail)
        bump_revision(conn)
    return instruction_id


def answer_instruction(engine: Engine, instruction_id: int, text: str, user: str, role: str | None) -> None:
    """Close an open instruction with its department's answer; an answered or unknown one is refused."""
    instruction_id = int(instruction_id)
    with writing(engine) as conn:
        found = conn.execute(sa.select(instructions.c.id).where(instructions.c.id == instruction_id)).first()
        if found is None:
            raise StoreError("store.no_instruction", instruction_id=instruction_id)
        answered = conn.execute(
            sa.select(instruction_answers.c.created_at).where(instruction_answers.c.instruction_id == instruction_id)
        ).scalar_one_or_none()
        if answered is not None:
            raise StoreError("store.instruction_answered", instruction_id=instruction_id, at=answered)
        conn.execute(
            instruction_answers.insert().values(
                instruction_id=instruction_id, text=text, user_name=user, role=role, created_at=utc_now()
            )
        )
        record(
            conn,
            user,
            role,
            "instruction_answered",
            {"code": "audit.instruction_answered", "instruction": instruction_id},
        )
        bump_revision(conn)


def read_instructions(engine: Engine, as_of: datetime | None = None) -> pd.DataFrame:
    """Return every instruction given (by a moment), with its answer if one was given by then; newest first."""
    i, a = instructions, instruction_answers
    answered = a.c.created_at <= as_stored(as_of) if as_of is not None else sa.true()
    statement = (
        sa.select(
            *[i.c[c] for c in INSTRUCTION_COLUMNS[:8]],
            a.c.text.label("answer"),
            a.c.user_name.label("answered_by"),
            a.c.created_at.label("answered_at"),
        )
        .outerjoin(a, sa.and_(a.c.instruction_id == i.c.id, answered))
        .where(i.c.created_at <= as_stored(as_of) if as_of is not None else sa.true())
        .order_by(i.c.id.desc())
    )
    return _read(engine, statement, INSTRUCTION_COLUMNS)


@dataclass(frozen=True)
class Supervision:
    """Everything supervision reads, in effect now or at a past moment: one reading for the pages to share."""

    explanations: pd.DataFrame
    key_task_reports: pd.DataFrame
    milestone_reports: pd.DataFrame
    evidence: pd.DataFrame
    reviews: pd.DataFrame
    instructions: pd.DataFrame


def read_supervision(engine: Engine, as_of: datetime | None = None) -> Supervision:
    """Return explanations, key-task progress, completed milestones, evidence, reviews and instructions."""
    return Supervision(
        read_explanations(engine, as_of),
        read_key_task_reports(engine, as_of),
        read_milestone_reports(engine, as_of),
        read_evidence(engine, as_of),
        read_reviews(engine, as_of),
        read_instructions(engine, as_of),
    )
