"""Accounts and roles (admin): local accounts, and roles of single sign-on or proxy users."""

import streamlit as st

from hqd import store
from hqd.accounts import check_account, check_departments, count_active_admins
from hqd.catalog import list_departments
from hqd.formatting import escape_markdown
from hqd.i18n import describe_error, role_name
from hqd.policy import MANAGE_ACCOUNTS, ROLES
from hqd.ui.context import page_context
from hqd.ui.data import get_engine
from hqd.ui.widgets import department_picker
from hqd.views.accounts import account_fields, list_accounts, list_identity_roles, suggest_role

page = page_context(MANAGE_ACCOUNTS)
lang, t, current = page.lang, page.t, page.identity
engine = get_engine()

st.title(t("accounts.title"))
st.caption(t("accounts.intro"))

st.subheader(t("accounts.list"))
accounts = store.read_accounts(engine)
kept_departments = store.read_account_departments(engine)
known = list(list_departments(page.data.catalog)["zh"])
if accounts.empty:
    st.info(t("accounts.none"))
else:
    st.dataframe(list_accounts(accounts, lang, departments=kept_departments), hide_index=True)

st.subheader(t("accounts.add"))
with st.form("account", border=True):
    username = st.text_input(t("accounts.username"), max_chars=40, key="account_username").strip()
    display = st.text_input(t("accounts.display"), max_chars=40, key="account_display").strip()
    role = st.selectbox(
        t("accounts.role"),
        ROLES,
        format_func=lambda r: role_name(r, lang),
        index=ROLES.index(suggest_role(accounts)),
        key="account_role",
    )
    departments = department_picker(known, lang, key="account_departments")
    password = st.text_input(t("accounts.password"), type="password", max_chars=128, key="account_password")
    disabled = st.checkbox(t("accounts.disabled"), key="account_disabled")
    saved = st.form_submit_button(t("accounts.save"), type="primary", key="account_save")
if saved:
    existing = store.read_account(engine, username)
    problem = check_account(username, password, role, disabled, existing, count_active_admins(accounts))
    problem = problem or check_departments(role, departments, known)
    if problem:
        st.error(describe_error(problem, lang))
    else:
        fields = account_fields(username, display, role, disabled, password)
        actor = current.username or current.name
        store.save_account(engine, username, actor, current.role, departments=departments, **fields)
        st.success(escape_markdown(t("accounts.saved", username=username)))
        st.rerun()

st.subheader(t("accounts.identities"))
st.caption(t("accounts.identities_help"))
kept = store.read_identity_roles(engine)
if not kept.empty:
    st.dataframe(list_identity_roles(kept, lang, departments=kept_departments), hide_index=True)
with st.form("identity", border=True):
    identity = st.text_input(t("accounts.identity"), max_chars=200, key="identity_name").strip()
    shown = st.text_input(t("accounts.display"), max_chars=40, key="identity_display").strip()
    choice = st.selectbox(
        t("accounts.role"),
        [*ROLES, None],
        key="identity_role",
        format_func=lambda r: role_name(r, lang) if r else t("accounts.identity_remove"),
    )
    chosen = department_picker(known, lang, key="identity_departments")
    given = st.form_submit_button(t("accounts.identity_save"), key="identity_save") and identity
if given:
    # Removing an identity's role removes its departments too; otherwise they follow the role's rule.
    problem = check_departments(choice, chosen, known) if choice else None
    if problem:
        st.error(describe_error(problem, lang))
    else:
        actor = current.username or current.name
        store.save_identity_role(engine, identity, choice, actor, current.role, shown or None, chosen)
        st.rerun()
