"""Manifests and locks, parsed and validated once per content, then read from a cache.

libyaml still builds Python objects slowly: a 10,000-archive lock (1.8 MB) takes 2 s to load,
more than an in-sync ``apply`` may take in all. So a validated document is cached as JSON,
keyed by its path and checked against the XXH3 of its bytes (a changed file is parsed again),
and re-validated by the compiled schema when read back (the cache is a file like any other).
The cache lives in ``$MLHUB_SYNC_CACHE``, else ``$XDG_CACHE_HOME/mlhub-sync``, else
``~/.cache/mlhub-sync``; deleting it costs one slow parse per document, nothing else.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import xxhash

from .. import __version__
from ..exceptions import ConfigError
from ..fsutil import atomic_write, read_bounded
from ..http.config import cache_home
from . import schema

if TYPE_CHECKING:  # YAML is parsed only when the cache misses
    from .yamlio import Document

Extra = Callable[["Document"], Any]
log = logging.getLogger(__name__)
CACHE_FORMAT = 3  # 3: a lock's entry carries its file lists decoded, not as text
KEEP_ENTRIES = 256  # one per document path; the least recently written go beyond that
# Parser events a document may have, by kind: 10,000 datasets in a manifest are ~100,000.
MAX_EVENTS = {"manifest": 1_000_000}


def load(path: Path, kind: str, limit: int, extra: Extra | None = None) -> tuple[Any, Any]:
    """``(data, extra)`` of the document at ``path``, validated against schema ``kind``.

    ``extra(document)`` computes what else the caller needs from the parse (positions, say),
    cached with the data. An empty document is ``(None, None)``.
    """
    try:
        raw = read_bounded(path, limit, kind)
    except FileNotFoundError:
        raise ConfigError(f"{path} does not exist") from None
    digest = xxhash.xxh3_128_hexdigest(raw)
    entry = _entry(path, kind)
    cached = _read_cache(entry, digest, kind)
    if cached is not None:
        return cached
    log.debug("%s: parsing (not in the cache %s)", path, entry)
    from . import yamlio

    document = yamlio.parse(raw, str(path), MAX_EVENTS.get(kind, yamlio.MAX_EVENTS))
    if document.data is None:
        return None, None
    schema.validate(document, kind)
    result = (document.data, extra(document) if extra else None)
    _write_cache(entry, digest, kind, result)
    return result


def remember_digest(path: Path, kind: str, digest: str, data: Any, extra: Any = None) -> None:
    """Cache ``data`` (and what ``extra`` would have computed) as what ``path`` holds while its
    bytes have XXH3-128 ``digest``: the next command reads a document we wrote without a parse."""
    _write_cache(_entry(path, kind), digest, kind, (data, extra))


def _version(kind: str) -> str:
    """Entries of another mlhub-sync version or schema are not used."""
    schema_digest = xxhash.xxh3_64_hexdigest(schema.schema_text(kind).encode())
    return f"{__version__}:{CACHE_FORMAT}:{schema_digest}"


def _entry(path: Path, kind: str) -> Path:
    where = os.path.abspath(path)
    return cache_home() / "documents" / f"{kind}-{xxhash.xxh3_64_hexdigest(where.encode())}.json"


def _read_cache(entry: Path, digest: str, kind: str) -> tuple[Any, Any] | None:
    try:
        cached = json.loads(read_bounded(entry, 1 << 30, "cache entry", follow=False))
        if cached["digest"] != digest or cached["version"] != _version(kind):
            return None
        data = cached["data"]
        if not schema.is_valid(data, kind):
            return None
        return data, cached.get("extra")
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return None


def _write_cache(entry: Path, digest: str, kind: str, result: tuple[Any, Any]) -> None:
    payload = {"version": _version(kind), "digest": digest, "data": result[0], "extra": result[1]}
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(entry, json.dumps(payload).encode(), durable=False)
        _trim(entry.parent)
    except (OSError, ConfigError):
        pass  # a read-only or full cache only costs the next run a parse


def _trim(folder: Path) -> None:
    """Keep the cache bounded: projects in temporary folders each leave an entry behind."""
    entries = [p for p in folder.iterdir() if p.suffix == ".json"]
    if len(entries) <= KEEP_ENTRIES:
        return
    entries.sort(key=lambda p: p.stat().st_mtime)
    for old in entries[: len(entries) - KEEP_ENTRIES]:
        old.unlink(missing_ok=True)
