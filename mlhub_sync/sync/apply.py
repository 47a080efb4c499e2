"""Execute a plan: ``mlhub-sync apply`` reconciles a target folder with the lock.

Archives are independent: one failing (remote drift, a broken connection, a bad digest) is
reported and the others go on. No network request is made unless a step needs one, so a
target already in sync costs one ``stat`` per archive and no write. Downloads go to the
transfer engine all at once (it runs several files and segments in parallel); the state is
saved in batches, at the end, and when the run is interrupted. ``apply`` never edits the lock:
it returns the digests it learned (``ApplyReport.pins``) for the caller to record.
"""

from __future__ import annotations

import logging
import signal
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..bulk import building
from ..digests import PIN, Digests, hash_file
from ..exceptions import Interrupted, MLHubException, RemoteChanged, Terminated
from ..fsutil import require_space
from ..http.config import DEFAULT_CONNECTIONS, DEFAULT_JOBS, DEFAULT_STALL_TIMEOUT
from ..progress import ProgressReporter, SilentProgress
from ..units import human_bytes
from ..urls import host_of
from . import housekeeping, planner
from .layout import archive_paths
from .lockfile import Lock, mismatches
from .planner import DOWNLOAD, EXTRACT, KEEP, REPORT, RESUME, VERIFY, Step, decide, plan
from .remotes import Remotes, drift_error
from .state import ArchiveRecord, State, apply_lock

log = logging.getLogger(__name__)

if TYPE_CHECKING:  # the HTTP stack is imported only when something must be downloaded
    from ..sources.mlhub import MLHubSource
    from ..transfer import engine


@dataclass(slots=True)
class Outcome:
    step: Step
    result: str  # kept, downloaded, resumed, verified, extracted, reported, failed, interrupted
    detail: str = ""
    transferred: int = 0

    def to_dict(self) -> dict[str, object]:
        return {
            **self.step.to_dict(),
            "result": self.result,
            "detail": self.detail,
            "transferred": self.transferred,
        }


@dataclass
class ApplyReport:
    outcomes: list[Outcome] = field(default_factory=list)
    pins: dict[str, str] = field(default_factory=dict)  # "dataset/collection" → XXH3-128 learned
    pruned: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.result == "failed"]

    @property
    def transferred(self) -> int:
        return sum(o.transferred for o in self.outcomes)


@dataclass
class ApplyOptions:
    force: set[str] | None = None  # dataset ids to download again; empty set: all
    only: set[str] | None = None  # the dataset ids to apply (None: every one in the lock)
    jobs: int = DEFAULT_JOBS  # archives in flight
    connections: int = DEFAULT_CONNECTIONS  # per host
    stall_timeout: float = DEFAULT_STALL_TIMEOUT
    check_space: bool = True
    prune: bool = False
    owner: str = ""  # the project (``layout.owner_of`` its lock) its files are recorded for
    progress: ProgressReporter = field(default_factory=SilentProgress)
    on_plan: Callable[[list[Step]], None] | None = None  # called once the plan is made
    on_done: Callable[[Outcome], None] | None = None  # called as each archive finishes
    mirrors: dict[str, str] = field(default_factory=dict)  # FROM=TO, for loose-file datasets


