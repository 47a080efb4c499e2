"""A lab's synced target served on in the S3 dialect (``serve --s3``), read by boto3
(unsigned, path style) and by mlhub-sync itself through ``--mirror FROM=s3+http://…``.

The lab syncs the kenya dataset from Azurite (standing in for Azure), then serves its target;
a colleague with the same committed lock applies through the lab and gets the same bytes,
verified against the lock; listings page; ranges and If-Match hold; writes are refused."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests
from botocore import UNSIGNED
from botocore.config import Config
from emulators import Azurite
from sync_support import Workspace
from test_loose_sync import AZ_FROM, FILES, PREFIX, files_on_disk, project

BUCKET_KEYS = sorted(PREFIX + name for name in FILES)


@pytest.fixture(scope="module")
def azurite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Azurite]:
    with Azurite(tmp_path_factory.mktemp("azurite")) as running:
        running.public_container("mlhub", {PREFIX + k: v for k, v in FILES.items()}, True)
        yield running


class S3Server:
    """``mlhub-sync serve --s3 PROJECT --port 0`` in a subprocess."""

    def __init__(self, project_dir: Path, *args: str) -> None:
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "mlhub_sync", "serve", "--s3", str(project_dir)),
                *("--port", "0", "--quiet", *args),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        deadline = time.monotonic() + 20
        for line in self.process.stdout:
            if line.startswith("S3 endpoint: "):
                self.url = line.removeprefix("S3 endpoint: ").strip().rstrip("/")
                break
            assert time.monotonic() < deadline
        else:
            raise RuntimeError(self.process.stderr.read() if self.process.stderr else "")

    def close(self) -> str:
        self.process.terminate()
        _, err = self.process.communicate(timeout=15)
        return err


@pytest.fixture(scope="module")
def lab(
    azurite: Azurite, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Workspace, S3Server]]:
    root = tmp_path_factory.mktemp("lab")
    work = project(root, "lab")
    mirror = f"{AZ_FROM}={azurite.container_url('mlhub')}"
    work.run("lock", "--mirror", mirror)
    work.run("apply", "--mirror", mirror)
    server = S3Server(work.root)
    yield work, server
    server.close()


def client(url: str) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=url,
        region_name="us-east-1",
        config=Config(signature_version=UNSIGNED, s3={"addressing_style": "path"}),
    )


def test_boto3_lists_with_paging_and_delimiters_and_reads_ranges(
    lab: tuple[Workspace, S3Server],
) -> None:
    _, server = lab
    s3 = client(server.url)
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["mlhub"]
    keys, token, pages = [], None, 0
    while True:
        extra: dict[str, str] = {"ContinuationToken": token} if token else {}
        page = s3.list_objects_v2(Bucket="mlhub", Prefix=PREFIX, MaxKeys=2, **extra)
        keys += [o["Key"] for o in page.get("Contents", [])]
        pages += 1
        if not page["IsTruncated"]:
            break
        token = page["NextContinuationToken"]
    assert keys == BUCKET_KEYS and pages == 3
    paginator = s3.get_paginator("list_objects_v2")
    listed = [o["Key"] for p in paginator.paginate(Bucket="mlhub") for o in p.get("Contents", [])]
    assert listed == BUCKET_KEYS
    top = s3.list_objects_v2(Bucket="mlhub", Prefix=PREFIX, Delimiter="/")
    assert [o["Key"] for o in top["Contents"]] == [PREFIX + "catalog.json"]
    assert [p["Prefix"] for p in top["CommonPrefixes"]] == [PREFIX + "data/"]
    nested = s3.list_objects_v2(Bucket="mlhub", Prefix=PREFIX + "data/", Delimiter="/", MaxKeys=1)
    assert [p["Prefix"] for p in nested["CommonPrefixes"]] == [PREFIX + "data/0/"]
    rest = s3.list_objects_v2(
        Bucket="mlhub",
        Prefix=PREFIX + "data/",
        Delimiter="/",
        ContinuationToken=nested["NextContinuationToken"],
    )
    assert [p["Prefix"] for p in rest["CommonPrefixes"]] == [PREFIX + "data/1/"]
    body = FILES["data/0/B02.tif"]
    whole = s3.get_object(Bucket="mlhub", Key=PREFIX + "data/0/B02.tif")
    assert whole["Body"].read() == body
    assert whole["ETag"] == f'"{hashlib.md5(body, usedforsecurity=False).hexdigest()}"'
    part = s3.get_object(Bucket="mlhub", Key=PREFIX + "data/0/B02.tif", Range="bytes=100-199")
    assert part["Body"].read() == body[100:200] and part["ContentRange"].endswith(f"/{len(body)}")
    odd = s3.get_object(Bucket="mlhub", Key=PREFIX + "data/1/ü name.tif")
    assert odd["Body"].read() == FILES["data/1/ü name.tif"]


def test_writes_are_refused_and_unknown_keys_are_404(lab: tuple[Workspace, S3Server]) -> None:
    work, server = lab
    before = files_on_disk(work)
    target = f"{server.url}/mlhub/{PREFIX}catalog.json"
    for method in ("PUT", "POST", "DELETE"):
        response = requests.request(method, target, data=b"evil", timeout=10)
        assert response.status_code == 403 and "<Code>AccessDenied</Code>" in response.text
    assert files_on_disk(work) == before
    assert requests.get(f"{server.url}/mlhub/{PREFIX}nope", timeout=10).status_code == 404
    assert requests.get(f"{server.url}/other?list-type=2", timeout=10).status_code == 404
    etag = requests.head(target, timeout=10).headers["ETag"]
    stale = requests.get(target, headers={"If-Match": '"0000"'}, timeout=10)
    assert stale.status_code == 412
    assert requests.get(target, headers={"If-Match": etag}, timeout=10).status_code == 200


def test_a_colleague_applies_the_committed_lock_through_the_lab(
    lab: tuple[Workspace, S3Server], tmp_path: Path
) -> None:
    """Same lock, bytes from the lab instead of Azure: identical files, verified against the
    lock's stated MD5s, and the lock left as committed."""
    work, server = lab
    colleague = project(tmp_path, "colleague")
    shutil.copy(work.lock, colleague.lock)
    committed = colleague.lock.read_text()
    via_lab = f"{AZ_FROM}=s3+{server.url}/mlhub"
    colleague.run("apply", "--locked", "--mirror", via_lab)
    assert files_on_disk(colleague) == FILES
    assert colleague.lock.read_text() == committed
    assert colleague.run("verify").returncode == 0
    relocked = project(tmp_path, "relocked")
    relocked.run("lock", "--mirror", via_lab)
    sizes = [
        line.split("\t")[0::3] for line in relocked.lock.read_text().splitlines() if "\t" in line
    ]
    assert sizes == [line.split("\t")[0::3] for line in committed.splitlines() if "\t" in line]


