"""``status`` and ``verify``: what is on disk against the lock (and, asked, the sources)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import exitcodes
from ..http.config import mirror_pairs
from ..sync.project import Project
from ..sync.status import status, verify
from .options import api_options, json_option, manifest_option, mirror_option
from .render import print_json, table
from .sync import LOCK_JOBS


@click.command(
    "status",
    epilog="\b\nExamples:\n  mlhub-sync status\n  mlhub-sync status --json\n"
    "  mlhub-sync status --remote   # CI: exit 5 if the sources changed since the lock",
)
@manifest_option
@json_option
@click.option(
    "--remote",
    is_flag=True,
    help="Also ask the sources: files added, removed or changed since the lock (exit 5).",
)
@mirror_option
@api_options
def status_command(
    manifest_path: Path,
    as_json: bool,
    remote: bool,
    mirrors: tuple[str, ...],
    api_url: str | None,
    profile: str | None,
) -> None:
    """Offline: is each locked archive on disk and verified, and is the lock fresh?

    Per archive: ok, missing, partial, modified or unverified. Exit 0 only when everything is.
    """
    project = Project.load(manifest_path)
    found = status(project)
    fresh = project.lock_is_fresh
    in_sync = fresh and all(s.status == "ok" for s in found)
    drift = _remote_drift(project, mirrors, api_url, profile) if remote else []
    if as_json:
        print_json(
            {
                "lock_fresh": fresh,
                "in_sync": in_sync,
                "archives": [s.to_dict() for s in found],
                **({"remote_changes": drift} if remote else {}),
            }
        )
    else:
        table(
            ("DATASET", "COLLECTION", "STATUS", "DETAIL"),
            [(s.dataset, s.collection, s.status, s.detail) for s in found],
        )
        click.echo(
            f"\nlock: {'up to date with' if fresh else 'OUT OF DATE with'} "
            f"{manifest_path}" + ("" if fresh else " — run `mlhub-sync lock`")
        )
        click.echo("in sync" if in_sync else "not in sync — run `mlhub-sync apply`")
        if remote:
            _say_drift(drift)
    if drift:
        sys.exit(exitcodes.REMOTE_CHANGED)
    if not fresh:
        sys.exit(exitcodes.STALE_LOCK)
    if not in_sync:
        sys.exit(exitcodes.FAILED)


def _remote_drift(
    project: Project, mirrors: tuple[str, ...], api_url: str | None, profile: str | None
) -> list[str]:
    """What changed at the sources since the lock, with this target's per-host validators."""
    from ..sync.resolver import remote_drift
    from ..sync.state import State

    source = project.source(api_url, profile, pool_size=LOCK_JOBS)
    records = State.load(project.manifest.target, lambda _: None).records
    lock = project.require_lock(False)
    return remote_drift(lock, source, LOCK_JOBS, mirror_pairs(mirrors), records)


def _say_drift(drift: list[str]) -> None:
    for line in drift:
        click.echo(f"changed at the source: {line}")
    click.echo(
        f"{len(drift)} change(s) at the sources since the lock"
        + (" — run `mlhub-sync lock --update`" if drift else "")
    )


@click.command(
    "verify",
    epilog="\b\nExamples:\n  mlhub-sync verify\n"
    "  mlhub-sync verify --remote --mirror az://radiantearth/mlhub=http://mirror/mlhub",
)
@manifest_option
@json_option
@click.option(
    "--remote",
    is_flag=True,
    help="Also check the lock against the sources, as `status --remote` does (exit 5).",
)
@mirror_option
@api_options
def verify_command(
    manifest_path: Path,
    as_json: bool,
    remote: bool,
    mirrors: tuple[str, ...],
    api_url: str | None,
    profile: str | None,
) -> None:
    """Rehash every archive against the lock's pins (and MD5); exit 1 naming any mismatch."""
    project = Project.load(manifest_path)
    results = verify(project)
    drift = _remote_drift(project, mirrors, api_url, profile) if remote else []
    bad = [r for r in results if r.status != "ok"]
    if as_json:
        print_json(
            {
                "ok": not bad and not drift,
                "archives": [r.to_dict() for r in results],
                **({"remote_changes": drift} if remote else {}),
            }
        )
    else:
        for r in results:
            click.echo(f"  {r.status:8} {r.path}  {r.detail}")
        click.echo(f"{len(results) - len(bad)} of {len(results)} archives verified")
        if remote:
            _say_drift(drift)
    for r in bad:
        click.echo(f"error: {r.path}: {r.status}: {r.detail}", err=True)
    if not project.lock_is_fresh:
        click.echo(
            f"{project.manifest.lock_path} is out of date with {manifest_path}: these bytes match "
            "the lock, not necessarily the manifest; run `mlhub-sync lock`",
            err=True,
        )
    if bad:
        sys.exit(exitcodes.FAILED)
    if drift:
        sys.exit(exitcodes.REMOTE_CHANGED)
    if not project.lock_is_fresh:
        sys.exit(exitcodes.STALE_LOCK)
