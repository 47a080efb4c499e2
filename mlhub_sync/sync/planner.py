"""Decide, then act: (lock, local state, files on disk) → an action and a reason per archive.

Pure: ``observe`` only stats files (and reads a partial's journal), ``decide`` and ``plan``
only compute. ``apply --dry-run`` prints the plan; ``apply`` executes it.

| local archive                                   | skip          | resume  | overwrite          |
|-------------------------------------------------|---------------|---------|--------------------|
| missing                                         | download      | download| download           |
| partial (our ``.part``, journalled)             | keep, report  | resume  | download from zero |
| complete and verified                           | keep          | keep    | keep               |
| wrong (smaller, larger, or digest ≠ pin)        | keep, report  | download| download           |
| foreign (a link, folder or device is there)     | refuse        | refuse  | refuse             |

A complete-sized file without a matching state record is "unverified": it is hashed locally
(``verify``) and then treated as verified or wrong. A smaller file at the final path is never
resumed from — nothing proves it is a prefix of the locked bytes — so it counts as wrong.
Something other than a regular file where the file belongs was not written by this tool: it is
reported and left alone (``--force`` included), and that archive fails.
"""

from __future__ import annotations

import os
import stat as stat_module
from dataclasses import dataclass
from pathlib import Path

from ..digests import PIN
from ..fsutil import kind_of
from ..sources.base import RemoteFile
from ..transfer.partial import progress_of
from .layout import archive_key, final_parts, final_path
from .lockfile import Lock, LockedCollection, LockedDataset
from .state import ArchiveRecord, State

# Local conditions
MISSING, PARTIAL, VERIFIED, UNVERIFIED, WRONG, FOREIGN = (
    "missing",
    "partial",
    "verified",
    "unverified",
    "wrong",
    "foreign",
)
# Actions
KEEP, REPORT, VERIFY, DOWNLOAD, RESUME, EXTRACT, REFUSE = (
    "keep",
    "report",
    "verify",
    "download",
    "resume",
    "extract",
    "refuse",
)


@dataclass(frozen=True, slots=True)
class Local:
    """What ``stat`` says about one archive, and what the state remembers of it."""

    size: int | None  # of the final file; None when absent
    part_done: int | None  # bytes our journalled ``.part`` holds; None without one
    record: ArchiveRecord | None  # only if it still matches the file's stat
    stale_record: bool  # a record existed but the file changed since
    extracted: bool  # the extraction this tool recorded exists and matches the archive
    foreign: str | None = None  # "a symbolic link", …: not a regular file where ours belongs


@dataclass(frozen=True, slots=True)
class Step:
    dataset: LockedDataset
    collection: LockedCollection
    condition: str
    action: str
    reason: str
    transfer_bytes: int  # what the action will download (0 for local actions)

    @property
    def key(self) -> str:
        return archive_key(self.dataset.id, self.collection.id)

    def to_dict(self) -> dict[str, object]:
        return {
            "dataset": self.dataset.id,
            "collection": self.collection.id,
            "condition": self.condition,
            "action": self.action,
            "reason": self.reason,
            "bytes": self.transfer_bytes,
        }


def locked_version(locked: LockedCollection) -> RemoteFile:
    """The version a lock entry names, as the journal of its partial would record it."""
    return RemoteFile(locked.id, "", locked.size, locked.etag, locked.last_modified)


def observe(
    target: Path, dataset_id: str, locked: LockedCollection, state: State, loose: bool = False
) -> Local:
    final = final_path(str(target), dataset_id, locked.id, loose)
    return _observe(target, final, archive_key(dataset_id, locked.id), locked, state)


def _observe(target: Path, final: str, key: str, locked: LockedCollection, state: State) -> Local:
    foreign = foreign_at(final)
    if foreign:
        return Local(None, None, None, stale_record=False, extracted=False, foreign=foreign)
    try:
        stat: os.stat_result | None = os.lstat(final)
    except FileNotFoundError:
        stat = None
    part_done = progress_of(Path(final), locked_version(locked)) if stat is None else None
    record = state.records.get(key)
    valid = record if record and stat and record.matches(stat) else None
    extracted = bool(
        valid
        and valid.extracted_to
        and valid.extracted_from == valid.xxh3_128
        and (target / valid.extracted_to).is_dir()
    )
    return Local(
        stat.st_size if stat else None,
        part_done,
        valid,
        stale_record=bool(record and stat and not valid),
        extracted=extracted,
    )


def foreign_at(final: str) -> str | None:
    """What is at a file's place if it is not a regular file, or cannot be (its folder is a
    file); None when it is one, or absent. ``lstat``: a link is not followed, but named."""
    try:
        mode = os.lstat(final).st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:  # ENOTDIR, ENAMETOOLONG, EACCES, …: the path cannot hold our file
        return f"its place cannot be used ({exc.strerror})"
    return None if stat_module.S_ISREG(mode) else f"{kind_of(mode)} is there"


