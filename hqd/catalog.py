"""The catalog: plan periods, programmes, tasks and indicators, and the checks it must pass."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from hqd import labels
from hqd.problems import ProblemsError, concat_problems, excel_column, make_problems, problem
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
    "frequency",
    "value_kind",
    "aliases",
]
# An admin's annual targets (年度目标): where a year has none, the trajectory's value for it stands.
ANNUAL_TARGET_COLUMNS = ["code", "period", "year", "target_value"]
# Key tasks (重点任务): the plan's actions under each task, followed through dated milestones (节点). Months as
# YYYY-MM; a milestone is due at the end of its month, the last one at the key task's due month.
KEY_TASK_COLUMNS = ["code", "task", "name_zh", "name_en", "department", "start", "due"]
MILESTONE_COLUMNS = ["key_task", "step", "due", "description_zh"]
MONTH_PATTERN = r"\d{4}-(0[1-9]|1[0-2])"
INTEGERS = {"base_year", "target_year", "year", "step"}
FLOATS = {"base_value", "target_value", "weight"}
FREQUENCIES = tuple(labels.FREQUENCIES.index)
VALUE_KINDS = tuple(labels.VALUE_KINDS.index)
# Former names of a renamed indicator, in one cell: a sheet that uses one of them still imports.
ALIAS_SEPARATOR = "|"
REQUIRED_TEXT = {"code", "period", "programme", "task", "name_zh", "unit", "direction", "trajectory"}
# The columns that identify a row of each table (the first is its code); others have "code" alone.
KEYS = {
    "indicators": ["code", "period"],
    "annual_targets": ["code", "period", "year"],
    "milestones": ["key_task", "step"],
}
TABLES = {
    "periods": PERIOD_COLUMNS,
    "programmes": PROGRAMME_COLUMNS,
    "tasks": TASK_COLUMNS,
    "indicators": INDICATOR_COLUMNS,
    "annual_targets": ANNUAL_TARGET_COLUMNS,
    "key_tasks": KEY_TASK_COLUMNS,
    "milestones": MILESTONE_COLUMNS,
}
# Tables a catalog may leave out: a catalog older than annual targets, or key tasks, has none.
OPTIONAL_TABLES = {"annual_targets", "key_tasks", "milestones"}
# English names of the responsible departments (zh,en); list_departments adds those only the catalog names.
DEPARTMENTS_FILE = "departments.csv"
# What each indicator means, how it is computed and where it comes from (the reference's 指标解释, 计算公式,
# 数据来源): descriptive, read beside the catalog, never computed with. How often and as what kind of figure
# an indicator is reported is the catalog's own (frequency, value_kind).
META_FILE = "indicator_meta.csv"
FILES = {
    "periods": "periods.csv",
    "programmes": "programmes.csv",
    "tasks": "tasks.csv",
    "indicators": "catalog.csv",
    "annual_targets": "annual_targets.csv",
    "key_tasks": "key_tasks.csv",
    "milestones": "milestones.csv",
}


@dataclass(frozen=True)
class Catalog:
    """The hierarchy and targets; indicators have one row per (code, period)."""

    periods: pd.DataFrame
    programmes: pd.DataFrame
    tasks: pd.DataFrame
    indicators: pd.DataFrame
    annual_targets: pd.DataFrame = field(
        default_factory=lambda: empty_table(ANNUAL_TARGET_COLUMNS).astype({"year": "int64", "target_value": "float64"})
    )
    key_tasks: pd.DataFrame = field(default_factory=lambda: empty_table(KEY_TASK_COLUMNS))
    milestones: pd.DataFrame = field(default_factory=lambda: empty_table(MILESTONE_COLUMNS).astype({"step": "int64"}))

    def tables(self) -> dict[str, pd.DataFrame]:
        """Return the tables by name."""
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
        """Return the indicators with the baselines and targets of one period.

        Worked out once per catalog and period (a page's first view after a commit asks three times: 40 ms each at
        57,000 indicators); the frame is shared, and like every input is never changed by its readers.
        """
        period = period or self.period_for_year()
        made = self.__dict__.get("_targets")
        if made is None:
            made = {}
            # A frozen dataclass: the derived frames are kept beside its fields, as reporting_targets' is.
            object.__setattr__(self, "_targets", made)
        if period not in made:
            made[period] = self.indicators[self.indicators["period"] == period].reset_index(drop=True)
        return made[period]

    def reporting_targets(self) -> pd.DataFrame:
        """Return one row per indicator code across the periods: what a file of values is checked against.

        An indicator that runs on into a later period is described as that period has it; the years
        it may be reported for run from its first baseline year to its last target year. Worked out once per
        catalog (a stored version is one object per process, and each import asks for it several times: 0.15 s
        each at 36,000 indicators); the frame is shared, and like every input is never changed by its readers.
        """
        found = self.__dict__.get("_reporting_targets")
        if found is None:
            found = self._work_out_reporting_targets()
            # A frozen dataclass: the derived frame is kept beside its fields, as functools.cached_property would.
            object.__setattr__(self, "_reporting_targets", found)
        return found

    def _work_out_reporting_targets(self) -> pd.DataFrame:
        order = self.periods.set_index("code")["target_year"]
        rows = self.indicators.assign(_end=self.indicators["period"].map(order)).sort_values("_end", kind="stable")
        span = rows.groupby("code", sort=False).agg(base_year=("base_year", "min"), target_year=("target_year", "max"))
        latest = rows.drop_duplicates("code", keep="last").drop(columns=["_end", "base_year", "target_year"])
        first = self.indicators.drop_duplicates("code")["code"]
        return (
            latest.merge(span, left_on="code", right_index=True)
            .set_index("code")
            .loc[first]
            .reset_index()[self.indicators.columns]
        )

    def years(self, period: str | None = None) -> list[int]:
        """Return the years of a period, baseline year to target year."""
        row = self.periods.set_index("code").loc[period or self.period_for_year()]
        return list(range(int(row["base_year"]), int(row["target_year"]) + 1))


def among(codes: pd.Series, others) -> np.ndarray:
    """Return whether each code is among `others` (as `codes.isin(others)`), through a hash table of them.

    pandas 3's `isin` on a text column makes a pyarrow scalar of every value in Python: 2.4 s for a file's 200,000
    codes against 36,000 indicators, where this takes 0.03 s.
    """
    return pd.Index(pd.unique(pd.Series(others, dtype="object"))).get_indexer(codes) >= 0


def coerce_table(frame: pd.DataFrame, columns: list[str], source: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the table with typed columns, and the problems met (missing columns, bad numbers).

    Rows are numbered as in the file: the header is row 1.
    """
    missing = [c for c in columns if c not in frame.columns]
    optional = {
        "name_en",
        "short_zh",
        "slug",
        "icon",
        "goal_zh",
        "description_zh",
        "department",
        "weight",
        "frequency",
        "value_kind",
        "aliases",
    }
    errors = [
        problem("problem.catalog_missing_column", sheet=source, row=1, name=c) for c in missing if c not in optional
    ]
    out = frame.reindex(columns=columns).reset_index(drop=True)
    if "weight" in missing:
        out["weight"] = 1.0
    for _i, name in enumerate(columns):
        if name in INTEGERS | FLOATS and name not in missing:
            raw = out[name]
            if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
                # Numbers already (a stored version's): nothing to parse, and only a missing one to name.
                number = pd.Series(raw.to_numpy(dtype="float64", na_value=np.nan))
                bad = pd.Series(False, index=number.index)
            else:
                text = raw.astype("str").str.strip()
                number = pd.to_numeric(text, errors="coerce")
                bad = number.isna() & raw.notna() & text.ne("")
            blank = number.isna() & ~bad
            where = column_letter(frame, name)
            errors += [
                problem(
                    "problem.catalog_field_not_a_number",
                    sheet=source,
                    row=r + 2,
                    column=where,
                    name=name,
                    value=str(raw[r]),
                )
                for r in np.flatnonzero(bad)
            ] + [
                problem("problem.catalog_field_blank", sheet=source, row=r + 2, column=where, name=name)
                for r in np.flatnonzero(blank)
                # A blank weight is 1; a blank baseline may be the previous period's final actual (check_catalog).
                if name not in ("weight", "base_value")
            ]
            if name == "weight":
                number = number.fillna(1.0)
            out[name] = number.astype("float64")
        elif name not in INTEGERS | FLOATS:
            out[name] = out[name].astype("str").str.strip().fillna("")
    return out, make_problems(errors)


