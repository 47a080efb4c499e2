"""Real object-store emulators on loopback, for testing the plain-HTTP listing clients.

``Azurite`` runs Microsoft's Azure Blob emulator (npm ``azurite``, installed by tests/run.sh
into ``.cache/azurite/``) and ``MotoS3`` runs moto's standalone server (``moto[server]``, the
``dev`` extra). Both are context managers that start the real server as a subprocess on a port
it picks itself (port 0, read back from its log: no race for a "free" port), wait until it
answers HTTP, and log its stdout and stderr to a file (``.log_path``). ``stop()`` sends SIGTERM
to its process group, then SIGKILL after 10 s; an atexit hook and the kernel's parent-death
signal (Linux) stop any emulator the test session did not. The SDKs (azure-storage-blob,
boto3) are only used here, to *populate* the stores; tests of mlhub_sync should observe them
with plain HTTP only, as tests/test_emulators.py does.

Missing Azurite (or node) skips a test on a developer's machine, but is an error when
``MLHUB_TEST_REQUIRE_EMULATORS=1`` (tests/run.sh exports it when Azurite is installed) or
``CI`` is set: CI cannot pass by silently skipping.

What a plain-HTTP client sees (Azurite 3.35.0, moto 5.2.5, checked by test_emulators.py where
marked [tested]):

Azurite (Azure Blob)
- ``GET {container_url}?restype=container&comp=list`` works anonymously on a container with
  ``public_access="container"`` [tested]. With ``public_access="blob"`` listing is refused but
  blob GETs work. A private *or missing* container answers **403 AuthorizationFailure**
  anonymously [tested] (real Azure may answer 404 ResourceNotFound there): treat both as "not
  public / not there". A missing blob in a public container is 404 ``BlobNotFound``.
  Container names need 3-63 characters (``a-z0-9-``).
- ``x-ms-version``: started with ``--skipApiVersionCheck``, any value is accepted and requests
  without it work too; every response says ``x-ms-version: 2025-11-05``. Real Azure serves an
  anonymous request without ``x-ms-version`` with its oldest API version (other XML), so a
  client must always send one, e.g. ``2021-08-06`` (the tests do).
- Listing XML: ``<EnumerationResults ServiceEndpoint=.. ContainerName=..><Prefix/><Marker/>
  <MaxResults>5000</MaxResults><Blobs><Blob><Name>..</Name><Properties>..</Properties></Blob>
  ..</Blobs><NextMarker/></EnumerationResults>``, no XML namespace, names as raw UTF-8 text
  (XML-escaped), ``Content-Type: application/xml``, chunked. Properties include
  ``Last-Modified`` (RFC 1123), ``Etag`` (**unquoted** in the listing, ``0x1F5811752B01770``;
  the GET/HEAD ``ETag`` header is the same value **quoted**) [tested], ``Content-Length``
  [tested], ``Content-Type``, ``BlobType`` (BlockBlob).
- ``<Content-MD5>`` is base64 of the 16-byte MD5 (``QDKvjWEDUSOQbljgZxQMxQ==``) when the blob
  has one; a blob without one has **no** ``<Content-MD5>`` element at all (not an empty one)
  [tested both]. Put Blob (single-shot upload) stores an MD5 even if the uploader sent none
  (the server computes it); blobs made of blocks (Put Block + Put Block List, as SDKs upload
  large files) have none unless the uploader set it.
- Which headers carry an MD5: a ranged GET carries ``x-ms-blob-content-md5`` (the *whole*
  blob's stored MD5) iff the blob has one [tested], and no ``Content-MD5``. An un-ranged
  GET/HEAD carries ``Content-MD5`` = the stored MD5, **but also** for a small blob with *no*
  stored MD5 (Azurite computes it; seen for 10 bytes, not for 4 MiB + 1): only the listing or
  ``x-ms-blob-content-md5`` says whether the blob *has* an MD5.
- Paging: ``maxresults=N`` gives ``<NextMarker>TOKEN</NextMarker>`` while more remain and an
  empty ``<NextMarker/>`` on the last page [tested]. Azurite's token happens to be the last name
  returned; real Azure's is opaque (``2!88!MDAw...``): pass it back verbatim as ``marker=``
  (URL-encoded) and never construct one.
- Order: lexicographic, upper case first (``B Z _x a-1 a.1 a/1 a1 b ~ é``) [tested for these];
  but Azurite compares **UTF-16 code units** (JavaScript strings), so U+1F600 (an emoji) lists
  before U+FF5E (fullwidth tilde), unlike moto/S3's UTF-8 byte order: never merge or binary-search
  listings assuming one order.
- ``delimiter=/`` works: ``<BlobPrefix><Name>b/</Name></BlobPrefix>`` elements inside
  ``<Blobs>`` [tested], but Azurite puts **all BlobPrefix elements before the Blob elements**
  instead of interleaving them in name order. ``prefix=`` works.
- Ranges: ``Range: bytes=0-9`` answers 206 with ``Content-Range: bytes 0-9/16`` [tested]; a
  range starting past the end is 416 ``InvalidRange``. ``Accept-Ranges: bytes``.
- Conditionals: ``If-Match`` with a wrong ETag answers 412 ``ConditionNotMet`` [tested], but
  **``If-Range`` is ignored** [tested]: a stale validator still gets a 206 of the current
  content, so a resuming client must send ``If-Match`` (or check the 206's ``ETag``).
- urllib sends ``Connection: close`` so Azurite closes; with http.client keep-alive works.
- Errors are XML ``<Error><Code>..</Code><Message>..</Message></Error>``.

moto server (S3)
- Anonymous (unsigned, no Authorization header) requests: ``ListObjectsV2`` works on any
  bucket (moto does not check ``s3:ListBucket`` for anonymous callers), but object GET/HEAD
  is **403 with an empty body** (``Content-Type: text/html``, not XML) unless a bucket policy
  or object ACL allows it. ``MotoS3.bucket`` therefore sets a public-read policy allowing
  ``s3:GetObject``, ``s3:ListBucket`` and ``s3:HeadObject`` — the last is not a real IAM action
  (real S3 authorises HEAD with ``s3:GetObject``) but moto checks HEAD as ``s3:HeadObject``.
  (Also: objects made by a multipart upload have no ACL in moto, so they are readable
  anonymously even without a policy, and GetObjectAcl on them is a 500.)
- Path-style URLs: ``{endpoint}/{bucket}?list-type=2`` and ``{endpoint}/{bucket}/{key}``.
  Bucket names need 3-63 characters. Percent-encode keys [tested with ``sp ace+plus``]; moto
  also takes a raw ``+`` in a path as a plus, but S3 is known to read it as a space in some
  places, so always send ``%2B``.
- Listing XML, namespace ``http://s3.amazonaws.com/doc/2006-03-01/`` [tested]:
  ``<ListBucketResult><IsTruncated>..<Contents><Key/><LastModified>2026-12-03T20:12:50.000Z
  </LastModified><ETag>"hex"</ETag>[<ChecksumAlgorithm>CRC32</ChecksumAlgorithm>]<Size/>
  <StorageClass>STANDARD</StorageClass></Contents>..<Name/><Prefix/><MaxKeys/><KeyCount/>
  [<NextContinuationToken>..]</ListBucketResult>``. ``ETag`` in the listing and in the GET
  header is **quoted**, and the same [tested]; ``LastModified`` has whole seconds.
- ETags: a single PUT's ETag is the hex MD5 of the content [tested]; a multipart upload's is
  ``"<hex>-N"`` [tested] where hex = MD5 of the concatenated binary MD5s of the N parts
  (``multipart_etag()`` computes it [tested]): not a content digest a client can check
  without knowing the part size.
- Checksums: boto3 ≥ 1.36 adds a CRC32 to a single PUT by default, so those objects list
  ``<ChecksumAlgorithm>CRC32</ChecksumAlgorithm>`` (multipart ones here do not), and an
  anonymous GET with ``x-amz-checksum-mode: ENABLED`` returns ``x-amz-checksum-crc32``
  (base64 of the big-endian CRC32 of the whole object). Every GET also carries a moto-only
  ``x-amz-sdk-checksum-algorithm`` header: ignore it.
- Paging: ``max-keys=N`` gives ``<IsTruncated>true</IsTruncated>`` and
  ``<NextContinuationToken>`` (here 32 hex digits; opaque in S3) [tested]; pass it back
  URL-encoded as ``continuation-token=``. ``start-after=`` works. ``KeyCount`` counts keys plus
  common prefixes.
- Order: lexicographic by UTF-8 bytes, upper case first, same as S3 [tested].
- ``delimiter=/`` works: ``<CommonPrefixes><Prefix>a/</Prefix></CommonPrefixes>`` after the
  ``<Contents>`` elements, as in S3 [tested]. ``encoding-type=url`` percent-encodes ``<Key>``
  (``sp%20ace%2Bplus``, ``%C3%A9``).
- Ranges: 206 with ``Content-Range: bytes 0-9/SIZE`` [tested]; past the end is 416
  ``InvalidRange``. ``If-Match`` mismatch is 412 ``PreconditionFailed`` [tested];
  **``If-Range`` is ignored** (always 206) [tested], as with Azurite.
- Missing key: 404 ``NoSuchKey`` (XML) [tested]; missing bucket: 404 ``NoSuchBucket``.
- S3 parts must be ≥ 5 MiB except the last, and moto enforces it at CompleteMultipartUpload
  (``EntityTooSmall``), so a multipart object here is larger than 5 MiB unless the server is
  started with a smaller ``min_part_size`` (moto's ``S3_UPLOAD_PART_MIN_SIZE``).

Startup on this 2-core machine (until they answer HTTP): Azurite 0.8-1.0 s, moto 0.6-0.7 s;
``.startup_seconds`` has each one's.
"""

