"""The device end of a pseudo-terminal pair, so serial drivers are tested on a real tty.

The driver opens `path` with pyserial like a real /dev/ttyS*; this side records what it
receives and answers through a responder (scripted replies, split frames, garbage or silence).
`unplug()` closes our end: the driver then reads nothing and its writes fail, as with a cable
pulled out.
"""

from __future__ import annotations

import contextlib
import os
import select
import threading
import time
import tty
from collections.abc import Callable

# A responder gets each chunk received and returns chunks to send back (sent with a small gap,
# so a list of pieces arrives as split frames), or None for silence.
Responder = Callable[[bytes], list[bytes] | None]


class PtyDevice:
    def __init__(self, responder: Responder | None = None, *, gap: float = 0.01) -> None:
        self.master, self.slave = os.openpty()
        tty.setraw(self.master)
        tty.setraw(self.slave)
        self.path = os.ttyname(self.slave)
        self.responder, self.gap = responder, gap
        self.received = bytearray()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._unplugged = False
        self._thread = threading.Thread(target=self._run, name="fake-pty-device", daemon=True)

    def start(self) -> PtyDevice:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.unplug()

    def __enter__(self) -> PtyDevice:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def unplug(self) -> None:
        """Close both ends, after our reader thread has left select(): a file still being polled is
        released (and the driver's side hung up) only when that poll returns."""
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
        with self._lock:
            if not self._unplugged:
                self._unplugged = True
                for fd in (self.master, self.slave):  # both: the /dev/pts node goes away, like a USB adapter
                    with contextlib.suppress(OSError):
                        os.close(fd)

    def send(self, data: bytes) -> None:
        """Bytes the device sends on its own (a serial scanner)."""
        with self._lock:
            if not self._unplugged:
                os.write(self.master, data)

    def data(self) -> bytes:
        with self._lock:
            return bytes(self.received)

    def wait_for(self, predicate: Callable[[bytes], bool], timeout: float = 5.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not predicate(self.data()):
            time.sleep(0.01)
        return predicate(self.data())

    def _run(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                if self._unplugged:
                    return
                fd = self.master
            try:
                ready, _, _ = select.select([fd], [], [], 0.02)
                chunk = os.read(fd, 4096) if ready else b""
            except OSError:
                continue  # no driver has the port open yet
            if not chunk:
                continue
            with self._lock:
                self.received += chunk
            replies = self.responder(chunk) if self.responder else None
            for piece in replies or []:
                time.sleep(self.gap)
                self.send(piece)