def column_letter(frame: pd.DataFrame, name: str) -> str:
    """Return the Excel letter of a column of a frame read from a file."""
    return excel_column(list(frame.columns).index(name)) if name in frame.columns else ""


def check_catalog(catalog: Catalog, sources: dict[str, str] | None = None) -> pd.DataFrame:
    """Return every problem of a typed catalog; rows are numbered as in its files."""
    sources = sources or FILES
    problems = []

    def add(table: str, mask: pd.Series | np.ndarray, column: str, code: str, params=None) -> None:
        """Add a problem at each row of the mask; `params(row)` returns the values its sentence needs."""
        frame = getattr(catalog, table)
        for r in np.flatnonzero(np.asarray(mask)):
            values = params(frame.iloc[r]) if params else {}
            where = {
                "sheet": sources.get(table, FILES[table]),
                "row": r + 2,
                "column": excel_column(TABLES[table].index(column)),
            }
            problems.append(problem(code, **where, **values))

    for table in TABLES:
        frame = getattr(catalog, table)
        key = KEYS.get(table, ["code"])
        code = key[0]
        add(table, frame[code].eq(""), code, "problem.catalog_blank_code")
        add(
            table,
            frame.duplicated(key, keep="first") & frame[code].ne(""),
            code,
            "problem.catalog_duplicate_code",
            lambda r, c=code: {"code": r[c]},
        )
        if "weight" in frame:
            add(
                table,
                ~(frame["weight"] > 0),
                "weight",
                "problem.catalog_weight",
                lambda r: {"weight": _number(r["weight"])},
            )

    programmes = catalog.programmes
    add(
        "programmes",
        programmes.duplicated("slug") & programmes["code"].ne(""),
        "slug",
        "problem.catalog_duplicate_slug",
        lambda r: {"slug": r["slug"]},
    )
    per = catalog.periods
    add("periods", ~(per["base_year"] < per["target_year"]), "target_year", "problem.catalog_target_year")

    tasks, ind = catalog.tasks, catalog.indicators
    add(
        "tasks",
        ~tasks["programme"].isin(programmes["code"]),
        "programme",
        "problem.catalog_unknown_programme",
        lambda r: {"programme": r["programme"]},
    )
    add(
        "programmes",
        ~programmes["code"].isin(tasks["programme"]),
        "code",
        "problem.catalog_programme_without_tasks",
        lambda r: {"programme": r["code"]},
    )
    add(
        "tasks",
        ~among(tasks["code"], ind["task"]),
        "code",
        "problem.catalog_task_without_indicators",
        lambda r: {"task": r["code"]},
    )

    for column in sorted(REQUIRED_TEXT):
        add("indicators", ind[column].eq(""), column, "problem.catalog_field_blank", lambda r, c=column: {"name": c})
    add(
        "indicators",
        ~ind["period"].isin(per["code"]) & ind["period"].ne(""),
        "period",
        "problem.catalog_unknown_period",
        lambda r: {"period": r["period"]},
    )
    task_programme = ind["task"].map(tasks.set_index("code")["programme"].to_dict() if tasks["code"].is_unique else {})
    add(
        "indicators",
        ind["task"].ne("") & task_programme.isna(),
        "task",
        "problem.catalog_unknown_task",
        lambda r: {"task": r["task"]},
    )
    add(
        "indicators",
        task_programme.notna() & task_programme.ne(ind["programme"]),
        "programme",
        "problem.catalog_task_programme",
        lambda r: {"task": r["task"], "programme": r["programme"]},
    )
    add(
        "indicators",
        ~ind["direction"].isin(DIRECTIONS) & ind["direction"].ne(""),
        "direction",
        "problem.catalog_direction",
        lambda r: {"direction": r["direction"]},
    )
    add(
        "indicators",
        ~ind["trajectory"].isin(TRAJECTORIES) & ind["trajectory"].ne(""),
        "trajectory",
        "problem.catalog_trajectory",
        lambda r: {"trajectory": r["trajectory"]},
    )

    add(
        "indicators",
        ~ind["frequency"].isin(FREQUENCIES),
        "frequency",
        "problem.catalog_frequency",
        lambda r: {"frequency": r["frequency"]},
    )
    add(
        "indicators",
        ~ind["value_kind"].isin(VALUE_KINDS),
        "value_kind",
        "problem.catalog_value_kind",
        lambda r: {"value_kind": r["value_kind"]},
    )
    add(
        "indicators",
        ind["direction"].eq("milestone") & ind["value_kind"].isin(VALUE_KINDS) & ind["value_kind"].ne("milestone"),
        "value_kind",
        "problem.catalog_milestone_kind",
        lambda r: {"value_kind": r["value_kind"]},
    )
    annual = catalog.annual_targets
    add(
        "annual_targets",
        pd.Series(
            ~pd.MultiIndex.from_frame(annual[["code", "period"]]).isin(
                pd.MultiIndex.from_frame(ind[["code", "period"]])
            )
            if len(annual)
            else np.zeros(0, dtype=bool)
        ),
        "code",
        "problem.catalog_annual_target_unknown",
        lambda r: {"code": r["code"], "period": r["period"]},
    )
    span = annual.merge(ind[["code", "period", "base_year", "target_year"]], on=["code", "period"], how="left")
    add(
        "annual_targets",
        span["base_year"].notna() & ~((span["year"] > span["base_year"]) & (span["year"] <= span["target_year"])),
        "year",
        "problem.catalog_annual_target_year",
        lambda r: {"code": r["code"], "year": int(r["year"])},
    )

    # A blank baseline is the previous period's final actual (progress.resolve_baselines): only an indicator
    # that runs on from an earlier period has one.
    order = per.set_index("code")["target_year"]
    ends = ind["period"].map(order)
    first_end = ends.groupby(ind["code"]).transform("min")
    add(
        "indicators",
        ind["base_value"].isna() & (ends <= first_end),
        "base_value",
        "problem.catalog_field_blank",
        lambda r: {"name": "base_value"},
    )
    known = ind[["base_value", "target_value"]].notna().all(axis=1)
    up = ind["direction"].isin(["up", "milestone"])
    add(
        "indicators",
        known & up & (ind["target_value"] < ind["base_value"]),
        "target_value",
        "problem.catalog_target_below_base",
        lambda r: {"direction": r["direction"], "target": _number(r["target_value"]), "base": _number(r["base_value"])},
    )
    add(
        "indicators",
        known & ind["direction"].eq("down") & (ind["target_value"] > ind["base_value"]),
        "target_value",
        "problem.catalog_target_above_base",
        lambda r: {"target": _number(r["target_value"]), "base": _number(r["base_value"])},
    )
    for column in ("base_value", "target_value"):
        value = ind[column]
        add(
            "indicators",
            ind["direction"].eq("milestone") & value.notna() & (value % 1 != 0),
            column,
            "problem.catalog_milestone_integer",
            lambda r, c=column: {"value": _number(r[c])},
        )
    years = ind[["base_year", "target_year"]].notna().all(axis=1)
    add("indicators", years & ~(ind["base_year"] < ind["target_year"]), "target_year", "problem.catalog_target_year")

    problems += _check_key_tasks(catalog, sources)
    return concat_problems(make_problems(problems))


