"""Imports run one way: no module imports one that imports it back, and no layer imports a layer above it.

The imports are read from the source (ast), inside functions too, so that a circle cannot hide in a
deferred import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sources import nodes

from hqd.settings import ROOT

# From the top down; a module may import its own layer and any layer below it.
LAYERS = [
    ("pages", ["app_pages", "dashboard"]),
    ("ui", ["hqd.ui"]),
    (
        "services",
        [
            "hqd.views",
            "hqd.imports",
            "hqd.submissions",
            "hqd.bootstrap",
            "hqd.cli",
            "hqd.__main__",
            "hqd.accounts",
            "hqd.sample",
            "hqd.directives",
            "hqd.increments",
        ],
    ),
    (
        "presentation",
        [
            "hqd.charts",
            "hqd.svg",
            "hqd.tables",
            "hqd.briefing",
            "hqd.bulletin",
            "hqd.bulletin_docx",
            "hqd.bulletin_html",
            "hqd.i18n",
            "hqd.formatting",
        ],
    ),
    (
        "intake and storage",
        ["hqd.intake", "hqd.reports", "hqd.revisions", "hqd.workbook", "hqd.reading", "hqd.browser", "hqd.store"],
    ),
    (
        "domain",
        [
            "hqd.catalog",
            "hqd.progress",
            "hqd.rollup",
            "hqd.inyear",
            "hqd.supervision",
            "hqd.assessment",
            "hqd.quality",
            "hqd.explore",
            "hqd.changes",
            "hqd.labels",
            "hqd.problems",
            "hqd.policy",
            "hqd.refusal",
            "hqd.text",
            "hqd.memo",
        ],
    ),
    ("settings", ["hqd.settings", "hqd"]),
]


def module_name(path: Path) -> str:
    """Return the dotted name of a source file (a package by its __init__)."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


SOURCES = {
    module_name(p): p
    for p in [*ROOT.joinpath("hqd").rglob("*.py"), *ROOT.joinpath("app_pages").glob("*.py"), ROOT / "dashboard.py"]
}


def resolve(name: str) -> str | None:
    """Return the module of ours a dotted name is, or is in (hqd.store.Engine -> hqd.store); None for others."""
    while name:
        if name in SOURCES:
            return name
        name = name.rpartition(".")[0]
    return None


def imports_of(module: str) -> set[str]:
    """Return the modules of ours a module imports, anywhere in it."""
    found = set()
    package = module if SOURCES[module].name == "__init__.py" else module.rpartition(".")[0]
    for node in nodes(SOURCES[module]):
        if isinstance(node, ast.Import):
            found |= {resolve(alias.name) for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            # `from hqd.store import schema` imports the submodule; `from hqd.store import Engine` the package.
            found |= {resolve(f"{base}.{alias.name}") or resolve(base) for alias in node.names}
    return found - {None, module}


GRAPH = {module: imports_of(module) for module in SOURCES}


def layer_of(module: str) -> int:
    """Return the index of a module's layer: the longest prefix listed wins."""
    matches = [
        (len(prefix), index)
        for index, (_, prefixes) in enumerate(LAYERS)
        for prefix in prefixes
        if module == prefix or module.startswith(prefix + ".")
    ]
    if not matches:
        raise AssertionError(f"{module} is in no layer: add it to LAYERS")
    return max(matches)[1]


def upward_imports() -> set[tuple[str, str]]:
    """Return every (importer, imported) where the imported module sits in a higher layer."""
    return {
        (module, imported)
        for module, imported_modules in GRAPH.items()
        for imported in imported_modules
        if layer_of(imported) < layer_of(module)
    }


def find_circle(graph: dict[str, set[str]]) -> list[str] | None:
    """Return one circle in a graph of imports (a, b, ..., a), or None."""
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = "open"
        path.append(module)
        for imported in sorted(graph[module]):
            if state.get(imported) == "open":
                return path[path.index(imported) :] + [imported]
            if imported not in state and (circle := visit(imported)):
                return circle
        state[module] = "done"
        path.pop()
        return None

    for module in sorted(graph):
        if module not in state and (circle := visit(module)):
            return circle
    return None


def test_the_walk_sees_the_imports():
    # Direct, from-, package and deferred imports are all read; a walk that saw nothing would pass anything.
    assert "hqd.store.schema" in GRAPH["hqd.store.migrations"]
    assert "hqd.store" in GRAPH["hqd.imports"] and "hqd.policy" in GRAPH["hqd.imports"]
    assert {"hqd.ui.auth", "hqd.ui.shell"} <= GRAPH["dashboard"]


def test_no_import_circles():
    assert find_circle(GRAPH) is None


@pytest.mark.parametrize("module", sorted(SOURCES))
def test_every_module_has_a_layer(module):
    layer_of(module)


def test_no_upward_imports():
    assert upward_imports() == set()


@pytest.mark.parametrize(
    ("graph", "circle"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, ["a", "b", "c", "a"]),
        ({"a": {"b"}, "b": {"c"}, "c": set()}, None),
        ({"a": {"b", "c"}, "b": {"c"}, "c": set()}, None),
    ],
)
def test_the_circle_search_finds_circles_and_only_circles(graph, circle):
    assert find_circle(graph) == circle
