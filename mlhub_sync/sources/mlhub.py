"""The MLHub API v1 as a source: an archive's bytes start at ``archive/{id}``, which answers
``303`` to where the bytes are (a signed blob URL, a CDN) or serves them itself.

The download URL carries the API key (the MLHub API read it from the query); the engine follows
the redirect without it, so the key never reaches the blob host.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from ..digests import Digests
from ..exceptions import TransferError
from ..http.session import Session, raise_for_status
from ..ids import check_id
from ..urls import redact_url
from .base import RemoteFile, stated_digests, stated_size


class MLHubSource:
    """Archives of an MLHub API root, reached through ``session`` (root URL and key)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def file(
        self,
        archive_id: str,
        size: int,
        etag: str | None = None,
        last_modified: str | None = None,
        digests: Digests | None = None,
    ) -> RemoteFile:
        """The archive as a lock recorded it — no request."""
        url = self.session.keyed_url(f"archive/{check_id(archive_id, 'archive id')}")
        return RemoteFile(archive_id, url, size, etag, last_modified, dict(digests or {}))

    def describe(self, name: str) -> RemoteFile:
        """Ask the API where the archive is (its redirect) and what it is (HEAD on the blob)."""
        archive_id = check_id(name, "archive id")
        what = f"Archive {archive_id!r}"
        answer = self.session.head(f"archive/{archive_id}", allow_redirects=False)
        if answer.is_redirect:
            location = urljoin(answer.url, answer.headers["Location"])
            if urlsplit(location).scheme not in ("http", "https"):
                raise TransferError(f"{what}: the API redirected to a non-HTTP URL; refusing it")
            answer = self.session.head(location, allow_redirects=True)  # absolute: no key
        raise_for_status(answer, what)
        size = stated_size(answer.headers)
        if size is None:
            raise TransferError(f"{redact_url(answer.url)} did not state the archive's size")
        return self.file(
            archive_id,
            size,
            answer.headers.get("ETag"),
            answer.headers.get("Last-Modified"),
            stated_digests(answer.headers),
        )