def condition_of(locked: LockedCollection, local: Local) -> tuple[str, str]:
    """(condition, a phrase saying why)."""
    if local.foreign:
        return FOREIGN, f"{local.foreign}, not a file mlhub-sync wrote; left alone (move it away)"
    if local.size is None:
        if local.part_done is not None:
            return PARTIAL, f"partial download: {local.part_done:,} of {locked.size:,} bytes"
        return MISSING, "not on disk"
    if local.size < locked.size:
        return WRONG, f"smaller than locked ({local.size:,} < {locked.size:,} bytes)"
    if local.size > locked.size:
        return WRONG, f"larger than locked ({local.size:,} > {locked.size:,} bytes)"
    if local.record is None:
        why = "changed since it was written" if local.stale_record else "not verified yet"
        return UNVERIFIED, why
    if locked.pin and local.record.xxh3_128 != locked.pin:
        return WRONG, "digest differs from the pin in the lock"
    return VERIFIED, "verified"


def decide(policy: str, condition: str, reason: str, force: bool = False) -> tuple[str, str]:
    """The decision table: (action, reason)."""
    if condition == FOREIGN:
        return REFUSE, reason
    if force:
        return DOWNLOAD, "--force"
    if condition == MISSING:
        return DOWNLOAD, reason
    if condition == UNVERIFIED:
        return VERIFY, f"{reason}: hashing it locally"
    if condition == VERIFIED:
        return KEEP, reason
    if policy == "skip":
        return REPORT, f"{reason}; kept (if_exists: skip)"
    if condition == PARTIAL:
        if policy == "resume":
            return RESUME, reason
        return DOWNLOAD, f"{reason}; starting over (if_exists: overwrite)"
    return DOWNLOAD, f"{reason}; downloading again (if_exists: {policy})"


def step_for(
    dataset: LockedDataset, locked: LockedCollection, local: Local, force: bool = False
) -> Step:
    condition, why = condition_of(locked, local)
    action, reason = decide(dataset.if_exists, condition, why, force)
    if action == KEEP and dataset.extract and not local.extracted:
        action, reason = EXTRACT, "verified; extraction missing or outdated"
    transfer = 0
    if action == DOWNLOAD:
        transfer = locked.size
    elif action == RESUME:
        transfer = locked.size - (local.part_done or 0)
    return Step(dataset, locked, condition, action, reason, transfer)


def plan(
    lock: Lock,
    target: Path,
    state: State,
    force: set[str] | None = None,
    only: set[str] | None = None,
) -> list[Step]:
    """A step per locked archive. ``force``: dataset ids to download again (empty: all);
    ``only``: the dataset ids to plan for (None: all)."""
    steps = []
    for dataset in lock.datasets:  # paths and keys built by concatenation: 100,000 files
        if only is not None and dataset.id not in only:
            continue
        forced = force is not None and (not force or dataset.id in force)
        folder, suffix = final_parts(str(target), dataset.id, dataset.loose)
        prefix = archive_key(dataset.id, "")
        quick = not forced and not dataset.extract
        for locked in dataset.collections:
            final = folder + locked.id + suffix
            if quick and verified_stat(final, state.records.get(prefix + locked.id), locked):
                steps.append(Step(dataset, locked, VERIFIED, KEEP, "verified", 0))
                continue
            local = _observe(target, final, prefix + locked.id, locked, state)
            steps.append(step_for(dataset, locked, local, forced))
    return steps


def verified_stat(
    final: str, record: ArchiveRecord | None, locked: LockedCollection
) -> os.stat_result | None:
    """The file's ``lstat`` when it is in sync — the record matches the file, and its size and
    pin the lock's — decided without building the whole observation (what ``step_for`` would
    call verified-and-kept; ``serve --s3`` publishes exactly these). None otherwise."""
    if record is None or record.size != locked.size:
        return None
    pin = locked.digests.get(PIN)  # not the property: this runs 100,000 times in a row
    if pin and record.xxh3_128 != pin:
        return None
    try:
        stat = os.lstat(final)
    except OSError:
        return None
    # ArchiveRecord.matches, inlined: this runs 100,000 times in a row. A regular file: a
    # link planted where a verified file was can reuse its inode, and be padded to its size
    # and dated to its mtime (seen on ext4), so the three alone do not tell.
    if (
        stat_module.S_ISREG(stat.st_mode)
        and stat.st_size == record.size
        and stat.st_mtime_ns == record.mtime_ns
        and stat.st_ino == record.inode
    ):
        return stat
    return None