class Applier:
    def __init__(
        self,
        lock: Lock,
        target: Path,
        source_factory: Callable[[], MLHubSource],
        options: ApplyOptions,
        log: Callable[[str], None],
    ) -> None:
        self.lock = lock
        self.target = target
        self.options = options
        self._log = log
        self._said: set[str] = set()
        self._source_factory = source_factory
        self.state = State(target)
        self.report = ApplyReport()
        self._remotes = Remotes(lock, target, options.mirrors)

    def log(self, message: str) -> None:
        """Say each message once (plan and run both read the state, for instance)."""
        if message not in self._said:
            self._said.add(message)
            self._log(message)

    def plan(self) -> list[Step]:
        """Read-only: the steps as they stand now (``--dry-run`` stops here)."""
        state = State.load(self.target, self.log)
        return plan(self.lock, self.target, state, self.options.force, self.options.only)

    def run(self) -> ApplyReport:
        started = time.monotonic()
        with apply_lock(self.target, self.log):
            with building():  # 100,000 records and steps: no cycle collections meanwhile
                self.state = State.load(self.target, self.log)
                extracted = [d.id for d in self.lock.datasets if d.extract]
                housekeeping.sweep(self.target, extracted, self.log)
                steps = plan(
                    self.lock, self.target, self.state, self.options.force, self.options.only
                )
            if log.isEnabledFor(logging.DEBUG):
                counts = Counter(step.action for step in steps)
                log.debug("plan for %s: %s", self.target, dict(sorted(counts.items())))
            if self.options.on_plan:
                self.options.on_plan(steps)
            needed = sum(step.transfer_bytes for step in steps)
            if self.options.check_space and needed:
                require_space(self.target, needed, "this plan", "run with --no-space-check")
            try:
                self.report.outcomes = self._execute(steps)
            except (KeyboardInterrupt, Terminated) as exc:
                self.state.save()
                raise self._interrupted(steps, exc) from None
            owner, only = self.options.owner, self.options.only
            housekeeping.claim(self.lock, self.state, self.report, owner, only)
            if self.options.prune:
                wanted = self.lock.keys()  # an apply of some datasets prunes none of the others
                self.report.pruned = housekeeping.prune(
                    self.target, self.state, wanted, self.log, owner
                )
            self.state.save()
        self.report.seconds = time.monotonic() - started
        return self.report

    # -- the steps ---------------------------------------------------------------------------

    def _execute(self, steps: list[Step]) -> list[Outcome]:
        outcomes: list[Outcome | None] = [None] * len(steps)
        work: list[int] = []  # steps that read files (hash, extract); the rest costs nothing
        on_done = self.options.on_done
        with building():  # an outcome per kept file: 100,000 objects
            for index, step in enumerate(steps):
                if step.action == KEEP and not step.dataset.extract:
                    outcomes[index] = kept = Outcome(step, "kept", step.reason)
                    if on_done:  # nothing changed: no state to save
                        on_done(kept)
                elif step.action == REPORT:
                    outcomes[index] = self._finished(Outcome(step, "reported", step.reason))
                elif step.action == planner.REFUSE:
                    outcomes[index] = self._finished(Outcome(step, "failed", step.reason))
                elif step.action not in (DOWNLOAD, RESUME):
                    work.append(index)
        done = self._in_threads([steps[i] for i in work])
        for index, (action, outcome) in zip(work, done, strict=True):
            if outcome is None:  # a local file turned out wrong: download it after all
                steps[index] = _with_action(steps[index], action)
            else:
                outcomes[index] = self._finished(outcome)
        where = {id(step): index for index, step in enumerate(steps)}
        transfers = [s for s in steps if s.action in (DOWNLOAD, RESUME)]
        for outcome in self._transfer(transfers):
            outcomes[where[id(outcome.step)]] = outcome
        return [o for o in outcomes if o is not None]

    def prunable(self) -> list[str]:
        """What ``--prune`` would remove now (``--prune --dry-run``)."""
        state = State.load(self.target, self.log)
        wanted = self.lock.keys()
        return housekeeping.prune(self.target, state, wanted, self.log, self.options.owner, True)

    def _in_threads(self, work: list[Step]) -> list[tuple[str, Outcome | None]]:
        if not work:
            return []
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=min(self.options.jobs, len(work))) as pool:
            return list(pool.map(self._local, work))

    def _finished(self, outcome: Outcome) -> Outcome:
        self.state.save_soon()
        if self.options.on_done:
            self.options.on_done(outcome)
        return outcome

    def _local(self, step: Step) -> tuple[str, Outcome | None]:
        """Steps that read local files: verify (hash), extract."""
        try:
            result = "kept"
            if step.action == VERIFY:
                action = self._verify(step)
                if action == REPORT:
                    detail = "differs from the lock; kept (if_exists: skip)"
                    return REPORT, Outcome(step, "reported", detail)
                if action != KEEP:
                    return action, None
                result = "verified"
            return KEEP, self._extracted(Outcome(step, result, step.reason))
        except (MLHubException, OSError) as exc:
            return KEEP, Outcome(step, "failed", str(exc))

    def _verify(self, step: Step) -> str:
        """Hash a complete-sized file with no trusted record: keep it, or treat it as wrong."""
        locked = step.collection
        path = archive_paths(self.target, step.dataset.id, locked.id, step.dataset.loose).final
        digests = hash_file(path, [PIN, *locked.digests])
        written = self.state.records.get(step.key)
        size = path.stat().st_size
        if not mismatches(locked, size, digests, written.xxh3_128 if written else None):
            self._remember(step, path, digests, locked.etag)
            return KEEP
        return decide(step.dataset.if_exists, planner.WRONG, "digest differs from the lock")[0]

    def _transfer(self, steps: list[Step]) -> list[Outcome]:
        """Every download and resume, through the engine: one round, and a second for archives
        whose locked validators the server no longer knows although their content is the same
        (a mirror restored from a backup, or re-deployed: new ETags, same bytes)."""
        if not steps:
            return []
        source = self._source_factory()
        outcomes: list[Outcome] = []
        stale = self._round(source, steps, outcomes, trust_lock=True)
        if stale:
            self.log(
                f"{len(stale)} archive(s) have new validators on the server; "
                "checking their content against the lock"
            )
            self._round(source, stale, outcomes, trust_lock=False)
        return outcomes

    def _round(
        self, source: MLHubSource, steps: list[Step], outcomes: list[Outcome], trust_lock: bool
    ) -> list[Step]:
        """One engine run over ``steps``; returns those to retry with fresh validators."""
        from ..transfer import engine

        jobs, by_job, stale = [], {}, []
        for step in steps:
            try:
                remote = self._remotes.of(source, step, trust_lock)
            except MLHubException as exc:
                outcomes.append(self._finished(Outcome(step, "failed", str(exc))))
                continue
            final = archive_paths(
                self.target, step.dataset.id, step.collection.id, step.dataset.loose
            ).final
            job = engine.Job(remote, final, step.action == RESUME, step.collection.digests)
            jobs.append(job)
            by_job[id(job)] = step
        settings = engine.Settings(
            connections=self.options.connections,
            jobs=self.options.jobs,
            stall_timeout=self.options.stall_timeout,
        )
        runner = engine.Engine(settings, self.options.progress, self.log)

        def done(result: engine.Outcome) -> None:
            step = by_job[id(result.job)]
            if trust_lock and not step.dataset.loose and isinstance(result.error, RemoteChanged):
                stale.append(step)
            else:
                outcomes.append(self._finished(self._downloaded(step, result)))

        try:
            runner.run(jobs, done)
        finally:
            runner.close()
        return stale

    def _downloaded(self, step: Step, result: engine.Outcome) -> Outcome:
        if result.error is not None:
            error = result.error
            if isinstance(error, RemoteChanged) and not step.dataset.loose:
                error = drift_error(step.collection, step.dataset.id, str(error))
            elif isinstance(error, RemoteChanged):
                error = RemoteChanged(f"{error}; run `mlhub-sync lock --update {step.dataset.id}`")
            return Outcome(step, "failed", str(error), result.transferred)
        if result.result == "interrupted":
            return Outcome(step, "interrupted", f"{result.kept:,} bytes kept", result.transferred)
        final = result.job.final
        remote = result.job.file
        self._remember(step, final, result.digests, remote.etag, host_of(remote.url))
        try:
            outcome = self._extracted(Outcome(step, result.result, step.reason, result.transferred))
        except (MLHubException, OSError) as exc:
            outcome = Outcome(step, "failed", str(exc), result.transferred)
        return outcome

    def _remember(
        self, step: Step, path: Path, digests: Digests, etag: str | None, host: str | None = None
    ) -> None:
        previous = self.state.records.get(step.key)
        record = ArchiveRecord.of(path, self.target, digests, etag, previous, host)
        self.state.record(step.key, record)
        if not step.collection.pin:
            self.report.pins[step.key] = digests[PIN]

    def _extracted(self, outcome: Outcome) -> Outcome:
        """Extract when the dataset asks for it and the archive changed since the last time."""
        step = outcome.step
        if not step.dataset.extract or not housekeeping.needs_extraction(
            self.target, self.state, step
        ):
            return outcome
        housekeeping.extract(self.target, self.state, step)
        if outcome.result in ("kept", "verified"):
            return Outcome(step, "extracted", outcome.detail, outcome.transferred)
        return Outcome(step, outcome.result, f"{outcome.detail}; extracted", outcome.transferred)

    def _interrupted(self, steps: list[Step], exc: BaseException) -> Interrupted:
        number = signal.SIGTERM if isinstance(exc, Terminated) else signal.SIGINT
        plan_now = plan(self.lock, self.target, self.state, None, self.options.only)
        partial = [
            s for s in plan_now if s.action in (RESUME, DOWNLOAD) and s.condition == "partial"
        ]
        lines = [
            f"{s.key} ({human_bytes(s.collection.size - s.transfer_bytes)} of "
            f"{human_bytes(s.collection.size)})"
            for s in partial
        ]
        resumable = f"; resumable: {', '.join(lines)}" if lines else ""
        return Interrupted(
            f"interrupted{resumable}. Run `mlhub-sync apply` again to continue.", int(number)
        )


def _with_action(step: Step, action: str) -> Step:
    transfer = step.collection.size if action == DOWNLOAD else 0
    return Step(
        step.dataset,
        step.collection,
        planner.WRONG,
        action,
        "digest differs from the lock",
        transfer,
    )


__all__ = ["EXTRACT", "KEEP", "Applier", "ApplyOptions", "ApplyReport", "Outcome"]
