"""The one door to local files: bounded reads, atomic writes, no writing through links.

Every module reads and writes its own files (state, journals, locks, profiles) through these
helpers, so the rules live in one place:

- a file we read must be a regular file under a size cap (``/dev/zero`` as a manifest is an
  error, not an endless read);
- a file we write is written to a fresh temporary name beside it (``O_EXCL``, never following
  a link), fsynced, then ``os.replace``d: a reader or a killed run sees the old or the new file;
- files the tool owns are opened with ``O_NOFOLLOW``: a link planted where we expect our own
  file is refused, never written through.
"""

from __future__ import annotations

import errno
import functools
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from .exceptions import ConfigError, NoSpace

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


def open_owned(path: Path, flags: int, mode: int = 0o644) -> int:
    """``os.open`` for a file the tool owns: never through a symbolic link (``ELOOP``)."""
    return os.open(path, flags | _NOFOLLOW | _CLOEXEC, mode)


def read_bounded(path: Path, limit: int, what: str, *, follow: bool = True) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; otherwise ``ConfigError``.

    ``follow=False`` for files the tool owns (a link there is not ours). Raises
    ``FileNotFoundError`` unchanged, so callers can treat "absent" as they need.
    """
    flags = os.O_RDONLY | _CLOEXEC | (0 if follow else _NOFOLLOW)
    try:
        descriptor = os.open(path, flags | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ConfigError(
                f"{what} {path} is a symbolic link; expected a regular file"
            ) from None
        raise ConfigError(f"cannot read {what} {path}: {exc.strerror}") from None
    info = os.fstat(descriptor)  # before fdopen, which refuses a folder with a traceback
    if not stat.S_ISREG(info.st_mode):
        os.close(descriptor)
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise ConfigError(f"{what} {path} is {kind}; expected a regular file")
    with os.fdopen(descriptor, "rb") as stream:
        if info.st_size > limit:
            raise ConfigError(
                f"{what} {path} is {info.st_size:,} bytes, over the limit of {limit:,}"
            )
        data = stream.read(info.st_size + 1)  # sized by the file: read(n) allocates n up front
    if len(data) > limit:  # grew while we read it
        raise ConfigError(f"{what} {path} is over the limit of {limit:,} bytes")
    return data


def atomic_write(
    path: Path, data: bytes | Iterable[bytes], mode: int = 0o644, *, durable: bool = True
) -> None:
    """Replace ``path`` with ``data`` (bytes, or pieces of it: a large file never has to be
    one string in memory) atomically (temp + replace); ``durable`` adds an fsync first, for
    files that must survive a power loss and not only a kill."""
    temporary = path.with_name(f".{path.name}.{os.urandom(4).hex()}.tmp")
    try:
        descriptor = open_owned(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except OSError as exc:
        raise disk_error(exc, path) from None
    try:
        with os.fdopen(descriptor, "wb") as stream:
            for piece in [data] if isinstance(data, bytes) else data:
                stream.write(piece)
            stream.flush()
            if durable:
                os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException as exc:
        temporary.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise disk_error(exc, path) from None
        raise


def is_disk_full(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in _DISK_FULL


def disk_error(exc: OSError, path: Path) -> OSError:
    """``NoSpace`` (one line, what to do) for a full disk; the error itself otherwise."""
    if is_disk_full(exc):
        return NoSpace(
            f"no space left on the device writing {path}; free some space and run again "
            "(partial downloads are kept and resume)"
        )
    return exc


def free_bytes(path: Path) -> int:
    """Bytes an unprivileged writer can still use on the filesystem that holds ``path``
    (or would hold it: the nearest existing parent is asked)."""
    probe = path
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    info = os.statvfs(probe)
    return info.f_bavail * info.f_frsize


def require_space(path: Path, needed: int, what: str, override: str = "") -> None:
    """``NoSpace`` unless the filesystem holding ``path`` has ``needed`` bytes free."""
    free = free_bytes(path)
    if needed > free:
        from .units import human_bytes

        hint = f", or {override}" if override else ""
        raise NoSpace(
            f"{what} needs {human_bytes(needed)} on the filesystem of {path}, which has "
            f"{human_bytes(free)} free; free some space{hint}"
        )


@functools.cache
def boot_id() -> str | None:
    """An identifier of this boot of the machine (Linux), or None where there is none.

    Journals record it: bytes written but never fsynced are trusted after a SIGKILL (the page
    cache keeps them) but not after a reboot (a power loss may have dropped them).
    """
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip() or None
    except OSError:
        return None


def remove_owned(path: Path) -> None:
    """Unlink a file the tool owns, if it is there (a link is unlinked, never followed)."""
    path.unlink(missing_ok=True)


def kind_of(mode: int) -> str:
    """What an ``lstat`` mode is, in words for a message: "a symbolic link", "a folder", …"""
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISREG(mode):
        return "a file"
    return "a device, pipe or socket"
