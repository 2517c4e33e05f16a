"""Times as readers in the zone expect them, and a dash for a time that never happened."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import numpy as np
import pandas as pd
import pytest

from hqd.formatting import clip_text, format_number, format_time


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
