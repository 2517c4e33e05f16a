"""Cached access to the database for the pages; every cache is keyed by the data version."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from hqd import store
from hqd.accounts import Identity
from hqd.bootstrap import open_database
from hqd.catalog import Catalog
from hqd.changes import trace_lineage
from hqd.directives import Counting, counting_from_settings, supervised_in_year, supervised_report
from hqd.explore import Filters
from hqd.formatting import format_link_time, parse_link_time
from hqd.imports import ImportResult, describe_upload, prepare_import, upload_departments
from hqd.increments import recompute_explorer_rows, recompute_in_year, recompute_in_year_table, recompute_report
from hqd.inyear import month_in_progress
from hqd.rollup import Report, default_period, default_year
from hqd.store import Engine
from hqd.submissions import template_reports
from hqd.ui import state
from hqd.views.explorer import (
    ExplorerRows,
    ExplorerView,
    InYearExplorerView,
    compare_view,
    explore_every_indicator,
    explore_in_year,
    explore_view,
    in_year_every_indicator,
)
from hqd.views.overview import InYearView, OverviewView, in_year_view, overview_view
from hqd.views.programme import (
    KeyTaskView,
    ProgrammeInYearView,
    ProgrammeView,
    key_task_view,
    programme_in_year_view,
    programme_view,
)
from hqd.workbook import write_annual_targets_template, write_month_template, write_template

if TYPE_CHECKING:
    import plotly.graph_objects as go


@st.cache_resource(show_spinner=False)
def get_engine() -> Engine:
    """Return the engine, creating the database with sample data on first start."""
    return open_database()


# The data and reports are held once per process, shared by every session and run (st.cache_resource, not
# st.cache_data, which gives each call its own unpickled copy: a copy per session at 100× the sample is tens of
# MiB, and unpickling it costs every rerun). Nothing mutates them: functions over frames return new ones.
@st.cache_resource(show_spinner=False, max_entries=8)
def _load(version: tuple[int, ...], as_of: datetime | None) -> tuple[Catalog, pd.DataFrame, pd.DataFrame, bool]:
    engine = get_engine()
    uploads = store.read_uploads(engine)
    if as_of is None:
        observations = store.read_observations_now(engine, uploads)
    else:
        observations = store.read_observations(engine, as_of)
        # As it was then: later uploads had not happened yet.
        uploads = uploads[uploads["created_at"] <= as_of]
    return store.load_catalog(engine, as_of), observations, uploads, store.has_sample(engine)


@st.cache_resource(show_spinner=False, max_entries=8)
def _supervision(version: tuple[int, ...], as_of: datetime | None) -> store.Supervision:
    return store.read_supervision(get_engine(), as_of)


# Now, the reports and the explorer's tables are made again from this process's previous ones where only some
# indicators' figures changed (hqd.increments); as of a moment, whole.
@st.cache_resource(show_spinner=False, max_entries=8)
def _report(version: tuple[int, ...], as_of: datetime | None, period: str, counting: Counting) -> Report:
    catalog, observations, _, _ = _load(version, as_of)
    # Reviewed lights ride along with every report; the settings (`counting`, part of the key) say what counts.
    make = supervised_report if as_of is not None else recompute_report
    return make(catalog, observations, _supervision(version, as_of), period, counting)


@st.cache_resource(show_spinner=False, max_entries=8)
def _in_year(
    version: tuple[int, ...], as_of: datetime | None, period: str, year: int, month: int, counting: Counting
) -> Report:
    catalog, observations, _, _ = _load(version, as_of)
    # Every month so far: the programmes' months draw their lines, the last one is the standing.
    supervision = _supervision(version, as_of)
    make = supervised_in_year if as_of is not None else recompute_in_year
    return make(catalog, observations, supervision, period, year, range(1, month + 1), counting)


@st.cache_resource(show_spinner=False, max_entries=16)
def _month_in_progress(version: tuple[int, ...], as_of: datetime | None, period: str, year: int) -> int | None:
    catalog, observations, _, _ = _load(version, as_of)
    return month_in_progress(catalog, observations, period, year)


@st.cache_resource(show_spinner=False, max_entries=16)
def _defaults(version: tuple[int, ...], as_of: datetime | None, period: str | None) -> tuple[str, int]:
    # Worked out once per data version, not on every run of every session (3% of a page's run at sample size).
    catalog, observations, _, _ = _load(version, as_of)
    period = period or default_period(catalog, observations)
    return period, default_year(catalog, observations, period)


def chosen_period(catalog: Catalog) -> str | None:
    """Return the plan period picked in the sidebar or linked (?period=P15); None for the one with the latest
    figures.

    Read before the picker is drawn (the report is computed first), so a link's value is read from the URL.
    """
    picked = st.session_state.get(state.PERIOD) or st.query_params.get(state.PERIOD)
    return picked if picked in set(catalog.periods["code"]) else None


def viewing_as_of() -> datetime | None:
    """Return the past moment being viewed (kept in the URL as ?as_of=...), or None for now."""
    if state.AS_OF not in st.session_state and st.query_params.get(state.AS_OF_PARAM):
        try:
            # In local time, as people read times; a time with its zone (old links: UTC) is converted.
            st.session_state[state.AS_OF] = parse_link_time(st.query_params[state.AS_OF_PARAM])
        except ValueError:
            del st.query_params[state.AS_OF_PARAM]
    moment = st.session_state.get(state.AS_OF)
    if moment is not None:
        shown = format_link_time(moment)
        if st.query_params.get(state.AS_OF_PARAM) != shown:
            st.query_params[state.AS_OF_PARAM] = shown
    return moment


def view_as_of(moment: datetime | None) -> None:
    """Switch every page to a past moment, or back to now with None."""
    st.session_state[state.AS_OF] = moment
    if moment is None and state.AS_OF_PARAM in st.query_params:
        del st.query_params[state.AS_OF_PARAM]


@dataclass(frozen=True)
class SnapshotKey:
    """The data version, moment viewed, plan period and settings that name a snapshot's data and report."""

    version: tuple[int, ...]
    as_of: datetime | None
    period: str
    counting: Counting


