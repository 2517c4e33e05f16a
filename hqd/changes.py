"""What an upload would change: each incoming value against the value in effect."""

from __future__ import annotations

import numpy as np
import pandas as pd

NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"


def compare_observations(current: pd.DataFrame, incoming: pd.DataFrame) -> pd.DataFrame:
    """Return the incoming rows with old_value and change (new, changed or unchanged)."""
    old = current[["indicator", "year", "value"]].rename(columns={"value": "old_value"})
    out = incoming.merge(old, on=["indicator", "year"], how="left")
    # Values pass through Excel and float text; a difference below 1e-9 relative is no change.
    same = np.isclose(out["value"], out["old_value"], rtol=1e-9, atol=0)
    out["change"] = np.where(out["old_value"].isna(), NEW, np.where(same, UNCHANGED, CHANGED))
    return out


def count_changes(compared: pd.DataFrame) -> dict[str, int]:
    """Return how many rows are new, changed and unchanged."""
    counts = compared["change"].value_counts()
    return {kind: int(counts.get(kind, 0)) for kind in (NEW, CHANGED, UNCHANGED)}
