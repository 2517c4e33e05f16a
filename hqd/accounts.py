"""Who someone is: sign-in with its lockout, password hashing, the rules for accounts and proxies.

What each role may do is decided in hqd.policy.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from ipaddress import IPv4Network, IPv6Network, ip_address

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from hqd import store
from hqd.refusal import Refusal
from hqd.settings import LOCK_MINUTES, MAX_FAILED_SIGN_INS, MIN_PASSWORD_LENGTH

_hasher = PasswordHasher()
# The answer to a wrong password, a disabled account and an unknown name alike.
REFUSED = "signin.refused"


@dataclass(frozen=True)
class Identity:
    """Someone using the app: name shown and recorded, role, and how they were recognised."""

    name: str
    role: str
    method: str  # single-user, anonymous, password, sso, header
    username: str = ""
    # The departments an editor reports for (hqd.policy.authorize_department); other roles have none.
    departments: tuple[str, ...] = ()


def hash_password(password: str) -> str:
    """Return the argon2 hash of a password (the password itself is never stored)."""
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Tell whether a password matches a stored hash."""
    if not stored_hash:
        return False
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _stand_in_hash(hasher: PasswordHasher) -> str:
    """Return the hash checked against for unknown user names, so that they take as long as known ones.

    Made at the first sign-in, not on import: a hash takes a real check's time, which every start of
    the command line and of the server would otherwise pay.
    """
    return hasher.hash("no such user: the time of a real check")


def check_password(password: str) -> Refusal | None:
    """Return why a new password is refused, or None when it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return Refusal("account.password_short", length=MIN_PASSWORD_LENGTH)
    if password.isdigit() or password.isalpha():
        return Refusal("account.password_simple")
    return None


def sign_in(
    engine, username: str, password: str, now: datetime | None = None
) -> tuple[Identity | None, Refusal | None]:
    """Check a password sign-in, counting the attempt first and locking after too many; say why not.

    A name without an account, a disabled account and a wrong password get the same answers: the
    same message, the same lock after the same number of failures, and the same password check
    (against a stand-in hash for an unknown name), so that no answer tells which names exist.
    """
    now = now or datetime.now(UTC).replace(tzinfo=None)
    attempt = store.claim_sign_in_attempt(
        engine, username, now, MAX_FAILED_SIGN_INS, now + timedelta(minutes=LOCK_MINUTES)
    )
    account = attempt["account"]
    if not attempt["counted"]:
        store.append_audit(engine, username, None, "sign_in_failed", {"code": "audit.sign_in_locked"})
        minutes = max(1, int((attempt["locked_until"] - now).total_seconds() // 60) + 1)
        return None, Refusal("signin.locked", minutes=minutes)
    # Checked whatever the account's state (an unknown name against a stand-in), so that every
    # refusal takes as long; only an account's own hash can let anyone in.
    stored = account["password_hash"] if account else None
    matches = verify_password(stored or _stand_in_hash(_hasher), password) and bool(stored)
    if account is None or account["disabled"] or not matches:
        why = (
            "audit.sign_in_unknown"
            if account is None
            else "audit.sign_in_disabled"
            if account["disabled"]
            else "audit.sign_in_wrong"
        )
        store.append_audit(engine, username, None, "sign_in_failed", {"code": why})
        if attempt["locked_until"] is not None:
            return None, Refusal("signin.locked_now", attempts=attempt["failed_attempts"], minutes=LOCK_MINUTES)
        return None, Refusal(REFUSED)
    store.confirm_sign_in(engine, username, account["role"])
    departments = store.read_departments(engine, username)
    return Identity(account["display_name"] or username, account["role"], "password", username, departments), None


def is_locked(locked_until, now: datetime | None = None) -> bool:
    """Tell whether an account's lock (its locked_until, stored in UTC; None or NaT: none) still holds."""
    if locked_until is None or pd.isna(locked_until):
        return False
    return locked_until > (now or datetime.now(UTC).replace(tzinfo=None))


def from_trusted_proxy(address: str | None, proxies: Sequence[IPv4Network | IPv6Network]) -> bool:
    """Tell whether a connection from this address may name its user in the trusted header.

    The address is the connection's own (a reverse proxy's, behind one); anything that is not an
    IP address, such as a missing one, is not trusted.
    """
    try:
        ip = ip_address(address)
    except (TypeError, ValueError):
        return False
    # A dual-stack socket shows an IPv4 peer as ::ffff:a.b.c.d.
    ip = getattr(ip, "ipv4_mapped", None) or ip
    return any(ip in network for network in proxies)


def check_username(username: str) -> Refusal | None:
    """Return why a user name is refused, or None."""
    if not re.fullmatch(r"[A-Za-z0-9._-]{2,40}", username):
        return Refusal("account.bad_username")
    return None


def count_active_admins(accounts) -> int:
    """Return how many enabled admin accounts a frame of accounts (store.read_accounts) holds."""
    if accounts.empty:
        return 0
    return int(((accounts["role"] == "admin") & ~accounts["disabled"].astype(bool)).sum())


def check_departments(role: str, departments: Sequence[str], known: Sequence[str]) -> Refusal | None:
    """Return why an account's departments are refused, or None.

    An editor reports for one department or more, each one the zone has; the other roles have none
    (admins act for all, analysts, leaders and viewers for none).
    """
    if role != "editor":
        return Refusal("account.departments_editor_only") if departments else None
    if not departments:
        return Refusal("account.department_needed")
    unknown = [d for d in departments if d not in set(known)]
    if unknown:
        return Refusal("account.unknown_department", department=unknown[0])
    return None


def check_account(
    username: str, password: str, role: str, disabled: bool, existing: dict | None, active_admins: int
) -> Refusal | None:
    """Return why an account change is refused, or None.

    Checks the name and password, and that an enabled admin remains afterwards: once accounts
    exist the app asks for sign-in, and without an admin nobody could manage them.
    """
    if why := check_username(username):
        return why
    if existing is None and not password:
        return Refusal("account.password_needed")
    if password and (why := check_password(password)):
        return why
    was_admin = existing is not None and existing["role"] == "admin" and not existing["disabled"]
    admins_after = active_admins - was_admin + (role == "admin" and not disabled)
    if admins_after < 1:
        return Refusal("account.last_admin")
    return None
