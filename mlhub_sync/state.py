"""Local state under ``<target>/.mlhub-sync/``: what this tool wrote, and a lock for applies.

``state.json`` remembers, per archive it wrote or verified, the file's (size, mtime_ns, inode)
and digests: a no-op ``apply`` then needs one ``stat`` per file instead of a rehash. A record
is trusted only while the file's stat still matches it; a corrupt state file is set aside
with a warning, never trusted.
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

STATE_DIR = ".mlhub-sync"
STATE_FILE = "state.json"
APPLY_LOCK = "apply.lock"


@dataclass
class ArchiveRecord:
    path: str  # relative to the target
    size: int
    mtime_ns: int
    inode: int
    xxh3_128: str
    md5: str | None = None
    etag: str | None = None
    extracted_to: str | None = None  # relative folder, when this tool extracted the archive
    extracted_from: str | None = None  # the xxh3_128 of the archive it was extracted from

    @classmethod
    def of(
        cls,
        path: Path,
        target: Path,
        digests: dict[str, str],
        etag: str | None,
        previous: ArchiveRecord | None = None,
    ) -> ArchiveRecord:
        """A record for the file at ``path`` as it is now (keeping a previous extraction)."""
        stat = path.stat()
        return cls(
            path=str(path.relative_to(target)),
            size=stat.st_size,
            mtime_ns=stat.st_mtime_ns,
            inode=stat.st_ino,
            xxh3_128=digests["xxh3_128"],
            md5=digests.get("md5"),
            etag=etag,
            extracted_to=previous.extracted_to if previous else None,
            extracted_from=previous.extracted_from if previous else None,
        )

    def matches(self, stat: os.stat_result) -> bool:
        return (stat.st_size, stat.st_mtime_ns, stat.st_ino) == (
            self.size,
            self.mtime_ns,
            self.inode,
        )


class State:
    """Records keyed ``<dataset_id>/<collection_id>``; thread-safe, saved atomically."""

    def __init__(self, target: Path, records: dict[str, ArchiveRecord] | None = None) -> None:
        self.target = target
        self.records = records or {}
        self._lock = threading.Lock()

    @property
    def path(self) -> Path:
        return self.target / STATE_DIR / STATE_FILE

    @classmethod
    def load(cls, target: Path, warn: Callable[[str], None]) -> State:
        path = target / STATE_DIR / STATE_FILE
        try:
            raw = json.loads(path.read_text())
            records = {key: ArchiveRecord(**value) for key, value in raw["archives"].items()}
            if raw.get("version") != 1:
                raise ValueError("unknown version")
        except FileNotFoundError:
            return cls(target)
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
            warn(
                f"ignoring corrupt state file {path} ({type(exc).__name__}); archives will be "
                "verified by hashing them again"
            )
            return cls(target)
        return cls(target, records)

    def record(self, key: str, record: ArchiveRecord) -> None:
        with self._lock:
            self.records[key] = record

    def forget(self, key: str) -> None:
        with self._lock:
            self.records.pop(key, None)

    def save(self) -> None:
        with self._lock:
            payload = {
                "version": 1,
                "archives": {key: asdict(record) for key, record in sorted(self.records.items())},
            }
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_name(f".{STATE_FILE}.{threading.get_ident()}.tmp")
            with temporary.open("w") as stream:
                json.dump(payload, stream, indent=1)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, self.path)


@contextmanager
def apply_lock(target: Path, on_wait: Callable[[str], None]) -> Iterator[None]:
    """One apply per target at a time: the second waits (saying so) until the first ends."""
    directory = target / STATE_DIR
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / APPLY_LOCK).open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            on_wait(f"waiting for another mlhub-sync apply on {target} (pid {holder}) to finish…")
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
