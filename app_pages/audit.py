"""Audit log (admin): who signed in, uploaded, rolled back or changed the catalog or accounts, and when."""

import streamlit as st

from hqd import store
from hqd.formatting import format_time
from hqd.i18n import audit_chain_text, describe_audit_detail, role_name, translator
from hqd.labels import AUDIT_ACTIONS
from hqd.policy import READ_AUDIT
from hqd.ui import auth, shell
from hqd.ui.data import get_engine

lang = shell.language()
t = translator(lang)
current = shell.identity()
auth.require(current, READ_AUDIT, lang)
engine = get_engine()
names = AUDIT_ACTIONS["zh" if lang == "zh" else "en"]

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
    st.dataframe(
        {
            t("col.time"): [format_time(v) for v in rows["at"]],
            t("audit.user"): rows["user_name"],
            t("col.role"): [role_name(r, lang) if isinstance(r, str) else "" for r in rows["role"]],
            t("audit.action"): [names.get(a, a) for a in rows["action"]],
            t("col.detail"): [describe_audit_detail(d, lang) for d in rows["detail"]],
            t("col.upload"): rows["upload_id"],
            t("col.file"): rows["file_name"],
        },
        hide_index=True,
    )