def test_only_verified_files_are_served(azurite: Azurite, tmp_path: Path) -> None:
    work = project(tmp_path, "p")
    mirror = f"{AZ_FROM}={azurite.container_url('mlhub')}"
    work.run("lock", "--mirror", mirror)
    work.run("apply", "--mirror", mirror)
    changed = work.root / "data" / "ref_african_crops_kenya_02" / "catalog.json"
    changed.write_bytes(b'{"type": "Tampered"}')
    server = S3Server(work.root)
    try:
        s3 = client(server.url)
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket="mlhub")["Contents"]]
        assert keys == [k for k in BUCKET_KEYS if not k.endswith("catalog.json")]
        missing = requests.get(f"{server.url}/mlhub/{PREFIX}catalog.json", timeout=10)
        assert missing.status_code == 404
    finally:
        log = server.close()
    assert "1 locked file(s) are missing or not verified" in log


def tool_env(home: Path, url: str) -> dict[str, str]:
    """aws cli and rclone configured for the lab only: anonymous, path style, no user config."""
    home.mkdir(exist_ok=True)
    (home / "aws-config").write_text(
        "[default]\nregion = us-east-1\ns3 =\n  addressing_style = path\n"
    )
    (home / "rclone.conf").write_text("")
    keep = ("PATH", "LANG", "LC_ALL", "TMPDIR")
    return {
        **{name: os.environ[name] for name in keep if name in os.environ},
        "HOME": str(home),
        "AWS_CONFIG_FILE": str(home / "aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "no-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "RCLONE_CONFIG": str(home / "rclone.conf"),
        "RCLONE_S3_PROVIDER": "Other",
        "RCLONE_S3_ENDPOINT": url,
        "RCLONE_S3_ENV_AUTH": "false",
    }


def run_tool(argv: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, (argv, result.stdout, result.stderr)
    return result.stdout


def downloaded(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_aws_cli_lists_copies_syncs_and_reads_a_range(
    lab: tuple[Workspace, S3Server], tmp_path: Path
) -> None:
    _, server = lab
    aws = [str(Path(sys.executable).with_name("aws")), "--endpoint-url", server.url]
    aws += ["--no-sign-request"]
    env = tool_env(tmp_path / "home", server.url)
    listed = run_tool([*aws, "s3", "ls", f"s3://mlhub/{PREFIX}", "--recursive"], env)
    rows = [line.split(maxsplit=3) for line in listed.splitlines()]
    assert sorted((key, int(size)) for _, _, size, key in rows) == sorted(
        (PREFIX + name, len(body)) for name, body in FILES.items()
    )
    top = run_tool([*aws, "s3", "ls", f"s3://mlhub/{PREFIX}"], env).splitlines()
    assert top[0].split() == ["PRE", "data/"] and top[1].endswith(" catalog.json")
    copy = tmp_path / "copy"
    run_tool([*aws, "s3", "cp", f"s3://mlhub/{PREFIX}", str(copy), "--recursive"], env)
    assert downloaded(copy) == FILES
    assert run_tool([*aws, "s3", "sync", f"s3://mlhub/{PREFIX}", str(copy)], env) == ""
    part = tmp_path / "part"
    key = PREFIX + "data/0/B02.tif"
    ranged = ["--key", key, "--range", "bytes=100-199", str(part)]
    answer = run_tool([*aws, "s3api", "get-object", "--bucket", "mlhub", *ranged], env)
    assert part.read_bytes() == FILES["data/0/B02.tif"][100:200]
    md5 = hashlib.md5(FILES["data/0/B02.tif"], usedforsecurity=False).hexdigest()
    assert json.loads(answer)["ETag"] == f'"{md5}"'


def test_rclone_lists_copies_and_checks_md5s(
    lab: tuple[Workspace, S3Server], tmp_path: Path
) -> None:
    if shutil.which("rclone") is None:
        if os.environ.get("MLHUB_TEST_REQUIRE_RCLONE"):
            pytest.fail("rclone is required (MLHUB_TEST_REQUIRE_RCLONE) but not installed")
        pytest.skip("rclone is not installed (.ci/run installs it)")
    _, server = lab
    env = tool_env(tmp_path / "home", server.url)
    remote = f":s3:mlhub/{PREFIX}"
    names = run_tool(["rclone", "lsf", "-R", "--files-only", remote], env).splitlines()
    assert sorted(names) == sorted(FILES)
    sums = run_tool(["rclone", "md5sum", remote], env)  # from the listing's ETags
    assert {line[34:]: line[:32] for line in sums.splitlines()} == {
        name: hashlib.md5(body, usedforsecurity=False).hexdigest() for name, body in FILES.items()
    }
    copy = tmp_path / "copy"
    run_tool(["rclone", "copy", remote, str(copy)], env)  # checks each MD5 as it downloads
    assert downloaded(copy) == FILES
    run_tool(["rclone", "check", "--one-way", remote, str(copy)], env)
