"""The supervision store: reports come and go with their upload; reviews and instructions are appended, audited."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from hqd import store
from hqd.store import StoreError


def explanation(indicator: str, cause: str, month: int = 10) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "indicator": indicator,
                "year": 2026,
                "month": month,
                "cause": cause,
                "measures": "加快项目入库",
                "expected_by": date(2026, 12, 31),
            }
        ]
    )


def test_an_explanation_alone_makes_an_upload_and_the_newest_counts(engine):
    first = store.commit_upload(
        engine, "form", None, "alice", reports={"explanations": explanation("A1", "<b>项目延期</b>")}
    )
    second = store.commit_upload(engine, "form", None, "bob", reports={"explanations": explanation("A1", "审批滞后")})
    shown = store.read_explanations(engine)
    assert shown[["indicator", "cause", "user_name"]].to_dict("records") == [
        {"indicator": "A1", "cause": "审批滞后", "user_name": "bob"}
    ]
    assert pd.Timestamp(shown.loc[0, "expected_by"]).date() == date(2026, 12, 31)
    store.rollback_upload(engine, second[store.DATA], "carol")
    # Stored as typed: escaping is the reader's business.
    assert store.read_explanations(engine)["cause"].tolist() == ["<b>项目延期</b>"]
    assert first[store.DATA] != second[store.DATA]
    audit = store.read_audit(engine)
    committed = audit[(audit["upload_id"] == second[store.DATA]) & (audit["action"] == "upload_committed")]
    assert '"explanations":1' in committed["detail"].iloc[0]


def test_reports_come_with_the_figures_of_their_file(engine):
    figures = pd.DataFrame([{"indicator": "A1", "year": 2026, "month": 10, "value": 1.0}])
    steps = pd.DataFrame([{"key_task": "KT1", "step": 2, "completed_on": date(2026, 9, 30)}])
    progress = pd.DataFrame([{"key_task": "KT1", "year": 2026, "month": 10, "progress": "已完成选址"}])
    proof = pd.DataFrame(
        [
            {
                "key_task": "KT1",
                "step": 2,
                "file_name": "批复.pdf",
                "media_type": "application/pdf",
                "sha256": "0" * 64,
                "size": 4,
                "content": b"%PDF",
            }
        ]
    )
    ids = store.commit_upload(
        engine,
        "f.xlsx",
        b"bytes",
        "alice",
        frame=figures,
        reports={"milestone_reports": steps, "key_task_reports": progress, "evidence": proof},
    )
    assert store.read_milestone_reports(engine)[["key_task", "step"]].to_dict("records") == [
        {"key_task": "KT1", "step": 2}
    ]
    assert store.read_key_task_reports(engine)["progress"].tolist() == ["已完成选址"]
    found = store.read_evidence(engine)
    assert found["file_name"].tolist() == ["批复.pdf"]
    assert store.read_evidence_file(engine, int(found.loc[0, "id"])) == ("批复.pdf", "application/pdf", b"%PDF")
    before = store.data_version(engine)
    store.rollback_upload(engine, ids[store.DATA], "carol")
    assert store.data_version(engine) != before
    assert store.read_milestone_reports(engine).empty
    assert store.read_evidence(engine).empty
    assert store.read_observations(engine).empty


def test_empty_readings_have_their_columns(engine):
    assert list(store.read_explanations(engine).columns)[:6] == [
        "indicator",
        "year",
        "month",
        "cause",
        "measures",
        "expected_by",
    ]
    assert store.read_reviews(engine).empty
    assert "answer" in store.read_instructions(engine).columns
    with pytest.raises(StoreError) as refused:
        store.read_evidence_file(engine, 99)
    assert refused.value.code == "store.no_evidence"


def test_a_review_is_withdrawn_by_a_newer_row_and_audited(engine):
    store.save_review(engine, "A1", 2026, 10, "on_track", "at_risk", "已开工，数据滞后", "admin", "admin")
    assert store.read_reviews(engine)[["indicator", "status", "computed"]].to_dict("records") == [
        {"indicator": "A1", "status": "on_track", "computed": "at_risk"}
    ]
    store.save_review(engine, "A1", 2026, 10, None, "at_risk", "撤销", "admin", "admin")
    assert store.read_reviews(engine).empty
    assert store.read_audit(engine)["action"].tolist().count("light_reviewed") == 2


def test_an_instruction_is_answered_once(engine):
    given = store.save_instruction(engine, "indicator", "A1", "科技创新局", "请说明原因", "leader", "admin")
    assert store.read_instructions(engine)["answer"].isna().tolist() == [True]
    store.answer_instruction(engine, given, "已整改", "dept", "editor")
    row = store.read_instructions(engine).iloc[0]
    assert (row["answer"], row["answered_by"]) == ("已整改", "dept")
    with pytest.raises(StoreError) as refused:
        store.answer_instruction(engine, given, "再答", "dept", "editor")
    assert refused.value.code == "store.instruction_answered"
    with pytest.raises(StoreError) as missing:
        store.answer_instruction(engine, 999, "答", "dept", "editor")
    assert missing.value.code == "store.no_instruction"


def test_only_sample_data_may_be_dated_and_never_later_than_now(engine):
    from datetime import UTC, datetime

    with pytest.raises(ValueError):
        store.commit_upload(
            engine, "form", None, "alice", reports={"explanations": explanation("A1", "x")}, recorded_at=datetime.now()
        )
    store.commit_upload(
        engine,
        "sample",
        None,
        "示例数据",
        reports={"explanations": explanation("A1", "x")},
        is_sample=True,
        recorded_at=datetime(2026, 11, 7, 10, tzinfo=UTC),
    )
    store.commit_upload(
        engine,
        "sample2",
        None,
        "示例数据",
        reports={"explanations": explanation("A2", "y")},
        is_sample=True,
        recorded_at=datetime(2999, 1, 1, tzinfo=UTC),
    )
    times = store.read_explanations(engine).set_index("indicator")["created_at"]
    assert pd.Timestamp(times["A1"]) == pd.Timestamp("2026-11-07 10:00")
    assert pd.Timestamp(times["A2"]) <= pd.Timestamp.now(tz="UTC").tz_localize(None)


def test_a_form_may_put_back_what_an_earlier_form_said_and_the_first_time_given_is_kept(engine):
    store.commit_upload(engine, "form", None, "alice", reports={"explanations": explanation("A1", "X")})
    store.commit_upload(engine, "form", None, "alice", reports={"explanations": explanation("A1", "Y")})
    store.commit_upload(engine, "form", None, "alice", reports={"explanations": explanation("A1", "X")})
    shown = store.read_explanations(engine)
    assert shown["cause"].tolist() == ["X"]
    first = store.read_uploads(engine, store.DATA)["created_at"].min()
    assert pd.Timestamp(shown.loc[0, "first_given_at"]) == pd.Timestamp(first)
