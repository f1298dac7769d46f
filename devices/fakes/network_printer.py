"""A fake ESC/POS network printer on 127.0.0.1: records what it would print, answers DLE EOT.

It can be switched off (connections refused), made to stall (accepts, never reads or answers)
or to drop a connection after N bytes, so the spool's recovery is tested on a real socket.
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

READY = {1: 0x12, 2: 0x12, 4: 0x12}



@dataclass
class _Conn:
    """What the fake knows of one client connection."""

    drop: int | None  # close it after this many bytes (from drop_after when it connected)
    pending: bytes = b""  # an unfinished DLE EOT query, kept for the next read
    count: int = 0  # bytes received so far

class FakeNetworkPrinter:
    """Use as a context manager; `port` is chosen by the OS; `received` holds printed bytes only."""

    def __init__(self) -> None:
        self.status: dict[int, int] = dict(READY)
        self.received = bytearray()
        self.connections = 0
        self.stalled = False
        self.drop_after: int | None = None  # one-shot: close the next connection after this many bytes
        self.port = 0
        self._powered = True
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._listener: socket.socket | None = None
        self._sel = selectors.DefaultSelector()
        self._conns: dict[socket.socket, _Conn] = {}

    # --- scripting -------------------------------------------------------------------------
    def set_state(self, *, offline: bool = False, cover_open: bool = False, paper_out: bool = False,
                  paper_near_end: bool = False) -> None:
        """Script the DLE EOT answers (Epson bit layout)."""
        with self._lock:
            self.status = {
                1: 0x12 | (0x08 if offline or cover_open or paper_out else 0),
                2: 0x12 | (0x04 if cover_open else 0) | (0x20 if paper_out else 0),
                4: 0x12 | (0x60 if paper_out else 0) | (0x0C if paper_near_end else 0),
            }

    def power_off(self) -> None:
        """Like the switch: open connections die, new ones are refused."""
        with self._lock:
            self._powered = False

    def power_on(self) -> None:
        with self._lock:
            self._powered = True

    def printed(self) -> bytes:
        with self._lock:
            return bytes(self.received)

    def wait_for(self, predicate: Callable[[FakeNetworkPrinter], bool], timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate(self):
                return True
            time.sleep(0.01)
        return predicate(self)

    # --- life cycle ------------------------------------------------------------------------
    def start(self) -> FakeNetworkPrinter:
        self._listen()
        self._thread = threading.Thread(target=self._run, name="fake-network-printer", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)
        self._close_all()
        self._sel.close()

    def __enter__(self) -> FakeNetworkPrinter:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- the loop (only this thread touches sockets after start) ---------------------------
    def _listen(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        sock.listen(8)
        sock.setblocking(False)
        self.port = sock.getsockname()[1]
        self._listener = sock
        self._sel.register(sock, selectors.EVENT_READ, None)

    def _close_all(self) -> None:
        for conn in list(self._conns):
            self._drop(conn)
        if self._listener is not None:
            with contextlib.suppress(KeyError, ValueError):
                self._sel.unregister(self._listener)
            self._listener.close()
            self._listener = None

    def _drop(self, conn: socket.socket) -> None:
        with contextlib.suppress(KeyError, ValueError):
            self._sel.unregister(conn)
        self._conns.pop(conn, None)
        conn.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                powered = self._powered
            if not powered and self._listener is not None:
                self._close_all()
            elif powered and self._listener is None:
                self._listen()
            for key, _ in self._sel.select(timeout=0.02):
                if key.fileobj is self._listener:
                    self._accept()
                elif not self.stalled:
                    self._read(cast(socket.socket, key.fileobj))  # only sockets are registered

    def _accept(self) -> None:
        assert self._listener is not None
        try:
            conn, _ = self._listener.accept()
        except OSError:
            return
        conn.setblocking(False)
        self.connections += 1
        self._conns[conn] = _Conn(drop=self.drop_after)
        self.drop_after = None
        self._sel.register(conn, selectors.EVENT_READ, None)

    def _read(self, conn: socket.socket) -> None:
        try:
            chunk = conn.recv(4096)
        except OSError:
            chunk = b""
        if not chunk:
            self._drop(conn)
            return
        state = self._conns[conn]
        if state.drop is not None:
            room = state.drop - state.count
            if room <= len(chunk):
                self._feed(conn, state, chunk[: max(room, 0)])
                self._drop(conn)
                return
        self._feed(conn, state, chunk)

    def _feed(self, conn: socket.socket, state: _Conn, chunk: bytes) -> None:
        data = state.pending + chunk
        state.count += len(chunk)
        out, i = bytearray(), 0
        while i < len(data):
            if data[i] == 0x10 and i + 1 >= len(data) or data[i : i + 2] == b"\x10\x04" and i + 2 >= len(data):
                break  # a status query split across reads: wait for the rest
            if data[i : i + 2] == b"\x10\x04":
                with self._lock:
                    reply = self.status.get(data[i + 2])
                if reply is not None:
                    with contextlib.suppress(OSError):
                        conn.send(bytes([reply]))
                i += 3
                continue
            out.append(data[i])
            i += 1
        state.pending = data[i:]
        with self._lock:
            self.received += out
