"""AppTest of the history page: every upload, what it changed, rollback, the past state."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest
from factories import make_observations
from support import go_to, infos, metric, plain, table_with, texts

from hqd import store
from hqd.formatting import format_score
from hqd.rollup import compute_report


def uploads(at):
    """Return the page's list of uploads (the table with each upload's kind)."""
    return table_with(at, "类型")


def correct(app) -> None:
    """Add a third upload correcting A1 2022 (150 -> 170) and adding A1 2023."""
    frame = make_observations([("A1", 2022, 170.0, "更正"), ("A1", 2023, 180.0)])
    store.commit_upload(app.engine, "更正.xlsx", b"fix", "王五", frame=frame)


@pytest.fixture
def corrected(app, built):
    """The app with a third upload (correct, made once and copied)."""
    return app.start_from(built(correct))


def test_history_lists_every_upload_newest_first(corrected):
    at = corrected.open("history")
    assert not at.exception
    table = uploads(at)
    assert list(table["编号"]) == [3, 2, 1]
    assert list(table["提交人"]) == ["王五", "张三", "t"]
    assert list(table["状态"]) == ["有效"] * 3


def test_an_upload_shows_what_it_changed(corrected):
    at = corrected.open("history")
    changed = table_with(at, "变化")
    assert list(changed["年份"]) == [2022, 2023]
    assert list(changed["原值"]) == ["150个", "—"]
    assert list(changed["新值"]) == ["170个", "180个"]
    assert list(changed["变化"]) == ["修改", "新增"]


def test_rollback_asks_first_then_restores_the_previous_values(corrected):
    before = store.read_observations(corrected.engine)
    at = corrected.open("history")
    at.button(key="rollback").click().run()
    assert not at.exception
    assert "撤销第3号上传「更正.xlsx」" in plain(texts(at.markdown))
    assert store.read_uploads(corrected.engine).iloc[0]["in_effect"]  # nothing happened yet
    at.text_input(key="user_name").set_value("赵六").run()
    at.button(key="confirm_rollback").click().run()
    assert not at.exception
    assert "已撤销第3号上传" in texts(at.success)
    restored = store.read_observations(corrected.engine)
    assert restored.set_index(["indicator", "year"]).loc[("A1", 2022), "value"] == 150
    assert len(restored) == len(before) - 1
    assert "已撤销" in uploads(at)["状态"].iloc[0]


def test_the_dashboard_as_it_was_before_an_upload(corrected):
    at = corrected.open("history")
    # Just before upload 3: at its own timestamp it is already in effect.
    moment = store.read_uploads(corrected.engine).iloc[0]["created_at"] - timedelta(microseconds=1)
    at.button(key="view_before").click().run()
    assert not at.exception
    assert "正在查看" in infos(at) and "第3号上传之前" in infos(at)
    # The year picked stays; before upload 3 there was nothing for 2023 yet.
    assert "2023年暂无任何指标数据" in infos(at)
    # AppTest reruns the page it was told to open, not the one switch_page() went to.
    go_to(at, "overview")
    at.selectbox(key="year").set_value(2022).run()
    old = compute_report(corrected.catalog, store.read_observations(corrected.engine, as_of=moment))
    assert metric(at, "总体得分") == format_score(old.overall.query("year == 2022").iloc[0]["score"])
    (back,) = [b for b in at.button if b.label == "返回当前数据"]
    back.click().run()
    at.selectbox(key="year").set_value(2023).run()
    assert "正在查看" not in infos(at)
    now = compute_report(corrected.catalog, store.read_observations(corrected.engine))
    assert metric(at, "总体得分") == format_score(now.overall.query("year == 2023").iloc[0]["score"])


@pytest.mark.parametrize("moment", ["2000-01-01", "2000-01-01T08:00+08:00", "not a time"])
def test_a_moment_before_any_catalog_or_nonsense_falls_back_to_now(app, moment):
    at = app.open(as_of=moment)
    assert not at.exception
    assert "正在查看" not in infos(at)
    assert at.metric  # the current overview is shown


def test_a_moment_with_a_time_zone_is_read_as_that_zone(corrected):
    created = store.read_uploads(corrected.engine).iloc[0]["created_at"]
    local = (pd.Timestamp(created) - pd.Timedelta(microseconds=1)).tz_localize("UTC").tz_convert("Asia/Shanghai")
    at = corrected.open(as_of=local.isoformat())
    assert not at.exception
    assert "第3号上传之前" in infos(at)


def test_a_refused_rollback_is_worded_in_the_language_chosen(app):
    # Upload 1 is the only catalog version: the store refuses to roll it back.
    at = app.open("history")
    at.segmented_control(key="lang").set_value("en").run()
    at.selectbox(key="history_upload").set_value(1).run()
    at.button(key="rollback").click().run()
    at.text_input(key="user_name").set_value("Li").run()
    at.button(key="confirm_rollback").click().run()
    assert not at.exception
    assert [plain(e.value) for e in at.error] == [
        "This is the only catalog version in effect; it cannot be rolled back."
    ]
    assert store.read_uploads(app.engine).set_index("id").at[1, "in_effect"]


def test_the_rollback_counts_the_values_it_changes_back_and_asks_who_rolls_back(corrected):
    at = corrected.open("history")
    at.button(key="rollback").click().run()
    question = plain(texts(at.markdown))
    assert "2个数值将恢复为上传前的状态" in question and "修改过的1个数值恢复原值" in question
    assert "新增的1个数值撤除" in question
    # Single-user mode: the name is asked for, as for a commit, and said why visibly.
    assert at.button(key="confirm_rollback").disabled
    assert "请先填写操作人：撤销会记录此姓名。" in texts(at.caption)
    at.text_input(key="user_name").set_value("赵六").run()
    at.button(key="confirm_rollback").click().run()
    assert not at.exception
    assert store.read_uploads(corrected.engine).iloc[0]["rolled_back_by"] == "赵六"
