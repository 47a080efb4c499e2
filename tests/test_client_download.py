"""Archive downloads through the library, against a real mirror (and a fault proxy)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import API_KEY
from faults import FaultProxy
from support import (
    KENYA_ARCHIVE,
    KENYA_LABELS,
    MirrorServer,
    cli,
    replace_file,
    run_on_terminal,
)

from mlhub_sync import __version__, client
from mlhub_sync.client.download import download
from mlhub_sync.exceptions import (
    AuthenticationError,
    EntityDoesNotExist,
    IntegrityError,
    RemoteChanged,
    TransferError,
)
from mlhub_sync.http.retry import RetryPolicy
from mlhub_sync.http.session import Session, get_session
from mlhub_sync.sources.mlhub import MLHubSource
from mlhub_sync.transfer.partial import progress_of

KENYA = KENYA_ARCHIVE.read_bytes()
SIZE = len(KENYA)
FAST_RETRY = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.05)


@pytest.fixture
def mirror_server(own_mirror: Path) -> Iterator[MirrorServer]:
    with MirrorServer(own_mirror, "--api-key", API_KEY) as server:
        yield server


@pytest.fixture
def proxy(mirror_server: MirrorServer) -> Iterator[FaultProxy]:
    fault_proxy = FaultProxy(mirror_server.url)
    yield fault_proxy
    fault_proxy.close()


def session_for(url: str, **options: object) -> Session:
    return get_session(api_key=API_KEY, root_url=url, retry=FAST_RETRY, **options)  # type: ignore[arg-type]


def blob_lines(server: MirrorServer, count: int) -> list[str]:
    """The mirror's access-log lines for blob GETs, once ``count`` of them are there."""
    return server.wait_for_log(
        lambda line: " GET " in line and "/blobs/" in line,
        timeout=0.3 if count == 0 else 5,
        count=count,
    )


def interrupted_partial(proxy: FaultProxy, target: Path, after: int) -> Path:
    """Leave a real interrupted download behind: the connection drops after ``after`` bytes
    and the network stays down, so every retry fails."""
    proxy.faults.truncate_after = after
    proxy.faults.go_down_after_truncate = True
    session = session_for(proxy.url)
    with pytest.raises(TransferError, match="run again to resume"):
        client.download_archive(KENYA_LABELS, target, session=session)
    final = target / f"{KENYA_LABELS}.tar.gz"
    part = target / f"{KENYA_LABELS}.tar.gz.part"
    assert part.read_bytes()[:after] == KENYA[:after]  # preallocated: the rest is a hole
    proxy.down = False
    assert progress_of(final, MLHubSource.for_session(session).describe(KENYA_LABELS)) == after
    proxy.down = True
    assert not final.exists()
    return part


