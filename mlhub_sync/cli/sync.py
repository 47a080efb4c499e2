"""``lock``, ``apply``, ``status`` and ``verify``: the lockfile workflow."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .. import exitcodes
from ..exceptions import ConfigError, Interrupted
from ..http.config import (
    DEFAULT_CONNECTIONS,
    DEFAULT_JOBS,
    STALL_TIMEOUT_VARIABLE,
    mirror_pairs,
    progress_every,
)
from ..http.config import stall_timeout as resolve_stall_timeout
from ..progress import PeriodicProgress, TqdmProgress
from ..sync.apply import Applier, ApplyOptions, ApplyReport, Outcome
from ..sync.layout import owner_of
from ..sync.lockfile import Lock
from ..sync.planner import KEEP, Step
from ..sync.project import Project
from .options import api_options, json_option, manifest_option, mirror_option
from .relock import relock
from .render import human_bytes, print_json

LOCK_JOBS = 64  # requests in flight while locking (latency-bound; see sync/resolver.py)


def _echo_err(message: str) -> None:
    click.echo(message, err=True)


@click.command(
    epilog="""\b
Examples:
  mlhub-sync lock                          # resolve what changed in mlhub.yaml
  mlhub-sync lock --update                 # re-resolve every dataset
  mlhub-sync lock --update bigearthnet_v1  # re-resolve one
  mlhub-sync lock --check                  # CI: fail if mlhub.lock is stale (offline)
  mlhub-sync lock --check --remote         # also fail if the server's archives changed"""
)
@manifest_option
@click.option("--update", is_flag=True, help="Re-resolve DATASETs (all if none are named).")
@click.argument("datasets", nargs=-1, metavar="[DATASET]...")
@click.option("--check", is_flag=True, help="Write nothing; exit 6 if the lock is stale.")
@click.option("--remote", is_flag=True, help="With --check: also compare with the server.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 256),
    default=LOCK_JOBS,
    show_default=True,
    help="Requests in flight.",
)
@mirror_option
@api_options
@json_option
def lock(
    manifest_path: Path,
    update: bool,
    datasets: tuple[str, ...],
    check: bool,
    remote: bool,
    jobs: int,
    mirrors: tuple[str, ...],
    api_url: str | None,
    profile: str | None,
    as_json: bool,
) -> None:
    """Resolve mlhub.yaml against the API and write mlhub.lock.

    Records each selected collection's id, types, archive size and the validators the server
    states (ETag, Last-Modified, MD5). Entries whose manifest entry did not change are kept
    without asking the server. The file is deterministic: commit it.
    """
    if datasets and not update:
        raise click.UsageError("naming datasets needs --update")
    if remote and not check:
        raise click.UsageError("--remote goes with --check")
    from ..sync.resolver import remote_drift

    project = Project.load(manifest_path, relocking=not check)
    lock_path = project.manifest.lock_path
    if check:
        reasons = project.stale_reasons
        if as_json:
            found: dict[str, object] = {"lock": str(lock_path), "fresh": not reasons}
            found["stale"] = reasons
        if reasons:
            if as_json:
                print_json(found)
                sys.exit(exitcodes.STALE_LOCK)
            state = "missing" if project.lock is None else "out of date with " + str(manifest_path)
            for reason in reasons if project.lock else []:
                click.echo(f"stale: {reason}", err=True)
            click.echo(f"{lock_path} is {state}; run `mlhub-sync lock` and commit it", err=True)
            sys.exit(exitcodes.STALE_LOCK)
        if remote:
            source = project.source(api_url, profile, pool_size=jobs)
            drift = remote_drift(project.require_lock(), source, jobs, mirror_pairs(mirrors))
            if as_json:
                print_json({**found, "remote_changes": drift})
                sys.exit(exitcodes.REMOTE_CHANGED if drift else exitcodes.OK)
            if drift:
                for line in drift:
                    click.echo(f"changed: {line}", err=True)
                click.echo(
                    f"{len(drift)} archive(s) changed on the server since they were "
                    "locked; run `mlhub-sync lock --update` and commit it",
                    err=True,
                )
                sys.exit(exitcodes.REMOTE_CHANGED)
        if as_json:
            print_json(found)
            return
        click.echo(f"{lock_path} is up to date" + (" (and with the server)" if remote else ""))
        return
    relock(project, set(datasets) if update else None, jobs, mirrors, api_url, profile, as_json)


def _describe(step: Step) -> str:
    size = human_bytes(step.transfer_bytes) if step.transfer_bytes else ""
    return f"  {step.action:8} {step.key:58} {size:>10}  {step.reason}"


