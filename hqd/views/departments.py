"""The departments' scorecard (单位考评): per 责任单位, its indicators' score and statuses, answers on time, ranked."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from hqd.charts import status_split_figure
from hqd.formatting import format_score
from hqd.i18n import department_name, status_text, translator
from hqd.labels import STATUSES
from hqd.supervision import score_departments
from hqd.tables import Column, fit_columns, fit_width
from hqd.views.supervision import Supervised, period_text


@dataclass(frozen=True)
class ScorecardView:
    """What the scorecard page shows: the ranking as a table and the statuses per department as a chart."""

    heading: str
    intro: str
    card: pd.DataFrame  # hqd.supervision.score_departments, of the departments visible (ranked among all)
    table: pd.DataFrame
    columns: dict[str, Column]
    figure: go.Figure | None  # None when no department visible has an indicator


def scorecard_view(found: Supervised, catalog, lang: str) -> ScorecardView:
    """Return the scorecard of a reporting period: ranked among all departments, shown for those visible."""
    t = translator(lang)
    card = score_departments(found.all_rows, found.all_items, found.steps, catalog.key_tasks, found.as_of)
    card = card[card["department"].isin(found.departments)].reset_index(drop=True)
    names = [department_name(d, lang) for d in card["department"]]
    statuses = [s for s in STATUSES.index if card[f"status_{s}"].sum() > 0]
    table = pd.DataFrame(
        {
            t("departments.col_rank"): card["rank"].array,
            t("col.department"): names,
            t("col.indicators"): card["indicators"].to_numpy(),
            t("departments.col_score"): card["score"].round(1).to_numpy(),
            **{status_text(s, lang): card[f"status_{s}"].to_numpy() for s in statuses},
            t("departments.col_explained"): [
                t("departments.ratio", done=d, total=n) if n else "—"
                for d, n in zip(card["explained_on_time"], card["explanations_due"], strict=True)
            ],
            t("departments.col_milestones"): [
                t("departments.ratio", done=d, total=n) if n else "—"
                for d, n in zip(card["milestones_on_time"], card["milestones_due"], strict=True)
            ],
            t("departments.col_instructions"): card["open_instructions"].to_numpy(),
        }
    )
    labels = {
        d: t("departments.chart_label", rank=r, department=n, score=format_score(s))
        for d, r, n, s in zip(card["department"], card["rank"], names, card["score"], strict=True)
        if pd.notna(s)
    }
    rows = found.rows[found.rows["department"].isin(labels)]
    # In ranking order: the chart's rows follow the order their labels first appear.
    order = {d: i for i, d in enumerate(labels)}
    rows = rows.assign(label=rows["department"].map(labels), _order=rows["department"].map(order))
    rows = rows.sort_values("_order", kind="stable")
    figure = status_split_figure(rows, "label", t("departments.chart"), lang) if len(rows) else None
    score = t("departments.col_score")
    return ScorecardView(
        heading=t("departments.heading", period=period_text(found.year, found.month, lang)),
        intro=t("departments.intro", as_of=found.as_of.isoformat()),
        card=card,
        table=table,
        columns=fit_columns(
            table,
            {
                t("col.department"): Column(
                    pinned=True, width=fit_width(t("col.department"), table[t("col.department")])
                ),
                score: Column("number", width=fit_width(score, least=90), format="%.1f"),
            },
        ),
        figure=figure,
    )
