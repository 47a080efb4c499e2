"""The offline questions about a project: what is on disk (``status``), and does every byte
still match the lock (``verify``)."""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

from ..digests import hash_file, needed
from .layout import archive_key, archive_paths, state_dir
from .lockfile import Lock, mismatches
from .planner import (
    FOREIGN,
    MISSING,
    PARTIAL,
    UNVERIFIED,
    VERIFIED,
    condition_of,
    foreign_at,
    observe,
)
from .project import Project
from .state import ArchiveRecord, State, merge_records

STATUS_OF = {
    VERIFIED: "ok",
    MISSING: "missing",
    PARTIAL: "partial",
    UNVERIFIED: "unverified",
    FOREIGN: "foreign",
}


@dataclass(slots=True)
class ArchiveStatus:
    dataset: str
    collection: str
    status: str  # ok, missing, partial, modified, unverified, unextracted, mismatch, foreign
    detail: str
    path: str

    def to_dict(self) -> dict[str, str]:
        return {
            "dataset": self.dataset,
            "collection": self.collection,
            "status": self.status,
            "detail": self.detail,
            "path": self.path,
        }


def _on_disk(project: Project) -> tuple[Lock, State]:
    """The lock (stale or not) and the target's state, warnings silenced."""
    target = project.manifest.target
    return project.require_lock(check_fresh=False), State.load(target, lambda _: None)


def status(project: Project) -> list[ArchiveStatus]:
    """Offline: one ``stat`` per archive, compared with the lock and the state."""
    lock, state = _on_disk(project)
    target = project.manifest.target
    found = []
    for dataset, locked in lock.archives():
        local = observe(target, dataset.id, locked, state, dataset.loose)
        condition, why = condition_of(locked, local)
        label = STATUS_OF.get(condition, "modified")
        if condition == "wrong" and local.size is not None and local.size < locked.size:
            label = "partial"
        if condition == UNVERIFIED and local.stale_record:
            label = "modified"
        ignored = state.rejected.get(archive_key(dataset.id, locked.id))
        if condition == UNVERIFIED and ignored:
            why = f"its state record was ignored ({ignored})"
        if label in ("modified", "partial") and dataset.if_exists == "skip":
            why += f"; kept by if_exists: skip (`apply --force {dataset.id}` replaces it)"
        if label == "ok" and dataset.extract and not local.extracted:
            label, why = "unextracted", "verified; extraction missing or outdated"
        path = archive_paths(target, dataset.id, locked.id, dataset.loose).final
        found.append(ArchiveStatus(dataset.id, locked.id, label, why, str(path)))
    return found


def verify(project: Project) -> list[ArchiveStatus]:
    """Rehash every archive against the lock's pins (and MD5); refresh the state records."""
    lock, state = _on_disk(project)
    target = project.manifest.target
    results = []
    refreshed: dict[str, ArchiveRecord] = {}
    for dataset, locked in lock.archives():
        path = archive_paths(target, dataset.id, locked.id, dataset.loose).final
        key = archive_key(dataset.id, locked.id)
        foreign = foreign_at(str(path))
        if foreign or not os.path.lexists(path):
            label, why = ("foreign", foreign) if foreign else ("missing", "not on disk")
            results.append(ArchiveStatus(dataset.id, locked.id, label, why, str(path)))
            continue
        digests = hash_file(path, needed({"md5": "", **locked.digests}))
        record = state.records.get(key)
        problems = mismatches(
            locked, path.stat().st_size, digests, record.xxh3_128 if record else None
        )
        if problems:
            results.append(
                ArchiveStatus(dataset.id, locked.id, "mismatch", "; ".join(problems), str(path))
            )
            continue
        refreshed[key] = ArchiveRecord.of(path, target, digests, locked.etag, record)
        detail = "matches the pin" if locked.pin else "no pin in the lock yet"
        if key in state.rejected:
            detail += f" (its state record had been ignored: {state.rejected[key]})"
        results.append(ArchiveStatus(dataset.id, locked.id, "ok", detail, str(path)))
    if refreshed and state_dir(target).is_dir():
        _record(target, refreshed)
    return results


def _record(target: Path, refreshed: dict[str, ArchiveRecord]) -> None:
    """Write what verify learned into the state; the records are a cache, so when an apply
    holds the target they are left for the next run."""
    updates = {key: (lambda _, new=record: new) for key, record in refreshed.items()}
    with contextlib.suppress(BlockingIOError):
        merge_records(target, updates, lambda _: None, wait=False)
