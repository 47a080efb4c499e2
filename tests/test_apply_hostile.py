"""``apply`` and the library under hostile conditions, end to end: real CLI subprocesses, the
real mirror server, archive bytes from a scriptable server (``--archive-base-url``)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import xxhash
from rangeserver import Mode, RangeServer
from support import MirrorServer, write_json
from sync_support import Workspace, journalled

MiB = 1 << 20
DATA = random.Random(20).randbytes(24 * MiB)
NAME = "big_data.tar.gz"


@pytest.fixture
def blobs() -> Iterator[RangeServer]:
    with RangeServer() as server:
        server.files[NAME] = DATA
        yield server


@pytest.fixture
def api(tmp_path_factory: pytest.TempPathFactory, blobs: RangeServer) -> Iterator[MirrorServer]:
    root = tmp_path_factory.mktemp("hostile") / "mirror"
    write_json(
        root / "datasets" / "big.json",
        {"id": "big", "title": "Big", "collections": [{"id": "big_data", "types": ["labels"]}]},
    )
    write_json(root / "collections" / "big_data.json", {"id": "big_data", "links": []})
    (root / "archives").mkdir()
    (root / "archives" / NAME).write_bytes(DATA)
    with MirrorServer(root, "--archive-base-url", blobs.origin) as server:
        yield server


@pytest.fixture
def project(tmp_path: Path, api: MirrorServer) -> Workspace:
    workspace = Workspace(tmp_path / "project", api.url, ["big"])
    workspace.run("lock")
    return workspace


def final_of(project: Workspace) -> Path:
    return project.archive("big", "big_data")


@pytest.mark.parametrize(("signal_number", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_7_a_signal_stops_apply_within_two_seconds_and_it_resumes(
    project: Workspace, blobs: RangeServer, signal_number: int, code: int
) -> None:
    blobs.mode = Mode(rate=300_000)  # per connection: minutes for the whole archive
    running = project.popen("apply")
    deadline = time.monotonic() + 30
    while journalled(final_of(project)) < 1 * MiB and time.monotonic() < deadline:
        time.sleep(0.02)
    sent = time.monotonic()
    running.send_signal(signal_number)
    out, err = running.communicate(timeout=30)
    took = time.monotonic() - sent
    assert running.returncode == code, (out, err)
    assert took < 2.0, f"took {took:.2f} s to stop"
    assert "Traceback" not in err and "resumable: big/big_data" in err
    kept = journalled(final_of(project))
    assert kept >= 1 * MiB and not final_of(project).exists()
    blobs.mode = Mode()
    again = project.run("apply")
    assert "1 resumed" in again.stdout
    assert final_of(project).read_bytes() == DATA


def test_2_a_smaller_foreign_file_is_replaced_and_the_true_digest_pinned(
    project: Workspace,
) -> None:
    final = final_of(project)
    final.parent.mkdir(parents=True)
    final.write_bytes(b"\0" * 1000)  # someone else's file where ours goes
    result = project.run("apply")
    assert "1 downloaded" in result.stdout
    assert final.read_bytes() == DATA
    assert project.locked("big_data")["xxh3_128"] == xxhash.xxh3_128_hexdigest(DATA)


def test_6_a_stalled_transfer_fails_naming_the_host(project: Workspace, blobs: RangeServer) -> None:
    blobs.mode = Mode(trickle=0.2)
    host = blobs.origin.removeprefix("http://")
    started = time.monotonic()
    by_flag = project.run("apply", "--stall-timeout", "0.5", expect=1)
    assert host in by_flag.stderr and "no progress for 0.5 s" in by_flag.stderr
    assert "Traceback" not in by_flag.stderr
    by_variable = project.run("apply", expect=1, env={"MLHUB_STALL_TIMEOUT": "0.5"})
    assert "no progress for 0.5 s" in by_variable.stderr
    assert time.monotonic() - started < 60
    assert not final_of(project).exists()


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real filesystem of 8 MiB (tmpfs), unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small filesystem needs root (CI runs as root)")
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(disk)])
    if mounted.returncode != 0:
        pytest.skip("this machine cannot mount a tmpfs")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


def test_8_a_plan_that_cannot_fit_is_refused_before_any_request(
    project: Workspace, blobs: RangeServer, small_disk: Path
) -> None:
    project.write_manifest(["big"], target=str(small_disk / "data"))
    project.run("lock")
    result = project.run("apply", expect=1)
    assert result.stderr.startswith("error: this plan needs 24.0 MiB on the filesystem of ")
    assert "8.0 MiB free" in result.stderr and "--no-space-check" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert blobs.gets() == []
    assert not list(small_disk.rglob("*.tar.gz*"))


def test_8_a_disk_filling_up_is_one_line_and_the_partial_resumes(
    project: Workspace, small_disk: Path
) -> None:
    project.write_manifest(["big"], target=str(small_disk / "data"))
    project.run("lock")
    final = small_disk / "data" / "big" / NAME
    result = project.run("apply", "--no-space-check", expect=1)
    assert "no space left on the device writing" in result.stderr
    assert "Traceback" not in result.stderr
    kept = journalled(final)
    assert kept > 4 * MiB and not final.exists()
    subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
    again = project.run("apply")
    assert "1 resumed" in again.stdout and final.read_bytes() == DATA


LIBRARY = """
import sys
from mlhub_sync import client, get_session
session = get_session(root_url=sys.argv[1])
path = client.download_archive("big_data", sys.argv[2], session=session, progress=False)
print(path)
"""


def test_1_two_library_downloads_into_one_folder_wait_and_agree(
    api: MirrorServer, blobs: RangeServer, tmp_path: Path
) -> None:
    blobs.mode = Mode(rate=4e6)
    argv = [sys.executable, "-c", LIBRARY, api.url, str(tmp_path)]
    first = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.0)  # the second starts while the first writes
    second = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    outputs = [p.communicate(timeout=120) for p in (first, second)]
    assert first.returncode == 0 and second.returncode == 0, outputs
    assert (tmp_path / NAME).read_bytes() == DATA
    assert sorted(p.name for p in tmp_path.iterdir()) == [NAME]
    assert blobs.body_bytes == len(DATA)  # the second waited, then kept the first's file


def test_4_the_library_refuses_an_html_error_page_answered_200(
    api: MirrorServer, blobs: RangeServer, tmp_path: Path
) -> None:
    blobs.mode = Mode(html_200=True)  # HEADs still describe the archive; GETs get a proxy page
    result = subprocess.run(
        [sys.executable, "-c", LIBRARY, api.url, str(tmp_path)], capture_output=True, text=True
    )
    assert result.returncode != 0 and "text/html" in result.stderr
    assert not (tmp_path / NAME).exists()


def test_3_the_library_never_splices_another_versions_206(
    api: MirrorServer, blobs: RangeServer, tmp_path: Path
) -> None:
    blobs.mode = Mode(rate=2e6)
    argv = [sys.executable, "-c", LIBRARY, api.url, str(tmp_path)]
    running = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while blobs.body_bytes < 4 * MiB and time.monotonic() < deadline:
        time.sleep(0.02)
    running.send_signal(signal.SIGKILL)  # leaves a partial of this version behind
    running.wait()
    blobs.mode = Mode(other_version_in_206=bytes(reversed(DATA)))  # a broken cache's answers
    subprocess.run(argv, capture_output=True, text=True, timeout=120)
    final = tmp_path / NAME
    assert not final.exists() or final.read_bytes() == DATA  # never old prefix + other suffix
