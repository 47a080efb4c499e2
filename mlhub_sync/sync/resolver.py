"""Manifest + API → lock entries (``mlhub-sync lock``).

Per dataset: the dataset object, then per selected collection one HEAD on its archive
(following the redirect) for its size, validators and stated digests — all concurrently, on a
connection pool as large as the concurrency. Entries whose manifest entry did not change are
kept as they are, with no request at all.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from ..exceptions import ConfigError, EntityDoesNotExist
from ..ids import collection_entries
from ..sources.mlhub import MLHubSource
from . import loose
from .layout import archive_key
from .lockfile import Lock, LockedCollection, LockedDataset, differences
from .manifest import DatasetSpec, Manifest
from .state import ArchiveRecord

# Requests in flight: locking is latency-bound (two round trips per archive), so it pays to
# have many: 100 datasets at 50 ms of latency lock in under a second.
DEFAULT_JOBS = 64


@dataclass
class Resolution:
    lock: Lock
    resolved: list[str]  # dataset ids asked of the server
    kept: list[str]  # dataset ids kept from the previous lock without a request


def _selected(spec: DatasetSpec, dataset: dict[str, Any], api_url: str) -> list[dict[str, Any]]:
    """The dataset's collections that the manifest entry asks for; none is an error."""
    entries = collection_entries(dataset, api_url)
    available = [str(c.get("id")) for c in entries]
    if spec.collections:
        unknown = ", ".join(repr(c) for c in spec.collections if c not in available)
        if unknown:
            raise ConfigError(
                f"{spec.where}: datasets: {spec.id!r} has no collection {unknown} on {api_url}; "
                f"it has {', '.join(available) or 'none'}"
            )
        return [c for c in entries if c.get("id") in spec.collections]
    if spec.types:
        chosen = [c for c in entries if set(spec.types) & set(c.get("types") or [])]
        if not chosen:
            described = ", ".join(
                f"{c.get('id')} ({'+'.join(c.get('types') or [])})" for c in entries
            )
            raise ConfigError(
                f"{spec.where}: datasets: no collection of {spec.id!r} has type "
                f"{' or '.join(spec.types)}; its collections: {described or 'none'}"
            )
        return chosen
    return entries


def _fetch_dataset(spec: DatasetSpec, source: MLHubSource) -> dict[str, Any]:
    try:
        return source.dataset(spec.id)
    except EntityDoesNotExist:
        raise ConfigError(
            f"{spec.where}: datasets: dataset {spec.id!r} does not exist on {source.root_url} "
            "(`mlhub-sync datasets` lists what it has)"
        ) from None


def _lock_collection(
    spec: DatasetSpec,
    entry: dict[str, Any],
    source: MLHubSource,
    previous: LockedCollection | None,
) -> LockedCollection:
    collection_id = str(entry["id"])
    try:
        remote = source.describe(collection_id)
    except EntityDoesNotExist:
        raise ConfigError(
            f"{spec.where}: datasets: collection {collection_id!r} of {spec.id!r} has no "
            f"archive on {source.root_url}; leave it out with 'collections:' or 'types:'"
        ) from None
    types = [str(t) for t in entry.get("types") or []]
    return LockedCollection.from_remote(types, remote, previous)