def _outcome_line(outcome: Outcome) -> str:
    if outcome.result == "failed":
        return f"  FAILED   {outcome.step.key}: {outcome.detail}"
    if outcome.result == "reported":
        return f"  reported {outcome.step.key}: {outcome.detail}"
    moved = f" ({human_bytes(outcome.transferred)})" if outcome.transferred else ""
    extracted = ", extracted" if outcome.detail.endswith("; extracted") else ""
    return f"  {outcome.result:8} {outcome.step.key}{moved}{extracted}"


@click.command(
    epilog="""\b
Examples:
  mlhub-sync apply                 # reconcile the target folder with mlhub.lock
  mlhub-sync apply --dry-run       # print the plan; no network, no writes
  mlhub-sync apply labels_ds       # just this dataset
  mlhub-sync apply --locked        # CI: fail if mlhub.lock is stale; never write it
  mlhub-sync apply --frozen        # use mlhub.lock as is (no staleness check)
  mlhub-sync apply --force labels_ds --jobs 8   # download it again"""
)
@manifest_option
@click.option("--dry-run", is_flag=True, help="Print the plan (action + reason per archive).")
@json_option
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 256),
    default=DEFAULT_JOBS,
    show_default=True,
    help="Archives processed in parallel.",
)
@click.option(
    "--connections",
    type=click.IntRange(1, 64),
    default=DEFAULT_CONNECTIONS,
    show_default=True,
    help="Connections per host; a big archive is fetched in segments over several.",
)
@click.option(
    "--stall-timeout",
    type=click.FloatRange(0, 86400, min_open=True),
    metavar="SECONDS",
    help=f"Retry a transfer that makes no progress for this long, then fail naming the host "
    f"(default: ${STALL_TIMEOUT_VARIABLE}, then 60).",
)
@click.option(
    "--no-space-check",
    is_flag=True,
    help="Start even if the target's filesystem has less free space than the plan needs.",
)
@click.option("--force", is_flag=True, help="Download DATASETs again (all if none are named).")
@click.argument("datasets", nargs=-1, metavar="[DATASET]...")
@click.option(
    "--prune",
    is_flag=True,
    help="Remove archives and extractions mlhub-sync wrote that the lock no longer lists.",
)
@click.option("--locked", is_flag=True, help="Fail if the lock is stale; never write it.")
@click.option("--frozen", is_flag=True, help="Use the lock as is, stale or not; never write it.")
@click.option(
    "--strict",
    is_flag=True,
    help="Exit 7 when a file kept by `if_exists: skip` differs from the lock.",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress bars (default: when stderr is a terminal).",
)
@mirror_option
@api_options
def apply(
    manifest_path: Path,
    dry_run: bool,
    as_json: bool,
    jobs: int,
    connections: int,
    stall_timeout: float | None,
    no_space_check: bool,
    force: bool,
    datasets: tuple[str, ...],
    prune: bool,
    locked: bool,
    frozen: bool,
    strict: bool,
    progress: bool | None,
    mirrors: tuple[str, ...],
    api_url: str | None,
    profile: str | None,
) -> None:
    """Reconcile the target folder with mlhub.lock (DATASETs only, when named): download,
    resume or keep each archive as its dataset's if_exists says, verify every byte, extract
    where asked. A lock out of date with mlhub.yaml is first re-locked for exactly what the
    manifest changed (--locked fails instead, --frozen uses it as is).

    In sync, it makes no network request and hashes nothing: one stat per archive. Archives
    are independent: a failure is reported and the others go on.
    """
    if locked and frozen:
        raise click.UsageError("--locked and --frozen exclude each other")
    project = Project.load(manifest_path)
    if not project.lock_is_fresh and not (frozen or locked or dry_run):
        reasons = project.stale_reasons
        click.echo(
            err=as_json,
            message=f"{project.manifest.lock_path.name} is out of date with {manifest_path.name} "
            f"({'; '.join(reasons[:3])}{'; …' if len(reasons) > 3 else ''}): locking",
        )
        project.lock = relock(project, None, LOCK_JOBS, mirrors, api_url, profile, err=as_json)
    the_lock = project.require_lock(check_fresh=not frozen)
    unknown = set(datasets) - {d.id for d in the_lock.datasets}
    if unknown:
        known = ", ".join(d.id for d in the_lock.datasets[:10])
        raise ConfigError(f"{', '.join(sorted(unknown))}: not in the lock (it has: {known})")
    target = project.manifest.target
    options = ApplyOptions(
        force=set(datasets) if force else None,
        only=set(datasets) if datasets else None,
        jobs=jobs,
        connections=connections,
        stall_timeout=resolve_stall_timeout(stall_timeout),
        check_space=not no_space_check,
        prune=prune,
        owner=owner_of(project.manifest.lock_path),
        mirrors=mirror_pairs(mirrors),
    )
    applier = Applier(
        the_lock, target, lambda: project.source(api_url, profile), options, _echo_err
    )
    write_pins = not (locked or frozen)
    if dry_run:
        _print_plan(applier.plan(), target, as_json, applier.prunable() if prune else None)
        return
    show_bars = progress if progress is not None else sys.stderr.isatty() and not as_json
    every = progress_every()
    bars: list[TqdmProgress | PeriodicProgress] = []

    def on_plan(steps: list[Step]) -> None:
        """Called once the plan is made (under the target's lock): say what will happen."""
        planned_bytes = sum(s.transfer_bytes for s in steps)
        moving = sum(1 for s in steps if s.transfer_bytes)
        if planned_bytes:  # data is about to be written (an in-sync run spawns no git)
            _warn_if_tracked(target)
        if show_bars and planned_bytes:
            bars.append(TqdmProgress(planned_bytes, moving))
        elif progress is None and not as_json and planned_bytes:  # a log: a line every 10 s
            bars.append(PeriodicProgress(planned_bytes, moving, every))
        if bars:
            options.progress = bars[0]
        if as_json:
            return
        busy = [s for s in steps if s.action != KEEP]
        click.echo(
            f"{target}: {len(steps)} archives, {len(steps) - len(busy)} in sync"
            + (f", {human_bytes(planned_bytes)} to transfer" if planned_bytes else "")
        )
        if not show_bars:
            options.on_done = lambda outcome: (
                click.echo(_outcome_line(outcome)) if outcome.result != "kept" else None
            )

    options.on_plan = on_plan
    try:
        report = applier.run()
    except Interrupted:
        _record_pins(the_lock, applier.report, project.manifest.lock_path, write_pins)
        raise
    finally:
        for bar in bars:
            bar.close()
    pinned = _record_pins(the_lock, report, project.manifest.lock_path, write_pins)
    if as_json:
        print_json(
            {
                "target": str(target),
                "transferred": report.transferred,
                "pinned": pinned,
                "pruned": report.pruned,
                "result": [o.to_dict() for o in report.outcomes],
            }
        )
    else:
        if show_bars:
            for outcome in report.outcomes:
                if outcome.result != "kept":
                    click.echo(_outcome_line(outcome))
        for path in report.pruned:
            click.echo(f"  pruned   {path}")
        counts: dict[str, int] = {}
        for outcome in report.outcomes:
            counts[outcome.result] = counts.get(outcome.result, 0) + 1
        summary = ", ".join(f"{n} {result}" for result, n in sorted(counts.items()))
        click.echo(
            f"{'done' if not report.failures else 'incomplete'}: {summary}; "
            f"{human_bytes(report.transferred)} transferred in {report.seconds:.1f} s"
        )
        if pinned:
            click.echo(
                f"pinned {pinned} digest(s) in {project.manifest.lock_path.name} — commit it"
            )
        elif report.pins:
            click.echo(
                f"{len(report.pins)} digest(s) not pinned (--locked/--frozen never write the lock)"
            )
    kept_different = [o for o in report.outcomes if o.result == "reported"]
    for outcome in kept_different:
        click.echo(
            f"warning: {outcome.step.key}: {outcome.detail}; `mlhub-sync apply --force "
            f"{outcome.step.dataset.id}` replaces it",
            err=True,
        )
    for failure in report.failures:
        click.echo(f"error: {failure.step.key}: {failure.detail}", err=True)
    if report.failures:
        sys.exit(exitcodes.FAILED)
    if strict and kept_different:
        sys.exit(exitcodes.KEPT_DIFFERENT)