def _check_key_tasks(catalog: Catalog, sources: dict[str, str]) -> list[dict]:
    """Return the problems of the key tasks and their milestones: unknown task or key task, months, dates."""
    found = []

    def add(table: str, mask: pd.Series, column: str, code: str, params) -> None:
        frame = getattr(catalog, table)
        for r in np.flatnonzero(mask.to_numpy()):
            where = {
                "sheet": sources.get(table, FILES[table]),
                "row": r + 2,
                "column": excel_column(TABLES[table].index(column)),
            }
            found.append(problem(code, **where, **params(frame.iloc[r])))

    key_tasks, milestones = catalog.key_tasks, catalog.milestones
    add(
        "key_tasks",
        ~key_tasks["task"].isin(catalog.tasks["code"]),
        "task",
        "problem.catalog_key_task_unknown_task",
        lambda r: {"key_task": r["code"], "task": r["task"]},
    )
    add(
        "key_tasks",
        key_tasks["name_zh"].eq(""),
        "name_zh",
        "problem.catalog_field_blank",
        lambda r: {"name": "name_zh"},
    )
    for table, column in (("key_tasks", "start"), ("key_tasks", "due"), ("milestones", "due")):
        frame = getattr(catalog, table)
        add(
            table,
            ~frame[column].str.fullmatch(MONTH_PATTERN),
            column,
            "problem.catalog_month_format",
            lambda r, c=column: {"name": c, "value": r[c]},
        )
    months_ok = key_tasks["start"].str.fullmatch(MONTH_PATTERN) & key_tasks["due"].str.fullmatch(MONTH_PATTERN)
    add(
        "key_tasks",
        months_ok & (key_tasks["due"] < key_tasks["start"]),
        "due",
        "problem.catalog_key_task_due_before_start",
        lambda r: {"key_task": r["code"], "start": r["start"], "due": r["due"]},
    )
    known = key_tasks[months_ok].drop_duplicates("code").set_index("code")
    add(
        "milestones",
        ~milestones["key_task"].isin(key_tasks["code"]) & milestones["key_task"].ne(""),
        "key_task",
        "problem.catalog_milestone_unknown_key_task",
        lambda r: {"key_task": r["key_task"]},
    )
    add(
        "milestones",
        milestones["description_zh"].eq(""),
        "description_zh",
        "problem.catalog_field_blank",
        lambda r: {"name": "description_zh"},
    )
    # "" where the key task is unknown or its months unreadable: its milestones' dates are not judged then.
    start = milestones["key_task"].map(known["start"].to_dict()).astype("object").fillna("").astype("str")
    end = milestones["key_task"].map(known["due"].to_dict()).astype("object").fillna("").astype("str")
    dated = milestones["due"].str.fullmatch(MONTH_PATTERN) & start.ne("")
    add(
        "milestones",
        dated & ((milestones["due"] < start) | (milestones["due"] > end)),
        "due",
        "problem.catalog_milestone_outside",
        lambda r: {
            "key_task": r["key_task"],
            "due": r["due"],
            "start": known.at[r["key_task"], "start"],
            "end": known.at[r["key_task"], "due"],
        },
    )
    # The last milestone (highest step) is the key task's completion: due in its due month.
    last = milestones["step"].eq(milestones.groupby("key_task")["step"].transform("max"))
    add(
        "milestones",
        dated & last & milestones["due"].ne(end),
        "due",
        "problem.catalog_milestone_last_not_due",
        lambda r: {"key_task": r["key_task"], "due": r["due"], "end": known.at[r["key_task"], "due"]},
    )
    return found


