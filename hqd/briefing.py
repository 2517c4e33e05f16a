"""What a leader reads first: programme cards, indicators needing attention, a summary."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from hqd.assessment import OUTCOMES, Assessment
from hqd.catalog import Catalog, read_indicator_meta
from hqd.formatting import format_score, format_share, month_params, share_text, value_text
from hqd.i18n import name_column, translator
from hqd.labels import FREQUENCIES, STATUSES, VALUE_KINDS
from hqd.rollup import Report
from hqd.settings import reviews_count

BEHIND = ["regressing", "missed", "lagging"]
# Statuses of a score below expected progress that the summary names; how far behind, in words.
PACES = ("on_track", "at_risk", "lagging", "regressing")
# Indicators named as examples of those off track.
EXAMPLES = 3
# Units of money: the in-year summary leads with the largest year-to-date total in one of them.
MONEY_UNITS = ("亿元", "万元", "亿美元")


def programme_cards(report: Report, catalog: Catalog, year: int) -> pd.DataFrame:
    """Return one row per programme for the year, with its score history up to that year."""
    frame = report.programmes
    history = frame[frame["year"] <= year].sort_values("year").groupby("programme", sort=False)["score"].agg(list)
    this_year = frame[frame["year"] == year].set_index("programme")
    cards = catalog.programmes[["code", "name_zh", "name_en", "short_zh"]].rename(columns={"code": "programme"})
    columns = ["score", "expected_score", "status", "score_change", "coverage"]
    return cards.assign(
        **{c: cards["programme"].map(this_year[c]) for c in columns},
        history=cards["programme"].map(history),
    ).reset_index(drop=True)


def list_attention(report: Report, catalog: Catalog, year: int) -> pd.DataFrame:
    """Return the lagging and regressing indicators of the year, worst first."""
    rows = report.indicators[(report.indicators["year"] == year) & report.indicators["status"].isin(BEHIND)]
    names = catalog.programmes.set_index("code")
    rows = rows.assign(
        programme_zh=rows["programme"].map(names["name_zh"]),
        programme_en=rows["programme"].map(names["name_en"]),
        gap=rows["target_value"] - rows["value"],
        severity=rows["status"].map({s: i for i, s in enumerate(BEHIND)}),
    )
    return rows.sort_values(["severity", "completion"], kind="stable").drop(columns="severity").reset_index(drop=True)


def summarise_year(report: Report, catalog: Catalog, year: int, lang: str = "zh") -> list[str]:
    """Return the year's summary as sentences built from the numbers by fixed rules, as the office writes them.

    Counts that are zero are left out. In the target year an indicator has reached its target or not: no
    sentence speaks of schedule or of a projection then.
    """
    t = translator(lang)
    overall = report.overall[report.overall["year"] == year]
    if overall.empty or overall["status"].iloc[0] == "no_data":
        return [t("empty.year", year=year)]
    top = overall.iloc[0]
    indicators = report.indicators[report.indicators["year"] == year]
    target_year = int(indicators["target_year"].max())
    final = year >= target_year
    sentences = [_overall_sentence(top, year, final, t)]
    programmes = report.programmes[(report.programmes["year"] == year) & report.programmes["score"].notna()]
    if len(programmes) >= 2:
        names = catalog.programmes.set_index("code")[name_column(lang)]
        # Ranked by score against expected, so an early-stage programme is not blamed for its trajectory.
        ranked = programmes.assign(ratio=programmes["score"] - programmes["expected_score"]).sort_values(
            ["ratio", "score"], ascending=False
        )
        best, worst = ranked.iloc[0], ranked.iloc[-1]
        sentences.append(
            t(
                "summary.best",
                best=names[best["programme"]],
                best_score=format_score(best["score"]),
                worst=names[worst["programme"]],
                worst_score=format_score(worst["score"]),
            )
        )
    counts = indicators["status"].value_counts()
    if final:
        achieved, missing = int(counts.get("achieved", 0)), int(counts.get("no_data", 0))
        parts = [
            ("summary.final_achieved", achieved),
            ("summary.final_open", len(indicators) - achieved - missing),
            ("summary.count_no_data", missing),
        ]
    else:
        parts = [(f"summary.count_{status}", int(counts.get(status, 0))) for status in STATUSES.index]
    shown = [t(key, count=count) for key, count in parts if count]
    sentences.append(t("summary.counts", total=len(indicators), parts=_join(shown, lang)))
    sentences += reviewed_sentence(indicators, t)
    if final:
        return sentences
    missing = indicators[indicators["projection"] == "off_track"].sort_values("projected_completion")
    if len(missing):
        names = missing[name_column(lang)].head(EXAMPLES).tolist()
        key = "summary.examples" if len(missing) > EXAMPLES else "summary.examples_all"
        examples = t(key, names="、".join(names) if lang == "zh" else _join(names, lang))
        sentences.append(t("summary.projection", count=len(missing), year=target_year, examples=examples))
    else:
        sentences.append(t("summary.projection_none", year=target_year))
    return sentences


def reviewed_sentence(rows: pd.DataFrame, t) -> list[str]:
    """Return the sentence saying how many of a period's lights were reviewed (人工研判) and whether the counts take
    them (settings.reviews_count); none when no light was."""
    count = int(rows["reviewed_status"].notna().sum()) if "reviewed_status" in rows else 0
    if not count:
        return []
    counted = t("review.counted" if reviews_count() else "review.not_counted")
    return [t("summary.reviewed_one" if count == 1 else "summary.reviewed", count=count, counted=counted)]


def growth_text(growth: float, t) -> str:
    """Return 同比 in words, after a comma: ，同比增长11.4% / ，同比下降1.9%."""
    return t("inyear.growth_up" if growth >= 0 else "inyear.growth_down", growth=format_share(abs(growth), 1))


def gap_text(points: float, t) -> str:
    """Return a gap to 序时进度 in words: 低于序时进度8.1个百分点, never a bare "−8.1"."""
    if round(points, 1) == 0:
        return t("inyear.gap_level")
    return t("inyear.gap_below" if points < 0 else "inyear.gap_above", points=format_score(abs(points)))


def count_statuses(rows: pd.DataFrame, lang: str) -> list[str]:
    """Return how many indicators stand at each light of a year under way, in words, leaving out the zeros."""
    t = translator(lang)
    counts = rows["status"].value_counts()
    return [
        t(f"summary.count_{status}", count=int(counts.get(status, 0)))
        for status in ("on_track", "at_risk", "lagging", "no_data")
        if counts.get(status, 0)
    ]


def summarise_in_year(report: Report, catalog: Catalog, year: int, month: int, lang: str = "zh") -> list[str]:
    """Return a year under way as sentences, as the office reports 序时进度: the plan against it, the indicators
    by light, the programmes behind, and the largest year-to-date total with its 同比. Zero counts are left out."""
    t = translator(lang)
    overall = report.overall[report.overall["month"] == month].iloc[0]
    rows = report.indicators[report.indicators["month"] == month]
    parts = count_statuses(rows, lang)
    sentences = [
        t(
            "inyear.summary_overall",
            year=year,
            **month_params(month),
            total=len(rows),
            parts=_join(parts, lang),
            score=format_score(overall["score"]),
            expected=format_score(overall["expected_score"]),
            gap=gap_text(overall["gap_points"], t),
        )
    ]
    sentences += reviewed_sentence(rows, t)
    programmes = report.programmes[report.programmes["month"] == month]
    names = catalog.programmes.set_index("code")[name_column(lang)]
    behind = programmes[programmes["status"] == "lagging"]
    on_pace = programmes[programmes["status"] == "on_track"]
    for key, group in (("inyear.summary_behind", behind), ("inyear.summary_on_pace", on_pace)):
        if len(group):
            listed = list(names[group["programme"]])
            sentences.append(t(key, names="、".join(listed) if lang == "zh" else _join(listed, lang)))
    # The figure asked for first: the largest monthly year-to-date total in money, with its 同比.
    totals = rows[
        (rows["value_kind"] == "cumulative") & (rows["frequency"] == "month") & rows["value"].notna()
    ].sort_values("value", ascending=False)
    money = totals[totals["unit"].isin(MONEY_UNITS)]
    if len(money):
        top = money.iloc[0]
        growth = "" if pd.isna(top["yoy"]) else growth_text(top["yoy"], t)
        sentences.append(
            t(
                "inyear.summary_headline",
                name=top[name_column(lang)],
                **month_params(top["as_of_month"]),
                value=value_text(top["value"], top["unit"], lang),
                growth=growth,
                completion=share_text(top["attainment"]),
            )
        )
    return sentences


def compare_programmes_in_year(report: Report, catalog: Catalog, month: int, lang: str = "zh") -> list[str]:
    """Return the sentence naming the programme furthest ahead of 序时进度 and the one furthest behind it.

    Ranked by the gap in points, so a programme is judged against what was due of it, not by its bare score;
    nothing is said with fewer than two programmes with data.
    """
    t = translator(lang)
    rows = report.programmes[(report.programmes["month"] == month) & report.programmes["gap_points"].notna()]
    if len(rows) < 2:
        return []
    names = catalog.programmes.set_index("code")[name_column(lang)]
    ranked = rows.sort_values(["gap_points", "score"], ascending=False, kind="stable")
    best, worst = ranked.iloc[0], ranked.iloc[-1]
    return [
        t(
            "inyear.summary_extremes",
            best=names[best["programme"]],
            best_score=format_score(best["score"]),
            best_gap=gap_text(best["gap_points"], t),
            worst=names[worst["programme"]],
            worst_score=format_score(worst["score"]),
            worst_gap=gap_text(worst["gap_points"], t),
        )
    ]


def describe_headlines_in_year(report: Report, month: int, lang: str = "zh", most: int = 6) -> list[str]:
    """Return the sentence on the headline indicators' 同比: the monthly year-to-date totals in the catalog's
    order, each with its figure and its change on last year's same months; the largest total in money is
    left out, summarise_in_year leads with it."""
    t = translator(lang)
    rows = report.indicators[report.indicators["month"] == month]
    totals = rows[(rows["value_kind"] == "cumulative") & (rows["frequency"] == "month") & rows["value"].notna()]
    money = totals[totals["unit"].isin(MONEY_UNITS)].sort_values("value", ascending=False)
    lead = money["code"].iloc[0] if len(money) else None
    shown = totals[(totals["code"] != lead) & totals["yoy"].notna()].head(most)
    if shown.empty:
        return []
    items = [
        t("inyear.headline_item", name=row[name_column(lang)], value=value_text(row["value"], row["unit"], lang))
        + growth_text(row["yoy"], t)
        for _, row in shown.iterrows()
    ]
    return [t("inyear.summary_growth", items=("；" if lang == "zh" else "; ").join(items))]


def summarise_assessment(assessment: Assessment, catalog: Catalog, lang: str = "zh") -> list[str]:
    """Return a period's final assessment as sentences: how many indicators met their target, the programmes
    with the largest and smallest share met, and those furthest short. Counts that are zero are left out;
    no sentence speaks of schedule: in the target year a target is met or not."""
    t = translator(lang)
    overall = assessment.overall.iloc[0]
    period = catalog.periods.set_index("code").loc[assessment.period, name_column(lang)]
    parts = [t(f"assessment.count_{o}", count=int(overall[o])) for o in OUTCOMES if overall[o]]
    sentences = [
        t(
            "assessment.summary_counts",
            period=period,
            total=int(overall["indicators"]),
            parts=_join(parts, lang),
            share=share_text(overall["share_met"]),
        )
    ]
    programmes = assessment.programmes.dropna(subset=["share_met"])
    if len(programmes) >= 2:
        names = catalog.programmes.set_index("code")[name_column(lang)]
        ranked = programmes.sort_values("share_met", ascending=False, kind="stable")
        best, worst = ranked.iloc[0], ranked.iloc[-1]
        sentences.append(
            t(
                "assessment.summary_programmes",
                best=names[best["programme"]],
                best_share=share_text(best["share_met"]),
                worst=names[worst["programme"]],
                worst_share=share_text(worst["share_met"]),
            )
        )
    short = assessment.indicators[assessment.indicators["outcome"] == "not_met"]
    if len(short):
        furthest = short.sort_values("completion", kind="stable").head(EXAMPLES)
        names = [
            t("text.with_note", text=n, note=share_text(c))
            for n, c in zip(furthest[name_column(lang)], furthest["completion"], strict=True)
        ]
        sentences.append(t("assessment.summary_short", names="、".join(names) if lang == "zh" else _join(names, lang)))
    return sentences


def _overall_sentence(top: pd.Series, year: int, final: bool, t) -> str:
    """Return the sentence on the overall score: against expected progress (or, in the target year, the target)."""
    if pd.isna(top["score"]) or pd.isna(top["expected_score"]):
        return t("summary.overall_insufficient", year=year)
    # Compared as shown (one decimal), so "level" is never printed beside a gap of 0.0.
    score, expected = round(float(top["score"]), 1), round(float(top["expected_score"]), 1)
    gap = format_score(abs(score - expected))
    shown_expected = format_score(expected)
    if final:
        versus = (
            t("summary.final_reached")
            if score >= expected
            else t("summary.final_short", expected=shown_expected, gap=gap)
        )
    elif score > expected:
        versus = t("summary.above", expected=shown_expected, gap=gap)
    elif score == expected:
        versus = t("summary.level", expected=shown_expected)
    else:
        pace = top["status"] if top["status"] in PACES else "at_risk"
        versus = t("summary.below", expected=shown_expected, gap=gap, pace=t(f"summary.pace_{pace}"))
    return t(
        "summary.overall_final" if final else "summary.overall",
        year=year,
        score=format_score(score),
        versus=versus,
        change=_change_text(top["score_change"], t),
    )


def _change_text(change, t) -> str:
    """Return the clause on the change from the year before ('' when there is no year before)."""
    if pd.isna(change):
        return ""
    delta = round(float(change), 1)
    if delta == 0:
        return t("summary.change_level")
    return t("summary.change_up" if delta > 0 else "summary.change_down", delta=format_score(abs(delta)))


def _join(parts: list[str], lang: str) -> str:
    """Return parts as one clause: "甲，乙，丙" in Chinese, "a, b and c" in English."""
    if lang == "zh":
        return "，".join(parts)
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def latest_upload(uploads: pd.DataFrame) -> pd.Series | None:
    """Return the newest data upload in effect, or None."""
    live = uploads[(uploads["kind"] == "data") & uploads["in_effect"]]
    return live.sort_values("id").iloc[-1] if len(live) else None


def describe_indicator(indicator: Mapping, lang: str, meta: pd.DataFrame | None = None) -> list[str]:
    """Return the lines that say what an indicator is: definition, formula, source, how often and as what reported.

    `indicator` is its catalog row (code, frequency, value_kind); `meta` is indicator_meta.csv by
    code (read from data/ when not given). The formula and the source are written in Chinese only,
    so they are left out in English rather than shown untranslated.
    """
    meta = read_indicator_meta() if meta is None else meta
    t, lines = translator(lang), []
    if indicator["code"] in meta.index:
        row = meta.loc[indicator["code"]]
        definition = row["definition_zh"] if lang == "zh" else row["definition_en"]
        if definition:
            lines.append(t("meta.definition", text=definition))
        if lang == "zh":
            # "—" is how the reference says an indicator is counted, not computed.
            lines += [
                t(key, text=row[field])
                for key, field in (("meta.formula", "formula_zh"), ("meta.source", "source_zh"))
                if row[field] not in ("", "—")
            ]
    if indicator["frequency"] in FREQUENCIES.index and indicator["value_kind"] in VALUE_KINDS.index:
        column = "zh" if lang == "zh" else "en"
        lines.append(
            t(
                "meta.reported",
                frequency=FREQUENCIES.loc[indicator["frequency"], column],
                kind=VALUE_KINDS.loc[indicator["value_kind"], column],
            )
        )
    return lines
