"""The audit log: who did what, when, from which file.

Rows are only ever added, each chained to the one before by a hash, so a row changed, replaced
or removed behind the app's back is noticed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from hqd.store.engine import StoreError, as_stored, read_frame, utc_now, writing
from hqd.store.schema import AUDIT_FIELDS, AUDIT_HEAD, GENESIS, audit, meta


def encode_detail(detail: str | Mapping | None) -> str | None:
    """Return a detail as stored: data as canonical JSON (one text for the same data), text as it is."""
    if isinstance(detail, Mapping):
        return json.dumps(dict(detail), ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return detail


def _canonical_time(moment: datetime | str) -> str:
    """Return a stored time as ISO 8601 in UTC with microseconds, the same however it was read."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if not isinstance(moment, datetime):
        # A time rewritten as a number (or anything else) is a changed row, not a crash of --verify.
        raise TypeError(f"not a time: {moment!r}")
    return as_stored(moment).isoformat(sep="T", timespec="microseconds") + "Z"


def hash_audit_row(row: Mapping, seq: int, prev_hash: str) -> str:
    """Return the SHA-256 of an audit row's fields, its place in the chain and the previous row's hash.

    The serialisation is canonical (JSON, sorted keys, times in UTC) so the same row always
    hashes the same on SQLite and PostgreSQL.
    """
    fields = {name: row[name] for name in AUDIT_FIELDS}
    fields["at"] = _canonical_time(row["at"])
    payload = json.dumps(
        {**fields, "seq": seq, "prev_hash": prev_hash}, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _read_audit_head(conn: Connection, lock: bool = False) -> tuple[int, str] | None:
    """Return the chain's length and last hash as the head records them (None if the head is gone)."""
    statement = sa.select(meta.c.value).where(meta.c.key == AUDIT_HEAD)
    value = conn.execute(statement.with_for_update() if lock else statement).scalar_one_or_none()
    count, _, last = (value or "").partition(" ")
    return (int(count), last) if count.isdigit() and len(last) == len(GENESIS) else None


def record(
    conn: Connection,
    user: str,
    role: str | None,
    action: str,
    detail: str | Mapping = "",
    upload_id: int | None = None,
    file_name: str | None = None,
) -> None:
    """Append one audit row within the caller's transaction, chained to the row before.

    A detail the store makes is data, {"code": ..., values}, kept as JSON text and worded by
    hqd.i18n.describe_audit_detail; a text detail is kept as it is.
    """
    # FOR UPDATE makes concurrent appends on PostgreSQL take turns (SQLite's BEGIN IMMEDIATE
    # already does): two appends reading the same head would fork the chain.
    head = _read_audit_head(conn, lock=True)
    if head is None:
        raise StoreError("store.audit_head_missing")
    count, previous = head
    row = {
        "at": utc_now(),
        "user_name": user or "—",
        "role": role,
        "action": action,
        "detail": encode_detail(detail),
        "upload_id": upload_id,
        "file_name": file_name,
    }
    row_hash = hash_audit_row(row, count + 1, previous)
    conn.execute(audit.insert().values(**row, seq=count + 1, prev_hash=previous, row_hash=row_hash))
    conn.execute(meta.update().where(meta.c.key == AUDIT_HEAD).values(value=f"{count + 1} {row_hash}"))


@dataclass(frozen=True)
class AuditCheck:
    """The result of checking the audit chain.

    `problem` is None when intact, else "changed" (a row's content no longer matches its hash),
    "link" (a row does not follow the one before: edited and re-hashed, replaced, inserted or
    reordered), "missing" (a row was deleted) or "head" (the chain's head record is gone or
    does not match the last row). `seq` and `row_id` name the first broken link.
    """

    rows: int
    last_hash: str
    problem: str | None = None
    seq: int | None = None
    row_id: int | None = None

    @property
    def intact(self) -> bool:
        return self.problem is None


def verify_audit(engine: Engine) -> AuditCheck:
    """Walk the audit chain from the first row; return where it first breaks, if anywhere."""
    # Times are read as stored text on SQLite, so a row rewritten with a malformed time is
    # reported as changed rather than failing to load.
    at = sa.type_coerce(audit.c.at, sa.String).label("at") if engine.dialect.name == "sqlite" else audit.c.at
    fields = [at, *(audit.c[n] for n in AUDIT_FIELDS if n != "at")]
    columns = [audit.c.id, *fields, audit.c.seq, audit.c.prev_hash, audit.c.row_hash]
    expected, previous = 1, GENESIS
    # One snapshot for the rows and the head: under PostgreSQL's default READ COMMITTED, an append
    # between the two reads would look like a deleted row.
    options = {"isolation_level": "REPEATABLE READ"} if engine.dialect.name == "postgresql" else {}
    with engine.connect().execution_options(**options) as conn:
        # In chain order; rows without a place in it come last, where they break the chain.
        order = (audit.c.seq.asc().nulls_last(), audit.c.id)
        for row in conn.execute(sa.select(*columns).order_by(*order)).mappings():
            where = {"seq": expected, "row_id": row["id"]}
            if row["seq"] is not None and row["seq"] > expected:
                return AuditCheck(expected - 1, previous, "missing", expected, row["id"])
            if row["seq"] != expected or row["prev_hash"] != previous:
                return AuditCheck(expected - 1, previous, "link", **where)
            try:
                content_hash = hash_audit_row(row, expected, previous)
            except (ValueError, TypeError):
                content_hash = None
            if content_hash != row["row_hash"]:
                return AuditCheck(expected - 1, previous, "changed", **where)
            expected, previous = expected + 1, row["row_hash"]
        head = _read_audit_head(conn)
    count = expected - 1
    if head is not None and head[0] > count:
        return AuditCheck(count, previous, "missing", count + 1)
    if head != (count, previous):
        return AuditCheck(count, previous, "head")
    return AuditCheck(count, previous)


def append_audit(engine: Engine, *args, **kwargs) -> None:
    """Append one audit row on its own (sign-ins, previews); arguments as for record()."""
    with writing(engine) as conn:
        record(conn, *args, **kwargs)


def read_audit(engine: Engine, limit: int = 1000, action: str | None = None, user: str | None = None) -> pd.DataFrame:
    """Return the newest audit rows, optionally of one action or one user."""
    statement = sa.select(audit).order_by(audit.c.id.desc()).limit(limit)
    if action:
        statement = statement.where(audit.c.action == action)
    if user:
        statement = statement.where(audit.c.user_name == user)
    with engine.connect() as conn:
        frame = read_frame(conn, statement)
    if not len(frame):
        frame = pd.DataFrame(columns=[c.name for c in audit.c])
    # Most rows concern no upload: the ids stay whole numbers beside the missing ones (never 2.0).
    return frame.astype({"upload_id": "Int64"})
