"""A project: ``mlhub.yaml`` + ``mlhub.lock`` + its target folder, and the offline questions
about them (is the lock fresh? what is on disk?) that ``status`` and ``verify`` answer."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .config import resolve_root_url
from .digests import hash_file
from .exceptions import ConfigError
from .lockfile import Lock, mismatches, read_lock
from .manifest import Manifest, load_manifest
from .planner import MISSING, PARTIAL, UNVERIFIED, VERIFIED, archive_path, condition_of, observe
from .session import Session, get_session
from .state import ArchiveRecord, State

STATUS_OF = {VERIFIED: "ok", MISSING: "missing", PARTIAL: "partial", UNVERIFIED: "unverified"}


@dataclass
class Project:
    manifest: Manifest
    lock: Lock | None

    @classmethod
    def load(cls, manifest_path: Path) -> Project:
        manifest = load_manifest(manifest_path)
        lock = read_lock(manifest.lock_path) if manifest.lock_path.exists() else None
        return cls(manifest, lock)

    @property
    def lock_is_fresh(self) -> bool:
        return self.lock is not None and self.lock.manifest_hash == self.manifest.hash()

    def require_lock(self, check_fresh: bool = True) -> Lock:
        """The lock, refusing a missing one, and a stale one unless told not to check."""
        if self.lock is None:
            raise ConfigError(
                f"no {self.manifest.lock_path.name} next to {self.manifest.path}; "
                "run `mlhub-sync lock` first"
            )
        if check_fresh and not self.lock_is_fresh:
            raise ConfigError(
                f"{self.manifest.lock_path} is out of date: {self.manifest.path} changed since it "
                "was locked; run `mlhub-sync lock` (or apply --frozen to use the lock as is)"
            )
        return self.lock

    def root_url(self, api_url: str | None = None) -> str:
        """``--api-url`` > manifest ``api_url`` > the lock's > ``MLHUB_ROOT_URL`` > default."""
        lock_url = self.lock.api_url if self.lock else None
        if api_url or self.manifest.api_url:
            return resolve_root_url(api_url or self.manifest.api_url)
        if lock_url and not os.environ.get("MLHUB_ROOT_URL"):
            return resolve_root_url(lock_url)
        return resolve_root_url(None)

    def session(self, api_url: str | None = None, profile: str | None = None) -> Session:
        return get_session(
            profile=profile or self.manifest.profile, root_url=self.root_url(api_url)
        )


@dataclass
class ArchiveStatus:
    dataset: str
    collection: str
    status: str  # ok, missing, partial, modified, unverified, unextracted
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


def _on_disk(project: Project) -> tuple[Lock, Path, State]:
    """The lock (stale or not), the target folder and its state, warnings silenced."""
    target = project.manifest.target
    return project.require_lock(check_fresh=False), target, State.load(target, lambda _: None)


def status(project: Project) -> list[ArchiveStatus]:
    """Offline: one ``stat`` per archive, compared with the lock and the state."""
    lock, target, state = _on_disk(project)
    found = []
    for dataset, locked in lock.archives():
        local = observe(target, dataset.id, locked.id, state)
        condition, why = condition_of(locked, local)
        label = STATUS_OF.get(condition, "modified")
        if condition == UNVERIFIED and local.stale_record:
            label = "modified"
        if label == "ok" and dataset.extract and not local.extracted:
            label, why = "unextracted", "verified; extraction missing or outdated"
        found.append(
            ArchiveStatus(
                dataset.id, locked.id, label, why, str(archive_path(target, dataset.id, locked.id))
            )
        )
    return found


def verify(project: Project) -> list[ArchiveStatus]:
    """Rehash every archive against the lock's pins (and MD5); refresh the state records."""
    lock, target, state = _on_disk(project)
    results = []
    for dataset, locked in lock.archives():
        path = archive_path(target, dataset.id, locked.id)
        key = f"{dataset.id}/{locked.id}"
        if not path.exists():
            results.append(
                ArchiveStatus(dataset.id, locked.id, "missing", "not on disk", str(path))
            )
            continue
        digests = hash_file(path, ["xxh3_128", "md5"])
        record = state.records.get(key)
        problems = mismatches(
            locked, path.stat().st_size, digests, record.xxh3_128 if record else None
        )
        if problems:
            results.append(
                ArchiveStatus(dataset.id, locked.id, "mismatch", "; ".join(problems), str(path))
            )
            continue
        state.record(key, ArchiveRecord.of(path, target, digests, locked.etag, record))
        detail = "matches the pin" if locked.xxh3_128 else "no pin in the lock yet"
        results.append(ArchiveStatus(dataset.id, locked.id, "ok", detail, str(path)))
    if (target / ".mlhub-sync").is_dir():
        state.save()
    return results