def _number(value) -> float | None:
    """Return a catalog number as a plain float for a problem's values (None when missing)."""
    return None if pd.isna(value) else float(value)


def build_catalog(tables: dict[str, pd.DataFrame], sources: dict[str, str] | None = None) -> Catalog:
    """Return a checked catalog from raw tables; raise ProblemsError listing every problem."""
    sources = sources or FILES
    typed, problems = {}, []
    for name, columns in TABLES.items():
        raw = tables.get(name)
        if raw is None and name in OPTIONAL_TABLES:
            raw = empty_table(columns)
        typed[name], found = coerce_table(raw, columns, sources.get(name, FILES[name]))
        problems.append(found)
    # Without an English name the Chinese one is shown in English too, never a blank.
    for table in ("programmes", "tasks", "indicators", "key_tasks"):
        frame = typed[table]
        frame["name_en"] = frame["name_en"].where(frame["name_en"].ne(""), frame["name_zh"])
    # A programme's page lives at /<slug>; without one, its code serves.
    slug = typed["programmes"]["slug"]
    typed["programmes"]["slug"] = slug.where(slug.ne(""), typed["programmes"]["code"].str.lower())
    typed["indicators"] = _default_reporting(typed["indicators"])
    catalog = Catalog(**typed)
    problems = concat_problems(*problems)
    if not len(problems):
        problems = check_catalog(catalog, sources)
    if len(problems):
        raise ProblemsError(problems)
    ind = catalog.indicators.astype({"base_year": "int64", "target_year": "int64"})
    per = catalog.periods.astype({"base_year": "int64", "target_year": "int64"})
    annual = catalog.annual_targets.astype({"year": "int64"})
    return Catalog(
        periods=per,
        programmes=catalog.programmes,
        tasks=catalog.tasks,
        indicators=ind,
        annual_targets=annual,
        key_tasks=catalog.key_tasks,
        milestones=catalog.milestones.astype({"step": "int64"}),
    )


