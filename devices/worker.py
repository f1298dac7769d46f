"""The device worker: one thread through which all device I/O goes (Electrum's pattern).

Callers never block on a device: `submit` returns a Future, recurring jobs (the print spool,
drawer and scale polling) say when they want to run next. Every device call has its own I/O
timeout, so a hung printer delays the queue by at most that long; a call that raises is
reported and the worker carries on, so an unplugged device recovers without a restart.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from devices.events import DeviceEvent, Observer, Observers

log = logging.getLogger(__name__)
Recurring = Callable[[], float | None]  # returns seconds until the next run, or None to stop
Call = tuple[Callable[..., Any], tuple[Any, ...], "Future[Any]"]  # a one-off call and where its result goes


class Handle:
    """A recurring job; `wake()` runs it as soon as the worker is free."""

    def __init__(self, worker: DeviceWorker, fn: Recurring, name: str) -> None:
        self.worker, self.fn, self.name = worker, fn, name
        self.cancelled = False

    def wake(self) -> None:
        self.worker._schedule(0.0, self)

    def cancel(self) -> None:
        self.cancelled = True


class DeviceWorker:
    def __init__(self, name: str = "devices", *, retry_after_error: float = 2.0) -> None:
        self.name = name
        self.retry_after_error = retry_after_error
        self.observers = Observers()
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, Handle | Call]] = []
        self._seq = itertools.count()
        self._stop = False
        self._thread: threading.Thread | None = None

    def add_observer(self, observer: Observer) -> None:
        self.observers.add(observer)

    def start(self) -> DeviceWorker:
        self._thread = threading.Thread(target=self._run, name=f"{self.name}-worker", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop after the current call (each has its own I/O timeout) and join the thread."""
        with self._cond:
            self._stop = True
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)

    def __enter__(self) -> DeviceWorker:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        """Run fn(*args) on the worker; the Future carries its result or exception."""
        future: Future[Any] = Future()
        self._schedule(0.0, (fn, args, future))
        return future

    def every(self, fn: Recurring, *, name: str = "", first_delay: float = 0.0) -> Handle:
        """Run fn now (or after first_delay) and again after the delay it returns."""
        handle = Handle(self, fn, name or getattr(fn, "__name__", "job"))
        self._schedule(first_delay, handle)
        return handle

    def _schedule(self, delay: float, item: Handle | Call) -> None:
        with self._cond:
            heapq.heappush(self._heap, (time.monotonic() + delay, next(self._seq), item))
            self._cond.notify_all()

    def _next(self) -> Handle | Call | None:
        with self._cond:
            while not self._stop:
                if self._heap and self._heap[0][0] <= time.monotonic():
                    return heapq.heappop(self._heap)[2]
                timeout = self._heap[0][0] - time.monotonic() if self._heap else None
                self._cond.wait(timeout)
            return None

    def _run(self) -> None:
        while (item := self._next()) is not None:
            if isinstance(item, Handle):
                self._run_recurring(item)
            else:
                fn, args, future = item
                if future.set_running_or_notify_cancel():
                    try:
                        future.set_result(fn(*args))
                    except BaseException as exc:
                        future.set_exception(exc)
        with self._cond:  # fail what is still queued so no caller waits forever
            for _, _, item in self._heap:
                if not isinstance(item, Handle) and item[2].set_running_or_notify_cancel():
                    item[2].set_exception(RuntimeError("the device worker has stopped"))
            self._heap.clear()

    def _run_recurring(self, handle: Handle) -> None:
        if handle.cancelled:
            return
        with self._cond:  # a wake() while queued would run it twice: drop duplicates
            self._heap = [entry for entry in self._heap if entry[2] is not handle]
            heapq.heapify(self._heap)
        try:
            delay = handle.fn()
        except Exception as exc:
            log.exception("device job %s failed", handle.name)
            self.observers.emit(DeviceEvent("worker", "error", f"{handle.name} failed: {exc}"))
            delay = self.retry_after_error
        if delay is not None and not handle.cancelled:
            self._schedule(delay, handle)
