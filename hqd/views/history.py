"""The upload-history page's content: how each upload is named, and what one upload changed and is now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from hqd.catalog import Catalog
from hqd.changes import CHANGED, NEW, UNCHANGED
from hqd.formatting import format_time
from hqd.i18n import department_name, file_label, translator
from hqd.imports import departments_outside, may_roll_back, moment_before
from hqd.store import CATALOG
from hqd.tables import catalog_changes_table, changes_table


def label_uploads(uploads: pd.DataFrame, lang: str) -> dict[int, str]:
    """Return how the upload picker names each upload, newest first as listed: number and file."""
    names = [file_label(name, lang) for name in uploads["file_name"]]
    return {int(i): f"#{i} {name}" for i, name in zip(uploads["id"], names, strict=True)}


def ask_rollback(upload_id: int, upload: pd.Series, changes: pd.DataFrame, lang: str) -> str:
    """Return the question asked before rolling an upload back: how many values change back, how many stay.

    `changes` is what the upload changed (imports.describe_upload): for data, each value it brought
    against the value before it, so that a copy of values already in effect is not counted as a change.
    """
    t = translator(lang)
    file = file_label(upload["file_name"], lang)
    if upload["kind"] == CATALOG:
        return t("history.confirm_catalog", id=upload_id, file=file, count=len(changes))
    counts = changes["change"].value_counts() if len(changes) else pd.Series(dtype="int64")
    changed, new, unchanged = (int(counts.get(kind, 0)) for kind in (CHANGED, NEW, UNCHANGED))
    parts = [t("history.confirm_values", id=upload_id, file=file, count=changed + new)]
    if changed:
        parts.append(t("history.confirm_changed", count=changed))
    if new:
        parts.append(t("history.confirm_new", count=new))
    if unchanged:
        parts.append(t("history.confirm_unchanged", count=unchanged))
    parts.append(t("history.confirm_recorded"))
    return "".join(parts)


@dataclass(frozen=True)
class UploadView:
    """One upload as the history shows it."""

    upload: pd.Series  # its row of the upload history
    before: datetime  # the last moment before it took effect: the past state one may view
    question: str  # asked before rolling it back
    rolled_back: str  # who rolled it back and when; empty while it is in effect
    changes: pd.DataFrame  # what it changed, as shown


def show_upload(
    uploads: pd.DataFrame, upload_id: int, changes: pd.DataFrame, catalog: Catalog, lang: str
) -> UploadView:
    """Return one upload of the history with what it changed (imports.describe_upload), as shown."""
    t = translator(lang)
    upload = uploads.set_index("id").loc[upload_id]
    table = catalog_changes_table if upload["kind"] == CATALOG else changes_table
    return UploadView(
        upload=upload,
        before=moment_before(upload["created_at"]),
        question=ask_rollback(upload_id, upload, changes, lang),
        rolled_back=""
        if upload["in_effect"]
        else t("history.rolled_back", user=upload["rolled_back_by"] or "—", time=format_time(upload["rolled_back_at"])),
        changes=table(changes, catalog, lang),
    )


def explain_rollback_scope(who, kind: str, departments: set[str], lang: str) -> str:
    """Return why a role that may roll back uploads may not roll back this one: it holds other departments' items
    (an editor rolls back only what all belongs to their departments); "" when it may, or the role may not at all."""
    if not may_roll_back(who, kind) or may_roll_back(who, kind, departments):
        return ""
    outside = departments_outside(who, kind, departments)
    names = ("、" if lang == "zh" else ", ").join(department_name(d, lang) if d else "—" for d in outside)
    return translator(lang)("history.other_departments", departments=names)
