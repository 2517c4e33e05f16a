"""Fixtures of the unit tests: the command line run in this process, on a database of its own."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from contextlib import redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from support import copy_sqlite

from hqd.cli import main


@dataclass(frozen=True)
class Ran:
    """What one command did: exit code, standard output and error."""

    code: int
    out: str
    err: str

    def json(self) -> dict:
        return json.loads(self.out)


def run_main(args: list[str], stdin: str = "") -> int:
    """Run `python -m hqd ARGS` as hqd.cli.main(ARGS) in this process; return its exit code.

    Every engine a command opens is disposed when it returns, as the end of a process would close
    its connections: a database left open would, for one, make `restore` refuse.
    """
    opened: dict[int, sa.Engine] = {}

    def remember(connection) -> None:
        opened[id(connection.engine)] = connection.engine

    sa.event.listen(sa.Engine, "engine_connect", remember)
    saved, sys.stdin = sys.stdin, io.StringIO(stdin)
    try:
        return main(args)
    except SystemExit as done:  # argparse: --help, or a command line it cannot parse
        return done.code
    finally:
        sys.stdin = saved
        sa.event.remove(sa.Engine, "engine_connect", remember)
        for engine in opened.values():
            engine.dispose()


@pytest.fixture
def cli(tmp_path, monkeypatch, capsys) -> Callable[..., Ran]:
    """Return a runner of the command line on tmp_path/cli.db: cli(*args, expect=0, stdin=None)."""
    monkeypatch.setenv("HQD_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")

    def run(*args: str, expect: int = 0, stdin: str | None = None) -> Ran:
        capsys.readouterr()
        code = run_main(list(args), stdin or "")
        out, err = capsys.readouterr()
        assert code == expect, out + err
        assert "Traceback" not in err
        return Ran(code, out, err)

    return run


def made_by(tmp_path_factory, args: list[str]) -> Path:
    """Return a new database made by `python -m hqd ARGS`."""
    path = tmp_path_factory.mktemp("cli") / "made.db"
    with pytest.MonkeyPatch.context() as patch, redirect_stdout(io.StringIO()):
        patch.setenv("HQD_DATABASE_URL", f"sqlite:///{path}")
        assert run_main(args) == 0
    return path


@pytest.fixture(scope="session")
def sample_database(tmp_path_factory) -> Path:
    """Return a database made once by `python -m hqd init --sample` (the catalog and sample of data/)."""
    return made_by(tmp_path_factory, ["init", "--sample"])


@pytest.fixture(scope="session")
def catalog_database(tmp_path_factory) -> Path:
    """Return a database made once by `python -m hqd init` (the default catalog, no data)."""
    return made_by(tmp_path_factory, ["init"])


@pytest.fixture
def initialised(cli, catalog_database, tmp_path) -> None:
    """Make the command line's database a copy of the one `init` made: `cli` then runs on it."""
    copy_sqlite(catalog_database, tmp_path / "cli.db")


@pytest.fixture
def loaded(cli, sample_database, tmp_path) -> Callable[..., Ran]:
    """Return the command line runner on a copy of the database `init --sample` made."""
    copy_sqlite(sample_database, tmp_path / "cli.db")
    return cli
