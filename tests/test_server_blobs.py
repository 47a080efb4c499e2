"""Archive bytes: redirects, Range, If-Range, ETags, signed URLs and digest sidecars."""

from __future__ import annotations

import base64
import hashlib
import os
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
import requests
from conftest import API_KEY
from support import KENYA_ARCHIVE, KENYA_LABELS, MirrorServer, cli, contract, replace_file

KENYA_BYTES = KENYA_ARCHIVE.read_bytes()
SIZE = len(KENYA_BYTES)  # 252,970


def blob_url(server: MirrorServer, collection_id: str = KENYA_LABELS) -> str:
    response = requests.head(
        server.url + f"archive/{collection_id}",
        params={"key": API_KEY},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 303
    return response.headers["Location"]


def get(url: str, **headers: str) -> requests.Response:
    return requests.get(url, headers={"Accept-Encoding": "identity", **headers}, timeout=10)


def test_blob_head_states_size_and_validators(recorded_server: MirrorServer) -> None:
    response = requests.head(blob_url(recorded_server), timeout=10)
    assert response.status_code == 200
    assert response.content == b""
    assert int(response.headers["Content-Length"]) == SIZE
    assert response.headers["Accept-Ranges"] == "bytes"
    assert response.headers["Content-Type"] == "application/x-tar"
    assert response.headers["ETag"].startswith('"')  # strong, quoted
    assert "Last-Modified" in response.headers


def test_full_download_through_redirect_is_byte_identical(recorded_server: MirrorServer) -> None:
    response = requests.get(
        recorded_server.url + f"archive/{KENYA_LABELS}", params={"key": API_KEY}, timeout=10
    )
    assert response.status_code == 200
    assert [r.status_code for r in response.history] == [303]
    assert response.content == KENYA_BYTES


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("bytes=0-0", 0, 0),  # first byte
        ("bytes=1000-1999", 1000, 1999),  # middle
        ("bytes=-500", SIZE - 500, SIZE - 1),  # suffix
        ("bytes=252000-", 252_000, SIZE - 1),  # open-ended
        ("bytes=0-252970", 0, SIZE - 1),  # past the end, as the original client asks
        (f"bytes={SIZE - 1}-{SIZE - 1}", SIZE - 1, SIZE - 1),  # last byte
    ],
)
def test_single_ranges_give_206(
    recorded_server: MirrorServer, header: str, start: int, end: int
) -> None:
    response = get(blob_url(recorded_server), Range=header)
    assert response.status_code == 206
    assert response.headers["Content-Range"] == f"bytes {start}-{end}/{SIZE}"
    assert int(response.headers["Content-Length"]) == end - start + 1
    assert response.content == KENYA_BYTES[start : end + 1]


def test_server_log_shows_the_range_asked(recorded_server: MirrorServer) -> None:
    get(blob_url(recorded_server), Range="bytes=12345-")
    assert recorded_server.wait_for_log(
        lambda line: "range=bytes=12345-" in line and " 206 " in line
    )


@pytest.mark.parametrize("header", [f"bytes={SIZE}-", f"bytes={SIZE + 10}-{SIZE + 20}"])
def test_unsatisfiable_range_is_416(recorded_server: MirrorServer, header: str) -> None:
    response = get(blob_url(recorded_server), Range=header)
    assert response.status_code == 416
    assert response.headers["Content-Range"] == f"bytes */{SIZE}"
    assert "detail" in response.json()


@pytest.mark.parametrize("header", ["bytes=0-1,5-6", "bytes=abc", "items=0-5"])
def test_ranges_we_cannot_serve_are_ignored_with_200(
    recorded_server: MirrorServer, header: str
) -> None:
    response = get(blob_url(recorded_server), Range=header)
    assert response.status_code == 200
    assert response.content == KENYA_BYTES


def test_if_range_with_current_etag_gives_206(recorded_server: MirrorServer) -> None:
    url = blob_url(recorded_server)
    etag = requests.head(url, timeout=10).headers["ETag"]
    response = get(url, Range="bytes=100-199", **{"If-Range": etag})
    assert response.status_code == 206
    assert response.content == KENYA_BYTES[100:200]


def test_if_range_with_stale_etag_gives_whole_body(recorded_server: MirrorServer) -> None:
    response = get(blob_url(recorded_server), Range="bytes=100-199", **{"If-Range": '"stale-etag"'})
    assert response.status_code == 200
    assert response.content == KENYA_BYTES


