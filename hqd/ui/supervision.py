"""Widgets of the 督办 page and the departments' scorecard: filters, each department's items, the 督办单 download."""

from __future__ import annotations

import streamlit as st

from hqd.i18n import department_name, translator
from hqd.supervision import KINDS
from hqd.ui.widgets import metric_row, show_table, tint_column
from hqd.workbook import write_supervision_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def supervision_filters(departments: tuple[str, ...], lang: str) -> tuple[list[str], list[str]]:
    """Render the filters by department and kind of item; return those chosen (none chosen: all)."""
    t = translator(lang)
    left, right = st.columns(2)
    chosen = left.multiselect(
        t("supervise.filter_department"),
        list(departments),
        format_func=lambda d: department_name(d, lang),
        placeholder=t("supervise.filter_all"),
        key="supervision_departments",
    )
    kinds = right.multiselect(
        t("supervise.filter_kind"),
        list(KINDS),
        format_func=lambda k: t(f"supervise.kind_{k}"),
        placeholder=t("supervise.filter_all"),
        key="supervision_kinds",
    )
    return chosen, kinds


def supervision_overview(view, lang: str) -> None:
    """Render the totals, the counts per department (table and chart) and the 督办单 download."""
    t = translator(lang)
    metric_row(view.metrics)
    st.download_button(
        t("supervise.export"),
        lambda: write_supervision_workbook(view.export_sheets, view.export_title, view.export_lines, view.export_note),
        file_name=view.file_name,
        mime=XLSX,
        icon=":material/download:",
        help=t("supervise.export_help"),
        key="supervision_export",
        disabled=not view.export_sheets,
        # No rerun on the click: a rerun racing the browser's fetch of the file could lose the download.
        on_click="ignore",
    )
    if view.counts.empty:
        st.success(t("supervise.none"), icon=":material/task_alt:")
        return
    show_table(view.counts, view.counts_columns, key="supervision_counts")
    if view.figure is not None:
        st.plotly_chart(view.figure, config={"displaylogo": False}, key="supervision_chart")


def supervision_sections(view) -> None:
    """Render each department's items, its state column tinted, with a link to where each is answered."""
    for number, section in enumerate(view.sections):
        with st.expander(section.title, expanded=number < 3):
            show_table(
                tint_column(section.table, view.state_column, section.colours),
                section.columns,
                key=f"supervision_items_{section.department}",
            )
