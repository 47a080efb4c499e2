"""Content digests: a mapping keyed by algorithm name, one registry of hash functions.

``Digests`` is ``{"md5": hex, "xxh3_128": hex, …}``. ``xxh3_128`` is what we pin (several GB/s);
``md5`` is what blob stores publish (``Content-MD5``, single-part S3 ETags), so downloads can be
checked against the source without trusting our own pins. Readers skip algorithms they do not
know (``known``), so adding one — a chunked sha256, say — is one registry entry and no break.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Protocol

import xxhash

CHUNK_SIZE = 1 << 20  # 1 MiB: large enough for full-speed I/O, small enough to bound memory
PIN = "xxh3_128"  # the algorithm the lock pins and the state records
# mlhub-sync mirrors state a digested archive's XXH3-128 in this response header.
XXH3_HEADER = "X-Checksum-Xxh3-128"

Digests = dict[str, str]


class Hasher(Protocol):
    def update(self, data: bytes | memoryview, /) -> object: ...
    def hexdigest(self) -> str: ...


def _md5() -> Hasher:
    import hashlib  # only when an MD5 is wanted: most runs never need it

    return hashlib.md5(usedforsecurity=False)


def _sha256() -> Hasher:
    import hashlib

    return hashlib.sha256()


_REGISTRY: dict[str, Callable[[], Hasher]] = {
    "md5": _md5,
    "xxh3_128": xxhash.xxh3_128,
    "sha256": _sha256,  # what some HTTPS file lists and STAC ``file:checksum`` state
}
# Fastest first: when one digest is enough to tell two files apart, use the cheapest.
PREFERENCE = ("xxh3_128", "md5", "sha256")
MIRROR_DIGESTS = ("xxh3_128", "md5")  # what a mirror states for each archive it serves


def known(digests: Mapping[str, str]) -> Digests:
    """Only the algorithms this version can compute (unknown ones are skipped, not errors)."""
    return {name: value for name, value in digests.items() if name in _REGISTRY}


class MultiHasher:
    """Feeds the same bytes to several hash functions."""

    def __init__(self, algorithms: Iterable[str] = PREFERENCE) -> None:
        self._hashers = {name: _REGISTRY[name]() for name in algorithms if name in _REGISTRY}

    def update(self, data: bytes | memoryview) -> None:
        for hasher in self._hashers.values():
            hasher.update(data)

    def hexdigests(self) -> Digests:
        return {name: hasher.hexdigest() for name, hasher in self._hashers.items()}


def hash_descriptor(descriptor: int, length: int, algorithms: Iterable[str]) -> Digests:
    """Hash the first ``length`` bytes of an open file with ``pread`` (position untouched)."""
    hasher = MultiHasher(algorithms)
    offset = 0
    while offset < length:
        chunk = os.pread(descriptor, min(CHUNK_SIZE, length - offset), offset)
        if not chunk:
            raise OSError(f"file shrank while it was hashed ({offset:,} of {length:,} bytes)")
        hasher.update(chunk)
        offset += len(chunk)
    return hasher.hexdigests()


def hash_file(path: Path, algorithms: Iterable[str] = MIRROR_DIGESTS) -> Digests:
    """Hash a whole regular file in bounded memory; returns ``{algorithm: hexdigest}``.

    Only a regular file is read (a link to ``/dev/zero`` would never end): anything else is
    an ``OSError`` naming it.
    """
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(descriptor)
        if not (info.st_mode & 0o170000 == 0o100000):
            raise OSError(f"{path} is not a regular file")
        return hash_descriptor(descriptor, info.st_size, algorithms)
    finally:
        os.close(descriptor)


def compare(expected: Mapping[str, str], actual: Mapping[str, str]) -> list[str]:
    """``"md5: expected …, got …"`` for each algorithm both sides have and disagree on."""
    return [
        f"{name}: expected {value}, got {actual[name]}"
        for name, value in expected.items()
        if name in actual and actual[name] != value
    ]


def needed(expected: Mapping[str, str]) -> tuple[str, ...]:
    """What to compute for a download: the pin always, plus whatever is expected and known."""
    return tuple(dict.fromkeys((PIN, *known(expected))))
