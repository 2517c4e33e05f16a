"""What every page starts from: the run's data, the language, who is asking, and the guard on the page."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from hqd.accounts import Identity
from hqd.i18n import translator
from hqd.ui import auth, shell
from hqd.ui.data import Snapshot


@dataclass(frozen=True)
class PageContext:
    """The data of this run, the reader's language and its translator, who is asking and the year viewed."""

    data: Snapshot
    lang: str
    t: Callable[..., str]
    identity: Identity | None
    year: int


# The Snapshot of the run in progress. Not in st.session_state: a session keeps no frames between
# runs, and after st.stop() Streamlit stops the run again on any access to the session state, so a
# key there could not be removed when a page stops early.
_RUN_DATA: ContextVar[Snapshot | None] = ContextVar("hqd_run_data", default=None)


@contextmanager
def run_with(data: Snapshot) -> Iterator[None]:
    """Hand the entry script's Snapshot to the page it runs, for this run only.

    Let go when the page ends however it ends (st.stop, st.rerun, an error): the next run reads
    the data again.
    """
    token = _RUN_DATA.set(data)
    try:
        yield
    finally:
        _RUN_DATA.reset(token)


def run_snapshot() -> Snapshot:
    """Return the Snapshot of this run: the entry script's, or a new one for a page run on its own."""
    data = _RUN_DATA.get()
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
