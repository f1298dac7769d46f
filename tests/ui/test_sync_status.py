"""The till window syncs in the background and says so in the status bar: real tills enrolled in a
real PostgreSQL database, the real window, database worker and sync thread, offscreen.

The central store is reached through a TCP gate that refuses connections until it is opened, so
"the server is down" and "it is back" are the real network conditions, not a stand-in."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app.bootstrap import open_till
from app.sync import worker
from app.sync.connection import SETTINGS_FILE, CentralSettings, write_private
from db.central.schema import connect, upgrade
from kernel.clock import ManualClock
from tests.central.conftest import pg_url, unique_store  # noqa: F401 - pg_url is a fixture used below
from tests.central.tills import audit_rows, make_synced_till
from tests.support.till import make_till
from tests.ui.conftest import Driver, off_gui
from ui import i18n
from ui.main import SYNC_INTERVAL_ENV, build, shutdown, sync_interval
from ui.ops import QueryOp
from ui.sync_bridge import THREAD_NAME, SyncBridge

pytestmark = pytest.mark.pg
NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)  # the GUI's clock: "Synced 09:30"
SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


@pytest.fixture(scope="module")
def url(pg_url: str) -> str:  # noqa: F811 - the imported fixture, by name
    upgrade(pg_url)
    return pg_url


class Gate:
    """A TCP port in front of the real PostgreSQL. Closed, it is bound but not listening, so a
    connection is refused as from a host whose server is down. Listening, it accepts and holds
    each connection without a word (a server that does not answer) until `release` makes it a
    byte pump to the server, for held connections and new ones alike."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.conns: list[socket.socket] = []
        self.held: list[socket.socket] = []
        self.flowing = False
        self.lock = threading.Lock()

    def listen(self) -> None:
        self.sock.listen(16)
        threading.Thread(target=self._accept, daemon=True).start()

    def release(self) -> None:
        with self.lock:
            self.flowing, held, self.held = True, self.held, []
        for client in held:
            self._forward(client)

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(client)
            with self.lock:
                if not self.flowing:
                    self.held.append(client)
                    continue
            self._forward(client)

    def _forward(self, client: socket.socket) -> None:
        upstream = socket.create_connection(self.target)
        self.conns.append(upstream)
        for src, dst in ((client, upstream), (upstream, client)):
            threading.Thread(target=self._pump, args=(src, dst), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        with suppress(OSError):
            while data := src.recv(65536):
                dst.sendall(data)
        with suppress(OSError):
            dst.shutdown(socket.SHUT_WR)

    def close(self) -> None:
        for s in (self.sock, *self.conns):
            s.close()


def connected_till(url: str, tmp_path: Path, **kw: Any) -> tuple[Any, CentralSettings]:
    """A demo till that sold offline, enrolled and connected; reopened on the GUI's clock."""
    ctx, settings = make_synced_till(url, tmp_path / "till", unique_store(), **{"days": 1, "sales": 6, **kw})
    return open_till(tmp_path / "till", ManualClock(NOW)), settings


def central_rows(url: str, till: str) -> list[tuple[int, str]]:
    with connect(url) as conn:
        return [(int(s), h) for s, h in conn.execute(
            "SELECT seq, hash FROM raw_entries WHERE till = %s ORDER BY seq, hash", (till,))]


def sync_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith(THREAD_NAME) and t.is_alive()]


@contextmanager
def window(qtbot: Any, ctx: Any) -> Iterator[tuple[Any, list[tuple[Any, str]]]]:
    """The till window syncing every 0.1 s (backoff from 0.05 s); yields it and every sync status
    it received with the status-bar text it showed. Shut down like `ui.main.run` does."""
    shell = build(ctx, io_timeout=1.0, sync_interval_s=0.1, sync_backoff=worker.Backoff(base_s=0.05, cap_s=0.2))
    seen: list[tuple[Any, str]] = []
    shell.sync_state.connect(lambda state: seen.append((state, shell.status.sync.text())))
    shell.resize(1024, 768)
    shell.show()
    try:
        yield shell, seen
    finally:
        shutdown(shell)
        shell.close()
        shell.deleteLater()