from __future__ import annotations

import atexit
import base64
import contextlib
import ctypes
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import IO, Any, TypeVar

import boto3
import pytest
from azure.storage.blob import BlobBlock, BlobServiceClient, ContainerClient, ContentSettings
from botocore.config import Config

REPO = Path(__file__).resolve().parent.parent
AZURITE_BIN = REPO / ".cache" / "azurite" / "node_modules" / ".bin" / "azurite-blob"
REQUIRE_ENV = "MLHUB_TEST_REQUIRE_EMULATORS"
START_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0
S3_MIN_PART_SIZE = 5 * 1024 * 1024
BLOCK_SIZE = 4 * 1024 * 1024  # Azure blocks staged for blobs without a Content-MD5

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_LIVE: set[Emulator] = set()  # started and not yet stopped: the atexit hook stops them
_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None
_PR_SET_PDEATHSIG = 1

E = TypeVar("E", bound="Emulator")


def emulators_required() -> bool:
    """Whether a missing emulator is an error (CI, or tests/run.sh installed them) or a skip."""
    ci = os.environ.get("CI", "").strip().lower()
    return os.environ.get(REQUIRE_ENV) == "1" or ci not in ("", "0", "false", "no")


def unavailable(reason: str) -> None:
    """Skip the test, or fail loudly where the emulators must be there."""
    if emulators_required():
        raise RuntimeError(f"{reason} ({REQUIRE_ENV}=1 or CI is set, so this is not a skip)")
    pytest.skip(reason)


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM it when the process that started it dies (Linux).

    The signal follows the *thread* that forked, so start emulators from the main thread.
    """
    if _LIBC is not None:
        _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class Emulator:
    """A server subprocess in its own process group, its output logged to ``log_path``."""

    name = "emulator"
    # In the log, the URL the server announces once it listens: group 1 is the port.
    ready = re.compile(r"https?://127\.0\.0\.1:(\d+)")

    def __init__(
        self, argv: list[str], tmp_path: Path | None, env: Mapping[str, str] | None = None
    ) -> None:
        self._own_dir: Path | None = None
        self._stopped = False
        if tmp_path is None:
            tmp_path = self._own_dir = Path(tempfile.mkdtemp(prefix=f"mlhub-{self.name}-"))
        tmp_path.mkdir(parents=True, exist_ok=True)
        self.log_path, self._log = self._new_log(tmp_path)
        started = time.monotonic()
        self.process = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            cwd=tmp_path,
            env=None if env is None else dict(env),
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
        _LIVE.add(self)
        try:
            self.port = self._wait_for_port(started + START_TIMEOUT)
            self.origin = f"http://127.0.0.1:{self.port}"
            self._wait_until_answering(started + START_TIMEOUT)
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.monotonic() - started

    def _new_log(self, folder: Path) -> tuple[Path, IO[bytes]]:
        """``NAME.log`` in ``folder``, or ``NAME-2.log``… when several share the folder."""
        for number in range(1, 1000):
            path = folder / (f"{self.name}.log" if number == 1 else f"{self.name}-{number}.log")
            try:
                return path, path.open("xb")
            except FileExistsError:
                continue
        raise RuntimeError(f"no free log file name in {folder}")

    def log_text(self) -> str:
        return _ANSI.sub("", self.log_path.read_bytes().decode(errors="replace"))

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def _fail(self, why: str) -> RuntimeError:
        return RuntimeError(f"{self.name} {why}; log {self.log_path}:\n{self.log_tail()}")

    def _wait_for_port(self, deadline: float) -> int:
        while time.monotonic() < deadline:
            found = self.ready.search(self.log_text())
            if found:
                return int(found.group(1))
            if self.process.poll() is not None:
                raise self._fail(f"exited with status {self.process.returncode} while starting")
            time.sleep(0.05)
        raise self._fail(f"did not announce its port within {START_TIMEOUT:.0f} s")

    def _wait_until_answering(self, deadline: float) -> None:
        while True:
            try:
                with urllib.request.urlopen(self.origin + "/", timeout=2):
                    return
            except urllib.error.HTTPError:
                return  # any HTTP status is an answer
            except OSError as error:
                if self.process.poll() is not None:
                    raise self._fail(f"exited with status {self.process.returncode}") from error
                if time.monotonic() > deadline:
                    raise self._fail(f"did not answer HTTP on {self.origin}") from error
                time.sleep(0.05)

    def stop(self) -> None:
        """SIGTERM the process group, SIGKILL it after 10 s; idempotent."""
        if self._stopped:
            return  # the group id may belong to someone else by now
        self._stopped = True
        if self.process.poll() is None:
            self._signal_group(signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self._signal_group(signal.SIGKILL)
                self.process.wait()
        # Stragglers in the group that ignored SIGTERM (none expected: both servers are one
        # process), right after the leader is reaped.
        self._signal_group(signal.SIGKILL)
        self._log.close()
        _LIVE.discard(self)
        if self._own_dir is not None:
            shutil.rmtree(self._own_dir, ignore_errors=True)
            self._own_dir = None

    def _signal_group(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signum)  # start_new_session: pgid == pid

    def __enter__(self: E) -> E:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@atexit.register
def _stop_all() -> None:
    for emulator in list(_LIVE):
        emulator.stop()


class Azurite(Emulator):
    """Azurite's Blob service, in memory, on ``127.0.0.1:<port>``; account ``devstoreaccount1``.

    ``public_container()`` makes anonymously listable containers; ``service()`` is an
    authenticated SDK client for anything else a test needs to set up.
    """

    name = "azurite"
    ready = re.compile(r"successfully listens on https?://[^\s:]+:(\d+)")
    ACCOUNT = "devstoreaccount1"
    # Azurite's well-known development key (public, documented by Microsoft).
    ACCOUNT_KEY = (
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
    )

    def __init__(self, tmp_path: Path | None = None) -> None:
        node = shutil.which("node")
        if not AZURITE_BIN.exists():
            unavailable(f"Azurite is not installed at {AZURITE_BIN} (tests/run.sh installs it)")
        if node is None:
            unavailable("node is not on PATH (needed by Azurite)")
        assert node is not None
        argv = [
            node,
            str(AZURITE_BIN),
            "--inMemoryPersistence",
            "--blobHost",
            "127.0.0.1",
            "--blobPort",
            "0",
            "--skipApiVersionCheck",
            "--loose",
            "--disableTelemetry",  # no network beyond loopback here
        ]
        super().__init__(argv, tmp_path)
        self.account_name = self.ACCOUNT
        self.account_key = self.ACCOUNT_KEY
        self.blob_url = f"{self.origin}/{self.ACCOUNT}"
        self.connection_string = (
            f"DefaultEndpointsProtocol=http;AccountName={self.ACCOUNT};"
            f"AccountKey={self.ACCOUNT_KEY};BlobEndpoint={self.blob_url};"
        )

    def service(self) -> BlobServiceClient:
        """An authenticated (shared key) SDK client: for setting up, not for the code under test."""
        return BlobServiceClient.from_connection_string(self.connection_string)

    def container_url(self, name: str) -> str:
        return f"{self.blob_url}/{name}"

    def public_container(
        self, name: str, files: Mapping[str, bytes], content_md5: bool = True
    ) -> str:
        """Create container ``name`` readable and listable anonymously, holding ``files``.

        With ``content_md5`` each blob stores the MD5 of its content (listed as
        ``<Content-MD5>``); without, it is committed from staged blocks and has none (checked).
        Returns the container URL.
        """
        container = self.service().create_container(name, public_access="container")
        for blob_name, data in files.items():
            self.upload(container, blob_name, data, content_md5=content_md5)
        return self.container_url(name)

    @staticmethod
    def upload(container: ContainerClient, name: str, data: bytes, content_md5: bool) -> None:
        blob = container.get_blob_client(name)
        md5 = hashlib.md5(data, usedforsecurity=False).digest()
        if content_md5:
            settings = ContentSettings(
                content_type="application/octet-stream", content_md5=bytearray(md5)
            )
            blob.upload_blob(data, overwrite=True, content_settings=settings)
        else:
            blocks = []
            for index, start in enumerate(range(0, len(data), BLOCK_SIZE)):
                block_id = f"{index:08d}"
                blob.stage_block(block_id, data[start : start + BLOCK_SIZE])
                blocks.append(BlobBlock(block_id=block_id))
            blob.commit_block_list(
                blocks, content_settings=ContentSettings(content_type="application/octet-stream")
            )
        stored = blob.get_blob_properties()
        stored_md5 = stored.content_settings.content_md5
        expected = bytearray(md5) if content_md5 else None
        if (bytearray(stored_md5) if stored_md5 else None) != expected or stored.size != len(data):
            raise AssertionError(
                f"blob {name!r}: size {stored.size}, Content-MD5 {stored_md5!r}; "
                f"wanted size {len(data)}, Content-MD5 {expected!r}"
            )


def multipart_etag(data: bytes, part_size: int) -> str:
    """S3's ETag of ``data`` uploaded in parts of ``part_size`` (quoted, ``"<hex>-N"``)."""
    digests = [
        hashlib.md5(data[start : start + part_size], usedforsecurity=False).digest()
        for start in range(0, len(data), part_size)
    ]
    combined = hashlib.md5(b"".join(digests), usedforsecurity=False).hexdigest()
    return f'"{combined}-{len(digests)}"'


