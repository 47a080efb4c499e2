"""Writing the lock from the manifest: what ``lock`` does, and what ``apply`` and ``add`` do
first when the lock is out of date."""

from __future__ import annotations

from pathlib import Path

import click

from ..http.config import mirror_pairs
from ..sync.lockfile import Lock
from ..sync.project import Project
from .render import print_json


def relock(
    project: Project,
    update: set[str] | None,
    jobs: int,
    mirrors: tuple[str, ...],
    api_url: str | None,
    profile: str | None,
    as_json: bool = False,
    err: bool = False,
) -> Lock:
    """Resolve what the manifest changed (and ``update``: these ids again, all if empty),
    keep the rest as locked, write the lock if it changed, and say what was done (as JSON
    with ``as_json``; on stderr with ``err``, when stdout is another command's JSON)."""
    from ..sync.resolver import resolve

    lock_path = project.manifest.lock_path
    source = project.source(api_url, profile, pool_size=jobs)
    result = resolve(
        project.manifest,
        source,
        project.lock,
        update,
        jobs,
        mirror_pairs(mirrors),
        project.uses_catalogue(api_url),
    )
    unchanged = project.lock is not None and _holds(lock_path, result.lock.dumps())
    if not unchanged:
        result.lock.write(lock_path)
    archives = sum(len(d.collections) for d in result.lock.datasets if not d.loose)
    files = sum(len(d.collections) for d in result.lock.datasets if d.loose)
    if as_json:
        print_json(
            {
                "lock": str(lock_path),
                "written": not unchanged,
                "datasets": len(result.lock.datasets),
                "archives": archives,
                "files": files,
                "resolved": result.resolved,
                "kept": result.kept,
            }
        )
        return result.lock
    resolved = f" ({', '.join(result.resolved)})" if 0 < len(result.resolved) <= 5 else ""
    click.echo(
        f"{'unchanged' if unchanged else 'wrote'} {lock_path}: "
        f"{len(result.lock.datasets)} datasets, {archives} archives"
        + (f", {files:,} files" if files else "")
        + f" ({len(result.resolved)} resolved{resolved}, {len(result.kept)} kept as locked)",
        err=err,
    )
    return result.lock


def _holds(path: Path, text: str) -> bool:
    """Whether ``path`` already holds exactly ``text`` (a lock with merge conflicts, or of an
    older version, does not, however alike the lock read from it). Only for a lock that was
    read: that checked it is a regular file of bounded size."""
    try:
        return path.read_bytes() == text.encode()
    except OSError:
        return False