def sale_screen(shell: Any, qtbot: Any) -> None:
    """Log in as the demo cashier, open a shift and scan an item: the screen the cashier sees."""
    drv = Driver(shell, None, None, None, qtbot)  # type: ignore[arg-type] - no devices needed here
    drv.tap("user_u-anna")
    drv.keypad(shell.screens["login"], "1111")
    drv.enter(shell.screens["login"])
    drv.type("count_5000", "2")
    drv.tap("shOpen")
    drv.type("scan", "BAK-0001", enter=True)
    assert shell.current() == "sale" and shell.screens["sale"].table.rowCount() == 1


def snapshot(shell: Any, qtbot: Any, name: str) -> None:
    """Save the window as the cashier sees it (docs/screenshots/14-sync-error.png is one of these)."""
    qtbot.wait(100)  # let the layout take the new text before the picture; nothing is asserted on time
    SHOTS.mkdir(parents=True, exist_ok=True)
    shell.grab().save(str(SHOTS / name))


def test_unsynced_sales_wait_then_sync_and_land_in_the_central_store(qtbot: Any, url: str, tmp_path: Path) -> None:
    ctx, settings = connected_till(url, tmp_path)
    waiting = len(off_gui(audit_rows, ctx))
    assert central_rows(url, settings.till) == []
    with window(qtbot, ctx) as (shell, seen):
        qtbot.waitUntil(lambda: any(s is not None and s.state == "ok" for s, _ in seen), timeout=30000)
        texts = [text for _s, text in seen]
        assert texts[:2] == [f"Not synced yet · {waiting} waiting", f"Syncing… {waiting} waiting"]
        assert "Synced 09:30 · 0 waiting" in texts
        assert shell.status.sync.property("kind") == "" and shell.status.sync.toolTip() == ""
        assert central_rows(url, settings.till) == off_gui(audit_rows, ctx)

        sale_screen(shell, qtbot)  # sold while connected: the next rounds take it along
        qtbot.waitUntil(lambda: central_rows(url, settings.till) == off_gui(audit_rows, ctx), timeout=30000)
        qtbot.waitUntil(lambda: shell.status.sync.text() == "Synced 09:30 · 0 waiting", timeout=30000)
        snapshot(shell, qtbot, "sync-synced.png")
    assert worker.status(ctx).unsynced == 0 and not sync_threads()


def test_unreachable_store_shows_the_error_gui_keeps_ticking_then_recovers(qtbot: Any, url: str,
                                                                             tmp_path: Path) -> None:
    ctx, settings = connected_till(url, tmp_path)
    gate = Gate(settings.conninfo["host"], int(settings.conninfo["port"]))
    gated = CentralSettings(settings.till, settings.store_id, {**settings.conninfo, "port": str(gate.port)})
    write_private(tmp_path / "till" / SETTINGS_FILE, json.dumps(gated.to_json()))
    ticks: list[int] = []
    timer = QTimer(interval=10, timeout=lambda: ticks.append(1))
    timer.start()
    try:
        with window(qtbot, ctx) as (shell, seen):
            label = shell.status.sync

            def errors() -> list[Any]:
                return [s for s, _ in seen if s is not None and s.state == "error"]

            # refused: the error in red, the error itself as the tooltip, and the rounds go on
            qtbot.waitUntil(lambda: label.property("kind") == "error", timeout=30000)
            first = errors()[0]
            assert label.text() == f"Sync error – {first.unsynced} waiting"
            assert label.toolTip() == first.last_error and str(gate.port) in label.toolTip()
            qtbot.waitUntil(lambda: len(errors()) >= 3, timeout=30000)
            sale_screen(shell, qtbot)  # selling goes on while the store is away
            qtbot.waitUntil(lambda: label.text() == f"Sync error – {len(off_gui(audit_rows, ctx))} waiting",
                            timeout=30000)
            snapshot(shell, qtbot, "sync-error.png")
            assert central_rows(url, settings.till) == []

            # a server that takes the connection and does not answer: a round hangs on it (until the
            # connect timeout) while the GUI thread keeps ticking
            gate.listen()
            qtbot.waitUntil(lambda: bool(gate.held) and seen[-1][0].state == "syncing", timeout=30000)
            assert label.text().startswith("Syncing… ")
            statuses, ticked = len(seen), len(ticks)
            qtbot.waitUntil(lambda: len(ticks) >= ticked + 5, timeout=5000)
            assert len(seen) == statuses  # the ticks came while that round was still in flight

            gate.release()  # the server answers: the held round goes through
            qtbot.waitUntil(lambda: label.text() == "Synced 09:30 · 0 waiting", timeout=30000)
            assert label.property("kind") == "" and label.toolTip() == ""
            assert central_rows(url, settings.till) == off_gui(audit_rows, ctx)
    finally:
        timer.stop()
        gate.close()


