"""Accounts: roles, password rules, sign-in with lockout, also under simultaneous attempts."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
from factories import TEST_PASSWORD

from hqd import store
from hqd.accounts import ROLES, Identity, allows, check_account, check_password, hash_password, is_locked, sign_in


@pytest.mark.parametrize(
    ("role", "needed", "allowed"),
    [
        ("viewer", "viewer", True),
        ("viewer", "analyst", False),
        ("analyst", "analyst", True),
        ("analyst", "editor", False),
        ("editor", "editor", True),
        ("editor", "admin", False),
        ("admin", "editor", True),
        (None, "viewer", False),
        ("stranger", "viewer", False),
    ],
)
def test_roles_are_ordered(role, needed, allowed):
    assert allows(role, needed) is allowed


@pytest.mark.parametrize(
    ("password", "refused"),
    [("short1", True), ("12345678", True), ("abcdefgh", True), ("long-enough-1", False)],
)
def test_password_rules(password, refused):
    assert (check_password(password) is not None) is refused


@pytest.mark.parametrize(
    ("username", "role", "disabled", "existing", "admins", "refused"),
    [
        ("first", "analyst", False, None, 0, True),
        ("first", "admin", False, None, 0, False),
        ("second", "viewer", False, None, 1, False),
        ("root", "editor", False, {"role": "admin", "disabled": False}, 1, True),
        ("root", "admin", True, {"role": "admin", "disabled": False}, 1, True),
        ("root", "editor", False, {"role": "admin", "disabled": False}, 2, False),
        ("bad name!", "admin", False, None, 0, True),
    ],
    ids=[
        "first-not-admin",
        "first-admin",
        "second-viewer",
        "demote-last-admin",
        "disable-last-admin",
        "demote-one-of-two",
        "bad-name",
    ],
)
def test_check_account(username, role, disabled, existing, admins, refused):
    assert (check_account(username, "Good-pass-1", role, disabled, existing, admins) is not None) is refused


@pytest.fixture
def staff(engine):
    store.save_account(
        engine,
        "staff",
        "test",
        None,
        display_name="员工",
        role="editor",
        password_hash=hash_password(TEST_PASSWORD),
        disabled=False,
    )
    return engine


def test_sign_in_and_the_lock(staff):
    assert sign_in(staff, "staff", TEST_PASSWORD) == (Identity("员工", "editor", "password", "staff"), "")
    now = datetime.now(UTC).replace(tzinfo=None)
    for attempt in range(1, 5):
        identity, message = sign_in(staff, "staff", "Wrong-pass-1", now)
        assert identity is None and message == "用户名或密码错误。", attempt
    assert "已锁定 15 分钟" in sign_in(staff, "staff", "Wrong-pass-1", now)[1]
    assert "请 15 分钟后再试" in sign_in(staff, "staff", TEST_PASSWORD, now + timedelta(minutes=1))[1]
    # Once the lock has run out, the right password works and one slip does not lock again.
    later = now + timedelta(minutes=16)
    assert sign_in(staff, "staff", "Wrong-pass-1", later)[0] is None
    assert sign_in(staff, "staff", TEST_PASSWORD, later)[0] is not None
    assert store.read_account(staff, "staff")["failed_attempts"] == 0


def test_simultaneous_attempts_cannot_slip_past_the_lock(staff):
    barrier = threading.Barrier(20)

    def attempt() -> None:
        barrier.wait()
        sign_in(staff, "staff", "Wrong-pass-1")

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    failures = store.read_audit(staff, action="sign_in_failed")
    assert (failures["detail"] == "密码错误").sum() == 5
    assert (failures["detail"] == "账号锁定中").sum() == 15
    assert "锁定" in sign_in(staff, "staff", TEST_PASSWORD)[1]


def test_disabled_and_unknown_accounts_get_the_same_refusal(staff):
    store.save_account(staff, "staff", "root", "admin", disabled=True)
    assert sign_in(staff, "staff", TEST_PASSWORD) == (None, "用户名或密码错误。")
    assert sign_in(staff, "nobody", TEST_PASSWORD) == (None, "用户名或密码错误。")
    assert set(ROLES) == {"viewer", "analyst", "editor", "admin"}


@pytest.mark.parametrize(
    ("locked_until", "locked"),
    [
        (None, False),
        (pd.NaT, False),
        (datetime(2026, 1, 1, 8, 0), True),
        (pd.Timestamp("2026-01-01 08:00"), True),
        (datetime(2026, 1, 1, 7, 59), False),
    ],
)
def test_a_lock_holds_until_its_time(locked_until, locked):
    assert is_locked(locked_until, datetime(2026, 1, 1, 7, 59)) is locked