def supervision_of(key: SnapshotKey) -> store.Supervision:
    """Return what supervision reads of the snapshot `key` names (from the process's cache)."""
    return _supervision(key.version, key.as_of)


def data_of(key: SnapshotKey) -> tuple[Catalog, pd.DataFrame, bool]:
    """Return the catalog, observations and whether sample data are shown, of the snapshot `key` names (from the
    process's cache), without computing its report."""
    catalog, observations, _, has_sample = _load(key.version, key.as_of)
    return catalog, observations, has_sample


def _report_of(key: SnapshotKey) -> Report:
    return _report(key.version, key.as_of, key.period, key.counting)


def _in_year_of(key: SnapshotKey, year: int, month: int) -> Report:
    return _in_year(key.version, key.as_of, key.period, year, month, key.counting)


def reopen(key: SnapshotKey) -> tuple[Catalog, pd.DataFrame, Report, bool]:
    """Return the catalog, observations, report and whether sample data are shown, of the snapshot `key` names
    (from the process's caches, recomputed if they were evicted)."""
    catalog, observations, has_sample = data_of(key)
    return catalog, observations, _report_of(key), has_sample


class Snapshot:
    """What the pages read: catalog, observations, uploads and progress, now or as of a moment."""

    def __init__(self) -> None:
        self.version = store.data_version(get_engine())
        self.as_of = viewing_as_of()
        if self.as_of is not None and not store.has_catalog(get_engine(), self.as_of):
            # Before the first catalog there is nothing to show: back to now, and say why.
            view_as_of(None)
            st.session_state[state.AS_OF_REFUSED] = True
            self.as_of = None
        self.catalog, self.observations, self.uploads, self.has_sample = _load(self.version, self.as_of)
        self.period, self.default_year = _defaults(self.version, self.as_of, chosen_period(self.catalog))
        self.counting = counting_from_settings()

    @property
    def report(self) -> Report:
        """Return the period's progress year by year, computed on first use (once per process for the snapshot): a
        year under way shows its in-year report, and at 50,000 indicators the other is seconds more."""
        return _report_of(self.key)

    @property
    def key(self) -> SnapshotKey:
        """Return what names this snapshot: small, so that a callback or a download may hold it instead of the data."""
        return SnapshotKey(self.version, self.as_of, self.period, self.counting)

    @property
    def supervision(self) -> store.Supervision:
        """Return explanations, key-task progress, completed milestones, evidence, reviews and instructions."""
        return _supervision(self.version, self.as_of)

    def in_year(self, year: int) -> tuple[int, Report] | None:
        """Return the month a year under way is reported to and its progress against 序时进度, or None."""
        month = _month_in_progress(self.version, self.as_of, self.period, year)
        if month is None:
            return None
        return month, _in_year_of(self.key, year, month)