def test_a_till_not_connected_says_not_set_up_and_starts_no_thread(qtbot: Any, tmp_path: Path) -> None:
    till = make_till(tmp_path / "till")
    with window(qtbot, till.ctx) as (shell, seen):
        assert shell.status.sync.text() == "Sync: not set up"
        assert shell.status.sync.toolTip() == "This till is not connected to a central store."
        assert shell.sync.sync_thread is None and not sync_threads()
        qtbot.wait(300)  # said once, at start; nothing follows
        assert seen == [] and shell.sync.last is None


@pytest.mark.parametrize("content", [b"\x00\xff not json", b'{"v": 1, "till": "S001-T01"}', b"[]", b""])
def test_a_damaged_connection_file_is_an_error_in_the_bar_and_nothing_is_written(qtbot: Any, tmp_path: Path,
                                                                                content: bytes) -> None:
    till = make_till(tmp_path / "till")
    path = tmp_path / "till" / SETTINGS_FILE
    path.write_bytes(content)
    before = worker.status(till.ctx)
    with window(qtbot, till.ctx) as (shell, _seen):
        qtbot.waitUntil(lambda: shell.status.sync.property("kind") == "error", timeout=10000)
        assert shell.status.sync.text() == f"Sync error – {before.unsynced} waiting"
        tip = shell.status.sync.toolTip()
        assert "connection file" in tip or "cannot read" in tip, tip
        qtbot.waitUntil(lambda: not sync_threads(), timeout=10000)  # said why, then stopped
    assert path.read_bytes() == content and worker.status(till.ctx) == before


def test_a_connection_file_for_another_till_is_refused(qtbot: Any, tmp_path: Path) -> None:
    till = make_till(tmp_path / "till")
    other = CentralSettings("S999-T01", "S999", {"host": "127.0.0.1", "dbname": "x", "user": "u", "password": "p"})
    write_private(tmp_path / "till" / SETTINGS_FILE, json.dumps(other.to_json()))
    with window(qtbot, till.ctx) as (shell, _seen):
        qtbot.waitUntil(lambda: shell.status.sync.property("kind") == "error", timeout=10000)
        assert shell.status.sync.toolTip() == "the connection settings are for till S999-T01, not S001-T01"


@pytest.mark.parametrize("value", ["abc", "0", "-5", "nan", "inf", "1e9", "0.5", "30 s"])
def test_a_bad_sync_interval_is_refused_with_a_sentence(value: str) -> None:
    with pytest.raises(ValueError, match=f"{SYNC_INTERVAL_ENV} must be a number of seconds from 1 to 86400"):
        sync_interval(value)


def test_sync_interval_default_and_valid_values(tmp_path: Path) -> None:
    assert sync_interval(None) == 30.0 and sync_interval(" ") == 30.0 and sync_interval("5") == 5.0
    with pytest.raises(ValueError, match="positive"):
        SyncBridge(make_till(tmp_path / "till").ctx, interval_s=0)


