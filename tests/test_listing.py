"""Object-store listings against a scripted S3-dialect server with Source Cooperative's quirks:
paging, the User-Agent and product-prefix rules, lies, hostile keys; then a listed file
downloaded by the engine (Range + If-Match)."""

from __future__ import annotations

import hashlib
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from s3dialect import S3Dialect

from mlhub_sync.exceptions import MLHubException
from mlhub_sync.http.retry import RetryPolicy
from mlhub_sync.sources import locations
from mlhub_sync.sources.objects import list_location
from mlhub_sync.transfer.engine import Engine, Job, Settings

FILES = {f"african-crops-kenya-02/data/{n:04d}.tif": bytes([n % 251]) * (n + 1) for n in range(25)}
BESIDE = {"african-crops-kenya-02-v2/x.tif": b"not ours", "african-crops-kenya-01/y": b"no"}
FROM = "az://radiantearth/mlhub/kenya-crop-challenge"
FAST = RetryPolicy(attempts=2, base_delay=0.01, max_delay=0.02)


@pytest.fixture
def coop() -> Iterator[S3Dialect]:
    with S3Dialect() as server:
        server.buckets["radiantearth"] = {**FILES, **BESIDE}
        server.quirks.page_keys = 10  # 25 files: three pages
        server.quirks.products = (
            "african-crops-kenya-02",
            "african-crops-kenya-02-v2",
            "african-crops-kenya-01",
        )
        yield server


def listed(
    coop: S3Dialect, url: str = FROM + "/"
) -> list[tuple[str, int, str | None, dict[str, str]]]:
    mirrors = {FROM: f"s3+{coop.origin}/radiantearth/african-crops-kenya-02"}
    return [
        (f.name, f.size, f.etag, f.digests) for f in list_location(locations.parse(url), mirrors)
    ]


def test_a_location_lists_every_page_and_nothing_beside_it(coop: S3Dialect) -> None:
    found = listed(coop)
    assert [name for name, *_ in found] == sorted(k.split("/", 1)[1] for k in FILES)
    assert [size for _, size, *_ in found] == [len(FILES[k]) for k in sorted(FILES)]
    assert len([s for s in coop.seen if "list-type=2" in s.path]) == 3
    # an ETag is this host's validator, and a digest only on AWS itself
    assert all(etag and etag.startswith('"') and not digests for _, _, etag, digests in found)


def test_the_server_refuses_requests_without_a_user_agent_and_ours_have_one(
    coop: S3Dialect,
) -> None:
    bare = urllib.request.Request(coop.url("radiantearth", "african-crops-kenya-02/data/0000.tif"))
    bare.remove_header("User-agent")
    opener = urllib.request.build_opener()
    opener.addheaders = []  # urllib adds Python-urllib/3.x otherwise
    with pytest.raises(urllib.error.HTTPError) as refused:
        opener.open(bare)
    assert refused.value.code == 403
    assert listed(coop)  # every request of ours carries one


def test_a_prefix_crossing_into_no_product_gets_a_one_line_error(coop: S3Dialect) -> None:
    mirrors = {FROM: f"s3+{coop.origin}/radiantearth"}  # the FROM maps onto the account
    location = locations.parse(FROM + "/")
    with pytest.raises(MLHubException) as error:
        list(list_location(location, mirrors))
    message = str(error.value)
    assert "400 InvalidRequest: prefix must name a whole product" in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("switch", "message"),
    [("repeat_token", "same page marker twice"), ("garbage", "an error page from a proxy")],
)
def test_a_lying_server_gets_a_clear_error(coop: S3Dialect, switch: str, message: str) -> None:
    setattr(coop.quirks, switch, True)
    with pytest.raises(MLHubException, match=message):
        listed(coop)


