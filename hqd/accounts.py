"""Who someone is: sign-in with its lockout, password hashing, the rules for accounts and proxies.

What each role may do is decided in hqd.policy.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from ipaddress import IPv4Network, IPv6Network, ip_address

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from hqd import store
from hqd.settings import LOCK_MINUTES, MAX_FAILED_SIGN_INS, MIN_PASSWORD_LENGTH

_hasher = PasswordHasher()
# Checked against for unknown user names, so that they take as long as known ones.
_UNKNOWN_USER_HASH = _hasher.hash("no such user: the time of a real check")
# The answer to a wrong password, a disabled account and an unknown name alike.
REFUSED = "用户名或密码错误。"


@dataclass(frozen=True)
class Identity:
    """Someone using the app: name shown and recorded, role, and how they were recognised."""

    name: str
    role: str
    method: str  # single-user, anonymous, password, sso, header
    username: str = ""


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


def check_password(password: str) -> str | None:
    """Return why a new password is refused, or None when it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"密码至少需要 {MIN_PASSWORD_LENGTH} 个字符。"
    if password.isdigit() or password.isalpha():
        return "密码不能只含数字或只含字母。"
    return None


def sign_in(engine, username: str, password: str, now: datetime | None = None) -> tuple[Identity | None, str]:
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
        store.append_audit(engine, username, None, "sign_in_failed", "账号锁定中")
        minutes = max(1, int((attempt["locked_until"] - now).total_seconds() // 60) + 1)
        return None, f"连续多次密码错误，账号已锁定，请 {minutes} 分钟后再试。"
    # Checked whatever the account's state (an unknown name against a stand-in), so that every
    # refusal takes as long; only an account's own hash can let anyone in.
    stored = account["password_hash"] if account else None
    matches = verify_password(stored or _UNKNOWN_USER_HASH, password) and bool(stored)
    if account is None or account["disabled"] or not matches:
        why = "没有这个账号" if account is None else "账号已停用" if account["disabled"] else "密码错误"
        store.append_audit(engine, username, None, "sign_in_failed", why)
        if attempt["locked_until"] is not None:
            return None, f"连续 {attempt['failed_attempts']} 次密码错误，账号已锁定 {LOCK_MINUTES} 分钟。"
        return None, REFUSED
    store.confirm_sign_in(engine, username, account["role"])
    return Identity(account["display_name"] or username, account["role"], "password", username), ""


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


def check_username(username: str) -> str | None:
    """Return why a user name is refused, or None."""
    if not re.fullmatch(r"[A-Za-z0-9._-]{2,40}", username):
        return "用户名只能包含字母、数字、点、下划线或减号(2–40 个字符)。"
    return None


def count_active_admins(accounts) -> int:
    """Return how many enabled admin accounts a frame of accounts (store.read_accounts) holds."""
    if accounts.empty:
        return 0
    return int(((accounts["role"] == "admin") & ~accounts["disabled"].astype(bool)).sum())


def check_account(
    username: str, password: str, role: str, disabled: bool, existing: dict | None, active_admins: int
) -> str | None:
    """Return why an account change is refused, or None.

    Checks the name and password, and that an enabled admin remains afterwards: once accounts
    exist the app asks for sign-in, and without an admin nobody could manage them.
    """
    if why := check_username(username):
        return why
    if existing is None and not password:
        return "新账号必须设置密码。"
    if password and (why := check_password(password)):
        return why
    was_admin = existing is not None and existing["role"] == "admin" and not existing["disabled"]
    admins_after = active_admins - was_admin + (role == "admin" and not disabled)
    if admins_after < 1:
        return "必须保留至少一个可用的管理员账号(第一个账号请设为管理员)。"
    return None
