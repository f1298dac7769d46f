"""The till every attack starts from, as a copy per test or opened once and put back in place; and,
for the attacks made as a till's PostgreSQL role, the central tests' fresh database per module."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from app.audit.verify import VerifyReport
from app.bootstrap import DB_NAME, open_till
from app.usecases import audit
from kernel.clock import ManualClock
from tests.adversarial.history import build
from tests.central.conftest import pg_url  # noqa: F401  (the central attacks' database fixture)
from tests.support.tamper import drop_guards
from tests.support.till import START


@pytest.fixture(scope="session")
def history(tmp_path_factory) -> tuple[Path, dict[str, Any]]:
    return build(tmp_path_factory.mktemp("history"))


@pytest.fixture
def copy(history, tmp_path) -> tuple[Path, dict[str, Any]]:
    """A fresh copy of the history's data directory for one test."""
    src, seqs = history
    shutil.copytree(src, tmp_path / "till")
    return tmp_path / "till", seqs


class Live:
    """The history opened once, its guards dropped: `restore` puts the untouched file back in place
    (SQLite's backup API, which the open engine's next transaction sees), so a walk over a hundred
    attacks does not reopen the till for each."""

    def __init__(self, src: Path, work: Path) -> None:
        shutil.copytree(src, work / "till")
        self.data_dir = work / "till"
        self.con = sqlite3.connect(self.data_dir / DB_NAME, isolation_level=None)
        drop_guards(self.con)
        self.pristine = sqlite3.connect(work / "pristine.sqlite")
        self.con.backup(self.pristine)
        self.ctx = open_till(self.data_dir, clock=ManualClock(START))

    def restore(self) -> None:
        self.pristine.backup(self.con)

    def run(self, statement: str, params: tuple = ()) -> None:
        self.con.execute(statement, params)

    def verify(self) -> VerifyReport:
        return audit.verify(self.ctx)

    def close(self) -> None:
        self.ctx.close()
        self.con.close()
        self.pristine.close()


@pytest.fixture(scope="module")
def live(history, tmp_path_factory):
    src, _seqs = history
    opened = Live(src, tmp_path_factory.mktemp("live"))
    yield opened
    opened.close()
