"""Supervision (督办): which indicators need a department's explanation, and where each item stands.

Pure pandas over the frames hqd.store.read_supervision returns and the progress reports; no I/O.
"""

from __future__ import annotations

# The statuses a responsible department must explain (情况说明): behind 序时进度, a target missed, below baseline.
NEEDS_EXPLANATION = ("at_risk", "lagging", "missed", "regressing")
