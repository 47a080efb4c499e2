"""``download_archive`` and friends: the library's downloads, through the transfer engine.

The policy decides (``policy.download_action``), the MLHub source says what the archive is,
the engine moves and verifies the bytes. The library adds two things the engine leaves to its
callers: a free-space check for the file, and one restart when the archive changed on the
server while it was downloaded (the user asked for the archive as it is now, not a version).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..digests import PREFERENCE, Digests, compare, hash_file
from ..exceptions import ConfigError, RemoteChanged
from ..fsutil import require_space
from ..http.session import Session
from ..ids import ARCHIVE_SUFFIX, check_id
from ..progress import ProgressReporter, SilentProgress
from ..sources.base import RemoteFile
from ..sources.mlhub import MLHubSource
from ..transfer.engine import Engine, Job, Outcome, Settings
from . import policy


@dataclass
class DownloadResult:
    path: Path
    action: str  # downloaded, resumed, skipped (kept without a request), complete (kept)
    size: int
    transferred: int = 0
    digests: Digests = field(default_factory=dict)  # computed over the whole file
    remote: RemoteFile | None = None


def download(
    session: Session,
    archive_id: str,
    output_dir: str | os.PathLike[str],
    *,
    if_exists: str = "resume",
    progress: ProgressReporter | None = None,
    remote: RemoteFile | None = None,
    expected: Digests | None = None,
    settings: Settings | None = None,
) -> DownloadResult:
    """Download one archive to ``output_dir/<archive_id>.tar.gz`` following ``if_exists``
    (see ``policy``). ``remote``: what the caller already knows of the archive (no HEAD).
    ``expected``: digests the bytes must have, beyond what the server states."""
    if_exists = policy.check_if_exists(if_exists)
    check_id(archive_id, "archive id")
    directory = Path(output_dir).expanduser()
    if directory.exists() and not directory.is_dir():
        raise ConfigError(f"output_dir {directory} exists and is not a directory")
    final = directory / f"{archive_id}{ARCHIVE_SUFFIX}"
    local = _size_of(final)
    if if_exists == "skip" and local is not None:
        return DownloadResult(final, "skipped", local)
    source = MLHubSource.for_session(session)
    remote = remote or source.describe(archive_id)
    action, _ = policy.download_action(if_exists, local, remote.size, bool(remote.digests))
    if action == policy.CHECK:
        fastest = next(name for name in PREFERENCE if name in remote.digests)
        if not compare(remote.digests, hash_file(final, [fastest])):
            action = policy.KEEP
    if action == policy.KEEP:
        return DownloadResult(final, "complete", remote.size, remote=remote)
    directory.mkdir(parents=True, exist_ok=True)
    require_space(directory, remote.size, f"downloading {archive_id}")
    engine = Engine(settings, progress or SilentProgress())
    try:
        job = Job(
            remote,
            final,
            resume=action == policy.RESUME,
            expected=dict(expected or {}),
            keep_if_done_meanwhile=if_exists != "overwrite",
        )
        outcome = engine.run([job])[0]
        if isinstance(outcome.error, RemoteChanged) and not expected:
            remote = source.describe(archive_id)  # changed while we downloaded: take the new one
            outcome = engine.run([Job(remote, final, resume=False)])[0]
    finally:
        engine.close()
    return _result(outcome, remote)


def _result(outcome: Outcome, remote: RemoteFile) -> DownloadResult:
    if outcome.error is not None:
        raise outcome.error
    if outcome.result == "interrupted":
        raise KeyboardInterrupt
    if outcome.result == "kept":  # another download finished it while we waited
        return DownloadResult(outcome.job.final, "complete", remote.size, remote=remote)
    return DownloadResult(
        outcome.job.final,
        outcome.result,
        remote.size,
        outcome.transferred,
        outcome.digests,
        remote,
    )


def _size_of(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return None
