"""Safe extraction of collection archives (``extract: true``).

Every member is checked before anything is written — no absolute names, no ``..``, no device
or FIFO, no link pointing outside — and extraction then also runs under tarfile's ``data``
filter where Python has it. Members go to a temporary folder beside the destination, which is
renamed into place only when the whole archive extracted: the destination is never half made.
"""

from __future__ import annotations

import os
import posixpath
import secrets
import shutil
import tarfile
from pathlib import Path

from ..exceptions import MLHubException

_HAS_DATA_FILTER = hasattr(tarfile, "data_filter")


class UnsafeArchive(MLHubException):
    """An archive member would write outside its folder, or is not a plain file/folder/link."""


def _escapes(name: str) -> bool:
    normal = posixpath.normpath(name)
    return normal == ".." or normal.startswith("../") or posixpath.isabs(normal)


def check_member(member: tarfile.TarInfo, archive: Path) -> None:
    """Refuse, naming the member, anything that could write outside the destination."""
    problem = None
    if member.name.startswith("/") or posixpath.isabs(member.name) or ":" in member.name[:3]:
        problem = "has an absolute path"
    elif ".." in member.name.split("/") or _escapes(member.name):
        problem = "climbs out with '..'"
    elif member.ischr() or member.isblk() or member.isfifo() or member.isdev():
        problem = "is a device or FIFO"
    elif member.issym() and (
        posixpath.isabs(member.linkname)
        or _escapes(posixpath.join(posixpath.dirname(member.name), member.linkname))
    ):
        problem = f"is a symlink pointing outside ({member.linkname!r})"
    elif member.islnk() and (posixpath.isabs(member.linkname) or _escapes(member.linkname)):
        problem = f"is a hard link pointing outside ({member.linkname!r})"
    if problem:
        raise UnsafeArchive(
            f"{archive}: member {member.name!r} {problem}; refusing to extract this archive "
            "(nothing was extracted)"
        )


def extract_archive(archive: Path, destination: Path) -> None:
    """Extract ``archive`` into ``destination`` (replacing an earlier extraction atomically)."""
    parent = destination.parent
    parent.mkdir(parents=True, exist_ok=True)
    try:
        with tarfile.open(archive, "r:gz") as tar:
            members = tar.getmembers()  # headers only; the checks must pass for all first
            for member in members:
                check_member(member, archive)
            staging = _new_folder(parent, f".{destination.name}.extracting-")
            try:
                if _HAS_DATA_FILTER:
                    tar.extractall(staging, members=members, filter="data")
                else:  # pragma: no cover - Python without the backported filters
                    tar.extractall(staging, members=members)
                _swap_into_place(staging, destination)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
    except (tarfile.TarError, EOFError, OSError) as exc:
        if isinstance(exc, tarfile.FilterError):
            raise UnsafeArchive(f"{archive}: {exc}; refusing to extract this archive") from None
        raise UnsafeArchive(f"{archive}: cannot extract: {exc}") from None


def _new_folder(parent: Path, prefix: str) -> Path:
    """A fresh folder with the umask's usual mode (mkdtemp would make it 0700)."""
    while True:
        candidate = parent / f"{prefix}{secrets.token_hex(4)}"
        try:
            candidate.mkdir()
            return candidate
        except FileExistsError:
            continue


def _swap_into_place(staging: Path, destination: Path) -> None:
    if not destination.exists():
        os.replace(staging, destination)
        return
    retired = _new_folder(destination.parent, f".{destination.name}.old-")
    os.replace(destination, retired / "old")
    os.replace(staging, destination)
    shutil.rmtree(retired, ignore_errors=True)
