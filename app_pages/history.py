"""Upload history: every upload, its original file, what it changed, rollback, the past state."""

import streamlit as st

from hqd.formatting import escape_markdown
from hqd.imports import may_roll_back
from hqd.policy import REVIEW_UPLOADS
from hqd.store import DATA
from hqd.tables import uploads_table
from hqd.ui import shell, state, widgets
from hqd.ui.context import page_context
from hqd.ui.data import catalog_existed, upload_changes, upload_file, upload_owners, view_as_of
from hqd.views.history import explain_rollback_scope, label_uploads, show_upload

page = page_context(REVIEW_UPLOADS)
data, lang, t, current = page.data, page.lang, page.t, page.identity

st.title(t("history.title"))
st.caption(t("history.intro"))
if done := st.session_state.pop(state.ROLLED_BACK, None):
    st.success(t("history.rolled", id=done), icon=":material/undo:")
if data.uploads.empty:
    st.info(t("history.empty"))
    st.stop()
st.dataframe(uploads_table(data.uploads, lang), hide_index=True, placeholder="—")

labels = label_uploads(data.uploads, lang)
chosen = st.selectbox(t("history.pick"), list(labels), key="history_upload", format_func=labels.get)
# What it changed, read once per data version: the page reruns on every click without reading the uploads again.
shown = show_upload(data.uploads, chosen, upload_changes(data.version, chosen), data.catalog, lang)
left, middle, right = st.columns(3)
left.download_button(
    t("history.download"),
    upload_file(chosen),
    file_name=shown.upload["file_name"],
    icon=":material/download:",
    key="download",
    on_click="ignore",
)
# Before the first catalog there is no dashboard to show.
before_exists = catalog_existed(data.version, shown.before)
if before_exists and middle.button(t("history.as_of"), icon=":material/history:", key="view_before"):
    view_as_of(shown.before)
    st.switch_page(shell.page("overview", lang))

kind = shown.upload["kind"]
owners = upload_owners(data.version, chosen) if kind == DATA else set()
if shown.upload["in_effect"] and may_roll_back(current, kind, owners):
    if right.button(t("history.rollback"), icon=":material/undo:", key="rollback"):
        st.session_state[state.CONFIRM_ROLLBACK] = chosen
    # Kept in the session: the confirmation is answered on a later run than the one that asked.
    if st.session_state.get(state.CONFIRM_ROLLBACK) == chosen:
        widgets.confirm_rollback(chosen, shown.question, current, lang)
elif shown.rolled_back:
    right.caption(escape_markdown(shown.rolled_back))
elif why := explain_rollback_scope(current, kind, owners, lang):
    right.caption(escape_markdown(why))

st.markdown(f"**{t('history.changed')}**")
widgets.table_or_note(shown.changes, t("history.nothing"))
