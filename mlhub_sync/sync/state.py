"""Local state under ``<target>/.mlhub-sync/``: what this tool wrote, and a lock for applies.

``state.json`` remembers, per archive it wrote or verified, the file's (size, mtime_ns, inode)
and digests: a no-op ``apply`` then needs one ``stat`` per file instead of a rehash. A record
is trusted only while the file's stat still matches it. The file is input like any other:
bounded in size and in the values it may make ``json`` build, and checked record by record —
a record of the wrong shape, or naming a place other than its key's, is ignored with a
warning (``rejected``, shown by ``status``), never acted on; a file that does not parse is set
aside whole. A link or a folder where the state folder or file belongs is refused, not written
through. It is written only when something changed, and during a long run in batches (every
``SAVE_EVERY`` seconds), not once per file.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import stat as stat_module
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from ..digests import PIN, Digests
from ..exceptions import ConfigError
from ..fsutil import atomic_write, kind_of, open_owned, read_bounded
from ..ids import ARCHIVE_SUFFIX
from .layout import APPLY_LOCK, STATE_FILE, state_dir

STATE_LIMIT = 256 << 20
# Commas and brackets in the file: a bound on the values ``json`` builds (2 GiB of memory
# for the worst shapes). A record has about ten; this allows a million records and more.
STATE_VALUES = 12_000_000
SAVE_EVERY = 2.0  # seconds between saves during a run (and at its end, and on a signal)


@dataclass(slots=True)
class ArchiveRecord:
    path: str  # relative to the target
    size: int
    mtime_ns: int
    inode: int
    xxh3_128: str
    md5: str | None = None
    etag: str | None = None
    host: str | None = None  # where ``etag`` came from (``urls.host_of``): ETags are per host
    extracted_to: str | None = None  # relative folder, when this tool extracted the archive
    extracted_from: str | None = None  # the xxh3_128 of the archive it was extracted from

    @classmethod
    def of(
        cls,
        path: Path,
        target: Path,
        digests: Digests,
        etag: str | None,
        previous: ArchiveRecord | None = None,
        host: str | None = None,
    ) -> ArchiveRecord:
        """A record for the file at ``path`` as it is now (keeping a previous extraction, and
        the previous host's validator when no new one is known: a rehash does not forget it)."""
        stat = path.stat()
        if etag is None and previous is not None:
            etag, host = previous.etag, previous.host
        return cls(
            path=str(path.relative_to(target)),
            size=stat.st_size,
            mtime_ns=stat.st_mtime_ns,
            inode=stat.st_ino,
            xxh3_128=digests[PIN],
            md5=digests.get("md5"),
            etag=etag,
            host=host if etag else None,
            extracted_to=previous.extracted_to if previous else None,
            extracted_from=previous.extracted_from if previous else None,
        )

    def matches(self, stat: os.stat_result) -> bool:
        return (stat.st_size, stat.st_mtime_ns, stat.st_ino) == (
            self.size,
            self.mtime_ns,
            self.inode,
        )


RECORD_FIELDS = tuple(field.name for field in fields(ArchiveRecord))


class State:
    """Records keyed ``<dataset_id>/<collection_id>``; thread-safe, saved atomically.

    ``projects``: per project (``layout.owner_of`` its lock), the keys it uses — what
    ``--prune`` of one project sharing the target must leave to the others. Sets, so that
    claiming 100,000 files is one set difference, not 100,000 list lookups.
    """

    def __init__(
        self,
        target: Path,
        records: dict[str, ArchiveRecord] | None = None,
        projects: dict[str, set[str]] | None = None,
    ) -> None:
        self.target = target
        self.records = records or {}
        self.projects = projects or {}
        self.rejected: dict[str, str] = {}  # key → why its record was ignored (``load``)
        self._lock = threading.Lock()
        self._dirty = False
        self._saved_at = time.monotonic()

    @property
    def path(self) -> Path:
        return state_dir(self.target) / STATE_FILE

    @classmethod
    def load(cls, target: Path, warn: Callable[[str], None]) -> State:
        path = state_dir(target) / STATE_FILE
        try:
            own_folder(target, create=False)
            _own_file(path)
        except (FileNotFoundError, NotADirectoryError):  # nothing written there yet
            return cls(target)
        try:
            data = read_bounded(path, STATE_LIMIT, "state file", follow=False)
            values = data.count(b",") + data.count(b"[") + data.count(b"{")
            if values > STATE_VALUES:
                raise ValueError(f"{values:,} values, over the limit of {STATE_VALUES:,}")
            records, projects, rejected = _decoded(json.loads(data))
        except FileNotFoundError:
            return cls(target)
        except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
            warn(
                f"ignoring corrupt state file {path} ({type(exc).__name__}); archives will be "
                "verified by hashing them again"
            )
            return cls(target)
        if rejected:
            key, why = next(iter(rejected.items()))
            warn(
                f"ignoring {len(rejected):,} state record(s) in {path} that are not as "
                f"mlhub-sync writes them (first: {key[:200]!r}: {why}); those files will be "
                "verified by hashing them again"
            )
        found = cls(target, records, projects)
        found.rejected = rejected
        return found

    def claim(self, owner: str, keys: set[str]) -> None:
        """Record that project ``owner`` uses ``keys`` (saved only if that is news)."""
        with self._lock:
            mine = self.projects.setdefault(owner, set())
            if not keys <= mine:
                mine |= keys
                self._dirty = True

    def disown(self, owner: str, key: str) -> None:
        with self._lock:
            if key in self.projects.get(owner, ()):
                self.projects[owner].discard(key)
                self._dirty = True

    def owners(self, key: str) -> list[str]:
        return sorted(owner for owner, keys in self.projects.items() if key in keys)

    def record(self, key: str, record: ArchiveRecord) -> None:
        with self._lock:
            self.records[key] = record
            self._dirty = True

    def forget(self, key: str) -> None:
        with self._lock:
            if self.records.pop(key, None) is not None:
                self._dirty = True

    def save_soon(self) -> None:
        """Save if something changed and the last save is ``SAVE_EVERY`` seconds old: the
        cost of a long run stays linear in its files, and a kill loses seconds of records."""
        if self._dirty and time.monotonic() - self._saved_at >= SAVE_EVERY:
            self.save()

    def save(self) -> None:
        """Write the records if anything changed since the last save (atomically, durably)."""
        with self._lock:
            if not self._dirty:
                return
            own_folder(self.target, create=True)
            atomic_write(self.path, _encoded(sorted(self.records.items()), self.projects))
            self._dirty = False
            self._saved_at = time.monotonic()


def _decoded(
    raw: dict[str, Any],
) -> tuple[dict[str, ArchiveRecord], dict[str, set[str]], dict[str, str]]:
    """(records, projects, rejected). Version 2: each record a JSON array in
    ``RECORD_FIELDS`` order (trailing nulls left out), which parses a third faster than
    objects; version 1 (objects, no projects) is still read."""
    version = raw.get("version")
    if version not in (1, 2) or not isinstance(raw.get("archives"), dict):
        raise ValueError("unknown version")
    records, rejected = {}, {}
    for key, row in raw["archives"].items():
        if version == 1:
            row = [row.get(name) for name in RECORD_FIELDS] if isinstance(row, dict) else None
        record = _record(key, row)
        if isinstance(record, str):
            rejected[key] = record
        else:
            records[key] = record
    projects: dict[str, set[str]] = {}
    if version == 2:
        for owner, keys in (raw.get("projects") or {}).items():
            if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
                rejected[f"projects/{owner}"] = "its keys are not a list of names"
                continue
            projects[owner] = set(keys)
    return records, projects, rejected


_TEXT = (str, type(None))
_FIELDS = len(RECORD_FIELDS)


def _record(key: str, row: Any) -> ArchiveRecord | str:
    """The record, or why it is not one: fields of the right types, and the places it names
    exactly those its key gives (``<key>.tar.gz`` or ``<key>``; extracted to ``<key>``) —
    whatever else a tampered file says. Runs 100,000 times in a row: plain type checks."""
    if type(row) is not list or not 5 <= len(row) <= _FIELDS:
        return "not a list of its fields"
    if len(row) < _FIELDS:
        row = row + [None] * (_FIELDS - len(row))
    path, size, mtime_ns, inode, pin, md5, etag, host, extracted_to, extracted_from = row
    if type(size) is not int or type(mtime_ns) is not int or type(inode) is not int or size < 0:
        return "size, mtime or inode is not a whole number"
    if type(pin) is not str or len(pin) != 32:  # compared with pins only: never a path
        return "its xxh3_128 is not 32 hex digits"
    if (
        type(md5) not in _TEXT
        or type(etag) not in _TEXT
        or type(host) not in _TEXT
        or type(extracted_from) not in _TEXT
    ):
        return "a digest, ETag or host is not text"
    if path != key + ARCHIVE_SUFFIX and path != key:
        return f"its path {str(path)[:100]!r} is not its own place"
    if extracted_to is not None and extracted_to != key:
        return f"its extracted_to {str(extracted_to)[:100]!r} is not its own place"
    return ArchiveRecord(*row)


def own_folder(target: Path, create: bool) -> Path:
    """``<target>/.mlhub-sync`` — a real folder, never a link (the tool would write its state
    and lock wherever one points). ``create``: make it (and the target) if missing; else a
    missing one raises ``FileNotFoundError``."""
    folder = state_dir(target)
    if create:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            if not os.path.lexists(folder):
                raise ConfigError(f"cannot create {folder}: {exc.strerror or exc}") from None
    info = os.lstat(folder)
    if not stat_module.S_ISDIR(info.st_mode):
        raise ConfigError(
            f"{folder} is {kind_of(info.st_mode)}, where mlhub-sync keeps its state; move it "
            "away, then run again"
        )
    return folder


def _own_file(path: Path) -> None:
    """A file of the tool's own (state, lock) is absent or regular, and not a link."""
    info = os.lstat(path)
    if not stat_module.S_ISREG(info.st_mode):
        raise ConfigError(
            f"{path} is {kind_of(info.st_mode)}, where mlhub-sync keeps its state; move it "
            "away, then run again"
        )


def _encoded(
    records: list[tuple[str, ArchiveRecord]], projects: dict[str, set[str]]
) -> Iterator[bytes]:
    """``{"version": 2, "projects": {…}, "archives": {key: [field, …], …}}``, a record per
    line, piece by piece: 100,000 records never become one string at once."""
    known = {key for key, _ in records}
    owned = {owner: sorted(keys & known) for owner, keys in sorted(projects.items())}
    yield b'{"version": 2, "projects": ' + json.dumps(owned).encode() + b', "archives": {\n'
    for index, (key, record) in enumerate(records):
        row = [getattr(record, name) for name in RECORD_FIELDS]
        while row and row[-1] is None:
            row.pop()
        comma = b"," if index < len(records) - 1 else b""
        yield json.dumps(key).encode() + b": " + json.dumps(row).encode() + comma + b"\n"
    yield b"}}\n"


def merge_records(
    target: Path,
    updates: Mapping[str, Callable[[ArchiveRecord | None], ArchiveRecord | None]],
    warn: Callable[[str], None],
    wait: bool = True,
) -> list[str]:
    """Under the apply lock, into the state as it is now (an apply or another job may have
    written it since it was read): for each key, the record ``updates[key]`` makes of the
    current one (None: leave it), written only while it describes the file on disk. For work
    done outside the lock (``verify``, ``mirror digest``); returns the keys written.
    ``BlockingIOError`` when the target is busy and ``wait`` is False."""
    written = []
    with apply_lock(target, warn, wait=wait):
        state = State.load(target, warn)
        for key, update in updates.items():
            record = update(state.records.get(key))
            if record is None:
                continue
            try:
                if not record.matches(os.stat(target / record.path)):
                    continue
            except OSError:
                continue
            state.record(key, record)
            written.append(key)
        state.save()
    return written


@contextmanager
def apply_lock(target: Path, on_wait: Callable[[str], None], wait: bool = True) -> Iterator[None]:
    """One apply per target at a time: the second waits (saying so) until the first ends.
    With ``wait`` False, a busy lock raises ``BlockingIOError`` instead (a background job
    that can come back later)."""
    with target_lock(target, APPLY_LOCK, "mlhub-sync apply", on_wait, wait):
        yield


@contextmanager
def target_lock(
    target: Path, name: str, who: str, on_wait: Callable[[str], None], wait: bool = True
) -> Iterator[None]:
    """An exclusive ``flock`` on ``<target>/.mlhub-sync/<name>``, holding the holder's pid
    (named to whoever waits). ``wait`` False: ``BlockingIOError`` when it is held."""
    directory = own_folder(target, create=True)
    try:
        descriptor = open_owned(directory / name, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise ConfigError(f"cannot use {directory / name}: {exc.strerror or exc}") from None
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                raise
            holder = os.pread(descriptor, 32, 0).decode(errors="replace").strip()
            on_wait(f"waiting for another {who} on {target} (pid {holder or '?'}) to finish…")
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        # The holder's pid, for whoever waits: only a courtesy, so a full disk that refuses
        # these few bytes is no reason to fail.
        with contextlib.suppress(OSError):
            os.ftruncate(descriptor, 0)
            os.pwrite(descriptor, str(os.getpid()).encode(), 0)
        yield
    finally:
        fcntl.flock(descriptor, fcntl.LOCK_UN)  # for a forked child holding it too
        os.close(descriptor)
