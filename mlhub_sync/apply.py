"""Execute a plan: ``mlhub-sync apply`` reconciles a target folder with the lock.

Archives are independent: one failing (remote drift, a broken connection, a bad digest) is
reported and the others go on. No network request is made unless a step needs one, so a
target already in sync costs one ``stat`` per archive. Only this module and ``transfer``
write into the target.
"""

from __future__ import annotations

import contextlib
import shutil
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .digests import hash_file
from .exceptions import MLHubException
from .extract import extract_archive
from .lockfile import Lock, LockedCollection, differences, mismatches
from .planner import (
    DOWNLOAD,
    EXTRACT,
    KEEP,
    REPORT,
    RESUME,
    VERIFY,
    WRONG,
    Step,
    archive_path,
    decide,
    extract_path,
    plan,
)
from .progress import ProgressReporter, SilentProgress
from .session import Session
from .state import ArchiveRecord, State, apply_lock
from .transfer import Expected, RemoteChanged, download, resolve_archive

DEFAULT_JOBS = 4


@dataclass
class Outcome:
    step: Step
    result: str  # kept, downloaded, resumed, verified, extracted, reported, failed
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
    pinned: int = 0
    unpinned: int = 0  # digests learned but not written (--locked / --frozen)
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
    jobs: int = DEFAULT_JOBS
    prune: bool = False
    write_pins: bool = True
    progress: ProgressReporter = field(default_factory=SilentProgress)
    on_done: Callable[[Outcome], None] | None = None  # called as each archive finishes


