"""MD5 ETags for files whose source stated none (``serve --s3``, ``mirror digest PROJECT``).

The kenya dataset comes from an Azurite container whose blobs were committed from blocks, so
they have no Content-MD5 and the lock states none. ``serve --s3`` starts with "xxh3-…" ETags,
warns, hashes in a background process and switches to MD5 ETags as the state records them;
``mirror digest`` does the same by hand, beside a running apply, and survives SIGKILL."""

from __future__ import annotations

import hashlib
import random
import signal
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
from mlhub_sync.sync.state import ArchiveRecord, State, apply_lock

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
    return {URL_OF[key.split("/", 1)[1]]: r.md5 for key, r in state.records.items()}


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
    finally:
        server.close()


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


def test_digest_killed_at_any_instant_leaves_a_state_apply_trusts(
    azurite: Azurite, tmp_path: Path
) -> None:
    work = synced(azurite, tmp_path)
    target = target_of(work)
    rng = random.Random(11)
    for _ in range(12):
        process = work.popen("mirror", "digest", str(work.root))
        time.sleep(rng.uniform(0.05, 0.8))
        process.send_signal(signal.SIGKILL)
        process.communicate()
        state = State.load(target, pytest.fail)  # never a warning: whole, or as before
        assert len(state.records) == len(FILES) and not state.rejected
        wrong = {k: v for k, v in recorded_md5(work).items() if v not in (None, MD5[k])}
        assert not wrong
    work.run("mirror", "digest", str(work.root))
    assert recorded_md5(work) == MD5
    status = work.run("status")
    assert status.returncode == 0 and "verified" in status.stdout


def test_a_project_takes_no_collection_ids(azurite: Azurite, tmp_path: Path) -> None:
    work = synced(azurite, tmp_path)
    refused = work.run("mirror", "digest", str(work.root), "catalog.json", expect=2)
    assert "name no collections" in refused.stderr
