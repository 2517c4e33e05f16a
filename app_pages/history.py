"""Upload history: every upload, its original file, what it changed, rollback, the past state."""

import streamlit as st

from hqd.formatting import escape_markdown, format_time
from hqd.i18n import describe_error, translator
from hqd.imports import describe_upload, may_roll_back, moment_before, rollback
from hqd.policy import REVIEW_UPLOADS
from hqd.refusal import Refusal
from hqd.store import CATALOG, has_catalog, read_upload_file
from hqd.tables import catalog_changes_table, changes_table, uploads_table
from hqd.ui import auth, shell
from hqd.ui.data import Snapshot, get_engine, view_as_of

data = Snapshot()
lang = shell.language()
t = translator(lang)
current = shell.identity()
auth.require(current, REVIEW_UPLOADS, lang)

st.title(t("history.title"))
st.caption(t("history.intro"))
done = st.session_state.pop("_rolled_back", None)
if done:
    st.success(t("history.rolled", id=done), icon=":material/undo:")
uploads = data.uploads
if uploads.empty:
    st.info(t("history.empty"))
    st.stop()
st.dataframe(uploads_table(uploads, lang), hide_index=True, placeholder="—")

chosen = st.selectbox(
    t("history.pick"),
    list(uploads["id"]),
    key="history_upload",
    format_func=lambda i: f"#{i} {uploads.set_index('id').at[i, 'file_name']}",
)
upload = uploads.set_index("id").loc[chosen]
engine = get_engine()
name, content = read_upload_file(engine, chosen)
left, middle, right = st.columns(3)
left.download_button(t("history.download"), content, file_name=name, icon=":material/download:", key="download")
# Before the first catalog there is no dashboard to show.
before_exists = has_catalog(engine, moment_before(upload["created_at"]))
if before_exists and middle.button(t("history.as_of"), icon=":material/history:", key="view_before"):
    view_as_of(moment_before(upload["created_at"]))
    st.switch_page(shell.page("overview", lang))


CONFIRMING = "_confirm_rollback"


def forget_confirmation() -> None:
    """Close the question when the dialog is dismissed."""
    st.session_state.pop(CONFIRMING, None)


@st.dialog(t("history.confirm_title"), on_dismiss=forget_confirmation)
def confirm_rollback() -> None:
    """Ask before rolling back; the rollback itself is one transaction."""
    st.markdown(escape_markdown(t("history.confirm", id=chosen, file=upload["file_name"], rows=upload["rows"])))
    yes, no = st.columns(2)
    if yes.button(t("history.confirm_button"), type="primary", key="confirm_rollback"):
        forget_confirmation()
        try:
            rollback(engine, chosen, current.username or current.name, current.role)
        except Refusal as refusal:
            st.error(escape_markdown(describe_error(refusal, lang)), icon=":material/error:")
            return
        st.session_state["_rolled_back"] = chosen
        st.rerun()
    if no.button(t("history.cancel"), key="cancel_rollback"):
        forget_confirmation()
        st.rerun()


if upload["in_effect"] and may_roll_back(current, upload["kind"]):
    if right.button(t("history.rollback"), icon=":material/undo:", key="rollback"):
        st.session_state[CONFIRMING] = chosen
    # Kept in the session: the confirmation is answered on a later run than the one that asked.
    if st.session_state.get(CONFIRMING) == chosen:
        confirm_rollback()
elif not upload["in_effect"]:
    right.caption(
        escape_markdown(
            t("history.rolled_back", user=upload["rolled_back_by"] or "—", time=format_time(upload["rolled_back_at"]))
        )
    )

st.markdown(f"**{t('history.changed')}**")
changes = describe_upload(engine, chosen)
if upload["kind"] == CATALOG:
    table = catalog_changes_table(changes, data.catalog, lang)
else:
    table = changes_table(changes, data.catalog, lang)
if table.empty:
    st.caption(t("history.nothing"))
else:
    st.dataframe(table, hide_index=True, placeholder="—")
