"""Progress reporting: a small protocol, a tqdm implementation and a silent one.

Transfers report through ``ProgressReporter`` only, so the library never prints by itself:
bars appear when stderr is a terminal (or when asked), and nowhere else.
"""

from __future__ import annotations

import sys
import threading
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
    """tqdm bars on stderr: one per active archive (bytes, rate, ETA) and, when the total
    to transfer is known, an overall bar above them."""

    def __init__(self, total_bytes: int | None = None) -> None:
        self._bars: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._overall = _bar(total=total_bytes, desc="total", position=0) if total_bytes else None

    def start(self, name: str, total: int, initial: int = 0) -> None:
        with self._lock:
            position = len(self._bars) + (1 if self._overall is not None else 0)
            self._bars[name] = _bar(
                total=total, initial=initial, desc=name, leave=False, position=position
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
        if bar is not None:
            bar.close()

    def close(self) -> None:
        if self._overall is not None:
            self._overall.close()


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