def _default_reporting(indicators: pd.DataFrame) -> pd.DataFrame:
    """Return the indicators with a frequency and kind of value where the catalog gives none.

    A catalog older than monthly reporting had neither: its figures are yearly, a milestone is
    a stage, a percentage a rate, anything else a level.
    """
    kind = np.select(
        [indicators["direction"].eq("milestone"), indicators["unit"].eq("%")], ["milestone", "rate"], "stock"
    )
    return indicators.assign(
        frequency=indicators["frequency"].where(indicators["frequency"].ne(""), "year"),
        value_kind=indicators["value_kind"].where(
            indicators["value_kind"].ne(""), pd.Series(kind, index=indicators.index)
        ),
    )


@functools.cache
def read_default_reporting(directory: Path = DATA_DIR) -> pd.DataFrame:
    """Return the default catalog's reporting fields (frequency, kind of value, former names) by (code, period)."""
    frame = pd.read_csv(Path(directory) / FILES["indicators"], dtype="str", keep_default_na=False)
    return frame.set_index(["code", "period"])[["frequency", "value_kind", "aliases"]]


def fill_reporting(indicators: pd.DataFrame) -> pd.DataFrame:
    """Return a stored catalog version's indicators with the reporting fields it predates taken from the default.

    A version stored before monthly reporting (an admin's revision of an old default, say) has none; the
    default's, by code and period, are what its indicators are reported as. Fields it has stay.
    """
    defaults = read_default_reporting().reindex(pd.MultiIndex.from_frame(indicators[["code", "period"]]))
    out = indicators.copy()
    for column in defaults.columns:
        given = out[column] if column in out else pd.Series(None, index=out.index, dtype="object")
        out[column] = given.where(given.notna() & given.astype("str").ne(""), defaults[column].to_numpy())
    return out