class TestIfExists:
    def test_missing_file_is_downloaded(self, mirror_server: MirrorServer, tmp_path: Path) -> None:
        path = client.download_archive(
            KENYA_LABELS, tmp_path, session=session_for(mirror_server.url)
        )
        assert path == tmp_path / f"{KENYA_LABELS}.tar.gz"
        assert path.read_bytes() == KENYA
        assert not list(tmp_path.glob("*.part*"))

    def test_resume_continues_an_interrupted_download_with_range(
        self, mirror_server: MirrorServer, proxy: FaultProxy, tmp_path: Path
    ) -> None:
        interrupted_partial(proxy, tmp_path, after=100_000)
        result = download(session_for(mirror_server.url), KENYA_LABELS, tmp_path)
        assert result.action == "resumed"
        assert result.transferred == SIZE - 100_000
        assert result.path.read_bytes() == KENYA
        last = blob_lines(mirror_server, 2)[-1]
        assert f"range=bytes=100000-{SIZE - 1}" in last
        assert re.search(rf" 206 {SIZE - 100_000} ", last), last  # only the missing bytes

    def test_a_smaller_file_left_at_the_final_name_is_never_resumed_from(
        self, mirror_server: MirrorServer, tmp_path: Path
    ) -> None:
        """Defect 2: another tool's file is not proven to be a prefix of this version."""
        foreign = bytes(5000)  # a smaller file that is not even a prefix of the archive
        (tmp_path / f"{KENYA_LABELS}.tar.gz").write_bytes(foreign)
        result = download(session_for(mirror_server.url), KENYA_LABELS, tmp_path)
        assert result.action == "downloaded" and result.transferred == SIZE
        assert result.path.read_bytes() == KENYA
        assert "range=" not in blob_lines(mirror_server, 1)[-1]

    def test_resume_keeps_a_complete_file_without_downloading(
        self, mirror_server: MirrorServer, tmp_path: Path
    ) -> None:
        (tmp_path / f"{KENYA_LABELS}.tar.gz").write_bytes(KENYA)
        result = download(session_for(mirror_server.url), KENYA_LABELS, tmp_path)
        assert result.action == "complete" and result.transferred == 0
        assert not blob_lines(mirror_server, 0)

    def test_resume_downloads_a_larger_file_again(
        self, mirror_server: MirrorServer, tmp_path: Path
    ) -> None:
        (tmp_path / f"{KENYA_LABELS}.tar.gz").write_bytes(KENYA + b"junk")
        result = download(session_for(mirror_server.url), KENYA_LABELS, tmp_path)
        assert result.action == "downloaded" and result.path.read_bytes() == KENYA

    def test_skip_keeps_any_existing_file_without_a_request(
        self, mirror_server: MirrorServer, tmp_path: Path
    ) -> None:
        (tmp_path / f"{KENYA_LABELS}.tar.gz").write_bytes(b"whatever is there")
        before = len(mirror_server.requests())
        path = client.download_archive(
            KENYA_LABELS, tmp_path, if_exists="skip", session=session_for(mirror_server.url)
        )
        assert path.read_bytes() == b"whatever is there"
        time.sleep(0.3)  # a request's log line follows its response
        assert mirror_server.requests()[before:] == []

    def test_overwrite_always_downloads_afresh(
        self, mirror_server: MirrorServer, tmp_path: Path
    ) -> None:
        (tmp_path / f"{KENYA_LABELS}.tar.gz").write_bytes(KENYA)
        result = download(
            session_for(mirror_server.url), KENYA_LABELS, tmp_path, if_exists="overwrite"
        )
        assert result.action == "downloaded" and result.transferred == SIZE
        assert "range=" not in blob_lines(mirror_server, 1)[-1]

    def test_overwrite_failure_leaves_the_old_file(self, proxy: FaultProxy, tmp_path: Path) -> None:
        old = tmp_path / f"{KENYA_LABELS}.tar.gz"
        old.write_bytes(b"old version")
        proxy.faults.truncate_after, proxy.faults.go_down_after_truncate = 1000, True
        with pytest.raises(TransferError):
            client.download_archive(
                KENYA_LABELS, tmp_path, if_exists="overwrite", session=session_for(proxy.url)
            )
        assert old.read_bytes() == b"old version"

    @pytest.mark.parametrize("value", ["resum", "", "SKIP", None])
    def test_invalid_value_is_refused_before_anything(
        self, mirror_server: MirrorServer, tmp_path: Path, value: object
    ) -> None:
        before = len(mirror_server.requests())
        with pytest.raises(ValueError, match="if_exists must be one of"):
            client.download_archive(
                KENYA_LABELS,
                tmp_path / "out",
                if_exists=value,  # type: ignore[arg-type]
                session=session_for(mirror_server.url),
            )
        assert not (tmp_path / "out").exists()
        time.sleep(0.3)  # a request's log line follows its response
        assert mirror_server.requests()[before:] == []


def test_server_ignoring_range_restarts_from_zero(
    mirror_server: MirrorServer, proxy: FaultProxy, tmp_path: Path
) -> None:
    interrupted_partial(proxy, tmp_path, after=50_000)
    proxy.down, proxy.faults = False, type(proxy.faults)(ignore_range=True)
    result = download(session_for(proxy.url), KENYA_LABELS, tmp_path)
    assert result.path.read_bytes() == KENYA  # not the partial with the whole file appended
    assert result.action == "resumed" and result.transferred == SIZE  # all of it, once
    assert proxy.blob_gets()[-1].range == f"bytes=50000-{SIZE - 1}"  # we asked; it sent 200


def test_archive_replaced_between_attempts_restarts_from_zero(
    mirror_server: MirrorServer, proxy: FaultProxy, own_mirror: Path, tmp_path: Path
) -> None:
    interrupted_partial(proxy, tmp_path, after=120_000)
    new_version = bytes(reversed(KENYA))  # same size, other bytes
    replace_file(own_mirror / "archives" / f"{KENYA_LABELS}.tar.gz", new_version)
    result = download(session_for(mirror_server.url), KENYA_LABELS, tmp_path)
    assert result.path.read_bytes() == new_version
    assert result.action == "downloaded"
    # The HEAD already showed a new ETag, so the old partial was not even asked to resume.
    assert "range=" not in blob_lines(mirror_server, 2)[-1]


