"""``apply --prune``: only what this project had mlhub-sync write, that no other project on the
same target uses, where its record's key says, still as written — and ``--dry-run`` lists it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import MirrorServer
from sync_support import Workspace

from mlhub_sync.sync.layout import owner_of
from mlhub_sync.sync.state import RECORD_FIELDS


def shared(
    tmp_path: Path, sync_server: MirrorServer, name: str, datasets: list[object]
) -> Workspace:
    return Workspace(tmp_path / name, sync_server.url, datasets, target="../shared")


def tree(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if ".mlhub-sync" not in p.parts}


def owners_of(folder: Path, key: str) -> list[str]:
    data = json.loads((folder / ".mlhub-sync" / "state.json").read_text())
    return sorted(owner for owner, keys in data["projects"].items() if key in keys)


def test_prune_leaves_what_another_project_on_the_target_uses(
    tmp_path: Path, sync_server: MirrorServer
) -> None:
    one = shared(tmp_path, sync_server, "one", ["alpha", "beta"])
    two = shared(tmp_path, sync_server, "two", ["beta"])
    for project in (one, two):
        project.run("lock")
        project.run("apply")
    target = tmp_path / "shared"
    owners = owners_of(target, "beta/beta_both")
    assert owners == sorted([owner_of(one.lock), owner_of(two.lock)])
    two.write_manifest(["alpha"], target="../shared")  # two drops beta, which one still lists
    two.run("lock")
    dry = two.run("apply", "--prune", "--dry-run")
    assert "0 path(s) would be pruned" in dry.stdout, dry.stdout
    result = two.run("apply", "--prune")
    assert "not pruning beta/beta_both: another project" in result.stderr
    assert (target / "beta" / "beta_both.tar.gz").exists()
    assert owners_of(target, "beta/beta_both") == [owner_of(one.lock)]
    one.write_manifest(["alpha"], target="../shared")  # now nobody lists beta
    one.run("lock")
    before = tree(target)
    dry = one.run("apply", "--prune", "--dry-run")
    assert "  prune    beta/beta_both.tar.gz" in dry.stdout, dry.stdout
    assert "1 path(s) would be pruned" in dry.stdout
    assert tree(target) == before  # a dry run touches nothing
    one.run("apply", "--prune")
    assert not (target / "beta").exists()
    assert (target / "alpha" / "alpha_source.tar.gz").exists()  # both still list alpha


@pytest.mark.parametrize(
    "tamper",
    [
        {"path": "../victim.txt"},
        {"path": "/abs/victim.txt"},
        {"path": "beta/../../victim.txt"},
        {"path": "alpha/alpha_source.tar.gz"},  # another record's file
        {"extracted_to": ".."},
        {"extracted_to": "../outside"},
        {"path": ""},
    ],
)
def test_prune_never_follows_a_tampered_state_record(
    tmp_path: Path, sync_server: MirrorServer, tamper: dict[str, str]
) -> None:
    project = Workspace(tmp_path / "p", sync_server.url, ["alpha", "beta"])
    project.run("lock")
    project.run("apply")
    victim = tmp_path / "p" / "victim.txt"
    victim.write_text("the user's file")
    outside = tmp_path / "p" / "outside"
    outside.mkdir()
    (outside / "keep").write_text("kept")
    (tmp_path / "victim.txt").write_text("outside the project")
    path = tmp_path / "p" / "data" / ".mlhub-sync" / "state.json"
    data = json.loads(path.read_text())
    row = data["archives"]["beta/beta_both"]
    record = dict(zip(RECORD_FIELDS, row + [None] * (len(RECORD_FIELDS) - len(row)), strict=True))
    data["archives"]["beta/beta_both"] = [*{**record, **tamper}.values()]
    path.write_text(json.dumps(data))
    project.write_manifest(["alpha"])
    project.run("lock")
    result = project.run("apply", "--prune", expect=None)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert victim.read_text() == "the user's file"
    assert (tmp_path / "victim.txt").read_text() == "outside the project"
    assert (outside / "keep").read_text() == "kept"
    assert project.archive("alpha", "alpha_source").exists()
    assert project.archive("beta", "beta_both").exists()  # not where its record says: kept
    assert project.manifest.exists() and project.lock.exists()


def test_prune_leaves_a_file_changed_since_it_was_written(
    tmp_path: Path, sync_server: MirrorServer
) -> None:
    project = Workspace(tmp_path / "p", sync_server.url, ["alpha", "beta"])
    project.run("lock")
    project.run("apply")
    archive = project.archive("beta", "beta_both")
    archive.unlink()
    archive.symlink_to(project.manifest)  # a link where our file was
    project.write_manifest(["alpha"])
    project.run("lock")
    result = project.run("apply", "--prune")
    assert "not pruning" in result.stderr and archive.is_symlink()
    assert project.manifest.exists()
