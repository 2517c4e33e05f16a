"""Departments' reports on the pages: an indicator's explanation (in effect, and its form), each key task's progress
form and evidence files, and what an uploaded file reports beside its figures in the preview.

Texts people typed are shown escaped (escape_markdown), never as HTML; an evidence file is offered only as a
download of neutral type, never shown inline. Who may fill a form is asked of the policy here to show it, and again
by hqd.submissions on submit.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from hqd.formatting import escape_markdown, format_period, format_time
from hqd.i18n import describe_error, describe_problem, person_name, translator
from hqd.refusal import Refusal
from hqd.settings import MAX_EXPLANATION_CHARS, MAX_PROGRESS_CHARS
from hqd.store import read_evidence_file
from hqd.submissions import (
    may_explain,
    may_report_key_task,
    programme_key_tasks,
    record_explanation,
    record_key_task_progress,
    report_tables,
)
from hqd.supervision import NEEDS_EXPLANATION, find_explanation
from hqd.ui import state
from hqd.ui.data import get_engine

# The kinds of evidence file the picker offers; the content decides (hqd.reports.sniff_media_type).
EVIDENCE_TYPES = ["pdf", "png", "jpg", "jpeg", "docx", "xlsx"]
# Evidence is downloaded as bytes of no particular kind: a browser saves it, and never renders it.
NEUTRAL_MEDIA_TYPE = "application/octet-stream"


def _recorded_name(identity) -> str:
    """Return the name a form's report is recorded under: the signed-in user's."""
    return identity.username or identity.name


def _said_once(what: str, lang: str) -> None:
    """Say once, on the run after it, that a form's report was stored."""
    if st.session_state.get(state.REPORTED) == what:
        st.session_state.pop(state.REPORTED)
        st.success(translator(lang)("report.saved"), icon=":material/check_circle:")


def _store_report(record, done: str, lang: str) -> None:
    """Run a form's service (`record`: problems or a refusal), say what is wrong, or rerun saying `done` was stored."""
    try:
        problems = record()
    except Refusal as refusal:
        st.error(escape_markdown(describe_error(refusal, lang)), icon=":material/error:")
        return
    if len(problems):
        _show_problems(problems, lang)
        return
    st.session_state[state.REPORTED] = done
    st.rerun()


def _show_problems(problems: pd.DataFrame, lang: str) -> None:
    for row in problems.to_dict("records"):
        st.error(escape_markdown(describe_problem(row, lang=lang)), icon=":material/error:")


def explanation_panel(page, indicator: str, year: int, month: int, status: str | None) -> None:
    """Render an indicator's explanation for a reporting month (原因分析, 整改措施, 预计完成时间, who and when) and, for
    an editor of its department or an admin, while its status needs one and today is viewed, the form to give it."""
    lang, t, data = page.lang, page.t, page.data
    st.markdown(f"**{t('explain.heading')}**")
    given = find_explanation(data.supervision.explanations, indicator, year, month)
    promised = pd.Timestamp(given["expected_by"]).date() if given and pd.notna(given["expected_by"]) else None
    if given is None:
        st.caption(t("explain.none"))
    else:
        expected = promised.isoformat() if promised else "—"
        for label, text in (
            ("cause", str(given["cause"])),
            ("measures", str(given["measures"])),
            ("expected", expected),
        ):
            st.markdown(t("explain.line", label=t(f"explain.{label}"), text=escape_markdown(text)))
        who = escape_markdown(person_name(str(given["user_name"]), lang))
        st.caption(t("explain.given", user=who, time=format_time(given["created_at"], lang)))
    _said_once(f"explain:{indicator}", lang)
    identity = page.identity
    if status not in NEEDS_EXPLANATION or data.as_of is not None or identity is None:
        return
    if not may_explain(identity, data.catalog, indicator, year):
        return
    with st.form(f"explain_form_{indicator}"):
        cause = st.text_area(
            t("explain.cause"),
            value=given["cause"] if given else "",
            max_chars=MAX_EXPLANATION_CHARS,
            key=f"explain_cause_{indicator}",
        )
        measures = st.text_area(
            t("explain.measures"),
            value=given["measures"] if given else "",
            max_chars=MAX_EXPLANATION_CHARS,
            key=f"explain_measures_{indicator}",
        )
        expected_by = st.date_input(t("explain.expected"), value=promised, key=f"explain_expected_{indicator}")
        sent = st.form_submit_button(t("explain.submit"), key=f"explain_submit_{indicator}", type="primary")
    if not sent:
        return
    name = _recorded_name(identity)
    _store_report(
        lambda: record_explanation(get_engine(), identity, indicator, year, month, cause, measures, expected_by, name),
        f"explain:{indicator}",
        lang,
    )