def empty_table(columns: list[str]) -> pd.DataFrame:
    """Return a raw catalog table with the columns and no rows."""
    return pd.DataFrame({c: pd.Series(dtype="str") for c in columns})


@functools.cache
def read_department_names(directory: Path = DATA_DIR) -> dict[str, str]:
    """Return each responsible department's English name by its Chinese one, read once from departments.csv."""
    frame = pd.read_csv(Path(directory) / DEPARTMENTS_FILE, dtype="str", keep_default_na=False)
    return dict(zip(frame["zh"], frame["en"], strict=True))


def list_departments(catalog: Catalog | None = None, directory: Path = DATA_DIR) -> pd.DataFrame:
    """Return the departments (zh, en): those of departments.csv in its order, then any others the catalog names.

    A department only the catalog names has no English name; it is shown as the catalog has it.
    """
    names = read_department_names(directory)
    named = [] if catalog is None else sorted(set(catalog.indicators["department"]) - set(names) - {""})
    return pd.DataFrame({"zh": [*names, *named], "en": [*names.values(), *named]}, dtype="str")


def fingerprint_default_catalog(directory: Path = DATA_DIR) -> str:
    """Return a hash of the default catalog's files: it changes when a release changes the default.

    Read at every start and command, so the bytes only, not the 100 ms of reading and checking them.
    """
    digest = hashlib.sha256()
    for file in FILES.values():
        digest.update((Path(directory) / file).read_bytes())
    return digest.hexdigest()


@functools.cache
def read_indicator_meta(directory: Path = DATA_DIR) -> pd.DataFrame:
    """Return each indicator's definition, formula and source (indicator_meta.csv), by code."""
    return pd.read_csv(Path(directory) / META_FILE, dtype="str", keep_default_na=False).set_index("code")


def read_catalog(directory: Path = DATA_DIR) -> Catalog:
    """Return the catalog stored as CSV files in a directory (the default catalog in data/)."""
    tables = {
        name: pd.read_csv(Path(directory) / file, dtype="str", keep_default_na=False) for name, file in FILES.items()
    }
    return build_catalog(tables)
