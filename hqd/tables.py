"""Frames ready to show: the pages' tables with values formatted and columns named in the language."""

from __future__ import annotations

import pandas as pd

from hqd.catalog import Catalog
from hqd.formatting import format_share, format_time, format_unit, format_value
from hqd.i18n import (
    MESSAGES,
    department_name,
    describe_problem,
    name_column,
    projection_text,
    status_labels,
    status_text,
    translator,
)
from hqd.workbook import CATALOG_HEADERS


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


def _departments(departments: pd.Series, lang: str) -> list:
    """Return responsible departments named in the language."""
    return [department_name(d, lang) if isinstance(d, str) else d for d in departments]


def attention_table(rows: pd.DataFrame, catalog: Catalog, lang: str) -> pd.DataFrame:
    """Return the indicators needing attention as shown: who, how far behind, where heading."""
    t = translator(lang)
    rows = with_programme_names(rows, catalog, lang)
    table = pd.DataFrame(
        {
            t("col.indicator"): rows[name_column(lang)].to_numpy(),
            t("col.programme"): rows["programme_name"].to_numpy(),
            t("col.department"): _departments(rows["department"], lang),
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
            t("col.department"): _departments(rows["department"], lang),
            t("col.latest"): latest,
            t("col.target"): _values(rows, "target_value", lang),
            t("col.completion"): (rows["score"]).round(1).to_numpy(),
            t("col.status"): [status_text(s, lang) for s in rows["status"]],
            t("col.trend"): rows["code"].map(trend).to_numpy(),
            t("col.projection"): _projection(rows, lang),
        }
    )


