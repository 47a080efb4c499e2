"""The emulator harness works, and what a plain-HTTP client sees of each store.

Everything asserted here goes through urllib only, anonymously (no auth headers): these are the
requests mlhub_sync's Azure Blob and S3 listing clients make. See tests/emulators.py for the
quirks found.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from email.message import Message
from pathlib import Path

import emulators
import pytest
from emulators import Azurite, Emulator, MotoS3, md5_base64, multipart_etag

X_MS_VERSION = {"x-ms-version": "2021-08-06"}
S3 = "{http://s3.amazonaws.com/doc/2006-03-01/}"

AZURE_FILES = {
    "a.txt": b"0123456789abcdef",
    "b/c.txt": b"hello",
    "b/d.txt": b"x" * 100,
    "e.bin": b"",
    "z \u00fc.txt": b"unicode name",
}
S3_PART = 5 * 1024 * 1024
S3_FILES = {
    "B": b"upper case sorts first",
    "a-1": b"1",
    "a.1": b"2",
    "a/1": b"3",
    "a/2/x": b"4",
    "a1": b"5",
    "big.bin": bytes(range(256)) * (S3_PART // 256) + b"tail",
    "sp ace+plus": b"6",
    "\u00e9": b"7",
}


def get(url: str, headers: dict[str, str] | None = None, method: str = "GET") -> Response:
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return Response(answer.status, answer.headers, answer.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, error.headers, error.read())


class Response:
    def __init__(self, status: int, headers: Message, body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body

    def xml(self) -> ET.Element:
        return ET.fromstring(self.body)


@pytest.fixture(scope="module")
def azurite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Azurite]:
    with Azurite(tmp_path_factory.mktemp("azurite")) as server:
        yield server


@pytest.fixture(scope="module")
def moto(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MotoS3]:
    with MotoS3(tmp_path_factory.mktemp("moto")) as server:
        yield server


@pytest.fixture(scope="module")
def containers(azurite: Azurite) -> dict[bool, str]:
    """Container URLs by ``content_md5``."""
    return {
        True: azurite.public_container("with-md5", AZURE_FILES, content_md5=True),
        False: azurite.public_container("without-md5", AZURE_FILES, content_md5=False),
    }


@pytest.fixture(scope="module")
def bucket(moto: MotoS3) -> str:
    moto.bucket("public-bucket", S3_FILES, multipart={"big.bin"})
    return moto.bucket_url("public-bucket")


def azure_list(container_url: str, **query: str) -> Response:
    params = urllib.parse.urlencode({"restype": "container", "comp": "list", **query})
    return get(f"{container_url}?{params}", X_MS_VERSION)


def blob_md5s(listing: ET.Element) -> dict[str, str | None]:
    return {
        blob.findtext("Name", ""): blob.findtext("Properties/Content-MD5")
        for blob in listing.iter("Blob")
    }


@pytest.mark.parametrize("content_md5", [True, False], ids=["with-md5", "without-md5"])
def test_azurite_lists_a_public_container_anonymously(
    containers: dict[bool, str], content_md5: bool
) -> None:
    answer = azure_list(containers[content_md5])
    assert answer.status == 200, answer.body
    assert answer.headers["Content-Type"] == "application/xml"
    listing = answer.xml()
    assert listing.tag == "EnumerationResults"
    expected = {
        name: md5_base64(data) if content_md5 else None for name, data in AZURE_FILES.items()
    }
    assert blob_md5s(listing) == expected  # without: no <Content-MD5> element at all
    blob = next(b for b in listing.iter("Blob") if b.findtext("Name") == "a.txt")
    assert blob.findtext("Properties/Content-Length") == "16"
    etag = blob.findtext("Properties/Etag", "")
    assert etag.startswith("0x") and '"' not in etag  # unquoted here, quoted in GET headers
    assert listing.findtext("NextMarker") in ("", None)


def test_azurite_pages_with_next_marker(containers: dict[bool, str]) -> None:
    names: list[str] = []
    marker = ""
    pages = 0
    while True:
        query = {"maxresults": "2", **({"marker": marker} if marker else {})}
        listing = azure_list(containers[True], **query).xml()
        pages += 1
        names += [blob.findtext("Name", "") for blob in listing.iter("Blob")]
        marker = listing.findtext("NextMarker") or ""
        if pages == 1:
            assert marker, "a first page of 2 out of 5 names a NextMarker"
        if not marker:
            break
    assert pages == 3
    assert names == sorted(AZURE_FILES)  # lexicographic by code point


def test_azurite_lists_with_a_delimiter(containers: dict[bool, str]) -> None:
    listing = azure_list(containers[True], delimiter="/").xml()
    prefixes = [p.findtext("Name") for p in listing.iter("BlobPrefix")]
    names = [b.findtext("Name") for b in listing.iter("Blob")]
    assert prefixes == ["b/"]
    assert names == ["a.txt", "e.bin", "z \u00fc.txt"]


def test_azurite_serves_ranges_anonymously(containers: dict[bool, str]) -> None:
    url = containers[True] + "/a.txt"
    answer = get(url, {**X_MS_VERSION, "Range": "bytes=0-9"})
    assert answer.status == 206
    assert answer.body == b"0123456789"
    assert answer.headers["Content-Range"] == "bytes 0-9/16"
    assert answer.headers["x-ms-blob-content-md5"] == md5_base64(AZURE_FILES["a.txt"])
    etag = answer.headers["ETag"]
    assert etag.startswith('"0x')
    stale = get(url, {**X_MS_VERSION, "Range": "bytes=0-9", "If-Match": '"0x1"'})
    assert stale.status == 412
    # Azurite ignores If-Range: a stale validator still gets a 206 (clients use If-Match).
    assert get(url, {**X_MS_VERSION, "Range": "bytes=0-9", "If-Range": '"0x1"'}).status == 206
    without = get(containers[False] + "/a.txt", {**X_MS_VERSION, "Range": "bytes=0-9"})
    assert without.status == 206
    assert "x-ms-blob-content-md5" not in without.headers
    quoted = containers[False] + "/" + urllib.parse.quote("z \u00fc.txt")
    assert get(quoted, X_MS_VERSION).body == AZURE_FILES["z \u00fc.txt"]


def test_azurite_refuses_anonymous_listing_of_a_private_container(azurite: Azurite) -> None:
    azurite.service().create_container("private")
    assert azure_list(azurite.container_url("private")).status == 403
    assert azure_list(azurite.container_url("missing")).status == 403


def s3_list(bucket_url: str, **query: str) -> ET.Element:
    answer = get(f"{bucket_url}?{urllib.parse.urlencode({'list-type': '2', **query})}")
    assert answer.status == 200, answer.body
    return answer.xml()


def test_moto_lists_anonymously_with_continuation_tokens(bucket: str) -> None:
    first = s3_list(bucket, **{"max-keys": "2"})
    assert first.tag == f"{S3}ListBucketResult"
    assert first.findtext(f"{S3}IsTruncated") == "true"
    token = first.findtext(f"{S3}NextContinuationToken")
    assert token
    keys = [c.findtext(f"{S3}Key", "") for c in first.iter(f"{S3}Contents")]
    while token:
        page = s3_list(bucket, **{"max-keys": "2", "continuation-token": token})
        keys += [c.findtext(f"{S3}Key", "") for c in page.iter(f"{S3}Contents")]
        token = page.findtext(f"{S3}NextContinuationToken")
        assert (page.findtext(f"{S3}IsTruncated") == "true") == bool(token)
    assert keys == sorted(S3_FILES, key=lambda key: key.encode())  # lexicographic, UTF-8


def test_moto_multipart_etag_and_ranges(bucket: str) -> None:
    listing = s3_list(bucket, prefix="big")
    (contents,) = listing.iter(f"{S3}Contents")
    big = S3_FILES["big.bin"]
    etag = contents.findtext(f"{S3}ETag", "")
    assert etag.endswith('-2"')
    assert etag == multipart_etag(big, S3_PART)
    assert contents.findtext(f"{S3}Size") == str(len(big))
    url = f"{bucket}/big.bin"
    answer = get(url, {"Range": "bytes=0-9"})
    assert answer.status == 206
    assert answer.body == big[:10]
    assert answer.headers["Content-Range"] == f"bytes 0-9/{len(big)}"
    assert answer.headers["ETag"] == etag
    assert get(url, method="HEAD").status == 200
    assert get(url, {"Range": "bytes=0-9", "If-Match": '"stale"'}).status == 412
    # moto ignores If-Range, as Azurite does.
    assert get(url, {"Range": "bytes=0-9", "If-Range": '"stale"'}).status == 206


def test_moto_serves_single_part_objects_anonymously(bucket: str) -> None:
    key = urllib.parse.quote("sp ace+plus", safe="")
    answer = get(f"{bucket}/{key}")
    assert answer.status == 200
    assert answer.body == S3_FILES["sp ace+plus"]
    assert answer.headers["ETag"] == f'"{hashlib.md5(b"6", usedforsecurity=False).hexdigest()}"'
    assert get(f"{bucket}/missing").status == 404


def test_moto_lists_with_a_delimiter(bucket: str) -> None:
    listing = s3_list(bucket, delimiter="/")
    prefixes = [p.findtext(f"{S3}Prefix") for p in listing.iter(f"{S3}CommonPrefixes")]
    keys = [c.findtext(f"{S3}Key") for c in listing.iter(f"{S3}Contents")]
    assert prefixes == ["a/"]
    assert "a/1" not in keys and "a-1" in keys


# The harness itself, with a stand-in server: it announces its port as moto does, serves HTTP,
# and has a child process of its own (its pid on the first line of its log).

FAKE_SERVER = """
import http.server, subprocess, sys
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
print(child.pid, flush=True)
httpd = http.server.HTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
print("Running on http://127.0.0.1:%d" % httpd.server_address[1], flush=True)
httpd.serve_forever()
"""


class Fake(Emulator):
    name = "fake"

    def __init__(self, tmp_path: Path) -> None:
        super().__init__([sys.executable, "-c", FAKE_SERVER], tmp_path)
        self.child = int(self.log_text().split()[0])


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def _wait_until_gone(*pids: int, timeout: float = 10) -> list[int]:
    deadline = time.monotonic() + timeout
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return [pid for pid in pids if _alive(pid)]


def test_a_server_that_dies_while_starting_fails_with_its_log(tmp_path: Path) -> None:
    argv = [sys.executable, "-c", "print('cannot bind'); raise SystemExit(3)"]
    with pytest.raises(RuntimeError, match=r"(?s)exited with status 3.*cannot bind"):
        Emulator(argv, tmp_path)


def test_stop_ends_the_whole_process_group(tmp_path: Path) -> None:
    with Fake(tmp_path) as fake:
        assert get(fake.origin + "/").status == 501  # it answers HTTP
        assert _alive(fake.child)
    assert fake.process.returncode is not None
    assert _wait_until_gone(fake.child) == []
    fake.stop()  # idempotent


@pytest.mark.parametrize("exit_call", ["sys.exit(0)", "os._exit(0)"], ids=["atexit", "pdeathsig"])
def test_no_emulator_outlives_the_process_that_started_it(tmp_path: Path, exit_call: str) -> None:
    """A process that starts an emulator and exits without stopping it leaves none behind:
    the atexit hook stops it, or (``os._exit``: no atexit) the kernel's parent-death signal."""
    starter = tmp_path / "starter.py"
    starter.write_text(
        "import os, sys\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "from pathlib import Path\n"
        "from test_emulators import Fake\n"
        f"fake = Fake(Path({str(tmp_path)!r}))\n"
        "print(fake.process.pid, fake.child, flush=True)\n"
        f"{exit_call}\n"
    )
    result = subprocess.run(
        [sys.executable, str(starter)], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    server, child = (int(pid) for pid in result.stdout.split())
    # The server goes; with os._exit its own child is orphaned, not signalled (PDEATHSIG reaches
    # only the direct child): neither real emulator has children.
    assert _wait_until_gone(server) == []
    if exit_call == "sys.exit(0)":
        assert _wait_until_gone(child) == []
    else:
        with contextlib.suppress(ProcessLookupError):
            os.kill(child, signal.SIGTERM)


@pytest.mark.parametrize("required", [True, False])
def test_a_missing_azurite_skips_only_where_emulators_are_optional(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, required: bool
) -> None:
    monkeypatch.setattr(emulators, "AZURITE_BIN", tmp_path / "no-azurite")
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv(emulators.REQUIRE_ENV, "1" if required else "0")
    expected: type[BaseException] = RuntimeError if required else pytest.skip.Exception
    with pytest.raises(expected, match="Azurite is not installed"):
        Azurite(tmp_path)
