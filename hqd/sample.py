"""Sample data: deterministic 2020–2025 actuals for every catalog indicator (示例数据).

The values are invented, with a realistic mix of statuses, and travel through the same import
path as a user's upload. Regenerate the workbook in data/ with `python -m hqd.sample`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hqd.catalog import Catalog, read_catalog
from hqd.progress import compute_progress
from hqd.settings import SAMPLE_WORKBOOK
from hqd.workbook import write_template

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


def sample_workbook(catalog: Catalog) -> bytes:
    """Return the sample data as a workbook in the template format."""
    return write_template(catalog, generate_sample(catalog), period=PERIOD, title_note=NOTE)


if __name__ == "__main__":
    SAMPLE_WORKBOOK.write_bytes(sample_workbook(read_catalog()))
    print(f"wrote {SAMPLE_WORKBOOK}")
