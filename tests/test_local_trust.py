"""Everything read from disk is untrusted (issue 13): the target's state, what lies where the
tool's own files belong, the target itself, URLs and keys given as input. Each case failed
before its fix (a traceback, a write outside the target, or a wrong answer)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from support import MirrorServer, make_archive
from sync_support import Workspace

from mlhub_sync.sync.state import RECORD_FIELDS


def applied(tmp_path: Path, server: MirrorServer, **settings: object) -> Workspace:
    project = Workspace(tmp_path / "p", server.url, ["alpha", "beta"], **settings)
    project.run("lock")
    project.run("apply")
    return project


def state_path(project: Workspace) -> Path:
    return project.root / "data" / ".mlhub-sync" / "state.json"


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


def edit_record(field: str, value: object) -> Callable[[list[object]], list[object]]:
    def edit(row: list[object]) -> list[object]:
        full = row + [None] * (len(RECORD_FIELDS) - len(row))
        full[RECORD_FIELDS.index(field)] = value
        return full

    return edit


TAMPERED: dict[str, Callable[[list[object]], object]] = {
    "extracted_to a number": edit_record("extracted_to", 5),
    "extracted_to outside": edit_record("extracted_to", "/tmp"),
    "path outside": edit_record("path", "/etc/passwd"),
    "path climbing": edit_record("path", "../../mlhub.yaml"),
    "size as text": edit_record("size", "200"),
    "pin a list": edit_record("xxh3_128", [1]),
    "fields missing": lambda row: row[:2],
    "an object": lambda row: {"path": row[0]},
}


@pytest.mark.parametrize("tamper", TAMPERED.values(), ids=TAMPERED.keys())
def test_a_bad_state_record_is_ignored_alone_with_a_warning_and_shown(
    tmp_path: Path, sync_server: MirrorServer, tamper: Callable[[list[object]], object]
) -> None:
    project = applied(tmp_path, sync_server)
    data = json.loads(state_path(project).read_text())
    data["archives"]["beta/beta_both"] = tamper(data["archives"]["beta/beta_both"])
    state_path(project).write_text(json.dumps(data))
    status = project.run("status", expect=1)
    assert "Traceback" not in status.stderr
    assert "its state record was ignored" in status.stdout
    assert status.stdout.count(" ok ") == 2  # the other records are still trusted
    verify = project.run("verify")  # hashes every file, and records this one afresh
    assert "its state record had been ignored" in verify.stdout
    state_path(project).write_text(json.dumps(data))
    result = project.run("apply")
    assert "ignoring 1 state record(s)" in result.stderr and "beta/beta_both" in result.stderr
    assert "2 kept, 1 verified" in result.stdout  # only that one file hashed again
    assert project.run("status").returncode == 0


def test_a_record_naming_an_outside_archive_does_not_get_it_extracted(
    tmp_path: Path, sync_server: MirrorServer
) -> None:
    """A record that pointed at an attacker's archive had it extracted into the target, and
    `status` then called the extraction ok."""
    project = Workspace(
        tmp_path / "p", sync_server.url, [{"id": "beta", "extract": True}], target="data"
    )
    project.run("lock")
    project.run("apply")
    evil = tmp_path / "evil.tar.gz"
    evil.write_bytes(make_archive({"MARKER.txt": b"not from the lock"}))
    data = json.loads(state_path(project).read_text())
    row = edit_record("path", str(evil))(data["archives"]["beta/beta_both"])
    data["archives"]["beta/beta_both"] = row
    state_path(project).write_text(json.dumps(data))
    extracted = project.root / "data" / "beta" / "beta_both"
    for path in sorted(extracted.rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    extracted.rmdir()
    project.run("apply")
    assert (extracted / "data.bin").exists()
    assert not list(extracted.rglob("MARKER.txt"))


@pytest.mark.parametrize("kind", ["link outside", "file"])
def test_the_state_folder_is_never_written_through_a_link_or_in_place_of_a_file(
    tmp_path: Path, sync_server: MirrorServer, kind: str
) -> None:
    project = applied(tmp_path, sync_server)
    folder = project.root / "data" / ".mlhub-sync"
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    if kind == "file":
        folder.write_text("mine")
    else:
        folder.symlink_to(outside)
    line = one_line_error(project.run("apply", expect=2))
    assert ".mlhub-sync is a" in line and "move it away" in line
    assert list(outside.iterdir()) == []
    assert folder.is_symlink() if kind != "file" else folder.read_text() == "mine"


@pytest.mark.parametrize("kind", ["folder", "link to /dev/zero", "link to a file"])
def test_the_state_file_is_never_replaced_when_it_is_not_a_file(
    tmp_path: Path, sync_server: MirrorServer, kind: str
) -> None:
    project = applied(tmp_path, sync_server)
    path = state_path(project)
    path.unlink()
    victim = tmp_path / "victim.json"
    victim.write_text("{}")
    if kind == "folder":
        path.mkdir()
    else:
        path.symlink_to("/dev/zero" if "zero" in kind else victim)
    for command in ("apply", "status", "verify"):
        line = one_line_error(project.run(command, expect=2))
        assert "state.json is a" in line
    assert victim.read_text() == "{}"
    assert path.is_dir() if kind == "folder" else path.is_symlink()


def test_a_state_file_that_would_build_too_many_values_is_set_aside(
    tmp_path: Path, sync_server: MirrorServer
) -> None:
    """180 MB of empty objects, under the size limit: json built 60 million dicts and the
    run died of MemoryError under a 2 GiB limit. Now counted first, and set aside."""
    import resource

    project = applied(tmp_path, sync_server)
    state_path(project).write_bytes(b"[" + b"{}," * 60_000_000 + b"{}]")

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    result = subprocess.run(
        [sys.executable, "-m", "mlhub_sync", "apply"],
        cwd=project.root,
        env=project.env(),
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=limited,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-500:]
    assert "ignoring corrupt state file" in result.stderr
    assert "3 verified" in result.stdout


@pytest.mark.parametrize("kind", ["link to /dev/zero", "folder", "link to the manifest"])
def test_something_else_where_an_archive_belongs_is_reported_and_left_alone(
    tmp_path: Path, sync_server: MirrorServer, kind: str
) -> None:
    project = applied(tmp_path, sync_server)
    archive = project.archive("beta", "beta_both")
    archive.unlink()
    if kind == "folder":
        archive.mkdir()
    else:
        archive.symlink_to("/dev/zero" if "zero" in kind else project.manifest)
    before = project.manifest.read_bytes()
    status = project.run("status", expect=1).stdout
    assert "foreign" in status and "left alone" in status
    verify = project.run("verify", expect=1)
    assert "Traceback" not in verify.stderr and "foreign" in verify.stdout
    apply = project.run("apply", "--force", expect=1)
    assert "Traceback" not in apply.stderr
    assert "FAILED   beta/beta_both:" in apply.stdout and "left alone" in apply.stdout
    assert archive.is_dir() if kind == "folder" else archive.is_symlink()
    assert project.manifest.read_bytes() == before


def test_a_dataset_folder_that_is_a_file_fails_its_archives_in_one_line_each(
    tmp_path: Path, sync_server: MirrorServer
) -> None:
    project = Workspace(tmp_path / "p", sync_server.url, ["alpha", "beta"])
    project.run("lock")
    (project.root / "data").mkdir()
    (project.root / "data" / "alpha").write_text("a file where a folder belongs")
    status = project.run("status", expect=1)
    assert "Traceback" not in status.stderr and "its place cannot be used" in status.stdout
    result = project.run("apply", expect=1)
    assert "Traceback" not in result.stderr
    assert result.stdout.count("FAILED   alpha/") == 2
    assert project.archive("beta", "beta_both").exists()


@pytest.mark.parametrize("target", ["a-file", "/dev/null"])
def test_a_target_that_is_not_a_folder_is_a_one_line_error(
    tmp_path: Path, sync_server: MirrorServer, target: str
) -> None:
    project = Workspace(tmp_path / "p", sync_server.url, ["beta"], target=target)
    (project.root / "a-file").write_text("mine")
    for command in ("status", "apply", "lock"):
        line = one_line_error(project.run(command, expect=2))
        assert "exists and is not a folder" in line
    assert (project.root / "a-file").read_text() == "mine"


@pytest.mark.parametrize("which", ["mlhub.yaml", "mlhub.lock"])
def test_a_manifest_or_lock_that_is_a_folder_or_dev_zero_is_a_one_line_error(
    tmp_path: Path, sync_server: MirrorServer, which: str
) -> None:
    project = Workspace(tmp_path / "p", sync_server.url, ["beta"])
    project.run("lock")
    path = project.root / which
    makers: list[Callable[[], None]] = [path.mkdir, lambda: path.symlink_to("/dev/zero")]
    for make in makers:
        path.rmdir() if path.is_dir() and not path.is_symlink() else path.unlink()
        make()
        for command in ("status", "apply"):
            line = one_line_error(project.run(command, expect=2))
            assert which in line and ("a folder" in line or "not a regular file" in line)


@pytest.mark.parametrize(
    ("where", "url"),
    [
        ("--api-url", "http://127.0.0.1:99999/mlhub/v1/"),
        ("--api-url", "http://127.0.0.1:0/"),
        ("MLHUB_ROOT_URL", "http://a b/mlhub/v1/"),
        ("api_url", "http://127.0.0.1:99999/mlhub/v1/"),
        ("api_url", "http://127.0.0.1:abc/"),
    ],
)
def test_a_bad_url_is_refused_before_any_request(tmp_path: Path, where: str, url: str) -> None:
    """Before: five retries of a URL that could never work, and an error blaming a redirect."""
    project = Workspace(tmp_path / "p", url if where == "api_url" else "http://x/", ["beta"])
    if where != "api_url":
        project.write_manifest(["beta"])
        project.manifest.write_text(
            project.manifest.read_text().replace("api_url: http://x/\n", "")
        )
    args = ["lock", "--api-url", url] if where == "--api-url" else ["lock"]
    env = {"MLHUB_ROOT_URL": url} if where == "MLHUB_ROOT_URL" else {}
    result = project.run(*args, env=env, expect=2)
    line = one_line_error(result)
    assert "port" in line or "space" in line
    if where == "api_url":
        assert "mlhub.yaml: api_url" in line
    if where == "MLHUB_ROOT_URL":
        assert line.startswith("error: MLHUB_ROOT_URL: ")


def run_configure(home: Path, stdin: bytes, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(home), "MLHUB_HOME": str(home / ".mlhub")}
    return subprocess.run(
        [sys.executable, "-m", "mlhub_sync", "configure", *args],
        input=stdin.decode(errors="surrogateescape"),
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_an_overlong_key_is_refused_not_cut(tmp_path: Path) -> None:
    """A 3 MB paste was cut at 1 MiB and saved; the profiles file was then over its own
    limit and every later command failed."""
    result = run_configure(tmp_path, b"k" * 3_000_000, "--api-key", "-")
    assert result.returncode == 2 and "over 4,096 characters" in result.stderr
    assert not (tmp_path / ".mlhub").exists()
    assert run_configure(tmp_path, b"k" * 5_000 + b"\n", "--api-key", "-").returncode == 2
    assert run_configure(tmp_path, b"k" * 64 + b"\n", "--api-key", "-").returncode == 0


def test_a_profiles_file_without_section_headers_is_one_line(tmp_path: Path) -> None:
    (tmp_path / ".mlhub").mkdir()
    (tmp_path / ".mlhub" / "profiles").write_text("[default\napi_key = 1\n")
    env = {**os.environ, "HOME": str(tmp_path), "MLHUB_HOME": str(tmp_path / ".mlhub")}
    result = subprocess.run(
        [sys.executable, "-m", "mlhub_sync", "datasets", "--api-url", "http://127.0.0.1:9/"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    line = one_line_error(result)
    assert "not a valid profiles file" in line


@pytest.mark.parametrize("which", ["apply.lock", ".part", ".part.journal"])
def test_a_link_planted_where_the_tool_writes_its_own_file_is_not_written_through(
    tmp_path: Path, sync_server: MirrorServer, which: str
) -> None:
    """`apply.lock` linked to another file was truncated; a linked `.part` appended to."""
    project = applied(tmp_path, sync_server)
    victim = tmp_path / "victim.txt"
    victim.write_text("the user's file")
    archive = project.archive("beta", "beta_both")
    if which == "apply.lock":
        link = project.root / "data" / ".mlhub-sync" / "apply.lock"
        link.unlink()
    else:
        archive.unlink()
        link = Path(f"{archive}{which}")
    link.symlink_to(victim)
    result = project.run("apply", expect=None)
    assert result.returncode in (1, 2) and "Traceback" not in result.stderr
    assert "symbolic link" in result.stdout + result.stderr
    assert victim.read_text() == "the user's file"
    assert link.is_symlink()


def test_a_target_under_home_is_expanded_once_for_every_command(
    tmp_path: Path, sync_server: MirrorServer
) -> None:
    """`target: ~/data`: the planner looked at `./~/data` while downloads went to `$HOME`."""
    home = tmp_path / "home"
    home.mkdir()
    project = Workspace(tmp_path / "p", sync_server.url, ["beta"], target="~/data")
    project.run("lock")
    env = {"HOME": str(home)}
    assert "1 downloaded" in project.run("apply", env=env).stdout
    assert (home / "data" / "beta" / "beta_both.tar.gz").exists()
    assert not (project.root / "~").exists()
    assert "in sync" in project.run("status", env=env).stdout
    assert "1 of 1 archives verified" in project.run("verify", env=env).stdout
    assert "1 kept" in project.run("apply", env=env).stdout
