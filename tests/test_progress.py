"""Progress output: on a terminal, bars that never share a line; in a log, a line every few
seconds while bytes move, and silence when they do not."""

from __future__ import annotations

import io
import time

import pytest

from mlhub_sync.progress import PeriodicProgress, TqdmProgress


def test_periodic_lines_only_while_bytes_move() -> None:
    lines: list[str] = []
    progress = PeriodicProgress(4 << 20, 4, interval=0.05, write=lines.append)
    try:
        progress.start("a", 1 << 20)
        progress.advance("a", 1 << 20)
        progress.finish("a")
        time.sleep(0.3)
        assert len(lines) == 1  # said once; nothing moved since
        assert lines[0].startswith("progress: 1.0 MiB of 4.0 MiB (25.0 %),")
        assert lines[0].endswith("1 of 4 files")
        progress.advance("b", 1 << 20)
        time.sleep(0.3)
        assert len(lines) == 2 and "(50.0 %)" in lines[1]
    finally:
        progress.close()


def test_bars_never_share_a_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stderr", io.StringIO())
    bars = TqdmProgress(100 << 20, 20)
    big = TqdmProgress.BIG
    try:
        active: set[str] = set()
        for round_ in range(5):
            for index in range(4):
                name = f"f{round_}-{index}"
                bars.start(name, big)
                active.add(name)
            for name in sorted(active)[:3]:
                bars.finish(name)
                active.discard(name)
            slots = [bars._slots[n] for n in active if n in bars._slots]
            assert len(slots) == len(set(slots)) and 0 not in slots  # line 0 is the total
        bars.start("small", 1024)
        assert "small" not in bars._slots  # a small file only moves the total
    finally:
        bars.close()
