"""Datasets of loose files: where a manifest entry's files come from, how they are locked, and
how ``apply`` finds each one's bytes today.

A dataset's ``source`` is one of: a location (``az://``, ``s3://`` with an optional
``endpoint``), a static STAC catalog (``stac+https://…``), a file list (``files:``), or — for
an entry that is just an id, when no MLHub API is named anywhere — the built-in catalogue's
location for it. ``include``/``exclude`` globs select paths (``*`` within a folder, ``**``
across folders). The lock records the canonical source and, per file, path, size and content
digests; never a host's validators, so a lock made through any byte-identical mirror is the same.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from ..digests import PIN, Digests
from ..exceptions import APIError, ConfigError
from ..http.api import ApiClient
from ..http.pool import TransferPool
from ..sources.base import RemoteFile
from ..urls import host_of
from .filelist import UPSTREAM
from .layout import is_ours
from .lockfile import LockedCollection, LockedDataset
from .manifest import DatasetSpec
from .state import ArchiveRecord

log = logging.getLogger(__name__)


def source_for(spec: DatasetSpec, use_catalogue: bool) -> dict[str, Any] | None:
    """The dataset's source as the lock records it; None for an MLHub API dataset."""
    source = spec.source
    if source is not None and ("url" in source or "files" in source):
        return source
    if source is None and not use_catalogue:
        return None
    from ..sources.catalogue import lookup

    entry = lookup(spec.id, spec.where)
    return {"url": entry.location.url, **(source or {})}


def remote_files(
    source: Mapping[str, Any], mirrors: Mapping[str, str], pool: TransferPool, what: str
) -> Iterator[RemoteFile]:
    """The files ``source`` names now, those the globs select, as the engine needs them."""
    keep = selector(source.get("include"), source.get("exclude"))
    return (f for f in _listed(source, mirrors, pool, what) if keep(f.name))


def _listed(
    source: Mapping[str, Any], mirrors: Mapping[str, str], pool: TransferPool, what: str
) -> Iterator[RemoteFile]:
    from ..sources import https_list, stac

    if "files" in source:
        files = https_list.parse_files(source["files"], what)
        return https_list.describe(ApiClient("http://unused/", None, pool), files, what)
    url = str(source["url"])
    if url.startswith(stac.SCHEME):
        root = stac.root_of(url, what)
        return stac.walk(ApiClient(root, None, pool), root, what)
    from ..sources import catalogue, locations
    from ..sources.objects import list_location

    location = locations.parse(url, source.get("endpoint"), what)
    alternates = next(
        (e.alternates for e in catalogue.entries().values() if e.location == location), ()
    )
    return list_location(location, mirrors, alternates, pool)


def lock_dataset(
    spec: DatasetSpec,
    source: dict[str, Any],
    files: Iterable[RemoteFile],
    previous: LockedDataset | None,
) -> LockedDataset:
    """The lock entry: files sorted by path, each with the digests its publisher states. What
    the previous lock knew of a file (a pin, an MD5 stated by another mirror) survives while
    the source is the same and the size and stated digests still agree."""
    same = (
        previous is not None
        and previous.source is not None
        and all(previous.source.get(k) == source.get(k) for k in ("url", "endpoint"))
    )
    before = {c.id: c for c in previous.collections} if previous and same else {}
    entries: dict[str, LockedCollection] = {}
    folded: dict[str, str] = {}
    for file in files:
        if file.name in entries:
            raise APIError(f"{spec.where}: {spec.id}: the source lists {file.name!r} twice")
        if is_ours(file.name):
            raise APIError(
                f"{spec.where}: {spec.id}: the source has a file {file.name!r}, named like "
                "mlhub-sync's partial downloads; leave it out with `exclude:`"
            )
        other = folded.setdefault(file.name.casefold(), file.name)
        if other != file.name:
            log.warning(
                "%s: %r and %r differ only in case: on a case-insensitive filesystem one "
                "would overwrite the other",
                spec.id,
                other,
                file.name,
            )
        digests = {name: file.digests[name] for name in (*UPSTREAM, PIN) if name in file.digests}
        entries[file.name] = LockedCollection(
            file.name, [], file.size, digests=_merged(digests, file.size, before.get(file.name))
        )
    for name in entries:  # "a" and "a/b" cannot both be files on disk
        parent = name.rpartition("/")[0]
        while parent:
            if parent in entries:
                raise APIError(
                    f"{spec.where}: {spec.id}: the source has both a file {parent!r} and files "
                    f"under {parent + '/'!r}; leave one out with `exclude:`"
                )
            parent = parent.rpartition("/")[0]
    title = previous.title if previous else None
    if title is None and source.get("url"):
        from ..sources.catalogue import entries as catalogue

        found = catalogue().get(spec.id)
        title = found.title if found else None
    ordered = [entries[name] for name in sorted(entries)]
    return LockedDataset(spec.id, title, {}, spec.if_exists, False, ordered, source)


def _merged(digests: Digests, size: int, old: LockedCollection | None) -> Digests:
    if old is None or old.size != size:
        return digests
    if any(old.digests.get(name) not in (None, value) for name, value in digests.items()):
        return digests  # the source states another digest now: another file
    return {**old.digests, **digests}


def drift(
    locked: LockedCollection, remote: RemoteFile | None, known: ArchiveRecord | None = None
) -> list[str]:
    """How a file's source copy differs from the lock (empty: the same, as far as stated).

    Without a digest stated on both sides, ``known`` (this machine's record of the download)
    adds the host's own evidence: the ETag it gave then against the one it lists now — the
    same host only, since ETags differ between byte-identical mirrors. When a digest is
    stated on both sides and agrees, the content is the same whatever the validators say.
    """
    if remote is None:
        return ["no longer listed by the source"]
    found = []
    if remote.size != locked.size:
        found.append(f"size {locked.size:,} → {remote.size:,}")
    compared = False
    for name in UPSTREAM:
        stated, now = locked.digests.get(name), remote.digests.get(name)
        if stated and now:
            compared = True
            if stated != now:
                found.append(f"{name} {stated} → {now}")
    if not found and not compared and known and known.etag and remote.etag:
        host = host_of(remote.url)
        if known.host == host and known.etag != remote.etag:
            found.append(f"ETag at {host} {known.etag} → {remote.etag} since it was downloaded")
    return found


def selector(include: list[str] | None, exclude: list[str] | None) -> Callable[[str], bool]:
    """A predicate on paths: in some ``include`` glob (all, without any) and no ``exclude``."""
    wanted = [_glob(g) for g in include or []]
    unwanted = [_glob(g) for g in exclude or []]

    def keep(path: str) -> bool:
        if wanted and not any(p.fullmatch(path) for p in wanted):
            return False
        return not any(p.fullmatch(path) for p in unwanted)

    return keep


def _glob(pattern: str) -> re.Pattern[str]:
    """``data/**/*.tif`` as a regex: ``**/`` any folders (or none), ``*`` and ``?`` within one
    folder, ``[…]`` a class; a pattern ending in ``/`` means everything under that folder."""
    if pattern.endswith("/"):
        pattern += "**"
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and "]" in pattern[i + 2 :]:
            end = pattern.index("]", i + 2)
            body = pattern[i + 1 : end]
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
            i = end + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    try:
        return re.compile("".join(out))
    except re.error:
        raise ConfigError(f"bad glob {pattern!r}") from None
