"""Sample data (示例数据): 十四五's 2020–2025 annual actuals, and 十五五's first months.

The annual figures are every 十四五 indicator's, with a realistic mix of statuses. The months are
2025 January–November and 2026 January–October of every 十五五 indicator reported monthly or
quarterly, at its frequency, with a seasonal shape (the Spring Festival months are slow, December
closes the year) and a mix of in-year standings against 序时进度. Everything is deterministic and
travels through the same import path as a user's upload. Regenerate the workbook in data/ with
`python -m hqd.sample`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hqd.catalog import Catalog, read_catalog
from hqd.inyear import DUE_MONTHS, report_in_year
from hqd.keytasks import month_end
from hqd.labels import format_period, period_kind
from hqd.progress import compute_progress
from hqd.settings import SAMPLE_WORKBOOK
from hqd.supervision import NEEDS_EXPLANATION
from hqd.workbook import add_sheet, write_template

SEED = 20201231
# The sample is the 十四五 period's annual figures, 2020–2025: a period that has ended.
PERIOD = "P14"
# Each profile: the pace kept in the early years, the completion reached in the final year,
# and the share of indicators that follow it.
PROFILES = {
    "achieved": ((1.00, 1.15), (1.02, 1.20), 0.20),
    "on_track": ((0.98, 1.10), (0.96, 0.995), 0.38),
    "at_risk": ((0.70, 0.92), (0.65, 0.90), 0.24),
    "lagging": ((0.30, 0.55), (0.25, 0.50), 0.12),
    "regressing": ((0.80, 1.00), (-0.30, -0.10), 0.04),
}
INTEGER_UNITS = {"个", "家", "件", "项", "人", "人次", "户", "所", "阶段"}
NOTE = "示例数据：数值仅为演示，并非真实统计。"

# The months: 十五五's first year, reported to October, and the year before it for 同比.
MONTHLY_PERIOD, MONTHLY_YEAR, LAST_MONTH = "P15", 2026, 10
MONTHLY_SHEET = "月度数据"
MONTHLY_HEADER = ["指标编码", "指标名称", "报告期", "数值", "单位"]
# Each in-year standing: the pace against the annual target's due share, and the share of indicators.
IN_YEAR_PROFILES = {
    "ahead": ((1.03, 1.12), 0.55),
    "slightly_behind": ((0.93, 0.99), 0.30),
    "behind": ((0.72, 0.86), 0.15),
}
# A year grows at most this much on the last: an indicator whose 2025 figure fell far short of
# 十五五's baseline does not leap to its trajectory within a year (it shows as behind instead).
MAX_GROWTH = 0.3
# Each month's share of a year's flow: the Spring Festival months are slow, December closes the year.
SEASON = np.array([0.055, 0.045, 0.085, 0.08, 0.085, 0.095, 0.08, 0.08, 0.085, 0.085, 0.09, 0.135])


def _decimals(unit: str, base: float) -> int:
    """Return how many decimals a figure of this unit is reported with."""
    if unit in INTEGER_UNITS:
        return 0
    return 3 if abs(base) < 1 else 1


def generate_sample(catalog: Catalog, period: str = PERIOD) -> pd.DataFrame:
    """Return sample observations (indicator, year, value, note) for every indicator of a period."""
    rng = np.random.default_rng(SEED)
    targets = catalog.targets(period)
    years = catalog.years(period)
    n = len(targets)
    shares = np.array([share for *_, share in PROFILES.values()])
    counts = np.floor(shares / shares.sum() * n).astype(int)
    counts[1] += n - counts.sum()
    profile = np.repeat(list(PROFILES), counts)[rng.permutation(n)]
    # A milestone stage once reached is not lost; give its regression to a measured indicator.
    stages = targets["direction"].eq("milestone").to_numpy()
    for i in np.flatnonzero(stages & (profile == "regressing")):
        j = np.flatnonzero(~stages & (profile == "at_risk"))[0]
        profile[[i, j]] = profile[[j, i]]
    early = rng.uniform(*np.array([PROFILES[p][0] for p in profile]).T)
    final = rng.uniform(*np.array([PROFILES[p][1] for p in profile]).T)

    expected = compute_progress(targets, pd.DataFrame(columns=["indicator", "year", "value"]), years)
    pe = expected["expected"].to_numpy().reshape(n, len(years))
    noise = 1 + rng.normal(0, 0.02, size=pe.shape)
    noise[:, [0, -1]] = 1
    # The pace drifts from the early one to the final one, faster towards the end.
    drift = np.linspace(0, 1, len(years)) ** 2
    pace = early[:, None] + (final - early)[:, None] * drift
    completion = pe * pace * noise
    base, target = targets["base_value"].to_numpy()[:, None], targets["target_value"].to_numpy()[:, None]
    values = base + completion * (target - base)
    values = np.where(targets["unit"].eq("%").to_numpy()[:, None], np.clip(values, 0, 100), values)
    values = np.where(targets["direction"].ne("up").to_numpy()[:, None] | (base >= 0), np.maximum(values, 0), values)

    out = pd.DataFrame(
        {
            "indicator": np.repeat(targets["code"].to_numpy(), len(years)),
            "year": np.tile(years, n),
            "value": values.ravel(),
        }
    )
    decimals = np.repeat(
        [_decimals(u, b) for u, b in zip(targets["unit"], targets["base_value"], strict=True)], len(years)
    )
    out["value"] = [round(v, d) for v, d in zip(out["value"], decimals, strict=True)]
    # A few figures not reported yet: three for the latest year, two for an earlier one.
    missing_latest = rng.choice(n, size=min(3, n), replace=False)
    missing_middle = rng.choice(np.setdiff1d(np.arange(n), missing_latest), size=min(2, max(n - 3, 0)), replace=False)
    drop = np.zeros((n, len(years)), dtype=bool)
    drop[missing_latest, -1] = True
    drop[missing_middle, len(years) // 2] = True
    out = out[~drop.ravel()].reset_index(drop=True)
    out["note"] = None
    return out


def _months_due(frequency: str, kind: str, last: int) -> list[int]:
    """Return the months a figure is reported for, up to `last`.

    A monthly year-to-date total is first published for 1—2月 (January alone is not, around the
    Spring Festival).
    """
    first = 2 if frequency == "month" and kind == "cumulative" else 1
    return [m for m in DUE_MONTHS[frequency] if first <= m <= last]


def generate_monthly_sample(catalog: Catalog, annual: pd.DataFrame) -> pd.DataFrame:
    """Return the months' sample figures (indicator, year, month, value, period) of 十五五's sub-annual indicators.

    `annual` is the annual sample (indicator, year, value): 2025's figure closes that year's
    months (it is the December one), 2026's months run towards the annual target on the
    trajectory, each indicator at the pace of its in-year profile.
    """
    rng = np.random.default_rng(SEED + 1)
    targets = catalog.targets(MONTHLY_PERIOD)
    targets = targets[targets["frequency"].ne("year")].reset_index(drop=True)
    n = len(targets)
    shares = np.array([share for _, share in IN_YEAR_PROFILES.values()])
    counts = np.floor(shares / shares.sum() * n).astype(int)
    counts[0] += n - counts.sum()
    profile = np.repeat(list(IN_YEAR_PROFILES), counts)[rng.permutation(n)]
    pace = rng.uniform(*np.array([IN_YEAR_PROFILES[p][0] for p in profile]).T)
    none = pd.DataFrame(columns=["indicator", "year", "value"])
    annual_target = compute_progress(targets, none, [MONTHLY_YEAR])["expected_value"].to_numpy()
    actual = annual.set_index(["indicator", "year"])["value"]

    rows = []
    for i, t in targets.iterrows():
        code, kind, frequency = t["code"], t["value_kind"], t["frequency"]
        december = actual.get((code, MONTHLY_YEAR - 1), t["base_value"])
        before = actual.get((code, MONTHLY_YEAR - 2))
        goal = annual_target[i]
        if t["direction"] == "up" and december > 0:
            goal = min(goal, december * (1 + MAX_GROWTH))
        noise = 1 + rng.normal(0, 0.03, size=(2, 12))
        for year, last, total in ((MONTHLY_YEAR - 1, 11, december), (MONTHLY_YEAR, LAST_MONTH, None)):
            months = _months_due(frequency, kind, last)
            if kind == "cumulative":
                flows = SEASON * noise[year - MONTHLY_YEAR + 1]
                # Last year's months add up to its December total; this year's run at the profile's pace.
                scale = total / flows.sum() if total is not None else goal * pace[i]
                values = {m: np.cumsum(flows)[m - 1] * scale for m in months}
            elif year < MONTHLY_YEAR:
                if before is None or pd.isna(before):
                    continue
                values = {m: before + (december - before) * m / 12 * noise[0, m - 1] ** 0.3 for m in months}
            else:
                step = (goal - december) * pace[i]
                values = {m: december + step * m / 12 * noise[1, m - 1] for m in months}
            if kind == "milestone":
                values = {m: float(np.clip(np.floor(v + 1e-9), december, annual_target[i])) for m, v in values.items()}
            for m, v in values.items():
                period = format_period(year, m, "zh", period_kind(frequency, kind, m))
                rows.append((code, t["name_zh"], year, m, v, period, t["unit"]))
    out = pd.DataFrame(rows, columns=["indicator", "name", "year", "month", "value", "period", "unit"])
    decimals = out["indicator"].map(
        {c: _decimals(u, b) for c, u, b in zip(targets["code"], targets["unit"], targets["base_value"], strict=True)}
    )
    value = np.where(out["unit"].eq("%"), out["value"].clip(0, 100), out["value"].clip(lower=0))
    out["value"] = [round(float(v), int(d)) for v, d in zip(value, decimals, strict=True)]
    return out


def sample_figures(catalog: Catalog) -> pd.DataFrame:
    """Return every sample figure (indicator, year, month, value): the years' (month 12) and the months'."""
    annual = generate_sample(catalog)
    monthly = generate_monthly_sample(catalog, annual)
    columns = ["indicator", "year", "month", "value"]
    return pd.concat([annual.assign(month=12)[columns], monthly[columns]], ignore_index=True)


# Supervision's sample (督办): what departments answered by the sample's reporting month, 2026年1—10月.
SAMPLE_CAUSES = (
    "受市场需求波动影响，部分重点企业订单减少，增速放缓。",
    "部分重点项目审批、入库进度慢于预期，未能按计划形成实物工作量。",
    "前期集中开工的项目尚未进入产出期，效益将在四季度释放。",
    "统计口径调整，部分企业数据尚未纳入，待下月补报。",
)
SAMPLE_MEASURES = (
    "建立重点企业月度调度机制，逐户跟踪帮扶，力争年底前追回进度。",
    "加快项目审批和入库，实行挂图作战，每周通报进展。",
    "加大政策兑现力度，推动项目早投产、早见效。",
    "与统计部门对接口径，按时补报数据并核实。",
)
# Of the milestones due by the reporting date: how many of a key task's are done, and how late some were.
SHARE_LATE_DONE = 0.25


def sample_reports(catalog: Catalog) -> dict[str, pd.DataFrame]:
    """Return the sample's supervision reports (hqd.store.commit_upload `reports`), deterministic.

    Explanations for about half the indicators behind at the sample's latest month; milestones due by then
    completed for most key tasks (a quarter of them after their date), the latest left open for some; a progress
    text (进展情况) for every third key task.
    """
    rng = np.random.default_rng(SEED + 2)
    report = report_in_year(catalog, sample_figures(catalog), MONTHLY_PERIOD, MONTHLY_YEAR, LAST_MONTH)
    rows = report.indicators
    behind = rows[(rows["month"] == LAST_MONTH) & rows["status"].isin(NEEDS_EXPLANATION)].sort_values("code")
    chosen = behind.iloc[sorted(rng.choice(len(behind), size=len(behind) // 2, replace=False))]
    picks = rng.integers(0, len(SAMPLE_CAUSES), size=len(chosen))
    explanations = pd.DataFrame(
        {
            "indicator": chosen["code"].to_numpy(),
            "year": MONTHLY_YEAR,
            "month": LAST_MONTH,
            "cause": [SAMPLE_CAUSES[i] for i in picks],
            "measures": [SAMPLE_MEASURES[i] for i in picks],
            "expected_by": pd.Timestamp(year=MONTHLY_YEAR, month=12, day=31).date(),
        }
    )
    reporting = pd.Timestamp(year=MONTHLY_YEAR, month=LAST_MONTH, day=1) + pd.offsets.MonthEnd(0)
    steps = catalog.milestones.assign(due_date=month_end(catalog.milestones["due"]))
    steps = steps[steps["due_date"] <= reporting].sort_values(["key_task", "step"])
    done, progress = [], []
    for number, (code, own) in enumerate(steps.groupby("key_task", sort=True)):
        # Most key tasks have done every milestone due; some leave the latest one or two open, if due within the
        # last year (an office would not let older ones stand).
        left = int(rng.choice([0, 0, 0, 1, 2]))
        latest = own.iloc[len(own) - left :] if left else own.iloc[:0]
        open_steps = latest[latest["due_date"] > reporting - pd.DateOffset(years=1)]
        finished = own.drop(index=open_steps.index)
        for step, due in zip(finished["step"], finished["due_date"], strict=True):
            late = rng.random() < SHARE_LATE_DONE
            offset = int(rng.integers(5, 60)) if late else -int(rng.integers(0, 40))
            done.append((code, int(step), min(due + pd.Timedelta(days=offset), reporting).date()))
        if number % 3 == 0:
            last = finished["description_zh"].iloc[-1] if len(finished) else ""
            following = own["description_zh"].iloc[len(finished)] if len(finished) < len(own) else ""
            text = f"已完成{len(finished)}个节点" + (f"，最近完成：{last}" if last else "")
            text += f"；正在推进：{following}。" if following else "；到期节点已全部完成。"
            progress.append((code, MONTHLY_YEAR, LAST_MONTH, text))
    return {
        "explanations": explanations,
        "milestone_reports": pd.DataFrame(done, columns=["key_task", "step", "completed_on"]),
        "key_task_reports": pd.DataFrame(progress, columns=["key_task", "year", "month", "progress"]),
    }


def sample_workbook(catalog: Catalog) -> bytes:
    """Return the sample data as a workbook: the annual template form, and the months in long form."""
    annual = generate_sample(catalog)
    monthly = generate_monthly_sample(catalog, annual)
    rows = monthly[["indicator", "name", "period", "value", "unit"]].to_numpy().tolist()
    return add_sheet(
        write_template(catalog, annual, period=PERIOD, title_note=NOTE), MONTHLY_SHEET, [MONTHLY_HEADER, *rows]
    )


if __name__ == "__main__":
    SAMPLE_WORKBOOK.write_bytes(sample_workbook(read_catalog()))
    print(f"wrote {SAMPLE_WORKBOOK}")
