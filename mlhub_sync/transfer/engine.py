"""The transfer engine: many files at once, each segmented when that pays, all verified.

``Engine.run(jobs)`` downloads every ``Job`` (a ``RemoteFile`` and the final path it belongs
at) with ``settings.jobs`` files in flight and at most ``settings.connections`` connections per
host, and reports an ``Outcome`` per file as it ends. A file is committed to its final path only
after its size and every known digest (the caller's pins, what the server states) matched.

Ctrl-C or SIGTERM in the main thread cancels the run: every open connection is cut, partial
files keep a consistent journal, and the exception goes on to the caller within ~2 s.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ..digests import Digests, compare, needed
from ..exceptions import IntegrityError, MLHubException, Stalled, TransferError
from ..http.config import DEFAULT_CONNECTIONS, DEFAULT_JOBS
from ..http.pool import TransferPool
from ..http.retry import RetryPolicy
from ..progress import ProgressReporter, SilentProgress
from ..sources.base import RemoteFile
from . import ranges
from .gate import Gate
from .hashing import FrontierHasher
from .partial import Partial
from .segments import FileDownload, Stop, write_error
from .watch import Watchdog

CANCEL_GRACE = 1.5  # seconds the main thread waits for workers after a cancel
# A host that gave no answer at all to this many files in a row is not asked for the others:
# a server that is down fails a run of 10,000 files in seconds, not in hours of retries.
HOST_DOWN_AFTER = 3


@dataclass(frozen=True)
class Settings:
    connections: int = DEFAULT_CONNECTIONS  # per host
    jobs: int = DEFAULT_JOBS  # files in flight
    stall_timeout: float = 60.0  # seconds without progress before an attempt is cut
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    sync_interval: float = 30.0  # seconds between fdatasyncs of a long download


@dataclass(frozen=True, slots=True)
class Job:
    file: RemoteFile
    final: Path
    resume: bool = True  # continue this file's own journalled partial, if it has one
    expected: Digests = field(default_factory=dict)  # what the bytes must hash to (pins)
    # When another download of the same file held it first and left it complete: keep that.
    keep_if_done_meanwhile: bool = False


@dataclass(slots=True)
class Outcome:
    job: Job
    result: str  # downloaded, resumed, failed, interrupted
    transferred: int = 0
    digests: Digests = field(default_factory=dict)
    error: MLHubException | None = None
    kept: int = 0  # bytes of a partial kept for the next run (failed or interrupted)
    answered: bool | None = True  # did the server answer any request for it (None: unknown)


class Engine:
    def __init__(
        self,
        settings: Settings | None = None,
        progress: ProgressReporter | None = None,
        log: Callable[[str], None] = lambda message: None,
    ) -> None:
        self.settings = settings or Settings()
        self.progress = progress or SilentProgress()
        self.log = log
        self.pool = TransferPool(self.settings.connections, self.settings.stall_timeout)
        self.watchdog = Watchdog(self.settings.stall_timeout)
        self._cancel = threading.Event()
        self.moved = 0  # bytes received by this run (approximate: for tuning, not accounting)
        self._silent: dict[str, int] = {}  # host → files in a row it did not answer at all
        self._folders: set[Path] = set()  # made already: one mkdir per folder, not per file
        self._silence_lock = threading.Lock()

    # -- shared by the file downloads ----------------------------------------------------

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()
        self.watchdog.cancel()

    def sleep(self, seconds: float) -> None:
        """Back off, but wake at once when the run is cancelled."""
        self._cancel.wait(seconds)

    @contextlib.contextmanager
    def slot(self, url: str) -> Iterator[None]:
        """Hold one of the connections allowed to ``url``'s host (waits, cancellably)."""
        semaphore = self.pool.slot(url)
        while not semaphore.acquire(timeout=0.1):
            if self.cancelled():
                raise Stop
        try:
            yield
        finally:
            semaphore.release()

    # -- the run ----------------------------------------------------------------------------

    def run(
        self, jobs: Sequence[Job], on_done: Callable[[Outcome], None] | None = None
    ) -> list[Outcome]:
        """Download ``jobs``; outcomes in the order of ``jobs``. ``on_done`` is called (from a
        worker thread) as each file ends; if it raises, the run is cancelled and its exception
        raised here (a bug in a caller must fail the run, not end a thread in silence)."""
        outcomes: list[Outcome | None] = [None] * len(jobs)
        failed: list[BaseException] = []
        queue = list(enumerate(jobs))
        queue.reverse()
        changed = threading.Condition()
        remaining = [len(jobs)]
        gate = Gate(self.settings.jobs)

        def runner() -> None:
            while gate.enter(self.cancelled):
                try:
                    with changed:
                        if not queue:
                            return
                        index, job = queue.pop()
                    outcome = self.download(job)
                finally:
                    gate.leave()
                try:
                    if on_done is not None:
                        on_done(outcome)
                except BaseException as exc:
                    failed.append(exc)
                    self.cancel()
                    with changed:
                        changed.notify_all()
                    return
                with changed:
                    outcomes[index] = outcome
                    remaining[0] -= 1
                    changed.notify_all()

        workers = [
            threading.Thread(target=runner, name="mlhub-transfer", daemon=True)
            for _ in range(min(self.settings.jobs, len(jobs)))
        ]
        for worker in workers:
            worker.start()
        threading.Thread(
            target=gate.tune,
            args=(
                lambda: (len(jobs) - remaining[0], self.moved),
                lambda: not remaining[0] or self.cancelled(),
            ),
            kwargs={"sleep": self.sleep},
            name="mlhub-gate",
            daemon=True,
        ).start()
        try:
            with changed:
                while remaining[0] and not failed and any(w.is_alive() for w in workers):
                    changed.wait(0.2)  # short waits: Ctrl-C is delivered between them
        except BaseException:
            self.cancel()
            deadline = time.monotonic() + CANCEL_GRACE
            for worker in workers:
                worker.join(max(0.0, deadline - time.monotonic()))
            raise
        if failed:
            for worker in workers:
                worker.join(CANCEL_GRACE)
            raise failed[0]
        return [o for o in outcomes if o is not None]

    def close(self) -> None:
        self.watchdog.close()
        self.pool.close()

    # -- one file ---------------------------------------------------------------------------

    def download(self, job: Job) -> Outcome:
        """Download, verify and commit one file; never raises for what went wrong with it."""
        outcome = self._download(job)
        host = urlsplit(job.file.url).netloc
        with self._silence_lock:
            unanswered = type(outcome.error) in (TransferError, Stalled)  # gave up retrying
            if unanswered and outcome.answered is False:
                self._silent[host] = self._silent.get(host, 0) + 1
            elif outcome.answered:
                self._silent[host] = 0
        return outcome

    def _host_down(self, job: Job) -> Outcome | None:
        host = urlsplit(job.file.url).netloc
        with self._silence_lock:
            silent = self._silent.get(host, 0)
        if silent < HOST_DOWN_AFTER:
            return None
        shown = host.rsplit("@", 1)[-1]
        error = TransferError(
            f"{job.file.name}: not tried, {shown} did not answer the last {silent} downloads; "
            "run again when it is back"
        )
        return Outcome(job, "failed", error=error, answered=False)

    def _download(self, job: Job) -> Outcome:
        down = self._host_down(job)
        if down is not None:
            return down
        file, partial = job.file, Partial(job.final)
        download: FileDownload | None = None
        try:
            if job.final.parent not in self._folders:
                job.final.parent.mkdir(parents=True, exist_ok=True)
                self._folders.add(job.final.parent)
            with partial.held(self.cancelled, self.log):
                if partial.waited and job.keep_if_done_meanwhile and _size(job.final) == file.size:
                    partial.discard()  # the empty .part we created while waiting
                    return Outcome(job, "kept")
                done = partial.begin(file, job.resume)
                download = FileDownload(self, job, partial, done)
                return self._fill_and_commit(job, partial, download, ranges.covered(done))
        except Stop:
            pass
        except MLHubException as exc:
            if not self.cancelled():
                return self._failed(job, exc, download)
        except OSError as exc:
            return self._failed(job, write_error(exc, partial), download)
        transferred = download.transferred if download else 0
        kept = download.covered() if download else 0
        return Outcome(job, "interrupted", transferred, kept=kept, answered=None)

    def _fill_and_commit(
        self, job: Job, partial: Partial, download: FileDownload, kept: int
    ) -> Outcome:
        file = job.file
        hasher = FrontierHasher(
            partial.descriptor, file.size, needed({**file.digests, **job.expected})
        )
        download.on_frontier = hasher.advance
        hasher.advance(ranges.prefix(download.done))
        self.progress.start(file.name, file.size, kept)
        try:
            download.run()
        finally:
            self.progress.finish(file.name)
        if self.cancelled() or download.error is not None:
            hasher.stop()
            if not kept and not download.covered():
                partial.discard()  # nothing worth keeping: leave no empty partial behind
            if self.cancelled():
                raise Stop
            assert download.error is not None
            raise download.error
        digests = hasher.result()
        problems = compare(job.expected, digests) + compare(file.digests, digests)
        if os.fstat(partial.descriptor).st_size != file.size:
            problems.append(f"size: expected {file.size:,}")
        if problems:
            partial.discard()
            raise IntegrityError(
                f"{file.name} failed verification ({'; '.join(dict.fromkeys(problems))}); the "
                "download was removed and nothing was written to its final path. Run again to "
                "download it afresh."
            )
        partial.commit()
        return Outcome(job, "resumed" if kept else "downloaded", download.transferred, digests)

    @staticmethod
    def _failed(job: Job, error: MLHubException, download: FileDownload | None) -> Outcome:
        transferred = download.transferred if download else 0
        kept = download.covered() if download else 0
        answered = download.answered if download else None
        return Outcome(job, "failed", transferred, error=error, kept=kept, answered=answered)


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return None
