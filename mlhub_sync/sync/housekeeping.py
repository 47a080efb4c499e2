"""What ``apply`` does to the target besides downloading: extract archives (``extract: true``)
and sweep what a killed extraction left, record which project uses which file (``claim``),
and prune what this project had mlhub-sync write that its lock no longer lists (``--prune``)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from stat import S_ISREG
from typing import TYPE_CHECKING

from ..digests import PIN, hash_file
from .layout import LEFTOVER, archive_key, archive_paths, confined
from .lockfile import Lock
from .planner import Step
from .state import ArchiveRecord, State

if TYPE_CHECKING:
    from .apply import ApplyReport


def needs_extraction(target: Path, state: State, step: Step) -> bool:
    record = state.records.get(step.key)
    if record is None:
        return False
    folder = archive_paths(target, step.dataset.id, step.collection.id).extracted
    return not (record.extracted_from == record.xxh3_128 and folder.is_dir())


def sweep(target: Path, dataset_ids: list[str], log: Callable[[str], None]) -> None:
    """Remove what killed extractions left in these datasets' folders: staging and retired
    folders, by names only the extractor makes (``layout.LEFTOVER``), never through a link."""
    import shutil

    for dataset_id in dataset_ids:
        folder = confined(target, dataset_id)
        try:
            found = [p for p in folder.iterdir() if LEFTOVER.fullmatch(p.name)] if folder else []
        except OSError:
            continue
        for path in found:
            if path.is_dir() and not path.is_symlink():
                log(f"removing {path}, left by an extraction that was stopped")
                shutil.rmtree(path, ignore_errors=True)


def extract(target: Path, state: State, step: Step) -> None:
    from .extract import extract_archive  # tarfile is imported only when an archive is extracted

    record = state.records[step.key]
    folder = archive_paths(target, step.dataset.id, step.collection.id).extracted
    extract_archive(target / record.path, folder)
    record.extracted_to = str(folder.relative_to(target))
    record.extracted_from = record.xxh3_128
    state.record(step.key, record)


def claim(lock: Lock, state: State, report: ApplyReport, owner: str, only: set[str] | None) -> None:
    """After a run, for every file this project now has: record the project as one of its
    users (what ``--prune`` of another project sharing the target must leave alone), and pin
    a digest the lock lacks from its record — a run killed after downloading but before
    writing the lock left it only in the state (saved every few seconds), trusted as its stat
    matched. Set algebra, not a loop of lookups: 100,000 files cost milliseconds."""
    records, pins = state.records, report.pins
    unfinished = ("failed", "interrupted", "reported")
    failed = {o.step.key for o in report.outcomes if o.result in unfinished}
    have = (lock.keys(only) & records.keys()) - failed
    state.claim(owner, have)
    for dataset in lock.datasets:
        for collection in dataset.unpinned:
            key = archive_key(dataset.id, collection.id)
            if key in have and key not in pins:
                pins[key] = records[key].xxh3_128


def prune(
    target: Path,
    state: State,
    wanted: set[str],
    log: Callable[[str], None],
    owner: str,
    dry_run: bool = False,
) -> list[str]:
    """Remove what this project had mlhub-sync write that its lock no longer lists; with
    ``dry_run``, only say what would go. A file is removed only when no other project on this
    target uses it, it lies where its record's key says (inside the target, through no
    symlink), and it is still the regular file with the size and digest that were recorded."""
    removed = []
    for key, record in sorted(state.records.items()):
        if key in wanted:
            continue
        owners = state.owners(key)
        if not owners:
            log(
                f"not pruning {key}: no project is recorded as using it (written by an older "
                "mlhub-sync); delete it by hand if nothing uses it"
            )
            continue
        if owner not in owners:
            continue  # another project's
        if len(owners) > 1:
            log(f"not pruning {key}: another project on {target} uses it")
            if not dry_run:
                state.disown(owner, key)
            continue
        path, folder = _recorded_paths(target, key, record)
        if path is None:
            log(f"not pruning {key}: its state record names {record.path!r}, not its own place")
            continue
        if not _unchanged(path, record):
            log(f"not pruning {path}: it changed since mlhub-sync wrote it")
            continue
        removed.append(record.path)
        if folder is not None:
            removed.append(str(record.extracted_to) + "/")
        if dry_run:
            continue
        path.unlink(missing_ok=True)
        if folder is not None:
            import shutil

            shutil.rmtree(folder)
        state.forget(key)
        with contextlib.suppress(OSError):
            path.parent.rmdir()  # the dataset folder, if nothing else is in it
    return removed


def _recorded_paths(
    target: Path, key: str, record: ArchiveRecord
) -> tuple[Path | None, Path | None]:
    """The file (and extraction folder) a record may have us delete: only the places its key
    gives (``State.load`` drops a record naming any other), through no symlink."""
    path = confined(target, record.path)
    folder = None
    if path is not None and record.extracted_to is not None:
        folder = confined(target, key)
        if folder is None or folder.is_symlink() or not folder.is_dir():
            folder = None
    return path, folder


def _unchanged(path: Path, record: ArchiveRecord) -> bool:
    """Missing (nothing to delete), or the regular file the record describes, bytes and all."""
    try:
        stat = path.lstat()
    except FileNotFoundError:
        return True
    if not S_ISREG(stat.st_mode) or not record.matches(stat):
        return False
    return hash_file(path, [PIN]).get(PIN) == record.xxh3_128