@st.cache_data(show_spinner=False, max_entries=16)
def template_bytes(version: tuple[int, ...], department: str | None, month: tuple[int, int] | None = None) -> bytes:
    """Return the fill-in template with the current values (one department's, or all; one month's, or the years')."""
    catalog, observations, _, _ = _load(version, None)
    # Each row's status and the explanation in effect, the key tasks' progress: answered in the same file.
    reports = template_reports(catalog, observations, _supervision(version, None), *(month or (None, None)))
    if month is not None:
        return write_month_template(catalog, *month, observations, department=department, reports=reports)
    return write_template(catalog, observations, department=department, reports=reports)


@st.cache_data(show_spinner=False, max_entries=4)
def annual_targets_bytes(version: tuple[int, ...]) -> bytes:
    """Return the admin's annual-targets workbook: each indicator's target in effect per year, and its source."""
    catalog, _, _, _ = _load(version, None)
    return write_annual_targets_template(catalog)


@st.cache_data(show_spinner=False, max_entries=4)
def check_upload(
    version: tuple[int, ...], content: bytes, file_name: str, catalog_revision: bool, who: Identity
) -> ImportResult:
    """Return the file checked against the current data and what `who` may report (cached until a commit)."""
    return prepare_import(get_engine(), content, file_name, catalog_revision=catalog_revision, who=who)


@st.cache_data(show_spinner=False, max_entries=64)
def lineage_of(version: tuple[int, ...], indicator: str) -> pd.DataFrame:
    """Return every value uploaded for an indicator with the value it replaced and its state."""
    return trace_lineage(store.read_lineage(get_engine(), indicator))


@st.cache_data(show_spinner=False, max_entries=32)
def upload_changes(version: tuple[int, ...], upload_id: int) -> pd.DataFrame:
    """Return what an upload changed (imports.describe_upload), read once per data version, not on every rerun."""
    return describe_upload(get_engine(), upload_id)


@st.cache_data(show_spinner=False, max_entries=32)
def upload_owners(version: tuple[int, ...], upload_id: int) -> set[str]:
    """Return the departments an upload's items belong to (imports.upload_departments), once per data version."""
    return upload_departments(get_engine(), upload_id)


@st.cache_data(show_spinner=False, max_entries=32)
def catalog_existed(version: tuple[int, ...], moment: datetime) -> bool:
    """Tell whether a catalog was in effect at a moment (store.has_catalog), once per data version."""
    return store.has_catalog(get_engine(), moment)


def upload_file(upload_id: int) -> Callable[[], bytes]:
    """Return the function a download calls for an upload's exact bytes: the file is read when the button is
    pressed, and a session keeps only the function (an id), never the bytes."""
    return partial(_read_upload_file, upload_id)


def _read_upload_file(upload_id: int) -> bytes:
    return store.read_upload_file(get_engine(), upload_id)[1]


# Every indicator's explorer rows, made once per process for a snapshot, year range and language: a filter changed
# picks rows of them, and at 50,000 indicators making them is most of a filter change's time.
@st.cache_resource(show_spinner=False, max_entries=4)
def _explorer_rows(key: SnapshotKey, year_from: int, year_to: int, lang: str) -> ExplorerRows:
    catalog, observations, report, _ = reopen(key)
    make = explore_every_indicator if key.as_of is not None else recompute_explorer_rows
    return make(report, catalog, observations, year_from, year_to, lang)


@st.cache_resource(show_spinner=False, max_entries=8)
def explorer_view(key: SnapshotKey, filters: Filters, lang: str) -> ExplorerView:
    """Return the explorer's view of the filters, once per process for a snapshot, filters and language: a rerun
    for any other widget (a page of the table, an indicator picked, two years compared) computes nothing again."""
    catalog, observations, report, has_sample = reopen(key)
    everything = _explorer_rows(key, filters.year_from, filters.year_to, lang)
    return explore_view(report, catalog, observations, filters, lang, has_sample, formats=False, everything=everything)


