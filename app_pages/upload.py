"""Upload: template, file, every problem with its cell, preview of the change, commit."""

import streamlit as st

from hqd.formatting import escape_markdown
from hqd.i18n import describe_error, translator
from hqd.imports import commit_import
from hqd.policy import REVISE_CATALOG, UPLOAD, authorize
from hqd.refusal import Refusal
from hqd.settings import MAX_UPLOAD_BYTES
from hqd.tables import catalog_changes_table, changes_table, problems_table
from hqd.ui import auth, shell, widgets
from hqd.ui.data import Snapshot, check_upload, get_engine, template_bytes
from hqd.workbook import WorkbookError

data = Snapshot()
lang = shell.language()
t = translator(lang)
current = shell.identity()
auth.require(current, UPLOAD, lang)

st.title(t("upload.title"))
st.caption(t("upload.intro"))

with st.container(border=True):
    st.subheader(t("upload.step_template"))
    departments = sorted(d for d in data.catalog.indicators["department"].unique() if d)
    department = st.selectbox(
        t("upload.department"),
        [None, *departments],
        format_func=lambda d: d or t("upload.all_departments"),
        key="template_department",
    )
    st.download_button(
        t("upload.download"),
        template_bytes(data.version, department),
        icon=":material/download:",
        file_name=f"六大工程指标填报模板_{department or '全部'}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        help=t("upload.template_help"),
    )

committed = st.session_state.pop("_committed", None)
if committed:
    st.success(t("upload.committed", ids=committed["ids"], count=committed["count"]), icon=":material/task_alt:")
    left, right = st.columns(2)
    left.page_link(shell.page("overview", lang), label=t("upload.to_overview"), icon=":material/dashboard:")
    right.page_link(shell.page("history", lang), label=t("upload.to_history"), icon=":material/history:")

st.subheader(t("upload.step_file"))
# A new key after each commit empties the drop zone for the next file.
round_ = st.session_state.setdefault("_upload_round", 0)
file = st.file_uploader(
    t("upload.file", mb=MAX_UPLOAD_BYTES // 2**20), type=["xlsx", "xlsm", "xls", "ods", "csv"], key=f"upload_{round_}"
)
if file is None:
    st.stop()
# Only an admin may revise the catalog, and only when asking for it (every template has the sheet).
revise = authorize(current, REVISE_CATALOG) and st.toggle(
    t("upload.revise_catalog"), key="revise_catalog", help=t("upload.revise_catalog_help")
)
try:
    result = check_upload(data.version, file.getvalue(), file.name, revise)
except WorkbookError as error:
    unreadable = t("upload.unreadable", file=file.name, error=describe_error(error, lang))
    st.error(escape_markdown(unreadable), icon=":material/error:")
    st.stop()
widgets.audit_once(f"preview:{file.file_id}", current, "upload_previewed", result.summary(), file.name)

st.subheader(t("upload.step_preview"))
summary = result.summary()
for column, key in zip(
    st.columns(6), ["new", "changed", "unchanged", "catalog_changes", "errors", "warnings"], strict=True
):
    column.metric(t(f"upload.{key}"), f"{summary[key]:,}")

if len(result.errors):
    st.error(t("upload.has_errors", count=len(result.errors)), icon=":material/error:")
    st.dataframe(widgets.tint_rows(problems_table(result.errors, lang), "#c62828"), hide_index=True, placeholder="—")
else:
    st.success(t("upload.no_errors"), icon=":material/check_circle:")
if len(result.warnings):
    st.warning(t("upload.has_warnings"), icon=":material/warning:")
    st.dataframe(widgets.tint_rows(problems_table(result.warnings, lang), "#f9a825"), hide_index=True, placeholder="—")

st.markdown(f"**{t('upload.changes')}**")
show_all = st.toggle(t("upload.show_unchanged"), key="show_unchanged")
changes = changes_table(result.observations, data.catalog, lang, unchanged=show_all)
if changes.empty:
    st.caption(t("upload.no_changes"))
else:
    st.dataframe(changes, hide_index=True, placeholder="—")
if not result.catalog_changes.empty:
    st.markdown(f"**{t('upload.catalog_title')}**")
    st.dataframe(catalog_changes_table(result.catalog_changes, data.catalog, lang), hide_index=True, placeholder="—")

st.subheader(t("upload.step_commit"))
user = shell.user_name(lang)
ready = result.ok and bool(user) and data.as_of is None
if st.button(
    t("upload.commit"),
    type="primary",
    disabled=not ready,
    icon=":material/publish:",
    help=None if ready else t("upload.commit_disabled"),
    key="upload_commit",
):
    try:
        ids = commit_import(get_engine(), result, user, role=current.role)
    except Refusal as refusal:
        st.error(escape_markdown(describe_error(refusal, lang)), icon=":material/error:")
        st.stop()
    st.session_state["_committed"] = {
        "ids": "、".join(str(i) for i in ids.values()),
        "count": summary["new"] + summary["changed"],
    }
    st.session_state["_upload_round"] = round_ + 1
    st.rerun()
