"""Text as people type it, folded for matching: the same rule for a header, an indicator's name and a search."""

from __future__ import annotations

import re
import unicodedata


def fold_text(text: str) -> str:
    """Return text folded for matching: NFKC (full-width to half-width), no spaces, lower case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()
