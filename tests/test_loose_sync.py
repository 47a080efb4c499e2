"""Loose-file datasets end to end, against real emulators: a two-line manifest naming an old
MLHub id, locked and applied through ``--mirror`` to Azurite standing in for Azure, and to
moto standing in for Source Cooperative; paging, Content-MD5 present and absent, drift."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from emulators import Azurite, MotoS3
from sync_support import Workspace

PREFIX = "kenya-crop-challenge/"
FILES = {
    "catalog.json": b'{"type": "Catalog"}',
    "data/0/labels.geojson": b'{"type": "FeatureCollection"}' * 40,
    "data/0/B02.tif": bytes(range(256)) * 700,
    "data/1/B02.tif": bytes(reversed(range(256))) * 900,
    "data/1/ü name.tif": b"unicode and a space",
}
BESIDE = {"kenya-crop-challenge-v2/x.tif": b"not part of the dataset", "other/y": b"no"}
AZ_FROM = "az://radiantearth/mlhub"


@pytest.fixture(scope="module")
def azurite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Azurite]:
    with Azurite(tmp_path_factory.mktemp("azurite")) as running:
        files = {PREFIX + k: v for k, v in FILES.items()} | BESIDE
        running.public_container("mlhub", files, content_md5=True)
        running.public_container("nomd5", {PREFIX + k: v for k, v in FILES.items()}, False)
        yield running


@pytest.fixture(scope="module")
def moto(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MotoS3]:
    with MotoS3(tmp_path_factory.mktemp("moto")) as running:
        product = {f"african-crops-kenya-02/{k}": v for k, v in FILES.items()}
        running.bucket("radiantearth", product)
        yield running


def project(tmp_path: Path, name: str, body: str = "") -> Workspace:
    workspace = Workspace(tmp_path / name, "http://unused.invalid/")
    workspace.manifest.write_text(
        body or "version: 1\ndatasets: [ref_african_crops_kenya_02]\n"
    )  # the newcomer's two lines: no api_url anywhere, so the id resolves in the catalogue
    return workspace


def files_on_disk(workspace: Workspace) -> dict[str, bytes]:
    folder = workspace.root / "data" / "ref_african_crops_kenya_02"
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and ".mlhub-sync" not in p.parts
    }


def test_an_old_mlhub_id_locks_and_applies_through_a_mirror(
    azurite: Azurite, tmp_path: Path
) -> None:
    work = project(tmp_path, "p")
    mirror = f"{AZ_FROM}={azurite.container_url('mlhub')}"
    locked = work.run("lock", "--mirror", mirror)
    assert "wrote" in locked.stdout
    lock = yaml.safe_load(work.lock.read_text())
    assert lock["version"] == 3 and "api_url" not in lock
    (dataset,) = lock["datasets"]
    assert dataset["source"] == {"url": "az://radiantearth/mlhub/kenya-crop-challenge/"}
    assert dataset["files"] == len(FILES) and dataset["size"] == sum(map(len, FILES.values()))
    lines = dataset["entries"].splitlines()
    assert [line.split("\t")[3] for line in lines] == sorted(FILES)  # nothing beside the prefix
    md5 = hashlib.md5(FILES["catalog.json"], usedforsecurity=False).hexdigest()
    assert f"stated\tmd5:{md5}\tcatalog.json" in dataset["entries"]
    assert "127.0.0.1" not in work.lock.read_text()  # the mirror never reaches the lock

    work.run("apply", "--mirror", mirror)
    assert files_on_disk(work) == FILES  # the tree under the prefix, as azcopy would leave it
    pinned = yaml.safe_load(work.lock.read_text())["datasets"][0]["entries"]
    assert all(line.split("\t")[1] == "verified" for line in pinned.splitlines())
    status = work.run("status")  # exit 0: every file verified, the lock fresh
    assert status.stdout.count(" ok ") == len(FILES) and "in sync" in status.stdout
    again = work.run("apply", "--mirror", f"{AZ_FROM}=http://127.0.0.1:9/nowhere")
    assert "0 B transferred" in again.stderr + again.stdout  # in sync: no request at all


def test_locks_through_two_mirrors_are_byte_identical(
    azurite: Azurite, moto: MotoS3, tmp_path: Path
) -> None:
    one, two = project(tmp_path, "one"), project(tmp_path, "two")
    one.run("lock", "--mirror", f"{AZ_FROM}={azurite.container_url('mlhub')}")
    # the same bytes in Source Cooperative's layout, over S3, via the environment variable
    coop = f"{AZ_FROM}/kenya-crop-challenge=s3+{moto.endpoint}/radiantearth/african-crops-kenya-02"
    two.run("lock", env={"MLHUB_SYNC_MIRRORS": coop})
    first, second = one.lock.read_text(), two.lock.read_text()
    # S3 off AWS states no MD5: the second lock knows sizes only, until its first apply pins
    assert [line.split("\t")[0::3] for line in _entries(first)] == [
        line.split("\t")[0::3] for line in _entries(second)
    ]
    third = project(tmp_path, "three")
    third.run("lock", "--mirror", f"{AZ_FROM}={azurite.container_url('mlhub')}")
    assert third.lock.read_text() == first  # same protocol, same bytes: the same lock
    two.run("apply", env={"MLHUB_SYNC_MIRRORS": coop})
    assert files_on_disk(two) == FILES
    assert "tofu" in two.lock.read_text()  # pinned by its first download


def test_content_md5_absent_means_trust_on_first_use(azurite: Azurite, tmp_path: Path) -> None:
    work = project(tmp_path, "p")
    work.run("lock", "--mirror", f"{AZ_FROM}={azurite.container_url('nomd5')}")
    entries = _entries(work.lock.read_text())
    assert {line.split("\t")[1] for line in entries} == {"-"}
    work.run("apply", "--mirror", f"{AZ_FROM}={azurite.container_url('nomd5')}")
    assert {line.split("\t")[1] for line in _entries(work.lock.read_text())} == {"tofu"}


def test_a_file_changed_at_the_source_is_refused_by_name(azurite: Azurite, tmp_path: Path) -> None:
    container = "drift"
    azurite.public_container(container, {PREFIX + k: v for k, v in FILES.items()}, True)
    mirror = f"{AZ_FROM}={azurite.container_url(container)}"
    work = project(tmp_path, "p")
    work.run("lock", "--mirror", mirror)
    client = azurite.service().get_container_client(container)
    client.upload_blob(PREFIX + "data/1/B02.tif", b"changed upstream", overwrite=True)
    result = work.run("apply", "--mirror", mirror, expect=1)
    assert "ref_african_crops_kenya_02/data/1/B02.tif changed at its source" in result.stderr
    assert "mlhub-sync lock --update ref_african_crops_kenya_02" in result.stderr
    on_disk = files_on_disk(work)
    assert "data/1/B02.tif" not in on_disk
    assert on_disk == {k: v for k, v in FILES.items() if k != "data/1/B02.tif"}
    check = work.run("lock", "--check", "--remote", "--mirror", mirror, expect=5)
    assert "data/1/B02.tif: size" in check.stderr


def test_include_and_exclude_select_paths(azurite: Azurite, tmp_path: Path) -> None:
    body = (
        "version: 1\ndatasets:\n  - id: ref_african_crops_kenya_02\n"
        "    source: {include: ['data/**'], exclude: ['**/*.geojson']}\n"
    )
    work = project(tmp_path, "p", body)
    work.run("lock", "--mirror", f"{AZ_FROM}={azurite.container_url('mlhub')}")
    paths = [line.split("\t")[3] for line in _entries(work.lock.read_text())]
    assert paths == ["data/0/B02.tif", "data/1/B02.tif", "data/1/ü name.tif"]


def _entries(lock_text: str) -> list[str]:
    data = yaml.safe_load(lock_text)
    return [line for d in data["datasets"] for line in d["entries"].splitlines()]


@pytest.mark.parametrize("protocol", ["az", "s3"])
def test_listings_page_and_listed_files_download_by_range_with_if_match(
    protocol: str,
    azurite: Azurite,
    moto: MotoS3,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Library level, pages of 2 so five files take three pages; a 9 MiB file is fetched in
    segments, each a Range request carrying If-Match with the listed ETag."""
    from mlhub_sync.sources import azure_blob, locations, s3
    from mlhub_sync.sources.objects import list_location
    from mlhub_sync.transfer.engine import Engine, Job, Settings

    big = bytes(range(251)) * (9 * 4177)  # ~9 MiB, not a multiple of anything
    files = {f"paged/{n}.bin": bytes([n]) * (n + 1) for n in range(4)} | {"paged/big.bin": big}
    monkeypatch.setattr(azure_blob, "PAGE_SIZE", 2)
    monkeypatch.setattr(s3, "PAGE_SIZE", 2)
    if protocol == "az":
        azurite.public_container("paging", files, content_md5=True)
        location = locations.parse("az://radiantearth/paging/paged/")
        mirrors = {"az://radiantearth/paging": azurite.container_url("paging")}
    else:
        moto.bucket("paging", files, multipart={"paged/big.bin"})
        location = locations.parse("s3://paging/paged/", moto.endpoint)  # path style
        mirrors = {}
    listed = {f.name: f for f in list_location(location, mirrors)}
    assert sorted(listed) == sorted(k.removeprefix("paged/") for k in files)
    assert all(listed[k.removeprefix("paged/")].size == len(v) for k, v in files.items())
    etag = listed["big.bin"].etag or ""
    if protocol == "s3":  # a multipart ETag is no MD5, and off AWS no ETag is taken as one
        assert etag.endswith('-2"') and not listed["big.bin"].digests
    else:
        assert (
            listed["big.bin"].digests["md5"] == hashlib.md5(big, usedforsecurity=False).hexdigest()
        )
    engine = Engine(Settings())
    try:
        outcome = engine.run([Job(listed["big.bin"], tmp_path / "big.bin", resume=True)])[0]
    finally:
        engine.close()
    assert outcome.error is None, outcome.error
    assert (tmp_path / "big.bin").read_bytes() == big


