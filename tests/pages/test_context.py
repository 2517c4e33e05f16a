"""AppTest of what every page starts from: the entry script's data, read once per run and handed to the page."""

from __future__ import annotations

import pytest

from hqd.ui import context
from hqd.ui.data import Snapshot

# Every page a single-user admin opens; the upload page stops early (no file), the others run to the end.
PAGES = ["overview", "programme", "assessment", "explorer", "quality", "upload", "history", "accounts", "audit"]


@pytest.fixture
def runs(monkeypatch) -> dict[str, list[Snapshot]]:
    """Return lists that get every Snapshot built, and every Snapshot a page was handed, from now on."""
    seen: dict[str, list[Snapshot]] = {"built": [], "handed": []}
    build, hand = Snapshot.__init__, context.run_snapshot

    def counted(self) -> None:
        seen["built"].append(self)
        build(self)

    def handed() -> Snapshot:
        seen["handed"].append(hand())
        return seen["handed"][-1]

    monkeypatch.setattr(Snapshot, "__init__", counted)
    monkeypatch.setattr(context, "run_snapshot", handed)
    return seen


@pytest.mark.parametrize("page", PAGES)
def test_a_run_reads_the_data_once_and_the_page_gets_it(app, runs, page):
    at = app.open(page)
    runs["built"].clear()
    runs["handed"].clear()
    at.run()
    assert not at.exception
    assert len(runs["built"]) == 1  # the entry script's
    assert runs["handed"] == runs["built"]  # the very object: not read again, not kept from a run before


def test_the_next_run_reads_the_data_again_after_a_page_stopped_early(app, runs):
    at = app.open("explorer", q="no such indicator")
    assert "没有符合条件的指标" in " ".join(i.value for i in at.info)
    first = runs["built"][-1]
    at.run()
    assert runs["built"][-1] is not first and runs["handed"][-1] is runs["built"][-1]


def test_the_run_data_is_let_go_when_the_page_ends_however_it_ends(monkeypatch):
    monkeypatch.setattr(Snapshot, "__init__", lambda self: None)  # a page run on its own reads its own
    data = object.__new__(Snapshot)
    with pytest.raises(RuntimeError), context.run_with(data):
        assert context.run_snapshot() is data
        raise RuntimeError("the page stopped")
    assert context.run_snapshot() is not data
