"""What every page starts from: the run's data, the language, who is asking, and the guard on the page."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import streamlit as st

from hqd.accounts import Identity
from hqd.i18n import translator
from hqd.ui import auth, shell, state
from hqd.ui.data import Snapshot


@dataclass(frozen=True)
class PageContext:
    """The data of this run, the reader's language and its translator, who is asking and the year viewed."""

    data: Snapshot
    lang: str
    t: Callable[..., str]
    identity: Identity | None
    year: int


@contextmanager
def run_with(data: Snapshot) -> Iterator[None]:
    """Hand the entry script's Snapshot to the page it runs, for this run only.

    Removed when the page ends however it ends (st.stop, st.rerun, an error): a session keeps no
    frames between runs, and the next run reads the data again.
    """
    st.session_state[state.SNAPSHOT] = data
    try:
        yield
    finally:
        st.session_state.pop(state.SNAPSHOT, None)


def run_snapshot() -> Snapshot:
    """Return the Snapshot of this run: the entry script's, or a new one for a page run on its own."""
    data = st.session_state.get(state.SNAPSHOT)
    return data if data is not None else Snapshot()


def page_context(action: str | None) -> PageContext:
    """Return what a page starts from, having stopped it unless the visitor may take `action` (hqd.policy).

    None is for the one page open to anybody: sign-in.
    """
    lang = shell.language()
    identity = shell.identity()
    if action is not None:
        auth.require(identity, action, lang)
    data = run_snapshot()
    return PageContext(data, lang, translator(lang), identity, shell.selected_year(data))