def test_if_none_match_gives_304(recorded_server: MirrorServer) -> None:
    url = blob_url(recorded_server)
    etag = requests.head(url, timeout=10).headers["ETag"]
    response = get(url, **{"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""


def test_etag_changes_when_archive_is_replaced_or_modified(own_mirror: Path) -> None:
    archive = own_mirror / "archives" / f"{KENYA_LABELS}.tar.gz"
    with MirrorServer(own_mirror, "--api-key", API_KEY) as server:
        first = requests.head(blob_url(server), timeout=10).headers["ETag"]
        replacement = bytes(reversed(KENYA_BYTES))  # same size, other content
        replace_file(archive, replacement)
        second_response = get(blob_url(server))
        second = second_response.headers["ETag"]
        assert second != first
        assert second_response.content == replacement
        with archive.open("r+b") as stream:  # modified in place, same size
            stream.write(b"\x00" * 16)
        os.utime(archive, ns=(time.time_ns(), time.time_ns() + 1_000_000))
        third = requests.head(blob_url(server), timeout=10).headers["ETag"]
        assert third not in (first, second)
        stale = get(blob_url(server), Range="bytes=0-9", **{"If-Range": second})
        assert stale.status_code == 200 and len(stale.content) == SIZE


class TestSignedUrls:
    @staticmethod
    def _with_query(url: str, **changes: str) -> str:
        parts = urlsplit(url)
        query = dict(parse_qsl(parts.query))
        query.update(changes)
        return urlunsplit(parts._replace(query=urlencode(query)))

    def test_tampered_signature_is_refused(self, recorded_server: MirrorServer) -> None:
        url = blob_url(recorded_server)
        signature = dict(parse_qsl(urlsplit(url).query))["signature"]
        flipped = ("0" if signature[0] != "0" else "1") + signature[1:]
        for bad in [
            self._with_query(url, signature=flipped),
            self._with_query(url, expires=str(int(time.time()) + 10**6)),
            self._with_query(url, signature=""),
            url.replace(KENYA_LABELS, "bigearthnet_v1_labels"),  # signature of another blob
            url.split("?")[0],
        ]:
            response = get(bad, Range="bytes=0-9")
            assert response.status_code == 403, bad
            assert "detail" in response.json()
            assert response.content != KENYA_BYTES[:10]

    def test_expired_signature_is_refused(self, recorded_mirror: Path) -> None:
        with MirrorServer(recorded_mirror, "--url-ttl", "1") as server:
            url = blob_url(server)
            assert get(url, Range="bytes=0-9").status_code == 206
            time.sleep(2.1)
            assert get(url, Range="bytes=0-9").status_code == 403

    def test_signature_works_without_the_key(self, recorded_server: MirrorServer) -> None:
        assert "key=" not in blob_url(recorded_server)
        assert get(blob_url(recorded_server)).content == KENYA_BYTES


def test_archive_base_url_redirects_there(recorded_mirror: Path) -> None:
    base = "https://cdn.example.org/mlhub/archives"
    with MirrorServer(recorded_mirror, "--archive-base-url", base + "/") as server:
        response = requests.head(
            server.url + f"archive/{KENYA_LABELS}", allow_redirects=False, timeout=10
        )
        assert response.status_code == 303
        assert response.headers["Location"] == f"{base}/{KENYA_LABELS}.tar.gz"


def test_digest_sidecars_give_content_md5_until_the_file_changes(own_mirror: Path) -> None:
    recorded_md5 = next(
        e["headers"]["content-md5"]
        for e in contract("exchanges.json")
        if e["method"] == "HEAD"
        and "content-md5" in e["headers"]
        and e["url"].endswith(f"{KENYA_LABELS}.tar.gz")
    )
    with MirrorServer(own_mirror, "--api-key", API_KEY) as server:
        assert "Content-MD5" not in requests.head(blob_url(server), timeout=10).headers
        result = cli("mirror", "digest", str(own_mirror), KENYA_LABELS)
        assert result.returncode == 0, result.stderr
        assert f"{KENYA_LABELS}: hashed" in result.stdout
        headers = requests.head(blob_url(server), timeout=10).headers
        assert (
            headers["Content-MD5"]
            == recorded_md5
            == base64.b64encode(hashlib.md5(KENYA_BYTES).digest()).decode()
        )
        assert len(headers["X-Checksum-Xxh3-128"]) == 32
        again = cli("mirror", "digest", str(own_mirror), KENYA_LABELS)
        assert f"{KENYA_LABELS}: up to date" in again.stdout
        replace_file(own_mirror / "archives" / f"{KENYA_LABELS}.tar.gz", b"new content")
        assert "Content-MD5" not in requests.head(blob_url(server), timeout=10).headers
