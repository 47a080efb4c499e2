"""A mirror directory: the read-only model behind ``mlhub-sync serve``.

Layout (the contract other tools build mirrors in)::

    MIRROR/datasets/<dataset_id>.json        the object GET /datasets/{id} returns
    MIRROR/collections/<collection_id>.json  the STAC Collection GET /collections/{id} returns
    MIRROR/archives/<collection_id>.tar.gz   the collection's archive (may be missing)
    MIRROR/digests/<collection_id>.json      optional, written by ``mlhub-sync mirror digest``

Everything is read from disk on demand (parsed JSON is cached per file stat), so a mirror can
be updated while it is served. Answering a question about an archive never reads the archive.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG
from typing import IO, Any

import xxhash

from ..digests import hash_file
from ..exceptions import ConfigError
from ..ids import ARCHIVE_SUFFIX, is_safe_id


@dataclass(frozen=True)
class ArchiveFile:
    """What the server states about one archive, all from ``stat`` and the digest sidecar."""

    collection_id: str
    path: Path
    size: int
    mtime_ns: int
    etag: str  # strong, quoted; changes whenever the file is replaced or modified
    md5: str | None = None  # hex, only when a sidecar matching this exact file exists
    xxh3_128: str | None = None


def etag_for(stat: os.stat_result) -> str:
    """A strong ETag from (inode, size, mtime): a replaced or rewritten file gets a new one."""
    fingerprint = f"{stat.st_dev}:{stat.st_ino}:{stat.st_size}:{stat.st_mtime_ns}"
    return f'"{xxhash.xxh3_64_hexdigest(fingerprint.encode())}"'


class Mirror:
    """Read access to a mirror directory, with every id checked before it touches a path."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._json_cache: dict[Path, tuple[int, int, Any]] = {}
        self._cache_lock = threading.Lock()

    @classmethod
    def open(cls, root: Path) -> Mirror:
        """Open and check a mirror; ``ConfigError`` says what is wrong and how to fix it."""
        if not root.exists():
            raise ConfigError(f"mirror folder {root} does not exist")
        if not root.is_dir():
            raise ConfigError(f"mirror path {root} is not a folder")
        if not (root / "datasets").is_dir():
            raise ConfigError(
                f"{root} has no datasets/ folder; a mirror holds datasets/<id>.json, "
                "collections/<id>.json and archives/<id>.tar.gz"
            )
        mirror = cls(root)
        mirror.check()
        return mirror

    # -- JSON objects -------------------------------------------------------------------

    def _load_json(self, path: Path) -> Any:
        """Parse a JSON file, re-reading it only when its size or mtime changed."""
        stat = path.stat()
        cached = self._json_cache.get(path)
        if cached and cached[0] == stat.st_mtime_ns and cached[1] == stat.st_size:
            return cached[2]
        try:
            value = json.loads(path.read_bytes())
        except FileNotFoundError:
            raise
        except OSError as exc:  # a folder named like a record, a file we may not read
            raise ConfigError(f"{path}: cannot read it: {exc.strerror}") from None
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{path}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}") from None
        except UnicodeDecodeError:
            raise ConfigError(f"{path}: not UTF-8 text") from None
        with self._cache_lock:
            self._json_cache[path] = (stat.st_mtime_ns, stat.st_size, value)
        return value

    def _object(self, folder: str, object_id: str) -> dict[str, Any] | None:
        if not is_safe_id(object_id):
            return None
        path = self.root / folder / f"{object_id}.json"
        try:
            value = self._load_json(path)
        except FileNotFoundError:
            return None
        return value if isinstance(value, dict) else None

    def _ids(self, folder: str) -> list[str]:
        directory = self.root / folder
        if not directory.is_dir():
            return []
        return sorted(
            name[: -len(".json")]
            for name in os.listdir(directory)
            if name.endswith(".json") and is_safe_id(name[: -len(".json")])
        )

    def _objects(self, folder: str) -> Iterator[dict[str, Any]]:
        for object_id in self._ids(folder):
            obj = self._object(folder, object_id)
            if obj is not None:
                yield obj

    def check(self) -> None:
        """Parse every object once, so a broken file is reported at start, not per request."""
        for folder in ("datasets", "collections"):
            for object_id in self._ids(folder):
                path = self.root / folder / f"{object_id}.json"
                value = self._load_json(path)
                if not isinstance(value, dict) or value.get("id") != object_id:
                    raise ConfigError(
                        f'{path}: expected a JSON object whose "id" is {object_id!r} '
                        "(the file name without .json)"
                    )
        for dataset in self._objects("datasets"):
            for entry in dataset.get("collections") or []:
                if not (isinstance(entry, dict) and is_safe_id(entry.get("id"))):
                    raise ConfigError(
                        f"{self.root / 'datasets' / (dataset['id'] + '.json')}: every entry of "
                        f'"collections" needs a safe "id", found {entry!r}'
                    )

    def datasets(self) -> list[dict[str, Any]]:
        return list(self._objects("datasets"))

    def dataset(self, dataset_id: str) -> dict[str, Any] | None:
        return self._object("datasets", dataset_id)

    def dataset_by_doi(self, doi: str) -> dict[str, Any] | None:
        wanted = doi.strip().lower()  # DOIs are case-insensitive
        return next(
            (d for d in self._objects("datasets") if str(d.get("doi", "")).lower() == wanted),
            None,
        )

    def collections(self) -> list[dict[str, Any]]:
        return list(self._objects("collections"))

    def collection(self, collection_id: str) -> dict[str, Any] | None:
        return self._object("collections", collection_id)

    def dataset_of(self, collection_id: str) -> tuple[str | None, list[str]]:
        """The first dataset (by id) listing this collection, and the types it gives it."""
        for dataset in self._objects("datasets"):
            for entry in dataset.get("collections") or []:
                if isinstance(entry, dict) and entry.get("id") == collection_id:
                    return dataset["id"], list(entry.get("types") or [])
        return None, []

    # -- archives -----------------------------------------------------------------------

    def archive_path(self, collection_id: str) -> Path:
        return self.root / "archives" / f"{collection_id}{ARCHIVE_SUFFIX}"

    def _digest_path(self, collection_id: str) -> Path:
        return self.root / "digests" / f"{collection_id}.json"

    def archive(self, collection_id: str) -> ArchiveFile | None:
        """Stat an archive (never reads it); digests only from a sidecar made for this file."""
        if not is_safe_id(collection_id):
            return None
        path = self.archive_path(collection_id)
        try:
            stat = path.stat()
        except (FileNotFoundError, NotADirectoryError):
            return None
        return self._describe(collection_id, path, stat)

    def open_archive(self, collection_id: str) -> tuple[ArchiveFile, IO[bytes]] | None:
        """Open an archive for reading, described by ``fstat`` of the open file.

        Opening first means the ETag always belongs to the bytes served, even when the
        file is replaced a moment later.
        """
        if not is_safe_id(collection_id):
            return None
        path = self.archive_path(collection_id)
        try:
            stream = path.open("rb")
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            return None
        archive = self._describe(collection_id, path, os.fstat(stream.fileno()))
        if archive is None:
            stream.close()
            return None
        return archive, stream

    def _describe(self, collection_id: str, path: Path, stat: os.stat_result) -> ArchiveFile | None:
        if not S_ISREG(stat.st_mode):
            return None
        etag = etag_for(stat)
        sidecar = self._read_sidecar(collection_id)
        if sidecar.get("etag") != etag:  # stale or missing: the file changed since hashing
            sidecar = {}
        return ArchiveFile(
            collection_id=collection_id,
            path=path,
            size=stat.st_size,
            mtime_ns=stat.st_mtime_ns,
            etag=etag,
            md5=sidecar.get("md5"),
            xxh3_128=sidecar.get("xxh3_128"),
        )

    def _read_sidecar(self, collection_id: str) -> dict[str, Any]:
        try:
            value = json.loads(self._digest_path(collection_id).read_bytes())
        except (OSError, ValueError):
            return {}
        return value if isinstance(value, dict) else {}

    def archive_ids(self) -> list[str]:
        directory = self.root / "archives"
        if not directory.is_dir():
            return []
        return sorted(
            name[: -len(ARCHIVE_SUFFIX)]
            for name in os.listdir(directory)
            if name.endswith(ARCHIVE_SUFFIX) and is_safe_id(name[: -len(ARCHIVE_SUFFIX)])
        )

    def undigested(self) -> list[str]:
        """Archives without a current digest sidecar: served without Content-MD5."""
        return [a for a in self.archive_ids() if (found := self.archive(a)) and not found.md5]

    def write_digests(self, collection_id: str) -> tuple[ArchiveFile, bool]:
        """Hash an archive and write its sidecar; returns (archive, whether it was hashed now).

        A sidecar that still matches the file is kept: re-running the step is cheap.
        """
        archive = self.archive(collection_id)
        if archive is None:
            raise ConfigError(f"no archive {self.archive_path(collection_id)}")
        if archive.md5 and archive.xxh3_128:
            return archive, False
        digests = hash_file(archive.path)
        after = self.archive(collection_id)
        if after is None or after.etag != archive.etag:
            raise ConfigError(f"{archive.path} changed while it was hashed; run the step again")
        record = {"etag": archive.etag, "size": archive.size, **digests}
        sidecar = self._digest_path(collection_id)
        sidecar.parent.mkdir(exist_ok=True)
        temporary = sidecar.with_name(f".{sidecar.name}.tmp")
        temporary.write_text(json.dumps(record, indent=2) + "\n")
        os.replace(temporary, sidecar)
        return self.archive(collection_id) or archive, True
