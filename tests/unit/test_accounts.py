"""Accounts: roles, password rules, sign-in with lockout, also under simultaneous attempts; proxy trust."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from ipaddress import ip_network

import pandas as pd
import pytest
import sqlalchemy as sa
from factories import TEST_PASSWORD

from hqd import accounts, store
from hqd.accounts import (
    Identity,
    check_account,
    check_password,
    from_trusted_proxy,
    hash_password,
    is_locked,
    sign_in,
)
from hqd.i18n import describe_audit_detail, describe_error, translate
from hqd.settings import ProxySettingError, trusted_proxies
from hqd.store import schema


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("short1", "account.password_short"),
        ("12345678", "account.password_simple"),
        ("abcdefgh", "account.password_simple"),
        ("long-enough-1", None),
    ],
)
def test_password_rules(password, code):
    assert getattr(check_password(password), "code", None) == code


@pytest.mark.parametrize(
    ("username", "role", "disabled", "existing", "admins", "code"),
    [
        ("first", "analyst", False, None, 0, "account.last_admin"),
        ("first", "admin", False, None, 0, None),
        ("second", "viewer", False, None, 1, None),
        ("root", "editor", False, {"role": "admin", "disabled": False}, 1, "account.last_admin"),
        ("root", "admin", True, {"role": "admin", "disabled": False}, 1, "account.last_admin"),
        ("root", "editor", False, {"role": "admin", "disabled": False}, 2, None),
        ("bad name!", "admin", False, None, 0, "account.bad_username"),
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
def test_check_account(username, role, disabled, existing, admins, code):
    refusal = check_account(username, "Good-pass-1", role, disabled, existing, admins)
    assert getattr(refusal, "code", None) == code


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
    assert sign_in(staff, "staff", TEST_PASSWORD) == (Identity("员工", "editor", "password", "staff"), None)
    now = datetime.now(UTC).replace(tzinfo=None)
    for attempt in range(1, 5):
        identity, refusal = sign_in(staff, "staff", "Wrong-pass-1", now)
        assert identity is None and describe_error(refusal) == "用户名或密码错误。", attempt
        assert describe_error(refusal, "en") == "Wrong user name or password."
    locked = sign_in(staff, "staff", "Wrong-pass-1", now)[1]
    assert "已锁定15分钟" in describe_error(locked)
    assert describe_error(locked, "en") == "5 wrong passwords in a row: the account is locked for 15 minutes."
    still = sign_in(staff, "staff", TEST_PASSWORD, now + timedelta(minutes=1))[1]
    assert "请15分钟后再试" in describe_error(still)
    assert "try again in 15 minutes" in describe_error(still, "en")
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
    failures = store.read_audit(staff, action="sign_in_failed")["detail"].map(describe_audit_detail)
    assert (failures == "密码错误").sum() == 5
    assert (failures == "账号锁定中").sum() == 15
    assert "锁定" in describe_error(sign_in(staff, "staff", TEST_PASSWORD)[1])


def test_disabled_and_unknown_accounts_get_the_same_refusal(staff):
    store.save_account(staff, "staff", "root", "admin", disabled=True)
    for username in ("staff", "nobody"):
        identity, refusal = sign_in(staff, username, TEST_PASSWORD)
        assert identity is None and (refusal.code, refusal.params) == ("signin.refused", {})


def wrong_attempts(engine, username: str, now: datetime) -> list[str]:
    """Return the answers to eight wrong passwords, worded: five, two during the lock, one after it."""
    moments = [now] * 5 + [now + timedelta(minutes=1)] * 2 + [now + timedelta(minutes=16)]
    return [describe_error(sign_in(engine, username, "Wrong-pass-1", moment)[1]) for moment in moments]


def test_unknown_and_disabled_names_are_answered_and_locked_like_a_known_one(staff):
    store.save_account(staff, "gone", "test", None, role="viewer", password_hash=hash_password(TEST_PASSWORD))
    store.save_account(staff, "gone", "test", None, disabled=True)
    now = datetime.now(UTC).replace(tzinfo=None)
    known = wrong_attempts(staff, "staff", now)
    assert known[:4] == ["用户名或密码错误。"] * 4 and "已锁定15分钟" in known[4]
    assert "请15分钟后再试" in known[5] and known[7] == "用户名或密码错误。"
    # A name longer than any account's (the column holds 64 characters) is counted all the same.
    for username in ("nobody", "gone", "x" * 100):
        assert wrong_attempts(staff, username, now) == known, username


def test_every_refusal_checks_one_password_hash(staff, monkeypatch):
    store.save_account(staff, "gone", "test", None, role="viewer", password_hash=hash_password(TEST_PASSWORD))
    store.save_account(staff, "gone", "test", None, disabled=True)
    checked, verify = [], accounts.verify_password

    def counted(stored: str | None, password: str) -> bool:
        checked.append(stored)
        return verify(stored, password)

    monkeypatch.setattr(accounts, "verify_password", counted)
    for username in ("staff", "gone", "nobody"):
        checked.clear()
        assert sign_in(staff, username, "Wrong-pass-1")[0] is None
        assert len(checked) == 1 and checked[0].startswith("$argon2"), username


def test_simultaneous_attempts_under_an_unknown_name_lock_it_once(staff):
    barrier = threading.Barrier(20)

    def attempt() -> None:
        barrier.wait()
        sign_in(staff, "nobody", "Wrong-pass-1")

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    failures = store.read_audit(staff, action="sign_in_failed")["detail"]
    assert (failures.map(describe_audit_detail) == "没有这个账号").sum() == 5
    assert (failures.map(lambda d: describe_audit_detail(d, "en")) == "Account locked").sum() == 15


def test_a_version_2_database_is_upgraded_to_count_unknown_names(database_url):
    engine = sa.create_engine(database_url)
    version_2 = [t for t in schema.metadata.sorted_tables if t not in schema.VERSION_3_TABLES]
    with engine.begin() as conn:
        schema.metadata.create_all(conn, tables=version_2)
        conn.execute(schema.meta.insert().values(key="schema_version", value="2"))
    engine.dispose()
    upgraded = store.connect(database_url)
    assert store.schema_version(upgraded) == schema.SCHEMA_VERSION
    now = datetime.now(UTC).replace(tzinfo=None)
    assert "已锁定15分钟" in wrong_attempts(upgraded, "nobody", now)[4]
    upgraded.dispose()


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


PROXIES = [ip_network("127.0.0.1/32"), ip_network("10.0.0.0/24"), ip_network("::1/128")]


@pytest.mark.parametrize(
    ("address", "trusted"),
    [
        ("127.0.0.1", True),
        ("::1", True),
        ("::ffff:127.0.0.1", True),
        ("10.0.0.77", True),
        ("10.0.1.1", False),
        ("127.0.0.2", False),
        ("203.0.113.9", False),
        (None, False),
        ("", False),
        ("chief", False),
    ],
)
def test_only_listed_proxies_may_name_the_user(address, trusted):
    assert from_trusted_proxy(address, PROXIES) is trusted


@pytest.mark.parametrize(
    ("setting", "networks"),
    [
        (None, []),
        ("", []),
        ("127.0.0.1/32", ["127.0.0.1/32"]),
        (" 127.0.0.1 , 10.0.0.7/24,::1,", ["127.0.0.1/32", "10.0.0.0/24", "::1/128"]),
    ],
)
def test_trusted_proxies_are_read_from_the_environment(monkeypatch, setting, networks):
    if setting is None:
        monkeypatch.delenv("HQD_TRUSTED_PROXIES", raising=False)
    else:
        monkeypatch.setenv("HQD_TRUSTED_PROXIES", setting)
    assert [str(n) for n in trusted_proxies()] == networks


@pytest.mark.parametrize("entry", ["proxy.example", "10.0.0.0/33", "*"])
def test_a_wrong_proxy_entry_is_named(monkeypatch, entry):
    monkeypatch.setenv("HQD_TRUSTED_PROXIES", f"127.0.0.1/32,{entry}")
    with pytest.raises(ProxySettingError) as error:
        trusted_proxies()
    assert error.value.entry == entry
    assert translate("auth.bad_proxies", "en", entry=error.value.entry).startswith(
        f"“{entry}” in `HQD_TRUSTED_PROXIES`"
    )
