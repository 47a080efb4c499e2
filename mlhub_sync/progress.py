"""Progress reporting: a small protocol, a tqdm implementation and a silent one.

Transfers report through ``ProgressReporter`` only, so the library never prints by itself:
bars appear when stderr is a terminal (or when asked), and nowhere else.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol


class ProgressReporter(Protocol):
    """Receives the progress of transfers; one ``name`` per archive, possibly in parallel."""

    def start(self, name: str, total: int, initial: int = 0) -> None: ...
    def advance(self, name: str, amount: int) -> None: ...
    def finish(self, name: str) -> None: ...


class SilentProgress:
    def start(self, name: str, total: int, initial: int = 0) -> None:
        pass

    def advance(self, name: str, amount: int) -> None:
        pass

    def finish(self, name: str) -> None:
        pass


def _bar(**options: Any) -> Any:
    from tqdm import tqdm

    return tqdm(
        unit="B", unit_scale=True, unit_divisor=1024, file=sys.stderr, dynamic_ncols=True, **options
    )


class TqdmProgress:
    """tqdm bars on stderr: an overall bar (bytes, rate, ETA, files done) when the total is
    known, and under it a bar for each of at most ``SHOWN`` large files in flight, each in a
    line of its own that no other bar takes while it runs (no overlapping redraws); small
    files only move the total — 10,000 bars of 1 KiB would be all flicker and no news."""

    SHOWN = 6
    BIG = 8 << 20  # a file this large gets a bar of its own

    def __init__(self, total_bytes: int | None = None, total_files: int | None = None) -> None:
        self._bars: dict[str, Any] = {}
        self._slots: dict[str, int] = {}
        self._lock = threading.Lock()
        self._files = total_files
        self._done = 0
        first = 1 if total_bytes else 0
        self._free = list(range(first, first + self.SHOWN))
        self._overall = _bar(total=total_bytes, desc="total", position=0) if total_bytes else None

    def start(self, name: str, total: int, initial: int = 0) -> None:
        with self._lock:
            if self._overall is not None and (total < self.BIG or not self._free):
                return  # counted in the total only
            slot = min(self._free) if self._free else len(self._slots)
            if self._free:
                self._free.remove(slot)
            self._slots[name] = slot
            self._bars[name] = _bar(
                total=total, initial=initial, desc=name[-40:], leave=False, position=slot
            )

    def advance(self, name: str, amount: int) -> None:
        bar = self._bars.get(name)
        if bar is not None:
            bar.update(amount)
        if self._overall is not None:
            self._overall.update(amount)

    def finish(self, name: str) -> None:
        with self._lock:
            bar = self._bars.pop(name, None)
            slot = self._slots.pop(name, None)
            if slot is not None and slot <= self.SHOWN:
                self._free.append(slot)
            self._done += 1
            if self._overall is not None and self._files:
                self._overall.set_postfix_str(f"{self._done:,}/{self._files:,} files")
        if bar is not None:
            bar.close()

    def close(self) -> None:
        if self._overall is not None:
            self._overall.close()


class PeriodicProgress:
    """For output that is not a terminal (a CI log, a pipe): one line every ``interval``
    seconds while bytes move — bytes and files done of the total, the rate — so a long run
    is never silent, and a log is not flooded."""

    def __init__(
        self,
        total_bytes: int,
        total_files: int,
        interval: float = 10.0,
        write: Callable[[str], None] | None = None,
    ) -> None:
        self._total, self._files, self._interval = total_bytes, total_files, interval
        self._write = write or (lambda line: print(line, file=sys.stderr, flush=True))
        self._moved = self._done = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._started = time.monotonic()
        self._thread = threading.Thread(target=self._run, name="mlhub-progress", daemon=True)
        self._thread.start()

    def start(self, name: str, total: int, initial: int = 0) -> None:
        with self._lock:
            self._moved += initial

    def advance(self, name: str, amount: int) -> None:
        with self._lock:
            self._moved += amount

    def finish(self, name: str) -> None:
        with self._lock:
            self._done += 1

    def line(self) -> str:
        from .units import human_bytes

        with self._lock:
            moved, done = self._moved, self._done
        rate = moved / max(time.monotonic() - self._started, 1e-9)
        share = 100 * moved / self._total if self._total else 100.0
        return (
            f"progress: {human_bytes(moved)} of {human_bytes(self._total)} ({share:.1f} %), "
            f"{human_bytes(int(rate))}/s, {done:,} of {self._files:,} files"
        )

    def _run(self) -> None:
        last = -1
        while not self._stop.wait(self._interval):
            with self._lock:
                moved = self._moved
            if moved != last:  # nothing new: say nothing
                self._write(self.line())
                last = moved

    def close(self) -> None:
        self._stop.set()
        self._thread.join()


def default_progress(enabled: bool | None = None) -> ProgressReporter:
    """Bars when ``enabled`` is True, or when it is None and stderr is a terminal."""
    if enabled is None:
        enabled = sys.stderr.isatty()
    return TqdmProgress() if enabled else SilentProgress()


def as_reporter(progress: bool | ProgressReporter | None) -> ProgressReporter:
    """The public ``progress=`` argument: a reporter, or True/False/None (auto) for bars."""
    if progress is None or isinstance(progress, bool):
        return default_progress(progress)
    return progress