def key_task_reports(page, programme: str, year: int, month: int) -> None:
    """Render, under a programme's key tasks, each key task's evidence files (to download) and, for an editor of
    its department or an admin viewing today, its progress form: 进展情况 for the month, milestones completed with
    their date, an optional evidence file."""
    lang, t, data, identity = page.lang, page.t, page.data, page.identity
    key_tasks = programme_key_tasks(data.catalog, programme)
    if key_tasks.empty:
        return
    supervision = data.supervision
    evidence = supervision.evidence
    for task in key_tasks.itertuples(index=False):
        files = evidence[evidence["key_task"] == task.code] if len(evidence) else evidence
        may = identity is not None and data.as_of is None and may_report_key_task(identity, data.catalog, task.code)
        if not may and files.empty:
            continue
        with st.expander(t("report.key_task", code=task.code, name=escape_markdown(task.name_zh))):
            _said_once(f"progress:{task.code}", lang)
            for proof in files.to_dict("records"):
                _evidence_download(proof, lang)
            if may:
                _progress_form(page, task, year, month, supervision)


def _evidence_download(proof: dict, lang: str) -> None:
    """Offer one evidence file for download (never shown inline), named with who attached it and when."""
    t = translator(lang)
    evidence_id = int(proof["id"])

    def content() -> bytes:
        return read_evidence_file(get_engine(), evidence_id)[2]

    label = t(
        "report.evidence_file",
        file=proof["file_name"],
        kb=max(1, round(int(proof["size"]) / 1024)),
        user=person_name(str(proof["user_name"]), lang),
        time=format_time(proof["created_at"], lang),
    )
    st.download_button(
        escape_markdown(label),
        content,
        file_name=str(proof["file_name"]),
        mime=NEUTRAL_MEDIA_TYPE,
        key=f"evidence_{evidence_id}",
        on_click="ignore",
        icon=":material/attach_file:",
    )


def _progress_form(page, task, year: int, month: int, supervision) -> None:
    """Render one key task's progress form and store what it sends."""
    lang, t, data, identity = page.lang, page.t, page.data, page.identity
    reports = supervision.key_task_reports
    mine = reports[(reports["key_task"] == task.code) & (reports["year"] == year) & (reports["month"] == month)]
    done = supervision.milestone_reports
    done = done[done["key_task"] == task.code] if len(done) else done
    completed_now = {int(s): pd.Timestamp(d).date() for s, d in zip(done["step"], done["completed_on"], strict=True)}
    milestones = data.catalog.milestones
    steps = milestones[milestones["key_task"] == task.code].sort_values("step")
    with st.form(f"progress_form_{task.code}"):
        progress = st.text_area(
            t("report.progress_text", period=format_period(year, month, lang, "month")),
            value=mine["progress"].iloc[-1] if len(mine) else "",
            max_chars=MAX_PROGRESS_CHARS,
            key=f"progress_{task.code}",
        )
        completed: dict[int, date | None] = {}
        for step in steps.itertuples(index=False):
            completed[int(step.step)] = st.date_input(
                t("report.milestone_done", step=int(step.step), text=step.description_zh, due=step.due),
                value=completed_now.get(int(step.step)),
                key=f"milestone_{task.code}_{int(step.step)}",
            )
        upload = st.file_uploader(t("report.evidence"), type=EVIDENCE_TYPES, key=f"evidence_file_{task.code}")
        sent = st.form_submit_button(t("report.submit"), key=f"progress_submit_{task.code}", type="primary")
    if not sent:
        return
    evidence = (upload.name, upload.getvalue()) if upload is not None else None
    name = _recorded_name(identity)
    _store_report(
        lambda: record_key_task_progress(
            get_engine(), identity, task.code, year, month, progress, completed, evidence, name
        ),
        f"progress:{task.code}",
        lang,
    )


def report_preview(result, catalog, lang: str) -> None:
    """Render what a checked file reports beside its figures: a table per kind (explanations, progress, milestones)."""
    for title, table in report_tables(result.reports, catalog, lang):
        st.markdown(f"**{escape_markdown(title)}**")
        st.dataframe(table, hide_index=True, placeholder="—")