def _warn_if_tracked(target: Path) -> None:
    from ..sync.vcs import unignored_in_git

    tree = unignored_in_git(target)
    if tree is not None:
        relative = Path(os.path.relpath(os.path.abspath(target), tree)).as_posix()
        _echo_err(
            f"warning: {target} is inside the git work tree {tree} and not ignored: add "
            f"/{relative}/ to {tree / '.gitignore'} (data is fetched by apply, not committed)"
        )


def _print_plan(steps: list[Step], target: Path, as_json: bool, pruned: list[str] | None) -> None:
    planned_bytes = sum(s.transfer_bytes for s in steps)
    if as_json:
        plan = [s.to_dict() for s in steps]
        found = {"target": str(target), "bytes": planned_bytes, "plan": plan}
        print_json(found if pruned is None else {**found, "prune": pruned})
        return
    click.echo(
        f"plan for {target} ({len(steps)} archives, {human_bytes(planned_bytes)} to transfer):"
    )
    for step in steps:
        click.echo(_describe(step))
    for path in pruned or []:
        click.echo(f"  {'prune':8} {path}")
    if pruned is not None:
        click.echo(f"{len(pruned)} path(s) would be pruned")


def _record_pins(lock: Lock, report: ApplyReport, path: Path, allowed: bool) -> int:
    """Write the digests apply learned into the lock (unless --locked/--frozen)."""
    if not report.pins or not allowed:
        return 0
    lock.with_pins(report.pins).write(path)
    return len(report.pins)
