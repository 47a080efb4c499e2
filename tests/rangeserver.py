"""A scriptable HTTP file server on loopback that can misbehave on purpose.

It serves in-memory files (``server.files[name] = bytes``; the ETag follows the content) with
single-range ``206``, ``If-Match``, ``If-Range`` and ``HEAD``, and counts every body byte it
sends. Switches (``server.mode``) make it: throttle each connection, trickle one byte at a
time, answer a ``200`` HTML error page, lie in ``Content-Range``, serve another version in a
``206``, ignore ``Range``. Used where a real nginx cannot be made to lie.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler

from loopback import Seen, origin_of, serve_in_thread

HTML_PAGE = b"<html><body><h1>502 Bad Gateway</h1><p>upstream timed out</p></body></html>\n"


@dataclass
class Mode:
    rate: float | None = None  # bytes per second per connection
    trickle: float | None = None  # seconds between single bytes
    html_200: bool = False  # every GET answers a 200 HTML page (a proxy's error page)
    content_range_shift: int = 0  # 206 claims to start this much later than it does
    other_version_in_206: bytes | None = None  # ranged GETs get bytes of this other version
    ignore_range: bool = False
    drop_after: int | None = None  # close each body after this many bytes
    no_content_length: bool = False


def etag_of(data: bytes) -> str:
    return '"' + hashlib.md5(data, usedforsecurity=False).hexdigest()[:16] + '"'


class RangeServer:
    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.mode = Mode()
        self.seen: list[Seen] = []
        self.body_bytes = 0
        self._lock = threading.Lock()
        self.httpd = serve_in_thread(self._handle)
        self.origin = origin_of(self.httpd)

    def url(self, name: str) -> str:
        return f"{self.origin}/{name}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> RangeServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def gets(self) -> list[Seen]:
        return [s for s in self.seen if s.method == "GET"]

    def _note(self, request: BaseHTTPRequestHandler, status: int) -> None:
        with self._lock:
            self.seen.append(
                Seen(
                    request.command,
                    request.path,
                    request.headers.get("Range"),
                    status,
                    dict(request.headers.items()),
                )
            )

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        mode, name = self.mode, request.path.lstrip("/").split("?")[0]
        data = self.files.get(name)
        if data is None:
            return self._reply(request, 404, {}, b"not found")
        etag = etag_of(data)
        base = {
            "ETag": etag,
            "Last-Modified": "Mon, 23 Nov 2026 21:13:14 GMT",
            "Accept-Ranges": "bytes",
            "Content-Type": "application/x-tar",
        }
        if mode.html_200 and request.command == "GET":
            return self._reply(request, 200, {"Content-Type": "text/html"}, HTML_PAGE)
        if_match = request.headers.get("If-Match")
        if if_match and if_match != etag:
            return self._reply(request, 412, {}, b"")
        wanted = request.headers.get("Range")
        if_range = request.headers.get("If-Range")
        if if_range and if_range not in (etag, base["Last-Modified"]):
            wanted = None
        if wanted and not mode.ignore_range and request.command == "GET":
            start_text, end_text = wanted.removeprefix("bytes=").split("-")
            start = int(start_text)
            end = int(end_text) if end_text else len(data) - 1
            if start >= len(data):
                return self._reply(request, 416, {"Content-Range": f"bytes */{len(data)}"}, b"")
            end = min(end, len(data) - 1)
            source = mode.other_version_in_206 or data
            headers = {
                **base,
                "ETag": etag_of(source),
                "Content-Range": f"bytes {start + mode.content_range_shift}-{end}/{len(data)}",
            }
            return self._reply(request, 206, headers, source[start : end + 1])
        return self._reply(request, 200, base, data)

    def _reply(
        self, request: BaseHTTPRequestHandler, status: int, headers: dict[str, str], body: bytes
    ) -> None:
        self._note(request, status)
        mode = self.mode
        request.send_response(status)
        for key, value in headers.items():
            request.send_header(key, value)
        if not mode.no_content_length or status != 200:
            request.send_header("Content-Length", str(len(body)))
        else:
            request.send_header("Connection", "close")
            request.close_connection = True
        request.end_headers()
        if request.command == "HEAD":
            return
        try:
            self._send(request, body)
        except OSError:
            request.close_connection = True

    def _send(self, request: BaseHTTPRequestHandler, body: bytes) -> None:
        mode = self.mode
        if mode.drop_after is not None:
            body = body[: mode.drop_after]
        if mode.trickle is not None:
            for index in range(len(body)):
                request.wfile.write(body[index : index + 1])
                request.wfile.flush()
                self._count(1)
                time.sleep(mode.trickle)
            return
        step = 16384
        started = time.monotonic()
        for offset in range(0, len(body), step):
            piece = body[offset : offset + step]
            request.wfile.write(piece)
            self._count(len(piece))
            if mode.rate:
                ahead = (offset + len(piece)) / mode.rate - (time.monotonic() - started)
                if ahead > 0:
                    time.sleep(ahead)
        request.wfile.flush()
        if mode.drop_after is not None:
            request.close_connection = True
            request.connection.shutdown(2)

    def _count(self, amount: int) -> None:
        with self._lock:
            self.body_bytes += amount
