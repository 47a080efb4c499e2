"""One file's download: segments over several connections, retried from what is on disk.

The first request tells whether the server honours ``Range`` (a validated ``206``). If it does
and the file is big enough, the missing bytes are cut into segments fetched in parallel
(``pwrite`` into the preallocated ``.part``); a connection that finishes early takes half of
the biggest segment still running, so all of them end together (aria2's and rclone's idea).
A ``200`` means one stream of the whole file. Every written range goes to the journal, in
steps small enough that a SIGKILL at any moment wastes about 0.2 % of the file at most.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..exceptions import MLHubException, Stalled, TransferError
from ..fsutil import disk_error
from ..http.pool import NETWORK_ERRORS, finish
from ..urls import redact_url
from . import fetch, ranges
from .fetch import Retryable
from .partial import Partial
from .watch import Ticket

if TYPE_CHECKING:
    from .engine import Engine, Job

MIN_SEGMENT = 4 << 20  # a segment is worth its own request from 4 MiB on
READ_SIZE = 256 << 10
RECORD_EVERY = 0.5  # seconds: a slow connection still journals what it has
# Adding connections: after RAMP_INTERVAL of one connection, a rate below FAST_CONNECTION means
# the server limits each connection (object stores and CDNs do): open them all at once.
# Otherwise double them while the total rate still grows by RAMP_GAIN; on a fast path more
# connections only compete for the disk (measured: 1 GiB over loopback, 16 connections 2.1 s,
# 2 connections 1.4 s).
RAMP_INTERVAL = 0.2
FAST_CONNECTION = 64e6  # bytes per second
RAMP_GAIN = 1.25


@dataclass(slots=True)
class Segment:
    start: int
    position: int
    end: int  # may shrink while running: an idle connection took the rest


class Stop(Exception):
    """This segment's worker should end quietly (cancelled, or another one failed)."""


