"""MD5 for verified loose files that have none: what ``serve --s3`` sends as their ETag.

A source that states no MD5 (Azure blobs uploaded in blocks, multipart S3 objects, plain
HTTPS) leaves the lock without one, and apply hashes only what the lock states: MD5 runs at
about 0.6 GB/s a core, the pin (xxh3) ten times faster. A lab serving its target on in the
S3 dialect wants MD5 ETags all the same — aws cli and rclone check downloads against them — so
``mlhub-sync mirror digest PROJECT`` (and ``serve --s3``, in a low-priority background
process) hashes those files once and records the MD5 in the target's state.

Safe beside ``apply``: files are hashed without the apply lock; results are written under it,
in short commits, and only to records that still describe the bytes that were hashed (same
size, mtime, inode, and the read's xxh3 equal to the record's). A commit that finds the lock
busy waits for the next one; the last waits for the apply to end. One digest runs per target
at a time (``digest.lock``): a second finds it held and leaves the work to it.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from ..digests import PIN, hash_file
from .layout import DIGEST_LOCK, archive_key, final_parts
from .lockfile import Lock, LockedCollection, LockedDataset
from .planner import verified_stat
from .project import Project
from .state import ArchiveRecord, State, merge_records, target_lock

COMMIT_EVERY = 2.0  # seconds of hashing between two writes of the state


@dataclass(frozen=True, slots=True)
class Verified:
    """A loose file on disk that the state and the lock agree on."""

    dataset: LockedDataset
    entry: LockedCollection
    key: str  # the state's key
    path: str
    record: ArchiveRecord
    stat: os.stat_result

    @property
    def md5(self) -> str | None:
        return self.entry.digests.get("md5") or self.record.md5


def verified_loose(lock: Lock, target: Path, state: State) -> Iterator[Verified]:
    """Every verified file of the lock's loose datasets, in lock order."""
    for dataset in lock.datasets:
        if not dataset.loose:
            continue
        folder, suffix = final_parts(str(target), dataset.id, True)
        prefix = archive_key(dataset.id, "")
        for entry in dataset.collections:
            key, path = prefix + entry.id, folder + entry.id + suffix
            record = state.records.get(key)
            stat = verified_stat(path, record, entry)
            if stat is not None and record is not None:
                yield Verified(dataset, entry, key, path, record, stat)


@dataclass
class Filled:
    recorded: int = 0  # MD5s written to the state
    changed: int = 0  # files that changed before their MD5 was written: left as they are
    todo: int = 0  # files that had no MD5
    unreadable: list[str] = field(default_factory=list)  # "path: why", not hashed


def fill_md5(project: Project, warn: Callable[[str], None]) -> Filled | None:
    """Hash every verified loose file of ``project`` that has no MD5; record the MD5s. None
    when another ``mirror digest`` is at work on the target (two would hash the same files:
    each server worker, and each restart, may start one)."""
    target = project.manifest.target
    lock = project.require_lock(check_fresh=False)
    try:
        with target_lock(target, DIGEST_LOCK, "mirror digest", warn, wait=False):
            return _fill(lock, target, warn)
    except BlockingIOError:
        return None


def _fill(lock: Lock, target: Path, warn: Callable[[str], None]) -> Filled:
    todo = [f for f in verified_loose(lock, target, State.load(target, warn)) if f.md5 is None]
    filled = Filled(todo=len(todo))
    found: dict[str, tuple[ArchiveRecord, str]] = {}
    last = time.monotonic()
    for file in todo:
        try:
            digests = hash_file(Path(file.path), [PIN, "md5"])
        except FileNotFoundError:
            continue  # gone since it was listed: changed
        except OSError as exc:
            filled.unreadable.append(f"{file.path}: {exc.strerror or exc}")
            continue
        if digests[PIN] != file.record.xxh3_128:
            continue  # changed since it was verified
        found[file.key] = (file.record, digests["md5"])
        if time.monotonic() - last >= COMMIT_EVERY:
            try:
                _commit(target, found, filled, warn, wait=False)
            except BlockingIOError:
                continue  # an apply is running: keep these for the next commit
            found.clear()
            last = time.monotonic()
    if found:
        _commit(target, found, filled, warn, wait=True)
    filled.changed = filled.todo - filled.recorded - len(filled.unreadable)
    return filled


def _commit(
    target: Path,
    found: dict[str, tuple[ArchiveRecord, str]],
    filled: Filled,
    warn: Callable[[str], None],
    wait: bool,
) -> None:
    """Write the MD5s whose records still describe the hashed bytes (counted in ``filled``)."""
    updates = {key: partial(_with_md5, hashed, md5) for key, (hashed, md5) in found.items()}
    filled.recorded += len(merge_records(target, updates, warn, wait))


def _with_md5(hashed: ArchiveRecord, md5: str, now: ArchiveRecord | None) -> ArchiveRecord | None:
    """``now`` with ``md5``, if it is still the record of the bytes that were hashed."""
    same = now is not None and (now.path, now.size, now.mtime_ns, now.inode, now.xxh3_128) == (
        hashed.path,
        hashed.size,
        hashed.mtime_ns,
        hashed.inode,
        hashed.xxh3_128,
    )
    return dataclasses.replace(now, md5=md5) if same and now is not None else None
