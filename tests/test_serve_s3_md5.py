"""MD5 ETags for files whose source stated none (``serve --s3``, ``mirror digest PROJECT``).

The kenya dataset comes from an Azurite container whose blobs were committed from blocks, so
they have no Content-MD5 and the lock states none. ``serve --s3`` starts with "xxh3-…" ETags,
warns, hashes in a background process and switches to MD5 ETags as the state records them;
``mirror digest`` does the same by hand, beside a running apply, and survives SIGKILL."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import random
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
from emulators import Azurite
from sync_support import Workspace
from test_loose_sync import AZ_FROM, FILES, PREFIX, project
from test_serve_s3 import S3Server, client

from mlhub_sync.server.s3 import S3App
from mlhub_sync.sync import backfill
from mlhub_sync.sync.backfill import fill_md5
from mlhub_sync.sync.layout import DIGEST_LOCK
from mlhub_sync.sync.project import Project
from mlhub_sync.sync.state import ArchiveRecord, State, apply_lock, target_lock

MD5 = {
    PREFIX + name: hashlib.md5(body, usedforsecurity=False).hexdigest()
    for name, body in FILES.items()
}
URL_OF = {name: PREFIX + name for name in FILES}


@pytest.fixture(scope="module")
def azurite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Azurite]:
    with Azurite(tmp_path_factory.mktemp("azurite")) as running:
        running.public_container("mlhub", {PREFIX + k: v for k, v in FILES.items()}, False)
        yield running


def synced(azurite: Azurite, root: Path) -> Workspace:
    work = project(root, "lab")
    mirror = f"{AZ_FROM}={azurite.container_url('mlhub')}"
    work.run("lock", "--mirror", mirror)
    work.run("apply", "--mirror", mirror)
    assert "md5" not in work.lock.read_text()  # the source stated none
    return work


def target_of(work: Workspace) -> Path:
    return work.root / "data"


def recorded_md5(work: Workspace) -> dict[str, str | None]:
    state = State.load(target_of(work), pytest.fail)
    return {
        URL_OF[key.split("/", 1)[1]]: r.md5
        for key, r in state.records.items()
        if key.startswith("ref_african_crops_kenya_02/")
    }


def etags(url: str) -> dict[str, str]:
    listing = client(url).list_objects_v2(Bucket="mlhub")["Contents"]
    return {o["Key"]: o["ETag"].strip('"') for o in listing}


def wait_for(check: Callable[[], bool], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def test_serve_hashes_in_the_background_and_switches_to_md5_etags(
    azurite: Azurite, tmp_path: Path
) -> None:
    work = synced(azurite, tmp_path)
    server = S3Server(work.root)
    try:
        wait_for(lambda: etags(server.url) == MD5)
        key = PREFIX + "data/0/B02.tif"
        head = requests.head(f"{server.url}/mlhub/{key}", timeout=10)
        assert head.headers["ETag"] == f'"{MD5[key]}"'
    finally:
        log = server.close()
    assert '5 file(s) have no MD5 yet: their ETags are "xxh3-' in log
    assert "hashing them in the background" in log
    assert "every one has its MD5 as ETag" in log
    assert recorded_md5(work) == MD5
    assert work.run("verify").returncode == 0
    again = S3Server(work.root)  # remembered: nothing to hash, nothing said
    try:
        assert etags(again.url) == MD5
    finally:
        assert "MD5" not in again.close()


def test_without_hashing_serve_names_the_command_and_picks_up_its_result(
    azurite: Azurite, tmp_path: Path
) -> None:
    work = synced(azurite, tmp_path)
    server = S3Server(work.root, "--no-hash-missing")
    try:
        before = etags(server.url)
        assert set(before) == set(MD5) and all(e.startswith("xxh3-") for e in before.values())
        time.sleep(S3App.RELOAD_EVERY + 0.5)
        assert etags(server.url) == before  # nobody hashes
        done = work.run("mirror", "digest", str(work.root))
        assert "5 file(s) hashed, MD5 recorded" in done.stdout
        wait_for(lambda: etags(server.url) == MD5)  # the state changed: re-read, no restart
        assert "0 file(s) hashed" in work.run("mirror", "digest", str(work.root)).stdout
    finally:
        log = server.close()
    assert f"run `mlhub-sync mirror digest {work.root}`" in log


def test_files_an_apply_repairs_are_served_without_a_restart(
    azurite: Azurite, tmp_path: Path
) -> None:
    work = synced(azurite, tmp_path)
    tampered = target_of(work) / "ref_african_crops_kenya_02" / "catalog.json"
    tampered.write_bytes(b"changed")
    server = S3Server(work.root)
    try:
        url = f"{server.url}/mlhub/{PREFIX}catalog.json"
        assert requests.get(url, timeout=10).status_code == 404
        work.run("apply", "--mirror", f"{AZ_FROM}={azurite.container_url('mlhub')}")

        def served() -> bool:
            requests.head(f"{server.url}/mlhub/{PREFIX}data/0/B02.tif", timeout=10)
            return requests.get(url, timeout=10).content == FILES["catalog.json"]

        wait_for(served)
        wait_for(lambda: etags(server.url) == MD5)  # the repaired file is hashed as well
    finally:
        log = server.close()
    assert log.count("hashing them in the background") >= 2, log  # at start, after the apply
    assert "Traceback" not in log, log


def test_a_file_replaced_under_the_server_is_not_sent_under_its_old_etag(
    azurite: Azurite, tmp_path: Path
) -> None:
    """Between an apply replacing a file and the next rebuild, the index still names the old
    file: its new bytes must not go out with the old size and ETag. A 503 asks the client to
    retry (S3 tools do), and the rebuild drops the file until it is verified again."""
    work = synced(azurite, tmp_path)
    server = S3Server(work.root, "--no-hash-missing")
    try:
        url = f"{server.url}/mlhub/{PREFIX}data/0/B02.tif"
        assert requests.get(url, timeout=10).content == FILES["data/0/B02.tif"]
        path = target_of(work) / "ref_african_crops_kenya_02" / "data" / "0" / "B02.tif"
        path.write_bytes(bytes(len(FILES["data/0/B02.tif"])))  # same size, other bytes
        refused = requests.get(url, timeout=10)
        assert refused.status_code == 503 and refused.headers["Retry-After"] == "2"
        assert requests.head(url, timeout=10).status_code == 503
        wait_for(lambda: requests.get(url, timeout=10).status_code == 404)
        assert PREFIX + "data/0/B02.tif" not in etags(server.url)
    finally:
        server.close()


def test_a_link_where_a_verified_file_was_is_neither_served_nor_kept(
    azurite: Azurite, tmp_path: Path
) -> None:
    """A link can take a deleted file's inode and be made to match its record in size and
    mtime (seen on ext4): the record is planted here to match it, as that reuse would."""
    work = synced(azurite, tmp_path)
    target = target_of(work)
    path = target / "ref_african_crops_kenya_02" / "catalog.json"
    secret = tmp_path / "secret" / "x"
    secret.parent.mkdir()
    secret.write_bytes(b"not for the lab")
    pointer = os.path.relpath(secret, path.parent)
    while len(pointer) < len(FILES["catalog.json"]):  # padded to the file's size
        short = len(FILES["catalog.json"]) - len(pointer)
        pointer = "./" + pointer if short > 1 else pointer.replace("/", "//", 1)
    assert len(pointer) == len(FILES["catalog.json"]), pointer
    path.unlink()
    path.symlink_to(pointer)
    link = os.lstat(path)
    state = State.load(target, pytest.fail)
    key = "ref_african_crops_kenya_02/catalog.json"
    record = state.records[key]
    state.record(key, dataclasses.replace(record, mtime_ns=link.st_mtime_ns, inode=link.st_ino))
    state.save()
    server = S3Server(work.root, "--no-hash-missing")
    try:
        assert PREFIX + "catalog.json" not in etags(server.url)
        assert (
            requests.get(f"{server.url}/mlhub/{PREFIX}catalog.json", timeout=10).status_code == 404
        )
    finally:
        server.close()
    status = work.run("status", expect=None)
    assert "foreign" in status.stdout and "a symbolic link is there" in status.stdout


def test_digest_waits_for_a_running_apply_and_writes_only_what_still_holds(
    azurite: Azurite, tmp_path: Path
) -> None:
    """While an apply holds the target, digest hashes but does not write; what the apply
    changed meanwhile (a file re-downloaded, a record dropped) keeps the apply's word."""
    work = synced(azurite, tmp_path)
    target = target_of(work)
    folder = target / "ref_african_crops_kenya_02"
    with apply_lock(target, pytest.fail):
        digest = work.popen("mirror", "digest", str(work.root))
        assert digest.stderr is not None
        assert "waiting for another mlhub-sync apply" in digest.stderr.readline()
        state = State.load(target, pytest.fail)
        replaced = folder / "data" / "0" / "B02.tif"
        replaced.unlink()  # as apply replaces a file: a new inode, its record rewritten
        replaced.write_bytes(FILES["data/0/B02.tif"])
        key = "ref_african_crops_kenya_02/data/0/B02.tif"
        pin = {"xxh3_128": state.records[key].xxh3_128}
        state.record(key, ArchiveRecord.of(replaced, target, pin, None))
        state.forget("ref_african_crops_kenya_02/catalog.json")
        state.save()
    out, err = digest.communicate(timeout=60)
    assert digest.returncode == 0, err
    assert "3 file(s) hashed" in out and "2 file(s) changed while they were hashed" in err
    md5 = recorded_md5(work)
    assert PREFIX + "catalog.json" not in md5  # not brought back
    assert md5[PREFIX + "data/0/B02.tif"] is None  # a new file: not given the old one's MD5
    others = [k for k in MD5 if k != PREFIX + "catalog.json" and k != PREFIX + "data/0/B02.tif"]
    assert {k: md5[k] for k in others} == {k: MD5[k] for k in others}