class FileDownload:
    """Fills one locked ``Partial`` for ``job.file``; the engine verifies and commits it."""

    def __init__(self, engine: Engine, job: Job, partial: Partial, done: list[ranges.Range]):
        self.engine, self.job, self.file, self.partial = engine, job, job.file, partial
        self.size = job.file.size
        connections = engine.settings.connections
        self.segmented = connections > 1 and self.size >= 2 * MIN_SEGMENT
        # Journal steps: ~1/512 of the file per connection, between 64 KiB and 4 MiB, so a kill
        # loses about 0.1 % of the file on average, 0.2 % at most (plus bytes in flight).
        self.step = min(4 << 20, max(64 << 10, self.size // (512 * connections)))
        self.done = list(done)
        self.pending: list[ranges.Range] = []
        self.active: list[Segment] = []
        self.lock = threading.Lock()
        self.url = job.file.url  # the redirect target once known, so segments go straight there
        self.whole_stream: Segment | None = None  # set when the server ignored Range
        self.error: MLHubException | None = None
        self.answered = False  # the server answered at least one request for this file
        self.transferred = 0
        self.on_frontier: Callable[[int], None] = lambda frontier: None
        self._helpers: list[threading.Thread] = []
        self._helpers_started = False
        self._last_sync = time.monotonic()
        self._syncing = threading.Lock()

    # -- the whole file ---------------------------------------------------------------

    def run(self) -> None:
        gaps = ranges.missing(self.done, self.size)
        if not gaps:
            return
        pieces = ranges.segments(gaps, self.engine.settings.connections, MIN_SEGMENT)
        if not self.segmented:
            pieces = gaps
        first = Segment(pieces[0][0], pieces[0][0], pieces[0][1])
        self.pending = pieces[1:]
        self.active = [first]
        self._work(first)
        for helper in self._helpers:  # all started by now: only the first segment starts them
            helper.join()
        if self.error is None and not self.engine.cancelled() and self.covered() < self.size:
            self.error = TransferError(f"{self.file.name}: segments ended with bytes missing")

    def covered(self) -> int:
        with self.lock:
            return ranges.covered(self.done)

    def _start_helpers(self) -> None:
        """After the first validated 206: other connections join in, as ``_ramp`` decides."""
        self._helpers_started = True
        if self.segmented:
            ramp = threading.Thread(target=self._ramp, name="mlhub-ramp", daemon=True)
            ramp.start()
            self._helpers.append(ramp)

    def _ramp(self) -> None:
        limit = self.engine.settings.connections
        running, last_rate = 1, 0.0
        while running < limit:
            before = self.transferred
            self.engine.sleep(RAMP_INTERVAL)
            rate = (self.transferred - before) / RAMP_INTERVAL
            if self.error is not None or self.engine.cancelled() or self.covered() >= self.size:
                return
            with self.lock:
                if not self.pending and not any(s.end > s.position for s in self.active):
                    return
            if running == 1:
                more = limit - 1 if rate < FAST_CONNECTION else 1
            elif rate >= last_rate * RAMP_GAIN:
                more = min(running, limit - running)
            else:
                return
            for _ in range(more):
                thread = threading.Thread(target=self._work, args=(None,), daemon=True)
                thread.start()
                self._helpers.append(thread)
            running, last_rate = running + more, rate

    def _work(self, segment: Segment | None) -> None:
        """Fetch ``segment``, then the next pending piece or half of a running one, until
        nothing is left (or the file failed, or the run was cancelled)."""
        while True:
            segment = segment or self._next_segment()
            if segment is None:
                return
            try:
                self._fetch_segment(segment)
            except Stop:
                return
            except MLHubException as exc:
                self._fail(exc)
                return
            except Exception as exc:  # a bug must fail this file, not vanish with a thread
                self._fail(TransferError(f"{self.file.name}: {type(exc).__name__}: {exc}"))
                return
            segment = None

    def _next_segment(self) -> Segment | None:
        with self.lock:
            if self.error is not None or self.whole_stream is not None:
                return None
            if self.pending:
                start, end = self.pending.pop(0)
                segment = Segment(start, start, end)
            else:
                running = [s for s in self.active if s.end > s.position]
                victim = max(running, key=lambda s: s.end - s.position, default=None)
                if victim is None:
                    return None
                cut = ranges.steal_point(victim.position, victim.end, MIN_SEGMENT)
                if cut is None:
                    return None
                segment = Segment(cut, cut, victim.end)
                victim.end = cut
            self.active.append(segment)
            return segment

    def _fail(self, error: MLHubException) -> None:
        with self.lock:
            if self.error is None:
                self.error = error

    def _stopping(self, segment: Segment) -> bool:
        stream = self.whole_stream
        return (
            self.error is not None
            or self.engine.cancelled()
            or (stream is not None and stream is not segment)
        )

    # -- one segment, with retries ---------------------------------------------------------

    def _fetch_segment(self, segment: Segment) -> None:
        settings = self.engine.settings
        failures = 0
        while segment.position < segment.end:
            if self._stopping(segment):
                raise Stop
            before, retry_after, stalled = segment.position, None, False
            try:
                with self.engine.slot(self.url):
                    self._attempt(segment)
                if segment.position >= segment.end:
                    return
                reason = "the body ended early"
            except Retryable as exc:
                reason, retry_after, stalled = str(exc), exc.retry_after, exc.stalled
                if exc.restart:
                    self.url = self.file.url
            except MLHubException:
                raise
            except NETWORK_ERRORS as exc:
                reason = type(exc).__name__
            if self._stopping(segment):
                raise Stop
            failures = 0 if segment.position > before and not stalled else failures + 1
            if failures >= settings.retry.attempts:
                raise self._gave_up(failures, reason, stalled)
            self.engine.sleep(settings.retry.delay(failures, retry_after))

    def _gave_up(self, failures: int, reason: str, stalled: bool) -> TransferError:
        host = urlsplit(self.url).netloc.rsplit("@", 1)[-1]
        done = self.covered()
        kept = "the partial download is kept — run again to resume" if done else "run again"
        message = (
            f"download of {self.file.name} from {host} stopped at {done:,} of {self.size:,} "
            f"bytes after {failures} attempts ({reason}); {kept}"
        )
        return Stalled(message) if stalled else TransferError(message)

    def _attempt(self, segment: Segment) -> None:
        """One request for the rest of ``segment``, streamed into the partial."""
        fresh_whole = (segment.start, segment.end) == (0, self.size) and not self.done
        ranged = not (fresh_whole and not self.segmented)
        answer = fetch.request(
            self.engine.pool, self.file, self.url, segment.position, segment.end, ranged
        )
        self.url = answer.url
        self.answered = True
        if answer.whole:
            self._switch_to_whole(segment)
        elif not self._helpers_started:
            self._start_helpers()
        timeout = self.engine.settings.stall_timeout
        with self.engine.watchdog.watching(answer.response) as ticket:
            try:
                self._stream(segment, answer, ticket)
            except NETWORK_ERRORS:
                if not ticket.stalled:
                    raise
            finally:
                finish(answer.response)
        if ticket.stalled:
            raise Retryable(f"no progress for {timeout:g} s", stalled=True)

    def _switch_to_whole(self, segment: Segment) -> None:
        """A 200: the body is the whole file from byte 0; this connection streams it all."""
        with self.lock:
            self.whole_stream = segment
            self.pending.clear()
            segment.start = segment.position = 0
            segment.end = self.size

    def _stream(self, segment: Segment, answer: fetch.Answer, ticket: Ticket) -> None:
        response, partial = answer.response, self.partial
        position = recorded = segment.position
        last_record = time.monotonic()
        try:
            while True:
                with self.lock:
                    end = segment.end
                if position >= end or self._stopping(segment):
                    break
                data = response.read1(min(READ_SIZE, end - position))
                if not data:
                    break
                try:
                    partial.write(position, data)
                except OSError as exc:
                    raise write_error(exc, partial) from None
                position += len(data)
                segment.position = position
                ticket.progress(len(data))
                self.transferred += len(data)
                self.engine.moved += len(data)
                self.engine.progress.advance(self.file.name, len(data))
                now = time.monotonic()
                if position - recorded >= self.step or now - last_record >= RECORD_EVERY:
                    self._record(recorded, position)
                    recorded, last_record = position, now
            close_delimited = response.headers.get("Content-Length") is None
            # A close-delimited body must end where the file does.
            if position >= self.size and close_delimited and response.read1(1):
                self.partial.discard()
                raise TransferError(
                    f"{redact_url(answer.url)} sent more than the {self.size:,} bytes of "
                    f"{self.file.name}; the partial download was removed"
                )
        finally:
            if position > recorded:
                self._record(recorded, position)

    def _record(self, start: int, end: int) -> None:
        self.partial.record(start, end)
        with self.lock:
            self.done = ranges.merge([*self.done, (start, end)])
            frontier = ranges.prefix(self.done)
        self.on_frontier(frontier)
        due = time.monotonic() - self._last_sync >= self.engine.settings.sync_interval
        if due and self._syncing.acquire(blocking=False):
            try:
                self.partial.sync()
                self._last_sync = time.monotonic()
            finally:
                self._syncing.release()


def write_error(exc: OSError, partial: Partial) -> MLHubException:
    error = disk_error(exc, partial.part)
    if isinstance(error, MLHubException):
        return error
    return TransferError(f"cannot write {partial.part}: {exc.strerror or exc}")
