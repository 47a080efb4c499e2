"""Resumable, verified archive downloads.

The rules (see huggingface_hub ``http_get`` and pooch ``stream_download`` for the models):

- Bytes go to ``<name>.part``; the final name is written only by ``os.replace`` once the size
  (and every digest we know) matches. A failure leaves the final path as it was.
- ``<name>.part.json`` remembers the validator (ETag / Last-Modified) and size the partial
  started from. A resume sends ``Range`` + ``If-Range``: a changed archive comes back as ``200``
  and we restart from zero instead of splicing two versions together.
- A ``206`` must start exactly where we asked (``Content-Range``); a body shorter than
  announced is resumed; a longer one, or a wrong digest, discards the partial.
- Streamed in 1 MiB chunks, hashed while streaming: memory stays flat whatever the size.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import urljoin, urlsplit

import requests
import urllib3

from .digests import CHUNK_SIZE, XXH3_HEADER, MultiHasher
from .exceptions import ServerUnreachable, TransferError
from .ids import ARCHIVE_SUFFIX, check_id
from .progress import ProgressReporter, SilentProgress
from .session import Session, raise_for_status
from .urls import redact_url

IF_EXISTS_CHOICES = ("resume", "skip", "overwrite")
PART_SUFFIX = ".part"
_CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+|\*)")
_MD5_ETAG = re.compile(r'"?([0-9a-f]{32})"?')


class IntegrityError(TransferError):
    """Downloaded bytes did not match the expected size or digest; the partial was removed."""


class RemoteChanged(TransferError):
    """The server's archive is not the version the caller pinned (size or validators moved)."""


def check_if_exists(value: str) -> str:
    """Validate ``if_exists`` before anything is read or written."""
    if value not in IF_EXISTS_CHOICES:
        raise ValueError(f"if_exists must be one of {', '.join(IF_EXISTS_CHOICES)}; got {value!r}")
    return value


@dataclass(frozen=True)
class RemoteArchive:
    """What the server states about an archive, from a HEAD on its blob URL."""

    archive_id: str
    # The blob URL (absolute, may be signed: only ever shown through redact_url), or the API
    # path when the API serves the bytes itself (then the session adds the key).
    url: str
    size: int
    etag: str | None = None
    last_modified: str | None = None
    md5: str | None = None  # hex, from Content-MD5 or an MD5-shaped (S3) ETag
    xxh3_128: str | None = None  # hex, when the server states it (mlhub-sync mirrors do)

    @property
    def validator(self) -> str | None:
        """What ``If-Range`` can carry: a strong ETag, else the Last-Modified date."""
        if self.etag and not self.etag.startswith("W/"):
            return self.etag
        return self.last_modified


@dataclass(frozen=True)
class Expected:
    """What a caller (the lockfile) pins; the download fails unless the bytes match."""

    size: int | None = None
    digests: dict[str, str] = field(default_factory=dict)  # algorithm → hex
    # Send If-Match with the checked version's ETag: a change between HEAD and GET is a 412.
    if_match: bool = False


@dataclass
class DownloadResult:
    path: Path
    action: str  # "downloaded", "resumed", "skipped" (kept without a request), "complete"
    size: int
    transferred: int = 0
    digests: dict[str, str] = field(default_factory=dict)  # computed over the whole file
    remote: RemoteArchive | None = None


def md5_from_headers(headers: Any) -> str | None:
    """Hex MD5 from ``Content-MD5`` (base64, Azure) or a single-part S3 ``ETag``."""
    content_md5 = headers.get("Content-MD5")
    if content_md5:
        try:
            raw = base64.b64decode(content_md5, validate=True)
        except (binascii.Error, ValueError):
            return None
        return raw.hex() if len(raw) == 16 else None
    etag = headers.get("ETag") or ""
    match = _MD5_ETAG.fullmatch(etag)
    return match.group(1) if match else None


def described(archive_id: str, url: str, response: requests.Response) -> RemoteArchive:
    """The archive as a HEAD or a 200 GET describes it: size, validators, stated digests."""
    size = response.headers.get("Content-Length")
    if size is None or not size.isdigit():
        raise TransferError(f"{redact_url(response.url)} did not state the archive's size")
    return RemoteArchive(
        archive_id=archive_id,
        url=url,
        size=int(size),
        etag=response.headers.get("ETag"),
        last_modified=response.headers.get("Last-Modified"),
        md5=md5_from_headers(response.headers),
        xxh3_128=response.headers.get(XXH3_HEADER),
    )


