"""Sign in: a password form, or the single sign-on button when that is configured."""

import streamlit as st

from hqd.accounts import sign_in
from hqd.formatting import escape_markdown
from hqd.i18n import describe_error, role_name
from hqd.ui import auth, shell, state
from hqd.ui.context import page_context
from hqd.ui.data import get_engine

# Open to anybody: this is where one signs in.
page = page_context(None)
lang, t, current = page.lang, page.t, page.identity
engine = get_engine()
mode = auth.auth_mode(engine)

st.title(t("auth.title"))
if st.session_state.pop(state.SESSION_EXPIRED, False):
    st.warning(t("auth.expired"), icon=":material/timer_off:")
if current is not None and current.method not in ("anonymous",):
    st.success(escape_markdown(t("auth.already", name=current.name, role=role_name(current.role, lang))))
    st.page_link(shell.page("overview", lang), label=t("nav.overview"), icon=":material/dashboard:")
    st.stop()
if mode == "header":
    st.info(t("auth.header_mode"))
elif mode == "sso":
    st.caption(t("auth.intro"))
    if st.button(t("auth.sso"), type="primary", icon=":material/key:"):
        st.login()
else:
    st.caption(t("auth.intro"))
    with st.form("sign_in", border=True):
        username = st.text_input(t("auth.username"), key="signin_username", max_chars=40)
        password = st.text_input(t("auth.password"), type="password", key="signin_password", max_chars=128)
        submitted = st.form_submit_button(t("auth.submit"), type="primary", key="signin_submit")
    if submitted:
        identity, refusal = sign_in(engine, username.strip(), password)
        if identity is None:
            st.error(describe_error(refusal, lang), icon=":material/lock:")
        else:
            auth.start_session(identity)
            st.switch_page(shell.page("overview", lang))
