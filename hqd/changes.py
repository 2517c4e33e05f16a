"""What an upload would change: each incoming value against the value in effect."""

from __future__ import annotations

import numpy as np
import pandas as pd

from hqd.problems import ERROR

NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"


def compare_observations(current: pd.DataFrame, incoming: pd.DataFrame) -> pd.DataFrame:
    """Return the incoming rows with old_value and change (new, changed or unchanged)."""
    key = ["indicator", "year", "month"]
    old = current[[*key, "value"]].rename(columns={"value": "old_value"})
    out = incoming.merge(old, on=key, how="left")
    # Values pass through Excel and float text; a difference below 1e-9 relative is no change.
    same = np.isclose(out["value"], out["old_value"], rtol=1e-9, atol=0)
    out["change"] = np.where(out["old_value"].isna(), NEW, np.where(same, UNCHANGED, CHANGED))
    return out


def drop_refused(incoming: pd.DataFrame, problems: pd.DataFrame) -> pd.DataFrame:
    """Return the incoming values without those refused: at a cell (sheet, row, column) an error names.

    A refused value (−5 people, 120 %) will not be stored, so it changes nothing; listing it as a
    change would tell the reader the opposite of the error beside it.
    """
    errors = problems[problems["severity"] == ERROR]
    if incoming.empty or errors.empty:
        return incoming
    spots = pd.MultiIndex.from_frame(errors[["sheet", "row", "column"]].astype({"row": "float64"}))
    cells = pd.MultiIndex.from_frame(incoming[["sheet", "row", "column"]].astype({"row": "float64"}))
    return incoming[~cells.isin(spots)].reset_index(drop=True)


def count_changes(compared: pd.DataFrame) -> dict[str, int]:
    """Return how many rows are new, changed and unchanged."""
    counts = compared["change"].value_counts()
    return {kind: int(counts.get(kind, 0)) for kind in (NEW, CHANGED, UNCHANGED)}


def trace_lineage(history: pd.DataFrame) -> pd.DataFrame:
    """Return each uploaded value with the value it replaced and whether it is in effect now.

    `history` is every observation of one indicator with its upload (store.read_lineage). The
    value replaced is the one in effect just before the upload: the newest earlier upload of the
    same period (year and month) that had not been rolled back by then.
    """
    if history.empty:
        return history.assign(previous=pd.Series(dtype="float64"), in_effect=pd.Series(dtype="bool"))
    key = ["year", "month"] if "month" in history else ["year"]
    pairs = history.reset_index().merge(history, on=key, suffixes=("", "_before"))
    earlier = pairs["upload_id_before"] < pairs["upload_id"]
    standing = pairs["rolled_back_at_before"].isna() | (pairs["rolled_back_at_before"] > pairs["created_at"])
    before = pairs[earlier & standing].sort_values("upload_id_before").groupby("index")["value_before"].last()
    live = history[history["rolled_back_at"].isna()]
    current = live.groupby(key)["upload_id"].max().rename("current")
    out = history.assign(previous=before.reindex(history.index).to_numpy())
    newest = out[key].merge(current, left_on=key, right_index=True, how="left")["current"]
    out["in_effect"] = out["upload_id"].to_numpy() == newest.to_numpy()
    return out
