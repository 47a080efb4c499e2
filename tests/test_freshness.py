"""Is the lock stale? Decided from each locked entry, as a table (``sync/freshness.py``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mlhub_sync.sync.freshness import stale_reasons
from mlhub_sync.sync.lockfile import Lock, LockedDataset, read_lock
from mlhub_sync.sync.manifest import DatasetSpec, Manifest, load_manifest

API = "http://127.0.0.1:8000/mlhub/v1/"
KENYA = "ref_african_crops_kenya_02"  # in the built-in catalogue
KENYA_URL = "az://radiantearth/mlhub/kenya-crop-challenge/"


def spec(
    dataset_id: str = "d",
    types: tuple[str, ...] | None = None,
    if_exists: str = "resume",
    extract: bool = False,
    source: dict[str, Any] | None = None,
) -> DatasetSpec:
    return DatasetSpec(dataset_id, types, None, if_exists, extract, "mlhub.yaml:1:1", source)


def locked(
    dataset_id: str = "d",
    select: dict[str, list[str]] | None = None,
    if_exists: str = "resume",
    extract: bool = False,
    source: dict[str, Any] | None = None,
) -> LockedDataset:
    return LockedDataset(dataset_id, None, select or {}, if_exists, extract, [], source)


def manifest(*specs: DatasetSpec, api_url: str | None = None) -> Manifest:
    return Manifest(Path("mlhub.yaml"), api_url, None, Path("data"), specs)


CASES: list[tuple[str, Manifest, Lock, list[str]]] = [
    ("same", manifest(spec()), Lock(API, [locked()]), []),
    ("empty", manifest(), Lock(None, []), []),
    ("added", manifest(spec(), spec("e")), Lock(API, [locked()]), ["e: not in the lock yet"]),
    ("removed", manifest(), Lock(API, [locked()]), ["d: no longer in the manifest"]),
    (
        "reordered",
        manifest(spec("e"), spec()),
        Lock(API, [locked(), locked("e")]),
        ["datasets are in another order than in the manifest"],
    ),
    (
        "selection",
        manifest(spec(types=("labels",))),
        Lock(API, [locked()]),
        ["d: selection changed (all → {'types': ['labels']})"],
    ),
    (
        "if_exists",
        manifest(spec(if_exists="skip")),
        Lock(API, [locked()]),
        ["d: if_exists resume → skip"],
    ),
    ("extract", manifest(spec(extract=True)), Lock(API, [locked()]), ["d: extract false → true"]),
    (
        "archives became files",
        manifest(spec(source={"url": "https://h/x/"})),
        Lock(API, [locked()]),
        ["d: now has a source (files, not archives)"],
    ),
    (
        "source moved",
        manifest(spec(source={"url": "https://h/y/"})),
        Lock(None, [locked(source={"url": "https://h/x/"})]),
        ["d: source changed"],
    ),
    (
        "same source",
        manifest(spec(source={"url": "https://h/x/"})),
        Lock(None, [locked(source={"url": "https://h/x/"})]),
        [],
    ),
    # An id with no source: satisfied by the catalogue's location or by the API's archives,
    # whichever it was locked from (MLHUB_ROOT_URL on one machine changes nothing).
    (
        "catalogue id",
        manifest(spec(KENYA)),
        Lock(None, [locked(KENYA, source={"url": KENYA_URL})]),
        [],
    ),
    ("catalogue id from an API", manifest(spec(KENYA)), Lock(API, [locked(KENYA)]), []),
    (
        "catalogue id filtered",
        manifest(spec(KENYA, source={"include": ["*.tif"]})),
        Lock(None, [locked(KENYA, source={"url": KENYA_URL})]),
        [f"{KENYA}: source changed"],
    ),
    (
        "unknown id, loose in the lock",
        manifest(spec("nowhere")),
        Lock(None, [locked("nowhere", source={"url": "https://h/x/"})]),
        ["nowhere: source changed"],
    ),
    (
        "api_url edited",
        manifest(spec(), api_url="http://other:8000/mlhub/v1"),
        Lock(API, [locked()]),
        [f"api_url: locked from {API}, the manifest names http://other:8000/mlhub/v1/"],
    ),
    ("api_url, no archives", manifest(api_url="http://other/v1/"), Lock(None, []), []),
    ("api_url same", manifest(spec(), api_url=API.rstrip("/")), Lock(API, [locked()]), []),
]


@pytest.mark.parametrize(
    ("manifest", "lock", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_staleness_is_decided_as_the_table(
    manifest: Manifest, lock: Lock, expected: list[str]
) -> None:
    assert stale_reasons(manifest, lock) == expected


@pytest.mark.parametrize("version", [1, 2])
def test_a_lock_written_before_version_3_reads_and_is_fresh_when_it_matches(
    tmp_path: Path, version: int
) -> None:
    """Versions 1 and 2 carried a hash of the whole manifest; it is read and ignored, so
    existing locks stay valid (the next `lock` rewrites them as version 3)."""
    (tmp_path / "mlhub.yaml").write_text(f"version: 1\napi_url: {API}\ndatasets: [d]\n")
    (tmp_path / "mlhub.lock").write_text(
        f"version: {version}\nmanifest_hash: xxh3_128:{'0' * 32}\napi_url: {API}\n"
        "datasets:\n- id: d\n  title: D\n  if_exists: resume\n  extract: false\n"
        "  collections: []\n"
    )
    lock = read_lock(tmp_path / "mlhub.lock")
    assert stale_reasons(load_manifest(tmp_path / "mlhub.yaml"), lock) == []
    lock.write(tmp_path / "again.lock")
    assert (tmp_path / "again.lock").read_text().splitlines()[1:3] == [
        "version: 3",
        f"api_url: {API}",
    ]
