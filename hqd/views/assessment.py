"""The final assessment page's content: a finished period's indicators met or not, per task and programme."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from hqd.assessment import OUTCOMES, Assessment, assess_period, latest_ended_period
from hqd.briefing import summarise_assessment
from hqd.catalog import Catalog
from hqd.formatting import share_text
from hqd.i18n import name_column, outcome_text, translator
from hqd.rollup import Report, compute_report
from hqd.tables import Column, assessment_columns, assessment_count_table, assessment_indicator_table


@dataclass(frozen=True)
class AssessmentView:
    """What the final assessment page shows of a finished period."""

    title: str
    scope: str  # the period and its target year, in a sentence
    sentences: list[str]  # the written summary
    metrics: list[tuple[str, str]]  # the whole plan's counts and share met: (label, value shown)
    assessment: Assessment  # the figures (its indicators' outcomes tint the table)
    indicators: pd.DataFrame  # the indicators as shown
    indicator_columns: dict[str, Column]
    programmes: pd.DataFrame
    programme_columns: dict[str, Column]
    tasks: pd.DataFrame
    task_columns: dict[str, Column]


def assessment_title(catalog: Catalog, period: str, lang: str) -> str:
    """Return the title of a period's final assessment: 十四五终期评估."""
    name = catalog.periods.set_index("code").loc[period, name_column(lang)]
    return translator(lang)("assessment.title", period=name)


def assessment_link(catalog: Catalog, observations: pd.DataFrame, lang: str) -> str | None:
    """Return the overview's link text to the latest finished period's assessment, or None when none has ended."""
    period = latest_ended_period(catalog, observations)
    if period is None:
        return None
    name = catalog.periods.set_index("code").loc[period, name_column(lang)]
    return translator(lang)("overview.to_assessment", period=name)


def assessment_view(report: Report, catalog: Catalog, observations: pd.DataFrame, lang: str) -> AssessmentView | None:
    """Return what the page shows of the latest finished period, or None when no period has ended.

    The report of the pages (the latest period's) is used when it is that period's; another period's
    figures are computed by the same method.
    """
    period = latest_ended_period(catalog, observations)
    if period is None:
        return None
    codes = set(catalog.targets(period)["code"])
    target_year = int(catalog.periods.set_index("code").loc[period, "target_year"])
    final = report.indicators[report.indicators["year"] == target_year]
    if set(final["code"]) != codes or not final["target_year"].eq(target_year).all():
        report = compute_report(catalog, observations, period=period)
    assessment = assess_period(report, catalog, period)
    t = translator(lang)
    overall = assessment.overall.iloc[0]
    row = catalog.periods.set_index("code").loc[period]
    indicators = assessment_indicator_table(assessment, catalog, lang)
    programmes = assessment_count_table(assessment.programmes, catalog, lang)
    tasks = assessment_count_table(assessment.tasks, catalog, lang)
    return AssessmentView(
        title=assessment_title(catalog, period, lang),
        scope=t(
            "assessment.scope",
            period=row[name_column(lang)],
            base_year=int(row["base_year"]),
            target_year=int(row["target_year"]),
        ),
        sentences=summarise_assessment(assessment, catalog, lang),
        metrics=[
            (t("col.indicators"), str(int(overall["indicators"]))),
            *[(outcome_text(o, lang), str(int(overall[o]))) for o in OUTCOMES],
            (t("assessment.share_met"), share_text(overall["share_met"])),
        ],
        assessment=assessment,
        indicators=indicators,
        indicator_columns=assessment_columns(indicators, lang),
        programmes=programmes,
        programme_columns=assessment_columns(programmes, lang),
        tasks=tasks,
        task_columns=assessment_columns(tasks, lang),
    )
