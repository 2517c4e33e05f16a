"""What a leader reads first: programme cards, indicators needing attention, a summary."""

from __future__ import annotations

import pandas as pd

from hqd.catalog import Catalog
from hqd.formatting import format_change, format_score
from hqd.i18n import name_column, status_text, translator
from hqd.rollup import Report

BEHIND = ["regressing", "lagging"]


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
    """Return the year's summary as sentences built from the numbers by fixed rules."""
    t = translator(lang)
    overall = report.overall[report.overall["year"] == year]
    if overall.empty or overall["status"].iloc[0] == "no_data":
        return [t("empty.year", year=year)]
    top = overall.iloc[0]
    change = t("summary.change", delta=format_change(top["score_change"])) if pd.notna(top["score_change"]) else ""
    sentences = [
        t(
            "summary.overall",
            year=year,
            score=format_score(top["score"]),
            expected=format_score(top["expected_score"]),
            status=status_text(top["status"], lang),
            change=change,
        )
    ]
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
    indicators = report.indicators[report.indicators["year"] == year]
    status = indicators["status"].value_counts()
    sentences.append(
        t(
            "summary.counts",
            total=len(indicators),
            good=int(status.get("achieved", 0) + status.get("on_track", 0)),
            slow=int(status.get("at_risk", 0)),
            behind=int(status.get("lagging", 0) + status.get("regressing", 0)),
            missing=int(status.get("no_data", 0)),
        )
    )
    target_year = int(indicators["target_year"].max())
    if year >= target_year:
        achieved, missing = int(status.get("achieved", 0)), int(status.get("no_data", 0))
        sentences.append(t("summary.final", year=year, achieved=achieved, open=len(indicators) - achieved - missing))
        return sentences
    missing = indicators[indicators["projection"] == "off_track"].sort_values("projected_completion")
    if len(missing):
        names = missing[name_column(lang)].head(3).tolist()
        examples = t("summary.examples", names="、".join(names) if lang == "zh" else ", ".join(names))
        sentences.append(t("summary.projection", count=len(missing), year=target_year, examples=examples))
    else:
        sentences.append(t("summary.projection_none", year=target_year))
    return sentences


def latest_upload(uploads: pd.DataFrame) -> pd.Series | None:
    """Return the newest data upload in effect, or None."""
    live = uploads[(uploads["kind"] == "data") & uploads["in_effect"]]
    return live.sort_values("id").iloc[-1] if len(live) else None