class Applier:
    def __init__(
        self,
        lock: Lock,
        lock_path: Path,
        target: Path,
        session_factory: Callable[[], Session],
        options: ApplyOptions,
        log: Callable[[str], None],
    ) -> None:
        self.lock = lock
        self.lock_path = lock_path
        self.target = target
        self.options = options
        self._log = log
        self._said: set[str] = set()
        self._session_factory = session_factory
        self._session: Session | None = None
        self._session_lock = threading.Lock()
        self.state = State(target)
        self._new_pins: set[int] = set()  # ids of lock entries that learned their digest here

    def log(self, message: str) -> None:
        """Say each message once (plan and run both read the state, for instance)."""
        if message not in self._said:
            self._said.add(message)
            self._log(message)

    def session(self) -> Session:
        """Created on first need: an apply with nothing to fetch makes no request at all."""
        with self._session_lock:
            if self._session is None:
                self._session = self._session_factory()
            return self._session

    def plan(self) -> list[Step]:
        """Read-only: the steps as they stand now (``--dry-run`` stops here)."""
        state = State.load(self.target, self.log)
        return plan(self.lock, self.target, state, self.options.force)

    def run(self) -> ApplyReport:
        started = time.monotonic()
        report = ApplyReport()
        with apply_lock(self.target, self.log):
            self.state = State.load(self.target, self.log)
            steps = plan(self.lock, self.target, self.state, self.options.force)
            jobs = max(1, min(self.options.jobs, len(steps)))
            with ThreadPoolExecutor(max_workers=jobs) as pool:
                report.outcomes = list(pool.map(self._process, steps))
            if self.options.prune:
                report.pruned = self._prune({step.key for step in steps})
            self.state.save()
            report.pinned, report.unpinned = self._pins()
        report.seconds = time.monotonic() - started
        return report

    # -- one archive ----------------------------------------------------------------------

    def _process(self, step: Step) -> Outcome:
        try:
            outcome = self._act(step)
            if outcome.result not in ("kept", "reported"):
                self.state.save()  # what changed survives a later kill; "kept" changed nothing
        except (MLHubException, OSError) as exc:
            outcome = Outcome(step, "failed", str(exc))
        if self.options.on_done:
            self.options.on_done(outcome)
        return outcome

    def _act(self, step: Step) -> Outcome:
        action, result = step.action, {KEEP: "kept", EXTRACT: "kept"}.get(step.action, "")
        if action == REPORT:
            return Outcome(step, "reported", step.reason)
        if action == VERIFY:
            action, result = self._verify(step)
            if action == REPORT:
                return Outcome(step, "reported", "differs from the lock; kept (if_exists: skip)")
        transferred = 0
        if action in (DOWNLOAD, RESUME):
            transferred, result = self._transfer(step, action)
        detail = step.reason
        if step.dataset.extract and self._needs_extraction(step):
            self._extract(step)
            if result in ("kept", "verified"):
                result = "extracted"
            else:
                detail = f"{detail}; extracted"
        return Outcome(step, result, detail, transferred)

    def _verify(self, step: Step) -> tuple[str, str]:
        """Hash a complete-sized file with no trusted record: keep it, or treat it as wrong."""
        locked = step.collection
        path = archive_path(self.target, step.dataset.id, locked.id)
        algorithms = ["xxh3_128"] + (["md5"] if locked.md5 else [])
        digests = hash_file(path, algorithms)
        written = self.state.records.get(step.key)
        size = path.stat().st_size
        if not mismatches(locked, size, digests, written.xxh3_128 if written else None):
            self._remember(step, path, digests)
            return KEEP, "verified"
        action, _ = decide(step.dataset.if_exists, WRONG, "digest differs from the lock")
        return action, ""

    def _transfer(self, step: Step, action: str) -> tuple[int, str]:
        locked, dataset = step.collection, step.dataset
        session = self.session()
        remote = resolve_archive(session, locked.id)
        changed = differences(locked, remote)
        if changed:
            raise RemoteChanged(
                f"remote archive {locked.id} changed since it was locked ({'; '.join(changed)}); "
                f"run `mlhub-sync lock --update {dataset.id}`"
            )
        pinned = {k: v for k, v in (("md5", locked.md5), ("xxh3_128", locked.xxh3_128)) if v}
        result = download(
            session,
            locked.id,
            archive_path(self.target, dataset.id, locked.id).parent,
            if_exists="resume" if action == RESUME else "overwrite",
            progress=self.options.progress,
            expected=Expected(size=locked.size, digests=pinned, if_match=True),
            remote=remote,
        )
        self._remember(step, result.path, result.digests, remote.etag)
        return result.transferred, result.action

    def _remember(
        self, step: Step, path: Path, digests: dict[str, str], etag: str | None = None
    ) -> None:
        locked = step.collection
        self.state.record(
            step.key, ArchiveRecord.of(path, self.target, digests, etag or locked.etag)
        )
        self._learn_pin(locked, digests["xxh3_128"])

    def _learn_pin(self, locked: LockedCollection, digest: str) -> None:
        if not locked.xxh3_128:
            locked.xxh3_128 = digest
            self._new_pins.add(id(locked))

    # -- extraction and pruning -----------------------------------------------------------

    def _needs_extraction(self, step: Step) -> bool:
        record = self.state.records.get(step.key)
        if record is None:
            return False
        folder = extract_path(self.target, step.dataset.id, step.collection.id)
        return not (record.extracted_from == record.xxh3_128 and folder.is_dir())

    def _extract(self, step: Step) -> None:
        record = self.state.records[step.key]
        folder = extract_path(self.target, step.dataset.id, step.collection.id)
        extract_archive(self.target / record.path, folder)
        record.extracted_to = str(folder.relative_to(self.target))
        record.extracted_from = record.xxh3_128

    def _prune(self, wanted: set[str]) -> list[str]:
        """Remove what this tool wrote (per the state) that the lock no longer lists."""
        removed = []
        for key, record in list(self.state.records.items()):
            if key in wanted:
                continue
            path = self.target / record.path
            try:
                if record.matches(path.stat()):
                    path.unlink()
                    removed.append(record.path)
                else:
                    self.log(f"not pruning {path}: it changed since mlhub-sync wrote it")
                    continue
            except FileNotFoundError:
                pass
            if record.extracted_to and (self.target / record.extracted_to).is_dir():
                shutil.rmtree(self.target / record.extracted_to)
                removed.append(record.extracted_to + "/")
            self.state.forget(key)
            with contextlib.suppress(OSError):
                path.parent.rmdir()  # the dataset folder, if nothing else is in it
        return removed

    # -- pins -----------------------------------------------------------------------------

    def _pins(self) -> tuple[int, int]:
        learned = len(self._new_pins)
        if not learned:
            return 0, 0
        if self.options.write_pins:
            self.lock.write(self.lock_path)
            return learned, 0
        return 0, learned