def resolve_archive(session: Session, archive_id: str) -> RemoteArchive:
    """Ask the API where the archive is (its redirect) and what it is (HEAD on the blob)."""
    check_id(archive_id, "archive id")
    what = f"Archive {archive_id!r}"
    api_path = f"archive/{archive_id}"
    answer = session.head(api_path, allow_redirects=False)
    if not answer.is_redirect:  # the API serves the bytes itself: fetch them as an API path
        raise_for_status(answer, what)
        return described(archive_id, api_path, answer)
    location = urljoin(answer.url, answer.headers["Location"])
    if urlsplit(location).scheme not in ("http", "https"):
        raise TransferError(f"{what}: the API redirected to a non-HTTP URL; refusing it")
    head = session.head(location, allow_redirects=True)  # absolute: sent without the key
    raise_for_status(head, what)
    return described(archive_id, head.url, head)


class Partial:
    """``<name>.part`` and the record of the version it was started from."""

    def __init__(self, final: Path) -> None:
        self.final = final
        self.path = final.with_name(final.name + PART_SUFFIX)
        self.meta = final.with_name(final.name + PART_SUFFIX + ".json")

    def size(self) -> int:
        try:
            return self.path.stat().st_size
        except FileNotFoundError:
            return 0

    def started_from(self) -> dict[str, Any]:
        try:
            value = json.loads(self.meta.read_text())
        except (OSError, ValueError):
            return {}
        return value if isinstance(value, dict) else {}

    def record(self, remote: RemoteArchive) -> None:
        record = {"size": remote.size, "etag": remote.etag, "last_modified": remote.last_modified}
        temporary = self.meta.with_name(self.meta.name + ".tmp")
        temporary.write_text(json.dumps(record))
        os.replace(temporary, self.meta)

    def resumable_offset(self, remote: RemoteArchive) -> int:
        """How many bytes of the partial belong to ``remote``'s current version (0 if unsure)."""
        size = self.size()
        started = self.started_from()
        same_version = (
            started.get("size") == remote.size
            and remote.validator is not None
            and remote.validator in (started.get("etag"), started.get("last_modified"))
        )
        return size if same_version and size <= remote.size else 0

    def adopt(self) -> None:
        """Take over a partial another tool left at the final name (the seed's semantics)."""
        os.replace(self.final, self.path)

    def discard(self) -> None:
        for path in (self.path, self.meta):
            path.unlink(missing_ok=True)

    def commit(self) -> None:
        os.replace(self.path, self.final)
        self.meta.unlink(missing_ok=True)


def _hash_prefix(path: Path, length: int, hasher: MultiHasher) -> None:
    with path.open("rb") as stream:
        remaining = length
        while remaining:
            chunk = stream.read(min(CHUNK_SIZE, remaining))
            if not chunk:
                raise TransferError(f"{path} shrank while it was being read")
            hasher.update(chunk)
            remaining -= len(chunk)


def _raw_chunks(response: requests.Response) -> Iterator[bytes]:
    """The body exactly as sent (no transparent decompression), in CHUNK_SIZE pieces."""
    yield from response.raw.stream(CHUNK_SIZE, decode_content=False)