def problems_table(problems: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return problems as shown: where in the file (sheet, row, column), then what."""
    t = translator(lang)
    return pd.DataFrame(
        {
            t("col.sheet"): problems["sheet"].to_numpy(),
            t("col.row"): problems["row"].astype("object").where(problems["row"].notna(), "").to_numpy(),
            t("col.column"): problems["column"].to_numpy(),
            t("col.message"): [
                describe_problem(code, params, lang)
                for code, params in zip(problems["code"], problems["params"], strict=True)
            ],
        }
    )


def changes_table(compared: pd.DataFrame, catalog: Catalog, lang: str, unchanged: bool = False) -> pd.DataFrame:
    """Return incoming values against the values in effect: indicator, year, old, new, change."""
    t = translator(lang)
    rows = compared if unchanged else compared[compared["change"] != "unchanged"]
    info = catalog.indicators.drop_duplicates("code").set_index("code")
    units = rows["indicator"].map(info["unit"]).fillna("")
    shown = rows.assign(unit=units)
    return pd.DataFrame(
        {
            t("col.code"): rows["indicator"].to_numpy(),
            t("col.indicator"): rows["indicator"].map(info[name_column(lang)]).to_numpy(),
            t("col.year"): rows["year"].to_numpy(),
            t("col.old"): _values(shown, "old_value", lang),
            t("col.new"): _values(shown, "value", lang),
            t("col.change"): [t(f"change.{c}") for c in rows["change"]],
            t("col.note"): rows["note"].fillna("").to_numpy() if "note" in rows else "",
        }
    )


def _catalog_values(values: pd.Series, fields: list[str], lang: str) -> list[str]:
    """Return a catalog revision's old or new values as text, a department named in the language."""
    return [department_name(str(v), lang) if f == "department" else str(v) for v, f in zip(values, fields, strict=True)]


def catalog_changes_table(changes: pd.DataFrame, catalog: Catalog, lang: str) -> pd.DataFrame:
    """Return catalog changes as shown: indicator, field, old value, new value."""
    t = translator(lang)
    names = catalog.indicators.drop_duplicates("code").set_index("code")[name_column(lang)]
    fields = changes["field"].tolist()
    return pd.DataFrame(
        {
            t("col.code"): changes["code"].to_numpy(),
            t("col.indicator"): changes["code"].map(names).to_numpy(),
            t("col.field"): [
                t(f"field.{f}") if f"field.{f}" in MESSAGES else CATALOG_HEADERS.get(f, f) for f in fields
            ],
            t("col.old"): _catalog_values(changes["old"], fields, lang),
            t("col.new"): _catalog_values(changes["new"], fields, lang),
        }
    )


def uploads_table(uploads: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return the upload history as shown: number, kind, file, who, when, counts, state."""
    t = translator(lang)
    kinds = [
        t("history.kind_data" if k == "data" else "history.kind_catalog") + (f"({t('history.sample')})" if s else "")
        for k, s in zip(uploads["kind"], uploads["is_sample"], strict=True)
    ]
    counts = [
        f"{r}({t('upload.new')} {n} · {t('upload.changed')} {c} · {t('upload.unchanged')} {u})"
        if k == "data"
        else f"{t('upload.catalog_changes')} {c}"
        for k, r, n, c, u in zip(
            uploads["kind"], uploads["rows"], uploads["new"], uploads["changed"], uploads["unchanged"], strict=True
        )
    ]
    states = [
        t("history.active") if pd.isna(at) else t("history.rolled_back", user=who or "—", time=format_time(at))
        for at, who in zip(uploads["rolled_back_at"], uploads["rolled_back_by"], strict=True)
    ]
    return pd.DataFrame(
        {
            t("col.upload"): uploads["id"].to_numpy(),
            t("col.kind"): kinds,
            t("col.file"): uploads["file_name"].to_numpy(),
            t("col.user"): uploads["user_name"].to_numpy(),
            t("col.time"): [format_time(v) for v in uploads["created_at"]],
            t("col.rows"): counts,
            t("col.state"): states,
        }
    )


def explorer_table(frame: pd.DataFrame, catalog: Catalog, years: list[int], lang: str) -> pd.DataFrame:
    """Return the explorer's rows as shown and exported: numbers stay numbers, one column per year."""
    t = translator(lang)
    programmes = catalog.programmes.set_index("code")[name_column(lang)]
    table = pd.DataFrame(
        {
            t("col.code"): frame["code"].to_numpy(),
            t("col.indicator"): frame[name_column(lang)].to_numpy(),
            t("col.programme"): frame["programme"].map(programmes).to_numpy(),
            t("col.department"): _departments(frame["department"], lang),
            t("col.unit"): frame["unit"].map({u: format_unit(u, lang) for u in frame["unit"].unique()}).to_numpy(),
        }
    )
    for year in years:
        table[str(year)] = frame[year].to_numpy()
    table[t("col.baseline")] = frame["base_value"].to_numpy()
    table[t("col.target")] = frame["target_value"].to_numpy()
    table[t("col.completion")] = (frame["completion"] * 100).round(1).to_numpy()
    table[t("col.pace")] = frame["pace"].round(2).to_numpy()
    # Mapped per distinct value: the explorer may list thousands of indicators.
    table[t("col.status")] = frame["status"].map(status_labels(lang)).to_numpy()
    table[t("col.projected")] = frame["projected_value"].to_numpy()
    outlooks = {p: projection_text(p, lang) or "—" for p in frame["projection"].unique()}
    table[t("col.outcome")] = frame["projection"].map(outlooks).to_numpy()
    table[t("col.note")] = frame["note"].fillna("").to_numpy()
    return table


def lineage_table(lineage: pd.DataFrame, unit: str, lang: str) -> pd.DataFrame:
    """Return where each value came from: year, value, the value it replaced, upload, who, when."""
    t = translator(lang)
    rows = lineage.sort_values(["year", "upload_id"], ascending=[False, False])
    state = [
        t("lineage.rolled_back") if pd.notna(back) else t("lineage.in_effect") if live else t("lineage.replaced")
        for back, live in zip(rows["rolled_back_at"], rows["in_effect"], strict=True)
    ]
    return pd.DataFrame(
        {
            t("col.year"): rows["year"].to_numpy(),
            t("col.actual"): [format_value(v, unit, lang) for v in rows["value"]],
            t("col.replaced"): [format_value(v, unit, lang) for v in rows["previous"]],
            t("col.upload"): [f"#{i}" for i in rows["upload_id"]],
            t("col.file"): rows["file_name"].to_numpy(),
            t("col.user"): rows["user_name"].to_numpy(),
            t("col.time"): [format_time(v) for v in rows["created_at"]],
            t("col.state"): state,
            t("col.note"): rows["note"].fillna("").to_numpy(),
        }
    )


def indicator_links(codes: pd.Series, catalog: Catalog) -> list[str]:
    """Return, for each indicator, the link that opens its detail on its programme's page."""
    slugs = catalog.programmes.set_index("code")["slug"]
    programme = catalog.indicators.drop_duplicates("code").set_index("code")["programme"]
    return [f"./{slugs[programme[c]]}?indicator={c}" if c in programme.index else "" for c in codes]


def progress_table(progress: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return reporting progress per department as shown."""
    t = translator(lang)
    return pd.DataFrame(
        {
            t("col.department"): _departments(progress["department"].replace("", "—"), lang),
            t("col.indicators"): progress["indicators"].to_numpy(),
            t("col.reported"): progress["reported"].to_numpy(),
            t("col.share"): (progress["share"] * 100).round(0).to_numpy(),
            t("col.missing"): progress["missing"].to_numpy(),
        }
    )


def quality_table(
    rows: pd.DataFrame, catalog: Catalog, lang: str, code: str = "code", columns: dict | None = None
) -> pd.DataFrame:
    """Return flagged indicators as shown: code, name, department, more columns (by label key), a detail link."""
    t = translator(lang)
    info = catalog.indicators.drop_duplicates("code").set_index("code")
    codes = rows[code]
    table = pd.DataFrame(
        {
            t("col.code"): codes.to_numpy(),
            t("col.indicator"): codes.map(info[name_column(lang)]).to_numpy(),
            t("col.department"): _departments(codes.map(info["department"]), lang),
        }
    )
    for label, values in (columns or {}).items():
        table[t(label)] = list(values)
    table[t("col.open")] = indicator_links(codes, catalog)
    return table
