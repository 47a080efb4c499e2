"""What ``apply`` does to the target besides downloading: extract archives (``extract: true``)
and prune what mlhub-sync wrote that the lock no longer lists (``--prune``)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

from .layout import archive_paths
from .planner import Step
from .state import State


def needs_extraction(target: Path, state: State, step: Step) -> bool:
    record = state.records.get(step.key)
    if record is None:
        return False
    folder = archive_paths(target, step.dataset.id, step.collection.id).extracted
    return not (record.extracted_from == record.xxh3_128 and folder.is_dir())


def extract(target: Path, state: State, step: Step) -> None:
    from .extract import extract_archive  # tarfile is imported only when an archive is extracted

    record = state.records[step.key]
    folder = archive_paths(target, step.dataset.id, step.collection.id).extracted
    extract_archive(target / record.path, folder)
    record.extracted_to = str(folder.relative_to(target))
    record.extracted_from = record.xxh3_128
    state.record(step.key, record)


def prune(target: Path, state: State, wanted: set[str], log: Callable[[str], None]) -> list[str]:
    """Remove what this tool wrote (per the state) that the lock no longer lists."""
    removed = []
    for key, record in list(state.records.items()):
        if key in wanted:
            continue
        path = target / record.path
        try:
            if record.matches(path.stat()):
                path.unlink()
                removed.append(record.path)
            else:
                log(f"not pruning {path}: it changed since mlhub-sync wrote it")
                continue
        except FileNotFoundError:
            pass
        if record.extracted_to and (target / record.extracted_to).is_dir():
            import shutil

            shutil.rmtree(target / record.extracted_to)
            removed.append(record.extracted_to + "/")
        state.forget(key)
        with contextlib.suppress(OSError):
            path.parent.rmdir()  # the dataset folder, if nothing else is in it
    return removed
