"""The catalog: plan periods, programmes, tasks and indicators, and the checks it must pass."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from hqd import labels
from hqd.problems import ProblemsError, concat_problems, excel_column, make_problems
from hqd.settings import DATA_DIR

DIRECTIONS = tuple(labels.DIRECTIONS.index)
TRAJECTORIES = ("linear", "compound")

# Column lists of each table; numbers are parsed, the rest is text.
PERIOD_COLUMNS = ["code", "name_zh", "name_en", "base_year", "target_year"]
PROGRAMME_COLUMNS = ["code", "name_zh", "name_en", "short_zh", "slug", "icon", "goal_zh", "description_zh", "weight"]
TASK_COLUMNS = ["code", "programme", "name_zh", "name_en", "description_zh", "weight"]
INDICATOR_COLUMNS = [
    "code",
    "period",
    "programme",
    "task",
    "name_zh",
    "name_en",
    "unit",
    "direction",
    "trajectory",
    "base_year",
    "base_value",
    "target_year",
    "target_value",
    "weight",
    "department",
]
INTEGERS = {"base_year", "target_year"}
FLOATS = {"base_value", "target_value", "weight"}
REQUIRED_TEXT = {"code", "period", "programme", "task", "name_zh", "unit", "direction", "trajectory"}
TABLES = {
    "periods": PERIOD_COLUMNS,
    "programmes": PROGRAMME_COLUMNS,
    "tasks": TASK_COLUMNS,
    "indicators": INDICATOR_COLUMNS,
}
FILES = {"periods": "periods.csv", "programmes": "programmes.csv", "tasks": "tasks.csv", "indicators": "catalog.csv"}


@dataclass(frozen=True)
class Catalog:
    """The hierarchy and targets; indicators have one row per (code, period)."""

    periods: pd.DataFrame
    programmes: pd.DataFrame
    tasks: pd.DataFrame
    indicators: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        """Return the four tables by name."""
        return {name: getattr(self, name) for name in TABLES}

    def period_for_year(self, year: int | None = None) -> str:
        """Return the period whose years hold `year` (the latest period when none does)."""
        periods = self.periods.sort_values("target_year")
        if year is not None:
            # A year that ends one period and starts the next is judged by the period it ends.
            for holding in (
                periods[(periods["base_year"] < year) & (year <= periods["target_year"])],
                periods[(periods["base_year"] <= year) & (year <= periods["target_year"])],
            ):
                if len(holding):
                    return holding["code"].iloc[-1]
        return periods["code"].iloc[-1]

    def targets(self, period: str | None = None) -> pd.DataFrame:
        """Return the indicators with the baselines and targets of one period."""
        period = period or self.period_for_year()
        return self.indicators[self.indicators["period"] == period].reset_index(drop=True)

    def years(self, period: str | None = None) -> list[int]:
        """Return the years of a period, baseline year to target year."""
        row = self.periods.set_index("code").loc[period or self.period_for_year()]
        return list(range(int(row["base_year"]), int(row["target_year"]) + 1))


def coerce_table(frame: pd.DataFrame, columns: list[str], source: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the table with typed columns, and the problems met (missing columns, bad numbers).

    Rows are numbered as in the file: the header is row 1.
    """
    missing = [c for c in columns if c not in frame.columns]
    optional = {"name_en", "short_zh", "slug", "icon", "goal_zh", "description_zh", "department", "weight"}
    errors = [
        {"sheet": source, "row": 1, "column": "", "message": f"缺少列「{c}」"} for c in missing if c not in optional
    ]
    out = frame.reindex(columns=columns).reset_index(drop=True)
    if "weight" in missing:
        out["weight"] = 1.0
    for _i, name in enumerate(columns):
        if name in INTEGERS | FLOATS and name not in missing:
            raw = out[name]
            number = pd.to_numeric(raw.astype("str").str.strip(), errors="coerce")
            bad = number.isna() & raw.notna() & raw.astype("str").str.strip().ne("")
            blank = number.isna() & ~bad
            where = column_letter(frame, name)
            errors += [
                {"sheet": source, "row": r + 2, "column": where, "message": f"「{name}」不是数字:{raw[r]}"}
                for r in np.flatnonzero(bad)
            ] + [
                {"sheet": source, "row": r + 2, "column": where, "message": f"「{name}」为空"}
                for r in np.flatnonzero(blank)
                if name != "weight"
            ]
            if name == "weight":
                number = number.fillna(1.0)
            out[name] = number.astype("float64")
        elif name not in INTEGERS | FLOATS:
            out[name] = out[name].astype("str").str.strip().where(out[name].notna(), "")
    return out, make_problems(errors)


def column_letter(frame: pd.DataFrame, name: str) -> str:
    """Return the Excel letter of a column of a frame read from a file."""
    return excel_column(list(frame.columns).index(name)) if name in frame.columns else ""


