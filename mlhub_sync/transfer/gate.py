"""How many files are in flight: as many as raise throughput, up to ``jobs``.

On a near, fast path (loopback, a LAN) two small files at a time already keep this process's
CPU busy, and more threads only fight over the interpreter lock (measured: 1,000 files of 1 KiB,
2 in flight 2.3 s, 8 in flight 3.1 s). Over a distant path each file waits mostly on latency,
and every extra file in flight adds throughput. So a run starts with two and doubles while
files per second or bytes per second still grow by a quarter — as segments add connections.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

START = 2
INTERVAL = 0.25  # seconds of measuring per step
GAIN = 1.25


class Gate:
    def __init__(self, most: int) -> None:
        self.most = max(1, most)
        self.limit = min(START, self.most)
        self._running = 0
        self._changed = threading.Condition()

    def enter(self, cancelled: Callable[[], bool]) -> bool:
        """Wait for a place; False when the run was cancelled meanwhile."""
        with self._changed:
            while self._running >= self.limit:
                if cancelled():
                    return False
                self._changed.wait(0.1)
            self._running += 1
            return True

    def leave(self) -> None:
        with self._changed:
            self._running -= 1
            self._changed.notify()

    def _set(self, limit: int) -> None:
        with self._changed:
            self.limit = limit
            self._changed.notify_all()

    def tune(
        self,
        progress: Callable[[], tuple[int, int]],
        finished: Callable[[], bool],
        sleep: Callable[[float], None],
    ) -> None:
        """Run in a thread: ``progress()`` is (files done, bytes moved) so far."""
        best: tuple[int, int] | None = None
        while self.limit < self.most and not finished():
            before = progress()
            sleep(INTERVAL)
            after = progress()
            rate = (after[0] - before[0], after[1] - before[1])
            if finished():
                return
            if best is not None and not (rate[0] > best[0] * GAIN or rate[1] > best[1] * GAIN):
                self._set(max(START, self.limit // 2))  # the last doubling did not pay
                return
            best = rate
            self._set(min(self.most, self.limit * 2))
