"""The accounts page's content: local accounts and kept identities as listed, and what saving an account stores."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from hqd.accounts import hash_password, is_locked
from hqd.formatting import format_time
from hqd.i18n import department_name, role_name, translator


def name_departments(names: pd.Series, departments: pd.DataFrame | None, lang: str) -> list[str]:
    """Return, for each account or identity name, its departments (store.read_account_departments) as listed."""
    if departments is None or departments.empty:
        return [""] * len(names)
    joined = departments.groupby("username")["department"].agg(
        lambda kept: ("、" if lang == "zh" else ", ").join(department_name(d, lang) for d in kept)
    )
    return [joined.get(name, "") for name in names]


def list_accounts(
    accounts: pd.DataFrame, lang: str, now: datetime | None = None, departments: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Return the local accounts (store.read_accounts) as listed: name, role, departments, last sign-in, lock."""
    t = translator(lang)
    return pd.DataFrame(
        {
            t("col.username"): accounts["username"],
            t("accounts.display"): accounts["display_name"],
            t("col.role"): [role_name(r, lang) for r in accounts["role"]],
            t("col.departments"): name_departments(accounts["username"], departments, lang),
            t("col.disabled"): accounts["disabled"],
            t("col.last_sign_in"): [format_time(v) for v in accounts["last_sign_in"]],
            t("col.state"): [
                t("accounts.locked", time=format_time(v)) if is_locked(v, now) else "" for v in accounts["locked_until"]
            ],
        }
    )


def list_identity_roles(kept: pd.DataFrame, lang: str, departments: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the roles and departments kept for single sign-on or proxy users (store.read_identity_roles)."""
    t = translator(lang)
    return pd.DataFrame(
        {
            t("col.identity"): kept["identity"],
            t("accounts.display"): kept["display_name"],
            t("col.role"): [role_name(r, lang) for r in kept["role"]],
            t("col.departments"): name_departments(kept["identity"], departments, lang),
        }
    )


def suggest_role(accounts: pd.DataFrame) -> str:
    """Return the role the new-account form starts with: the first account must be an admin, most others analysts."""
    return "admin" if accounts.empty else "analyst"


def account_fields(username: str, display: str, role: str, disabled: bool, password: str) -> dict[str, object]:
    """Return what saving the account form stores; a new password also clears failed attempts and a lock."""
    fields = {"display_name": display or username, "role": role, "disabled": disabled}
    if password:
        fields |= {"password_hash": hash_password(password), "failed_attempts": 0, "locked_until": None}
    return fields
