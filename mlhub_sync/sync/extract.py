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
from .layout import RETIRED, STAGING

_HAS_DATA_FILTER = hasattr(tarfile, "data_filter")


class UnsafeArchive(MLHubException):
    """An archive member would write outside its folder, or is not a plain file/folder/link."""


NAME_LIMIT = 1024  # bytes in a member's name or link target; data needs far fewer


def _escapes(name: str) -> bool:
    normal = posixpath.normpath(name)
    return normal == ".." or normal.startswith("../") or posixpath.isabs(normal)


def _prefixes(name: str) -> list[str]:
    """``a/b/c`` → ``a``, ``a/b``: the folders a member is written through."""
    parts = posixpath.normpath(name).split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def _via_link(start: str, linkname: str, links: frozenset[str]) -> bool:
    """Does following ``linkname`` from folder ``start`` step on a link member — on the way
    or at the end? Walked part by part *before* normalising: ``a/..`` passes through ``a``."""
    current = [part for part in start.split("/") if part]
    for part in linkname.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if current:
                current.pop()
            continue
        current.append(part)
        if "/".join(current) in links:
            return True
    return False


def check_member(
    member: tarfile.TarInfo, archive: Path, links: frozenset[str] = frozenset()
) -> None:
    """Refuse, naming the member, anything that could write outside the destination.

    Our own checks, on names alone, so they do not depend on the running Python's tarfile
    filter (CVE-2025-4517: a chain of links reaching PATH_MAX defeats the filter of Python
    3.11 before 3.11.13). ``links``: every link member of the archive. A link may point only
    at a plain member inside the destination, never at a link or through one, and nothing is
    written through a link: that alone rules out every chain.
    """
    problem = None
    name = posixpath.normpath(member.name)
    target = posixpath.normpath(posixpath.join(posixpath.dirname(name), member.linkname))
    if len(member.name.encode()) > NAME_LIMIT or len(member.linkname.encode()) > NAME_LIMIT:
        problem = f"has a name or link target over {NAME_LIMIT} bytes"
    elif member.name.startswith("/") or posixpath.isabs(member.name) or ":" in member.name[:3]:
        problem = "has an absolute path"
    elif ".." in member.name.split("/") or _escapes(member.name):
        problem = "climbs out with '..'"
    elif member.ischr() or member.isblk() or member.isfifo() or member.isdev():
        problem = "is a device or FIFO"
    elif not (member.isfile() or member.isdir() or member.issym() or member.islnk()):
        problem = "is not a file, folder or link"
    elif any(folder in links for folder in _prefixes(name)):
        problem = "would be written through a link"
    elif member.issym() and (posixpath.isabs(member.linkname) or _escapes(target)):
        problem = f"is a symlink pointing outside ({member.linkname!r})"
    elif member.islnk() and (posixpath.isabs(member.linkname) or _escapes(member.linkname)):
        problem = f"is a hard link pointing outside ({member.linkname!r})"
    elif (member.issym() or member.islnk()) and _via_link(
        posixpath.dirname(name) if member.issym() else "", member.linkname, links
    ):
        problem = f"is a link to or through another link ({member.linkname!r})"
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
            links = frozenset(posixpath.normpath(m.name) for m in members if m.issym() or m.islnk())
            for member in members:
                check_member(member, archive, links)
            staging = _new_folder(parent, STAGING.format(name=destination.name))
            try:
                if _HAS_DATA_FILTER:
                    tar.extractall(staging, members=members, filter="data")
                else:  # pragma: no cover - Python without the backported filters
                    tar.extractall(staging, members=members)
                _swap_into_place(staging, _content(staging, destination.name), destination)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
    except (tarfile.TarError, EOFError, OSError) as exc:
        if isinstance(exc, tarfile.FilterError):
            raise UnsafeArchive(f"{archive}: {exc}; refusing to extract this archive") from None
        raise UnsafeArchive(f"{archive}: cannot extract: {exc}") from None


def _content(staging: Path, name: str) -> Path:
    """What becomes ``<dataset>/<collection>/``: an archive whose members all sit under one
    ``<collection>/`` folder (MLHub's own did) gives that folder, not a nested copy of it."""
    entries = list(staging.iterdir())
    only = entries[0] if len(entries) == 1 else None
    if only is not None and only.name == name and only.is_dir() and not only.is_symlink():
        return only
    return staging


def _new_folder(parent: Path, prefix: str) -> Path:
    """A fresh folder with the umask's usual mode (mkdtemp would make it 0700)."""
    while True:
        candidate = parent / f"{prefix}{secrets.token_hex(4)}"
        try:
            candidate.mkdir()
            return candidate
        except FileExistsError:
            continue


def _swap_into_place(staging: Path, content: Path, destination: Path) -> None:
    """Move ``content`` (``staging``, or its one folder) to ``destination``; ``staging``,
    empty then, goes too."""
    if destination.exists():
        retired = _new_folder(destination.parent, RETIRED.format(name=destination.name))
        os.replace(destination, retired / "old")
        os.replace(content, destination)
        shutil.rmtree(retired, ignore_errors=True)
    else:
        os.replace(content, destination)
    if staging != content:
        staging.rmdir()
