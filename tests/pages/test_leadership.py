"""AppTest of leaders' acts on a programme page (issue 13): a reviewed light set, shown beside the computed one and
withdrawn; instructions given on an indicator or task and answered by the department, each per role."""

from __future__ import annotations

import pytest
from support import EDITORS_DEPARTMENT, add_accounts, texts

from hqd import store
from hqd.formatting import escape_markdown

OTHER = "财政局"


def values(elements) -> list[str]:
    return [str(element.value) for element in elements]


def keys(at, kind: str) -> set[str]:
    return {element.key for element in getattr(at, kind)}


def accounts(app) -> None:
    add_accounts(app.engine, [("lead", "leader", False), ("root", "admin", False), ("staff", "editor", False)])
    add_accounts(app.engine, [("look", "viewer", False), ("calc", "analyst", False)])
    add_accounts(app.engine, [("fin", "editor", False)])
    store.save_account(app.engine, "fin", "root", "admin", departments=[OTHER])


def accounts_and_instruction(app) -> None:
    """The accounts, and lead's instruction on A1 to its department (as instruct_on_a1 gives it on the page)."""
    accounts(app)
    store.save_instruction(app.engine, "indicator", "A1", EDITORS_DEPARTMENT, "请说明<b>滞后</b>原因", "lead", "leader")


@pytest.fixture
def app(app, built):
    """The app with the accounts (made once and copied)."""
    return app.start_from(built(accounts))


@pytest.mark.parametrize(
    ("user", "allowed"), [("lead", True), ("root", True), ("staff", False), ("look", False), ("calc", False)]
)
def test_the_review_form_is_offered_to_leaders_and_admins_only(app, user, allowed):
    at = app.open("programme", signed_in=user, indicator="A1")
    assert not at.exception
    assert ("review_status" in keys(at, "selectbox")) is allowed
    assert ("instruct_indicator_text" in keys(at, "text_area")) is allowed


def test_a_leader_reviews_a_light_which_shows_beside_the_computed_one_and_withdraws_it(app):
    computed = app.report.indicators.query("code == 'A1' and year == 2022")["status"].iloc[0]
    at = app.open("programme", signed_in="lead", indicator="A1")
    # Without a reason nothing is saved.
    at.selectbox(key="review_status").set_value("lagging")
    at.button(key="review_save").click().run()
    assert "请填写研判理由。" in texts(at.error)
    assert store.read_reviews(app.engine).empty
    at.text_area(key="review_reason").set_value("**指标口径调整**，以研判为准")
    at.button(key="review_save").click().run()
    assert not at.exception and not at.error
    review = store.read_reviews(app.engine).iloc[0]
    assert (review["indicator"], review["year"], review["month"], review["status"], review["computed"]) == (
        "A1",
        2022,
        12,
        "lagging",
        computed,
    )
    assert "已保存人工研判。" in texts(at.success)
    (note,) = [text for text in values(at.info) if text.startswith("计算：")]
    # Escaped: the reason's asterisks are shown as typed, not as bold.
    assert "→ 研判：▼ 明显滞后，理由：\\*\\*指标口径调整\\*\\*，以研判为准（领导 lead，" in note
    table = at.dataframe(key="indicator_table").value.set_index("编码")
    # The computed light stays in 状态; the review is marked beside it, for A1 only.
    assert table.loc["A1", "研判"] == "✎ ▼ 明显滞后"
    assert table.loc["A2", "研判"] == ""
    assert "明显滞后" not in table.loc["A1", "状态"] or computed == "lagging"
    # Another year's A1 has no review: it expires with its period.
    other = app.open("programme", signed_in="lead", indicator="A1", year="2021")
    assert not [text for text in values(other.info) if text.startswith("计算：")]
    assert "研判" not in other.dataframe(key="indicator_table").value.columns
    at.text_area(key="review_reason").set_value("口径已统一")
    at.button(key="review_withdraw").click().run()
    assert not at.exception and store.read_reviews(app.engine).empty
    assert not [text for text in values(at.info) if text.startswith("计算：")]