@dataclass
class _Transfer:
    """One archive's download loop; each retry resumes from the bytes already on disk."""

    session: Session
    remote: RemoteArchive
    partial: Partial
    progress: ProgressReporter
    algorithms: tuple[str, ...]
    if_match: bool = False
    max_failures: int = 5
    offset: int = 0
    transferred: int = 0
    resumed: bool = False
    hasher: MultiHasher = field(init=False)

    def run(self) -> dict[str, str]:
        """Fill ``partial`` with the whole archive; returns its digests."""
        self.offset = self.partial.resumable_offset(self.remote)
        self.resumed = self.offset > 0
        self.hasher = MultiHasher(self.algorithms)
        if self.offset:
            _hash_prefix(self.partial.path, self.offset, self.hasher)
        self.partial.record(self.remote)
        name = self.remote.archive_id
        self.progress.start(name, self.remote.size, self.offset)
        failures = 0
        try:
            with self.partial.path.open("r+b" if self.offset else "wb") as out:
                out.truncate(self.offset)
                out.seek(self.offset)
                while self.offset < self.remote.size:
                    before = self.offset
                    try:
                        self._fetch(out)
                        reason = "the body ended early"
                    except (requests.RequestException, urllib3.exceptions.HTTPError) as exc:
                        reason = type(exc).__name__
                    except ServerUnreachable as exc:
                        raise TransferError(
                            f"{exc} The partial download is kept; run again to resume."
                        ) from None
                    if self.offset >= self.remote.size:
                        break
                    failures = 0 if self.offset > before else failures + 1
                    if failures >= self.max_failures:
                        raise TransferError(
                            f"download of {name} stopped at {self.offset:,} of "
                            f"{self.remote.size:,} bytes after {failures} attempts without "
                            f"progress ({reason}); the partial is kept in {self.partial.path} "
                            "— run again to resume"
                        )
                    self.session.retry_sleep(max(failures, 1))
                out.flush()
                os.fsync(out.fileno())
        finally:
            self.progress.finish(name)
        return self.hasher.hexdigests()

    def _fetch(self, out: IO[bytes]) -> None:
        """One GET from ``self.offset``, appending what arrives until the body ends."""
        remote = self.remote
        headers = {"Accept-Encoding": "identity"}
        if self.offset:
            headers["Range"] = f"bytes={self.offset}-"
            if remote.validator:
                headers["If-Range"] = remote.validator
        if self.if_match and remote.etag and not remote.etag.startswith("W/"):
            headers["If-Match"] = remote.etag
        response = self.session.get(remote.url, headers=headers, stream=True)
        with response:
            if response.status_code == 412:
                raise RemoteChanged(
                    f"remote archive {remote.archive_id} changed while it was being downloaded"
                )
            if response.status_code == 403 and self.offset:
                # A signed blob URL may have expired during a long transfer: ask again.
                fresh = resolve_archive(self.session, remote.archive_id)
                if (fresh.size, fresh.validator) != (remote.size, remote.validator):
                    self._restart(out, fresh)
                self.remote = fresh
                return
            raise_for_status(response, f"Archive {remote.archive_id!r}")
            encoding = response.headers.get("Content-Encoding", "identity").lower()
            if encoding not in ("identity", ""):
                raise TransferError(
                    f"{redact_url(response.url)} sent the archive with Content-Encoding "
                    f"{encoding!r} although identity was asked for; refusing to guess its bytes"
                )
            if response.status_code == 200:
                served = self._served(remote, response)
                if self.if_match and served != remote:
                    raise RemoteChanged(
                        f"remote archive {remote.archive_id} changed while it was being downloaded"
                    )
                if self.offset or served != remote:
                    # Range ignored, or If-Range said the archive changed: start over.
                    self._restart(out, served)
            elif response.status_code == 206:
                self._check_content_range(response, remote, self.offset)
            else:
                raise TransferError(
                    f"{redact_url(response.url)} answered {response.status_code} to a download"
                )
            for chunk in _raw_chunks(response):
                if self.offset + len(chunk) > self.remote.size:
                    self.partial.discard()
                    raise TransferError(
                        f"{redact_url(response.url)} sent more than the {self.remote.size:,} "
                        "bytes it announced; the partial was removed"
                    )
                out.write(chunk)
                self.hasher.update(chunk)
                self.offset += len(chunk)
                self.transferred += len(chunk)
                self.progress.advance(remote.archive_id, len(chunk))

    def _restart(self, out: IO[bytes], remote: RemoteArchive) -> None:
        """Drop what we have and start ``remote`` (possibly a new version) from zero."""
        out.seek(0)
        out.truncate(0)
        self.hasher = MultiHasher(self.algorithms)
        self.progress.advance(remote.archive_id, -self.offset)
        self.offset = 0
        self.resumed = False
        self.remote = remote
        self.partial.record(remote)

    @staticmethod
    def _served(remote: RemoteArchive, response: requests.Response) -> RemoteArchive:
        """The archive as this 200 describes it (a new version if the validators moved)."""
        served = described(remote.archive_id, remote.url, response)
        if served.etag == remote.etag:
            if served.size == remote.size:
                return remote
            if served.etag:
                raise TransferError(
                    f"{redact_url(response.url)} sends {served.size:,} bytes for an archive it "
                    f"stated as {remote.size:,} bytes under the same ETag; refusing it"
                )
        return served

    @staticmethod
    def _check_content_range(
        response: requests.Response, remote: RemoteArchive, offset: int
    ) -> None:
        header = response.headers.get("Content-Range", "")
        match = _CONTENT_RANGE.fullmatch(header.strip())
        where = redact_url(response.url)
        if not match:
            raise TransferError(f"{where} answered 206 with an unusable Content-Range {header!r}")
        start, end, total = match.groups()
        if int(start) != offset:
            raise TransferError(
                f"{where} answered bytes {start}-{end} to a request for bytes {offset}-; "
                "refusing to splice them in"
            )
        if total != "*" and int(total) != remote.size:
            raise TransferError(
                f"{where} now reports {total} bytes for an archive of {remote.size:,} with the "
                "same validator; run again to start over"
            )


