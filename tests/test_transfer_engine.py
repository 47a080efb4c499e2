"""The transfer engine against a real, scriptable server on loopback: segments, resumes,
journals, and every way a server (or a crash) can try to get wrong bytes to a final path."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import urllib3
import xxhash
from rangeserver import Mode, RangeServer
from support import REPO

from mlhub_sync.exceptions import RemoteChanged, Stalled, TransferError
from mlhub_sync.http.retry import RetryPolicy
from mlhub_sync.sources.base import RemoteFile, stated_digests
from mlhub_sync.transfer import journal
from mlhub_sync.transfer.engine import Engine, Job, Outcome, Settings
from mlhub_sync.transfer.partial import journal_path, part_path, progress_of

FAST_RETRY = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.05)
MiB = 1 << 20


@pytest.fixture
def server() -> Iterator[RangeServer]:
    with RangeServer() as running:
        yield running


def remote_of(server: RangeServer, name: str) -> RemoteFile:
    head = urllib3.request("HEAD", server.url(name))
    return RemoteFile(
        name,
        server.url(name),
        int(head.headers["Content-Length"]),
        head.headers.get("ETag"),
        head.headers.get("Last-Modified"),
        stated_digests(head.headers),
    )


def fetch(file: RemoteFile, final: Path, resume: bool = True, **settings: object) -> Outcome:
    engine = Engine(Settings(retry=FAST_RETRY, **settings))  # type: ignore[arg-type]
    try:
        return engine.run([Job(file, final, resume=resume)])[0]
    finally:
        engine.close()


def interrupted(file: RemoteFile, final: Path, after: float, **settings: object) -> Outcome:
    """Start a download and cancel it after ``after`` seconds (as Ctrl-C would)."""
    engine = Engine(Settings(retry=FAST_RETRY, **settings))  # type: ignore[arg-type]
    threading.Timer(after, engine.cancel).start()
    try:
        return engine.run([Job(file, final)])[0]
    finally:
        engine.close()


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".part" in p.name)


def test_a_big_file_comes_in_segments_over_several_connections(
    server: RangeServer, tmp_path: Path
) -> None:
    data = random.Random(1).randbytes(24 * MiB)
    server.files["big.bin"] = data
    server.mode = Mode(rate=6e6)  # per connection: the engine should open more of them
    final = tmp_path / "big.bin"
    outcome = fetch(remote_of(server, "big.bin"), final, connections=4)
    assert outcome.result == "downloaded", outcome.error
    assert final.read_bytes() == data
    assert outcome.digests["xxh3_128"] == xxhash.xxh3_128_hexdigest(data)
    ranges = [g.range for g in server.gets()]
    assert all(r and r.startswith("bytes=") for r in ranges) and len(set(ranges)) >= 4
    assert server.body_bytes == len(data)  # every byte sent once
    assert leftovers(tmp_path) == []


def test_a_failing_callback_fails_the_run_instead_of_ending_a_thread_in_silence(
    server: RangeServer, tmp_path: Path
) -> None:
    for index in range(8):
        server.files[f"f{index}"] = bytes([index]) * 1000
    jobs = [Job(remote_of(server, f"f{i}"), tmp_path / f"f{i}") for i in range(8)]
    engine = Engine(Settings(retry=FAST_RETRY, jobs=2))

    def on_done(outcome: Outcome) -> None:
        raise NameError("a bug in the caller")

    try:
        with pytest.raises(NameError, match="a bug in the caller"):
            engine.run(jobs, on_done)
    finally:
        engine.close()


def test_a_server_ignoring_range_gets_one_stream_of_the_whole_file(
    server: RangeServer, tmp_path: Path
) -> None:
    data = random.Random(2).randbytes(20 * MiB)
    server.files["big.bin"] = data
    server.mode = Mode(ignore_range=True)
    final = tmp_path / "big.bin"
    outcome = fetch(remote_of(server, "big.bin"), final, connections=8)
    assert outcome.result == "downloaded" and final.read_bytes() == data
    assert [g.status for g in server.gets()] == [200]
    assert server.body_bytes == len(data)


def test_a_cancelled_download_resumes_from_its_journal(server: RangeServer, tmp_path: Path) -> None:
    data = random.Random(3).randbytes(16 * MiB)
    server.files["big.bin"] = data
    server.mode = Mode(rate=4e6)
    final, file = tmp_path / "big.bin", remote_of(server, "big.bin")
    first = interrupted(file, final, after=1.0, connections=4)
    assert first.result == "interrupted" and not final.exists()
    kept = progress_of(final, file)
    assert kept and 0 < kept < len(data) and first.kept == kept
    time.sleep(0.5)  # server threads still writing into the cut connections settle first
    server.mode, sent_before = Mode(), server.body_bytes
    second = fetch(file, final, connections=4)
    assert second.result == "resumed" and final.read_bytes() == data
    assert server.body_bytes - sent_before == len(data) - kept  # only what was missing


class TestDefects:
    """The data-integrity defects of the transfer-engine issue, each against a live server."""

    def _partial(self, server: RangeServer, tmp_path: Path, data: bytes) -> tuple[RemoteFile, Path]:
        server.files["f.bin"] = data
        server.mode = Mode(rate=2e6)
        final, file = tmp_path / "f.bin", remote_of(server, "f.bin")
        assert interrupted(file, final, after=0.8, connections=2).result == "interrupted"
        assert progress_of(final, file)
        server.mode = Mode()
        return file, final

    def test_3_a_206_of_another_version_is_never_spliced(
        self, server: RangeServer, tmp_path: Path
    ) -> None:
        data = random.Random(4).randbytes(12 * MiB)
        file, final = self._partial(server, tmp_path, data)
        kept = progress_of(final, file)
        server.mode = Mode(other_version_in_206=bytes(reversed(data)))
        outcome = fetch(file, final)
        assert isinstance(outcome.error, RemoteChanged), outcome
        assert "another version" in str(outcome.error)
        assert not final.exists() and progress_of(final, file) == kept

    def test_3_a_206_starting_elsewhere_is_refused(
        self, server: RangeServer, tmp_path: Path
    ) -> None:
        data = random.Random(5).randbytes(12 * MiB)
        file, final = self._partial(server, tmp_path, data)
        server.mode = Mode(content_range_shift=4096)
        outcome = fetch(file, final)
        assert isinstance(outcome.error, TransferError)
        assert "refusing to splice" in str(outcome.error) and not final.exists()

    def test_4_an_html_error_page_answered_200_is_refused(
        self, server: RangeServer, tmp_path: Path
    ) -> None:
        server.files["f.bin"] = random.Random(6).randbytes(300_000)
        file = remote_of(server, "f.bin")
        server.mode = Mode(html_200=True)
        outcome = fetch(file, tmp_path / "f.bin")
        assert isinstance(outcome.error, TransferError)
        assert "text/html" in str(outcome.error) and "error page" in str(outcome.error)
        assert list(tmp_path.iterdir()) == []  # no final file, no empty partial

    def test_4_a_200_without_length_or_validator_is_refused(
        self, server: RangeServer, tmp_path: Path
    ) -> None:
        server.files["f.bin"] = b"x" * 5000
        file = remote_of(server, "f.bin")
        file = RemoteFile(file.name, file.url, file.size, '"another-etag"', None)
        server.mode = Mode(no_content_length=True)
        outcome = fetch(file, tmp_path / "f.bin")
        assert isinstance(outcome.error, RemoteChanged | TransferError)
        assert not (tmp_path / "f.bin").exists()

    def test_5_a_part_without_its_journal_is_never_trusted(
        self, server: RangeServer, tmp_path: Path
    ) -> None:
        """The state a kill between "new journal" and "truncate" used to leave: old bytes."""
        data = random.Random(7).randbytes(2 * MiB)
        server.files["f.bin"] = data
        final = tmp_path / "f.bin"
        part_path(final).write_bytes(bytes(len(data)))  # zeros, the full size, no journal
        outcome = fetch(remote_of(server, "f.bin"), final)
        assert outcome.result == "downloaded" and outcome.transferred == len(data)
        assert final.read_bytes() == data

    def test_5_a_journal_of_another_part_file_is_never_trusted(
        self, server: RangeServer, tmp_path: Path
    ) -> None:
        data = random.Random(8).randbytes(12 * MiB)
        file, final = self._partial(server, tmp_path, data)
        part = part_path(final)
        replacement = part.with_name("other")
        replacement.write_bytes(bytes(len(data)))
        os.replace(replacement, part)  # same name and size, another file
        assert progress_of(final, file) is not None and progress_of(final, file) == 0
        outcome = fetch(file, final)
        assert outcome.result == "downloaded" and final.read_bytes() == data

    def test_5_after_a_reboot_only_synced_ranges_are_trusted(
        self, server: RangeServer, tmp_path: Path
    ) -> None:
        data = random.Random(9).randbytes(12 * MiB)
        file, final = self._partial(server, tmp_path, data)
        path = journal_path(final)
        lines = path.read_text().splitlines()
        header = json.loads(lines[1])
        ranges = [line for line in lines[2:] if line.startswith("+ ")]
        synced_upto = int(ranges[0].split()[2])
        header["boot"] = "a-boot-before-a-power-loss"
        text = [lines[0], json.dumps(header), ranges[0], "s 1", *ranges[1:]]
        path.write_text("\n".join(text) + "\n")
        assert progress_of(final, file) == synced_upto  # not what was written after the sync
        outcome = fetch(file, final)
        assert outcome.result == "resumed" and final.read_bytes() == data
        assert outcome.transferred == len(data) - synced_upto

    def test_5_a_torn_last_journal_line_is_ignored(self, tmp_path: Path) -> None:
        path = tmp_path / "x.part.journal"
        part = tmp_path / "x.part"
        part.write_bytes(bytes(100))
        file = RemoteFile("x", "http://127.0.0.1:9/x", 100, '"e"')
        header = journal.Journal.header(file.version(), part.stat())
        path.write_text(f"{journal.MAGIC}\n{json.dumps(header)}\n+ 0 40\n+ 40 7")  # torn
        assert journal.load(path, header) == [(0, 40)]

    def test_6_a_trickling_server_is_cut_off_and_named(
        self, server: RangeServer, tmp_path: Path
    ) -> None:
        server.files["f.bin"] = b"y" * 100_000
        file = remote_of(server, "f.bin")
        server.mode = Mode(trickle=0.3)  # a byte every 0.3 s: never a socket timeout
        started = time.monotonic()
        outcome = fetch(file, tmp_path / "f.bin", stall_timeout=1.0)
        assert isinstance(outcome.error, Stalled), outcome
        message = str(outcome.error)
        assert server.origin.removeprefix("http://") in message and "no progress for 1 s" in message
        assert time.monotonic() - started < 15
        assert not (tmp_path / "f.bin").exists()

    def test_1_two_downloads_of_one_file_wait_for_each_other(
        self, server: RangeServer, tmp_path: Path
    ) -> None:
        data = random.Random(10).randbytes(3 * MiB)
        server.files["f.bin"] = data
        server.mode = Mode(rate=3e6)  # about a second each
        file, final = remote_of(server, "f.bin"), tmp_path / "f.bin"
        results: list[Outcome] = []

        def one() -> None:
            results.append(fetch(file, final, connections=1))

        threads = [threading.Thread(target=one) for _ in range(2)]
        for thread in threads:
            thread.start()
            time.sleep(0.2)  # the second starts while the first is writing
        for thread in threads:
            thread.join(60)
        assert sorted(o.result for o in results) == ["downloaded", "downloaded"]
        assert final.read_bytes() == data  # whole, not a mix of two writers
        assert leftovers(tmp_path) == []


SIGKILL_SCRIPT = """
import sys
from pathlib import Path
from mlhub_sync.http.retry import RetryPolicy
from mlhub_sync.sources.base import RemoteFile
from mlhub_sync.transfer.engine import Engine, Job, Settings
url, size, etag, modified, final = sys.argv[1:6]
file = RemoteFile("big.bin", url, int(size), etag, modified)
engine = Engine(Settings(connections=4, retry=RetryPolicy(base_delay=0.01, max_delay=0.05)))
outcome = engine.run([Job(file, Path(final))])[0]
print(outcome.result, outcome.error)
"""


def test_sigkill_at_random_moments_always_resumes_byte_exact(
    server: RangeServer, tmp_path: Path
) -> None:
    """The issue's bar: >= 20 SIGKILLs, then byte-exact, with <= 5 % extra transfer."""
    data = random.Random(11).randbytes(128 * MiB)
    server.files["big.bin"] = data
    server.mode = Mode(rate=8e6)  # per connection, so each run moves a few MB before its kill
    file = remote_of(server, "big.bin")
    final = tmp_path / "big.bin"
    argv = [sys.executable, "-c", SIGKILL_SCRIPT, file.url, str(file.size), str(file.etag)]
    argv.append(str(file.last_modified))
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    rng = random.Random(12)
    kills = 0
    while kills < 20:
        before = progress_of(final, file) or 0
        process = subprocess.Popen([*argv, str(final)], env=env, stdout=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while (progress_of(final, file) or 0) <= before and time.monotonic() < deadline:
            time.sleep(0.01)  # until this run is downloading (its imports take a while)
        time.sleep(rng.uniform(0.0, 0.5))  # then a random moment of the transfer
        if process.poll() is not None:
            break  # finished before its kill: the loop is over
        process.send_signal(signal.SIGKILL)
        process.wait()
        kills += 1
    assert kills >= 20, "the download finished before 20 kills; slow the server down"
    assert not final.exists()  # a killed run never leaves a final file
    done = subprocess.run([*argv, str(final)], env=env, capture_output=True, text=True, timeout=120)
    assert done.stdout.startswith("resumed None"), done
    assert final.read_bytes() == data
    print(f"{kills} kills: {server.body_bytes / len(data):.4f} x the file transferred")
    assert server.body_bytes <= 1.05 * len(data), server.body_bytes / len(data)


def test_a_host_that_does_not_answer_fails_the_run_fast(tmp_path: Path) -> None:
    """A server that is down costs a few files' retries, not every file's."""
    with RangeServer() as gone:
        url = gone.origin
    files = [RemoteFile(f"f{i}", f"{url}/f{i}", 10, '"e"') for i in range(50)]
    engine = Engine(Settings(retry=FAST_RETRY, jobs=2))
    started = time.monotonic()
    try:
        outcomes = engine.run([Job(file, tmp_path / file.name) for file in files])
    finally:
        engine.close()
    assert all(o.result == "failed" for o in outcomes)
    skipped = [o for o in outcomes if "did not answer the last" in str(o.error)]
    assert len(skipped) >= 45 and time.monotonic() - started < 10
    assert list(tmp_path.iterdir()) == []