def test_if_match_catches_a_change_after_the_head(
    mirror_server: MirrorServer, proxy: FaultProxy, own_mirror: Path, tmp_path: Path
) -> None:
    interrupted_partial(proxy, tmp_path, after=120_000)
    session = session_for(mirror_server.url)
    before_change = MLHubSource.for_session(session).describe(
        KENYA_LABELS
    )  # the old version's validators
    new_version = bytes(reversed(KENYA))
    replace_file(own_mirror / "archives" / f"{KENYA_LABELS}.tar.gz", new_version)
    result = download(session, KENYA_LABELS, tmp_path, remote=before_change)
    assert result.path.read_bytes() == new_version  # not old prefix + new suffix
    lines = blob_lines(mirror_server, 3)
    assert f"range=bytes=120000-{SIZE - 1}" in lines[-2] and " 412 " in lines[-2]
    assert "range=" not in lines[-1] and f" 200 {SIZE} " in lines[-1]  # the new one, afresh
    assert result.remote is not None and result.remote.etag != before_change.etag


def test_a_short_body_is_resumed_within_the_same_call(
    mirror_server: MirrorServer, proxy: FaultProxy, tmp_path: Path
) -> None:
    proxy.faults.truncate_after = 70_000  # every blob answer is cut, the network stays up
    result = download(session_for(proxy.url), KENYA_LABELS, tmp_path)
    assert result.path.read_bytes() == KENYA
    assert [g.range for g in proxy.blob_gets()][:3] == [
        None,
        f"bytes=70000-{SIZE - 1}",
        f"bytes=140000-{SIZE - 1}",
    ]


def test_retries_on_503_honouring_retry_after(proxy: FaultProxy, tmp_path: Path) -> None:
    proxy.faults.canned = [(503, {"Retry-After": "1"}), (503, {"Retry-After": "2"})]
    proxy.faults.canned_path = "/archive/"
    slept: list[float] = []
    session = get_session(
        api_key=API_KEY, root_url=proxy.url, sleep=slept.append, retry=RetryPolicy(max_delay=1.5)
    )
    path = client.download_archive(KENYA_LABELS, tmp_path, session=session)
    assert path.read_bytes() == KENYA
    assert slept == [1.0, 1.5]  # as stated, then capped at max_delay
    assert [s.status for s in proxy.seen[:3]] == [503, 503, 303]


def test_no_retry_on_other_4xx(proxy: FaultProxy, tmp_path: Path) -> None:
    proxy.faults.canned, proxy.faults.canned_path = [(400, {})], "/datasets"
    with pytest.raises(Exception, match="400"):
        client.get_dataset("ref_african_crops_kenya_02", session=session_for(proxy.url))
    assert len(proxy.seen) == 1


def test_404_is_entity_does_not_exist(mirror_server: MirrorServer, tmp_path: Path) -> None:
    with pytest.raises(EntityDoesNotExist, match="no_such_archive"):
        client.download_archive("no_such_archive", tmp_path, session=session_for(mirror_server.url))
    assert not list(tmp_path.iterdir())


def test_401_is_authentication_error_without_the_key(
    mirror_server: MirrorServer, tmp_path: Path
) -> None:
    wrong = "wrong-key-must-not-leak"
    session = get_session(api_key=wrong, root_url=mirror_server.url)
    with pytest.raises(AuthenticationError) as caught:
        client.download_archive(KENYA_LABELS, tmp_path, session=session)
    assert wrong not in str(caught.value) and "401" in str(caught.value)
    assert wrong not in repr(session)


def test_key_is_not_sent_to_the_blob_after_the_redirect(
    mirror_server: MirrorServer, tmp_path: Path
) -> None:
    client.download_archive(KENYA_LABELS, tmp_path, session=session_for(mirror_server.url))
    archive_lines = [line for line in mirror_server.log() if "/archive/" in line]
    assert archive_lines and all("key=REDACTED" in line for line in archive_lines)
    blobs = blob_lines(mirror_server, 1) + [
        line for line in mirror_server.log() if "HEAD" in line and "/blobs/" in line
    ]
    assert blobs and not [line for line in blobs if "key=" in line]