def download(
    session: Session,
    archive_id: str,
    output_dir: str | os.PathLike[str],
    *,
    if_exists: str = "resume",
    progress: ProgressReporter | None = None,
    expected: Expected | None = None,
    remote: RemoteArchive | None = None,
) -> DownloadResult:
    """Download one archive to ``output_dir/<archive_id>.tar.gz`` following ``if_exists``.

    ``resume``: a smaller file (ours as ``.part``, or another tool's at the final name) is
    resumed, an equal-sized one kept, a larger one downloaded again. ``skip``: an existing
    file is kept without any request. ``overwrite``: always a fresh download, which replaces
    the old file only once complete.
    """
    policy = check_if_exists(if_exists)
    check_id(archive_id, "archive id")
    directory = Path(output_dir).expanduser()
    if directory.exists() and not directory.is_dir():
        raise ValueError(f"output_dir {directory} exists and is not a directory")
    final = directory / f"{archive_id}{ARCHIVE_SUFFIX}"
    partial = Partial(final)
    if policy == "skip" and final.exists():
        return DownloadResult(final, "skipped", final.stat().st_size)
    remote = remote or resolve_archive(session, archive_id)
    if final.exists() and policy == "resume":
        size = final.stat().st_size
        if size == remote.size:
            return DownloadResult(final, "complete", size, remote=remote)
        if size < remote.size and partial.size() <= size:
            partial.adopt()
            partial.record(remote)  # its origin is unknown: assume the current version
    if policy == "overwrite":
        partial.discard()
    directory.mkdir(parents=True, exist_ok=True)
    algorithms = ["xxh3_128"]
    wanted_md5 = (expected.digests.get("md5") if expected else None) or remote.md5
    if wanted_md5:
        algorithms.append("md5")
    transfer = _Transfer(
        session,
        remote,
        partial,
        progress or SilentProgress(),
        tuple(algorithms),
        if_match=bool(expected and expected.if_match),
    )
    digests = transfer.run()
    served = transfer.remote
    _verify(archive_id, partial, served, digests, expected)
    partial.commit()
    action = "resumed" if transfer.resumed else "downloaded"
    return DownloadResult(final, action, served.size, transfer.transferred, digests, served)


def _verify(
    archive_id: str,
    partial: Partial,
    remote: RemoteArchive,
    digests: dict[str, str],
    expected: Expected | None,
) -> None:
    """Size and every known digest; a mismatch removes the partial and raises."""
    problems = []
    size = partial.size()
    if size != remote.size:
        problems.append(f"size: expected {remote.size:,}, got {size:,}")
    if expected and expected.size is not None and expected.size != size:
        problems.append(f"size: the lock expects {expected.size:,}, got {size:,}")
    wanted = {"md5": remote.md5} if remote.md5 else {}
    wanted.update(expected.digests if expected else {})
    for algorithm, value in wanted.items():
        if algorithm in digests and digests[algorithm] != value:
            problems.append(f"{algorithm}: expected {value}, got {digests[algorithm]}")
    if problems:
        partial.discard()
        raise IntegrityError(
            f"archive {archive_id} failed verification ({'; '.join(problems)}); the download was "
            "removed and nothing was written to its final path. Run again to download it afresh."
        )
