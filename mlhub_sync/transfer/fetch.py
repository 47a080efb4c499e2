"""One HTTP request for bytes of a file, and every check that its answer is those bytes.

A ranged request carries ``If-Match`` (strong ETag) or ``If-Range`` (Last-Modified), so a file
that changed is a ``412`` or a ``200``, never a splice. An answer is used only when:

- ``206``: ``Content-Range`` is exactly the range asked for, of the expected total size, and
  its validators (when stated) are the version's;
- ``200``: it is the whole file — ``Content-Length`` equal to the size and validators not
  contradicting the version; without a ``Content-Length`` only a matching validator will do
  (an HTML error page from a proxy is neither);
- no ``Content-Encoding`` other than identity (we asked for the bytes as stored).

Redirects are followed by the pool (at most five, http/https only, never carrying a key to
another host); the final URL is returned so other segments go there directly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..exceptions import MLHubException, RemoteChanged, TransferError
from ..http.errors import error_for
from ..http.pool import Response, TransferPool, finish
from ..http.retry import RETRY_STATUSES
from ..sources.base import RemoteFile, stated_size
from ..urls import redact_url

_CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+)")


class Retryable(TransferError):
    """A failure worth another attempt (connection lost, 429/5xx, an expired signed URL)."""

    def __init__(
        self,
        message: str,
        retry_after: str | None = None,
        *,
        restart: bool = False,
        stalled: bool = False,
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.restart = restart  # go back to the source's URL (the redirect target expired)
        self.stalled = stalled  # the watchdog cut it: counts as a failure even after a trickle


@dataclass
class Answer:
    response: Response
    url: str  # the URL that answered, after redirects
    whole: bool  # a 200: the whole file from byte 0, whatever range was asked


def request(
    pool: TransferPool, file: RemoteFile, url: str, start: int, end: int, ranged: bool
) -> Answer:
    """GET ``[start, end)`` of ``file`` (``ranged=False``: the whole file) from ``url``."""
    headers = dict(file.headers)
    if ranged:
        headers["Range"] = f"bytes={start}-{end - 1}"
    if file.strong_etag:
        headers["If-Match"] = file.strong_etag
    elif ranged and file.last_modified:
        headers["If-Range"] = file.last_modified
    response, answered = pool.open_following("GET", url, headers)
    try:
        whole = _check(file, response, answered, start, end, ranged, redirected=answered != url)
    except BaseException:
        finish(response)
        raise
    return Answer(response, answered, whole)


def _check(
    file: RemoteFile,
    response: Response,
    url: str,
    start: int,
    end: int,
    ranged: bool,
    redirected: bool,
) -> bool:
    """Raise unless ``response`` carries the bytes asked for; True for a whole-file 200."""
    status, headers, where = response.status, response.headers, redact_url(url)
    if status == 412:
        raise RemoteChanged(
            f"{file.name} changed on the server since it was checked (412 from {where})"
        )
    if status == 416:
        raise RemoteChanged(f"{file.name} is no longer {file.size:,} bytes (416 from {where})")
    if status in RETRY_STATUSES:
        raise Retryable(f"{where} answered {status}", headers.get("Retry-After"))
    if status in (401, 403) and redirected:
        raise Retryable(f"{where} answered {status} (an expired link?)", restart=True)
    if status >= 400:
        raise _error(status, url, response, file)
    encoding = (headers.get("Content-Encoding") or "identity").strip().lower()
    if encoding not in ("identity", ""):
        raise TransferError(
            f"{where} sent {file.name} with Content-Encoding {encoding!r} although identity "
            "was asked for; refusing to guess its bytes"
        )
    moved = file.matches(headers)
    if status == 200:
        length = stated_size(headers)
        if moved:
            raise RemoteChanged(f"{where} answered with another version of {file.name}: {moved[0]}")
        if length is not None and length != file.size:
            kind = headers.get("Content-Type") or "no content type"
            raise TransferError(
                f"{where} answered 200 with {length:,} bytes ({kind}) for {file.name}, which is "
                f"{file.size:,} bytes; refusing it (an error page from a proxy?)"
            )
        agrees = (file.strong_etag and headers.get("ETag") == file.strong_etag) or (
            file.last_modified and headers.get("Last-Modified") == file.last_modified
        )
        if length is None and not agrees:
            raise TransferError(
                f"{where} answered 200 without a length or a validator for {file.name}; "
                "cannot tell it is the file, refusing it"
            )
        return True
    if status == 206 and ranged:
        stated = headers.get("Content-Range", "")
        match = _CONTENT_RANGE.fullmatch(stated.strip())
        if not match or (int(match[1]), int(match[2]), int(match[3])) != (
            start,
            end - 1,
            file.size,
        ):
            raise TransferError(
                f"{where} answered {stated!r} to a request for bytes {start}-{end - 1} of "
                f"{file.size}; refusing to splice them in"
            )
        if moved:
            raise RemoteChanged(f"{where} answered with another version of {file.name}: {moved[0]}")
        return False
    raise TransferError(f"{where} answered {status} to a download of {file.name}")


def _error(status: int, url: str, response: Response, file: RemoteFile) -> MLHubException:
    body = response.read(65536, decode_content=False) if status != 404 else b""
    return error_for(status, url, response.reason or "", f"Archive {file.name!r}", body)
