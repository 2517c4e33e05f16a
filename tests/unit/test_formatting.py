"""Times as readers in the zone expect them, and a dash for a time that never happened."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import numpy as np
import pandas as pd
import pytest

from hqd.formatting import clip_text, format_number, format_time, share_text, share_texts


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        (None, "—"),
        (pd.NaT, "—"),
        (np.datetime64("NaT"), "—"),
        (float("nan"), "—"),
        # Stored times are naive UTC, shown in Beijing time.
        (datetime(2026, 1, 1, 0, 0), "2026-01-01 08:00"),
        (pd.Timestamp("2026-01-01 16:30"), "2026-01-02 00:30"),
        (datetime(2026, 1, 1, 0, 0, tzinfo=UTC), "2026-01-01 08:00"),
        (datetime(2026, 1, 1, 8, 0, tzinfo=timezone(timedelta(hours=8))), "2026-01-01 08:00"),
    ],
)
def test_format_time(moment, shown):
    assert format_time(moment) == shown


def test_a_time_column_with_an_empty_cell_formats_cell_by_cell():
    # A column of accounts' last sign-ins: one signed in, one never did (NaT, not None).
    column = pd.Series([datetime(2026, 1, 1), None], dtype="datetime64[ns]")
    assert [format_time(v) for v in column] == ["2026-01-01 08:00", "—"]
    assert format_number(pd.NA) == "—" and format_number(np.nan) == "—"


@pytest.mark.parametrize(
    ("text", "width", "clipped"),
    [
        ("INN01 Incubated enterprises", 40, "INN01 Incubated enterprises"),
        ("INN07 Local transfer projects from universities", 20, "INN07 Local transfe…"),
        # A Chinese character takes two columns.
        ("INN07 高校院所成果本地转化项目数", 20, "INN07 高校院所成果…"),
        ("高校院所成果", 12, "高校院所成果"),
        ("高校院所成果", 11, "高校院所成…"),
        # No space is left before the ellipsis.
        ("ab cd", 4, "ab…"),
    ],
)
def test_clip_text(text, width, clipped):
    assert clip_text(text, width) == clipped


@pytest.mark.parametrize(
    "values",
    [
        # Missing in every form; zeros and what rounds to them (never "−0%"); halves away from zero; big numbers.
        [None, float("nan"), pd.NA, 0.0, -0.0, 0.004, -0.004, 0.005, -0.005, 0.00499999, 1.125, -1.125, 0.675],
        [12.345, -12.345, 1e6, -1e6, 0.995, -0.995, 0.05, -0.05, 2.5e-3, 0.125, -0.125],
        pd.Series([1.0, None, 2.5, -0.3349999]),
        pd.Series([0.5, pd.NA, -0.005], dtype="Float64"),
        pd.Series(np.random.default_rng(15).normal(0, 0.8, 5000)),
    ],
)
def test_shares_of_a_column_read_as_each_share_alone(values):
    assert share_texts(values) == [share_text(v) for v in values]