def test_status_remote_reports_drift_per_file_with_its_own_exit_code(
    azurite: Azurite, tmp_path: Path
) -> None:
    container = "statusdrift"
    azurite.public_container(container, {PREFIX + k: v for k, v in FILES.items()}, True)
    mirror = f"{AZ_FROM}={azurite.container_url(container)}"
    work = project(tmp_path, "p")
    work.run("lock", "--mirror", mirror)
    work.run("apply", "--mirror", mirror)
    assert "0 change(s)" in work.run("status", "--remote", "--mirror", mirror).stdout
    client = azurite.service().get_container_client(container)
    client.upload_blob(PREFIX + "data/9/new.tif", b"added", overwrite=True)
    client.delete_blob(PREFIX + "catalog.json")
    client.upload_blob(
        PREFIX + "data/0/B02.tif", b"x" * len(FILES["data/0/B02.tif"]), overwrite=True
    )
    result = work.run("status", "--remote", "--mirror", mirror, expect=5)
    changes = [line for line in result.stdout.splitlines() if "changed at the source" in line]
    assert len(changes) == 3, result.stdout
    assert any("data/9/new.tif: added" in line for line in changes)
    assert any("catalog.json: no longer listed" in line for line in changes)
    assert any("data/0/B02.tif: md5" in line for line in changes)  # same size, other bytes


