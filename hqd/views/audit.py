"""The audit page's content: the actions one may filter by, and the log as listed."""

from __future__ import annotations

import json
import re

import pandas as pd

from hqd.formatting import format_time
from hqd.i18n import describe_audit_detail, file_label, person_name, role_name, translator
from hqd.labels import AUDIT_ACTIONS


def name_audit_actions(lang: str) -> pd.Series:
    """Return each audited action's name in the language, by its code."""
    return AUDIT_ACTIONS["zh" if lang == "zh" else "en"]


# A preview's counts as they were stored before details were data: "rows 303, new 2, changed 4, …".
LEGACY_PREVIEW = re.compile(r"^[a-z_]+ \d+(?:, [a-z_]+ \d+)*$")
PREVIEW_COUNTS = ("rows", "new", "changed", "unchanged", "catalog_changes", "errors", "warnings")


def read_legacy_detail(detail):
    """Return a preview's counts stored as English text as the data stored today; any other detail unchanged."""
    if not isinstance(detail, str) or not LEGACY_PREVIEW.match(detail):
        return detail
    counts = {name: int(number) for name, number in (part.split(" ") for part in detail.split(", "))}
    if not set(counts) <= set(PREVIEW_COUNTS):
        return detail
    return json.dumps({"code": "audit.previewed", **{name: counts.get(name, 0) for name in PREVIEW_COUNTS}})


def list_audit(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return audit rows (store.read_audit) as listed: when, who, in which role, what, on which upload or file."""
    t = translator(lang)
    names = name_audit_actions(lang)
    return pd.DataFrame(
        {
            t("col.time"): [format_time(v) for v in rows["at"]],
            t("audit.user"): [person_name(u, lang) for u in rows["user_name"]],
            t("col.role"): [role_name(r, lang) if isinstance(r, str) else "" for r in rows["role"]],
            t("audit.action"): [names.get(a, a) for a in rows["action"]],
            t("col.detail"): [describe_audit_detail(read_legacy_detail(d), lang) for d in rows["detail"]],
            # Whole numbers, empty (shown as a dash) where a row concerns no upload.
            t("col.upload"): rows["upload_id"].astype("Int64").array,
            t("col.file"): [file_label(f, lang) if isinstance(f, str) else f for f in rows["file_name"]],
        }
    )
