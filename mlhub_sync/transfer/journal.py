"""The journal of a partial download: which byte ranges of ``.part`` hold the right bytes.

``<name>.part.journal`` is a small text file, appended to and never rewritten in place::

    mlhub-sync journal 1
    {"version": {"size": …, "etag": …, "last_modified": …}, "part": [dev, ino], "boot": "…"}
    + 0 262144            ← bytes [0, 262144) were written (after the pwrite, never before)
    + 8388608 8650752
    s 2                   ← the first 2 range lines were fsynced to the device

Crash-safe by order alone: a range is appended only after its bytes were written, each line
with one ``write()`` on an ``O_APPEND`` descriptor (a SIGKILL cannot tear it), and a fresh
journal starts empty, so bytes a killed run left in ``.part`` are never trusted by accident.
A SIGKILL loses nothing the page cache holds; a reboot may — so ranges written in another
boot are trusted only up to the last ``s`` (sync) line. A torn or foreign line ends the
reading: what came before it stands, nothing after it counts.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

from ..fsutil import atomic_write, boot_id, open_owned, read_bounded
from .ranges import Range, merge

MAGIC = "mlhub-sync journal 1"
JOURNAL_LIMIT = 64 << 20  # at 4 MiB per line a 70 GB file needs < 1 MiB; a bigger one is not ours


class Journal:
    """An open journal, appended to by the threads writing its ``.part``."""

    def __init__(self, path: Path, descriptor: int, lines: int = 0) -> None:
        self.path = path
        self._descriptor = descriptor
        self._lines = lines  # range lines so far (what a sync line counts)
        self._lock = threading.Lock()

    @staticmethod
    def header(version: dict[str, object], part: os.stat_result) -> dict[str, Any]:
        return {"version": version, "part": [part.st_dev, part.st_ino], "boot": boot_id()}

    @classmethod
    def create(cls, path: Path, header: dict[str, Any]) -> Journal:
        """A new, empty journal (any old one is emptied first: none of its ranges count)."""
        descriptor = open_owned(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND)
        os.write(descriptor, f"{MAGIC}\n{json.dumps(header, sort_keys=True)}\n".encode())
        return cls(path, descriptor)

    @classmethod
    def rewrite(cls, path: Path, header: dict[str, Any], durable: list[Range]) -> Journal:
        """Replace the journal by one listing ``durable`` (the caller fsynced ``.part`` first):
        a resumed download's journal shrinks to one line per range instead of growing."""
        lines = [MAGIC, json.dumps(header, sort_keys=True)]
        lines += [f"+ {start} {end}" for start, end in durable]
        lines.append(f"s {len(durable)}")
        atomic_write(path, ("\n".join(lines) + "\n").encode(), durable=False)
        descriptor = open_owned(path, os.O_WRONLY | os.O_APPEND)
        return cls(path, descriptor, len(durable))

    def record(self, start: int, end: int) -> None:
        """Bytes ``[start, end)`` are written to ``.part`` (call after the pwrite returned)."""
        with self._lock:
            os.write(self._descriptor, f"+ {start} {end}\n".encode())
            self._lines += 1

    def lines(self) -> int:
        with self._lock:
            return self._lines

    def mark_synced(self, lines: int) -> None:
        """The first ``lines`` range lines are durable (call after ``fdatasync`` of ``.part``)."""
        with self._lock:
            os.write(self._descriptor, f"s {lines}\n".encode())

    def close(self) -> None:
        with self._lock:
            if self._descriptor >= 0:
                os.close(self._descriptor)
                self._descriptor = -1


def load(path: Path, expected: dict[str, Any]) -> list[Range] | None:
    """The trusted ranges of the journal at ``path``, or None when it cannot be trusted at all
    (absent, unreadable, another version, another ``.part`` file)."""
    try:
        text = read_bounded(path, JOURNAL_LIMIT, "download journal", follow=False)
    except (FileNotFoundError, OSError, ValueError):
        return None
    lines = text.decode("utf-8", errors="replace").split("\n")
    if len(lines) < 3 or lines[0] != MAGIC:
        return None
    try:
        header = json.loads(lines[1])
    except (ValueError, RecursionError):
        return None
    if not isinstance(header, dict) or any(
        header.get(key) != expected.get(key) for key in ("version", "part")
    ):
        return None
    same_boot = header.get("boot") is not None and header.get("boot") == boot_id()
    ranges: list[Range] = []
    durable = 0
    for line in lines[2:-1]:  # the last element is after the final newline: empty or torn
        parsed = _parse(line)
        if parsed is None:
            break
        if parsed[0] == "s":
            durable = max(durable, min(parsed[1], len(ranges)))
        else:
            ranges.append((parsed[1], parsed[2]))
    size = int(expected["version"]["size"])
    trusted = ranges if same_boot else ranges[:durable]
    return merge((max(0, a), min(b, size)) for a, b in trusted if 0 <= a < b)


def _parse(line: str) -> tuple[str, int, int] | None:
    parts = line.split(" ")
    try:
        if parts[0] == "+" and len(parts) == 3:
            return "+", int(parts[1]), int(parts[2])
        if parts[0] == "s" and len(parts) == 2:
            return "s", int(parts[1]), 0
    except ValueError:
        return None
    return None
