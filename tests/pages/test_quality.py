"""AppTest of the data-quality page on a fixture with known gaps, copies and jumps."""

from __future__ import annotations

from factories import make_observations
from support import table_with, texts

from hqd import store


def test_quality_lists_what_is_missing_stale_and_jumping(app):
    # A3 copied forward three years; B2 falls from 70 to 9 and jumps back to 70 (a slip, then fixed).
    store.commit_upload(
        app.engine,
        "quality.xlsx",
        b"q",
        "t",
        frame=make_observations(
            [("A3", 2020, 58.0), ("A3", 2021, 58.0), ("A3", 2022, 58.0), ("B2", 2020, 70.0), ("B2", 2021, 9.0)]
        ),
    )
    at = app.open("quality", year="2022")
    assert not at.exception
    progress = table_with(at, "填报率")
    assert list(progress["责任单位"]) == ["科技创新局"]
    assert (progress["指标数"].iloc[0], progress["已填报"].iloc[0]) == (6, 5)
    assert progress["未填报指标"].iloc[0] == "B3"
    missing = table_with(at, "编码", "指标", "责任单位", "详情", exact=True)
    assert list(missing["编码"]) == ["B3"] and missing["详情"].iloc[0] == "./b?indicator=B3"
    stale = table_with(at, "起始年")
    assert list(stale["编码"]) == ["A3"] and (stale["起始年"].iloc[0], stale["截止年"].iloc[0]) == (2020, 2022)
    jumps = table_with(at, "倍数")
    assert list(jumps["编码"]) == ["B2", "B2"] and list(jumps["年份"]) == [2021, 2022]
    assert "无。" in [c.value for c in at.caption]


def test_quality_for_a_complete_year_says_all_reported(app):
    at = app.open("quality", year="2021")
    assert "2021年所有指标均已填报" in texts(at.success)
