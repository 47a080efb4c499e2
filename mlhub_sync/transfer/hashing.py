"""Digests of a file being downloaded, computed off the network threads.

Segments land out of order, so the hasher follows the *frontier* — the end of the part of the
file that is complete from byte 0 — and reads those bytes back with ``pread`` (from the page
cache, where they were just written) in order. Network threads only announce the frontier.
Hashing what is on disk, not what went by in memory, also covers the bytes a resume kept.
"""

from __future__ import annotations

import os
import threading

from ..digests import CHUNK_SIZE, Digests, MultiHasher

THREAD_MIN_SIZE = 8 << 20  # below this, hashing at the end costs less than a thread


class FrontierHasher:
    """Hashes ``[0, size)`` of an open file as ``advance`` says it is written."""

    def __init__(self, descriptor: int, size: int, algorithms: tuple[str, ...]) -> None:
        self._descriptor = descriptor
        self._size = size
        self._hasher = MultiHasher(algorithms)
        self._position = 0
        self._frontier = 0
        self._stopped = False
        self._error: BaseException | None = None
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None
        if size >= THREAD_MIN_SIZE:
            self._thread = threading.Thread(target=self._run, name="mlhub-hash", daemon=True)
            self._thread.start()

    def advance(self, frontier: int) -> None:
        with self._changed:
            if frontier > self._frontier:
                self._frontier = frontier
                self._changed.notify()

    def stop(self) -> None:
        """Give up (the download failed or was cancelled); the thread ends soon after."""
        with self._changed:
            self._stopped = True
            self._changed.notify()

    def result(self) -> Digests:
        """The digests of the whole file (call once every byte is written)."""
        self.advance(self._size)
        if self._thread is None:
            self._hash_until(self._size)
        else:
            self._thread.join()
        if self._error is not None:
            raise self._error
        return self._hasher.hexdigests()

    def _run(self) -> None:
        try:
            while True:
                with self._changed:
                    while self._frontier <= self._position and not self._stopped:
                        self._changed.wait()
                    if self._stopped:
                        return
                    target = self._frontier
                self._hash_until(target)
                if self._position >= self._size:
                    return
        except BaseException as exc:  # reported by result(), in the caller's thread
            self._error = exc

    def _hash_until(self, target: int) -> None:
        while self._position < target:
            chunk = os.pread(
                self._descriptor, min(CHUNK_SIZE, target - self._position), self._position
            )
            if not chunk:
                raise OSError(
                    f"the partial download shrank while it was hashed at {self._position:,}"
                )
            self._hasher.update(chunk)
            self._position += len(chunk)
