"""Azure Blob Storage, anonymous: List Blobs paged with ``NextMarker``, blobs read by Range.

Every request pins ``x-ms-version``: without it, an anonymous request is served as version
2009-09-19, which answers ETags in another shape and refuses open-ended ranges. ``Content-MD5``
is kept when the uploader set it (single-shot uploads do; block uploads usually leave it
empty) — the only content digest Azure states.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..http.api import ApiClient
from .base import RemoteFile, md5_from_base64
from .listing import Entry, listed_file, pages, query
from .locations import Endpoint

X_MS_VERSION = "2021-08-06"
HEADERS = (("x-ms-version", X_MS_VERSION),)
PAGE_SIZE = 5000  # the service's maximum


def list_files(client: ApiClient, endpoint: Endpoint, what: str) -> Iterator[RemoteFile]:
    """Every blob under ``endpoint.key_prefix``, in the service's (lexicographic) order."""

    def page_url(marker: str) -> str:
        return f"{endpoint.container_url}?" + query(
            restype="container",
            comp="list",
            prefix=endpoint.key_prefix,
            maxresults=PAGE_SIZE,
            marker=marker,
        )

    def next_marker(tail: Entry) -> str:
        return tail.get("NextMarker", "")

    for entry in pages(
        client, page_url, "EnumerationResults", "Blob", next_marker, what, dict(HEADERS)
    ):
        name = entry.get("Name", "")
        if name.endswith("/") and entry.get("Content-Length") == "0":
            continue  # a folder marker (hierarchical namespaces, some upload tools)
        digests = {}
        md5 = md5_from_base64(entry.get("Content-MD5", ""))
        if md5:
            digests["md5"] = md5
        yield listed_file(
            endpoint,
            name,
            entry.get("Content-Length", ""),
            what,
            entry.get("Etag"),
            entry.get("Last-Modified"),
            digests,
            HEADERS,
        )
