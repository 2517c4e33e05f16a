"""Accounts and roles (admin): local accounts, and roles of single sign-on or proxy users."""

import streamlit as st

from hqd import store
from hqd.accounts import check_account, count_active_admins, hash_password, is_locked
from hqd.formatting import escape_markdown, format_time
from hqd.i18n import describe_error, role_name, translator
from hqd.policy import MANAGE_ACCOUNTS, ROLES
from hqd.ui import auth, shell
from hqd.ui.data import get_engine

lang = shell.language()
t = translator(lang)
current = shell.identity()
auth.require(current, MANAGE_ACCOUNTS, lang)
engine = get_engine()

st.title(t("accounts.title"))
st.caption(t("accounts.intro"))

st.subheader(t("accounts.list"))
accounts = store.read_accounts(engine)
if accounts.empty:
    st.info(t("accounts.none"))
else:
    st.dataframe(
        {
            t("col.username"): accounts["username"],
            t("accounts.display"): accounts["display_name"],
            t("col.role"): [role_name(r, lang) for r in accounts["role"]],
            t("col.disabled"): accounts["disabled"],
            t("col.last_sign_in"): [format_time(v) for v in accounts["last_sign_in"]],
            t("col.state"): [
                t("accounts.locked", time=format_time(v)) if is_locked(v) else "" for v in accounts["locked_until"]
            ],
        },
        hide_index=True,
    )

st.subheader(t("accounts.add"))
with st.form("account", border=True):
    username = st.text_input(t("accounts.username"), max_chars=40, key="account_username").strip()
    display = st.text_input(t("accounts.display"), max_chars=40, key="account_display").strip()
    # The first account must be an admin; after that, most new accounts are analysts.
    role = st.selectbox(
        t("accounts.role"),
        ROLES,
        format_func=lambda r: role_name(r, lang),
        index=ROLES.index("admin" if accounts.empty else "analyst"),
        key="account_role",
    )
    password = st.text_input(t("accounts.password"), type="password", max_chars=128, key="account_password")
    disabled = st.checkbox(t("accounts.disabled"), key="account_disabled")
    saved = st.form_submit_button(t("accounts.save"), type="primary", key="account_save")
if saved:
    existing = store.read_account(engine, username)
    problem = check_account(username, password, role, disabled, existing, count_active_admins(accounts))
    if problem:
        st.error(describe_error(problem, lang))
    else:
        fields = {"display_name": display or username, "role": role, "disabled": disabled}
        if password:
            fields |= {"password_hash": hash_password(password), "failed_attempts": 0, "locked_until": None}
        store.save_account(engine, username, current.username or current.name, current.role, **fields)
        st.success(escape_markdown(t("accounts.saved", username=username)))
        st.rerun()

st.subheader(t("accounts.identities"))
st.caption(t("accounts.identities_help"))
kept = store.read_identity_roles(engine)
if not kept.empty:
    st.dataframe(
        {
            t("col.identity"): kept["identity"],
            t("accounts.display"): kept["display_name"],
            t("col.role"): [role_name(r, lang) for r in kept["role"]],
        },
        hide_index=True,
    )
with st.form("identity", border=True):
    identity = st.text_input(t("accounts.identity"), max_chars=200, key="identity_name").strip()
    shown = st.text_input(t("accounts.display"), max_chars=40, key="identity_display").strip()
    choice = st.selectbox(
        t("accounts.role"),
        [*ROLES, None],
        key="identity_role",
        format_func=lambda r: role_name(r, lang) if r else t("accounts.identity_remove"),
    )
    if st.form_submit_button(t("accounts.identity_save"), key="identity_save") and identity:
        store.save_identity_role(
            engine, identity, choice, current.username or current.name, current.role, shown or None
        )
        st.rerun()
