"""AppTest of the explorer: filters from the URL, filters changed, reset, charts, detail with lineage."""

from __future__ import annotations

import pandas as pd
import pytest
from factories import make_observations
from support import infos, table_with, tables_with

from hqd import store


def explored(at):
    """Return the explorer's table of indicators (the one with each indicator's pace)."""
    return table_with(at, "进度比")


def codes(at) -> list[str]:
    return list(explored(at)["编码"])


def test_without_filters_every_indicator_is_listed(app):
    at = app.open("explorer")
    assert not at.exception
    assert codes(at) == ["A1", "A2", "A3", "B1", "B2", "B3"]
    assert any("共6项指标" in m.value for m in at.markdown)
    table = explored(at)
    # The year range runs from the plan's baseline year to the latest year with data.
    assert list(table.columns[8:12]) == ["2020", "2021", "2022", "基期值"]
    assert table.set_index("编码").loc["A1", "2022"] == 150


def test_filters_come_from_the_url(app):
    at = app.open("explorer", programme="工程B", years=["2021", "2022"])
    assert not at.exception
    assert codes(at) == ["B1", "B2", "B3"]
    assert list(explored(at).columns[8:10]) == ["2021", "2022"]


def test_changing_a_filter_changes_the_table(app):
    at = app.open("explorer")
    at.multiselect(key="status").set_value(["no_data"]).run()
    end = app.report.indicators.query("year == 2022 and status == 'no_data'")["code"]
    assert codes(at) == list(end)
    at.text_input(key="q").set_value("a1").run()
    assert not tables_with(at, "进度比") and "没有符合条件的指标" in infos(at)
    (reset,) = [b for b in at.button if b.label == "清除筛选"]
    reset.click().run()
    assert codes(at) == ["A1", "A2", "A3", "B1", "B2", "B3"]


def test_search_matches_names_ignoring_width_and_case(app):
    at = app.open("explorer", q="指标ａ２")
    assert codes(at) == ["A2"]


def test_detail_shows_the_lineage_of_each_value(app):
    store.commit_upload(app.engine, "fix.xlsx", b"f", "王五", frame=make_observations([("A1", 2022, 160.0, "更正")]))
    again = make_observations([("A1", 2022, 170.0)])
    third = store.commit_upload(app.engine, "again.xlsx", b"g", "赵六", frame=again)[store.DATA]
    store.rollback_upload(app.engine, third, "管理员")
    at = app.open("explorer", indicator="A1")
    assert not at.exception
    lineage = table_with(at, "替换的原值")
    rows = lineage[lineage["年份"] == 2022]
    assert list(rows["实际值"]) == ["170个", "160个", "150个"]
    assert list(rows["替换的原值"]) == ["160个", "150个", "—"]
    assert list(rows["状态"]) == ["已撤销", "现行", "已被替换"]
    assert list(rows["提交人"]) == ["赵六", "王五", "张三"]


# A2's 2023 target on its compound line from 100 to 200: 100 × 2^(3/5) ≈ 151.6; 60 by June, 28 by March.
@pytest.mark.parametrize(
    ("query", "heading", "done"),
    [({}, "截至2023年6月：序时进度", "40%"), ({"month": "3"}, "截至2023年3月：序时进度", "18%")],
)
def test_a_year_under_way_is_explored_at_a_month_kept_in_the_link(app, query, heading, done):
    months = pd.DataFrame({"indicator": "A2", "year": 2023, "month": [2, 3, 4, 5, 6], "value": [18.0, 28, 40, 50, 60]})
    store.commit_upload(app.engine, "months.xlsx", b"months", "张三", frame=months)
    at = app.open("explorer", **query)
    assert not at.exception
    assert heading in [h.value for h in at.subheader]
    shown = table_with(at, "差距（百分点）")
    assert list(shown["指标"]) == ["指标A2"] and list(shown["目标完成进度"]) == [done]
    # The programme filter applies to it as to the years.
    at.multiselect(key="programme").set_value(["B"]).run()
    assert not tables_with(at, "差距（百分点）")
