"""Where everything of a project lives on disk — the one place path formulas are written.

<target>/<dataset_id>/<collection_id>.tar.gz               the archive (verified only)
<target>/<dataset_id>/<collection_id>.tar.gz.part          a partial download
<target>/<dataset_id>/<collection_id>.tar.gz.part.journal  its journal
<target>/<dataset_id>/<collection_id>/                     the extraction (extract: true)
<target>/<dataset_id>/.<collection_id>.extracting-<hex>/   an extraction under way
<target>/<dataset_id>/.<collection_id>.old-<hex>/          the one it replaces, being removed
<target>/<dataset_id>/<path>                                a loose file, as under its source
<target>/<dataset_id>/<path>.part, .part.journal            its partial download
<target>/.mlhub-sync/state.json, apply.lock                what mlhub-sync wrote; its lock
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..ids import ARCHIVE_SUFFIX
from ..transfer.partial import JOURNAL_SUFFIX, PART_SUFFIX, journal_path, part_path

STATE_DIR = ".mlhub-sync"
STATE_FILE = "state.json"
APPLY_LOCK = "apply.lock"
DIGEST_LOCK = "digest.lock"  # one `mirror digest` per target (sync/backfill.py)
STAGING = ".{name}.extracting-"  # + 8 hex digits
RETIRED = ".{name}.old-"
LEFTOVER = re.compile(r"\..+\.(?:extracting|old)-[0-9a-f]{8}")  # what a kill leaves of those


def archive_key(dataset_id: str, collection_id: str) -> str:
    """How the state and messages name an archive: ``dataset/collection``."""
    return f"{dataset_id}/{collection_id}"


@dataclass(frozen=True, slots=True)
class ArchivePaths:
    final: Path
    part: Path
    journal: Path
    extracted: Path


def archive_paths(
    target: Path, dataset_id: str, collection_id: str, loose: bool = False
) -> ArchivePaths:
    """Every path of one archive — or, ``loose``, of one file (``collection_id`` its path)."""
    folder = target / dataset_id
    final = folder / (collection_id if loose else f"{collection_id}{ARCHIVE_SUFFIX}")
    return ArchivePaths(final, part_path(final), journal_path(final), folder / collection_id)


def final_path(target: str, dataset_id: str, collection_id: str, loose: bool = False) -> str:
    """The archive's path as a string (pathlib is 5 times slower)."""
    folder, suffix = final_parts(target, dataset_id, loose)
    return folder + collection_id + suffix


def final_parts(target: str, dataset_id: str, loose: bool) -> tuple[str, str]:
    """``(folder/, suffix)``: a final path is ``folder + id + suffix``. For loops over every
    entry of a lock: an in-sync ``apply`` of 100,000 files spends its time building paths."""
    return os.path.join(target, dataset_id, ""), "" if loose else ARCHIVE_SUFFIX


def is_ours(path: str) -> bool:
    """A name the tool uses for its own files beside a final one: a source path like this
    would collide with another file's partial download."""
    return path.endswith((PART_SUFFIX, JOURNAL_SUFFIX))


def state_dir(target: Path) -> Path:
    return target / STATE_DIR


def owner_of(lock_path: Path) -> str:
    """The id a target's state records for the project (its lock) that wrote a file: several
    projects may share one target, and ``--prune`` removes only what no other one uses."""
    import xxhash

    return xxhash.xxh3_64_hexdigest(os.fsencode(os.path.abspath(lock_path)))


def confined(target: Path, relative: str) -> Path | None:
    """``target/relative`` when it is a path the tool may delete: relative, no ``..``, and no
    symlink on the way from the target (a state file is input like any other); else None."""
    parts = relative.split("/")
    if not relative or relative.startswith("/") or any(p in ("", ".", "..") for p in parts):
        return None
    path = target
    for part in parts[:-1]:
        path = path / part
        if os.path.islink(path):
            return None
    return path / parts[-1]