def instruct_on_a1(app) -> int:
    at = app.open("programme", signed_in="lead", indicator="A1")
    # The department starts at the indicator's 责任单位.
    assert at.selectbox(key="instruct_indicator_department").value == EDITORS_DEPARTMENT
    at.text_area(key="instruct_indicator_text").set_value("请说明<b>滞后</b>原因")
    at.button(key="instruct_indicator_save").click().run()
    assert not at.exception and not at.error
    assert "已发出批示。" in texts(at.success)
    (given,) = store.read_instructions(app.engine).itertuples()
    assert (given.target_kind, given.target, given.department, given.user_name) == (
        "indicator",
        "A1",
        EDITORS_DEPARTMENT,
        "lead",
    )
    assert f"待答复｜指标 A1 指标A1｜请{EDITORS_DEPARTMENT}答复｜lead，" in texts(at.markdown)
    return int(given.id)


def test_a_leader_instructs_on_an_indicator_to_its_department(app):
    instruct_on_a1(app)


@pytest.mark.parametrize(
    ("user", "may"), [("staff", True), ("root", True), ("fin", False), ("lead", False), ("look", False)]
)
def test_an_instruction_is_answered_by_its_department_or_an_admin(app, built, user, may):
    app.start_from(built(accounts_and_instruction))
    given = int(store.read_instructions(app.engine).iloc[0]["id"])
    at = app.open("programme", signed_in=user)
    assert not at.exception
    # Shown as typed: the tags are escaped, never rendered.
    assert escape_markdown("请说明<b>滞后</b>原因") == "请说明\\<b\\>滞后\\</b\\>原因"
    assert escape_markdown("请说明<b>滞后</b>原因") in values(at.markdown)
    assert (f"answer_{given}_text" in keys(at, "text_area")) is may
    if not may:
        return
    at.text_area(key=f"answer_{given}_text").set_value("已制定整改措施")
    at.button(key=f"answer_{given}_save").click().run()
    assert not at.exception and not at.error
    answered = store.read_instructions(app.engine).iloc[0]
    assert (answered["answer"], answered["answered_by"]) == ("已制定整改措施", user)
    shown = texts(at.markdown)
    assert f"已答复｜指标 A1 指标A1｜{EDITORS_DEPARTMENT}｜lead，" in shown
    assert f"答复：已制定整改措施（{user}，" in shown
    assert f"answer_{given}_text" not in keys(at, "text_area")


def test_a_leader_instructs_on_a_task_to_one_of_its_indicators_departments(app):
    at = app.open("programme", signed_in="lead")
    at.selectbox(key="instruction_target").set_value(("task", "A-2")).run()
    assert at.selectbox(key="instruct_programme_department").options == [EDITORS_DEPARTMENT]
    # Without a department chosen, the refusal is worded on the page and nothing is saved.
    at.text_area(key="instruct_programme_text").set_value("请加快推进")
    at.button(key="instruct_programme_save").click().run()
    assert "请选择答复单位。" in texts(at.error)
    assert store.read_instructions(app.engine).empty
    at.selectbox(key="instruct_programme_department").set_value(EDITORS_DEPARTMENT)
    at.button(key="instruct_programme_save").click().run()
    assert not at.exception and not at.error
    given = store.read_instructions(app.engine).iloc[0]
    assert (given["target_kind"], given["target"], given["department"]) == ("task", "A-2", EDITORS_DEPARTMENT)
    assert escape_markdown("待答复｜任务 任务A-2｜") in texts(at.markdown)


def test_the_english_page_words_the_review_and_instructions(app):
    store.save_review(app.engine, "A1", 2022, 12, "on_track", "lagging", "理由", "lead", "leader")
    at = app.open("programme", signed_in="lead", indicator="A1", lang="English")
    assert not at.exception
    (note,) = [text for text in values(at.info) if text.startswith(escape_markdown("Computed: "))]
    assert escape_markdown("→ reviewed: ● On schedule; reason: 理由 (Leader lead, ") in note
    assert at.dataframe(key="indicator_table").value.set_index("Code").loc["A1", "Reviewed"] == "✎ ● On schedule"
    assert "No instruction yet." in [c.value for c in at.caption]