def check_catalog(catalog: Catalog, sources: dict[str, str] | None = None) -> pd.DataFrame:
    """Return every problem of a typed catalog; rows are numbered as in its files."""
    sources = sources or FILES
    problems = []

    def add(table: str, mask: pd.Series, column: str, message) -> None:
        frame = getattr(catalog, table)
        for r in np.flatnonzero(mask.to_numpy()):
            text = message(frame.iloc[r]) if callable(message) else message
            problems.append(
                {
                    "sheet": sources[table],
                    "row": r + 2,
                    "column": excel_column(TABLES[table].index(column)),
                    "message": text,
                }
            )

    for table in TABLES:
        frame = getattr(catalog, table)
        key = ["code", "period"] if table == "indicators" else ["code"]
        add(table, frame["code"].eq(""), "code", "编码为空")
        add(
            table,
            frame.duplicated(key, keep="first") & frame["code"].ne(""),
            "code",
            lambda r: f"编码「{r['code']}」重复",
        )
        if "weight" in frame:
            add(table, ~(frame["weight"] > 0), "weight", lambda r: f"权重必须为正数,现为 {r['weight']}")

    programmes = catalog.programmes
    add(
        "programmes",
        programmes.duplicated("slug") & programmes["code"].ne(""),
        "slug",
        lambda r: f"网址名「{r['slug']}」重复",
    )
    per = catalog.periods
    add("periods", ~(per["base_year"] < per["target_year"]), "target_year", "目标年必须晚于基期年")

    tasks, ind = catalog.tasks, catalog.indicators
    add(
        "tasks",
        ~tasks["programme"].isin(programmes["code"]),
        "programme",
        lambda r: f"工程「{r['programme']}」不在工程表中",
    )
    add("programmes", ~programmes["code"].isin(tasks["programme"]), "code", lambda r: f"工程「{r['code']}」没有任务")
    add("tasks", ~tasks["code"].isin(ind["task"]), "code", lambda r: f"任务「{r['code']}」没有指标")

    for column in sorted(REQUIRED_TEXT):
        add("indicators", ind[column].eq(""), column, f"「{column}」为空")
    add(
        "indicators",
        ~ind["period"].isin(per["code"]) & ind["period"].ne(""),
        "period",
        lambda r: f"规划期「{r['period']}」不在规划期表中",
    )
    task_programme = ind["task"].map(tasks.set_index("code")["programme"].to_dict() if tasks["code"].is_unique else {})
    add("indicators", ind["task"].ne("") & task_programme.isna(), "task", lambda r: f"任务「{r['task']}」不在任务表中")
    add(
        "indicators",
        task_programme.notna() & task_programme.ne(ind["programme"]),
        "programme",
        lambda r: f"任务「{r['task']}」不属于工程「{r['programme']}」",
    )
    add(
        "indicators",
        ~ind["direction"].isin(DIRECTIONS) & ind["direction"].ne(""),
        "direction",
        lambda r: f"方向「{r['direction']}」无效,应为 up、down 或 milestone",
    )
    add(
        "indicators",
        ~ind["trajectory"].isin(TRAJECTORIES) & ind["trajectory"].ne(""),
        "trajectory",
        lambda r: f"轨迹「{r['trajectory']}」无效,应为 linear 或 compound",
    )

    known = ind[["base_value", "target_value"]].notna().all(axis=1)
    up = ind["direction"].isin(["up", "milestone"])
    add(
        "indicators",
        known & up & (ind["target_value"] < ind["base_value"]),
        "target_value",
        lambda r: f"方向为「{r['direction']}」,目标值 {r['target_value']:g} 不应低于基期值 {r['base_value']:g}",
    )
    add(
        "indicators",
        known & ind["direction"].eq("down") & (ind["target_value"] > ind["base_value"]),
        "target_value",
        lambda r: f"方向为「down」,目标值 {r['target_value']:g} 不应高于基期值 {r['base_value']:g}",
    )
    for column in ("base_value", "target_value"):
        value = ind[column]
        add(
            "indicators",
            ind["direction"].eq("milestone") & value.notna() & (value % 1 != 0),
            column,
            lambda r, c=column: f"阶段性指标的阶段必须为整数,现为 {r[c]:g}",
        )
    years = ind[["base_year", "target_year"]].notna().all(axis=1)
    add("indicators", years & ~(ind["base_year"] < ind["target_year"]), "target_year", "目标年必须晚于基期年")

    return concat_problems(make_problems(problems))


def build_catalog(tables: dict[str, pd.DataFrame], sources: dict[str, str] | None = None) -> Catalog:
    """Return a checked catalog from raw tables; raise ProblemsError listing every problem."""
    sources = sources or FILES
    typed, problems = {}, []
    for name, columns in TABLES.items():
        typed[name], found = coerce_table(tables[name], columns, sources[name])
        problems.append(found)
    # Without an English name the Chinese one is shown in English too, never a blank.
    for table in ("programmes", "tasks", "indicators"):
        frame = typed[table]
        frame["name_en"] = frame["name_en"].where(frame["name_en"].ne(""), frame["name_zh"])
    # A programme's page lives at /<slug>; without one, its code serves.
    slug = typed["programmes"]["slug"]
    typed["programmes"]["slug"] = slug.where(slug.ne(""), typed["programmes"]["code"].str.lower())
    catalog = Catalog(**typed)
    problems = concat_problems(*problems)
    if not len(problems):
        problems = check_catalog(catalog, sources)
    if len(problems):
        raise ProblemsError(problems)
    ind = catalog.indicators.astype({"base_year": "int64", "target_year": "int64"})
    per = catalog.periods.astype({"base_year": "int64", "target_year": "int64"})
    return Catalog(periods=per, programmes=catalog.programmes, tasks=catalog.tasks, indicators=ind)


def read_catalog(directory: Path = DATA_DIR) -> Catalog:
    """Return the catalog stored as CSV files in a directory (the default catalog in data/)."""
    tables = {
        name: pd.read_csv(Path(directory) / file, dtype="str", keep_default_na=False) for name, file in FILES.items()
    }
    return build_catalog(tables)