@pytest.mark.parametrize(
    "key",
    [
        "african-crops-kenya-02/../../etc/passwd",
        "african-crops-kenya-02//etc/passwd",
        "african-crops-kenya-02/a\\b",
    ],
)
def test_a_hostile_key_refuses_the_listing(coop: S3Dialect, key: str) -> None:
    coop.buckets["radiantearth"][key] = b"x"
    with pytest.raises(MLHubException, match="cannot be a path under the dataset's folder"):
        listed(coop)


def test_a_missing_bucket_names_the_cause(coop: S3Dialect) -> None:
    mirrors = {FROM: f"s3+{coop.origin}/no-such-bucket"}
    with pytest.raises(MLHubException, match="404 NoSuchBucket"):
        list(list_location(locations.parse(FROM + "/"), mirrors))


def test_a_listed_file_downloads_by_range_with_its_validator(
    coop: S3Dialect, tmp_path: Path
) -> None:
    big = "african-crops-kenya-02/data/big.bin"
    data = bytes(range(256)) * (48 << 12)  # 12 MiB: fetched in segments
    coop.buckets["radiantearth"][big] = data
    file = next(
        f
        for f in list_location(
            locations.parse(FROM + "/"),
            {FROM: f"s3+{coop.origin}/radiantearth/african-crops-kenya-02"},
        )
        if f.name == "data/big.bin"
    )
    engine = Engine(Settings(retry=FAST))
    try:
        outcome = engine.run([Job(file, tmp_path / "big.bin", resume=True)])[0]
    finally:
        engine.close()
    assert outcome.error is None, outcome.error
    assert (tmp_path / "big.bin").read_bytes() == data
    ranged = [s for s in coop.seen if s.method == "GET" and s.range]
    assert ranged and all(s.status == 206 for s in ranged)
    assert hashlib.md5(data, usedforsecurity=False).hexdigest() in (file.etag or "")


def test_an_alternate_answers_when_the_location_does_not(
    coop: S3Dialect, caplog: pytest.LogCaptureFixture
) -> None:
    location = locations.parse(FROM + "/")
    gone = {FROM: f"s3+{coop.origin}/retired-bucket"}  # answers 404 NoSuchBucket
    alternate = f"s3+{coop.origin}/radiantearth/african-crops-kenya-02/"
    found = [f.name for f in list_location(location, gone, [alternate])]
    assert found == sorted(k.split("/", 1)[1] for k in FILES)
    assert "NoSuchBucket" in caplog.text and "trying" in caplog.text


def test_a_listing_that_fails_halfway_is_not_completed_elsewhere(coop: S3Dialect) -> None:
    location = locations.parse(FROM + "/")
    mirrors = {FROM: f"s3+{coop.origin}/radiantearth/african-crops-kenya-02"}
    listing = list_location(location, mirrors, [f"s3+{coop.origin}/radiantearth/other/"])
    first = next(listing)
    del coop.buckets["radiantearth"]  # the second page now answers 404
    with pytest.raises(MLHubException, match="NoSuchBucket"):
        list(listing)
    assert first.name == "data/0000.tif"
    assert not [s for s in coop.seen if "other" in s.path]


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (["a", "a/b"], "both a file 'a' and files under 'a/'"),
        (["x/y.tif", "x/y.tif.part"], "named like mlhub-sync's partial downloads"),
        (["d/A.tif", "d/a.tif"], None),  # only a warning: fine on case-sensitive disks
    ],
)
def test_a_listing_that_cannot_be_laid_out_is_refused(
    names: list[str], message: str | None
) -> None:
    from mlhub_sync.sources.base import RemoteFile
    from mlhub_sync.sync import loose
    from mlhub_sync.sync.manifest import DatasetSpec

    spec = DatasetSpec("d", None, None, "resume", False, "mlhub.yaml:3:5", {"url": "s3://b/p/"})
    files = [RemoteFile(name, f"http://h/{name}", 1) for name in names]
    if message is None:
        assert [c.id for c in loose.lock_dataset(spec, {}, files, None).collections] == names
        return
    with pytest.raises(MLHubException, match=message):
        loose.lock_dataset(spec, {}, files, None)
