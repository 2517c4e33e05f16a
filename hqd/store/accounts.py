"""Accounts (local sign-in) and identities (single sign-on or a proxy header) mapped to roles.

What a role may do is not decided here (hqd.policy), nor how a password is checked (hqd.accounts).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine

from hqd.store.audit import record
from hqd.store.engine import read_frame, utc_now, writing
from hqd.store.schema import account_departments, accounts, identities, sign_in_failures


def count_accounts(engine: Engine) -> int:
    """Return how many accounts exist (none means single-user local mode)."""
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(accounts)).scalar_one())


def read_accounts(engine: Engine) -> pd.DataFrame:
    """Return every account without its password hash."""
    columns = [c for c in accounts.c if c.name != "password_hash"]
    with engine.connect() as conn:
        return read_frame(conn, sa.select(*columns).order_by(accounts.c.username))


def read_account(engine: Engine, username: str) -> dict | None:
    """Return one account (with its hash, for checking a password), or None."""
    with engine.connect() as conn:
        row = conn.execute(sa.select(accounts).where(accounts.c.username == username)).mappings().first()
    return dict(row) if row else None


def read_departments(engine: Engine, username: str) -> tuple[str, ...]:
    """Return the departments an account or a kept identity reports for, sorted (none: empty)."""
    statement = (
        sa.select(account_departments.c.department)
        .where(account_departments.c.username == username)
        .order_by(account_departments.c.department)
    )
    with engine.connect() as conn:
        return tuple(conn.execute(statement).scalars())


def read_account_departments(engine: Engine) -> pd.DataFrame:
    """Return every (username, department) kept, for accounts and identities alike."""
    with engine.connect() as conn:
        statement = sa.select(account_departments).order_by(
            account_departments.c.username, account_departments.c.department
        )
        return read_frame(conn, statement)


def _replace_departments(conn, username: str, departments: Sequence[str]) -> None:
    conn.execute(account_departments.delete().where(account_departments.c.username == username))
    if departments:
        rows = [{"username": username, "department": d} for d in sorted(set(departments))]
        conn.execute(account_departments.insert(), rows)


def save_account(
    engine: Engine,
    username: str,
    actor: str,
    actor_role: str | None,
    departments: Sequence[str] | None = None,
    **fields,
) -> None:
    """Create or change an account (display_name, role, password_hash, disabled) and audit it.

    `departments` replaces those the account reports for (None leaves them as they are).
    """
    allowed = {"display_name", "role", "password_hash", "disabled", "failed_attempts", "locked_until"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"unknown account fields: {unknown}")
    with writing(engine) as conn:
        exists = conn.execute(sa.select(accounts.c.id).where(accounts.c.username == username)).first()
        if exists:
            if fields:
                conn.execute(accounts.update().where(accounts.c.username == username).values(**fields))
            code = "audit.account_changed"
        else:
            conn.execute(
                accounts.insert().values(
                    username=username, created_at=utc_now(), display_name=fields.pop("display_name", username), **fields
                )
            )
            code = "audit.account_created"
        # Which fields changed is recorded; a password, even hashed, is not.
        changed = sorted(k if k != "password_hash" else "password" for k in fields)
        detail = {"code": code, "username": username, "fields": changed}
        if departments is not None:
            _replace_departments(conn, username, departments)
            detail |= {"fields": sorted([*changed, "departments"]), "departments": sorted(set(departments))}
        record(conn, actor, actor_role, "account_changed", detail)


def claim_sign_in_attempt(engine: Engine, username: str, now: datetime, max_failed: int, lock_until: datetime) -> dict:
    """Count a sign-in attempt as failed before the password is checked, atomically; return where it stands.

    Counting first, in one write transaction, means attempts made at the same moment cannot all
    read the same count and slip past the lock. A name without an account is counted and locked
    in the same way (in sign_in_failures), so that a refusal never tells whether the name exists.
    Returns `account` (the account with its hash, or None), `counted` (False while locked, when
    nothing is checked), `failed_attempts` and `locked_until` (set when locked, now or already).
    """
    with writing(engine) as conn:
        # FOR UPDATE holds the row on PostgreSQL; SQLite's BEGIN IMMEDIATE already holds the database.
        statement = sa.select(accounts).where(accounts.c.username == username).with_for_update()
        account = conn.execute(statement).mappings().first()
        table, key = accounts, username
        if account is None:
            # No account has a name longer than the column; such a name is counted under its start.
            table, key = sign_in_failures, username[: sign_in_failures.c.username.type.length]
            # A row to hold, even for the first attempt: two first attempts at once must not both insert.
            insert = {"sqlite": sqlite_insert, "postgresql": postgresql_insert}[conn.dialect.name]
            conn.execute(insert(table).values(username=key, failed_attempts=0).on_conflict_do_nothing())
        statement = sa.select(table.c.failed_attempts, table.c.locked_until).where(table.c.username == key)
        state = conn.execute(statement.with_for_update()).mappings().one()
        attempt = {"account": dict(account) if account else None, **state, "counted": False}
        if state["locked_until"] is not None and state["locked_until"] > now:
            return attempt
        # A lock that has run out starts the count afresh.
        failed = (0 if state["locked_until"] is not None else state["failed_attempts"]) + 1
        locked = lock_until if failed >= max_failed else None
        conn.execute(table.update().where(table.c.username == key).values(failed_attempts=failed, locked_until=locked))
        return {**attempt, "failed_attempts": failed, "locked_until": locked, "counted": True}


def confirm_sign_in(engine: Engine, username: str, role: str) -> None:
    """Clear the attempt counted for a correct password and record the sign-in."""
    with writing(engine) as conn:
        conn.execute(
            accounts.update()
            .where(accounts.c.username == username)
            .values(failed_attempts=0, locked_until=None, last_sign_in=utc_now())
        )
        record(conn, username, role, "sign_in", {"code": "audit.password_sign_in"})


def read_identity_roles(engine: Engine) -> pd.DataFrame:
    """Return the identities (e-mail or proxy user name) the admin has given roles."""
    with engine.connect() as conn:
        return read_frame(conn, sa.select(identities).order_by(identities.c.identity))


def role_of_identity(engine: Engine, identity: str) -> tuple[str, str] | None:
    """Return the role and display name kept for an identity, or None."""
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(identities.c.role, identities.c.display_name).where(identities.c.identity == identity)
        ).first()
    return (row.role, row.display_name or identity) if row else None


def save_identity_role(
    engine: Engine,
    identity: str,
    role: str | None,
    actor: str,
    actor_role: str | None,
    display_name: str | None = None,
    departments: Sequence[str] = (),
) -> None:
    """Give an identity a role (None removes it, with its departments) and departments; audit the change."""
    with writing(engine) as conn:
        conn.execute(identities.delete().where(identities.c.identity == identity))
        if role:
            conn.execute(identities.insert().values(identity=identity, role=role, display_name=display_name))
        _replace_departments(conn, identity, departments if role else ())
        detail = {"code": "audit.identity_role", "identity": identity, "role": role}
        if role and departments:
            detail["departments"] = sorted(set(departments))
        record(conn, actor, actor_role, "account_changed", detail)
