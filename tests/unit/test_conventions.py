"""The layout rules of docs/ARCHITECTURE.md, checked on the source so that they stay true."""

from __future__ import annotations

import ast

import pytest
from sources import nodes

from hqd.settings import ROOT

CORE = sorted(p for p in (ROOT / "hqd").rglob("*.py") if "ui" not in p.relative_to(ROOT / "hqd").parts)
PAGES = sorted((ROOT / "app_pages").glob("*.py"))


def imported(path) -> set[str]:
    """Return the top-level names of the modules a file imports."""
    names = set()
    for node in nodes(path):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return {n.split(".")[0] if not n.startswith("hqd") else n for n in names}


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(ROOT)))
def test_core_never_imports_streamlit(path):
    assert "streamlit" not in imported(path)


# Excel files are written in workbook.py and read in reading.py, the module the reading process runs.
EXCEL = {"hqd/workbook.py", "hqd/reading.py"}


@pytest.mark.parametrize(
    ("library", "homes"),
    [("sqlalchemy", ("hqd/store/",)), ("openpyxl", tuple(EXCEL)), ("python_calamine", ("hqd/reading.py",))],
)
def test_database_and_excel_are_touched_only_by_their_modules(library, homes):
    users = {str(p.relative_to(ROOT)) for p in ROOT.joinpath("hqd").rglob("*.py") if library in imported(p)}
    assert all(user.startswith(homes) for user in users), users


@pytest.mark.parametrize("path", [*PAGES, ROOT / "dashboard.py"], ids=lambda p: p.name)
def test_pages_are_thin_scripts_over_hqd(path):
    outside = {m for m in imported(path) if m != "streamlit" and not m.startswith("hqd")}
    assert not outside, f"{path.name} imports {outside}: arithmetic belongs in hqd"
