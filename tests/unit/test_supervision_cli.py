"""`python -m hqd supervision`: the 督办 list of the year under way (as `progress` picks it), per department."""

from __future__ import annotations

import pandas as pd

from hqd import store
from hqd.catalog import read_catalog
from hqd.sample import sample_reports


def test_the_list_of_the_month_under_way_holds_the_samples_answers(loaded):
    payload = loaded("supervision", "--json").json()
    assert (payload["period"], payload["year"], payload["month"]) == ("P15", 2026, 10)
    assert payload["as_of"] <= "2026-10-31"
    items = pd.DataFrame(payload["items"])
    explained = items[(items["kind"] == "explanation") & items["answered"]]
    wanted = sample_reports(read_catalog())["explanations"]
    assert sorted(explained["target"]) == sorted(wanted["indicator"])
    assert set(explained["answer"]) <= set(wanted["cause"])
    owed = items[(items["kind"] == "explanation") & ~items["answered"]]
    assert len(owed) > 0 and set(owed["state"]) <= {"unexplained", "overdue"}
    assert set(owed["since"]) == {"2026-11-10"}
    milestones = items[items["kind"] == "milestone"]
    assert {"late", "done"} == set(milestones["state"])
    # An open milestone has no answer (null), a completed one its date.
    assert milestones.loc[milestones["state"] == "late", "answer"].isna().all()
    assert milestones.loc[milestones["state"] == "done", "answer"].str.match(r"\d{4}-\d{2}-\d{2}$").all()
    # Open items first within each department.
    for _, own in items.groupby("department", sort=False):
        assert own["answered"].is_monotonic_increasing


def test_one_departments_list_in_words(loaded):
    text = loaded("supervision", "--department", "科技创新局").out
    assert text.startswith("2026年1—10月督办事项（截至")
    assert "【科技创新局】待办" in text and "【经济发展局】" not in text
    assert "指标情况说明" in text and "重点任务节点" in text
    english = loaded("--lang", "en", "supervision", "--month", "2026-09", "--department", "财政局").out
    assert english.startswith("Items to answer for Jan–Sep 2026 (as of ")
    assert "[Finance Bureau]" in english


def test_an_instruction_given_shows_open_until_answered(loaded, tmp_path):
    engine = store.connect(f"sqlite:///{tmp_path / 'cli.db'}")
    given = store.save_instruction(engine, "indicator", "INN01", "科技创新局", "请加快进度", "领导", "admin")
    payload = loaded("supervision", "--department", "科技创新局", "--json").json()
    (row,) = [i for i in payload["items"] if i["kind"] == "instruction"]
    assert (row["target"], row["text"], row["state"], row["answered"]) == ("INN01", "请加快进度", "open", False)
    assert row["days"] == 0
    store.answer_instruction(engine, given, "已部署专项调度", "kj", "editor")
    engine.dispose()
    payload = loaded("supervision", "--department", "科技创新局", "--json").json()
    (row,) = [i for i in payload["items"] if i["kind"] == "instruction"]
    assert (row["state"], row["answer"], row["answered_by"]) == ("answered", "已部署专项调度", "kj")


def test_an_unknown_department_or_month_is_refused_in_words(loaded):
    assert "没有责任单位「无此局」" in loaded("supervision", "--department", "无此局", expect=1).err
    assert "2026-13" in loaded("supervision", "--month", "2026-13", expect=1).err
