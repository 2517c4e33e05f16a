"""Who is using this session: single-user mode, password sign-in, single sign-on or a proxy header."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import streamlit as st

from hqd import store
from hqd.accounts import Identity, role_name
from hqd.i18n import translate
from hqd.settings import reading_requires_sign_in, session_minutes, trusted_header
from hqd.store import Engine

IDENTITY_KEY, SEEN_KEY, EXPIRED_KEY = "_identity", "_last_seen", "_session_expired"
SINGLE_USER = Identity("本机用户", "admin", "single-user")
ANONYMOUS = Identity("访客", "viewer", "anonymous")
# Roles given to single sign-on or proxy users the admin has not listed.
UNLISTED_ROLE = "viewer"


def sso_configured() -> bool:
    """Tell whether single sign-on (an [auth] section in .streamlit/secrets.toml) is set up."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all: Streamlit raises its own error type
        return False


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
        identity = header_identity(engine, st.context.headers)
    elif mode == "sso":
        if st.user.is_logged_in:
            email = str(st.user.get("email") or st.user.get("sub") or "")
            identity = _listed(engine, email, "sso")
    else:
        identity = _password_session(engine)
    if identity is None and not reading_requires_sign_in():
        return ANONYMOUS
    return identity


def header_identity(engine: Engine, headers) -> Identity | None:
    """Return the user a trusted reverse proxy names in its header, with the role the admin keeps."""
    name = (headers.get(trusted_header() or "") or "").strip()
    return _listed(engine, name, "header") if name else None


def _listed(engine: Engine, name: str, method: str) -> Identity:
    """Return the identity with the role the admin keeps for it (unlisted: viewer)."""
    kept = store.role_of_identity(engine, name)
    role, display = kept if kept else (UNLISTED_ROLE, name)
    return Identity(display, role, method, name)


def _password_session(engine: Engine) -> Identity | None:
    """Return the signed-in account of the session, ending it when idle too long or disabled."""
    identity = st.session_state.get(IDENTITY_KEY)
    if identity is None:
        return None
    seen = st.session_state.get(SEEN_KEY, _now())
    account = store.read_account(engine, identity.username)
    idle = _now() - seen > timedelta(minutes=session_minutes())
    if idle or account is None or account["disabled"]:
        sign_out()
        st.session_state[EXPIRED_KEY] = idle
        return None
    st.session_state[SEEN_KEY] = _now()
    # The role is read again on every run, so a change by the admin applies at once.
    return Identity(account["display_name"] or identity.username, account["role"], "password", identity.username)


def start_session(identity: Identity) -> None:
    """Remember a password sign-in in this session."""
    st.session_state[IDENTITY_KEY] = identity
    st.session_state[SEEN_KEY] = _now()
    st.session_state.pop(EXPIRED_KEY, None)


def sign_out() -> None:
    """End the session's sign-in."""
    st.session_state.pop(IDENTITY_KEY, None)
    st.session_state.pop(SEEN_KEY, None)


def require(identity: Identity | None, needed: str, lang: str, message: str = "auth.no_permission") -> None:
    """Stop the page, saying why, unless the identity's role reaches the role needed.

    The navigation already hides such pages; this check runs on the server whatever the URL.
    """
    if identity is None or not identity.may(needed):
        role = role_name(identity.role, lang) if identity else "—"
        st.error(translate(message, lang, role=role), icon=":material/lock:")
        st.stop()