def public_read_policy(bucket: str) -> str:
    """A bucket policy letting anyone list the bucket and GET/HEAD its objects (see above)."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": ["s3:GetObject", "s3:HeadObject"],
                    "Resource": [f"arn:aws:s3:::{bucket}/*"],
                },
                {
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": ["s3:ListBucket"],
                    "Resource": [f"arn:aws:s3:::{bucket}"],
                },
            ],
        }
    )


class MotoS3(Emulator):
    """moto's standalone server (S3 and the rest of AWS) on ``127.0.0.1:<port>``.

    ``bucket()`` makes anonymously readable buckets; ``client()`` is an authenticated boto3
    client for anything else. ``min_part_size`` is the smallest non-last multipart part the
    server accepts (S3's 5 MiB by default).
    """

    name = "moto"
    ready = re.compile(r"Running on https?://[^\s:]+:(\d+)")
    REGION = "us-east-1"
    ACCESS_KEY = "testing"
    SECRET_KEY = "testing"

    def __init__(self, tmp_path: Path | None = None, min_part_size: int = S3_MIN_PART_SIZE) -> None:
        self.min_part_size = min_part_size
        env = {**os.environ, "S3_UPLOAD_PART_MIN_SIZE": str(min_part_size)}
        argv = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", "0"]
        super().__init__(argv, tmp_path, env=env)
        self.endpoint = self.origin

    def client(self) -> Any:
        """An authenticated boto3 S3 client (path-style): for setting up only."""
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=self.REGION,
            aws_access_key_id=self.ACCESS_KEY,
            aws_secret_access_key=self.SECRET_KEY,
            config=Config(s3={"addressing_style": "path"}),
        )

    def bucket_url(self, name: str) -> str:
        return f"{self.endpoint}/{name}"

    def bucket(
        self, name: str, files: Mapping[str, bytes], multipart: Collection[str] = frozenset()
    ) -> None:
        """Create bucket ``name``, readable and listable anonymously, holding ``files``.

        Keys in ``multipart`` are uploaded in parts of ``min_part_size`` (at least two, so
        each must be larger than that) and get a ``"<hex>-N"`` ETag (checked).
        """
        unknown = set(multipart) - set(files)
        if unknown:
            raise ValueError(f"multipart keys not in files: {sorted(unknown)}")
        s3 = self.client()
        s3.create_bucket(Bucket=name)
        s3.put_bucket_policy(Bucket=name, Policy=public_read_policy(name))
        for key, data in files.items():
            if key in multipart:
                self._multipart_upload(s3, name, key, data)
            else:
                s3.put_object(Bucket=name, Key=key, Body=data)

    def _multipart_upload(self, s3: Any, bucket: str, key: str, data: bytes) -> None:
        size = self.min_part_size
        if len(data) <= size:
            raise ValueError(
                f"{key!r}: {len(data)} bytes make one part; a multipart object needs more than "
                f"min_part_size={size} (S3: parts ≥ 5 MiB except the last)"
            )
        upload_id = s3.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
        parts = []
        for number, start in enumerate(range(0, len(data), size), start=1):
            answer = s3.upload_part(
                Bucket=bucket,
                Key=key,
                UploadId=upload_id,
                PartNumber=number,
                Body=data[start : start + size],
            )
            parts.append({"ETag": answer["ETag"], "PartNumber": number})
        done = s3.complete_multipart_upload(
            Bucket=bucket, Key=key, UploadId=upload_id, MultipartUpload={"Parts": parts}
        )
        expected = multipart_etag(data, size)
        if done["ETag"] != expected:
            raise AssertionError(f"{key!r}: multipart ETag {done['ETag']}, expected {expected}")


def md5_base64(data: bytes) -> str:
    """What Azure lists as ``<Content-MD5>``: base64 of the binary MD5."""
    return base64.b64encode(hashlib.md5(data, usedforsecurity=False).digest()).decode()
