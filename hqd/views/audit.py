"""The audit page's content: the actions one may filter by, and the log as listed."""

from __future__ import annotations

import pandas as pd

from hqd.formatting import format_time
from hqd.i18n import describe_audit_detail, role_name, translator
from hqd.labels import AUDIT_ACTIONS


def name_audit_actions(lang: str) -> pd.Series:
    """Return each audited action's name in the language, by its code."""
    return AUDIT_ACTIONS["zh" if lang == "zh" else "en"]


def list_audit(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return audit rows (store.read_audit) as listed: when, who, in which role, what, on which upload or file."""
    t = translator(lang)
    names = name_audit_actions(lang)
    return pd.DataFrame(
        {
            t("col.time"): [format_time(v) for v in rows["at"]],
            t("audit.user"): rows["user_name"],
            t("col.role"): [role_name(r, lang) if isinstance(r, str) else "" for r in rows["role"]],
            t("audit.action"): [names.get(a, a) for a in rows["action"]],
            t("col.detail"): [describe_audit_detail(d, lang) for d in rows["detail"]],
            t("col.upload"): rows["upload_id"],
            t("col.file"): rows["file_name"],
        }
    )
