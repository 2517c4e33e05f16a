"""The upload-history page's content: how each upload is named, and what one upload changed and is now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from hqd.catalog import Catalog
from hqd.formatting import format_time
from hqd.i18n import translator
from hqd.imports import moment_before
from hqd.store import CATALOG
from hqd.tables import catalog_changes_table, changes_table


def label_uploads(uploads: pd.DataFrame) -> dict[int, str]:
    """Return how the upload picker names each upload, newest first as listed: number and file."""
    return {int(i): f"#{i} {name}" for i, name in zip(uploads["id"], uploads["file_name"], strict=True)}


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
        question=t("history.confirm", id=upload_id, file=upload["file_name"], rows=upload["rows"]),
        rolled_back=""
        if upload["in_effect"]
        else t("history.rolled_back", user=upload["rolled_back_by"] or "—", time=format_time(upload["rolled_back_at"])),
        changes=table(changes, catalog, lang),
    )