def resolve(
    manifest: Manifest,
    source: MLHubSource,
    previous: Lock | None = None,
    update: set[str] | None = None,
    jobs: int = DEFAULT_JOBS,
    mirrors: Mapping[str, str] | None = None,
    use_catalogue: bool = False,
) -> Resolution:
    """Build the lock for ``manifest``. ``update``: dataset ids to re-resolve even if
    unchanged (an empty set means all); ``None`` re-resolves only what changed.

    Two rounds on one pool: every dataset object at once, then every selected archive at
    once — latency is paid twice, not once per dataset, and no worker waits on another.
    Datasets of loose files are listed in the same pool, through ``mirrors``."""
    same_server = previous is not None and previous.api_url == source.root_url
    unknown = (update or set()) - {d.id for d in manifest.datasets}
    if unknown:
        raise ConfigError(f"--update names {', '.join(sorted(unknown))}, not in {manifest.path}")
    everything = {d.id: d for d in previous.datasets} if previous else {}
    before = everything if same_server else {d: v for d, v in everything.items() if v.loose}
    sources = {spec.id: loose.source_for(spec, use_catalogue) for spec in manifest.datasets}
    kept: dict[str, LockedDataset] = {}
    for spec in manifest.datasets:
        old = before.get(spec.id)
        forced = update is not None and (not update or spec.id in update)
        unchanged = old is not None and (
            old.source == sources[spec.id] if old.loose else old.select == spec.select()
        )
        if old and unchanged and not forced:  # no request needed
            kept[spec.id] = dataclasses.replace(old, if_exists=spec.if_exists, extract=spec.extract)
    specs = [s for s in manifest.datasets if s.id not in kept and sources[s.id] is None]
    listed = [s for s in manifest.datasets if s.id not in kept and sources[s.id] is not None]
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        files = {
            spec.id: pool.submit(
                _lock_files, spec, sources[spec.id] or {}, mirrors or {}, source, everything
            )
            for spec in listed
        }
        objects = list(pool.map(lambda spec: _fetch_dataset(spec, source), specs))
        chosen = [
            sorted(_selected(spec, found, source.root_url), key=lambda c: str(c["id"]))
            for spec, found in zip(specs, objects, strict=True)
        ]
        futures = [
            [
                pool.submit(_lock_collection, spec, entry, source, _previous(before, spec, entry))
                for entry in entries
            ]
            for spec, entries in zip(specs, chosen, strict=True)
        ]
        resolved = {
            spec.id: LockedDataset(
                id=spec.id,
                title=found.get("title"),
                select=spec.select(),
                if_exists=spec.if_exists,
                extract=spec.extract,
                collections=[future.result() for future in pending],
            )
            for spec, found, pending in zip(specs, objects, futures, strict=True)
        }
        resolved.update((dataset_id, future.result()) for dataset_id, future in files.items())
    datasets = [kept.get(s.id) or resolved[s.id] for s in manifest.datasets]
    api_url = source.root_url if any(not d.loose for d in datasets) else None
    lock = Lock(api_url=api_url, datasets=datasets)
    return Resolution(lock, resolved=list(resolved), kept=list(kept))


def _lock_files(
    spec: DatasetSpec,
    listed_from: dict[str, Any],
    mirrors: Mapping[str, str],
    source: MLHubSource,
    before: dict[str, LockedDataset],
) -> LockedDataset:
    what = f"{spec.where}: {spec.id}"
    files = loose.remote_files(listed_from, mirrors, source.api.pool, what)
    return loose.lock_dataset(spec, listed_from, files, before.get(spec.id))


def _previous(
    before: dict[str, LockedDataset], spec: DatasetSpec, entry: dict[str, Any]
) -> LockedCollection | None:
    """The collection as the previous lock had it (its pin survives an unchanged archive)."""
    old = before.get(spec.id)
    return next((c for c in old.collections if c.id == entry["id"]), None) if old else None


def remote_drift(
    lock: Lock,
    source: MLHubSource,
    jobs: int = DEFAULT_JOBS,
    mirrors: Mapping[str, str] = {},
    records: Mapping[str, ArchiveRecord] = {},
) -> list[str]:
    """``lock --check --remote``: every archive whose server copy differs from the lock, and
    every file of a loose dataset added, removed or changed at its source. ``records``: the
    target's state, whose per-host ETags catch a change that no stated digest shows."""

    def check(pair: tuple[LockedDataset, LockedCollection]) -> str | None:
        dataset, locked = pair
        try:
            remote = source.describe(locked.id)
        except EntityDoesNotExist:
            return f"{dataset.id}/{locked.id}: no longer on the server"
        found = differences(locked, remote)
        return f"{dataset.id}/{locked.id}: {', '.join(found)}" if found else None

    def listed(dataset: LockedDataset) -> list[str]:
        listing = loose.remote_files(dataset.source or {}, mirrors, source.api.pool, dataset.id)
        now = {f.name: f for f in listing}
        lines = []
        for locked in dataset.collections:
            known = records.get(archive_key(dataset.id, locked.id))
            found = loose.drift(locked, now.pop(locked.id, None), known)
            if found:
                lines.append(f"{dataset.id}/{locked.id}: {', '.join(found)}")
        lines += [f"{dataset.id}/{name}: added at the source" for name in sorted(now)]
        return lines

    archives = [(d, c) for d, c in lock.archives() if not d.loose]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        per_dataset = pool.map(listed, [d for d in lock.datasets if d.loose])
        lines = [line for line in pool.map(check, archives) if line]
        return lines + [line for found in per_dataset for line in found]
