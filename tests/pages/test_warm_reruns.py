"""Warm reruns: a rerun of a page (any click) computes none of its tables or figures again; they are kept once per
process for the snapshot, what is viewed, the language and the day. At 50,000 indicators that is most of a run."""

from __future__ import annotations

import pandas as pd
import pytest

from hqd import store
from hqd.ui import data
from hqd.views import explorer, overview, programme

# A2 is reported monthly as a year-to-date total (tests/pages/conftest.py): January–June 2023 is a year under way.
MONTHS = pd.DataFrame(
    {"indicator": "A2", "year": 2023, "month": [2, 3, 4, 5, 6], "value": [18.0, 28.0, 40.0, 50.0, 60.0]}
)
# Per page and year: the functions that make its tables and figures (called through their module, as the views do).
MADE = {
    ("overview", "year"): [(overview, "attention_table"), (overview, "score_chart"), (overview, "summarise_year")],
    ("overview", "in_year"): [(overview, "in_year_table"), (overview, "months_chart")],
    ("programme", "year"): [(programme, "indicator_table"), (programme, "score_figure")],
    ("programme", "in_year"): [(programme, "in_year_table"), (programme, "score_figure")],
    ("explorer", "in_year"): [(explorer, "in_year_table")],
}


@pytest.mark.parametrize(("page", "year"), list(MADE))
def test_a_rerun_makes_no_table_or_figure_again(app, monkeypatch, page, year):
    if year == "in_year":
        store.commit_upload(app.engine, "months.xlsx", b"months", "张三", frame=MONTHS)
    at = app.open(page)
    assert not at.exception
    calls = []
    for module, name in [*MADE[page, year], (data, "month_in_progress")]:
        real = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, real=real, name=name, **k: calls.append(name) or real(*a, **k))
    at.run()
    assert not at.exception
    assert calls == []


def test_a_commit_makes_the_view_again(app, monkeypatch):
    """Kept by the data version: after a commit the overview shows the new figures."""
    at = app.open()
    assert not at.exception
    calls = []
    real = overview.attention_table
    monkeypatch.setattr(overview, "attention_table", lambda *a, **k: calls.append(1) or real(*a, **k))
    store.commit_upload(app.engine, "fix.xlsx", b"fix", "张三", frame=MONTHS.assign(year=2022, month=12).head(1))
    at.run()
    assert not at.exception
    assert calls == [1]


@pytest.mark.parametrize("page", ["overview", "programme"])
def test_a_year_under_way_computes_no_whole_year_report(app, monkeypatch, page):
    """The overview and a programme's page of a year under way show its in-year report only: the first view after a
    commit does not also compute the report year by year."""
    calls = []
    real = data.supervised_report
    monkeypatch.setattr(data, "supervised_report", lambda *a, **k: calls.append(1) or real(*a, **k))
    store.commit_upload(app.engine, "months.xlsx", b"months", "张三", frame=MONTHS)
    at = app.open(page)
    assert not at.exception
    assert "序时进度" in [m.label for m in at.metric]  # shown as a year under way
    assert calls == []
