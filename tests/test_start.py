"""Starting a project: ``init`` (skeleton, data git-ignored), ``add`` (the manifest edited as
text, comments kept, the entry locked — or nothing changed), and apply's warning when the data
folder would end up in git."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml
from support import MirrorServer
from sync_support import Workspace

from mlhub_sync.exceptions import ConfigError
from mlhub_sync.sync.edit import SKELETON, add_entry

COMMENTED = """\
version: 1  # the format
api_url: http://x/   # our mirror
datasets:
  - alpha      # the labels we need
  - id: beta
    if_exists: skip
# end of the list
target: data
"""


@pytest.mark.parametrize(
    ("before", "dataset", "source", "ids"),
    [
        (SKELETON.format(target="data"), "a", None, ["a"]),
        (SKELETON.format(target="data"), "a", "az://x/y/", ["a"]),
        (COMMENTED, "gamma", None, ["alpha", "beta", "gamma"]),
        (COMMENTED, "gamma", "s3://b/p/", ["alpha", "beta", "gamma"]),
        ("version: 1\ndatasets: [a, b]  # flow\n", "c", None, ["a", "b", "c"]),
        ("version: 1\ndatasets:\n- a\n", "b", None, ["a", "b"]),
        ("version: 1\n", "a", None, ["a"]),
        ("version: 1\ndatasets:\n  - a\n", "weird id", None, ["a", "weird id"]),
    ],
)
def test_add_entry_appends_and_keeps_every_comment(
    before: str, dataset: str, source: str | None, ids: list[str]
) -> None:
    after = add_entry(before, dataset, source)
    entries = yaml.safe_load(after)["datasets"]
    assert [e if isinstance(e, str) else e["id"] for e in entries] == ids
    if source:
        assert entries[-1]["source"] == source
    comments = [line.partition("#")[2] for line in before.splitlines() if "#" in line]
    assert all(comment in after for comment in comments)


def test_add_entry_refuses_what_it_cannot_edit_safely() -> None:
    with pytest.raises(ConfigError, match="one entry per line"):
        add_entry("version: 1\ndatasets: [a]\n", "b", "az://x/y/")
    with pytest.raises(ConfigError, match="must be a list"):
        add_entry("version: 1\ndatasets: a\n", "b")


def git(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, check=False)


def test_init_add_apply_in_a_git_repository(tmp_path: Path, sync_server: MirrorServer) -> None:
    work = Workspace(tmp_path / "p", sync_server.url)
    work.manifest.unlink()
    git(work.root, "init", "-q")
    first = work.run("init")
    assert "wrote" in first.stdout and "added /data/ to" in first.stdout
    assert git(work.root, "check-ignore", "-q", "data/").returncode == 0
    assert "exists already" in work.run("init", expect=2).stderr
    work.run("init", "--target", "data", "elsewhere")  # another folder: fine
    skeleton = work.manifest.read_text()
    added = work.run("add", "alpha", "--api-url", sync_server.url)
    assert "added alpha" in added.stdout
    text = work.manifest.read_text()
    assert text.startswith(skeleton.rsplit("datasets:", 1)[0])  # every comment kept
    locked = work.lock_data()["datasets"]
    assert isinstance(locked, list) and [d["id"] for d in locked] == ["alpha"]
    lock_before = work.lock.read_text()
    failed = work.run("add", "no_such_dataset", "--api-url", sync_server.url, expect=2)
    assert "no_such_dataset" in failed.stderr and "Traceback" not in failed.stderr
    assert work.manifest.read_text() == text and work.lock.read_text() == lock_before
    assert "lists 'alpha' already" in work.run("add", "alpha", expect=2).stderr
    applied = work.run("apply", "--api-url", sync_server.url)
    assert "warning" not in applied.stderr  # data/ is ignored


def test_apply_warns_when_the_data_folder_is_not_git_ignored(
    tmp_path: Path, sync_server: MirrorServer
) -> None:
    work = Workspace(tmp_path / "p", sync_server.url, ["beta"])
    git(work.root, "init", "-q")
    work.run("lock")
    result = work.run("apply")
    assert "is inside the git work tree" in result.stderr and "add /data/ to" in result.stderr
    (work.root / ".gitignore").write_text("/data/\n")
    assert "warning" not in work.run("apply", "--force").stderr  # writes again: checked again
