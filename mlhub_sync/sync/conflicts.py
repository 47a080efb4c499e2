"""A lock with git's merge-conflict markers: named as such (not "invalid YAML"), and taken
apart into its two sides so that ``lock`` can write a fresh one keeping the pins of both.

The lock is generated, so there is nothing to resolve by hand: ``mlhub-sync lock`` after the
manifest is merged gives the right lock, and the digests either branch had pinned survive.
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

from ..exceptions import ConfigError
from ..fsutil import read_bounded
from .lockfile import LOCK_LIMIT, Lock, read_lock

OURS, BASE, THEIRS, END = "<<<<<<< ", "||||||| ", "=======", ">>>>>>> "


class ConflictedLock(ConfigError):
    """The lock holds unresolved merge conflicts."""


def first_marker(text: str) -> int | None:
    """The 1-based line of the first conflict marker, or None."""
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith((OURS, END)) or line in (OURS.strip(), END.strip()):
            return number
    return None


def sides(text: str) -> tuple[str, str]:
    """(ours, theirs): the text with each conflict replaced by one side (diff3's base
    section, when present, belongs to neither)."""
    ours: list[str] = []
    theirs: list[str] = []
    where = "both"
    for line in text.splitlines(keepends=True):
        if line.startswith(OURS.strip()):
            where = "ours"
        elif line.startswith(BASE.strip()) and where == "ours":
            where = "base"
        elif line.rstrip("\r\n") == THEIRS and where in ("ours", "base"):
            where = "theirs"
        elif line.startswith(END.strip()) and where == "theirs":
            where = "both"
        elif where in ("both", "ours"):
            ours.append(line)
            if where == "both":
                theirs.append(line)
        elif where == "theirs":
            theirs.append(line)
    return "".join(ours), "".join(theirs)


def refuse(path: Path) -> None:
    """Raise ``ConflictedLock`` if ``path`` holds conflict markers (called once a lock failed
    to parse, so a good lock is never read twice)."""
    try:
        text = _text(path)
    except (OSError, ConfigError):
        return
    line = first_marker(text)
    if line is not None:
        raise ConflictedLock(
            f"{path}:{line}: unresolved merge conflict. The lock is generated: merge "
            f"{path.with_name('mlhub.yaml').name} if needed, then run `mlhub-sync lock`, which "
            "writes it afresh and keeps the digests both sides had pinned"
        )


def merged(path: Path) -> Lock | None:
    """The previous lock for a conflicted ``path``: its two sides united (``union``)."""
    text = _text(path)
    ours, theirs = (_parse(side, path.parent) for side in sides(text))
    return union(ours, theirs)


def _text(path: Path) -> str:
    """The lock as text: a regular file, bounded like any lock (``read_lock``)."""
    return read_bounded(path, LOCK_LIMIT, "lock").decode(errors="replace")


def union(ours: Lock | None, theirs: Lock | None) -> Lock | None:
    """Our side, plus the datasets only their side has, with pins their side had where ours
    has none. Whatever of it the merged manifest does not ask for (a dataset one side
    re-selected, one the merge dropped) is stale (``freshness``) and re-locked before use.
    A side that does not parse (None) is left out; None if neither does."""
    if ours is None or theirs is None:
        both = ours or theirs
    else:
        pins = {
            f"{dataset.id}/{collection.id}": collection.pin
            for dataset, collection in theirs.archives()
            if collection.pin
        }
        known = {dataset.id for dataset in ours.datasets}
        only_theirs = [dataset for dataset in theirs.datasets if dataset.id not in known]
        both = dataclasses.replace(ours, datasets=[*ours.datasets, *only_theirs]).with_pins(pins)
    return both


def merge_driver(ours: Path, theirs: Path) -> bool:
    """git's merge driver for ``mlhub.lock`` (``%A %B``): write the union into ``ours``; the
    next ``lock`` or ``apply`` re-locks what of it the merged manifest does not ask for.
    False when neither side parses (git then reports a conflict)."""
    found = union(_read(ours), _read(theirs))
    if found is None:
        return False
    found.write(ours)
    return True


def _read(path: Path) -> Lock | None:
    try:
        return read_lock(path)
    except ConfigError:
        return None


def _parse(text: str, folder: Path) -> Lock | None:
    with tempfile.TemporaryDirectory(dir=folder, prefix=".mlhub-merge-") as scratch:
        side = Path(scratch) / "mlhub.lock"
        side.write_text(text)
        try:
            return read_lock(side)
        except ConfigError:
            return None