def test_mirrors_come_from_a_file_the_environment_and_flags_in_that_order(
    azurite: Azurite, tmp_path: Path
) -> None:
    work = project(tmp_path, "p")
    home = work.root / ".mlhub-home"
    home.mkdir()
    good = f"{AZ_FROM}={azurite.container_url('mlhub')}"
    (home / "mirrors").write_text(f"# the lab's Azurite\n{good}\n")
    work.run("lock")  # the file alone
    assert yaml.safe_load(work.lock.read_text())["datasets"][0]["files"] == len(FILES)
    dead = f"{AZ_FROM}=http://127.0.0.1:9/devstoreaccount1/mlhub"
    failed = work.run(
        "lock", "--update", env={"MLHUB_SYNC_MIRRORS": dead}, expect=None
    )  # the environment beats the file …
    assert failed.returncode != 0 and "127.0.0.1:9" in failed.stderr
    work.run("lock", "--update", "--mirror", good, env={"MLHUB_SYNC_MIRRORS": dead})  # … flags both
    (home / "mirrors").write_text("az://radiantearth/mlhub\n")
    bad = work.run("lock", "--update", expect=2)
    assert "mirrors" in bad.stderr and "is not FROM=TO" in bad.stderr


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("gs://bucket/x", "is not a source: use az://"),
        ("az://Radiant/mlhub/x", "expected az://ACCOUNT/CONTAINER"),
        ("{url: 's3://tiles/x', endpoint: 'ftp://h'}", "'ftp://h' is not an http(s) URL"),
        ("{url: 's3://tiles/x', include: []}", "should be non-empty"),
        ("stac+https://host/folder/", "expected stac+https://HOST/PATH/catalog.json"),
        ("{files: [{url: 'https://h/a/x'}, {url: 'https://h/b/x'}]}", "give one of them `path:`"),
    ],
)
def test_a_bad_source_is_a_located_error(tmp_path: Path, source: str, message: str) -> None:
    body = f"version: 1\ndatasets:\n  - id: d\n    source: {source}\n"
    work = project(tmp_path, "p", body)
    result = work.run("lock", expect=2)
    assert "mlhub.yaml:" in result.stderr and message in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2 and not work.lock.exists()