def test_closing_mid_round_returns_and_leaves_no_thread(qtbot: Any, url: str, tmp_path: Path) -> None:
    """A round is held inside the server (the test holds the till's push lock): the GUI and the
    database worker go on, and closing the window cancels the round rather than waiting for it
    (the server would wait for the statement timeout, a minute)."""
    ctx, settings = connected_till(url, tmp_path)
    role = settings.conninfo["user"]
    ticks: list[int] = []
    timer = QTimer(interval=10, timeout=lambda: ticks.append(1))
    with connect(url, autocommit=True) as admin, connect(url) as holder:
        holder.execute("SELECT 1 FROM push_locks WHERE till = %s FOR UPDATE", (settings.till,))
        shell = build(ctx, io_timeout=1.0, sync_interval_s=0.1)
        shell.sync.join_timeout_s = 20.0  # far below the server's 60 s: only a cancelled round ends in time
        try:
            qtbot.waitUntil(lambda: admin.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE usename = %s AND wait_event_type = 'Lock'",
                (role,)).fetchone()[0] == 1, timeout=30000)
            waiting = f"Syncing… {len(off_gui(audit_rows, ctx))} waiting"
            qtbot.waitUntil(lambda: shell.status.sync.text() == waiting, timeout=10000)
            timer.start()
            qtbot.waitUntil(lambda: len(ticks) >= 5, timeout=10000)  # the GUI thread is free
            answered: list[Any] = []
            QueryOp(shell, worker.status, answered.append).run()  # and so is the database worker
            qtbot.waitUntil(lambda: bool(answered), timeout=10000)
            assert answered[0].state == "syncing"
            thread = shell.sync.sync_thread
        finally:
            timer.stop()
            shell.close()
            shutdown(shell)
            shell.deleteLater()
        assert not thread.is_alive()
        qtbot.waitUntil(lambda: not sync_threads(), timeout=10000)  # the cancel request's thread too
        assert admin.execute("SELECT count(*) FROM pg_stat_activity WHERE usename = %s AND state = 'active'",
                             (role,)).fetchone()[0] == 0
        assert central_rows(url, settings.till) == []  # the cancelled batch rolled back whole
        holder.rollback()
    after_close = worker.status(ctx)
    assert after_close.unsynced == len(off_gui(audit_rows, ctx))
    assert (after_close.state, after_close.last_error) == ("idle", None)  # a cancel is not a store error
    worker.sync_once(ctx, settings)  # nothing lost: the next round lands everything, once
    assert central_rows(url, settings.till) == off_gui(audit_rows, ctx)


def test_the_status_line_in_german(qtbot: Any, tmp_path: Path) -> None:
    """The sync line comes from the .qm catalogue like every other text; numbers use the locale."""
    till = make_till(tmp_path / "till")
    with window(qtbot, till.ctx) as (shell, _seen):
        app = QApplication.instance()
        translator = i18n.install(app, "de")
        try:
            assert translator is not None, "tillstone_de.qm is missing: run resources/i18n/make_ts.py"
            label = shell.status.sync
            shell.sync_state.emit(None)
            assert (label.text(), label.toolTip()) == ("Sync: nicht eingerichtet",
                                                       "Diese Kasse ist mit keiner Zentrale verbunden.")
            shell.sync_state.emit(worker.SyncStatus(unsynced=1234, state="error", last_error="refused"))
            assert (label.text(), label.toolTip()) == ("Sync-Fehler – 1.234 ausstehend", "refused")
            shell.sync_state.emit(worker.SyncStatus(unsynced=3, state="syncing"))
            assert label.text() == "Synchronisiere… 3 ausstehend" and label.property("kind") == ""
            shell.sync_state.emit(worker.SyncStatus(state="ok", last_success="2026-03-02T09:00:00.000000Z"))
            assert label.text() == "Synchronisiert 09:00 · 0 ausstehend"
            shell.sync_state.emit(worker.SyncStatus(state="ok", last_success="2026-02-27T09:00:00.000000Z"))
            assert label.text() == "Synchronisiert 27.02.26 · 0 ausstehend"
            shell.sync_state.emit(worker.SyncStatus(unsynced=7))
            assert label.text() == "Noch kein Sync · 7 ausstehend"
        finally:
            if translator is not None:
                app.removeTranslator(translator)
            i18n.install(app, "en")
