"""``mlhub-sync mirror digest``, and what ``serve`` does with digests a mirror lacks.

Two kinds of folder are served: a mirror of archives (``serve MIRROR``: digests in sidecar
files, sent as Content-MD5) and a project's target (``serve --s3 PROJECT``: MD5s in the
target's state, sent as ETags). ``mirror digest`` fills in either; ``serve`` names what is
missing at start and, with ``--hash-missing``, runs ``mirror digest`` itself in a
low-priority background process.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..exceptions import MLHubException
from ..sync.layout import APPLY_LOCK, DIGEST_LOCK, STATE_FILE, state_dir

if TYPE_CHECKING:
    from ..server.s3 import Index, Rebuild


def is_project(folder: Path) -> bool:
    """A project's folder (with its ``mlhub.yaml``) or the manifest itself."""
    return (folder / "mlhub.yaml").is_file() or folder.suffix in (".yaml", ".yml")


def manifest_of(folder: Path) -> Path:
    return folder / "mlhub.yaml" if folder.is_dir() else folder


def hash_in_background(
    folder: Path, missing: str, writable: bool, hashing: bool, names: Sequence[str] = ()
) -> subprocess.Popen[bytes] | None:
    """Say what has no digests (``missing``) and the command that fixes it; with
    ``hashing``, run that command at low priority (CPU nice 10, idle I/O class) in a process
    of its own — the server picks each result up as it is written."""
    if not hashing or not writable:
        who = "" if writable else " as the owner of its files"
        click.echo(f"warning: {missing}; run `mlhub-sync mirror digest {folder}`{who}", err=True)
        return None
    command = [sys.executable, "-m", "mlhub_sync", "mirror", "digest", str(folder), *names]
    if shutil.which("ionice"):
        command = ["ionice", "-c", "3", *command]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, preexec_fn=lambda: os.nice(10))
    click.echo(f"warning: {missing}; hashing them in the background", err=True)
    return process


class Md5Filler:
    """Whenever the served index has files without an MD5 (at start, and at each rebuild: an
    apply added some), start ``mirror digest PROJECT`` unless ours is still running — or name
    it."""

    def __init__(self, folder: Path, state: Path, hashing: bool) -> None:
        self.folder, self.state, self.hashing = folder, state, hashing
        self.process: subprocess.Popen[bytes] | None = None
        self.said = 0  # the count last named without hashing: said again only if it changes

    def __call__(self, index: Index) -> None:
        if not index.undigested or (self.process and self.process.poll() is None):
            return
        writable = self._writable()
        if (not self.hashing or not writable) and index.undigested == self.said:
            return  # named already
        self.said = index.undigested
        missing = (
            f'{index.undigested:,} file(s) have no MD5 yet: their ETags are "xxh3-…", which '
            "S3 tools do not check downloads against"
        )
        self.process = hash_in_background(self.folder, missing, writable, self.hashing)

    def _writable(self) -> bool:
        """Can this user record MD5s: the state folder, and its state and lock files."""
        files = [self.state / name for name in (STATE_FILE, APPLY_LOCK, DIGEST_LOCK)]
        return os.access(self.state, os.W_OK) and all(
            os.access(f, os.R_OK | os.W_OK) for f in files if f.exists()
        )


def s3_app(folder: Path, hashing: bool) -> Any:
    """The S3 dialect over the project at ``folder`` (or its ``mlhub.yaml``), rebuilt when
    the target's state or the lock changes."""
    from ..server.s3 import S3App, build_index
    from ..server.worker import in_pool
    from ..sync.project import Project

    manifest = manifest_of(folder)
    project = Project.load(manifest)
    index = build_index(project, lambda text: click.echo(f"warning: {text}", err=True))
    buckets = ", ".join(sorted(index.buckets)) or "none"
    click.echo(
        f"Serving {index.files:,} verified files of {folder} (buckets: {buckets}), read-only"
    )

    def rebuild() -> tuple[Index | None, list[str]]:
        said: list[str] = []
        try:
            return build_index(Project.load(manifest), said.append), said
        except MLHubException as exc:
            return None, [*said, str(exc)]
        except Exception as exc:  # in a pool thread: whatever it is, the loop must hear back
            return None, [*said, f"{type(exc).__name__}: {exc}"]

    def in_background(
        work: Rebuild, done: Callable[[tuple[Index | None, list[str]]], None]
    ) -> None:
        failed: tuple[Index | None, list[str]] = (None, ["the rebuild failed (see above)"])
        in_pool(work, done, failed)

    state = state_dir(project.manifest.target)
    filler = Md5Filler(folder, state, hashing)
    filler(index)
    watch = (state / STATE_FILE, project.manifest.lock_path)
    return S3App(index, rebuild, watch, in_background, on_change=filler)


@click.group("mirror")
def mirror_group() -> None:
    """Maintain a mirror folder, or a project's target served with `serve --s3`."""


@mirror_group.command(
    "digest",
    epilog="\b\nExamples:\n  mlhub-sync mirror digest /data/mlhub\n"
    "  mlhub-sync mirror digest /data/mlhub bigearthnet_v1_labels\n"
    "  mlhub-sync mirror digest ~/lab-project       # MD5 ETags for `serve --s3`",
)
@click.argument("mirror", type=click.Path(path_type=Path))
@click.argument("collection_ids", nargs=-1, metavar="[COLLECTION_ID]...")
def digest(mirror: Path, collection_ids: tuple[str, ...]) -> None:
    """Hash archives in MIRROR (all, or the COLLECTION_IDs named) and record MD5 and XXH3-128
    in MIRROR/digests/.

    The server then sends Content-MD5 (as the MLHub blob store did) without reading the
    archive per request. A digest is used only while the archive is unchanged; re-run this
    after adding or replacing archives — unchanged ones are not hashed again.

    When MIRROR is a project (its folder or mlhub.yaml), hash the verified loose files of its
    target that have no MD5 and record it in the target's state: `serve --s3` sends it as
    the ETag. Safe beside a running apply.
    """
    if is_project(mirror):
        if collection_ids:
            raise click.UsageError("a project's files are all hashed; name no collections")
        _digest_project(mirror)
        return
    from ..server.mirror import Mirror  # needs no server extra

    opened = Mirror.open(mirror)
    for collection_id in collection_ids or opened.archive_ids():
        archive, hashed = opened.write_digests(collection_id)
        state = "hashed" if hashed else "up to date"
        click.echo(f"{collection_id}: {state}  md5:{archive.md5}  xxh3_128:{archive.xxh3_128}")


def _digest_project(folder: Path) -> None:
    from ..sync.backfill import fill_md5
    from ..sync.project import Project

    filled = fill_md5(
        Project.load(manifest_of(folder)), lambda text: click.echo(f"warning: {text}", err=True)
    )
    if filled is None:
        click.echo(f"another `mirror digest` is at work on {folder}'s target; leaving it to that")
        return
    click.echo(f"{filled.recorded:,} file(s) hashed, MD5 recorded in the target's state")
    if filled.unreadable:
        click.echo(
            f"{len(filled.unreadable):,} file(s) could not be read (first: "
            f"{filled.unreadable[0]}); give this user read access, then run this again",
            err=True,
        )
    if filled.changed:
        click.echo(
            f"{filled.changed:,} file(s) changed while they were hashed and were left; "
            "run `mlhub-sync apply`, then this again",
            err=True,
        )
