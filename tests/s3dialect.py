"""A scripted S3-dialect server with data.source.coop's quirks, and switches to lie.

Path style, anonymous: ``GET /BUCKET?list-type=2&prefix=…&continuation-token=…&max-keys=…``
lists (ListObjectsV2, keys in order); ``GET``/``HEAD /BUCKET/KEY`` serve bytes with single
ranges and ``If-Match``. Like data.source.coop it answers 403 to a request without a
``User-Agent`` and 400 to a listing whose prefix crosses from an account into a product
(``prefix=radiantearth/african`` under bucket ``radiantearth`` names no whole product).
Switches: ``repeat_token`` (the same token forever), ``garbage`` (a 200 HTML page),
``page_keys`` (page size).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, quote, unquote, urlsplit
from xml.sax.saxutils import escape

from loopback import Seen, origin_of, serve_in_thread

_RANGE = re.compile(r"bytes=(\d+)-(\d*)")


@dataclass
class Quirks:
    repeat_token: bool = False
    garbage: bool = False
    page_keys: int = 1000
    products: tuple[str, ...] = ()  # bucket-level folders that are whole products


class S3Dialect:
    def __init__(self) -> None:
        self.buckets: dict[str, dict[str, bytes]] = {}
        self.quirks = Quirks()
        self.seen: list[Seen] = []
        self.httpd = serve_in_thread(self._handle)
        self.origin = origin_of(self.httpd)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> S3Dialect:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(request.path)
        bucket, _, key = unquote(parts.path).lstrip("/").partition("/")
        status, headers, body = self._answer(request, bucket, key, parse_qs(parts.query))
        self.seen.append(Seen(request.command, request.path, request.headers.get("Range"), status))
        request.send_response(status)
        for name, value in {"Content-Length": str(len(body)), **headers}.items():
            request.send_header(name, value)
        request.end_headers()
        if request.command != "HEAD":
            request.wfile.write(body)

    def _answer(
        self, request: BaseHTTPRequestHandler, bucket: str, key: str, params: dict[str, list[str]]
    ) -> tuple[int, dict[str, str], bytes]:
        if not request.headers.get("User-Agent"):
            return _error(403, "AccessDenied", "requests need a User-Agent")
        if self.quirks.garbage:
            return 200, {"Content-Type": "text/html"}, b"<html><body>maintenance</body></html>"
        objects = self.buckets.get(bucket)
        if objects is None:
            return _error(404, "NoSuchBucket", "The specified bucket does not exist")
        if not key:
            return self._list(objects, params)
        data = objects.get(key)
        if data is None:
            return _error(404, "NoSuchKey", "The specified key does not exist.")
        etag = f'"{_md5(data)}"'
        if request.headers.get("If-Match") not in (None, etag):
            return _error(412, "PreconditionFailed", "At least one precondition failed")
        headers = {"ETag": etag, "Accept-Ranges": "bytes"}
        wanted = _RANGE.fullmatch(request.headers.get("Range") or "")
        if wanted:
            start = int(wanted[1])
            end = min(int(wanted[2]) if wanted[2] else len(data) - 1, len(data) - 1)
            headers["Content-Range"] = f"bytes {start}-{end}/{len(data)}"
            return 206, headers, data[start : end + 1]
        return 200, headers, data

    def _list(
        self, objects: dict[str, bytes], params: dict[str, list[str]]
    ) -> tuple[int, dict[str, str], bytes]:
        prefix = params.get("prefix", [""])[0]
        head = prefix.partition("/")[0]
        if self.quirks.products and (head not in self.quirks.products or "/" not in prefix):
            return _error(400, "InvalidRequest", "prefix must name a whole product")
        keys = sorted(k for k in objects if k.startswith(prefix))
        after = params.get("continuation-token", [""])[0]
        start = keys.index(after) + 1 if after in keys else 0
        page = keys[start : start + self.quirks.page_keys]
        truncated = start + len(page) < len(keys)
        token = (after or "first") if self.quirks.repeat_token else (page[-1] if page else "")
        entries = "".join(
            f"<Contents><Key>{escape(k)}</Key><LastModified>2024-05-01T10:00:00.000Z"
            f"</LastModified><ETag>&quot;{_md5(objects[k])}&quot;</ETag>"
            f"<Size>{len(objects[k])}</Size></Contents>"
            for k in page
        )
        more = (
            f"<NextContinuationToken>{escape(token)}</NextContinuationToken>" if truncated else ""
        )
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
            f"<Prefix>{escape(prefix)}</Prefix><KeyCount>{len(page)}</KeyCount>"
            f"<IsTruncated>{'true' if truncated else 'false'}</IsTruncated>{more}{entries}"
            "</ListBucketResult>"
        )
        return 200, {"Content-Type": "application/xml"}, body.encode()

    def url(self, bucket: str, key: str = "") -> str:
        return f"{self.origin}/{bucket}/{quote(key)}"


def _error(status: int, code: str, message: str) -> tuple[int, dict[str, str], bytes]:
    body = f"<Error><Code>{code}</Code><Message>{message}</Message></Error>"
    return status, {"Content-Type": "application/xml"}, body.encode()


def _md5(data: bytes) -> str:
    return hashlib.md5(data, usedforsecurity=False).hexdigest()
