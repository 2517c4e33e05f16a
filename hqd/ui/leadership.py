"""What leaders and departments do on a programme page (issue 13): review a light (人工研判), give an instruction
(批示) and answer one. The services (hqd.directives) check who may and what is said; these forms only ask."""

from __future__ import annotations

import streamlit as st

from hqd import directives
from hqd.catalog import list_departments
from hqd.formatting import escape_markdown, format_time
from hqd.i18n import department_name, describe_error, person_name, status_text
from hqd.labels import format_period
from hqd.policy import INSTRUCT, REVIEW_LIGHT, authorize
from hqd.refusal import Refusal
from hqd.settings import MAX_INSTRUCTION_TEXT, MAX_REVIEW_REASON
from hqd.ui import state
from hqd.ui.data import get_engine


def _done(key: str) -> None:
    """Keep what was saved to say on the next run, and run again: the page reads the new data."""
    st.session_state[state.DIRECTIVE_DONE] = key
    st.rerun()


def saved_notice(t) -> None:
    """Say once what the last form saved (a review, an instruction, an answer)."""
    done = st.session_state.pop(state.DIRECTIVE_DONE, None)
    if done:
        st.success(t(done), icon=":material/check:")


def _act(lang: str, act, done: str) -> None:
    """Take a leader's or department's act; a refusal is shown in the reader's language, a success said once."""
    try:
        act()
    except Refusal as refused:
        st.error(describe_error(refused, lang))
    else:
        _done(done)


def indicator_directives(page, indicator: str, year: int, month: int, rows) -> None:
    """Render under an indicator's detail its reviewed light and the forms of leaders and admins: review it for the
    period viewed (in a year under way the month, else month 12), give an instruction on it.

    `rows` are the programme's indicator rows as the page shows them (computed status, department).
    """
    row = rows.set_index("code").loc[indicator]
    saved_notice(page.t)
    indicator_review(page, indicator, year, month, row["status"])
    indicator_instruction(page, indicator, row.get("department"))


def indicator_review(page, indicator: str, year: int, month: int, computed: str | None) -> None:
    """Render an indicator's reviewed light for the period viewed beside its computed one, and for leaders and
    admins the form that sets or withdraws it."""
    lang, t, who = page.lang, page.t, page.identity
    note = directives.review_note(
        computed or "no_data", directives.find_review(page.data.supervision.reviews, indicator, year, month)
    )
    if note is not None:
        st.info(escape_markdown(directives.describe_review(note, lang)), icon=":material/edit_note:")
    if not authorize(who, REVIEW_LIGHT):
        return
    period = format_period(year, month, lang)
    with st.form("review_form", border=True):
        st.markdown(f"**{escape_markdown(t('review.heading', period=period))}**", help=t("review.help"))
        options = list(directives.REVIEWABLE)
        current = note.params["status"] if note else computed
        status = st.selectbox(
            t("review.status"),
            options,
            index=options.index(current) if current in options else None,
            format_func=lambda s: status_text(s, lang),
            key="review_status",
        )
        reason = st.text_area(t("review.reason"), max_chars=MAX_REVIEW_REASON, key="review_reason")
        save = st.form_submit_button(t("review.save"), type="primary", key="review_save")
        withdraw = st.form_submit_button(t("review.withdraw"), disabled=note is None, key="review_withdraw")
    engine = get_engine()
    if save:
        _act(
            lang,
            lambda: directives.review_light(engine, who, indicator, year, month, status, reason, computed),
            "review.saved",
        )
    elif withdraw:
        _act(
            lang,
            lambda: directives.withdraw_review(engine, who, indicator, year, month, reason, computed),
            "review.withdrawn",
        )


def _instruction_form(page, form: str, target_kind: str, target: str, departments: list[str], default: str | None):
    """Render the form giving an instruction on one target, to one of `departments` (starting at `default`)."""
    lang, t = page.lang, page.t
    with st.form(form, border=True):
        department = st.selectbox(
            t("instruction.department"),
            departments,
            index=departments.index(default) if default in departments else None,
            format_func=lambda d: department_name(d, lang),
            key=f"{form}_department",
        )
        text = st.text_area(t("instruction.text"), max_chars=MAX_INSTRUCTION_TEXT, key=f"{form}_text")
        given = st.form_submit_button(t("instruction.save"), type="primary", key=f"{form}_save")
    if given:
        engine = get_engine()
        _act(
            lang,
            lambda: directives.give_instruction(engine, page.identity, target_kind, target, department, text),
            "instruction.saved",
        )


def indicator_instruction(page, indicator: str, department: str | None) -> None:
    """Render, for leaders and admins, the form giving an instruction on an indicator to its 责任单位 by default."""
    if not authorize(page.identity, INSTRUCT):
        return
    with st.expander(page.t("instruction.give"), icon=":material/edit:"):
        known = list(list_departments(page.data.catalog)["zh"])
        _instruction_form(page, "instruct_indicator", "indicator", indicator, known, department)


def programme_instructions(page, programme: str) -> None:
    """Render a programme's instructions (on it, its tasks and its indicators): the open ones with a form to answer
    for those allowed, the answered ones with their answer; and for leaders and admins, the form giving one on the
    programme or one of its tasks."""
    data, lang, t, who = page.data, page.lang, page.t, page.identity
    catalog = data.catalog
    st.subheader(t("instruction.heading"))
    saved_notice(t)
    if authorize(who, INSTRUCT):
        tasks = catalog.tasks[catalog.tasks["programme"] == programme]
        with st.expander(t("instruction.give"), icon=":material/edit:"):
            targets = [("programme", programme)] + [("task", code) for code in tasks["code"]]
            kind, target = st.selectbox(
                t("instruction.target"),
                targets,
                format_func=lambda k: directives.target_label(catalog, k[0], k[1], lang),
                key="instruction_target",
            )
            departments = directives.target_departments(
                catalog, data.period, programme, target if kind == "task" else None
            )
            _instruction_form(page, "instruct_programme", kind, target, departments, None)
    listed = directives.programme_instructions(data.supervision.instructions, catalog, programme)
    if listed.empty:
        st.caption(t("instruction.none"))
        return
    for row in listed.itertuples():
        _instruction(page, row)


def _instruction(page, row) -> None:
    """Render one instruction: what on, for whom, by whom and when, its text; its answer or the form to answer."""
    lang, t, who = page.lang, page.t, page.identity
    values = {
        "target": directives.target_label(page.data.catalog, row.target_kind, row.target, lang),
        "department": department_name(row.department, lang),
        "user": person_name(row.user_name, lang),
        "date": format_time(row.created_at),
    }
    with st.container(border=True, key=f"instruction_{row.id}"):
        st.markdown(escape_markdown(t("instruction.open" if row.open else "instruction.closed", **values)))
        st.markdown(escape_markdown(row.text))
        if not row.open:
            answer = t(
                "instruction.answer_line",
                answer=row.answer,
                user=person_name(row.answered_by, lang),
                date=format_time(row.answered_at),
            )
            st.markdown(escape_markdown(answer))
            return
        if not directives.may_answer(who, row.department):
            return
        form = f"answer_{row.id}"
        with st.form(form, border=False):
            text = st.text_area(t("instruction.answer"), max_chars=MAX_INSTRUCTION_TEXT, key=f"{form}_text")
            given = st.form_submit_button(t("instruction.answer_save"), key=f"{form}_save")
        if given:
            engine = get_engine()
            _act(lang, lambda: directives.answer(engine, who, row.id, text), "instruction.answered")
