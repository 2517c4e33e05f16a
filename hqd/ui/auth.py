"""Who is using this session: single-user mode, password sign-in, single sign-on or a proxy header."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import streamlit as st
from streamlit import runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from hqd import store
from hqd.accounts import Identity, from_trusted_proxy
from hqd.formatting import escape_markdown
from hqd.i18n import describe_error, translate
from hqd.policy import PermissionDenied
from hqd.policy import require as require_action
from hqd.settings import (
    ProxySettingError,
    reading_requires_sign_in,
    session_minutes,
    trusted_header,
    trusted_proxies,
)
from hqd.store import Engine
from hqd.ui import state

SINGLE_USER = Identity("本机用户", "admin", "single-user")
ANONYMOUS = Identity("访客", "viewer", "anonymous")
# Roles given to single sign-on or proxy users the admin has not listed.
UNLISTED_ROLE = "viewer"
_log = logging.getLogger(__name__)


def sso_configured() -> bool:
    """Tell whether single sign-on (an [auth] section in .streamlit/secrets.toml) is set up."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all: Streamlit raises its own error type
        return False


def refuse_unsafe_settings(lang: str) -> None:
    """Stop every page, saying what to set, when the trusted header is on without valid proxy addresses.

    Believed from any address, the header would let anyone who can reach the app name themselves admin.
    """
    header = trusted_header()
    if not header:
        return
    try:
        if trusted_proxies():
            return
        key, values = "auth.no_proxies", {"header": header}
    except ProxySettingError as error:
        key, values = "auth.bad_proxies", {"entry": error.entry}
    _log.error("%s", translate(key, "en", **values))
    st.error(translate(key, lang, **{k: escape_markdown(v) for k, v in values.items()}), icon=":material/gpp_bad:")
    st.stop()


def auth_mode(engine: Engine) -> str:
    """Return how people are recognised: header, sso, password or single-user (nothing configured)."""
    if trusted_header():
        return "header"
    if sso_configured():
        return "sso"
    return "password" if store.count_accounts(engine) else "single-user"


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def current_identity(engine: Engine, mode: str) -> Identity | None:
    """Return who is using the session, or None when nobody is signed in and reading needs sign-in.

    `mode` is auth_mode(engine), worked out once per run by the caller.
    """
    if mode == "single-user":
        return SINGLE_USER
    identity = None
    if mode == "header":
        identity = _header_session(engine)
    elif mode == "sso":
        if st.user.is_logged_in:
            email = str(st.user.get("email") or st.user.get("sub") or "")
            identity = _listed(engine, email, "sso")
    else:
        identity = _password_session(engine)
    if identity is None and not reading_requires_sign_in():
        return ANONYMOUS
    return identity


def request_headers():
    """Return the headers of the request that opened this session's connection."""
    return st.context.headers


def client_address() -> str | None:
    """Return the address this session's connection comes from: the reverse proxy's, behind one.

    Read from the runtime, because st.context.ip_address hides 127.0.0.1 and ::1 (as None): the
    very addresses a proxy on the same machine connects from.
    """
    context = get_script_run_ctx()
    if context is None or not runtime.exists():
        return None
    client = runtime.get_instance().get_client(context.session_id)
    address = getattr(getattr(client, "client_context", None), "remote_ip", None)
    return address if isinstance(address, str) else None


def header_identity(engine: Engine, headers, address: str | None, proxies) -> Identity | None:
    """Return the user a trusted reverse proxy names in its header, with the role the admin keeps.

    The header is believed only on a connection from one of the proxies: anyone else could send it.
    """
    name = (headers.get(trusted_header() or "") or "").strip()
    if not name or not from_trusted_proxy(address, proxies):
        return None
    return _listed(engine, name, "header")


def _header_session(engine: Engine) -> Identity | None:
    """Return the user the proxy names; a header not believed is logged once per session."""
    headers, address = request_headers(), client_address()
    identity = header_identity(engine, headers, address, trusted_proxies())
    if identity is None and headers.get(trusted_header()) and not st.session_state.get(state.HEADER_REFUSED):
        # Someone bypasses the proxy, or the proxy connects from an address that is not listed.
        st.session_state[state.HEADER_REFUSED] = True
        _log.warning("%s ignored: connection from %s, not in HQD_TRUSTED_PROXIES", trusted_header(), address)
    return identity


def _listed(engine: Engine, name: str, method: str) -> Identity:
    """Return the identity with the role the admin keeps for it (unlisted: viewer)."""
    kept = store.role_of_identity(engine, name)
    role, display = kept if kept else (UNLISTED_ROLE, name)
    departments = store.read_departments(engine, name) if kept else ()
    return Identity(display, role, method, name, departments)


def _password_session(engine: Engine) -> Identity | None:
    """Return the signed-in account of the session, ending it when idle too long or disabled."""
    identity = st.session_state.get(state.IDENTITY)
    if identity is None:
        return None
    seen = st.session_state.get(state.LAST_SEEN, _now())
    account = store.read_account(engine, identity.username)
    idle = _now() - seen > timedelta(minutes=session_minutes())
    if idle or account is None or account["disabled"]:
        sign_out()
        st.session_state[state.SESSION_EXPIRED] = idle
        return None
    st.session_state[state.LAST_SEEN] = _now()
    # The role and departments are read again on every run, so a change by the admin applies at once.
    departments = store.read_departments(engine, identity.username)
    name = account["display_name"] or identity.username
    return Identity(name, account["role"], "password", identity.username, departments)


def start_session(identity: Identity) -> None:
    """Remember a password sign-in in this session."""
    st.session_state[state.IDENTITY] = identity
    st.session_state[state.LAST_SEEN] = _now()
    st.session_state.pop(state.SESSION_EXPIRED, None)


def sign_out() -> None:
    """End the session's sign-in."""
    st.session_state.pop(state.IDENTITY, None)
    st.session_state.pop(state.LAST_SEEN, None)


def require(identity: Identity | None, action: str, lang: str) -> None:
    """Stop the page, saying why, unless the identity may take the action (hqd.policy).

    The navigation already hides such pages; this check runs on the server whatever the URL.
    """
    try:
        require_action(identity, action)
    except PermissionDenied as refusal:
        st.error(describe_error(refusal, lang), icon=":material/lock:")
        st.stop()
