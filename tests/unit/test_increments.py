"""Reports and the explorer's tables made again only for the indicators whose figures changed: always what making
them whole gives, and made whole whenever anything else changed."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from support import copy_sqlite

from hqd import increments, store
from hqd.directives import Counting, supervised_in_year, supervised_report
from hqd.inyear import DUE_MONTHS, month_in_progress
from hqd.rollup import default_period, default_year
from hqd.views.explorer import explore_every_indicator, in_year_every_indicator

PERIOD, YEAR = "P15", 2026


def commit(engine, name: str, rows: list[tuple]) -> set[str]:
    """Commit figures (indicator, year, month, value); return their indicators."""
    frame = pd.DataFrame(rows, columns=["indicator", "year", "month", "value"]).assign(note="更正")
    store.commit_upload(engine, name, name.encode(), "张三", frame=frame)
    return {r[0] for r in rows}


def latest(engine, count: int) -> list[tuple]:
    """Return `count` figures of the year under way, of as many indicators, each 10 % higher."""
    figures = store.read_observations(engine)
    month = figures[figures["year"] == YEAR].drop_duplicates("indicator").head(count)
    return [(r.indicator, YEAR, int(r.month), r.value * 1.1) for r in month.itertuples()]


def correct_figures(engine, name: str = "fix.xlsx") -> set[str]:
    # This year's months and last year's annual figure of one of them.
    rows = latest(engine, 3)
    last_year = store.read_observations(engine)
    last_year = last_year[(last_year["indicator"] == rows[0][0]) & (last_year["month"] == 12)].iloc[-1]
    return commit(engine, name, [*rows, (rows[0][0], int(last_year["year"]), 12, 1.5 * last_year["value"])])


def report_a_new_indicator(engine) -> set[str]:
    # An indicator of the period without any figure before.
    figures, targets = store.read_observations(engine), store.load_catalog(engine).targets(PERIOD)
    fresh = targets[~targets["code"].isin(figures["indicator"])].iloc[0]
    months = [m for m in DUE_MONTHS[fresh["frequency"]] if m <= 9] or [12]
    rows = [(fresh["code"], YEAR - 1, 12, 10.0)] + [(fresh["code"], YEAR, m, float(m)) for m in months]
    return commit(engine, "new.xlsx", rows)


def review_lights(engine) -> set[str]:
    code, _, month, _ = latest(engine, 1)[0]
    # Lights no computation gives there: the month's (no in-year light is "achieved"), the year's (no figure yet).
    store.save_review(engine, code, YEAR, month, "achieved", "on_track", "核实", "王五", "leader")
    store.save_review(engine, code, YEAR, 12, "lagging", "no_data", "核实", "王五", "leader")
    return set()


def give_an_instruction(engine) -> set[str]:
    store.save_instruction(engine, "programme", "INN", "科技局", "加快进度", "王五", "leader")
    return set()


def commit_twice(engine) -> set[str]:
    # The figures read between the two commits (another page's view), the reports made only after both.
    changed = commit(engine, "one.xlsx", latest(engine, 2))
    store.read_observations_now(engine, store.read_uploads(engine))
    return changed | commit(engine, "two.xlsx", latest(engine, 5)[2:])


def roll_back(engine) -> None:
    store.rollback_upload(engine, int(store.read_uploads(engine, store.DATA)["id"].max()), "李四")


def set_an_annual_target(engine) -> None:
    catalog = store.load_catalog(engine)
    code = catalog.targets(PERIOD).query("frequency == 'month'")["code"].iloc[0]
    table = pd.DataFrame([(code, PERIOD, YEAR, 1e6)], columns=["code", "period", "year", "target_value"])
    revised = replace(catalog, annual_targets=table.astype(catalog.annual_targets.dtypes.to_dict()))
    store.commit_upload(engine, "targets.xlsx", b"targets", "admin", catalog=revised)


# Each step changes the database; "part" makes again only the rows of the indicators it changed, "whole" all.
STEPS = {
    "corrected figures": (correct_figures, "part"),
    "a new indicator's figures": (report_a_new_indicator, "part"),
    "reviewed lights": (review_lights, "part"),
    "an instruction": (give_an_instruction, "part"),
    "two commits, the figures read between": (commit_twice, "part"),
    "a rollback": (roll_back, "whole"),
    "an annual target set (a catalog revision)": (set_an_annual_target, "whole"),
    "corrected figures after the revision": (lambda e: correct_figures(e, "fix2.xlsx"), "part"),
}


@pytest.fixture
def made(monkeypatch) -> list[tuple[str, int]]:
    """Record what hqd.increments makes: (what, how many indicators' rows)."""
    calls = []

    def counted(name, function, count):
        def wrapper(*args, **kwargs):
            result = function(*args, **kwargs)
            calls.append((name, count(result)))
            return result

        monkeypatch.setattr(increments, name, wrapper)

    counted("progress_rows", increments.progress_rows, lambda rows: rows["code"].nunique())
    counted("judge_in_year", increments.judge_in_year, lambda rows: rows["code"].nunique())
    counted("explore_every_indicator", increments.explore_every_indicator, lambda rows: len(rows.frame))
    counted("in_year_every_indicator", increments.in_year_every_indicator, len)
    return calls


def assert_reports_equal(made, whole, name: str) -> None:
    for level in ("indicators", "tasks", "programmes", "overall"):
        pd.testing.assert_frame_equal(getattr(made, level), getattr(whole, level), obj=f"{name}: {level}")


@pytest.mark.parametrize(
    "counting, lang",
    # Key tasks in the score change the roll-ups only, made whole either way (and their scores take a second).
    [(Counting(), "zh"), (Counting(reviews=True), "en")],
    ids=["plain", "reviews-counted"],
)
def test_each_change_gives_what_making_everything_again_gives(sample_database, tmp_path, made, counting, lang):
    copy_sqlite(sample_database, tmp_path / "hqd.db")
    engine = store.connect(f"sqlite:///{tmp_path / 'hqd.db'}")
    steps = [("the first view", (lambda _: None, "whole")), *STEPS.items()]
    for name, (change, how) in steps:
        changed = change(engine)
        made.clear()
        catalog = store.load_catalog(engine)
        observations = store.read_observations_now(engine, store.read_uploads(engine))
        supervision = store.read_supervision(engine)
        assert default_period(catalog, observations) == PERIOD and default_year(catalog, observations, PERIOD) == YEAR
        month = month_in_progress(catalog, observations, PERIOD, YEAR)
        months = range(1, month + 1)
        first = catalog.years(PERIOD)[0]

        report = increments.recompute_report(catalog, observations, supervision, PERIOD, counting)
        whole = supervised_report(catalog, observations, supervision, PERIOD, counting)
        assert_reports_equal(report, whole, name)
        in_year = increments.recompute_in_year(catalog, observations, supervision, PERIOD, YEAR, months, counting)
        whole_in_year = supervised_in_year(catalog, observations, supervision, PERIOD, YEAR, months, counting)
        assert_reports_equal(in_year, whole_in_year, name)
        rows = increments.recompute_explorer_rows(report, catalog, observations, first, YEAR, lang)
        expected = explore_every_indicator(whole, catalog, observations, first, YEAR, lang)
        pd.testing.assert_frame_equal(rows.frame, expected.frame, obj=f"{name}: explorer frame")
        pd.testing.assert_frame_equal(rows.table, expected.table, obj=f"{name}: explorer table")
        table = increments.recompute_in_year_table(in_year, catalog, month, lang)
        expected = in_year_every_indicator(whole_in_year, catalog, month, lang)
        pd.testing.assert_frame_equal(table, expected, obj=f"{name}: in-year table")

        every = {
            "progress_rows": len(catalog.targets(PERIOD)),
            "judge_in_year": whole_in_year.indicators["code"].nunique(),
            "explore_every_indicator": len(catalog.targets(PERIOD)),
            "in_year_every_indicator": whole_in_year.indicators["code"].nunique(),
        }
        if how == "whole":
            assert {what for what, count in made if count == every[what]} == set(every), name
            continue
        # Only the indicators changed: their figures' rows; in the explorer's, also those a review changed.
        assert all(count < every[what] for what, count in made), (name, made)
        figures_rows = [count for what, count in made if what in ("progress_rows", "judge_in_year")]
        assert all(count <= len(changed) for count in figures_rows), (name, made)
        assert bool(figures_rows) == bool(changed), (name, made)
    engine.dispose()


def frame(**columns) -> pd.DataFrame:
    return pd.DataFrame(columns)


OLD = frame(
    code=pd.array(["A", "A", "B", "C"], dtype="str"),
    status=pd.array(["on_track", "lagging", "no_data", "achieved"], dtype="str"),
    name=pd.array(["甲", "甲", "乙", "丙"], dtype="str"),
    value=[1.0, np.nan, 3.0, 4.0],
    year=pd.array([2025, 2026, 2026, None], dtype="Int64"),
    reviewed=np.array([None, "at_risk", None, None], dtype=object),
)


@pytest.mark.parametrize(
    "at, fresh, expected",
    [
        # B's row made again: every kind of column takes its value, the others' rows stay.
        (
            [2],
            frame(
                code=pd.array(["B"], dtype="str"),
                status=pd.array(["lagging"], dtype="str"),
                name=pd.array(["乙"], dtype="str"),
                value=[7.0],
                year=pd.array([None], dtype="Int64"),
                reviewed=np.array(["missed"], dtype=object),
            ),
            frame(
                code=pd.array(["A", "A", "B", "C"], dtype="str"),
                status=pd.array(["on_track", "lagging", "lagging", "achieved"], dtype="str"),
                name=pd.array(["甲", "甲", "乙", "丙"], dtype="str"),
                value=[1.0, np.nan, 7.0, 4.0],
                year=pd.array([2025, 2026, None, None], dtype="Int64"),
                reviewed=np.array([None, "at_risk", "missed", None], dtype=object),
            ),
        ),
        ([], OLD.iloc[:0], OLD),
        # Not as many rows, another type, other columns: nothing to splice, everything is made again.
        ([0, 1], OLD.iloc[:1], None),
        ([3], OLD.iloc[3:].astype({"value": "object"}), None),
        ([3], OLD.iloc[3:].drop(columns="reviewed"), None),
    ],
    ids=["one-indicator", "none", "too-few-rows", "another-type", "other-columns"],
)
def test_rows_made_again_are_put_in_their_places(at, fresh, expected):
    spliced = increments.splice_rows(OLD, fresh.reset_index(drop=True), np.array(at, dtype="int64"))
    if expected is None:
        assert spliced is None
    else:
        pd.testing.assert_frame_equal(spliced, expected)
    # The rows kept are never changed in place.
    assert OLD["status"].tolist() == ["on_track", "lagging", "no_data", "achieved"] and OLD["value"].iloc[2] == 3.0
