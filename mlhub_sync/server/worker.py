"""The gunicorn worker ``serve`` runs: gevent, with a zero-copy ``sendfile()`` that waits
cooperatively, and a send timeout.

Why not gunicorn's threaded worker: a thread reads a request's headers to the end, so 16
clients sending their headers a byte a second held all 16 threads, and 0 of 200 normal
requests completed (measured with tests/hostile.py). Greenlets cost little each, gunicorn
gives up on a head not complete within ``keepalive`` seconds, and a reader that takes nothing
for ``SEND_TIMEOUT`` seconds is dropped — nginx's ``send_timeout``.

Why our own ``sendfile``: gevent's ``socket.sendfile`` is a Python loop of 8 KiB reads and
sends (gevent/gevent#1738), 0.3-0.5x nginx on large files. gevent sockets are non-blocking
underneath, so ``os.sendfile`` returns ``EAGAIN`` when the socket buffer is full; we then
wait for the socket to be writable on the hub, as gevent's own ``send`` does: zero-copy, one
``sendfile()`` call per up to 8 MiB, and other connections get a turn between slices.

This uses gevent's socket internals (``_wait``, ``_write_event``); the serve extra pins the
versions it was tested with, and the suite checks full and ranged downloads byte for byte.
"""

from __future__ import annotations

import errno
import logging
import os
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

import gevent
from gevent import _socket3, monkey
from gunicorn.workers.ggevent import GeventWorker

T = TypeVar("T")
SEND_TIMEOUT = 60.0  # seconds a client may take no bytes before it is dropped
SLICE = 8 << 20  # bytes per sendfile() call, and between two turns of other connections


def cooperative_sendfile(self: Any, file: Any, offset: int = 0, count: int | None = None) -> int:
    """``socket.sendfile`` for a gevent socket, with ``os.sendfile`` underneath."""
    try:
        in_fd = file.fileno()
        os.fstat(in_fd)
    except (AttributeError, OSError):
        return int(self._sendfile_use_send(file, offset, count))
    out_fd = self.fileno()
    total = since_turn = 0
    try:
        while count is None or total < count:
            want = SLICE if count is None else min(SLICE, count - total)
            try:
                sent = os.sendfile(out_fd, in_fd, offset + total, want)
            except BlockingIOError:
                self._wait(self._write_event)  # honours the socket timeout: TimeoutError
                continue
            except OSError as exc:
                if exc.errno == errno.EINTR:
                    continue
                raise
            if sent == 0:
                break  # end of file
            total += sent
            since_turn += sent
            if since_turn >= SLICE:
                since_turn = 0
                gevent.sleep(0)
        return total
    finally:
        if total > 0 and hasattr(file, "seek"):
            file.seek(offset + total)


class Worker(GeventWorker):  # type: ignore[misc]
    """gunicorn's gevent worker with ``cooperative_sendfile`` and a per-socket timeout."""

    def init_process(self) -> None:
        _socket3.socket.sendfile = cooperative_sendfile
        super().init_process()

    def patch(self) -> None:
        # The app is loaded before the fork (preload), and ssl with ``requests``; the server
        # makes no outbound calls, so gevent's "ssl was imported before patching" warning
        # would only be noise at every worker's start.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", monkey.MonkeyPatchWarning)
            super().patch()

    def handle(self, listener: Any, client: Any, addr: Any) -> None:
        client.setblocking(1)
        client.settimeout(SEND_TIMEOUT)  # each send or receive; a stalled reader is dropped
        # GeventWorker.handle would reset the socket to blocking without a timeout.
        super(GeventWorker, self).handle(listener, client, addr)

    def handle_request(self, listener_name: Any, req: Any, sock: Any, addr: Any) -> Any:
        try:
            return super().handle_request(listener_name, req, sock, addr)
        except TimeoutError:  # the client took nothing for SEND_TIMEOUT seconds
            self.log.warning("dropped %s: it read nothing for %.0f s", addr[0], SEND_TIMEOUT)
            raise StopIteration from None


def in_pool(work: Callable[[], T], done: Callable[[T], None], failed: T) -> None:
    """Run ``work`` in a native thread of gevent's pool (a rebuild that would stall the loop),
    then ``done`` with its result in a greenlet — with ``failed`` if ``work`` raised, so the
    caller always hears back."""

    def finish(finished: Any) -> None:
        try:
            value = finished.get()
        except BaseException:
            logging.getLogger(__name__).exception("a background job failed")
            value = failed
        gevent.spawn(done, value)  # a greenlet of its own: ``done`` may block (a subprocess)

    gevent.get_hub().threadpool.spawn(work).rawlink(finish)
