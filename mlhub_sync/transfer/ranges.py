"""Byte-range arithmetic (pure): which parts of a file are done, which are missing, and how
to cut the missing ones into segments for parallel connections. Ranges are ``[start, end)``."""

from __future__ import annotations

from collections.abc import Iterable

Range = tuple[int, int]
ALIGN = 64 * 1024  # segment boundaries fall on 64 KiB: page- and block-friendly


def merge(ranges: Iterable[Range]) -> list[Range]:
    """Sorted, non-overlapping, adjacent ranges joined; empty ranges dropped."""
    merged: list[Range] = []
    for start, end in sorted(r for r in ranges if r[1] > r[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def missing(done: Iterable[Range], size: int) -> list[Range]:
    """The complement of ``done`` within ``[0, size)``."""
    gaps: list[Range] = []
    position = 0
    for start, end in merge(done):
        if start > position:
            gaps.append((position, min(start, size)))
        position = max(position, end)
        if position >= size:
            break
    if position < size:
        gaps.append((position, size))
    return [g for g in gaps if g[1] > g[0]]


def covered(ranges: Iterable[Range]) -> int:
    return sum(end - start for start, end in merge(ranges))


def prefix(done: Iterable[Range]) -> int:
    """How far ``[0, n)`` is done without a gap (what can be hashed in order)."""
    merged = merge(done)
    return merged[0][1] if merged and merged[0][0] == 0 else 0


def segments(gaps: list[Range], connections: int, min_size: int) -> list[Range]:
    """Cut ``gaps`` into at most ``connections`` segments of at least ``min_size`` bytes
    (a gap smaller than that stays whole), biggest gaps cut first."""
    pieces = list(gaps)
    while len(pieces) < connections:
        index = max(range(len(pieces)), key=lambda i: pieces[i][1] - pieces[i][0], default=None)
        if index is None:
            break
        start, end = pieces[index]
        middle = align(start + (end - start) // 2)
        if middle - start < min_size or end - middle < min_size:
            break
        pieces[index : index + 1] = [(start, middle), (middle, end)]
    return sorted(pieces)


def align(offset: int) -> int:
    return offset - offset % ALIGN


def steal_point(position: int, end: int, min_size: int) -> int | None:
    """Where to cut a running segment ``[position, end)`` so an idle connection can take the
    second half, or None when what is left is too small to be worth a new request."""
    if end - position < 2 * min_size:
        return None
    middle = align(position + (end - position) // 2)
    return middle if middle - position >= min_size and end - middle >= min_size else None
