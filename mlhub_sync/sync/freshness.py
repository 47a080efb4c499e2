"""Is the lock still what the manifest asks for? Read from the lock's content, as uv and cargo
do, not from a hash of the manifest.

Each locked dataset already records what it was locked for (``select``, ``source``,
``if_exists``, ``extract``), so the question needs neither the network nor a hash. A global
hash line changed with every manifest edit, so two branches editing different datasets
always conflicted on it; without it they change different lines of the lock, and git merges
them. The answer is what ``lock`` would re-resolve: no reasons means ``lock`` would change
nothing.
"""

from __future__ import annotations

from typing import Any

from ..exceptions import ConfigError
from ..urls import normalise_root
from .lockfile import Lock, LockedDataset
from .manifest import DatasetSpec, Manifest


def stale_reasons(manifest: Manifest, lock: Lock) -> list[str]:
    """Why ``lock`` does not satisfy ``manifest``, one short line each (empty: it does).

    Independent of the environment: an entry with no ``source:`` is satisfied by the
    built-in catalogue's location or by the MLHub API's archives, whichever it was locked
    from (``MLHUB_ROOT_URL`` on one machine does not make a colleague's lock stale)."""
    locked = {dataset.id: dataset for dataset in lock.datasets}
    wanted = [spec.id for spec in manifest.datasets]
    reasons: list[str] = []
    for spec in manifest.datasets:
        old = locked.get(spec.id)
        if old is None:
            reasons.append(f"{spec.id}: not in the lock yet")
        else:
            reasons += [f"{spec.id}: {reason}" for reason in _dataset_reasons(spec, old)]
    reasons += [f"{d}: no longer in the manifest" for d in locked if d not in set(wanted)]
    if not reasons and [dataset.id for dataset in lock.datasets] != wanted:
        reasons.append("datasets are in another order than in the manifest")
    if manifest.api_url and any(not d.loose for d in lock.datasets):
        try:
            root = normalise_root(manifest.api_url)
        except ValueError:
            root = manifest.api_url
        if lock.api_url != root:
            reasons.append(f"api_url: locked from {lock.api_url}, the manifest names {root}")
    return reasons


def _dataset_reasons(spec: DatasetSpec, old: LockedDataset) -> list[str]:
    """How one locked dataset differs from its manifest entry."""
    reasons = []
    if old.loose:
        if old.source != _as_locked(spec):
            reasons.append("source changed")
    elif spec.source is not None:
        reasons.append("now has a source (files, not archives)")
    elif old.select != spec.select():
        reasons.append(f"selection changed ({old.select or 'all'} → {spec.select() or 'all'})")
    if old.if_exists != spec.if_exists:
        reasons.append(f"if_exists {old.if_exists} → {spec.if_exists}")
    if not old.loose and old.extract != spec.extract:
        reasons.append(f"extract {str(old.extract).lower()} → {str(spec.extract).lower()}")
    return reasons


def _as_locked(spec: DatasetSpec) -> dict[str, Any] | None:
    """The source as the lock records it: as written, or the built-in catalogue's location
    (with any filters) for an id given without a URL; unknown to the catalogue, as written."""
    from .loose import source_for

    try:
        return source_for(spec, use_catalogue=True)
    except ConfigError:
        return spec.source
