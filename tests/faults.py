"""A fault-injecting HTTP proxy on loopback, placed between a client and a real mirror.

It forwards requests (Host kept, so the mirror's redirects point back through it) and can,
on purpose: answer with canned statuses (503 + Retry-After, 400, …), cut a body after N bytes
and then refuse connections, ignore ``Range``, corrupt a byte, send extra bytes, or lie in
``Content-Range`` / ``Content-Encoding``. Every request it sees is recorded.
"""

from __future__ import annotations

import http.client
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlsplit

from loopback import Seen, origin_of, serve_in_thread

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade"}


@dataclass
class Faults:
    canned: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # next answers
    canned_path: str = ""  # only requests whose path contains this get canned answers
    truncate_after: int | None = None  # blob bodies: send this many bytes, then drop
    go_down_after_truncate: bool = False  # then refuse every later connection
    ignore_range: bool = False
    corrupt: bool = False  # flip the first body byte of blob responses
    extra_bytes: int = 0  # drop Content-Length, send this many extra bytes, close
    content_range_shift: int = 0  # lie about where a 206 starts
    content_encoding: str | None = None
    throttle: tuple[int, float] | None = None  # blob bodies: (bytes, seconds) per write


class FaultProxy:
    def __init__(self, upstream: str) -> None:
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.faults = Faults()
        self.seen: list[Seen] = []
        self.down = False
        self.server = serve_in_thread(self._handle)
        self.port = self.server.server_address[1]
        self.origin = origin_of(self.server)
        self.url = upstream.replace(f"{parts.scheme}://{parts.netloc}", self.origin)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def blob_gets(self) -> list[Seen]:
        return [s for s in self.seen if s.method == "GET" and "/blobs/" in s.path]

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        faults = self.faults
        if self.down:
            request.close_connection = True
            request.connection.close()
            return
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
        if faults.canned and faults.canned_path in request.path:
            status, extra = faults.canned.pop(0)
            self.seen.append(
                Seen(request.command, request.path, headers.get("Range"), status, headers)
            )
            body = b'{"detail": "injected"}'
            request.send_response(status)
            for name, value in {"Content-Length": str(len(body)), **extra}.items():
                request.send_header(name, value)
            request.end_headers()
            if request.command != "HEAD":
                request.wfile.write(body)
            return
        is_blob = "/blobs/" in request.path and request.command == "GET"
        if faults.ignore_range and is_blob:
            headers.pop("Range", None)
            headers.pop("If-Range", None)
        upstream = http.client.HTTPConnection(*self.upstream, timeout=30)
        upstream.request(request.command, request.path, headers=headers)
        response = upstream.getresponse()
        self.seen.append(
            Seen(
                request.command,
                request.path,
                request.headers.get("Range"),
                response.status,
                dict(request.headers.items()),
            )
        )
        request.send_response(response.status)
        for name, value in response.getheaders():
            if name.lower() in HOP_BY_HOP:
                continue
            if is_blob and faults.extra_bytes and name.lower() == "content-length":
                continue
            if is_blob and name.lower() == "content-range" and faults.content_range_shift:
                start, rest = value.split(" ")[1].split("-", 1)
                value = f"bytes {int(start) + faults.content_range_shift}-{rest}"
            request.send_header(name, value)
        if is_blob and faults.content_encoding:
            request.send_header("Content-Encoding", faults.content_encoding)
        request.end_headers()
        body = response.read() if request.command != "HEAD" else b""
        upstream.close()
        if is_blob and faults.corrupt and body:
            body = bytes([body[0] ^ 0xFF]) + body[1:]
        if is_blob and faults.truncate_after is not None:
            request.wfile.write(body[: faults.truncate_after])
            request.wfile.flush()
            request.close_connection = True
            request.connection.shutdown(2)
            if faults.go_down_after_truncate:
                self.down = True
            return
        if is_blob and faults.throttle:
            step, pause = faults.throttle
            for offset in range(0, len(body), step):
                request.wfile.write(body[offset : offset + step])
                request.wfile.flush()
                time.sleep(pause)
            return
        if is_blob and faults.extra_bytes:  # a close-delimited body, longer than it should be
            request.wfile.write(body + b"\0" * faults.extra_bytes)
            request.close_connection = True
            return
        request.wfile.write(body)
