"""Audit log (admin): who signed in, uploaded, rolled back or changed the catalog or accounts, and when."""

import streamlit as st

from hqd import store
from hqd.i18n import audit_chain_text
from hqd.policy import READ_AUDIT
from hqd.ui.context import page_context
from hqd.ui.data import get_engine
from hqd.views.audit import list_audit, name_audit_actions

page = page_context(READ_AUDIT)
lang, t = page.lang, page.t
engine = get_engine()
names = name_audit_actions(lang)

st.title(t("audit.title"))
st.caption(t("audit.intro"))
# Checked on every visit: a broken chain is what this page exists to reveal.
check = store.verify_audit(engine)
if check.intact:
    st.success(audit_chain_text(check, lang))
else:
    st.error(audit_chain_text(check, lang))
left, right = st.columns(2)
action = left.selectbox(
    t("audit.action"), [None, *names.index], format_func=lambda a: names.get(a, t("explorer.all")), key="audit_action"
)
user = right.text_input(t("audit.user"), key="audit_user").strip() or None
rows = store.read_audit(engine, action=action, user=user)
if rows.empty:
    st.caption(t("audit.empty"))
else:
    # The detail and file name are the longest texts: room for them, the rest as narrow as its content.
    wide = {t(c): st.column_config.TextColumn(width="large") for c in ("col.detail", "col.file")}
    st.dataframe(list_audit(rows, lang), hide_index=True, placeholder="—", column_config=wide, key="audit_log")