def test_digest_waits_between_commits_while_an_apply_runs(
    azurite: Azurite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each commit that finds the target busy is put off (not waited for); the last one
    waits. COMMIT_EVERY 0: a commit is tried after every file."""
    work = synced(azurite, tmp_path)
    target = target_of(work)
    monkeypatch.setattr(backfill, "COMMIT_EVERY", 0.0)
    said: list[str] = []
    result: list[backfill.Filled | None] = []
    project = Project.load(work.manifest)
    with apply_lock(target, pytest.fail):  # another open file: flock excludes it in-process
        worker = threading.Thread(target=lambda: result.append(fill_md5(project, said.append)))
        worker.start()
        wait_for(lambda: bool(said), seconds=20)
        assert said == [
            f"waiting for another mlhub-sync apply on {target} (pid {os.getpid()}) to finish…"
        ]
        assert recorded_md5(work) == dict.fromkeys(MD5)  # nothing written meanwhile
    worker.join(timeout=30)
    assert result and result[0] is not None and result[0].recorded == len(FILES)
    assert recorded_md5(work) == MD5


def test_digest_killed_at_any_instant_leaves_a_state_apply_trusts(
    azurite: Azurite, tmp_path: Path
) -> None:
    """SIGKILL at random instants of the run, most of it spent loading and saving a state
    padded to 60,000 records (so that kills land inside the save): the state is always
    whole, and every MD5 in it right."""
    work = synced(azurite, tmp_path)
    target = target_of(work)
    state = State.load(target, pytest.fail)
    for n in range(60_000):
        key = f"padding/f{n:06d}"
        state.record(key, ArchiveRecord(key, 1, 1, n + 10, "0" * 32))
    state.save()

    def unhashed() -> None:
        now = State.load(target, pytest.fail)
        for key, record in now.records.items():
            if record.md5:
                now.record(key, dataclasses.replace(record, md5=None))
        now.save()

    started = time.monotonic()
    work.run("mirror", "digest", str(work.root))
    whole_run = time.monotonic() - started
    rng = random.Random(11)
    inside_a_save = 0
    for _ in range(10):
        unhashed()
        process = work.popen("mirror", "digest", str(work.root))
        time.sleep(rng.uniform(0.3, 1.0) * whole_run)
        process.send_signal(signal.SIGKILL)
        process.communicate()
        for left in (target / ".mlhub-sync").glob(".state.json.*.tmp"):
            inside_a_save += 1  # killed while writing: the old state must still be whole
            left.unlink()
        now = State.load(target, pytest.fail)  # never a warning: whole, or as before
        assert len(now.records) == len(FILES) + 60_000 and not now.rejected
        wrong = {k: v for k, v in recorded_md5(work).items() if v not in (None, MD5[k])}
        assert not wrong
    assert inside_a_save >= 1, "no kill landed inside a save: the test proved nothing"
    work.run("mirror", "digest", str(work.root))
    assert recorded_md5(work) == MD5
    status = work.run("status")
    assert status.returncode == 0 and "verified" in status.stdout


def test_one_digest_at_a_time_per_target(azurite: Azurite, tmp_path: Path) -> None:
    """Each server worker, and each restart, may start one: a second leaves it to the first."""
    work = synced(azurite, tmp_path)
    target = target_of(work)
    with target_lock(target, DIGEST_LOCK, "mirror digest", pytest.fail, wait=False):
        second = work.run("mirror", "digest", str(work.root))
        assert "another `mirror digest` is at work" in second.stdout
        assert recorded_md5(work) == dict.fromkeys(MD5)
    assert "5 file(s) hashed" in work.run("mirror", "digest", str(work.root)).stdout


def test_verify_leaves_the_state_to_a_running_apply(azurite: Azurite, tmp_path: Path) -> None:
    work = synced(azurite, tmp_path)
    target = target_of(work)
    state_file = target / ".mlhub-sync" / "state.json"
    before = state_file.read_bytes()
    with apply_lock(target, pytest.fail):
        verified = work.run("verify")  # does not wait; its records are only a cache
        assert state_file.read_bytes() == before
    assert "ok" in verified.stdout
    work.run("verify")
    assert recorded_md5(work) == MD5  # verify hashes MD5 too, and records it when it may


def test_a_project_takes_no_collection_ids(azurite: Azurite, tmp_path: Path) -> None:
    work = synced(azurite, tmp_path)
    refused = work.run("mirror", "digest", str(work.root), "catalog.json", expect=2)
    assert "name no collections" in refused.stderr


def test_digest_on_a_full_disk_is_one_line_and_the_state_stays_whole(
    azurite: Azurite, tmp_path: Path
) -> None:
    if os.geteuid() != 0:
        pytest.skip("mounting a small filesystem needs root (CI runs as root)")
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)]).returncode:
        pytest.skip("this machine cannot mount a tmpfs")
    try:
        body = f"version: 1\ntarget: {disk / 'data'}\ndatasets: [ref_african_crops_kenya_02]\n"
        work = project(tmp_path, "lab", body)
        mirror = f"{AZ_FROM}={azurite.container_url('mlhub')}"
        work.run("lock", "--mirror", mirror)
        work.run("apply", "--mirror", mirror)
        state_file = disk / "data" / ".mlhub-sync" / "state.json"
        before = state_file.read_bytes()
        filler = disk / "filler"
        with filler.open("wb") as out, contextlib.suppress(OSError):
            while True:
                out.write(bytes(64 << 10))
                out.flush()
        full = work.run("mirror", "digest", str(work.root), expect=None)
        assert full.returncode != 0 and "Traceback" not in full.stderr, full.stderr
        assert "no space left" in full.stderr and len(full.stderr.strip().splitlines()) <= 2
        assert state_file.read_bytes() == before
        assert not list(state_file.parent.glob(".state.json.*.tmp"))  # nothing half-written left
        filler.unlink()
        assert "5 file(s) hashed" in work.run("mirror", "digest", str(work.root)).stdout
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)
