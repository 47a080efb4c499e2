"""``<name>.part``: the only file that ever holds unverified bytes, its lock and its journal.

- **Locked**: the ``.part`` is held with an exclusive ``flock`` for the whole download, across
  processes and threads (each opens its own descriptor), so two downloads of one file into one
  folder wait for each other instead of writing over each other.
- **Never through a link**: ``O_NOFOLLOW``; a link where ``.part`` should be is an error.
- **Preallocated**: sized to the file at the start (sparse), so segments ``pwrite`` anywhere.
- **Journalled** (see ``journal``): a resumed download trusts only what its journal lists.
- **Committed** by ``os.replace`` onto the final name, only after full verification.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from ..exceptions import TransferError
from ..fsutil import disk_error, open_owned
from ..sources.base import RemoteFile
from . import journal
from .journal import Journal
from .ranges import Range

PART_SUFFIX = ".part"
# Smaller files are not journalled: redoing one costs less than the journal's create, appends
# and unlink (measured: 1,000 files of 1 KiB, 25 % of the time went to journals).
JOURNAL_MIN = 64 << 10
JOURNAL_SUFFIX = ".part.journal"
LEGACY_META_SUFFIX = ".part.json"  # mlhub-sync 0.1's record; never trusted, removed on sight
_LOCK_POLL = 0.1


def part_path(final: Path) -> Path:
    return final.with_name(final.name + PART_SUFFIX)


def journal_path(final: Path) -> Path:
    return final.with_name(final.name + JOURNAL_SUFFIX)


def progress_of(final: Path, file: RemoteFile) -> int | None:
    """Bytes a resume of ``final`` would keep (from its journal), or None without a partial."""
    part = part_path(final)
    try:
        info = os.stat(part, follow_symlinks=False)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    ranges = journal.load(journal_path(final), Journal.header(file.version(), info))
    return sum(end - start for start, end in ranges or [])


class Partial:
    """One final path's partial download. Use ``held()`` around everything else."""

    def __init__(self, final: Path) -> None:
        self.final = final
        self.part = part_path(final)
        self.journal_path = journal_path(final)
        self.journal: Journal | None = None
        self.waited = False  # another download held the lock first (it may have finished)
        self._descriptor = -1
        self._sync_lock = threading.Lock()

    @property
    def descriptor(self) -> int:
        return self._descriptor

    @contextlib.contextmanager
    def held(
        self, cancelled: Callable[[], bool], on_wait: Callable[[str], None]
    ) -> Iterator[Partial]:
        """Open ``.part`` (creating it) and hold its lock; waits while another process or
        thread holds it, saying so once."""
        said = False
        while True:
            descriptor = self._open()
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(descriptor)
                if not said:
                    on_wait(f"waiting for another download of {self.final.name} to finish…")
                    said = self.waited = True
                if cancelled():
                    raise TransferError(f"stopped while waiting for {self.part}") from None
                time.sleep(_LOCK_POLL)
                continue
            if self._still_named(descriptor):
                break
            os.close(descriptor)  # renamed or removed while we waited: lock the new one
        self._descriptor = descriptor
        try:
            yield self
        finally:
            if self.journal is not None:
                self.journal.close()
                self.journal = None
            os.close(descriptor)  # releases the lock
            self._descriptor = -1

    def _open(self) -> int:
        try:
            descriptor = open_owned(
                self.part, os.O_RDWR | os.O_CREAT | getattr(os, "O_NONBLOCK", 0), 0o644
            )
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise TransferError(
                    f"{self.part} is a symbolic link; refusing to write through it "
                    "(remove it and run again)"
                ) from None
            raise disk_error(exc, self.part) from None
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            os.close(descriptor)
            raise TransferError(f"{self.part} exists and is not a regular file; remove it")
        return descriptor

    def _still_named(self, descriptor: int) -> bool:
        try:
            named = os.stat(self.part, follow_symlinks=False)
        except FileNotFoundError:
            return False
        held = os.fstat(descriptor)
        return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)

    def begin(self, remote: RemoteFile, resume: bool) -> list[Range]:
        """Prepare for ``remote``: the ranges already done when resuming its own partial,
        else a fresh, preallocated ``.part`` with an empty journal (and nothing done)."""
        info = os.fstat(self._descriptor)
        header = Journal.header(remote.version(), info)
        journalled = remote.size >= JOURNAL_MIN
        if resume and journalled and remote.validator is not None and info.st_size == remote.size:
            done = journal.load(self.journal_path, header)
            if done is not None:
                os.fdatasync(self._descriptor)  # from here on, what the journal lists is durable
                self.journal = Journal.rewrite(self.journal_path, header, done)
                return done
        try:
            if info.st_size:  # an earlier partial: forget its journal before dropping its bytes
                self.journal_path.unlink(missing_ok=True)
                self.final.with_name(self.final.name + LEGACY_META_SUFFIX).unlink(missing_ok=True)
                os.ftruncate(self._descriptor, 0)
            os.ftruncate(self._descriptor, remote.size)
            if journalled:
                self.journal = Journal.create(self.journal_path, header)
        except OSError as exc:
            raise disk_error(exc, self.part) from None
        return []

    def write(self, offset: int, data: bytes | memoryview) -> None:
        """Write ``data`` at ``offset`` (positional: segments never share a file position)."""
        view = memoryview(data)
        while view:
            written = os.pwrite(self._descriptor, view, offset)
            view, offset = view[written:], offset + written

    def record(self, start: int, end: int) -> None:
        if self.journal is None:  # a small file: redone whole if interrupted
            return
        try:
            self.journal.record(start, end)
        except OSError as exc:  # a full disk: the range is simply not listed, so not trusted
            raise disk_error(exc, self.journal_path) from None

    def sync(self) -> None:
        """Make what the journal lists so far durable (fdatasync), and say so in it."""
        if self.journal is None:
            return
        with self._sync_lock:
            lines = self.journal.lines()
            os.fdatasync(self._descriptor)
            self.journal.mark_synced(lines)

    def commit(self) -> None:
        """The verified ``.part`` becomes the final file (rename first: a kill in between
        leaves a journal without its ``.part``, which is never trusted)."""
        os.replace(self.part, self.final)
        if self.journal is not None:
            self.journal_path.unlink(missing_ok=True)

    def discard(self) -> None:
        for path in (self.part, self.journal_path):
            path.unlink(missing_ok=True)
