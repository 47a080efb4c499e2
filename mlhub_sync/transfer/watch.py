"""Progress deadlines and cancellation for the connections a run has open.

A transfer that receives less than ``STALL_MIN_BYTES`` within ``timeout`` seconds is stalled —
a server trickling one byte every ten seconds never trips a socket read timeout, but it trips
this. The watchdog then shuts the connection's socket down, which wakes the reading thread at
once; the engine retries, and names the host if every attempt stalls. Cancellation (Ctrl-C,
SIGTERM) shuts every socket down the same way, so no thread waits for its next byte.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from typing import Any

STALL_MIN_BYTES = 1024
_TICK = 0.25


class Ticket:
    """One response being read; the reader reports bytes, the watchdog may cut it off."""

    def __init__(self, response: Any) -> None:
        connection = getattr(response, "connection", None)
        self._socket: socket.socket | None = getattr(connection, "sock", None)
        self.mark = time.monotonic()
        self.received = 0  # since ``mark``
        self.stalled = False

    def progress(self, amount: int) -> None:
        self.received += amount

    def cut(self) -> None:
        """Wake the reader: its next (or current) read fails or ends at once."""
        if self._socket is not None:
            with contextlib.suppress(OSError):
                self._socket.shutdown(socket.SHUT_RDWR)


class Watchdog:
    """Watches every open ``Ticket`` of one engine run from a daemon thread."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._tickets: set[Ticket] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._cancelled = False
        self._thread = threading.Thread(target=self._run, name="mlhub-watchdog", daemon=True)
        self._thread.start()

    @contextlib.contextmanager
    def watching(self, response: Any) -> Any:
        ticket = Ticket(response)
        with self._lock:
            self._tickets.add(ticket)
            if self._cancelled:
                ticket.cut()
        try:
            yield ticket
        finally:
            with self._lock:
                self._tickets.discard(ticket)

    def cancel(self) -> None:
        """Cut every connection now and every one opened from now on."""
        with self._lock:
            self._cancelled = True
            for ticket in self._tickets:
                ticket.cut()

    def close(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.wait(_TICK):
            now = time.monotonic()
            with self._lock:
                tickets = list(self._tickets)
            for ticket in tickets:
                if now - ticket.mark < self.timeout:
                    continue
                if ticket.received < STALL_MIN_BYTES:
                    ticket.stalled = True
                    ticket.cut()
                ticket.mark, ticket.received = now, 0
