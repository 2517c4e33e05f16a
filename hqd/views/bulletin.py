"""The monthly bulletin as a file: which period and month, who may make it, in which format.

The overview's button and `python -m hqd report` both come here; the document itself is hqd.bulletin,
laid out by hqd.bulletin_docx and hqd.bulletin_html.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from hqd import store
from hqd.browser import BrowserMissing, missing_tool, warm_browser
from hqd.bulletin import Bulletin, build_bulletin, file_stem
from hqd.catalog import Catalog
from hqd.formatting import format_period
from hqd.inyear import month_in_progress, report_in_year
from hqd.keytasks import empty_progress, key_task_status
from hqd.policy import EXPORT_BULLETIN, require
from hqd.refusal import Refusal
from hqd.rollup import default_year
from hqd.views.programme import reporting_date
from hqd.views.supervision import local_today

# Each format: the file's suffix and its media type.
FORMATS = {
    "docx": (".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "pdf": (".pdf", "application/pdf"),
    "html": (".html", "text/html"),
}


@dataclass(frozen=True)
class BulletinFile:
    data: bytes
    file_name: str
    mime: str


def bulletin_month(catalog: Catalog, observations: pd.DataFrame, period: str, year: int | None = None) -> tuple:
    """Return the (year, month) a bulletin reports by default: the month a year under way is reported to,
    else the year's December (the latest year with data when none is given)."""
    year = year or default_year(catalog, observations, period)
    return year, month_in_progress(catalog, observations, period, year) or 12


def make_bulletin(
    catalog: Catalog,
    observations: pd.DataFrame,
    period: str,
    year: int,
    month: int,
    *,
    sample: bool,
    lang: str = "zh",
    issued: date | None = None,
    supervision: store.Supervision | None = None,
) -> Bulletin:
    """Return the bulletin of a period's year to the end of a month, key tasks judged at that month's end.

    With `supervision` (hqd.store.read_supervision), the explanations in effect are shown under the indicators
    behind and key tasks are judged with the milestones reported completed.
    """
    if year not in catalog.years(period):
        raise Refusal("cli.month_outside_period", year=year, period=period)
    report = report_in_year(catalog, observations, period, year, month)
    as_of = reporting_date(year, month)
    progress = empty_progress() if supervision is None else supervision.milestone_reports
    key_tasks, milestones = key_task_status(catalog.key_tasks, catalog.milestones, progress, as_of)
    return build_bulletin(
        report,
        catalog,
        period,
        year,
        month,
        key_tasks=key_tasks,
        milestones=milestones,
        as_of=as_of,
        issued=issued or local_today(),
        sample=sample,
        explanations=None if supervision is None else supervision.explanations,
        lang=lang,
    )


def write_bulletin(bulletin: Bulletin, fmt: str) -> BulletinFile:
    """Return the bulletin written in a format of FORMATS."""
    # Imported here: python-docx and Plotly's writers are a tenth of a second of every page's first start, and
    # only a bulletin's download needs them.
    from hqd.bulletin_docx import write_docx
    from hqd.bulletin_html import write_html, write_pdf

    suffix, mime = FORMATS[fmt]
    writers = {"docx": write_docx, "pdf": write_pdf, "html": lambda b: write_html(b).encode("utf-8")}
    return BulletinFile(writers[fmt](bulletin), bulletin.file_stem + suffix, mime)


def bulletin_file_name(year: int, month: int, fmt: str, lang: str) -> str:
    """Return the name the bulletin's file gets (what the download offers before the file is made)."""
    return file_stem(year, month, lang) + FORMATS[fmt][0]


def export_bulletin(
    who,
    catalog: Catalog,
    observations: pd.DataFrame,
    period: str,
    year: int,
    month: int,
    fmt: str,
    *,
    sample: bool,
    lang: str = "zh",
    supervision: store.Supervision | None = None,
) -> BulletinFile:
    """Return the bulletin file for someone allowed to make it (policy EXPORT_BULLETIN: editors and above)."""
    require(who, EXPORT_BULLETIN)
    if fmt == "docx":
        # The charts' browser starts while the document's data is built.
        warm_browser()
    bulletin = make_bulletin(
        catalog, observations, period, year, month, sample=sample, lang=lang, supervision=supervision
    )
    return write_bulletin(bulletin, fmt)


def missing_for(fmt: str) -> BrowserMissing | None:
    """Return the refusal saying what this machine lacks to write a format, or None: the Word's chart images
    need Chromium and kaleido, the PDF Chromium; the HTML neither, its charts are drawn by the reader's browser."""
    return None if fmt == "html" else missing_tool(images=fmt == "docx")


def bulletin_label(year: int, month: int, lang: str) -> str:
    """Return the period a bulletin covers, as its title says it: 2026年1—10月."""
    return format_period(year, month, lang, "ytd")
