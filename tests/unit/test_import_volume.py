"""An import at volume: what the reading process sends, and what each import no longer works out again."""

from __future__ import annotations

import pickle
import zlib
from datetime import date, datetime, time, timedelta

import pandas as pd
import pytest
from factories import make_catalog, make_observations

import hqd.workbook
from hqd import store
from hqd.intake import check_jumps, indicator_lookup, normalise_text, resolve_indicators
from hqd.reading import UNCALCULATED, PercentNumber, WorkbookError, encode_grid

MIXED = [
    ["指标编码", "年份", "数值", "备注"],
    ["A1", 2021.0, 110.5, None],
    ["A1", 2021, True, ""],
    ["a1 ", 1, PercentNumber(0.06), UNCALCULATED],
    [datetime(2026, 10, 31, 8), date(2026, 10, 1), time(8, 30), timedelta(days=2)],
    ["", 1.0, "1", 1],
    [float("inf"), -0.0, "１，２３４", "—"],
]


def decoded(rows: list[list]):
    """Return the grid the server builds from what the reading process sends for `rows`, through pickle as sent."""
    _, *grid = pickle.loads(pickle.dumps(("数据", *encode_grid(rows))))
    return hqd.workbook._grid(*grid)


@pytest.mark.parametrize(
    "rows",
    [
        pytest.param(MIXED, id="every-type"),
        pytest.param([["A1", 1.0], ["A2"], []], id="ragged"),
        pytest.param([[float(i), f"A{i % 1000}", True] for i in range(3_000)], id="two-byte-places"),
        pytest.param([[float(i), f"A{i % 300}", i] for i in range(70_000)], id="four-byte-places"),
        pytest.param([], id="empty"),
    ],
)
def test_a_grid_reaches_the_server_with_every_value_and_type(rows):
    width = max(map(len, rows), default=0)
    grid = decoded(rows)
    assert grid.shape == (len(rows), width)
    for r, row in enumerate(rows):
        for c in range(width):
            sent = row[c] if c < len(row) else ""
            got = grid.iat[r, c]
            # True, 1 and 1.0 are equal in Python: the type must come through as well.
            assert (type(got), got) == (type(sent), sent) or got is sent, (r, c, got, sent)


def test_equal_values_of_other_types_than_text_and_floats_are_one_object_each():
    grid = decoded([["同一文字", 7, True], ["同一文字", 7, True]])
    assert grid.iat[0, 0] is grid.iat[1, 0] and grid.iat[0, 1] is grid.iat[1, 1]


@pytest.mark.parametrize(
    "broken",
    [
        pytest.param(lambda h, w, t, v, c: (h, w, t, v[:1], c), id="a-place-outside-the-values"),
        pytest.param(lambda h, w, t, v, c: (h + 1, w, t, v, c), id="columns-too-short"),
        pytest.param(lambda h, w, t, v, c: (h, w + 1, t, v, c), id="a-column-missing"),
        pytest.param(lambda h, w, t, v, c: (h, w, "d", v, c), id="places-of-another-type"),
        # A few bytes that inflate to a million: the server must not build what the answer claims.
        pytest.param(
            lambda h, w, t, v, c: (h, w, t, v, [(zlib.compress(bytes(10**6)), *c[0][1:]), *c[1:]]),
            id="a-mask-inflating-past-its-column",
        ),
        pytest.param(lambda h, w, t, v, c: (10**9, w, t, v, c), id="more-cells-than-a-file-may-hold"),
    ],
)
def test_an_answer_that_describes_no_grid_is_refused_as_such(broken):
    with pytest.raises(WorkbookError) as refused:
        hqd.workbook._grid(*broken(*encode_grid([["A1", "x", 1.0], ["A2", "y", 2.0]])))
    assert refused.value.code == "read.bad_answer"


def test_a_catalog_works_out_its_reporting_targets_once(small_catalog):
    assert small_catalog.reporting_targets() is small_catalog.reporting_targets()


