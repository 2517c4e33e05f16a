"""Problems as data: the typed frame records make, and the order concat_problems puts them in."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hqd.problems import ERROR, WARNING, concat_problems, make_problems, problem


def frame(sheet, row, column, code, params, severity) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sheet": pd.array(sheet, dtype="str"),
            "row": pd.array(row, dtype="Int64"),
            "column": pd.array(column, dtype="str"),
            "code": pd.array(code, dtype="str"),
            "params": pd.Series(params, dtype="object"),
            "severity": pd.array(severity, dtype="str"),
        }
    )


@pytest.mark.parametrize(
    "records, expected",
    [
        (
            [problem("a", sheet="填报", row=3, column="B", value=1.5), problem("b", WARNING)],
            frame(["填报", ""], [3, None], ["B", ""], ["a", "b"], [{"value": 1.5}, {}], [ERROR, WARNING]),
        ),
        # Records from elsewhere: blanks of every kind, a row as another type of number, no params or severity.
        (
            [
                {"code": "c", "row": np.int64(4), "sheet": None, "column": np.nan, "params": None},
                {"code": "d", "row": 5.0, "severity": None},
                {"code": "e", "row": pd.NA, "sheet": "表2"},
            ],
            frame(["", "", "表2"], [4, 5, None], ["", "", ""], ["c", "d", "e"], [{}, {}, {}], [ERROR] * 3),
        ),
    ],
    ids=["made-by-problem", "blanks-and-other-types"],
)
def test_records_become_a_typed_frame_with_blanks_filled(records, expected):
    pd.testing.assert_frame_equal(make_problems(records), expected)
    # A frame of problems made again is the same frame.
    pd.testing.assert_frame_equal(make_problems(make_problems(records)), expected)


def test_problems_are_listed_errors_first_then_in_reading_order():
    first = make_problems(
        [
            problem("w", WARNING, sheet="填报", row=2, column="A"),
            problem("aa", sheet="填报", row=5, column="AA"),
            problem("z", sheet="填报", row=5, column="Z"),
        ]
    )
    second = make_problems(
        [
            problem("other", sheet="表2", row=1, column="A"),
            problem("whole", sheet="填报"),
            problem("b", sheet="填报", row=5, column="B"),
            problem("b-again", sheet="填报", row=5, column="B"),
        ]
    )
    # Sheets in the order first met, a problem of a whole sheet (no row) before its rows, AA after Z, and two at one
    # cell in the order given.
    order = ["whole", "b", "b-again", "z", "aa", "other", "w"]
    assert concat_problems(first, second)["code"].tolist() == order
    pd.testing.assert_frame_equal(
        concat_problems(first, second),
        make_problems(pd.concat([first, second]).set_index("code").loc[order].reset_index()),
    )


def test_no_problems_anywhere_is_the_empty_frame():
    pd.testing.assert_frame_equal(concat_problems(make_problems(), make_problems()), make_problems())
    assert list(make_problems().columns) == ["sheet", "row", "column", "code", "params", "severity"]
