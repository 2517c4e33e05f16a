"""Frames ready to show: the pages' tables with values formatted and columns named in the language."""

from __future__ import annotations

import pandas as pd

from hqd.catalog import Catalog
from hqd.formatting import format_share, format_unit, format_value
from hqd.i18n import name_column, projection_text, status_text, translator


def with_programme_names(frame: pd.DataFrame, catalog: Catalog, lang: str) -> pd.DataFrame:
    """Return the rows with a `programme_name` column in the language."""
    names = catalog.programmes.set_index("code")[name_column(lang)]
    return frame.assign(programme_name=frame["programme"].map(names))


def with_task_names(frame: pd.DataFrame, catalog: Catalog, lang: str) -> pd.DataFrame:
    """Return the rows with a `task_name` column in the language."""
    names = catalog.tasks.set_index("code")[name_column(lang)]
    return frame.assign(task_name=frame["task"].map(names))


def _values(rows: pd.DataFrame, column: str, lang: str) -> list[str]:
    return [format_value(v, u, lang) for v, u in zip(rows[column], rows["unit"], strict=True)]


def _projection(rows: pd.DataFrame, lang: str) -> list[str]:
    return [
        f"{projection_text(p, lang)} · {format_value(v, u, lang)}" if p else "—"
        for p, v, u in zip(rows["projection"], rows["projected_value"], rows["unit"], strict=True)
    ]


def attention_table(rows: pd.DataFrame, catalog: Catalog, lang: str) -> pd.DataFrame:
    """Return the indicators needing attention as shown: who, how far behind, where heading."""
    t = translator(lang)
    rows = with_programme_names(rows, catalog, lang)
    table = pd.DataFrame(
        {
            t("col.indicator"): rows[name_column(lang)].to_numpy(),
            t("col.programme"): rows["programme_name"].to_numpy(),
            t("col.department"): rows["department"].to_numpy(),
            t("col.status"): [status_text(s, lang) for s in rows["status"]],
            t("col.value"): _values(rows, "value", lang),
            t("col.target"): _values(rows, "target_value", lang),
            t("col.gap"): _values(rows, "gap", lang),
            t("col.completion"): [format_share(c) for c in rows["completion"]],
            t("col.expected"): [format_share(e) for e in rows["expected"]],
            t("col.projection"): _projection(rows, lang),
        }
    )
    # In and after the target year there is nothing left to project.
    return table if rows["projection"].ne("").any() else table.drop(columns=t("col.projection"))


def indicator_table(rows: pd.DataFrame, history: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return a programme's indicators for one year as shown, with each one's actuals so far."""
    t = translator(lang)
    trend = history.sort_values("year").groupby("code")["value"].agg(lambda v: [x for x in v if pd.notna(x)])
    latest = [
        f"{format_value(v, u, lang)}({int(y)})" if pd.notna(y) and pd.isna(now) else format_value(v, u, lang)
        for v, u, y, now in zip(rows["latest_value"], rows["unit"], rows["latest_year"], rows["value"], strict=True)
    ]
    return pd.DataFrame(
        {
            t("col.code"): rows["code"].to_numpy(),
            t("col.indicator"): rows[name_column(lang)].to_numpy(),
            t("col.unit"): [format_unit(u, lang) for u in rows["unit"]],
            t("col.department"): rows["department"].to_numpy(),
            t("col.latest"): latest,
            t("col.target"): _values(rows, "target_value", lang),
            t("col.completion"): (rows["score"]).round(1).to_numpy(),
            t("col.status"): [status_text(s, lang) for s in rows["status"]],
            t("col.trend"): rows["code"].map(trend).to_numpy(),
            t("col.projection"): _projection(rows, lang),
        }
    )