def indicators(names: dict[str, str]) -> list[dict]:
    return [{"code": code, "name_zh": name, "programme": "P", "task": "T"} for code, name in names.items()]


def test_the_folded_catalog_is_kept_by_content_and_never_mixed_with_another():
    before = make_catalog(indicators({"A1": "营业收入", "A2": "研发投入"})).reporting_targets()
    renamed = make_catalog(indicators({"A1": "营业总收入", "A2": "研发投入"})).reporting_targets()
    codes = normalise_text(pd.Series(["", "", ""]))
    names = normalise_text(pd.Series(["营业收入", "营业总收入", "研发投入"]))
    assert list(resolve_indicators(codes, names, before)) == ["A1", "", "A2"]
    assert list(resolve_indicators(codes, names, renamed)) == ["", "A1", "A2"]
    # By code as well, typed in any case and width, and by the catalog's own code and name unfolded.
    folded = indicator_lookup(before).folded
    typed = normalise_text(pd.Series(["a1 ", "Ａ２", "A1", "营业收入"]), folded)
    assert list(resolve_indicators(typed, normalise_text(pd.Series([""] * 4)), before)) == ["A1", "A2", "A1", "A1"]
    # The same content in another frame is folded once.
    assert indicator_lookup(before.copy()) is indicator_lookup(before)


def test_the_figures_compared_are_those_in_effect_of_the_years_asked(engine):
    store.commit_upload(engine, "一.xlsx", b"1", "t", frame=make_observations([("A1", 2021, 1.0), ("A1", 2022, 2.0)]))
    store.commit_upload(engine, "二.xlsx", b"2", "t", frame=make_observations([("A1", 2021, 5.0), ("A2", 2020, 9.0)]))
    later = store.commit_upload(engine, "三.xlsx", b"3", "t", frame=make_observations([("A1", 2022, 7.0)]))
    store.rollback_upload(engine, later[store.DATA])
    figures = store.read_year_figures(engine, {2021, 2022})
    assert sorted(figures.itertuples(index=False, name=None)) == [("A1", 2021, 12, 5.0), ("A1", 2022, 12, 2.0)]
    everything = store.read_observations(engine)
    assert len(store.read_year_figures(engine, {2020, 2021, 2022})) == len(everything)
    assert store.read_year_figures(engine, set()).empty


@pytest.mark.parametrize(
    ("incoming", "stored", "expected"),
    [
        # Against the database, against the file itself (which wins over the database), and by month.
        pytest.param([("A1", 2022, 12, 400.0)], [("A1", 2021, 12, 100.0)], [("A1", 2022, 100.0)], id="stored"),
        pytest.param(
            [("A1", 2021, 12, 10.0), ("A1", 2022, 12, 40.0)], [("A1", 2021, 12, 100.0)], [("A1", 2022, 10.0)], id="file"
        ),
        pytest.param([("A1", 2022, 3, 40.0)], [("A1", 2021, 3, 40.0), ("A1", 2021, 12, 10.0)], [], id="month"),
        pytest.param([("A1", 2022, 3, 10.0)], [("A2", 2021, 3, 100.0), ("A1", 2021, 12, 100.0)], [], id="other-key"),
        pytest.param([("A1", 2020, 12, 10.0)], [("A9", 2019, 12, 100.0)], [], id="indicators-apart"),
    ],
)
def test_a_jump_is_against_the_same_period_a_year_before(incoming, stored, expected):
    def frame(rows):
        return pd.DataFrame(rows, columns=["indicator", "year", "month", "value"]).assign(
            sheet="数据", row=range(2, 2 + len(rows)), column="C"
        )

    jumps = check_jumps(frame(incoming), frame(stored)[["indicator", "year", "month", "value"]])
    assert [(p["indicator"], p["year"], p["previous"]) for p in jumps["params"]] == expected
