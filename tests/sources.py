"""HQD's own source read as syntax trees, once per test process: the layout and wording tests walk every module of
hqd/ (collecting their cases from it), and parsing and walking it again in each of them cost seconds per worker."""

from __future__ import annotations

import ast
import functools
from pathlib import Path


@functools.cache
def parsed(path: Path) -> ast.Module:
    """Return a source file's syntax tree (shared: never change it)."""
    return ast.parse(path.read_text(encoding="utf-8"))


@functools.cache
def nodes(path: Path) -> tuple[ast.AST, ...]:
    """Return every node of a source file's syntax tree, as ast.walk gives them."""
    return tuple(ast.walk(parsed(path)))