class TestHostileAnswers:
    """Whatever the server does, no wrong bytes ever reach the final path."""

    def _fails(self, proxy: FaultProxy, tmp_path: Path, match: str) -> None:
        with pytest.raises(TransferError, match=match):
            client.download_archive(KENYA_LABELS, tmp_path, session=session_for(proxy.url))
        assert not (tmp_path / f"{KENYA_LABELS}.tar.gz").exists()

    def test_content_range_starting_elsewhere(self, proxy: FaultProxy, tmp_path: Path) -> None:
        interrupted_partial(proxy, tmp_path, after=1000)
        proxy.down, proxy.faults = False, type(proxy.faults)(content_range_shift=10)
        with pytest.raises(TransferError, match="refusing to splice"):
            client.download_archive(KENYA_LABELS, tmp_path, session=session_for(proxy.url))
        assert not (tmp_path / f"{KENYA_LABELS}.tar.gz").exists()
        assert (tmp_path / f"{KENYA_LABELS}.tar.gz.part").read_bytes()[:1000] == KENYA[:1000]

    def test_more_bytes_than_announced(self, proxy: FaultProxy, tmp_path: Path) -> None:
        proxy.faults.extra_bytes = 10  # no Content-Length: a close-delimited, too long body
        self._fails(proxy, tmp_path, "more than")
        assert not list(tmp_path.glob("*.part"))

    def test_compressed_body_is_refused(self, proxy: FaultProxy, tmp_path: Path) -> None:
        proxy.faults.content_encoding = "gzip"
        self._fails(proxy, tmp_path, "Content-Encoding")

    def test_corrupt_bytes_fail_the_md5_check(
        self, proxy: FaultProxy, own_mirror: Path, tmp_path: Path
    ) -> None:
        assert cli("mirror", "digest", str(own_mirror), KENYA_LABELS).returncode == 0
        proxy.faults.corrupt = True
        with pytest.raises(IntegrityError, match="md5: expected 93949abd"):
            client.download_archive(KENYA_LABELS, tmp_path, session=session_for(proxy.url))
        assert not list(tmp_path.iterdir())  # partial removed, nothing at the final path


def test_identifies_itself_and_asks_for_identity_encoding(
    proxy: FaultProxy, tmp_path: Path
) -> None:
    client.download_archive(KENYA_LABELS, tmp_path, session=session_for(proxy.url))
    assert {s.headers.get("User-Agent") for s in proxy.seen} == {f"mlhub-sync/{__version__}"}
    assert proxy.blob_gets()[0].headers.get("Accept-Encoding") == "identity"


def test_progress_bar_only_on_a_terminal(mirror_server: MirrorServer, tmp_path: Path) -> None:
    """Default: bars when stderr is a terminal, nothing otherwise; progress=False: never."""
    import subprocess
    import sys

    script = (
        "import sys; from mlhub_sync import client, get_session\n"
        f"s = get_session(api_key={API_KEY!r}, root_url={mirror_server.url!r})\n"
        f"client.download_archive({KENYA_LABELS!r}, sys.argv[1], session=s, "
        "progress=None if sys.argv[2] == 'auto' else False)\n"
    )

    def stderr_of(mode: str, on_terminal: bool) -> str:
        argv = [sys.executable, "-c", script, str(tmp_path / f"{mode}-{on_terminal}"), mode]
        if not on_terminal:
            return subprocess.run(argv, capture_output=True, text=True, check=True).stderr
        code, output = run_on_terminal(argv)
        assert code == 0
        return output

    assert KENYA_LABELS in stderr_of("auto", on_terminal=True)  # the bar's label
    assert stderr_of("auto", on_terminal=False) == ""
    assert stderr_of("off", on_terminal=True) == ""


def test_if_match_refuses_a_version_that_changed_after_the_check(
    mirror_server: MirrorServer, own_mirror: Path, tmp_path: Path
) -> None:
    session = session_for(mirror_server.url)
    checked = MLHubSource.for_session(session).describe(KENYA_LABELS)
    replace_file(own_mirror / "archives" / f"{KENYA_LABELS}.tar.gz", bytes(reversed(KENYA)))
    with pytest.raises(RemoteChanged, match="changed on the server since it was checked"):
        download(session, KENYA_LABELS, tmp_path, remote=checked, expected={"md5": "0" * 32})
    assert not (tmp_path / f"{KENYA_LABELS}.tar.gz").exists()
    assert " 412 " in blob_lines(mirror_server, 1)[-1]
