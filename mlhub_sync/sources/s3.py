"""S3 and its dialect (Source Cooperative, moto, MinIO), anonymous: ListObjectsV2 with
continuation tokens, objects read by Range.

Custom endpoints are addressed path style (``https://host/BUCKET/KEY``); every request carries
a ``User-Agent`` (the pool's), since data.source.coop answers 403 without one. An ETag is a
validator everywhere, and a content digest only on AWS itself in its 32-hex single-part shape:
a multipart ETag (``<hex>-N``) is an MD5 of MD5s, and other servers promise nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from email.utils import format_datetime

from ..http.api import ApiClient
from .base import RemoteFile
from .listing import Entry, listed_file, pages, query
from .locations import Endpoint

PAGE_SIZE = 1000  # the service's maximum
_SINGLE_PART = re.compile(r'"([0-9a-f]{32})"')


def list_files(client: ApiClient, endpoint: Endpoint, what: str) -> Iterator[RemoteFile]:
    """Every object under ``endpoint.key_prefix``, in key order."""

    def page_url(token: str) -> str:
        return f"{endpoint.container_url}?" + query(
            list_type=2, prefix=endpoint.key_prefix, max_keys=PAGE_SIZE, continuation_token=token
        )

    def next_marker(tail: Entry) -> str:
        return tail.get("NextContinuationToken", "") if tail.get("IsTruncated") == "true" else ""

    for entry in pages(client, page_url, "ListBucketResult", "Contents", next_marker, what):
        key, etag = entry.get("Key", ""), entry.get("ETag") or None
        if key.endswith("/") and entry.get("Size") == "0":
            continue  # a folder marker made by a console or a sync tool
        digests = {}
        single = _SINGLE_PART.fullmatch(etag or "")
        if endpoint.aws and single:
            digests["md5"] = single.group(1)
        yield listed_file(
            endpoint,
            key,
            entry.get("Size", ""),
            what,
            etag,
            None if etag else _http_date(entry.get("LastModified", "")),  # a fallback only
            digests,
        )


def _http_date(iso: str) -> str | None:
    """``2024-05-01T10:00:00.000Z`` → ``Wed, 01 May 2024 10:00:00 GMT`` (what GET answers)."""
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return None
    return format_datetime(moment, usegmt=True) if moment.tzinfo else None