def test_a_lock_made_on_azure_is_satisfied_by_the_same_bytes_over_s3(
    azurite: Azurite, moto: MotoS3, tmp_path: Path
) -> None:
    """The lock's identity is content: MD5s stated by Azure verify bytes fetched elsewhere."""
    work = project(tmp_path, "p")
    work.run("lock", "--mirror", f"{AZ_FROM}={azurite.container_url('mlhub')}")
    locked = work.lock.read_text()
    coop = f"{AZ_FROM}/kenya-crop-challenge=s3+{moto.endpoint}/radiantearth/african-crops-kenya-02"
    work.run("apply", "--mirror", coop)
    assert files_on_disk(work) == FILES
    before = {line.split("\t")[3]: line.split("\t") for line in _entries(locked)}
    after = {line.split("\t")[3]: line.split("\t") for line in _entries(work.lock.read_text())}
    assert sorted(after) == sorted(before) == sorted(FILES)
    for path, (size, mark, digests, _) in after.items():
        assert (size, mark) == (before[path][0], "verified")  # the Azure MD5 matched
        assert before[path][2] in digests and "xxh3_128:" in digests  # kept, and pinned


def test_status_remote_uses_this_hosts_etags_where_no_digest_is_stated(
    azurite: Azurite, moto: MotoS3, tmp_path: Path
) -> None:
    """No MD5 anywhere (Azure without Content-MD5): a same-size change at the source shows
    only in the host's ETag, which local state keeps per host — never in the lock."""
    container = "etags"
    azurite.public_container(container, {PREFIX + k: v for k, v in FILES.items()}, False)
    mirror = f"{AZ_FROM}={azurite.container_url(container)}"
    work = project(tmp_path, "p")
    work.run("lock", "--mirror", mirror)
    work.run("apply", "--mirror", mirror)
    locked = work.lock.read_text()
    assert "etag" not in locked.lower() and "127.0.0.1" not in locked
    assert "0 change(s)" in work.run("status", "--remote", "--mirror", mirror).stdout
    coop = f"{AZ_FROM}/kenya-crop-challenge=s3+{moto.endpoint}/radiantearth/african-crops-kenya-02"
    # another host's ETags differ for the same bytes: not a change
    assert "0 change(s)" in work.run("status", "--remote", "--mirror", coop).stdout
    client = azurite.service().get_container_client(container)
    same_size = b"y" * len(FILES["data/0/B02.tif"])
    client.upload_blob(PREFIX + "data/0/B02.tif", same_size, overwrite=True)
    result = work.run("status", "--remote", "--mirror", mirror, expect=5)
    changes = [line for line in result.stdout.splitlines() if "changed at the source" in line]
    assert len(changes) == 1 and "data/0/B02.tif: ETag at http://127.0.0.1:" in changes[0]
    verified = work.run("verify", "--remote", "--mirror", mirror, "--json", expect=5)
    report = json.loads(verified.stdout)
    assert report["ok"] is False and len(report["remote_changes"]) == 1
    assert all(a["status"] == "ok" for a in report["archives"])  # the local bytes are fine
    # a target without this machine's records cannot see it: sizes agree, no digest stated
    fresh = project(tmp_path, "fresh")
    fresh.lock.write_text(locked)
    assert "0 change(s)" in fresh.run("status", "--remote", "--mirror", mirror, expect=1).stdout


def test_a_planted_symlink_among_the_files_folders_is_not_written_through(
    azurite: Azurite, tmp_path: Path
) -> None:
    mirror = f"{AZ_FROM}={azurite.container_url('mlhub')}"
    work = project(tmp_path, "p")
    work.run("lock", "--mirror", mirror)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    folder = work.root / "data" / "ref_african_crops_kenya_02" / "data"
    folder.mkdir(parents=True)
    (folder / "1").symlink_to(elsewhere)  # where data/1/B02.tif would be written
    result = work.run("apply", "--mirror", mirror, expect=1)
    assert "data/1/B02.tif: a folder on its way" in result.stderr and "symlink" in result.stderr
    assert list(elsewhere.iterdir()) == []  # nothing written through the link
    assert (folder / "0" / "B02.tif").read_bytes() == FILES["data/0/B02.tif"]  # the rest came
