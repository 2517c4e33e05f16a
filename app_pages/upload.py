"""Upload: template, file, every problem with its cell, preview of the change, commit."""

import streamlit as st

from hqd.formatting import escape_markdown
from hqd.i18n import describe_error
from hqd.imports import commit_import
from hqd.policy import REVISE_CATALOG, UPLOAD, authorize, departments_of
from hqd.refusal import Refusal
from hqd.ui import reporting, shell, state, widgets
from hqd.ui.context import page_context
from hqd.ui.data import check_upload, get_engine
from hqd.views.upload import (
    FILE_TYPES,
    MAX_UPLOAD_MB,
    count_preview,
    describe_commit,
    explain_commit,
    preview_changes,
)
from hqd.workbook import WorkbookError

page = page_context(UPLOAD)
data, lang, t, current = page.data, page.lang, page.t, page.identity

st.title(t("upload.title"))
st.caption(t("upload.intro"))
widgets.template_download(data.catalog, data.version, lang, departments_of(current))
if authorize(current, REVISE_CATALOG):
    widgets.annual_targets_download(data.catalog, data.version, lang)

widgets.committed_note(st.session_state.pop(state.COMMITTED, None), lang)

st.subheader(t("upload.step_file"))
# A new key after each commit empties the drop zone for the next file.
round_ = st.session_state.setdefault(state.UPLOAD_ROUND, 0)
file = st.file_uploader(t("upload.file", mb=MAX_UPLOAD_MB), type=FILE_TYPES, key=f"upload_{round_}")
if file is None:
    st.stop()
# Only an admin may revise the catalog, and only when asking for it (every template has the sheet).
revise = authorize(current, REVISE_CATALOG) and st.toggle(
    t("upload.revise_catalog"), key="revise_catalog", help=t("upload.revise_catalog_help")
)
try:
    result = check_upload(data.version, file.getvalue(), file.name, revise, current)
except WorkbookError as error:
    unreadable = t("upload.unreadable", file=file.name, error=describe_error(error, lang))
    st.error(escape_markdown(unreadable), icon=":material/error:")
    st.stop()
widgets.audit_once(f"preview:{file.file_id}", current, "upload_previewed", result.summary(), file.name)

st.subheader(t("upload.step_preview"))
widgets.metric_row(count_preview(result, lang))
widgets.upload_problems(result, data.catalog, lang)

st.markdown(f"**{t('upload.changes')}**")
show_all = st.toggle(t("upload.show_unchanged"), key="show_unchanged")
changes, catalog_changes = preview_changes(result, data.catalog, lang, show_all)
widgets.table_or_note(changes, t("upload.no_changes"))
if catalog_changes is not None:
    st.markdown(f"**{t('upload.catalog_title')}**")
    st.dataframe(catalog_changes, hide_index=True, placeholder="—")
reporting.report_preview(result, data.catalog, lang)

st.subheader(t("upload.step_commit"))
user = shell.user_name(lang)
why = explain_commit(result, user, data.as_of, lang)
button, reason = st.columns([1, 3], vertical_alignment="center")
if why:
    reason.caption(escape_markdown(why))
if button.button(
    t("upload.commit"), "upload_commit", why or None, type="primary", disabled=bool(why), icon=":material/publish:"
):
    try:
        ids = commit_import(get_engine(), result, user, role=current)
    except Refusal as refusal:
        st.error(escape_markdown(describe_error(refusal, lang)), icon=":material/error:")
        st.stop()
    st.session_state[state.COMMITTED] = describe_commit(ids, result)
    st.session_state[state.UPLOAD_ROUND] = round_ + 1
    st.rerun()
