"""The debug thread check: with a window up, SQL on its GUI thread is caught; the same query run
as an op (on the database worker) is not; with the check off nothing is hooked."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer

from app.bootstrap import forbid_database_on
from app.queries import people
from db import thread_check
from tests.support.till import make_till
from tests.ui.conftest import Driver
from ui.ops import QueryOp


def test_a_query_on_the_gui_thread_raises_and_is_recorded(driver: Driver) -> None:
    ctx = driver.shell.worker.ctx
    with pytest.raises(thread_check.WrongThread, match="SQL on the GUI thread"):
        people.users(ctx)
    assert len(thread_check.violations()) == 1
    assert "test_thread_check.py" in thread_check.violations()[0]  # it says where the call came from
    thread_check.clear()  # caught on purpose: the suite's own check must not fail this test


def test_a_slot_reading_on_the_gui_thread_is_caught_though_qt_swallows_the_exception(driver: Driver,
                                                                                      qtbot: Any) -> None:
    """A screen's slot is where a slip would be: Qt only prints what a slot raises, so the check
    also records it, and the suite fails any window test that leaves a record behind."""
    ctx = driver.shell.worker.ctx
    with qtbot.captureExceptions() as raised:
        QTimer.singleShot(0, lambda: people.users(ctx))
        qtbot.waitUntil(lambda: bool(raised), timeout=5000)
    assert isinstance(raised[0][1], thread_check.WrongThread)
    assert thread_check.violations()
    thread_check.clear()


def test_the_same_query_as_an_op_runs_on_the_worker(driver: Driver) -> None:
    answered: list[list[people.TillUser]] = []
    QueryOp(driver.shell, people.users, answered.append).run()
    driver.idle()
    assert {u.id for u in answered[0]} >= {"anna", "sofia"}
    assert thread_check.violations() == []


def test_off_unless_asked_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Production leaves TILLSTONE_THREAD_CHECKS unset: registering a thread then does nothing."""
    till = make_till(tmp_path / "till")
    monkeypatch.delenv(thread_check.ENV)
    forbid_database_on(threading.current_thread())
    try:
        assert [u.id for u in people.users(till.ctx)]
    finally:
        forbid_database_on(None)
    assert thread_check.violations() == []
