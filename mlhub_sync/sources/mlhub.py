"""The MLHub API v1 as a source: an archive's bytes start at ``archive/{id}``, which answers
``303`` to where the bytes are (a signed blob URL, a CDN) or serves them itself.

The download URL carries the API key (the MLHub API read it from the query); redirects are
followed without it, so the key never reaches the blob host.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..digests import Digests
from ..exceptions import APIError, TransferError
from ..http.api import ApiClient
from ..http.pool import TransferPool
from ..ids import check_id
from ..urls import redact_url
from .base import RemoteFile, stated_digests, stated_size

if TYPE_CHECKING:
    from ..http.session import Session


class MLHubSource:
    """Datasets and archives of one MLHub API root (its URL and key in ``api``)."""

    def __init__(self, api: ApiClient) -> None:
        self.api = api

    @classmethod
    def for_session(cls, session: Session) -> MLHubSource:
        """The same root, key and retry policy as a library ``Session``."""
        pool = TransferPool(read_timeout=session.timeout[1])
        return cls(ApiClient(session.root_url, session.api_key, pool, session.retry, session.sleep))

    @property
    def root_url(self) -> str:
        return self.api.root_url

    def dataset(self, dataset_id: str) -> dict[str, Any]:
        """The dataset object (``GET datasets/{id}``)."""
        what = f"Dataset {dataset_id!r}"
        found = self.api.get_json(f"datasets/{check_id(dataset_id, 'dataset id')}", what)
        if not isinstance(found, dict):
            raise APIError(f"{what}: expected a JSON object, got {type(found).__name__}")
        return found

    def file(
        self,
        archive_id: str,
        size: int,
        etag: str | None = None,
        last_modified: str | None = None,
        digests: Digests | None = None,
    ) -> RemoteFile:
        """The archive as a lock recorded it — no request."""
        url = self.api.keyed(f"archive/{check_id(archive_id, 'archive id')}")
        return RemoteFile(archive_id, url, size, etag, last_modified, dict(digests or {}))

    def describe(self, name: str) -> RemoteFile:
        """What the archive is now: one HEAD, following the redirect (without the key)."""
        archive_id = check_id(name, "archive id")
        answer, url = self.api.head(f"archive/{archive_id}", f"Archive {archive_id!r}")
        size = stated_size(answer.headers)
        if size is None:
            raise TransferError(f"{redact_url(url)} did not state the archive's size")
        return self.file(
            archive_id,
            size,
            answer.headers.get("ETag"),
            answer.headers.get("Last-Modified"),
            stated_digests(answer.headers),
        )