# The pages' views, once per process for a snapshot, what is viewed, the language and today's date (说明状态 counts
# days late from it): a rerun for any widget (a page of a table, an indicator picked) formats nothing again, and at
# 50,000 indicators formatting a table is most of a run.
@st.cache_resource(show_spinner=False, max_entries=16)
def overview_of(key: SnapshotKey, year: int, lang: str, today: date) -> OverviewView:
    """Return the overview of a whole year (views.overview.overview_view) of the snapshot `key` names."""
    catalog, _, uploads, _ = _load(key.version, key.as_of)
    explanations = supervision_of(key).explanations
    return overview_view(_report_of(key), catalog, uploads, year, lang, explanations, today)


@st.cache_resource(show_spinner=False, max_entries=16)
def in_year_overview_of(key: SnapshotKey, year: int, month: int, lang: str, today: date) -> InYearView:
    """Return the overview of a year under way to `month` (views.overview.in_year_view) of the snapshot `key` names."""
    catalog, _, uploads, _ = _load(key.version, key.as_of)
    report = _in_year_of(key, year, month)
    explanations = supervision_of(key).explanations
    return in_year_view(report, catalog, uploads, key.period, year, month, lang, explanations, today)


@st.cache_resource(show_spinner=False, max_entries=32)
def programme_of(key: SnapshotKey, code: str, year: int, lang: str, today: date) -> ProgrammeView:
    """Return a programme's page of a whole year (views.programme.programme_view) of the snapshot `key` names."""
    catalog, _, _, _ = _load(key.version, key.as_of)
    report = _report_of(key)
    return programme_view(report, catalog, code, year, lang, supervision_of(key).explanations, today)


@st.cache_resource(show_spinner=False, max_entries=32)
def key_tasks_of(key: SnapshotKey, code: str, as_of: date, lang: str) -> KeyTaskView:
    """Return a programme's key tasks at `as_of` (views.programme.key_task_view) of the snapshot `key` names."""
    catalog, _, _, _ = _load(key.version, key.as_of)
    return key_task_view(catalog, code, as_of, lang, supervision_of(key).milestone_reports)


@st.cache_resource(show_spinner=False, max_entries=32)
def programme_in_year_of(
    key: SnapshotKey, code: str, year: int, month: int, lang: str, today: date
) -> ProgrammeInYearView | None:
    """Return a programme's page of a year under way (views.programme.programme_in_year_view), or None."""
    catalog, _, _, _ = _load(key.version, key.as_of)
    report = _in_year_of(key, year, month)
    return programme_in_year_view(report, catalog, code, year, month, lang, supervision_of(key).explanations, today)


@st.cache_resource(show_spinner=False, max_entries=8)
def explorer_in_year_of(key: SnapshotKey, filters: Filters, latest: int, month: int, lang: str) -> InYearExplorerView:
    """Return the explorer's year under way (reported to `latest`) judged at `month` (explore_in_year)."""
    catalog, _, _, _ = _load(key.version, key.as_of)
    report = _in_year_of(key, filters.year_to, latest)
    everything = _in_year_table(key, filters.year_to, latest, month, lang)
    return explore_in_year(report, catalog, filters, month, lang, everything)


@st.cache_resource(show_spinner=False, max_entries=16)
def explorer_moves(key: SnapshotKey, filters: Filters, first: int, second: int, lang: str) -> go.Figure | None:
    """Return the figure of how the explorer's indicators moved between two years (compare_view), or None; once per
    process for the view and years: a rerun for another widget draws nothing again."""
    return compare_view(explorer_view(key, filters, lang), first, second, lang)


# Every indicator's in-year table at a month, formatted once per process (as _explorer_rows): a filter picks rows.
@st.cache_resource(show_spinner=False, max_entries=4)
def _in_year_table(key: SnapshotKey, year: int, latest: int, month: int, lang: str) -> pd.DataFrame:
    catalog, _, _, _ = _load(key.version, key.as_of)
    report = _in_year_of(key, year, latest)
    make = in_year_every_indicator if key.as_of is not None else recompute_in_year_table
    return make(report, catalog, month, lang)
